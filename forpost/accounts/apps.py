from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "forpost.accounts"
    label = "accounts"
    verbose_name = _("Users and audit")


class ForpostAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Forpost's site: access by Forpost's roles, every change audited."""

    default = False
    default_site = "forpost.accounts.admin_site.ForpostAdminSite"
