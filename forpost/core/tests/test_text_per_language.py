"""One rule for translated texts (issue 17, item 4): what staff type is kept per language by
django-modeltranslation; what a data file gives per language ({da: …, en: …}, a concept's labels)
is a TextPerLanguage. Both show the reader's language, else Danish marked lang="da"."""

import pytest
from django.template import Context, Template
from django.utils import translation

from forpost.core.translated import TextPerLanguage, Translated


def _tag(value):
    return Template("{% load translated_tags %}{% translated_text value %}").render(Context({"value": value}))


def test_a_text_per_language_is_given_in_the_active_language():
    text = TextPerLanguage({"da": "Tidlig hjælp", "en": "Early help"})
    with translation.override("en"):
        assert str(text) == "Early help"
        assert text.translated() == Translated("Early help", "en")
    with translation.override("da"):
        assert str(text) == "Tidlig hjælp"


def test_a_missing_translation_falls_back_to_danish_and_says_so():
    text = TextPerLanguage({"da": "Tidlig hjælp"})
    with translation.override("en"):
        assert text.translated() == Translated("Tidlig hjælp", "da")
        assert _tag(text) == '<span lang="da">Tidlig hjælp</span>'
    with translation.override("ar"):
        assert _tag(text) == '<span lang="da" dir="ltr">Tidlig hjælp</span>'


def test_a_translated_text_from_a_file_is_not_marked():
    with translation.override("en"):
        assert _tag(TextPerLanguage({"da": "Tidlig hjælp", "en": "Early <help>"})) == "Early &lt;help&gt;"


def test_a_text_without_danish_or_in_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'da'"):
        TextPerLanguage({"en": "Early help"})
    with pytest.raises(ValueError, match="xx"):
        TextPerLanguage({"da": "Tidlig hjælp", "xx": "?"})


def test_texts_per_language_compare_and_hash_by_their_texts():
    a = TextPerLanguage({"da": " Tidlig hjælp ", "en": "Early help"})
    assert a == TextPerLanguage({"da": "Tidlig hjælp", "en": "Early help"})
    assert len({a, TextPerLanguage({"da": "Tidlig hjælp", "en": "Early help"})}) == 1
