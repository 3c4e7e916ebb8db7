from django.apps import AppConfig


class CoreConfig(AppConfig):
    default = True
    name = "forpost.core"
    label = "core"

    def ready(self) -> None:
        from . import dataversion, generation

        dataversion.connect()
        generation.connect()
