"""Issue 12, "Small counts in clear": the scorecard and the theory of change printed "3
henvendelser … blev ikke talt med" and referral counts of 1-4 in the same document that hides
those cells. The centre's whole document (JSON, as the API and the workbook have it) is read here,
not a helper: the sentence is there, with its small number hidden."""

import json
import re

from django.utils import translation

from forpost.centres.models import Centre
from forpost.registrations.testing import ensure_reference_data
from forpost.reports.models import InquiryFact
from forpost.reports.render import as_json
from forpost.reports.status import build_status

LEFT_OUT = re.compile(r"([^\s\"]+) inquiries where it was not known were left out")


def _facts(cast, year):  # type: ignore[no-untyped-def]
    ensure_reference_data()
    rows = {
        cast.norrebro: {("total", ""): 40, ("has_case", "yes"): 20, ("has_case", "no"): 17, ("has_case", "unknown"): 3},
        cast.valby: {("total", ""): 30, ("has_case", "yes"): 10, ("has_case", "no"): 20},
    }
    for centre, counts in rows.items():
        for (dimension, value), n in counts.items():
            InquiryFact.objects.create(centre=centre, year=year, dimension=dimension, value=value, count=n)


def _document(suppress: bool) -> str:
    """Nørrebro's status: as its own staff see it, or suppressed as it leaves the centre."""
    with translation.override("en"):
        status = build_status(
            year=2025, centres=[Centre.objects.get(slug="norrebro")], city_wide=False, suppress=suppress, title="S"
        )
        return json.dumps(as_json(status), ensure_ascii=False)


def test_the_centres_published_document_prints_no_small_count_of_left_out_inquiries(cast):
    _facts(cast, 2025)
    plain = LEFT_OUT.findall(_document(suppress=False))
    assert "3" in plain, plain  # the sentence is in the document: unsuppressed, it says 3
    published = LEFT_OUT.findall(_document(suppress=True))
    assert published, "the sentence is still there"
    assert "3" not in published and all(n == "<5" or int(n) >= 5 for n in published), published
