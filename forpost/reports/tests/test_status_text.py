from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.reports.models import StatusText
from forpost.reports.status import build_status


def post(client, slug, **data):
    payload = {"year": "2025", "highlights": "", "local_focus": "", "challenges": ""} | data
    return client.post(reverse("reports:status_text", args=[slug]), payload)


def test_the_coordinator_writes_the_centres_text(client_for, cast):
    response = post(client_for(cast.bob), "norrebro", highlights="Faglig brunch med 40 pædagoger.")
    assert response.status_code == 302
    text = StatusText.objects.get(centre=cast.norrebro, year=2025)
    assert text.highlights == "Faglig brunch med 40 pædagoger."
    assert text.updated_by == cast.bob
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="concepts.statustext").exists()


def test_a_cpr_number_is_refused_and_the_rest_is_kept(client_for, cast):
    response = post(client_for(cast.bob), "norrebro", highlights="Mor 010203-1234 kom", challenges="Ventetid")
    assert response.status_code == 200
    assert "CPR" in str(response.context["form"].errors["highlights"])
    assert response.context["form"]["challenges"].value() == "Ventetid"
    assert not StatusText.objects.exists()


def test_counsellors_and_other_centres_cannot_write_it(client_for, cast):
    assert post(client_for(cast.alice), "norrebro", highlights="x").status_code == 404
    assert post(client_for(cast.dana), "norrebro", highlights="x").status_code == 404
    assert not StatusText.objects.exists()


def test_the_text_is_in_the_centres_status_and_in_the_citys(client_for, cast):
    post(client_for(cast.bob), "norrebro", local_focus="Fædre på Nørrebro")
    own = build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=False, title="T")
    section = next(s for s in own.sections if s.key == "own_text")
    assert [t for _h, t in section.texts] == ["Fædre på Nørrebro"]
    city = build_status(year=2025, centres=[cast.norrebro, cast.valby], city_wide=True, suppress=True, title="T")
    centres = next(s for s in city.sections if s.key == "centres")
    assert [r.key for r in centres.tables[0].rows] == ["norrebro", "valby"]
    assert any(t == "Fædre på Nørrebro" for _h, t in centres.texts)


def test_the_concept_indicator_sees_the_written_text(client_for, cast):
    from datetime import date

    from forpost.concepts.indicators import compute

    def written():
        return compute(
            "centre_status_written",
            centre_ids=[cast.norrebro.pk],
            start=date(2025, 1, 1),
            end=date(2026, 1, 1),
            params={},
        ).value

    assert written() == 0.0
    post(client_for(cast.bob), "norrebro", highlights="Brunch")
    assert written() == 1.0


def test_exporting_a_draft_of_the_city_status_does_not_publish_it(
    client_for, cast, django_capture_on_commit_callbacks, settings, tmp_path
):
    from datetime import date

    from django.utils import translation

    from forpost.concepts.indicators import compute

    settings.MEDIA_ROOT = tmp_path

    def published():
        return compute("city_status_published", centre_ids=[], start=date(2025, 1, 1), end=date(2026, 1, 1), params={})

    assert published().value == 0.0
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.erin).post(reverse("reports:city_export"), {"year": "2025", "format": "xlsx"})
    # A workbook or PDF is a draft anyone may export; the duty is done when the status is published.
    found = published()
    assert found.value == 0.0
    assert found.evidence == ()
    with translation.override("da"):
        assert "ikke offentliggjort" in published().detail
