"""`make bench`: Forpost's benchmarks on SQLite and PostgreSQL.

inquiry_create — a counsellor's inquiry created through the full request cycle (gunicorn,
middleware, session, CSRF, form, service, audit row, redirect) by 20 concurrent users, on
a database built with `manage.py demo --scale N --centres K`.
annual_status_city/_pdf/_xlsx — the city's annual status (see benchmarks/status.py).
suppression_pass — the LP-verified disclosure pass over everything published for a year, at
BENCH_SUPPRESSION_CENTRES centres (1,000; see benchmarks/suppression.py); p50 ms is its one run.
public_centre_page — a citizen's page of one centre (hours, closures, groups, structured
data), in Danish and in Arabic, fetched one after another from gunicorn; no login, no cache.

The "bench" databases (benchmarks/bench.sqlite3 and BENCH_PG_URL) hold BENCH_ROWS inquiries
over ten years at BENCH_CENTRES centres. With BENCH_NATIONAL=1 a "national" PostgreSQL
database (BENCH_NATIONAL_URL) of BENCH_NATIONAL_ROWS inquiries at BENCH_NATIONAL_CENTRES
centres is built too, and only the annual status is measured on it.

A database is rebuilt from empty (dropped, migrated, `demo --scale`, `rebuild_facts`) when
its centres differ from those asked for or its inquiries are fewer, or more than 1 % more
(the inquiry benchmark adds about a thousand a run); BENCH_REBUILD=1 rebuilds it anyway and BENCH_RECOUNT=1 recounts the status's counts (done after every build).

Environment: BENCH_ROWS (default 1,000,000), BENCH_CENTRES (10), BENCH_USERS (20),
BENCH_REQUESTS (per user, 50), BENCH_DATABASES ("sqlite,postgres"),
BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/forpost_bench), BENCH_REBUILD=1,
BENCH_NATIONAL=1, BENCH_NATIONAL_ROWS (10,000,000), BENCH_NATIONAL_CENTRES (1,000),
BENCH_NATIONAL_URL (postgres://postgres@127.0.0.1:5432/forpost_national).
Results: benchmarks/results.json (one object per benchmark, database and row count) and the
table in benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.http import Client, percentile, read_form

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
PY = str(ROOT / ".venv" / "bin" / "python")
RESULTS = HERE / "results.json"


PG_URL = "postgres://postgres@127.0.0.1:5432/forpost_bench"
NATIONAL_URL = "postgres://postgres@127.0.0.1:5432/forpost_national"


def env_for(database: str, url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECURE="0",
        PLAIN_STATIC="1",
        SECRET_KEY="bench-secret-key-not-for-production",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        AXES_FAILURE_LIMIT="1000",
        LOG_LEVEL="WARNING",
        # The benchmarks measure the status and the desk, not the login: the benchmark users
        # sign in with a password alone (production asks administrators and central staff
        # for a second factor, forpost.accounts.mfa).
        MFA_REQUIRED_ROLES="",
    )
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        env["DATABASE_URL"] = url or os.environ.get("BENCH_PG_URL", PG_URL)
    else:
        env["SQLITE_PATH"] = str(HERE / "bench.sqlite3")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


def _admin_url(url: str) -> tuple[str, str]:
    return url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"


def ensure_postgres_database(url: str, *, fresh: bool = False) -> bool:
    """Create the database if it is missing; with `fresh`, drop it first."""
    import psycopg

    name, admin_url = _admin_url(url)
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL unreachable, skipping it: {exc}")
        return False
    return True


def count_built(env: dict[str, str]) -> tuple[int, int]:
    """(inquiries, centres) in the database."""
    out = manage(
        env,
        "shell",
        "-c",
        "from forpost.registrations.models import Inquiry; from forpost.centres.models import Centre; "
        "print(Inquiry.objects.count(), Centre.objects.count())",
    )
    inquiries, centres = out.strip().splitlines()[-1].split()
    return int(inquiries), int(centres)


def database_size(database: str, env: dict[str, str]) -> int:
    """Bytes on disk: the SQLite file with its journal, or PostgreSQL's pg_database_size."""
    if database == "sqlite":
        path = Path(env["SQLITE_PATH"])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def _reset(database: str, env: dict[str, str]) -> None:
    """An empty database to build in."""
    if database == "postgres":
        ensure_postgres_database(env["DATABASE_URL"], fresh=True)
    else:
        path = Path(env["SQLITE_PATH"])
        for old in path.parent.glob(path.name + "*"):
            old.unlink()


def _settle(database: str, env: dict[str, str]) -> None:
    """After a bulk load: PostgreSQL's visibility map and statistics made now rather than by
    the first measurements; SQLite's write-ahead log folded into the file and emptied."""
    if database == "postgres":
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    else:
        import sqlite3

        with sqlite3.connect(env["SQLITE_PATH"]) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def prepare(database: str, rows: int, centres: int, *, url: str | None = None, label: str = "") -> dict[str, str]:
    """Make sure the database holds `rows` inquiries at `centres` centres, rebuilding it from
    empty if not; recount the status's counts. Prints what it did and how long it took."""
    env = env_for(database, url)
    name = label or database
    if database == "postgres" and not ensure_postgres_database(env["DATABASE_URL"]):
        raise LookupError("postgres")
    manage(env, "migrate", "--no-input", "-v", "0")
    have, have_centres = count_built(env)
    if not (rows <= have <= rows * 1.01) or have_centres != centres or os.environ.get("BENCH_REBUILD"):
        print(
            f"[{name}] building {rows:,} inquiries at {centres:,} centres (had {have:,} at {have_centres:,}) …",
            flush=True,
        )
        _reset(database, env)
        manage(env, "migrate", "--no-input", "-v", "0")
        started = time.perf_counter()
        out = manage(env, "demo", "--scale", str(rows), "--centres", str(centres))
        print(
            "".join(f"[{name}]   {line}\n" for line in out.splitlines() if line and not line.startswith("  ")), end=""
        )
        print(f"[{name}] demo built in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        _settle(database, env)
        print(f"[{name}] settled (VACUUM ANALYZE or WAL checkpoint) in {time.perf_counter() - started:.0f} s")
        built = True
    else:
        manage(env, "demo", "--if-empty")
        built = False
    # The scale demo bulk-loads, bypassing the services that keep the status's counts; the
    # benchmark's own inquiries go through the services, which keep them.
    if built or os.environ.get("BENCH_RECOUNT"):
        started = time.perf_counter()
        manage(env, "rebuild_facts")
        print(f"[{name}] counts for the annual status rebuilt in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"[{name}] {database_size(database, env) / 2**30:.2f} GiB on disk", flush=True)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "forpost.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("BENCH_WORKERS", "4"),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


CREATE_PATH = "/app/registrations/inquiries/new/"


def login(client: Client, username: str, password: str) -> None:
    page = client.request("GET", "/app/login/")
    fields = dict(read_form(page.body))
    fields.update(username=username, password=password)
    response = client.request("POST", "/app/login/", list(fields.items()))
    if response.status != 302:
        raise RuntimeError(f"login failed for {username}: {response.status}")


def user_loop(port: int, username: str, requests: int, latencies: list[float], errors: list[str]) -> None:
    client = Client("127.0.0.1", port)
    try:
        login(client, username, "forpost-demo")
    except Exception as exc:
        errors.append(f"login: {exc}")
        return
    for _ in range(requests):
        try:
            form = client.request("GET", CREATE_PATH)
            # What a counsellor chooses at the desk: nothing about the family is preset.
            chosen = {"contact_person": "mother", "child_1_age": "3-5"}
            fields = [(name, chosen.pop(name, value)) for name, value in read_form(form.body)]
            fields += list(chosen.items())
            response = client.request("POST", CREATE_PATH, fields)
            if response.status in (301, 302, 303):
                latencies.append(response.elapsed_ms)
            else:
                errors.append(f"status {response.status}")
        except Exception as exc:
            errors.append(repr(exc))


def bench_inquiry_create(database: str, env: dict[str, str], rows: int, centres: int) -> dict[str, Any]:
    users = int(os.environ.get("BENCH_USERS", "20"))
    per_user = int(os.environ.get("BENCH_REQUESTS", "50"))
    # Counsellors for the load: created idempotently by the scale demo at each centre.
    usernames = [f"bench-{i:02d}" for i in range(users)]
    manage(env, "shell", "-c", BENCH_USERS_SNIPPET.format(names=usernames))
    port = free_port()
    server = serve(env, port)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        # Warm-up: each worker imports and connects before timing starts.
        warm: list[float] = []
        user_loop(port, usernames[0], 5, warm, [])
        threads = [
            threading.Thread(target=user_loop, args=(port, name, per_user, latencies, errors)) for name in usernames
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "name": "inquiry_create",
        "database": database,
        "rows": rows,
        "centres": centres,
        "users": users,
        "requests": len(latencies) + len(errors),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "errors": len(errors),
        "throughput_per_s": round(len(latencies) / wall, 1) if wall else None,
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    if errors:
        result["first_errors"] = sorted(set(errors))[:5]
    return result


BENCH_USERS_SNIPPET = """
from datetime import date
from forpost.accounts.models import User, Membership, Role
from forpost.centres.models import Centre
centres = list(Centre.objects.order_by('pk'))
for i, name in enumerate({names}):
    user, created = User.objects.get_or_create(username=name)
    if created:
        user.set_password('forpost-demo'); user.save()
    Membership.objects.get_or_create(user=user, role=Role.COUNSELLOR, centre=centres[i % len(centres)],
                                     defaults={{'valid_from': date(2010, 1, 1)}})
"""


PUBLIC_PATHS = ["/familieraadgivning/norrebro/", "/ar/familieraadgivning/norrebro/"]


def bench_public_centre_page(database: str, env: dict[str, str], rows: int, centres: int) -> dict[str, Any]:
    """The public centre page, sequentially (it is cheap, so a few hundred requests suffice);
    the page must stay within 50 ms."""
    requests = int(os.environ.get("BENCH_PUBLIC_REQUESTS", "200"))
    port = free_port()
    server = serve(env, port)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        client = Client("127.0.0.1", port)
        for path in PUBLIC_PATHS:  # warm-up: each worker imports, connects, loads templates
            for _ in range(8):
                client.request("GET", path)
        for n in range(requests):
            try:
                response = client.request("GET", PUBLIC_PATHS[n % len(PUBLIC_PATHS)])
                if response.status == 200:
                    latencies.append(response.elapsed_ms)
                else:
                    errors.append(f"status {response.status}")
            except Exception as exc:
                errors.append(repr(exc))
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "name": "public_centre_page",
        "database": database,
        "rows": rows,
        "centres": centres,
        "users": 1,
        "requests": len(latencies) + len(errors),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "errors": len(errors),
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    if errors:
        result["first_errors"] = sorted(set(errors))[:5]
    return result


def _key(result: dict[str, Any]) -> tuple[str, str, int]:
    """One result per benchmark, database and size, so the 1M and 10M rows both stay."""
    return result["name"], result["database"], result.get("rows", 0)


def save(results: list[dict[str, Any]]) -> None:
    existing: list[dict[str, Any]] = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    keys = {_key(r) for r in results}
    merged = [r for r in existing if _key(r) not in keys] + results
    RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    write_readme(merged)


def write_readme(results: list[dict[str, Any]]) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Made by `make bench` (see `benchmarks/run.py` for what each measures and its settings).",
        "Machine: 2 cores, 24 GiB. Times are milliseconds per request, measured at the client.",
        "",
        "| benchmark | database | rows | centres | users | requests | p50 ms | p95 ms | p99 ms | errors | req/s "
        "| peak RSS MB | × DuckDB | measured |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in sorted(results, key=_key):
        centres = f"{r['centres']:,}" if isinstance(r.get("centres"), int) else ""
        lines.append(
            f"| {r['name']} | {r['database']} | {r.get('rows', 0):,} | {centres} | {r.get('users', '')} "
            f"| {r.get('requests', '')} "
            f"| {r.get('p50_ms', '')} | {r.get('p95_ms', '')} | {r.get('p99_ms', '')} | {r.get('errors', '')} "
            f"| {r.get('throughput_per_s', '')} | {r.get('peak_rss_mb', '')} | {r.get('ratio_to_duckdb', '')} "
            f"| {r.get('measured_at', '')} |"
        )
    lines += [
        "",
        "Goals: `inquiry_create` p95 ≤ 25 ms with zero errors; `public_centre_page` p95 ≤ 50 ms with zero errors;",
        "`annual_status_city` (the city's status page,",
        "warm, as central staff, through Django's request cycle) ≤ 0.5 s at 1M rows and ≤ 1 s at 10M on",
        "PostgreSQL, faster than DuckDB computing the same counts from the raw rows (× DuckDB < 1).",
        "",
    ]
    (HERE / "README.md").write_text("\n".join(lines))


def bench_annual_status(database: str, env: dict[str, str], rows: int, centres: int) -> list[dict[str, Any]]:
    year = int(os.environ.get("BENCH_STATUS_YEAR", str(time.localtime().tm_year - 1)))
    done = subprocess.run(
        [PY, "-m", "benchmarks.status", str(year)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("benchmarks.status failed")
    m = json.loads(done.stdout.strip().splitlines()[-1])
    stamp = time.strftime("%Y-%m-%d %H:%M")
    base = {"database": database, "rows": rows, "centres": centres, "year": year, "measured_at": stamp}
    return [
        base
        | {
            "name": "annual_status_city",
            "p50_ms": m["p50_ms"],
            "p95_ms": m["p95_ms"],
            "peak_rss_mb": m["peak_rss_mb"],
            "duckdb_ms": m.get("duckdb_ms"),
            "ratio_to_duckdb": m.get("ratio_to_duckdb"),
            "centres": m["centres"],  # as the status counted them
        },
        base
        | {
            "name": "annual_status_pdf",
            "p50_ms": m["pdf_ms"],
            "bytes": m["pdf_bytes"],
            "peak_rss_mb": m.get("files_peak_rss_mb"),
        },
        base | {"name": "annual_status_xlsx", "p50_ms": m["xlsx_ms"], "bytes": m["xlsx_bytes"]},
    ]


def main() -> None:
    rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    centres = int(os.environ.get("BENCH_CENTRES", "10"))
    databases = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
    results = []
    for database in databases:
        try:
            env = prepare(database, rows, centres)
        except LookupError:
            continue
        for result in [
            bench_inquiry_create(database, env, rows, centres),
            *bench_annual_status(database, env, rows, centres),
            bench_public_centre_page(database, env, rows, centres),
        ]:
            print(json.dumps(result), flush=True)
            results.append(result)
    # The disclosure pass over a year of the city at 1,000 centres (benchmarks/suppression.py).
    from benchmarks import suppression

    result = suppression.run()
    print(json.dumps(result), flush=True)
    results.append(result)
    if os.environ.get("BENCH_NATIONAL"):
        rows = int(os.environ.get("BENCH_NATIONAL_ROWS", "10000000"))
        centres = int(os.environ.get("BENCH_NATIONAL_CENTRES", "1000"))
        url = os.environ.get("BENCH_NATIONAL_URL", NATIONAL_URL)
        try:
            env = prepare("postgres", rows, centres, url=url, label="national")
        except LookupError:
            env = {}
        for result in bench_annual_status("postgres", env, rows, centres) if env else []:
            print(json.dumps(result), flush=True)
            results.append(result)
    save(results)


if __name__ == "__main__":
    main()
