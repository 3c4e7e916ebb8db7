"""The desk POST in-process: `python -m benchmarks.desk_queries USERNAME` with the
benchmark's environment prints {"queries": N, "server_ms_p50": M, ...}.

Through Django's whole request cycle (middleware, session, CSRF, form, service, audit,
redirect) but without an HTTP server, one POST at a time: what one registration costs the
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

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.run import CREATE_PATH, desk_fields  # noqa: E402
from forpost.accounts.models import User  # noqa: E402


def _form(client: Client) -> dict[str, list[str]]:
    form = client.get(CREATE_PATH)
    data: dict[str, list[str]] = {}
    for name, value in desk_fields(form.content.decode()):
        data.setdefault(name, []).append(value)
    return data


def main(username: str) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username), backend="forpost.accounts.backends.ModelBackend")
    posts = int(os.environ.get("BENCH_DESK_POSTS", "30"))
    client.post(CREATE_PATH, _form(client))  # warm: imports, templates, the reference lists
    times = []
    for _ in range(posts):
        data = _form(client)
        started = time.perf_counter()
        response = client.post(CREATE_PATH, data)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"the desk POST answered {response.status_code}")
    counts = []
    for _ in range(5):
        data = _form(client)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(CREATE_PATH, data)
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
