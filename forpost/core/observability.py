"""What the municipality's operations and security teams read: structured request logs and
Prometheus metrics.

Every request leaves one JSON log line with its request id, the user's id, the method, the
route (the URL pattern, never the query string or anything typed), the status and the
duration. Nothing else of the request is logged: no free text, no personal data.

Metrics (`/metrics`, behind METRICS_TOKEN): requests and their latency by route, method and
status; the age of the oldest queued background job and the failed logins of the last day,
both read from the database when scraped (several app servers share it). With gunicorn's
several workers, set PROMETHEUS_MULTIPROC_DIR to a shared, emptied-at-start directory so that
the counters of every worker are summed (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("forpost.request")

# A request id from the proxy is kept when it is a plain token; anything else is replaced.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

REQUESTS = Counter("forpost_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "forpost_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class NoRequestDetails(logging.Filter):
    """Django attaches the request to its own error records ("Internal Server Error: /path");
    its repr holds the query string, which may hold what a user searched for. The record keeps
    its message (the path alone) and loses the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


def _route(request: HttpRequest) -> str:
    """The URL pattern that answered ("reports:centre"), so that ids and slugs do not make a
    metric or a log line per object. Unmatched paths share one name."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unmatched"


class RequestLogMiddleware:
    """One structured line per request, and the request metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - started
        route = _route(request)
        user = getattr(request, "user", None)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(duration)
        response["X-Request-ID"] = request_id
        log.info(
            "request",
            extra={
                "request_id": request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
            },
        )
        return response


class DatabaseCollector(Collector):
    """Gauges read from the shared database at scrape time."""

    def collect(self) -> Any:
        from axes.models import AccessFailureLog
        from django_tasks_db.models import DBTaskResult

        oldest = (
            DBTaskResult.objects.filter(status="READY").order_by("enqueued_at").values_list("enqueued_at", flat=True)
        ).first()
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        queue = GaugeMetricFamily("forpost_job_queue_age_seconds", "Age of the oldest background job waiting to run")
        queue.add_metric([], age)
        yield queue
        failed = AccessFailureLog.objects.filter(attempt_time__gte=timezone.now() - timedelta(days=1)).count()
        logins = GaugeMetricFamily("forpost_failed_logins_24h", "Failed logins in the last 24 hours")
        logins.add_metric([], failed)
        yield logins


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(DatabaseCollector())
    return registry


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's scrape target. Without METRICS_TOKEN set it does not exist (404); a wrong or
    missing `Authorization: Bearer …` gets 401."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def init_sentry(dsn: str, environment: str) -> None:
    """Error reports to Sentry (or a compatible service), without personal data: no user,
    no request body, no cookies, no query strings, no local variables."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    def scrub(event: dict[str, Any], _hint: Any) -> dict[str, Any]:
        request = event.get("request") or {}
        for key in ("data", "cookies", "query_string", "headers", "env"):
            request.pop(key, None)
        event.pop("user", None)
        return event

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,  # type: ignore[arg-type]
    )
