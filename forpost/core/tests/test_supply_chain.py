"""Supply chain (issue 16, item 6): the audit fails on a known vulnerability unless the allowlist
accepts it with a reason, never calls an unreachable database clean, and the Python requirements
are pinned with hashes."""

import re
from datetime import date
from pathlib import Path

import pytest

from tools.supply_chain import (
    ROOT,
    Accepted,
    load_allowlist,
    parse_npm_audit,
    parse_pip_audit,
    verdict,
)

TODAY = date(2026, 11, 29)
VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.19",
            "vulns": [
                {
                    "id": "PYSEC-2026-1",
                    "aliases": ["GHSA-aaaa-bbbb-cccc"],
                    "fix_versions": ["5.2.20"],
                    "description": "SQL injection in X.",
                }
            ],
        },
        {"name": "pyyaml", "version": "6.0.3", "vulns": []},
    ]
}
SKIPPED = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"},
        {"name": "pyyaml", "skip_reason": "Dependency not found on PyPI and could not be audited: pyyaml (6.0.3)"},
    ]
}
NPM_UNREACHABLE = {
    "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    "statusCode": 405,
}
NPM_CLEAN = {"vulnerabilities": {}, "metadata": {"dependencies": {"total": 120}}}
NPM_VULNERABLE = {
    "vulnerabilities": {
        "jose": {
            "severity": "high",
            "via": [
                {
                    "source": 1099,
                    "name": "jose",
                    "title": "Resource exhaustion",
                    "url": "https://github.com/advisories/GHSA-hhhh-iiii-jjjj",
                    "range": "<4.15.5",
                }
            ],
        },
        "oidc-provider": {"severity": "high", "via": ["jose"]},
    },
    "metadata": {"dependencies": {"total": 120}},
}


def _accept(id_, package="django", ecosystem="python", review_by=None):
    return Accepted(id_, ecosystem, package, "Forpost never calls the affected function.", review_by)


def test_a_known_vulnerability_fails_the_check():
    code, lines = verdict(
        [parse_pip_audit(VULNERABLE, "pypi"), parse_npm_audit(NPM_CLEAN)], [], strict=False, today=TODAY
    )
    assert code == 1
    assert any("VULNERABLE django 5.2.19: PYSEC-2026-1, GHSA-aaaa-bbbb-cccc" in line for line in lines)
    assert lines[-1].startswith("FAIL")


def test_an_accepted_vulnerability_passes_with_its_reason_shown():
    accepted = [_accept("GHSA-aaaa-bbbb-cccc", review_by=date(2027, 1, 1))]
    code, lines = verdict(
        [parse_pip_audit(VULNERABLE, "pypi"), parse_npm_audit(NPM_CLEAN)], accepted, strict=True, today=TODAY
    )
    assert code == 0
    assert any("ACCEPTED" in line and "never calls the affected function" in line for line in lines)
    assert lines[-1].startswith("OK")


def test_an_acceptance_past_its_review_date_or_for_another_package_no_longer_counts():
    for entry in (_accept("PYSEC-2026-1", review_by=date(2026, 11, 1)), _accept("PYSEC-2026-1", package="flask")):
        code, _ = verdict([parse_pip_audit(VULNERABLE, "pypi")], [entry], strict=False, today=TODAY)
        assert code == 1


def test_an_unreached_database_is_not_called_clean_and_blocks_in_strict_mode():
    audits = [parse_pip_audit(SKIPPED, "pypi"), parse_npm_audit(NPM_UNREACHABLE)]
    code, lines = verdict(audits, [], strict=False, today=TODAY)
    text = "\n".join(lines)
    assert code == 0
    assert "clean —" not in text and "OK:" not in text
    assert text.count("NOT AUDITED") == 2
    assert "405 Method Not Allowed" in text
    assert lines[-1].startswith("BLOCKED")
    strict_code, strict_lines = verdict(audits, [], strict=True, today=TODAY)
    assert strict_code == 2
    assert "SUPPLY_CHAIN_STRICT=1: failing" in strict_lines[-1]


def test_a_finding_fails_even_when_the_other_database_is_unreached():
    code, _ = verdict(
        [parse_pip_audit(SKIPPED, "pypi"), parse_npm_audit(NPM_VULNERABLE)], [], strict=False, today=TODAY
    )
    assert code == 1


def test_npm_findings_carry_the_advisory_id_and_are_reported_at_the_vulnerable_package():
    audit = parse_npm_audit(NPM_VULNERABLE)
    assert [(f.package, f.ids) for f in audit.findings] == [("jose", ("GHSA-hhhh-iiii-jjjj", "1099"))]
    code, _ = verdict(
        [audit], [_accept("GHSA-hhhh-iiii-jjjj", package="jose", ecosystem="npm")], strict=True, today=TODAY
    )
    assert code == 0


def test_an_allowlist_entry_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "allow.toml"
    path.write_text('[[accepted]]\nid = "GHSA-x"\necosystem = "python"\npackage = "django"\nreason = " "\n')
    with pytest.raises(ValueError, match="lacks reason"):
        load_allowlist(path)
    path.write_text('[[accepted]]\nid = "GHSA-x"\necosystem = "pip"\npackage = "django"\nreason = "r"\n')
    with pytest.raises(ValueError, match="ecosystem"):
        load_allowlist(path)


def test_the_projects_allowlist_is_valid():
    for entry in load_allowlist():
        assert entry.reason


REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._\-]*(?:\[[^\]]+\])?)==(\S+)")


def _locked(path: Path) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of a compiled requirements file."""
    locked: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text().splitlines():
        if match := REQUIREMENT.match(line):
            current = re.sub(r"\[.*\]", "", match.group(1)).lower().replace("_", "-")
            locked[current] = (match.group(2).rstrip(" \\"), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = locked[current]
            locked[current] = (version, hashes + 1)
        elif line.strip() and not line.startswith((" ", "#")):
            pytest.fail(f"{path.name}: {line!r} is not a pinned requirement (run make lock)")
    return locked


@pytest.mark.parametrize(
    ("source", "lock"), [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")]
)
def test_every_python_requirement_is_pinned_with_hashes_as_its_source_asks(source, lock):
    locked = _locked(ROOT / lock)
    assert locked, lock
    assert [name for name, (_, hashes) in locked.items() if hashes == 0] == []
    for line in (ROOT / source).read_text().splitlines():
        if match := REQUIREMENT.match(line):
            name = re.sub(r"\[.*\]", "", match.group(1)).lower().replace("_", "-")
            assert locked.get(name, ("missing",))[0] == match.group(2), (
                f"{name} in {source} is not locked as asked (run make lock)"
            )
        elif line and not line.startswith(("#", "-r ")):
            assert locked.get(line.strip().lower().replace("_", "-")), (
                f"{line} in {source} is not locked (run make lock)"
            )
