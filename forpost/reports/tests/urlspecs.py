from forpost.accounts.scoping import CITY_READERS, MANAGE
from forpost.accounts.testing import url_spec


def _job_of_alice(cast):  # type: ignore[no-untyped-def]
    from forpost.reports.models import Job, JobStatus

    job = Job.objects.create(kind="test", title="Eksport", created_by=cast.alice, status=JobStatus.RUNNING)
    return {"pk": job.pk}


def _finished_job_of_alice(cast):  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from forpost.reports.models import Job, JobStatus

    job = Job(kind="test", title="Eksport", created_by=cast.alice, status=JobStatus.DONE, filename="x.csv")
    job.file.save("x.csv", ContentFile(b"a;b\n"), save=False)
    job.save()
    return {"pk": job.pk}


# A job belongs to the person who started it: everyone else gets 404.
url_spec("reports:job", kwargs=_job_of_alice, owner="alice")
url_spec("reports:job_download", kwargs=_finished_job_of_alice, owner="alice")

url_spec("reports:city", roles=CITY_READERS)
url_spec("reports:city_export", roles=CITY_READERS, method="POST", ok_statuses=(302,))
url_spec("reports:centre", kwargs=lambda cast: {"slug": cast.norrebro.slug}, centre_bound=True)
url_spec(
    "reports:centre_export",
    kwargs=lambda cast: {"slug": cast.norrebro.slug},
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
)
url_spec(
    "reports:status_text",
    roles=MANAGE,
    kwargs=lambda cast: {"slug": cast.norrebro.slug},
    centre_bound=True,
)
