from django_tasks import task

from . import services


@task()
def run_job(job_id: str) -> None:
    from forpost.concepts.loader import forget_stored

    forget_stored()  # a concept text adopted since the last job (on any server) is read
    services.run(job_id)
