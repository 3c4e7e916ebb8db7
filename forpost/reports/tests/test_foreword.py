"""Central staff write the foreword that opens the city's annual status."""

from django.urls import reverse

from forpost.accounts.models import AuditEntry
from forpost.core.testing import post_form
from forpost.reports.models import Foreword


def test_central_staff_write_the_foreword_and_it_is_audited(client_for, cast):
    url = f"{reverse('reports:foreword')}?year=2025"
    client = client_for(cast.erin)
    response = post_form(client, url, {"year": "2025", "text": "Et år med flere familier.", "signed": "Kontorchef"})
    assert response.status_code == 302
    foreword = Foreword.objects.get(year=2025)
    assert (foreword.text, foreword.signed, foreword.version) == ("Et år med flere familier.", "Kontorchef", 1)
    assert AuditEntry.objects.filter(object_type="reports.foreword", object_id=str(foreword.pk)).exists()


def test_a_foreword_naming_a_citizen_is_refused_and_nothing_typed_is_lost(client_for, cast):
    url = f"{reverse('reports:foreword')}?year=2025"
    text = "Tak til familien, CPR 010203-1234, for et godt samarbejde."
    response = post_form(client_for(cast.erin), url, {"year": "2025", "text": text, "signed": ""})
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not Foreword.objects.exists()


def test_a_foreword_saved_meanwhile_by_someone_else_is_a_conflict_not_overwritten(client_for, cast):
    url = f"{reverse('reports:foreword')}?year=2025"
    client = client_for(cast.erin)
    stale = client.get(url).context["form"]["version"].value()
    Foreword.objects.create(year=2025, text="Skrevet af en anden.", version=1)
    response = client.post(url, {"year": "2025", "text": "Mit forord.", "signed": "", "version": stale})
    assert response.status_code == 409
    assert Foreword.objects.get(year=2025).text == "Skrevet af en anden."
