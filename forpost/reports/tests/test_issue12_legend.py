"""Issue 12, "False labels": no label may be false. A small count whose "<5" would be pinned by
the marks around it is printed "×" (test_disclosure_everywhere), so the legend may not say that
"×" holds a count of the threshold or more: on the page and in the PDF it must say what the
workbook and the JSON say, a count of 1 or more."""

import pytest
from django.urls import reverse
from django.utils import translation

from forpost.centres.models import Centre
from forpost.reports.render import as_json, legend, render_html
from forpost.reports.status import build_status


def _status():
    return build_status(
        year=2025, centres=list(Centre.objects.all()), city_wide=True, suppress=True, title="Status", for_file=True
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_page_legend_says_what_the_json_legend_says(cast, client_for, language):
    with translation.override(language):
        meaning = next(item["meaning"] for item in legend(5) if item["kind"] == "secondary")
        page = (
            client_for(cast.erin)
            .get(reverse("reports:centre", args=["norrebro"]), {"year": "2025"}, HTTP_ACCEPT_LANGUAGE=language)
            .content.decode()
        )
    assert 'class="fp-small fp-legend"' in page
    assert meaning in page
    assert "5 or more" not in page and "5 eller derover" not in page and "på 5 eller" not in page


def test_the_pdf_legend_says_what_the_json_legend_says(cast):
    with translation.override("en"):
        status = _status()
        meaning = next(item["meaning"] for item in as_json(status)["legend"] if item["kind"] == "secondary")
        html = render_html(status)
    assert "1 or more" in meaning
    assert meaning in html
    assert "(a count of 5 or more)" not in html
