"""Model data in the reader's language, or in Danish marked as Danish.

The texts staff write (a centre's description, a closure's reason, a group's name) are kept
per language by django-modeltranslation: `description_da`, `description_en`, … When the
reader's language has none, the Danish text is shown, and the page must say it is Danish
(lang="da"), or a screen reader reads Danish words with Arabic or English sounds.
"""

from __future__ import annotations

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


def translated(obj: models.Model, field: str, language: str | None = None) -> Translated:
    """`obj.field` in `language` (the active one by default), else in Danish."""
    language = language or active_language()
    own = getattr(obj, build_localized_fieldname(field, language), None)
    if own:
        return Translated(own, language)
    return Translated(getattr(obj, build_localized_fieldname(field, FALLBACK), None) or "", FALLBACK)


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
