"""The rest of the papers in the status (issue 19): the families' voice, offers by kind,
methods and the centre's own staff, on a hand-made year."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from forpost.centres.models import RosterEntry
from forpost.collaboration import services as collaboration
from forpost.feedback.models import AnswerValue, QuestionSet, Response
from forpost.feedback.services import current_questions, submit_feedback
from forpost.registrations import services
from forpost.registrations.models import Method, OfferContact, OfferKind
from forpost.registrations.testing import make_course, make_inquiry, make_session
from forpost.reports.status import build_status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def section(cast, key, *, suppress, year=2025):
    status = build_status(year=year, centres=[cast.norrebro], city_wide=False, suppress=suppress, title="T")
    return next((s for s in status.sections if s.key == key), None)


def cell(table, row_key, column):
    row = next(r for r in table.rows if r.key == row_key)
    return row.cells[column]


def answer_cards(centre, n, day):
    question_set, questions = current_questions(day)
    for i in range(n):
        response = submit_feedback(
            centre=centre,
            question_set=question_set,
            answers={questions[0]: AnswerValue.YES, questions[1]: AnswerValue.PARTLY},
            comment="",
            device=f"device-{i}",
            address=f"10.0.0.{i}",
        )
        Response.objects.filter(pk=response.pk).update(answered_on=day)


def test_three_feedback_cards_are_shown_suppressed_when_the_status_leaves_the_centre(cast):
    assert QuestionSet.objects.filter(version=1).exists()
    answer_cards(cast.norrebro, 3, date(2025, 5, 2))
    published = section(cast, "families_voice", suppress=True)
    count = cell(published.tables[0], str(cast.norrebro.pk), 0)
    assert count.value == 3 and count.suppressed and count.display(5) == "<5"
    # The share of "yes" needs at least the threshold of answers.
    assert published.tables[1].rows[0].cells[1] == "–"
    # The centre's own staff see the number as it is.
    own = section(cast, "families_voice", suppress=False)
    count = cell(own.tables[0], str(cast.norrebro.pk), 0)
    assert count.value == 3 and not count.suppressed
    assert own.tables[1].rows[0].cells[1] == "100 %"


def test_a_hidden_feedback_count_cannot_be_worked_out_from_the_total(cast):
    answer_cards(cast.norrebro, 3, date(2025, 5, 2))
    answer_cards(cast.valby, 6, date(2025, 5, 2))
    status = build_status(year=2025, centres=[cast.norrebro, cast.valby], city_wide=True, suppress=True, title="T")
    voice = next(s for s in status.sections if s.key == "families_voice")
    table = voice.tables[0]
    cards = {r.key: r.cells[0] for r in table.rows}
    assert cards[str(cast.norrebro.pk)].suppressed
    # Total less the others would give Nørrebro's 3: a second cell is hidden too.
    shown = [c for c in (*cards.values(), table.total.cells[0]) if not c.suppressed]
    assert len(shown) < len(cards)
    # The key figure is the table's total, hidden or not as the table has it.
    figure = dict(voice.facts)["Feedback cards answered"]
    assert (figure.value, figure.suppressed) == (table.total.cells[0].value, table.total.cells[0].suppressed)


def test_the_answers_are_shown_in_the_cards_order(cast):
    question_set, questions = current_questions(date(2025, 5, 2))
    for i, value in enumerate((AnswerValue.YES, AnswerValue.NO)):
        submit_feedback(
            centre=cast.norrebro,
            question_set=question_set,
            answers=dict.fromkeys(reversed(questions), value),
            comment="",
            device=f"device-{i}",
            address=f"10.0.0.{i}",
        )
    year = timezone.localdate().year
    found = section(cast, "families_voice", suppress=False, year=year)
    assert [r.key for r in found.tables[1].rows] == [q.code for q in questions]
    assert found.tables[1].rows[0].label == "Was it easy to come to us?"


def test_the_feedback_count_stands_beside_the_sessions_the_families_rated_by_srs(cast):
    answer_cards(cast.norrebro, 6, date(2025, 5, 2))
    course = make_course(cast.norrebro, started_on=date(2025, 3, 1))
    quarter = Decimal(9)
    for day in (date(2025, 3, 1), date(2025, 3, 8)):
        make_session(course, date=day, srs_1=quarter, srs_2=quarter, srs_3=quarter, srs_4=quarter)
    voice = section(cast, "families_voice", suppress=True)
    assert voice.tables[0].columns[1:] == ("Feedback cards answered", "Sessions rated by the family (SRS)")
    row = next(r for r in voice.tables[0].rows if r.key == str(cast.norrebro.pk))
    assert (row.cells[0].value, row.cells[0].suppressed) == (6, False)
    assert (row.cells[1].value, row.cells[1].suppressed) == (2, True)


def test_a_referral_to_a_private_offer_reaches_contact_made_and_shows_by_kind(cast):
    offer = collaboration.create_offer(
        actor=cast.erin,
        centre=None,
        name="Privatpraktiserende familieterapeut",
        kind=OfferKind.PRIVATE,
        target_group="Forældre med børn 0–12 år",
        contact="www.example.dk",
        languages="da, en",
        follow_up_agreed=True,
    )
    inquiry = make_inquiry(cast.norrebro, date=date(2025, 4, 1))
    referral = services.refer_to_offer(actor=cast.alice, offer=offer, inquiry=inquiry, made_on=date(2025, 4, 1))
    assert (referral.offer_kind, referral.offer_contact) == (OfferKind.PRIVATE, "")
    services.set_offer_contact(
        actor=cast.alice, referral=referral, expected_version=referral.version, offer_contact=OfferContact.MADE
    )
    referral.refresh_from_db()
    assert referral.offer_contact == OfferContact.MADE

    own = section(cast, "offer_referrals", suppress=False)
    table = own.tables[0]
    private = next(r for r in table.rows if r.key == OfferKind.PRIVATE)
    assert table.columns == ("Kind of offer", "Contact made", "Contact not made", "Unknown", "Total")
    assert [c.value for c in private.cells] == [1, 0, 0, 1]
    assert dict(own.facts)["Of these, contact made"].value == 1
    # Leaving the centre, the single referral is hidden, and so is its total.
    published = section(cast, "offer_referrals", suppress=True)
    private = next(r for r in published.tables[0].rows if r.key == OfferKind.PRIVATE)
    assert private.cells[0].suppressed and private.cells[3].suppressed


def test_contact_is_not_asked_of_an_offer_that_has_not_agreed_to_follow_up(cast):
    from django.core.exceptions import ValidationError

    offer = collaboration.create_offer(
        actor=cast.bob,
        centre=cast.norrebro,
        name="Mødregruppe i Folkets Hus",
        kind=OfferKind.VOLUNTARY,
        target_group="Mødre med små børn",
        contact="folketshus@example.dk",
    )
    referral = services.refer_to_offer(actor=cast.alice, offer=offer, inquiry=make_inquiry(cast.norrebro))
    with pytest.raises(ValidationError):
        services.set_offer_contact(
            actor=cast.alice, referral=referral, expected_version=referral.version, offer_contact=OfferContact.MADE
        )


def test_an_offer_of_another_centre_cannot_be_chosen(cast):
    from django.core.exceptions import ValidationError

    offer = collaboration.create_offer(
        actor=cast.dana,
        centre=cast.valby,
        name="Valby legestue",
        kind=OfferKind.PUBLIC,
        target_group="0–6",
        contact="x",
    )
    with pytest.raises(ValidationError):
        services.refer_to_offer(actor=cast.alice, offer=offer, inquiry=make_inquiry(cast.norrebro))


def test_the_methods_and_their_outcomes_appear_in_the_centres_status(cast, settings):
    settings.SUPPRESSION_THRESHOLD = 2  # outcomes need 2 × 2 courses with two ORS scores
    network = Method.objects.get(code="network_meeting")
    fic = Method.objects.get(code="familien_i_centrum")
    for first, last in ((20, 28), (22, 24), (18, 26), (24, 26)):
        course = make_course(cast.norrebro, started_on=date(2025, 1, 10), method=network)
        for day, total in ((date(2025, 1, 10), first), (date(2025, 2, 1), last)):
            make_session(course, date=day, **{f"ors_{k}": Decimal(total) / 4 for k in range(1, 5)})
        course.refresh_from_db()
        services.end_course(
            actor=None, course=course, expected_version=course.version, ended_on=date(2025, 3, 1), result="reached"
        )
    make_course(cast.norrebro, started_on=date(2025, 5, 1), method=fic)
    found = section(cast, "methods", suppress=False)
    by_centre = found.tables[0]
    assert (
        "Network meeting" in by_centre.columns and "Familien i Centrum (family-centred programme)" in by_centre.columns
    )
    row = by_centre.rows[0]
    assert row.label == cast.norrebro.name
    assert [c.value for c in row.cells] == [4, 1, 5]
    outcome = found.tables[1].rows[0]
    # ORS changes +8, +2, +8, +2: average +5.0; reliable (≥ 5) in 2 of 4 (in English).
    assert outcome.label == "Network meeting"
    assert outcome.cells[0].value == 4 and outcome.cells[1:] == ("+5.0", "50 %")
    # The workbook gets the change as a number (a signed format), not as text.
    assert (outcome.cells[1].value, outcome.cells[1].number_format) == (5.0, "+0.0;-0.0;0")


def test_the_roster_appears_in_the_status_and_flags_one_coordinator(cast):
    RosterEntry.objects.create(
        centre=cast.norrebro, name="Mette", role="coordinator", hours_per_week=Decimal(37), valid_from=date(2024, 1, 1)
    )
    RosterEntry.objects.create(
        centre=cast.norrebro, name="Ali", role="counsellor", hours_per_week=Decimal(20), valid_from=date(2025, 2, 1)
    )
    RosterEntry.objects.create(
        centre=cast.norrebro,
        name="Former",
        role="coordinator",
        hours_per_week=Decimal(37),
        valid_from=date(2020, 1, 1),
        valid_to=date(2024, 12, 31),
    )
    roster = section(cast, "staff_roster", suppress=True)
    row = roster.tables[0].rows[0]
    assert roster.tables[0].columns[1:4] == ("Coordinator", "Counsellor", "Other")
    assert row.cells[:3] == ("1", "1", "0")
    assert row.cells[4] == "Depends on one coordinator"
    assert cast.norrebro.name in roster.notes[0]
    # No name leaves the app.
    assert "Mette" not in str(roster)
    RosterEntry.objects.create(
        centre=cast.norrebro, name="Sara", role="coordinator", hours_per_week=Decimal(30), valid_from=date(2025, 6, 1)
    )
    roster = section(cast, "staff_roster", suppress=True)
    assert roster.tables[0].rows[0].cells[4] == "" and roster.notes == ()


def test_the_centres_status_page_shows_its_methods_roster_feedback_and_offers(cast, client_for):
    from django.urls import reverse

    from forpost.collaboration.testing import make_offer

    RosterEntry.objects.create(
        centre=cast.norrebro, name="Mette", role="coordinator", hours_per_week=Decimal(37), valid_from=date(2024, 1, 1)
    )
    make_course(cast.norrebro, started_on=date(2025, 3, 1), method=Method.objects.get(code="network_meeting"))
    answer_cards(cast.norrebro, 2, date(2025, 5, 2))
    offer = make_offer(None, kind=OfferKind.PRIVATE, follow_up_agreed=True)
    services.refer_to_offer(actor=None, offer=offer, inquiry=make_inquiry(cast.norrebro), made_on=date(2025, 4, 1))
    with translation.override("da"):
        page = client_for(cast.bob).get(reverse("reports:centre", args=["norrebro"]), {"year": "2025"})
    html = page.content.decode()
    assert page.status_code == 200
    for heading in (
        "Metoder og programmer",
        "Netværksmøde",
        "Rådgivningernes egne medarbejdere",
        "Afhænger af én koordinator",
        "Familiernes egen stemme",
        "Samtaler vurderet af familien (SRS)",
        "Familier guidet videre til andre tilbud",
        "Privat",
    ):
        assert heading in html, heading
    # The roster's names stay inside the app's staff pages, never in the status.
    assert "Mette" not in html


def test_the_kept_counts_of_offer_referrals_equal_a_recount_through_contact_and_voiding(cast):
    from forpost.collaboration.testing import make_offer
    from forpost.registrations import counts as facts

    private = make_offer(None, kind=OfferKind.PRIVATE, follow_up_agreed=True)
    voluntary = make_offer(cast.norrebro, kind=OfferKind.VOLUNTARY)
    today = timezone.localdate()  # the year must be open to void in it
    inquiry = make_inquiry(cast.norrebro, date=today)
    first = services.refer_to_offer(actor=None, offer=private, inquiry=inquiry, made_on=today)
    course = make_course(cast.norrebro, started_on=today)
    services.refer_to_offer(actor=None, offer=voluntary, course=course, made_on=today)
    services.set_offer_contact(
        actor=None, referral=first, expected_version=first.version, offer_contact=OfferContact.NOT_MADE
    )
    assert facts.differences() == []
    facts.fold_all()  # one row a key, as the worker leaves them
    kept = dict(facts.InquiryFact.objects.filter(dimension="referral_offer", count__gt=0).values_list("value", "count"))
    assert kept == {"private|not_made": 1, "voluntary|": 1}
    course.refresh_from_db()
    services.void_course(actor=None, course=course, expected_version=course.version, reason="Registreret to gange")
    assert facts.differences() == []
    facts.fold_all()  # one row a key, as the worker leaves them
    kept = dict(facts.InquiryFact.objects.filter(dimension="referral_offer", count__gt=0).values_list("value", "count"))
    assert kept == {"private|not_made": 1}


def _roster_and_methods(cast):
    RosterEntry.objects.create(
        centre=cast.norrebro, name="Mette", role="coordinator", hours_per_week=Decimal(37), valid_from=date(2024, 1, 1)
    )
    RosterEntry.objects.create(
        centre=cast.norrebro, name="Ali", role="counsellor", hours_per_week=Decimal(20), valid_from=date(2024, 1, 1)
    )
    make_course(cast.norrebro, started_on=date(2025, 3, 1), method=Method.objects.get(code="network_meeting"))
    make_course(cast.norrebro, started_on=date(2025, 4, 1), method=Method.objects.get(code="familien_i_centrum"))


def test_the_centres_pdf_carries_the_methods_and_the_roster_and_no_name(cast, settings, tmp_path):
    from weasyprint.formatting_structure import boxes

    from forpost.reports.render import pdf_document

    from .test_pdf import _boxes

    settings.MEDIA_ROOT = tmp_path
    _roster_and_methods(cast)
    with translation.override("da"):
        status = build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=False, title="T")
        document = pdf_document(status)
    text = " ".join(
        box.text for page in document.pages for box in _boxes(page._page_box) if isinstance(box, boxes.TextBox)
    )
    for words in (
        "Metoder og programmer",
        "Netværksmøde",
        "Familien i Centrum",
        "Rådgivningernes egne medarbejdere",
        "Afhænger af én koordinator",
    ):
        assert words in text, words
    assert "Mette" not in text


def test_the_centres_workbook_has_a_sheet_each_for_the_methods_and_the_roster(cast):
    import io

    from openpyxl import load_workbook

    from forpost.reports.render import render_xlsx, sheet_name

    _roster_and_methods(cast)
    with translation.override("da"):
        status = build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=False, title="T")
        book = load_workbook(io.BytesIO(render_xlsx(status)))
        methods, roster = sheet_name("methods", ""), sheet_name("staff_roster", "")
    assert {methods, roster} <= set(book.sheetnames), book.sheetnames

    def cells(name):
        return {str(c.value) for row in book[name].iter_rows() for c in row if c.value is not None}

    assert {"Netværksmøde", "Familien i Centrum"} <= cells(methods)
    assert {"Koordinator", "Rådgiver", cast.norrebro.name, "Afhænger af én koordinator"} <= cells(roster)
    assert not any("Mette" in value for name in book.sheetnames for value in cells(name))
