"""Every page that shows a registration's notes, goals or scores is a logged read: the edit
pages, the course end page and the conflict page (issue 12, "Audit gaps")."""

from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations.testing import make_course, make_inquiry, make_session


def _reads(obj):  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(action=AuditAction.READ, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_opening_an_inquirys_edit_page_is_a_logged_read(client_for, desk):
    inquiry = make_inquiry(desk.cast.norrebro, note="Mor bekymret")
    response = client_for(desk.cast.alice).get(reverse("registrations:inquiry_edit", args=[inquiry.pk]))
    assert response.status_code == 200
    entry = _reads(inquiry).get()
    assert entry.actor == desk.cast.alice
    assert entry.centre_id == desk.cast.norrebro.pk


def test_opening_a_courses_edit_page_is_a_logged_read(client_for, desk):
    course = make_course(desk.cast.norrebro, goals="Bedre søvn")
    response = client_for(desk.cast.alice).get(reverse("registrations:course_edit", args=[course.pk]))
    assert response.status_code == 200
    assert _reads(course).get().actor == desk.cast.alice


def test_opening_a_sessions_edit_page_is_a_logged_read(client_for, desk):
    course = make_course(desk.cast.norrebro)
    session = make_session(course, note="God samtale")
    response = client_for(desk.cast.alice).get(reverse("registrations:session_edit", args=[session.pk]))
    assert response.status_code == 200
    assert _reads(session).get().actor == desk.cast.alice


def test_opening_the_course_end_page_is_a_logged_read(client_for, desk):
    course = make_course(desk.cast.norrebro, goals="Bedre søvn")
    response = client_for(desk.cast.alice).get(reverse("registrations:course_end", args=[course.pk]))
    assert response.status_code == 200
    assert _reads(course).get().actor == desk.cast.alice


def test_another_centres_edit_page_is_denied_and_reads_nothing(client_for, desk):
    inquiry = make_inquiry(desk.cast.norrebro, note="Mor bekymret")
    response = client_for(desk.cast.charlie).get(reverse("registrations:inquiry_edit", args=[inquiry.pk]))
    assert response.status_code == 404
    assert not _reads(inquiry).exists()


def test_the_conflict_page_shows_the_stored_record_and_is_a_logged_read(client_for, desk):
    course = make_course(desk.cast.norrebro, goals="Bedre søvn")
    client = client_for(desk.cast.alice)
    url = reverse("registrations:course_edit", args=[course.pk])
    form = client.get(url).context["form"]
    AuditEntry.objects.all().delete()
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(version=course.version - 1 if course.version > 1 else course.version + 5, goals="Ro om aftenen")
    response = client.post(url, data)
    assert response.status_code == 409
    assert "Bedre søvn" in response.content.decode()
    assert _reads(course).get().actor == desk.cast.alice
