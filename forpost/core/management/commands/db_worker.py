"""django-tasks-db's `db_worker`, noting each poll in the database for /healthz and running
the chores listed in `settings.WORKER_CHORES` (dotted paths, e.g. folding the status's
counts) at the same pace.

The package's worker has no hook for "I polled"; its loop reads `running` at the top of every
poll, so a worker whose `running` notes a heartbeat (at most every BEAT_EVERY seconds) says
exactly what /healthz needs: some worker took a look at the queue lately. forpost.core comes
before django_tasks_db in INSTALLED_APPS, so this command replaces the package's.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils.module_loading import import_string
from django_tasks_db.management.commands import db_worker as upstream

from forpost.core.health import record_heartbeat

logger = logging.getLogger(__name__)
BEAT_EVERY = 30.0


def run_chores() -> None:
    """Each chore of settings.WORKER_CHORES once; one that fails is logged and tried next time."""
    for path in getattr(settings, "WORKER_CHORES", ()):
        try:
            import_string(path)()
        except DatabaseError:
            logger.warning("The worker's chore %s failed; it runs again next time.", path, exc_info=True)


class HeartbeatWorker(upstream.Worker):
    _running = True
    _last_beat = float("-inf")

    @property
    def running(self) -> bool:
        if self._running and time.monotonic() - self._last_beat >= BEAT_EVERY:
            self._last_beat = time.monotonic()
            try:
                record_heartbeat(worker_id=self.worker_id)
            except DatabaseError:
                # The poll itself will meet the same database; the worker's own handling decides.
                logger.warning("Could not record the worker's heartbeat.", exc_info=True)
            run_chores()
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value


class Command(upstream.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        # The package's command builds its worker by this module-level name.
        upstream.Worker = HeartbeatWorker  # type: ignore[misc]
        super().handle(*args, **options)
