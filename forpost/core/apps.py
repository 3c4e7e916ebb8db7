from django.apps import AppConfig


class CoreConfig(AppConfig):
    default = True
    name = "forpost.core"
    label = "core"
