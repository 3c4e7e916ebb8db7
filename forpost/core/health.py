"""What /healthz checks besides the database: the static files and the background worker."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.utils import timezone

from .models import WorkerHeartbeat

# A worker polls every few seconds; this long without a poll means none is running.
WORKER_SILENCE = timedelta(minutes=5)
HEARTBEAT_ROW = 1


def record_heartbeat(*, worker_id: str) -> None:
    """Note that a worker polled now (one row, whichever worker polled last)."""
    WorkerHeartbeat.objects.update_or_create(
        pk=HEARTBEAT_ROW, defaults={"beat_at": timezone.now(), "worker_id": worker_id[:64]}
    )


def static_ok() -> bool:
    """With the manifest storage (production), pages fail without collectstatic's manifest."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return True
    return bool(staticfiles_storage.exists(staticfiles_storage.manifest_name))


def needs_worker() -> bool:
    """Only the database backend leaves tasks to a worker (the immediate one runs them inline)."""
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db.")


def worker_ok() -> bool:
    if not needs_worker():
        return True
    since = timezone.now() - WORKER_SILENCE
    return WorkerHeartbeat.objects.filter(beat_at__gte=since).exists()
