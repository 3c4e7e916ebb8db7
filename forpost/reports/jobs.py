"""The kinds of background job, listed in one place: `settings.JOB_KINDS` maps each kind to
the dotted path of its function::

    JOB_KINDS = {"imports.export_inquiries": "forpost.imports.jobs.export_job", ...}

The function reads `job.params` and `job.created_by` (apply the user's scope!), calls
`progress(done, total)` now and then, and returns the file to store. The list is read
where a job is started or run, never filled by importing a module, so a worker that has
loaded nothing else (`db_worker --skip-checks`) knows every kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import Job

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class JobOutput:
    filename: str
    content_type: str
    content: bytes
    rows: int | None = None
    # The date of the oldest registration whose note or goals the file holds, if any.
    notes_from: date | None = None


JobFunction = Callable[["Job", Progress], JobOutput]


def is_job_kind(kind: str) -> bool:
    return kind in settings.JOB_KINDS


def job_function(kind: str) -> JobFunction:
    """The function of a kind of job (KeyError for a kind that is not listed)."""
    function: JobFunction = import_string(settings.JOB_KINDS[kind])
    return function
