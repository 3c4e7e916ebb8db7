from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConceptsConfig(AppConfig):
    name = "forpost.concepts"
    label = "concepts"
    verbose_name = _("Concepts")

    def ready(self) -> None:
        # Registers the system check that validates the concept files (data/*.yaml).
        from . import checks  # noqa: F401
