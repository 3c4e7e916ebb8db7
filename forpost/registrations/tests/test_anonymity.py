"""The anonymity guard's corpus: what must be refused and what must pass."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from forpost.core.anonymity import AnonymousTextField, find_identifiers, validate_anonymous_text

REFUSED = [
    ("211062-5629", "cpr"),
    ("2110625629", "cpr"),
    ("211062 5629", "cpr"),
    ("Mor har cpr 010203-1234 med", "cpr"),
    ("010101-4000", "cpr"),  # modern numbers fail the old modulus-11 check: still refused
    ("0101201234", "cpr"),
    ("mor@example.dk", "email"),
    ("skriv til far.hansen+fam@mail.co.uk senere", "email"),
    ("22345678", "phone"),
    ("22 34 56 78", "phone"),
    ("2234 5678", "phone"),
    ("+45 22 34 56 78", "phone"),
    ("+4522345678", "phone"),
    ("0045 2234 5678", "phone"),
    ("Ring på tlf. 91 23 45 67 i morgen", "phone"),
]

PASSES = [
    "Mor kom med to børn, 3 og 7 år.",
    "Næste samtale 12-05-2026 kl. 14:30.",
    "Næste samtale 12.05.2026",
    "Huslejen er 12.500 kr. om måneden",
    "Gæld på 1.250.000",
    "Arv på 25000000 kr.",
    "ORS steg fra 18,5 til 27,3; SRS 38",
    "Fremgang på 45 % siden 2024",
    "1234567890",  # not a valid date part
    "12 34 56 78",  # Danish numbers do not start with 1
    "12345678",
    "3,5 timer, 2 gange om ugen",
    "Uge 23 og 24, år 2026",
    "",
]


@pytest.mark.parametrize(("text", "kind"), REFUSED)
def test_it_refuses_identifiers(text, kind):
    assert kind in find_identifiers(text)
    with pytest.raises(ValidationError):
        validate_anonymous_text(text)


@pytest.mark.parametrize("text", PASSES)
def test_it_lets_ordinary_numbers_dates_and_amounts_pass(text):
    assert find_identifiers(text) == []
    validate_anonymous_text(text)


def test_a_cpr_number_with_an_impossible_date_passes():
    assert find_identifiers("321399-1234") == []


def test_the_refusal_says_why_in_danish():
    with translation.override("da"):
        with pytest.raises(ValidationError) as caught:
            validate_anonymous_text("tlf 22 34 56 78, cpr 211062-5629")
        messages = " ".join(caught.value.messages)
    assert "CPR-nummer" in messages
    assert "telefonnummer" in messages


def test_the_field_helper_guards_any_form():
    class NoteForm(forms.Form):
        note = AnonymousTextField(label="Note")

    assert not NoteForm({"note": "mail: a@b.dk"}).is_valid()
    assert NoteForm({"note": "Alt vel"}).is_valid()
    assert NoteForm({}).is_valid()


@pytest.mark.parametrize(
    "text",
    [
        "010190.1234",
        "010190/1234",
        "01-01-90-1234",
        "０１０１９０-１２３４",
        "20-12-34-56",
        "20.12.34.56",
        "201 234 56",
        "mor.jensen(at)gmail.com",
        "mor.jensen＠gmail.com",
    ],
)
def test_identifiers_that_used_to_get_past_the_guard_are_refused(text):
    with pytest.raises(ValidationError):
        validate_anonymous_text(text)


def test_a_name_and_a_street_address_are_warned_about_not_refused():
    from forpost.core.anonymity import find_personal_hints

    text = "Mor hedder Fatima Hansen og bor på Nørrebrogade 12"
    validate_anonymous_text(text)  # not refused
    assert find_personal_hints(text) == ["name", "address"]
