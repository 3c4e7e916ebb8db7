"""The families' feedback card: anonymous, in six languages, one answer per device a day,
throttled, with a honeypot; the questions are versioned."""

from datetime import date

from django.urls import reverse

from forpost.feedback.models import Answer, FloodMark, Question, QuestionSet, Response
from forpost.public.feedback import DEVICE_COOKIE
from forpost.public.languages import public_reverse


def card_url(cast, language="da"):
    return public_reverse("feedback:card", language, slug=cast.norrebro.slug)


def answer(client, cast, *, language="da", device="phone-1", **extra):
    client.cookies[DEVICE_COOKIE] = device
    page = client.get(card_url(cast, language))
    form = page.context["form"]
    data = {
        "submission_token": form["submission_token"].value(),
        "q_easy_to_come": "yes",
        "q_listened_to": "yes",
        "q_helped": "partly",
        "q_come_again": "yes",
        "comment": "",
        "website": "",
        **extra,
    }
    return client.post(card_url(cast, language), data)


def test_the_card_asks_its_questions_in_arabic_right_to_left(client, cast):
    response = client.get(card_url(cast, "ar"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in html
    assert "هل ساعدك ذلك أنت وعائلتك؟" in html


def test_an_answer_is_stored_without_anything_that_identifies_the_family(client, cast):
    response = answer(client, cast, comment="Rart at blive lyttet til.")
    assert response.status_code == 302
    assert response["Location"] == public_reverse("feedback:thanks", "da", slug=cast.norrebro.slug)
    stored = Response.objects.get()
    assert (stored.centre, stored.question_set.version, stored.comment) == (
        cast.norrebro,
        1,
        "Rart at blive lyttet til.",
    )
    assert dict(Answer.objects.values_list("question__code", "value")) == {
        "easy_to_come": "yes",
        "listened_to": "yes",
        "helped": "partly",
        "come_again": "yes",
    }
    # The marks hold keyed hashes only: no address, no device key as it was.
    keys = " ".join(FloodMark.objects.values_list("key", flat=True))
    assert "127.0.0.1" not in keys and "phone-1" not in keys
    assert [f.name for f in Response._meta.get_fields() if f.concrete] == [
        "id",
        "centre",
        "question_set",
        "answered_on",
        "comment",
    ]


def test_one_device_answers_once_a_day(client, cast):
    answer(client, cast)
    again = answer(client, cast)
    assert again.status_code == 302 and again["Location"].endswith("?igen=1")
    assert Response.objects.count() == 1
    # Another phone on the same day is another family.
    assert answer(client, cast, device="phone-2").status_code == 302
    assert Response.objects.count() == 2


def test_the_thank_you_page_says_the_answer_was_already_given(client, cast):
    answer(client, cast, language="en")
    again = answer(client, cast, language="en")
    page = client.get(again["Location"]).content.decode()
    assert "We already have your answer for today." in page


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, cast):
    response = answer(client, cast, website="http://spam.example")
    assert response.status_code == 302
    assert Response.objects.count() == 0 and FloodMark.objects.count() == 0


def test_the_throttle_stops_many_answers_from_one_address_and_keeps_what_was_typed(client, cast, settings):
    settings.FEEDBACK_PER_ADDRESS_PER_HOUR = 2
    assert answer(client, cast, device="a").status_code == 302
    assert answer(client, cast, device="b").status_code == 302
    refused = answer(client, cast, device="c", comment="Tak for hjælpen", language="en")
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Many answers have come from your connection in the last hour" in html
    assert "Tak for hjælpen" in html
    assert Response.objects.count() == 2


def test_a_comment_with_a_cpr_number_is_refused_and_kept(client, cast):
    refused = answer(client, cast, comment="Mit CPR er 010203-1234", language="en")
    assert refused.status_code == 200
    assert "010203-1234" in refused.content.decode()
    assert Response.objects.count() == 0


def test_an_empty_card_asks_for_an_answer(client, cast):
    refused = answer(client, cast, language="en", q_easy_to_come="", q_listened_to="", q_helped="", q_come_again="")
    assert "Answer at least one question, or write a comment." in refused.content.decode()


def test_a_new_version_of_the_questions_replaces_the_old_on_the_card_and_the_old_answers_keep_theirs(client, cast):
    answer(client, cast)
    second = QuestionSet.objects.create(version=2, valid_from=date(2026, 1, 1), note="Kortere")
    Question.objects.create(question_set=second, code="helped", text="Hjalp det?", text_en="Did it help?", position=1)
    page = client.get(card_url(cast, "en")).content.decode()
    assert "Did it help?" in page and "Was it easy to come to us?" not in page
    answer(client, cast, device="phone-2", q_helped="yes")
    assert list(Response.objects.order_by("id").values_list("question_set__version", flat=True)) == [1, 2]
    assert Answer.objects.filter(response__question_set=second).count() == 1


def test_the_poster_shows_a_qr_code_and_the_card_in_each_language(client_for, cast):
    client = client_for(cast.bob)
    page = client.get(reverse("feedback_staff:poster", kwargs={"pk": cast.norrebro.pk})).content.decode()
    assert "data:image/svg+xml" in page
    for language in ("ar", "tr", "ur", "so", "en"):
        assert f"/{language}/tilbagemelding/{cast.norrebro.slug}/" in page


def test_the_centres_staff_read_their_own_answers_and_comments(client, client_for, cast):
    answer(client, cast, comment="Rart sted.")
    page = client_for(cast.alice).get(reverse("feedback_staff:answers", kwargs={"pk": cast.norrebro.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rart sted." in html and "1 familie besvarede kortet" in html
    other = client_for(cast.charlie).get(reverse("feedback_staff:answers", kwargs={"pk": cast.norrebro.pk}))
    assert other.status_code == 404


def test_old_comments_are_erased_and_the_answers_stay(client, cast, settings):
    from django.core.management import call_command

    settings.NOTE_RETENTION_MONTHS = 12
    answer(client, cast, comment="Rart sted.")
    Response.objects.update(answered_on=date(2020, 5, 1))
    call_command("feedback_retention")
    stored = Response.objects.get()
    assert stored.comment == "" and stored.answers.count() == 4


def test_the_answers_are_evidence_for_the_2006_dialogue_with_their_days_only(client, cast):
    from forpost.concepts.indicators import compute

    answer(client, cast, comment="Hemmeligt indhold")
    answer(client, cast, device="phone-2")
    today = Response.objects.first().answered_on
    value = compute(
        "feedback_answers",
        centre_ids=[cast.norrebro.pk],
        start=date(today.year, 1, 1),
        end=date(today.year + 1, 1, 1),
        params={},
    )
    assert value.value == 2
    assert [e.on for e in value.evidence] == [today]
    assert "Hemmeligt" not in " ".join(str(e) for e in value.evidence)


def test_the_centres_staff_pages_lead_to_the_poster_and_the_poster_to_the_answers(client_for, cast):
    client = client_for(cast.bob)
    overview = client.get(reverse("centres:detail", args=[cast.norrebro.slug])).content.decode()
    poster = reverse("feedback_staff:poster", kwargs={"pk": cast.norrebro.pk})
    assert f'href="{poster}"' in overview
    page = client.get(poster).content.decode()
    assert f'href="{reverse("feedback_staff:answers", kwargs={"pk": cast.norrebro.pk})}"' in page
    # Staff of another centre do not get the poster.
    assert client_for(cast.charlie).get(poster).status_code == 404
