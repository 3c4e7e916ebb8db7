"""The catalogue of published metrics (forpost.core.metrics): every number the status
publishes carries one key, and across every document of the demo — the page, the JSON and the
workbook, for the city and each centre, over several years — one key never shows two values
and one label never stands for two keys."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date
from html.parser import HTMLParser
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from forpost.centres.models import Centre
from forpost.concepts.loader import concept_for_year
from forpost.core import metrics
from forpost.reports import render
from forpost.reports.queries import centre_status, city_status
from forpost.reports.render import as_json, render_xlsx
from forpost.reports.status import number

ROW = metrics.SAME_AS_COLUMN


def _shown(value: Any) -> str:
    """A value as a reader sees it, whichever document it comes from."""
    if isinstance(value, dict):  # a hidden cell in the JSON
        return value["display"]
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number(value)
    return re.sub(r"\s+", " ", str(value)).strip()


class Published:
    """Every (metric, whom it is about, breakdown) of one year with the values and labels seen."""

    def __init__(self) -> None:
        self.values: dict[tuple[Any, ...], set[str]] = defaultdict(set)
        self.where: dict[tuple[Any, ...], set[str]] = defaultdict(set)
        self.labels: dict[str, set[str]] = defaultdict(set)

    def value(self, doc: str, key: tuple[Any, ...], value: Any) -> None:
        shown = _shown(value)
        if shown == "":
            return  # an empty cell publishes nothing
        self.values[key].add(shown)
        self.where[key].add(f"{doc}={shown}")

    def label(self, label: str, metric: str) -> None:
        self.labels[label].add(metric)

    def contradictions(self) -> list[str]:
        return [f"{key}: {sorted(self.where[key])}" for key, seen in self.values.items() if len(seen) > 1]

    def ambiguous_labels(self) -> list[str]:
        return [f"{label!r}: {sorted(keys)}" for label, keys in self.labels.items() if len(keys) > 1]


def _from_json(found: Published, doc: str, data: dict[str, Any], scope: str, suppressed: bool) -> None:
    for section in data["sections"]:
        here = section["key"].removeprefix("centre-") if section["key"].startswith("centre-") else scope
        for f in section["facts"]:
            assert f["metric"] in metrics.BY_KEY, (doc, f)
            found.value(doc, (suppressed, f["metric"], here, "", ""), f["value"])
            found.label(f["label"], f["metric"])
        for table in section["tables"]:
            keyed = [m for m in table["metrics"] if m and m != ROW]
            repeated = len(keyed) != len(set(keyed))
            for i, m in enumerate(table["metrics"]):
                if m and m != ROW:
                    assert m in metrics.BY_KEY, (doc, table["key"], m)
                    found.label(table["columns"][i + 1], m)
            for row in table["rows"]:
                for i, cell in enumerate(row["cells"]):
                    m = table["metrics"][i] if i < len(table["metrics"]) else ""
                    if not m:
                        continue
                    column = table["columns"][i + 1] if repeated else ""
                    if m == ROW:
                        if not row["metric"]:
                            continue
                        assert row["metric"] in metrics.BY_KEY, (doc, table["key"], row)
                        key: tuple[Any, ...] = (suppressed, row["metric"], here, "", "")
                    elif table["dimension"] == "centre":
                        key = (suppressed, m, row["key"], "", column)
                    else:
                        key = (suppressed, m, here, table["dimension"], row["key"], column)
                    found.value(doc, key, cell)
                if table["key"].startswith("toc_") and row["metric"]:
                    found.label(row["cells"][1], row["metric"])
            total = table["total"]
            if total and table["adds_up"] and table["dimension"] != "centre":
                for i, cell in enumerate(total["cells"]):
                    m = table["metrics"][i] if i < len(table["metrics"]) else ""
                    if m and m not in (ROW, "share") and not repeated:
                        found.value(doc, (suppressed, m, here, "", ""), cell)


class _Keyed(HTMLParser):
    """The text of every element of the page that carries a data-metric, with where it sits."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str, str, bool, str]] = []  # section, metric, row key, in total, text
        self._section = ""
        self._row_key = ""
        self._total = False
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self._section = a.get("id") or ""
        if tag == "tr":
            self._row_key, self._total = a.get("data-key") or "", "data-total" in a
        if a.get("data-metric"):
            self._open, self._text = a["data-metric"], []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row_key, self._total = "", False
        if self._open is not None and tag in ("td", "dd"):
            self.cells.append((self._section, self._open, self._row_key, self._total, "".join(self._text)))
            self._open = None


def _from_html(found: Published, doc: str, html: str, data: dict[str, Any], scope: str, suppressed: bool) -> None:
    """The page shows the same values as the JSON of the same status: each keyed cell of the page
    is matched with the JSON's cell by section, metric and row, in order."""
    expected: dict[tuple[str, str, str, bool], list[Any]] = defaultdict(list)
    for section in data["sections"]:
        for f in section["facts"]:
            expected[(section["key"], f["metric"], "", False)].append(f["value"])
        for table in section["tables"]:
            for row in table["rows"]:
                for i, cell in enumerate(row["cells"]):
                    m = table["metrics"][i] if i < len(table["metrics"]) else ""
                    m = row["metric"] if m == ROW else m
                    if m:
                        expected[(section["key"], m, row["key"], False)].append(cell)
            if table["total"] and table["adds_up"]:
                for i, cell in enumerate(table["total"]["cells"]):
                    m = table["metrics"][i] if i < len(table["metrics"]) else ""
                    if m and m != ROW:
                        expected[(section["key"], m, "", True)].append(cell)
    parser = _Keyed()
    parser.feed(html)
    assert parser.cells, doc
    seen: dict[tuple[str, str, str, bool], int] = defaultdict(int)
    for section, metric, row_key, total, text in parser.cells:
        assert metric in metrics.BY_KEY, (doc, metric)
        where = (section, metric, row_key, total)
        n = seen[where]
        seen[where] += 1
        assert n < len(expected[where]), (doc, where, text)
        assert _shown(expected[where][n]) == _shown(text), (doc, where, expected[where][n], text)
        found.value(doc, (suppressed, "page", scope, section, metric, row_key, total, n), text)


def _xlsx_shown(cell: Any) -> Any:
    """A workbook cell as the reader sees it: a number in its number format (0% as "41 %",
    +0.0 as "+2.8"), in the active language, as the page writes it."""
    from forpost.core.formats import values

    v, fmt = cell.value, cell.number_format or ""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return v
    if "%" in fmt:
        return str(values.fraction(v))
    if "." in fmt:
        places = len(fmt.split(";")[0].split(".")[1].rstrip("%"))
        return str(values.decimal(v, places, signed=fmt.startswith("+")))
    return v


def _from_xlsx(found: Published, doc: str, content: bytes, scope: str, suppressed: bool, slugs: dict[str, str]) -> None:
    """The workbook has no keys: a row of a label and a value whose label is the catalogue's is
    that metric's key figure (the centres' sheet has a block per centre, headed by its name)."""
    from openpyxl import load_workbook

    by_label = {str(m.label): m.key for m in metrics.METRICS}
    book = load_workbook(io.BytesIO(content))
    read = 0
    summary = str(render.SHEET_NAMES["summary"])
    for ws in book.worksheets:
        if ws.title == summary:
            continue  # the centre × requirement matrix holds verdicts (words), not the metrics' values
        here = scope
        for raw in ws.iter_rows():
            row = tuple(_xlsx_shown(c) for c in raw)
            cells = [c for c in row if c is not None]
            if len(cells) == 1 and cells[0] in slugs:
                here = slugs[cells[0]]
            if len(cells) == 2 and row[0] in by_label and row[1] is not None and row[1] not in by_label:
                # (A row whose second cell is a label too is a header, e.g. a table's columns.)
                value = row[1]
                if isinstance(value, int) and metrics.metric(by_label[row[0]]).unit == metrics.Unit.AVERAGE:
                    value = float(value)  # the workbook keeps 5.0 as 5
                found.value(doc, (suppressed, by_label[row[0]], here, "", ""), value)
                read += 1
    assert read, doc


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year - 2, this_year - 1, this_year]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_document_of_the_demo_gives_each_metric_one_value_and_each_label_one_key(language, client_for, settings):
    settings.MFA_REQUIRED_ROLES = ()
    call_command("demo", stdout=StringIO())
    from forpost.registrations.counts import rebuild

    rebuild()
    stab = get_user_model().objects.get(username="stab")
    client = client_for(stab)
    documents = 0
    with translation.override(language):
        slugs = {c.name: c.slug for c in Centre.objects.all()}
        for year in _years():
            found = Published()
            city = as_json(city_status(user=stab, year=year, for_file=True))
            _from_json(found, f"city {year} json", city, "city", True)
            _from_xlsx(
                found,
                f"city {year} xlsx",
                render_xlsx(city_status(user=stab, year=year, for_file=True)),
                "city",
                True,
                slugs,
            )
            page = client.get(reverse("reports:city"), {"year": year}, HTTP_ACCEPT_LANGUAGE=language)
            assert page.status_code == 200
            page_status = as_json(page.context["status"])
            _from_html(found, f"city {year} page", page.content.decode(), page_status, "city", True)
            _from_json(found, f"city {year} page", page_status, "city", True)
            documents += 4
            for centre in Centre.objects.active_during(date(year, 1, 1), date(year, 12, 31)):
                status = centre_status(user=stab, slug=centre.slug, year=year, force_suppress=True)
                data = as_json(status)
                _from_json(found, f"{centre.slug} {year} json", data, centre.slug, True)
                _from_xlsx(found, f"{centre.slug} {year} xlsx", render_xlsx(status), centre.slug, True, slugs)
                page = client.get(
                    reverse("reports:centre", args=[centre.slug]), {"year": year}, HTTP_ACCEPT_LANGUAGE=language
                )
                assert page.status_code == 200
                _from_html(found, f"{centre.slug} {year} page", page.content.decode(), data, centre.slug, True)
                documents += 3
            assert not found.contradictions(), "\n".join(found.contradictions())
            assert not found.ambiguous_labels(), "\n".join(found.ambiguous_labels())
    assert documents >= 3 * (4 + 3 * 6)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_catalogue_has_one_label_for_each_key_and_each_label_once(language):
    with translation.override(language):
        labels = [str(m.label) for m in metrics.METRICS]
    assert len(metrics.BY_KEY) == len(metrics.METRICS)
    assert sorted(set(labels)) == sorted(labels), [x for x in labels if labels.count(x) > 1]
    assert all(str(m.definition) for m in metrics.METRICS)


@pytest.mark.django_db
def test_every_indicator_a_concept_measures_or_shows_is_in_the_catalogue():
    """The scorecard and the theory of change take their labels from the catalogue: an
    indicator a concept file names that the catalogue does not list fails here."""
    missing = set()
    for year in (2008, 2025):
        concept = concept_for_year(year)
        refs = []
        for requirement in concept.requirements:
            measure = requirement.measure
            refs.extend([measure] if hasattr(measure, "name") else measure.data)
        refs.extend(ref for chain in concept.theory_of_change for link in chain.links for ref in link.evidence)
        missing |= {(r.name, metrics.params_key(r.params)) for r in refs if metrics.for_ref(r.name, r.params) is None}
    assert not missing, sorted(missing)


def test_a_metric_counted_from_the_inquiry_counts_is_counted_in_one_place():
    f = {"total": {"": 8}, "child_0_12": {"yes": 6}, "has_case": {"no": 3, "yes": 1, "dont_know": 4}}
    assert metrics.metric("inquiries").count(f) == 8
    assert metrics.metric("share_child_0_12").parts(f) == (6, 8)
    assert metrics.metric("share_without_case").parts(f) == (3, 4)  # "don't know" left out


def test_the_year_wheel_names_the_catalogue_metric_of_every_number_it_shows(cast):
    from forpost.concepts.yearwheel import wheel_for

    wheel = wheel_for(cast.norrebro, 2025, today=date(2025, 6, 1))
    measured = [d for d in wheel.duties if not d.is_attested]
    assert measured
    assert all(d.metric in metrics.BY_KEY for d in measured), [d.requirement.id for d in measured if not d.metric]
