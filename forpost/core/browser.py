"""Real-browser testing: Playwright driving Debian's chromium, with axe-core.

Fixtures (in the root conftest.py): `browser_page` — a fresh page in a new context.
Helpers: `assert_accessible(page)` runs axe-core for WCAG 2.1 A and AA and fails on any
violation; `browser_login(page, live_server, user)` logs a user in through the login form.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent.parent
AXE_SOURCE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """Debian's chromium only: a browser downloaded by a test tool is never used."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # evaluate() runs through the DevTools protocol, so the page's CSP (no inline script)
    # does not block axe, and the CSP stays fully in force for the page's own code.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await window.axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return list(result["violations"])


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    if violations:
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ]
        raise AssertionError(
            f"axe-core found WCAG 2.1 A/AA violations on {page.url}:\n" + json.dumps(summary, indent=1)
        )
    csp_errors = [m for m in getattr(page, "_forpost_console", []) if "Content Security Policy" in m]
    assert not csp_errors, f"CSP violations on {page.url}: {csp_errors}"


def browser_login(page: Any, live_server: Any, user: Any, password: str | None = None) -> None:
    from forpost.core.testing import PASSWORD

    page.goto(f"{live_server.url}/app/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password or PASSWORD)
    page.click("#main-content button[type=submit]")
    page.wait_for_url(f"{live_server.url}/app/")
