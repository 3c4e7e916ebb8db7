"""Known vulnerabilities in Forpost's pinned packages (`make audit`, part of `make check`).

pip-audit checks every package of requirements-dev.txt (which holds the runtime ones too), npm
audit those of package-lock.json. A finding fails the check unless supply-chain-allowlist.toml
accepts it with a reason (and, if it says so, until a review date).

A check that cannot reach its vulnerability database has not found the packages clean, and says
so: "NOT AUDITED", with what it observed. pip-audit itself reports such packages as skipped and
"No known vulnerabilities found", and exits 0; this script does not. Whether an unreachable
database fails the run is a choice: with SUPPLY_CHAIN_STRICT=1 it does (BLOCKED, exit 2), which
is what a build machine with internet access should use; without it the run goes on, loudly,
so that a machine whose network reaches only the package registries can still land work.
Findings always fail (exit 1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / "supply-chain-allowlist.toml"
PYTHON_LOCK = ROOT / "requirements-dev.txt"
ECOSYSTEMS = ("python", "npm")


@dataclass(frozen=True)
class Finding:
    ecosystem: str
    package: str
    version: str
    ids: tuple[str, ...]  # the advisory's id and its aliases (PYSEC-…, GHSA-…, CVE-…)
    summary: str = ""

    def __str__(self) -> str:
        return f"{self.package} {self.version}: {', '.join(self.ids)}{' — ' + self.summary if self.summary else ''}"


@dataclass
class Audit:
    ecosystem: str
    service: str
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    # Packages the database could not tell about, with why (the database unreachable, mostly).
    not_audited: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def reached(self) -> bool:
        return not self.error and self.checked > 0 and len(self.not_audited) < self.checked


@dataclass(frozen=True)
class Accepted:
    id: str
    ecosystem: str
    package: str
    reason: str
    review_by: date | None

    def covers(self, finding: Finding, today: date) -> bool:
        return (
            finding.ecosystem == self.ecosystem
            and finding.package.lower() == self.package.lower()
            and self.id in finding.ids
            and (self.review_by is None or today <= self.review_by)
        )


def load_allowlist(path: Path = ALLOWLIST) -> list[Accepted]:
    """The accepted findings; an entry without a reason, package or known ecosystem is an error."""
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entries = []
    for i, entry in enumerate(data.get("accepted", [])):
        missing = [k for k in ("id", "ecosystem", "package", "reason") if not str(entry.get(k, "")).strip()]
        if missing:
            raise ValueError(f"{path.name}: accepted[{i}] lacks {', '.join(missing)}")
        if entry["ecosystem"] not in ECOSYSTEMS:
            raise ValueError(f"{path.name}: accepted[{i}].ecosystem must be one of {ECOSYSTEMS}")
        review_by = entry.get("review_by")
        if review_by is not None and not isinstance(review_by, date):
            raise ValueError(f"{path.name}: accepted[{i}].review_by must be a date (YYYY-MM-DD)")
        entries.append(Accepted(entry["id"], entry["ecosystem"], entry["package"], entry["reason"].strip(), review_by))
    return entries


# --- Python: pip-audit ------------------------------------------------------------------------


def parse_pip_audit(report: dict[str, Any], service: str) -> Audit:
    audit = Audit("python", service)
    for dep in report.get("dependencies", []):
        audit.checked += 1
        if "skip_reason" in dep:
            audit.not_audited[dep["name"]] = dep["skip_reason"]
            continue
        for vuln in dep.get("vulns", []):
            ids = (vuln["id"], *vuln.get("aliases", []))
            summary = (vuln.get("description") or "").strip().split("\n")[0][:120]
            audit.findings.append(Finding("python", dep["name"], dep.get("version", ""), ids, summary))
    return audit


def run_pip_audit(service: str) -> Audit:
    pip_audit = Path(sys.executable).parent / "pip-audit"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(pip_audit), "-r", str(PYTHON_LOCK), "--require-hashes", "--disable-pip"]
        cmd += ["--vulnerability-service", service, "--format", "json", "--progress-spinner", "off", "-o", str(out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        if not out.exists() or not out.read_text().strip():
            last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
            return Audit("python", service, error=f"pip-audit exited {proc.returncode}: {last}")
        return parse_pip_audit(json.loads(out.read_text()), service)


def why_pypi_did_not_answer(package: str, version: str) -> str:
    """One look-up that tells an absent package from an unanswered vulnerability query: PyPI's
    project page lists the release, but its per-release page (which carries the vulnerabilities)
    does not answer."""
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{package}/json", timeout=20) as resp:
            releases = json.load(resp).get("releases", {})
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        return f"PyPI's project page for {package} did not answer either ({exc})."
    if version not in releases:
        return f"PyPI does not list {package} {version}."
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{package}/{version}/json", timeout=20):
            return f"PyPI answers for {package} {version} now; run again."
    except urllib.error.HTTPError as exc:
        return (
            f"PyPI lists {package} {version}, but its per-release page, which carries the known "
            f"vulnerabilities, answers HTTP {exc.code} from this machine: the database is unreachable."
        )
    except (urllib.error.URLError, TimeoutError) as exc:
        return f"PyPI's per-release page for {package} {version} is unreachable ({exc})."


# --- npm: npm audit ---------------------------------------------------------------------------


def parse_npm_audit(report: dict[str, Any]) -> Audit:
    audit = Audit("npm", "npm registry advisories")
    if "vulnerabilities" not in report:
        # npm prints the registry's answer instead of a report when the audit endpoint fails.
        detail = report.get("message") or report.get("error", {}).get("summary") or json.dumps(report)[:200]
        audit.error = f"npm audit got no report: {detail}"
        return audit
    audit.checked = int(report.get("metadata", {}).get("dependencies", {}).get("total", 0)) or 1
    for name, vuln in report["vulnerabilities"].items():
        for via in vuln.get("via", []):
            if not isinstance(via, dict):
                continue  # "via": ["other-package"]: reported under that package itself
            url = via.get("url", "")
            ids = tuple(x for x in (url.rsplit("/", 1)[-1] if "GHSA-" in url else "", str(via.get("source", ""))) if x)
            audit.findings.append(Finding("npm", name, via.get("range", ""), ids, via.get("title", "")))
    return audit


def run_npm_audit() -> Audit:
    proc = subprocess.run(
        ["npm", "audit", "--json", "--package-lock-only"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        return Audit("npm", "npm registry advisories", error=f"npm audit exited {proc.returncode}: {proc.stdout[:200]}")
    return parse_npm_audit(report)


# --- The verdict ------------------------------------------------------------------------------


def verdict(audits: list[Audit], accepted: list[Accepted], *, strict: bool, today: date) -> tuple[int, list[str]]:
    """The exit code and the lines to print: 1 for an unaccepted finding; 2 (BLOCKED) when a
    database was not reached and `strict`; else 0."""
    lines: list[str] = []
    failed = blocked = False
    for audit in audits:
        head = f"[{audit.ecosystem}] {audit.service}:"
        for finding in audit.findings:
            entry = next((a for a in accepted if a.covers(finding, today)), None)
            if entry:
                lines.append(f"{head} ACCEPTED {finding} (allowlist: {entry.reason})")
            else:
                failed = True
                lines.append(f"{head} VULNERABLE {finding}")
        if audit.error or not audit.reached:
            blocked = True
            why = audit.error or next(iter(audit.not_audited.values()), "no package checked")
            lines.append(f"{head} NOT AUDITED — the vulnerability database was not reached: {why}")
        elif audit.not_audited:
            lines.append(f"{head} {len(audit.not_audited)} of {audit.checked} packages NOT AUDITED:")
            lines += [f"    {name}: {why}" for name, why in sorted(audit.not_audited.items())]
        elif not audit.findings:
            lines.append(f"{head} clean — {audit.checked} packages checked, no known vulnerability")
    for entry in accepted:
        if entry.review_by and entry.review_by < today:
            lines.append(
                f"allowlist: {entry.id} ({entry.package}) was to be reviewed by {entry.review_by}; no longer accepted"
            )
    if failed:
        lines.append(
            "FAIL: known vulnerabilities (update the package, or accept it in supply-chain-allowlist.toml with a reason)"
        )
        return 1, lines
    if blocked:
        lines.append(
            "BLOCKED: the packages were NOT checked for known vulnerabilities; this is not a clean result. "
            + ("SUPPLY_CHAIN_STRICT=1: failing." if strict else "Set SUPPLY_CHAIN_STRICT=1 to fail on this.")
        )
        return (2 if strict else 0), lines
    lines.append("OK: no known vulnerability in the pinned packages")
    return 0, lines


def main() -> int:
    accepted = load_allowlist()
    # PyPI's database first; OSV's when PyPI's is not reached. Both reported when neither is.
    tried = []
    for service in ("pypi", "osv"):
        audit = run_pip_audit(service)
        if audit.reached:
            tried = [audit]
            break
        if service == "pypi" and audit.not_audited and not audit.error:
            name, reason = next(iter(audit.not_audited.items()))
            version = reason.rsplit("(", 1)[-1].rstrip(")")
            audit.error = f"all {audit.checked} packages skipped; {why_pypi_did_not_answer(name, version)}"
        tried.append(audit)
    audits = [*tried]
    audits.append(run_npm_audit())
    code, lines = verdict(audits, accepted, strict=os.environ.get("SUPPLY_CHAIN_STRICT") == "1", today=date.today())
    print("\n".join(lines), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
