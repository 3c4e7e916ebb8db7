from django.urls import reverse

from forpost.registrations.forms import InquiryForm
from forpost.registrations.models import Theme
from forpost.registrations.testing import make_inquiry


def test_central_staff_edit_the_lists_but_a_used_item_cannot_be_deleted(client_for, desk):
    make_inquiry(desk.cast.norrebro, themes=[desk.upbringing])
    unused = Theme.objects.create(code="sleep", name_da="Søvn", name_en="Sleep")
    client = client_for(desk.cast.grace)
    assert client.get(reverse("admin:registrations_theme_changelist")).status_code == 200
    used_delete = reverse("admin:registrations_theme_delete", args=[desk.upbringing.pk])
    assert client.post(used_delete, {"post": "yes"}).status_code == 403
    assert Theme.objects.filter(pk=desk.upbringing.pk).exists()
    client.post(reverse("admin:registrations_theme_delete", args=[unused.pk]), {"post": "yes"})
    assert not Theme.objects.filter(pk=unused.pk).exists()


def test_counsellors_do_not_reach_the_lists(client_for, desk):
    response = client_for(desk.cast.alice).get(reverse("admin:registrations_theme_changelist"))
    assert response.status_code in (302, 403)


def test_a_retired_theme_is_no_longer_offered_but_an_old_inquiry_keeps_it(desk):
    from django.utils import timezone

    inquiry = make_inquiry(desk.cast.norrebro, themes=[desk.divorce])
    desk.divorce.retired_at = timezone.now()
    desk.divorce.save()
    centres = desk.cast.norrebro.__class__.objects.filter(pk=desk.cast.norrebro.pk)
    new_form = InquiryForm(centres=centres)
    assert desk.divorce not in new_form.fields["themes"].queryset
    edit_form = InquiryForm(instance=inquiry, centres=centres)
    assert desk.divorce in edit_form.fields["themes"].queryset


def test_names_follow_the_language(desk):
    from django.utils import translation

    with translation.override("da"):
        assert str(desk.walk_in) == "Fremmøde i åben rådgivning"
    with translation.override("en"):
        assert str(desk.walk_in) == "Walk-in during open counselling"


def test_a_score_norm_changed_in_the_admin_recounts_its_courses_at_once(client_for, desk):
    from datetime import date
    from decimal import Decimal

    from forpost.accounts.models import AuditEntry
    from forpost.registrations import counts as facts
    from forpost.registrations import services
    from forpost.registrations.models import InquiryFact
    from forpost.registrations.testing import make_course, make_session

    course = make_course(desk.cast.norrebro, started_on=date(2026, 3, 10))
    for day, item in ((date(2026, 3, 10), Decimal(4)), (date(2026, 3, 17), Decimal(5))):
        make_session(course, date=day, **{f"ors_{i}": item for i in (1, 2, 3, 4)})
    course.refresh_from_db()
    services.end_course(
        actor=desk.cast.alice,
        course=course,
        expected_version=course.version,
        ended_on=date(2026, 3, 24),
        result="reached",
    )
    # A change of 4 points is not reliable under the seeded 5.
    assert sum(InquiryFact.objects.filter(dimension="course_improved").values_list("count", flat=True)) == 0
    norm = desk.adult
    url = reverse("admin:registrations_scorenorm_change", args=[norm.pk])
    client = client_for(desk.cast.grace)
    data = {
        "code": norm.code,
        "name_da": norm.name_da,
        "name_en": norm.name_en,
        "ors_cutoff": "25.0",
        "reliable_change": "3.0",  # the change of 4 points is now reliable
        "srs_cutoff": str(norm.srs_cutoff),
        "sort_order": norm.sort_order,
    }
    assert client.post(url, data).status_code == 302
    assert sum(InquiryFact.objects.filter(dimension="course_improved").values_list("count", flat=True)) == 1
    assert facts.differences() == []
    entry = AuditEntry.objects.filter(object_type="registrations.scorenorm").latest("at")
    assert entry.changes["reliable_change"][1] == "3.0"
