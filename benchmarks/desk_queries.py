"""The desk POST's query count, in-process: `python -m benchmarks.desk_queries USERNAME` with the
benchmark's environment prints {"queries": N, "counts": [...]} (the median of five POSTs after
a first one that fills the per-process caches)."""

from __future__ import annotations

import json
import os
import statistics
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.run import CREATE_PATH, desk_fields  # noqa: E402
from forpost.accounts.models import User  # noqa: E402


def main(username: str) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    counts = []
    for _ in range(6):
        form = client.get(CREATE_PATH)
        data: dict[str, list[str]] = {}
        for name, value in desk_fields(form.content.decode()):
            data.setdefault(name, []).append(value)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(CREATE_PATH, data)
        if response.status_code != 302:
            raise SystemExit(f"the desk POST answered {response.status_code}")
        counts.append(len(queries))
    print(json.dumps({"queries": int(statistics.median(counts[1:])), "counts": counts}))


if __name__ == "__main__":
    main(sys.argv[1])
