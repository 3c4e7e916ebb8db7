"""An exported file imports back into an empty centre with every field intact."""

import io
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from forpost.centres.testing import make_centre, make_membership
from forpost.imports import exporting, services
from forpost.imports.reading import guess_columns, read_table
from forpost.imports.testing import make_import_file
from forpost.registrations.models import Action, Channel, Inquiry, ReferralSource, Theme
from forpost.registrations.testing import make_inquiry

FIELDS = [
    "date",
    "time",
    "channel",
    "contact_person",
    "family_type",
    "parent_sex",
    "origin",
    "residence",
    "district",
    "has_case",
    "referral_source",
    "concern_reported_on",
    "minutes",
    "note",
]


def _plain(inquiry):  # type: ignore[no-untyped-def]
    """Everything an inquiry says, without its id and centre."""
    return (
        *(getattr(inquiry, f) for f in FIELDS),
        sorted(t.code for t in inquiry.themes.all()),
        sorted(a.code for a in inquiry.actions.all()),
        [(c.age_band, c.sex) for c in inquiry.children.all()],
    )


@pytest.fixture
def rich(reference):  # type: ignore[no-untyped-def]
    """Inquiries that use every field, children up to four, and a theme whose name has a comma."""
    comma = Theme.objects.create(code="sleep", name_da="Søvn, spisning og rytme", name_en="Sleep, food and rhythm")
    divorce, grief = Theme.objects.get(code="divorce"), Theme.objects.get(code="grief")
    concern = Action.objects.filter(kind="concern").first()
    advice = Action.objects.get(code="advice")
    phone = Channel.objects.get(code="phone")
    source = ReferralSource.objects.first()
    centre = reference.norrebro
    made = [
        make_inquiry(
            centre,
            date=date(2026, 2, 3),
            time=time(9, 45),
            channel=phone,
            contact_person="father",
            family_type="single",
            parent_sex="male",
            origin="danish",
            residence="district",
            district=centre.district,
            has_case="yes",
            referral_source=source,
            themes=[comma, divorce, grief],
            actions=[advice, concern],
            concern_reported_on=date(2026, 2, 3),
            children=[("0-2", "girl"), ("3-5", "boy"), ("10-12", "not_stated"), ("expected", "not_stated")],
            minutes=75,
            note="Samtale om søvn; aftalt opfølgning.",
        ),
        make_inquiry(centre, date=date(2026, 1, 7), contact_person="both_parents", residence="outside", children=[]),
        make_inquiry(centre, date=date(2026, 1, 8), themes=[comma], children=[("13-17", "boy")]),
    ]
    return reference, made


def test_every_export_heading_is_recognised_by_the_import(reference):
    headings = [c.label for c in exporting.columns()]
    guessed = guess_columns(headings)
    assert set(guessed.values()) == {c.key for c in exporting.columns()} - {"id", "centre"}
    assert "Barn 1: alder" in guessed and "Barn 4: køn" in guessed


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_into_an_empty_centre_field_by_field(rich, fmt):
    cast, made = rich
    output = exporting.export_file(user=cast.bob, params={"format": fmt})
    empty = make_centre("Familierådgivningen Tom", district=cast.norrebro.district)
    make_membership(cast.bob, role="coordinator", centre=empty)
    import_file = make_import_file(empty, actor=cast.bob, content=output.content, name=f"export.{fmt}")
    assert len(import_file.columns) == len(exporting.columns()) - 2  # all but number and centre, unmapped by hand
    outcome = services.check(actor=cast.bob, import_file=import_file)
    assert (outcome.bad, outcome.new) == ([], len(made))
    services.import_inquiries(actor=cast.bob, import_file=import_file)
    imported = sorted((_plain(i) for i in Inquiry.objects.filter(centre=empty)), key=repr)
    assert imported == sorted((_plain(i) for i in made), key=repr)


def test_the_themes_cell_separates_names_that_hold_commas(rich):
    cast, _made = rich
    output = exporting.export_file(user=cast.bob, params={"format": "csv"})
    table = read_table("export.csv", io.BytesIO(output.content))
    themes = table.headers.index("Temaer")
    cells = [str(r[themes]).split(" | ") for r in table.rows]
    assert sorted(max(cells, key=len)) == ["Skilsmisse og samvær", "Sorg og tab", "Søvn, spisning og rytme"]


def test_the_dry_run_lists_every_bad_row_not_only_the_first(reference):
    content = (
        b"Dato;Kanal;Hvem henvendte sig;Barn 1: alder\n"
        b"10-03-2026;Telefon;Mor;3-5\n"
        b"10-03-2026;Brevdue;Mor;3-5\n"
        b"10-03-2026;Telefon;Mor;3-5\n"
        b"10-03-2026;Telefon;Mor;99\n"
    )
    import_file = make_import_file(reference.norrebro, actor=reference.alice, content=content)
    outcome = services.check(actor=reference.alice, import_file=import_file)
    assert [n for n, _reasons in outcome.bad] == [3, 5]
    assert outcome.new == 2


def test_a_reference_name_may_not_hold_the_list_separator(reference):
    theme = Theme(code="a-or-b", name_da="A | B", name_en="A or B")
    with pytest.raises(ValidationError) as refused:
        theme.full_clean()
    assert "name_da" in refused.value.message_dict
