"""Model data in the reader's language, or in Danish marked as Danish.

The texts staff write (a centre's description, a closure's reason, a group's name) are kept
per language by django-modeltranslation: `description_da`, `description_en`, … When the
reader's language has none, the Danish text is shown, and the page must say it is Danish
(lang="da"), or a screen reader reads Danish words with Arabic or English sounds.

Texts written in a data file rather than typed by staff (a concept version's labels and notes,
forpost/concepts/data/*.yaml) follow the same convention: one text per language, `{da: …, en: …}`
in the file as `label_da`, `label_en` are in a table, held as a `TextPerLanguage` and chosen and
marked by the same rule as model data (`translated`, `render`, `{% translated_text %}`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language, get_language_info
from modeltranslation.utils import build_localized_fieldname

FALLBACK = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Translated:
    """A text and the language it is written in."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def active_language() -> str:
    return (get_language() or FALLBACK).split("-")[0]


def _choose(text_in: Callable[[str], str | None], language: str | None) -> Translated:
    """The text in `language` (the active one by default), else the Danish one: the one rule."""
    language = language or active_language()
    own = text_in(language)
    if own:
        return Translated(own, language)
    return Translated(text_in(FALLBACK) or "", FALLBACK)


def translated(obj: models.Model, field: str, language: str | None = None) -> Translated:
    """`obj.field` in `language` (the active one by default), else in Danish."""
    return _choose(lambda code: getattr(obj, build_localized_fieldname(field, code), None), language)


@dataclass(frozen=True, init=False)
class TextPerLanguage:
    """A text a data file gives per language, `{da: …, en: …}`: the file's counterpart of a
    translated model field. `str()` gives it in the active language or in Danish; templates show
    it with `{% translated_text value %}`, which marks Danish shown in another language's page."""

    texts: tuple[tuple[str, str], ...]

    def __init__(self, texts: Mapping[str, str]) -> None:
        if not texts.get(FALLBACK):
            raise ValueError(f"A text per language needs its {FALLBACK!r} text; got {sorted(texts)}.")
        unknown = set(texts) - set(settings.MODELTRANSLATION_LANGUAGES)
        if unknown:
            raise ValueError(f"Unknown languages {sorted(unknown)}; known: {settings.MODELTRANSLATION_LANGUAGES}.")
        object.__setattr__(self, "texts", tuple((code, text.strip()) for code, text in texts.items() if text))

    def get(self, language: str) -> str | None:
        return dict(self.texts).get(language)

    def translated(self, language: str | None = None) -> Translated:
        return _choose(self.get, language)

    def __str__(self) -> str:
        return self.translated().text


def render(value: Translated, *, breaks: bool = False) -> SafeString:
    """The text as HTML, wrapped in <span lang="…"> when it is not in the page's language."""
    body = linebreaksbr(value.text, autoescape=True) if breaks else conditional_escape(value.text)
    page = active_language()
    if value.language == page:
        return format_html("{}", body)  # body is already safe: escaped above
    if _right_to_left(value.language) != _right_to_left(page):
        # Danish in an Arabic or Urdu page: its own direction, or "Bus 5C." reads ".Bus 5C".
        direction = "rtl" if _right_to_left(value.language) else "ltr"
        return format_html('<span lang="{}" dir="{}">{}</span>', value.language, direction, body)
    return format_html('<span lang="{}">{}</span>', value.language, body)


def _right_to_left(language: str) -> bool:
    try:
        return bool(get_language_info(language)["bidi"])
    except KeyError:
        return False


def per_language(field: str) -> list[str]:
    """The columns of a translated field, Danish first: ["name_da", "name_en", …] (for forms)."""
    return [build_localized_fieldname(field, code) for code in settings.MODELTRANSLATION_LANGUAGES]


def label_languages(form: Any, fields: list[str]) -> None:
    """Label each per-language form field with its language's name, not its code
    ("Name (Arabic)", not "Name [ar]"), and let the browser know the language and direction
    typed in it (an Arabic name is written right to left)."""
    names = dict(settings.LANGUAGES)
    for field in fields:
        for code in settings.MODELTRANSLATION_LANGUAGES:
            name = build_localized_fieldname(field, code)
            if name not in form.fields:
                continue
            form_field = form.fields[name]
            base = form.instance._meta.get_field(field).verbose_name
            form_field.label = format_lazy("{} ({})", capfirst(base), names[code])
            form_field.widget.attrs.update({"lang": code, "dir": "rtl" if _right_to_left(code) else "ltr"})
