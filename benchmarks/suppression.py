"""The disclosure pass at 1,000 centres: `python -m benchmarks.suppression` (run by benchmarks/run.py).

Builds a fresh SQLite database (benchmarks/suppression.sqlite3) with BENCH_SUPPRESSION_CENTRES
centres (default 1,000) and the kept counts of four years for each (a few hundred inquiries a
centre and year, drawn with a fixed seed so that small cells are common, as at a small
centre), then times the whole pass for one year (forpost.reports.disclosure.year_plan): the
linked counts of the city and every centre, primary suppression, and the LP-verified secondary
suppression. It is what the background job that makes the files, and the first status page
after a write, compute; later pages read it back for the same data version. Prints one JSON
object.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DB = HERE / "suppression.sqlite3"


def build(centres: int, year: int) -> None:
    from django.core.management import call_command

    from forpost.centres.models import Centre
    from forpost.centres.testing import make_centre, make_district, make_family_unit
    from forpost.registrations.testing import ensure_reference_data
    from forpost.reports.models import InquiryFact

    call_command("migrate", verbosity=0)
    ensure_reference_data()
    rng = random.Random(2010)
    district = make_district("Bench")
    unit = make_family_unit("Bench unit", municipality=district.municipality)
    existing = Centre.objects.count()
    for i in range(existing, centres):
        make_centre(f"Bench {i}", code=f"B{i:04d}", slug=f"bench-{i}", district=district, family_unit=unit)
    dims = {
        "month": [str(m) for m in range(1, 13)],
        "weekday": [str(d) for d in range(1, 8)],
        "channel": ["1", "2", "3", "4", "5", "6"],
        "contact": ["mother", "father", "both", "professional", "other"],
        "family": ["nuclear", "single", "separated", "step", "other", "not_stated"],
        "has_case": ["yes", "no", "dont_know"],
        "origin": ["danish", "western", "non_western", "not_stated"],
    }
    rows = []
    for centre in Centre.objects.values_list("pk", flat=True):
        for y in range(year - 3, year + 1):
            n = rng.randint(20, 400)
            rows.append(InquiryFact(centre_id=centre, year=y, dimension="total", value="", count=n))
            for dimension, options in dims.items():
                if y != year and dimension != "channel":
                    continue
                weights = [rng.random() ** 3 for _ in options]
                counts = dict.fromkeys(options, 0)
                for pick in rng.choices(options, weights=weights, k=n):
                    counts[pick] += 1
                rows += [
                    InquiryFact(centre_id=centre, year=y, dimension=dimension, value=v, count=c)
                    for v, c in counts.items()
                    if c
                ]
    InquiryFact.objects.all().delete()
    InquiryFact.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    centres = int(os.environ.get("BENCH_SUPPRESSION_CENTRES", "1000"))
    year = int(os.environ.get("BENCH_STATUS_YEAR", str(time.localtime().tm_year - 1)))
    os.environ["SQLITE_PATH"] = str(DB)
    os.environ.setdefault("DEBUG", "0")  # as the other benchmarks run (benchmarks/run.py)
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from forpost.centres.models import Centre
    from forpost.core.disclosure import intervals
    from forpost.reports.disclosure import linked_counts, year_plan

    call_command("migrate", verbosity=0)
    if Centre.objects.count() != centres:
        build(centres, year)
    started, cpu = time.perf_counter(), time.process_time()
    plan = year_plan(year, threshold=5)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    values, equations = linked_counts(year)
    primary = sum(1 for k in plan.kinds.values() if k == "primary")
    result = {
        "name": "suppression_pass",
        "database": "sqlite",
        "rows": len(values),
        "centres": centres,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # the pass's own work, without waiting for a core
        "p50_ms": round(seconds * 1000),
        "requests": 1,
        "hidden": len(plan.kinds),
        "primary": primary,
        "secondary": len(plan.kinds) - primary,
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    if os.environ.get("BENCH_SUPPRESSION_VERIFY"):
        found = intervals(plan.kinds, values, equations, 5)  # type: ignore[arg-type]
        result["narrowest"] = min(((hi or float("inf")) - lo) for lo, hi in found.values())
    print(json.dumps(result), flush=True)


def run() -> dict[str, object]:
    """Run in its own process (its own database settings); the JSON it printed, or a row saying
    it did not finish within BENCH_SUPPRESSION_TIMEOUT seconds (default 1,800)."""
    centres = int(os.environ.get("BENCH_SUPPRESSION_CENTRES", "1000"))
    limit = int(os.environ.get("BENCH_SUPPRESSION_TIMEOUT", "1800"))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.suppression"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=limit,
        )
    except subprocess.TimeoutExpired:
        return {
            "name": "suppression_pass",
            "database": "sqlite",
            "centres": centres,
            "errors": f"not finished in {limit} s",
            "measured_at": time.strftime("%Y-%m-%d %H:%M"),
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
