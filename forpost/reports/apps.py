from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "forpost.reports"
    label = "reports"
    verbose_name = _("Reports and exports")

    def ready(self) -> None:
        from .signals import score_norm_changed

        post_save.connect(score_norm_changed, sender="registrations.ScoreNorm", dispatch_uid="reports.score_norm")
