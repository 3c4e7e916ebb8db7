"""The desk POST in-process: `python -m benchmarks.desk_queries USERNAME` with the
benchmark's environment prints {"queries": N, "server_ms_p50": M, ...}.

Through Django's whole request cycle (middleware, session, CSRF, form, service, audit,
redirect) but without an HTTP server, one POST at a time, sent as the browser sends it
(application/x-www-form-urlencoded, as the open-loop benchmark does): what one registration costs the
server. A first POST fills the process's copies of the reference lists (as a server's first
request does); then BENCH_DESK_POSTS (30) POSTs, each after its form's GET, are timed, and
five of them are run again with their queries counted (the count is the median of those).
Queries include the BEGIN and COMMIT of the registration's transaction."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.run import CREATE_PATH, desk_fields  # noqa: E402
from forpost.accounts.models import User  # noqa: E402


def _form(client: Client) -> str:
    """The desk form's fields, encoded as a browser sends the form (it has no file field)."""
    form = client.get(CREATE_PATH)
    return urlencode(desk_fields(form.content.decode()))


def _post(client: Client, data: str) -> Any:
    return client.post(CREATE_PATH, data, content_type="application/x-www-form-urlencoded")


def main(username: str) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username), backend="forpost.accounts.backends.ModelBackend")
    posts = int(os.environ.get("BENCH_DESK_POSTS", "30"))
    _post(client, _form(client))  # warm: imports, templates, the reference lists
    times = []
    for _ in range(posts):
        data = _form(client)
        started = time.perf_counter()
        response = _post(client, data)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"the desk POST answered {response.status_code}")
    counts = []
    for _ in range(5):
        data = _form(client)
        with CaptureQueriesContext(connection) as queries:
            response = _post(client, data)
        if response.status_code != 302:
            raise SystemExit(f"the desk POST answered {response.status_code}")
        counts.append(len(queries))
    print(
        json.dumps(
            {
                "queries": int(statistics.median(counts)),
                "counts": counts,
                "posts": posts,
                "server_ms_p50": round(statistics.median(times), 1),
                "server_ms_p95": round(sorted(times)[int(0.95 * (len(times) - 1))], 1),
                "sql": [q["sql"][:60] for q in queries.captured_queries],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
