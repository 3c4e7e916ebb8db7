from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import health
from .dashboard import panels_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when this server can serve: the database answers, the static manifest is there
    (production), and a background worker polled in the last five minutes; else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks = {"database": True, "static": health.static_ok(), "worker": health.worker_ok()}
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    healthy = all(checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
