from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConceptsConfig(AppConfig):
    name = "forpost.concepts"
    label = "concepts"
    verbose_name = _("Concepts")

    def ready(self) -> None:
        # Registers the system check that validates the concept files (data/*.yaml).
        from django.core.signals import request_started

        from . import checks  # noqa: F401
        from .loader import forget_stored

        # The stored concept texts are listed again in every request: another app server may
        # have adopted one since.
        request_started.connect(forget_stored, dispatch_uid="concepts-forget-stored")
