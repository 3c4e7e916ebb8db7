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
