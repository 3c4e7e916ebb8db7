from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "forpost.core"
    label = "core"

    def ready(self) -> None:
        from . import dataversion

        dataversion.connect()


class ForpostAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "forpost.core.admin.ForpostAdminSite"
