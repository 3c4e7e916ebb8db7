from django.contrib import admin
from django.urls import include, path

from forpost.accounts import mfa_views
from forpost.core import observability
from forpost.core import views as core_views

admin.site.site_header = "Forpost"
admin.site.site_title = "Forpost"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", observability.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("app/", include("forpost.core.urls")),
    path("app/", include("forpost.accounts.urls")),
    path("app/mfa/passkey/", include((mfa_views.webauthn_urlpatterns, "otp_webauthn"))),
    path("app/centres/", include("forpost.centres.urls")),
    path("app/registrations/", include("forpost.registrations.urls")),
    path("app/collaboration/", include("forpost.collaboration.urls")),
    path("app/concepts/", include("forpost.concepts.urls")),
    path("app/reports/", include("forpost.reports.urls")),
    path("app/data/", include("forpost.imports.urls")),
    path("app/feedback/", include("forpost.public.feedback_staff_urls")),
    path("api/v1/", include("forpost.api.urls")),
    path("lokaler/", include("forpost.collaboration.public_urls")),
    # The public pages for citizens (no login) own the root of the site.
    path("", include("forpost.public.urls")),
    # The families' feedback card (issue 19): after the public pages, whose converter it uses.
    path("", include("forpost.public.feedback_urls")),
]

# MEDIA_ROOT is never served as static files, in development neither: generated files and
# uploads hold registrations, so they leave only through a view that checks the login and
# the scope and writes the audit trail (reports:job_download; see forpost/core/files.py).
