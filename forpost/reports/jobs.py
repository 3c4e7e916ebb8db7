"""The kinds of background job. An app registers a kind with::

    @job_kind("registrations.export")
    def export_registrations(job: Job, progress: Progress) -> JobOutput: ...

The function reads `job.params` and `job.created_by` (apply the user's scope!), calls
`progress(done, total)` now and then, and returns the file to store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class JobOutput:
    filename: str
    content_type: str
    content: bytes
    rows: int | None = None


JobFunction = Callable[["Job", Progress], JobOutput]
JOB_KINDS: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    def register(function: JobFunction) -> JobFunction:
        JOB_KINDS[name] = function
        return function

    return register
