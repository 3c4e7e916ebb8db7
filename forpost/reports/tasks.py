from django_tasks import task

from . import services


@task()
def run_job(job_id: str) -> None:
    services.run(job_id)


@task()
def rebuild_counts() -> None:
    """Recount the status's counts from the registrations (after a change of reference data
    that the counts were computed with, such as a score norm's cut-off)."""
    from .facts import rebuild

    rebuild()
