"""The demo framework. Each app may add `forpost/<app>/demo.py` with::

    ORDER = 30                       # runs after lower numbers
    def build(ctx: DemoContext) -> None: ...

`build` must be idempotent (get_or_create on natural keys) and use only ctx.rng for chance,
so that the same seed always gives the same municipality.

With `scale` set (`manage.py demo --scale N`) the apps build a benchmark database instead:
N inquiries over the ten calendar years `scale_years`, and with `centres` (`--centres K`)
K centres in all (the six demo centres and K − 6 benchmark centres).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from django.apps import apps

DEMO_PASSWORD = "forpost-demo"  # noqa: S105 - printed for the demo logins on purpose
SCALE_YEARS = 10


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    scale: int | None = None
    centres: int | None = None
    out: Any = None
    logins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def scale_years(self) -> range:
        """The calendar years a scale build covers: ten, the last being this year so far."""
        return range(self.today.year - SCALE_YEARS + 1, self.today.year + 1)

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)


def demo_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("forpost."):
            continue
        try:
            modules.append(import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
    return sorted((m for m in modules if hasattr(m, "build")), key=lambda m: getattr(m, "ORDER", 100))


def build_demo(ctx: DemoContext) -> None:
    for module in demo_modules():
        module.build(ctx)
