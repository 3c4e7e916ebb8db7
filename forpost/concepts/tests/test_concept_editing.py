"""Central staff change the concept in the app (issue 13, part 6): a changed reading from a date,
checked by the schema with problems at their lines, shown as a diff and a preview of last
year's scorecard, confirmed once, versioned and audited; the files stay the shipped defaults."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.concepts import editing, loader
from forpost.concepts.evaluation import Outcome, evaluate_year
from forpost.concepts.loader import DATA_DIR, concept_for_year
from forpost.concepts.models import ConceptRevision

pytestmark = pytest.mark.django_db

URL = reverse("concepts:revision_create")
YEAR = timezone.localdate().year
LAST = YEAR - 1
VISIBILITY = "fr2010.ydelser.synlighed"  # activity_count, threshold 2 in the shipped file
SHIPPED = (DATA_DIR / "familieraadgivning-2010.yaml").read_text(encoding="utf-8")


def with_threshold(value: str, text: str = SHIPPED) -> str:
    """The shipped 2010 text with the visibility requirement's threshold set to `value`."""
    start = text.index(f"id: {VISIBILITY}")
    at = text.index("threshold: 2", start)
    return text[:at] + f"threshold: {value}" + text[at + len("threshold: 2") :]


def line_of(text: str, needle: str, after: str = "") -> int:
    return text[: text.index(needle, text.index(after) if after else 0)].count("\n") + 1


def token(client) -> str:
    return client.get(URL).context["form"]["submission_token"].value()


def post(client, *, text: str, valid_from: date, action: str = "preview", **extra):
    data = {"text": text, "valid_from": valid_from.isoformat(), "note": "Byrådets beslutning", "action": action}
    return client.post(URL, {**data, **extra})


def preview_then_confirm(client, text: str, valid_from: date):
    submission = token(client)
    shown = post(client, text=text, valid_from=valid_from, submission_token=submission)
    assert shown.status_code == 200, shown.context["checked"].problems if shown.context else shown
    previewed = shown.context["form"].data["previewed"]
    done = post(
        client, text=text, valid_from=valid_from, action="confirm", submission_token=submission, previewed=previewed
    )
    return shown, done


def test_central_staff_change_a_threshold_from_a_date_after_seeing_the_diff_and_the_preview(cast, client_for):
    client = client_for(cast.erin)
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["form"]["text"].value() == SHIPPED  # starts from the text in force
    text = with_threshold("1")
    submission = token(client)

    shown = post(client, text=text, valid_from=date(LAST, 1, 1), submission_token=submission)

    assert shown.status_code == 200
    assert ConceptRevision.objects.count() == 0  # a preview saves nothing
    removed = [r for r in shown.context["diff"] if r.kind == "removed"]
    added = [r for r in shown.context["diff"] if r.kind == "added"]
    changed_line = line_of(text, "threshold: 1", after=VISIBILITY)
    assert [(r.old, r.text.strip()) for r in removed] == [(changed_line, "threshold: 2")]
    assert [(r.new, r.text.strip()) for r in added] == [(changed_line, "threshold: 1")]
    html = shown.content.decode()
    assert 'class="fp-diff-added"' in html and 'class="fp-diff-removed"' in html
    preview = shown.context["preview"]
    assert preview.year == LAST
    assert [r.requirement.id for r in preview.changed_rows] == [VISIBILITY]
    assert shown.context["replaced"].version.id == "familieraadgivning-2010"

    previewed = shown.context["form"].data["previewed"]
    done = post(
        client,
        text=text,
        valid_from=date(LAST, 1, 1),
        action="confirm",
        submission_token=submission,
        previewed=previewed,
    )

    assert done.status_code == 302
    revision = ConceptRevision.objects.get()
    assert (revision.concept_id, revision.valid_from, revision.created_by) == (
        "familieraadgivning-2010",
        date(LAST, 1, 1),
        cast.erin,
    )
    assert revision.text == text
    assert revision.sha256 == editing.sha256(text)
    assert revision.note == "Byrådets beslutning"
    # The year from the date on reads the new threshold; the year before, the shipped one.
    assert concept_for_year(LAST).requirement(VISIBILITY).measure.threshold == 1
    assert concept_for_year(YEAR).requirement(VISIBILITY).measure.threshold == 1
    assert concept_for_year(LAST - 1).requirement(VISIBILITY).measure.threshold == 2
    assert concept_for_year(LAST).reading_from == date(LAST, 1, 1)
    # The files stay the shipped defaults.
    assert (DATA_DIR / "familieraadgivning-2010.yaml").read_text(encoding="utf-8") == SHIPPED


def test_the_status_of_a_year_after_the_date_uses_the_new_reading_and_a_year_before_the_old(cast, client_for):
    from forpost.collaboration.models import Activity, ActivityType

    outreach = ActivityType.objects.get(code="outreach")
    for year in (LAST - 1, LAST):
        Activity.objects.create(centre=cast.norrebro, type=outreach, date=date(year, 5, 4))
    before = {y: _visibility(cast.norrebro, y) for y in (LAST - 1, LAST)}
    assert before == {LAST - 1: Outcome.PARTLY_MET, LAST: Outcome.PARTLY_MET}  # 1 of 2 activities

    _shown, done = preview_then_confirm(client_for(cast.erin), with_threshold("1"), date(LAST, 1, 1))

    assert done.status_code == 302
    assert _visibility(cast.norrebro, LAST) == Outcome.MET
    assert _visibility(cast.norrebro, LAST - 1) == Outcome.PARTLY_MET


def _visibility(centre, year):
    return next(e.outcome for e in evaluate_year(centre, year) if e.requirement.id == VISIBILITY)


def test_the_preview_shows_which_verdicts_of_last_year_would_change(cast, client_for):
    from forpost.collaboration.models import Activity, ActivityType

    Activity.objects.create(centre=cast.norrebro, type=ActivityType.objects.get(code="outreach"), date=date(LAST, 3, 2))
    client = client_for(cast.erin)

    shown = post(client, text=with_threshold("1"), valid_from=date(YEAR, 1, 1), submission_token=token(client))

    changes = [(c.centre, c.requirement.id, c.now, c.new) for c in shown.context["preview"].changes]
    assert (cast.norrebro.name, VISIBILITY, str(Outcome.PARTLY_MET.label), str(Outcome.MET.label)) in changes
    assert cast.norrebro.name in shown.content.decode()


def test_adopting_is_audited(cast, client_for):
    preview_then_confirm(client_for(cast.erin), with_threshold("1"), date(YEAR, 1, 1))

    revision = ConceptRevision.objects.get()
    entry = AuditEntry.objects.get(object_type="concepts.conceptrevision", object_id=str(revision.pk))
    assert entry.action == AuditAction.CREATE
    assert entry.actor == cast.erin
    assert entry.changes["sha256"] == revision.sha256
    assert entry.changes["valid_from"] == date(YEAR, 1, 1).isoformat()
    assert entry.changes["replaces"]["concept_id"] == "familieraadgivning-2010"
    assert entry.changes["replaces"]["revision"] is None  # the shipped file


def test_a_broken_file_shows_the_problem_at_its_line_and_saves_nothing(cast, client_for):
    client = client_for(cast.erin)
    text = with_threshold("many")

    response = post(client, text=text, valid_from=date(YEAR, 1, 1), action="confirm", submission_token=token(client))

    assert response.status_code == 400
    [problem] = response.context["checked"].problems
    assert problem.line == line_of(text, "threshold: many")
    assert problem.path.endswith(".measure.indicator.threshold")
    assert problem.message == "must be a number"
    assert any(here and "threshold: many" in line for _n, line, here in problem.excerpt)
    assert f"Linje {problem.line}" in response.content.decode()
    assert ConceptRevision.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="concepts.conceptrevision").exists()


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        # An unknown field points at its own line.
        (
            lambda t: t.replace('        comparison: ">="\n', '        comparison: ">="\n        treshold: 3\n', 1),
            "treshold: 3",
            "is not a known field",
        ),
        # A missing field points at the mapping that lacks it.
        (
            lambda t: t.replace(
                "    wording: Familierådgivningerne skal rette sig imod børnefamilier med særlige behov\n", "", 1
            ),
            "- id: fr2010.maalgruppe.saerlige_behov",
            "is required",
        ),
        # Not YAML at all: the parser's line.
        (lambda t: t.replace("schema_version: 1\n", "schema_version: 1\n  bad: [\n", 1), "  bad: [", None),
    ],
)
def test_each_kind_of_problem_points_at_its_line(change, needle, message):
    text = change(SHIPPED)
    assert text != SHIPPED

    checked = editing.check_text(text, valid_from=date(YEAR, 1, 1))

    assert not checked.ok
    problem = checked.problems[0]
    expected = line_of(text, needle)
    assert problem.line in (expected, expected + 1)  # the parser may see the error on the next line
    if message:
        assert problem.message == message


def test_a_text_can_be_uploaded_as_a_file(cast, client_for):
    client = client_for(cast.erin)
    upload = SimpleUploadedFile("fr2010.yaml", with_threshold("1").encode("utf-8"), content_type="application/x-yaml")

    shown = client.post(
        URL,
        {
            "upload": upload,
            "text": "",
            "valid_from": date(YEAR, 1, 1).isoformat(),
            "action": "preview",
            "submission_token": token(client),
        },
    )

    assert shown.status_code == 200
    assert shown.context["form"].data["text"] == with_threshold("1")
    assert [r.requirement.id for r in shown.context["preview"].changed_rows] == [VISIBILITY]


def test_only_what_was_previewed_can_be_confirmed(cast, client_for):
    client = client_for(cast.erin)
    submission = token(client)
    shown = post(client, text=with_threshold("1"), valid_from=date(YEAR, 1, 1), submission_token=submission)
    previewed = shown.context["form"].data["previewed"]

    edited = post(
        client,
        text=with_threshold("3"),
        valid_from=date(YEAR, 1, 1),
        action="confirm",
        submission_token=submission,
        previewed=previewed,
    )

    assert edited.status_code == 200  # the new text is previewed, not saved
    assert ConceptRevision.objects.count() == 0
    assert [r.requirement.id for r in edited.context["preview"].changed_rows] == [VISIBILITY]


def test_confirming_twice_adopts_once(cast, client_for):
    client = client_for(cast.erin)
    submission = token(client)
    text = with_threshold("1")
    shown = post(client, text=text, valid_from=date(YEAR, 1, 1), submission_token=submission)
    data = {"submission_token": submission, "previewed": shown.context["form"].data["previewed"]}

    first = post(client, text=text, valid_from=date(YEAR, 1, 1), action="confirm", **data)
    second = post(client, text=text, valid_from=date(YEAR, 1, 1), action="confirm", **data)

    assert first.status_code == second.status_code == 302
    assert ConceptRevision.objects.count() == 1


def test_an_unchanged_text_is_refused(cast, client_for):
    with translation.override("en"):
        checked = editing.check_text(SHIPPED, valid_from=date(YEAR, 1, 1))

    assert not checked.ok
    assert checked.problems[0].message == "the text is the same as the one in force on that day"


def test_a_new_version_comes_into_force_on_its_date_and_needs_its_own_requirement_ids(cast, client_for):
    text = SHIPPED.replace("id: familieraadgivning-2010", "id: familieraadgivning-2030", 1).replace(
        "in_force_from: 2010-01-01", "in_force_from: 2030-01-01", 1
    )

    with translation.override("en"):
        checked = editing.check_text(text, valid_from=date(2030, 1, 1))

    assert not checked.ok
    assert {p.message.split(" belongs")[0] for p in checked.problems} >= {"fr2010.ydelser.synlighed"}
    assert checked.problems[0].line == line_of(text, "- id: fr2010.maalgruppe.saerlige_behov")

    renamed = text.replace("fr2010.", "fr2030.")
    client = client_for(cast.erin)
    _shown, done = preview_then_confirm(client, renamed, date(2030, 1, 1))

    assert done.status_code == 302
    assert concept_for_year(2030).id == "familieraadgivning-2030"
    assert concept_for_year(2029).id == "familieraadgivning-2010"
    assert concept_for_year(2029).in_force_to == date(2029, 12, 31)


def test_a_reading_cannot_change_in_a_closed_year(cast, client_for):
    from forpost.centres.models import ClosedYear

    ClosedYear.objects.create(year=LAST, deadline=date(YEAR, 1, 31), closed_at=timezone.now())
    client = client_for(cast.erin)

    response = post(client, text=with_threshold("1"), valid_from=date(LAST, 6, 1), submission_token=token(client))

    assert response.status_code == 400
    assert response.context["form"].errors["valid_from"]
    assert ConceptRevision.objects.count() == 0


def test_a_coordinator_is_denied(cast, client_for):
    client = client_for(cast.bob)

    assert client.get(URL).status_code == 403
    assert post(client, text=with_threshold("1"), valid_from=date(YEAR, 1, 1), action="confirm").status_code == 403
    assert ConceptRevision.objects.count() == 0


def test_another_server_s_adoption_is_read_at_the_next_request(cast, client_for):
    """No process keeps the concept: a text stored by another app server (here: a row written
    without this process's service) is used from this process's next request on."""
    assert concept_for_year(YEAR).requirement(VISIBILITY).measure.threshold == 2
    text = with_threshold("1")
    ConceptRevision.objects.create(
        concept_id="familieraadgivning-2010", text=text, sha256=editing.sha256(text), valid_from=date(YEAR, 1, 1)
    )

    page = client_for(cast.erin).get(reverse("concepts:detail", args=["familieraadgivning-2010"]))

    assert page.context["version"].requirement(VISIBILITY).measure.threshold == 1
    assert concept_for_year(YEAR).requirement(VISIBILITY).measure.threshold == 1
    assert loader.load_concepts()[-1].revision is not None


@pytest.mark.django_db(transaction=True)  # each write commits, as in a request
def test_adopting_raises_the_data_version_so_no_cached_status_outlives_the_old_reading(cast, client_for):
    from forpost.core import dataversion

    before = dataversion.current()

    preview_then_confirm(client_for(cast.erin), with_threshold("1"), date(YEAR, 1, 1))

    assert dataversion.current() > before


def test_an_alias_bomb_is_refused_at_its_line_without_being_expanded():
    """Nine lines of nested aliases would be 10⁹ values when the schema walks them."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)
    ]
    bomb = "bomb:\n" + "".join(f"  {line}\n" for line in lines)
    text = SHIPPED.replace("schema_version: 1\n", "schema_version: 1\n" + bomb, 1)

    checked = editing.check_text(text, valid_from=date(YEAR, 1, 1))

    assert not checked.ok
    assert checked.problems[0].line == line_of(text, "  b: &b")
    assert "alias (*a)" in checked.problems[0].message


def test_a_concept_file_with_an_alias_is_refused_by_the_loader_too():
    text = SHIPPED.replace("schema_version: 1\n", "schema_version: 1\nx: &x 1\ny: *x\n", 1)

    version, errors = loader.parse_text(text, "f")

    assert version is None
    assert errors == [f"f: line {line_of(text, 'y: *x')}: uses an alias (*x): write it out"]
