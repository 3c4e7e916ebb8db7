"""Dashboard panels contributed by each app.

An app adds panels to the after-login dashboard by defining `forpost.<app>.dashboard.panels`:
a function of the request that returns Panels the user may see. The core dashboard knows
no app by name, so a new capability shows up without touching this file.
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


def panels_for(request: HttpRequest) -> list[Panel]:
    found: list[Panel] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("forpost.") or config.name == "forpost.core":
            continue
        try:
            module = import_module(f"{config.name}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.dashboard":
                raise
            continue
        found.extend(module.panels(request))
    return sorted(found, key=lambda p: p.order)
