"""The families' voice and the methods read the kept counts, as every section of the status
does (issue 11's status engine): no scan of the feedback cards, the sessions or the courses,
and the counts follow every service that changes them."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from forpost.feedback.models import Answer, AnswerValue, Response
from forpost.feedback.services import current_questions, submit_feedback
from forpost.registrations import counts, services
from forpost.registrations.models import Course, Method, Session
from forpost.registrations.testing import make_course, make_session
from forpost.reports.status import StatusContext

RAW_TABLES = tuple(model._meta.db_table for model in (Response, Answer, Session, Course))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def built(cast, key, year=2025):
    from forpost.reports.sections import SECTIONS

    ctx = StatusContext(year=year, centre_ids=(cast.norrebro.pk,), city_wide=False, suppress=False, threshold=2)
    function = dict(SECTIONS)[key]
    with CaptureQueriesContext(connection) as queries:
        section = function(ctx)
    return section, [q["sql"] for q in queries.captured_queries]


def ended_course(cast, method, first, last):
    course = make_course(cast.norrebro, started_on=date(2025, 1, 10), method=method)
    for day, total in ((date(2025, 1, 10), first), (date(2025, 2, 1), last)):
        make_session(
            course,
            date=day,
            **{f"ors_{k}": Decimal(str(total)) / 4 for k in range(1, 5)},
            **{f"srs_{k}": Decimal(9) for k in range(1, 5)},
        )
    course.refresh_from_db()
    return services.end_course(
        actor=None, course=course, expected_version=course.version, ended_on=date(2025, 3, 1), result="reached"
    )


def test_the_families_voice_and_the_methods_read_no_raw_rows(cast):
    network = Method.objects.get(code="network_meeting")
    for first, last in (("20", "28"), ("22", "23.6")):
        ended_course(cast, network, first, last)
    question_set, questions = current_questions()
    submit_feedback(
        centre=cast.norrebro,
        question_set=question_set,
        answers={questions[0]: AnswerValue.YES},
        comment="",
        device="d",
        address="10.0.0.1",
    )
    Response.objects.update(answered_on=date(2025, 6, 1))
    for key in ("families_voice", "methods"):
        section, sql = built(cast, key)
        assert section is not None and not getattr(section, "no_data", False), key
        read = [q for q in sql if any(f'"{table}"' in q for table in RAW_TABLES)]
        assert read == [], (key, read)
    voice, _sql = built(cast, "families_voice")
    assert voice.tables[0].rows[0].cells[0].value == 1 and voice.tables[0].rows[0].cells[1].value == 4
    assert voice.tables[1].rows[0].key == questions[0].code and voice.tables[1].rows[0].cells[1] == "100 %"
    methods, _sql = built(cast, "methods")
    # Changes +8 and +1.6: average +4.8 (kept in tenths, not rounded per course); one reliable.
    assert methods.tables[1].rows[0].cells[1:] == ("+4.8", "50 %")


def test_a_change_of_method_moves_the_courses_and_their_outcomes(cast):
    network = Method.objects.get(code="network_meeting")
    fic = Method.objects.get(code="familien_i_centrum")
    course = ended_course(cast, network, 20, 28)
    services.update_course(actor=None, course=course, expected_version=course.version, method=fic)
    methods, _sql = built(cast, "methods")
    assert [r.key for r in methods.tables[1].rows] == [str(fic.pk)]
    assert methods.tables[0].rows[0].cells[0].value == 1
    assert counts.differences() == []


def test_the_disclosure_plan_reads_the_same_kept_counts_and_no_raw_rows(cast):
    """The plan hides cells of the counts the sections show: it reads the same kept counts."""
    from forpost.reports.disclosure import other_counts

    network = Method.objects.get(code="network_meeting")
    ended_course(cast, network, "20", "28")
    question_set, questions = current_questions()
    submit_feedback(
        centre=cast.norrebro,
        question_set=question_set,
        answers={questions[0]: AnswerValue.YES, questions[1]: AnswerValue.NO},
        comment="",
        device="d",
        address="10.0.0.1",
    )
    Response.objects.update(answered_on=date(2025, 6, 1))

    with CaptureQueriesContext(connection) as queries:
        found = other_counts(2025)

    assert [q["sql"] for q in queries.captured_queries if any(f'"{t}"' in q["sql"] for t in RAW_TABLES)] == []
    centre = cast.norrebro.pk
    assert found == {
        (centre, "course_method", str(network.pk)): 1,
        (centre, "ors_method", str(network.pk)): 1,
        (centre, "srs_rated", ""): 2,
        (centre, "feedback_cards", ""): 1,
        (centre, "feedback_answers", questions[0].code): 1,
        (centre, "feedback_answers", questions[1].code): 1,
    }
