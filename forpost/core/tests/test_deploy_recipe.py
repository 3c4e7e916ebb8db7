"""The deployment recipe (docs/deploy.md, deploy/) runs commands that exist."""

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def _exec_lines(unit: Path) -> list[str]:
    return [
        line.split("=", 1)[1]
        for line in unit.read_text().splitlines()
        if re.match(r"^Exec(Start|StartPre|Reload)=", line)
    ]


def _manage_commands(text: str) -> list[str]:
    return re.findall(r"manage\.py\s+([a-z_]+)", text)


@pytest.mark.parametrize("unit", ["forpost-web.service", "forpost-worker.service"])
def test_each_unit_runs_a_program_of_the_checkout_and_commands_that_exist(unit):
    lines = _exec_lines(DEPLOY / unit)
    assert lines
    for line in lines:
        program = shlex.split(line)[0]
        if program.startswith("/srv/forpost/"):
            # The unit's checkout is /srv/forpost; in this checkout the same path must exist.
            relative = program.removeprefix("/srv/forpost/")
            assert (ROOT / relative).exists(), f"{unit}: {relative} is not in the checkout"
        else:
            assert Path(program).name in {"kill"}, program
        for command in _manage_commands(line):
            assert command in get_commands(), f"{unit}: manage.py {command} does not exist"
    assert "forpost.wsgi" in " ".join(lines) or "db_worker" in " ".join(lines)


def test_the_cron_table_and_the_docs_name_only_commands_that_exist():
    names = _manage_commands((DEPLOY / "forpost.cron").read_text()) + re.findall(
        r"\$FORPOST ([a-z_]+)", (DEPLOY / "forpost.cron").read_text()
    )
    names += _manage_commands((ROOT / "docs" / "deploy.md").read_text())
    assert {"retention", "purge_audit", "backup", "verify_counts", "yearwheel_reminders"} <= set(names)
    missing = sorted({n for n in names if n not in get_commands()})
    assert not missing, missing


def test_the_wsgi_module_and_the_env_example_fit_the_settings():
    assert (ROOT / "forpost" / "wsgi.py").exists()
    settings_text = (ROOT / "forpost" / "settings.py").read_text()
    for line in (DEPLOY / "forpost.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert f'"{name}"' in settings_text, f"{name} is not read by forpost/settings.py"
