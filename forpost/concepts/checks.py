"""A system check: every concept file must pass the schema, or `manage.py check` (and the
server, and the test suite) stops with the precise problems."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from .loader import DATA_DIR, check_directory


@register()
def concept_files(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    _versions, problems = check_directory(DATA_DIR)
    return [
        Error(problem, hint="See forpost/concepts/SCHEMA.md.", obj="forpost.concepts", id="concepts.E001")
        for problem in problems
    ]
