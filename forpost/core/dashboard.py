"""Dashboard panels and menu items contributed by each app.

An app adds to the staff pages by defining, in `forpost/<app>/dashboard.py`:

- `panels(request) -> list[Panel]`: panels on the after-login dashboard;
- `nav(request) -> list[NavItem]`: entries in the main menu.

Both return only what the user may see. The core knows no app by name, so a new
capability shows up without touching this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100


def _modules() -> list[Any]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("forpost.") or config.name == "forpost.core":
            continue
        try:
            found.append(import_module(f"{config.name}.dashboard"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.dashboard":
                raise
    return found


def panels_for(request: HttpRequest) -> list[Panel]:
    found = [p for m in _modules() if hasattr(m, "panels") for p in m.panels(request)]
    return sorted(found, key=lambda p: p.order)


def nav_for(request: HttpRequest) -> list[NavItem]:
    found = [i for m in _modules() if hasattr(m, "nav") for i in m.nav(request)]
    return sorted(found, key=lambda i: i.order)
