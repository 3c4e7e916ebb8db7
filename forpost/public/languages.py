"""The public pages' languages: Danish at the root, the others under a prefix (/en/, /ar/, …).

A prefix, not a cookie: each language has its own address, so a page can be cached by any
proxy, bookmarked, and sent to a friend in the language it was read in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

DEFAULT = settings.LANGUAGE_CODE
CODES = [code for code, _name in settings.LANGUAGES]
PREFIXED = [code for code in CODES if code != DEFAULT]
# Each language in its own name (Django has no Somali locale to ask).
LOCAL_NAMES = {"da": "Dansk", "en": "English", "ar": "العربية", "tr": "Türkçe", "ur": "اردو", "so": "Soomaali"}
RIGHT_TO_LEFT = {"ar", "ur"}


class LanguageConverter:
    regex = "|".join(PREFIXED)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def public_reverse(name: str, language: str, **kwargs: Any) -> str:
    if language != DEFAULT:
        kwargs["lang"] = language
    return reverse(name, kwargs=kwargs or None)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool
    rtl: bool


def language_links(request: HttpRequest, current: str) -> list[LanguageLink]:
    """The same page in each public language."""
    match = request.resolver_match
    url_name = (match.url_name if match else None) or ""
    name = f"{match.namespace}:{url_name}" if match and match.namespace else url_name
    kwargs = {k: v for k, v in (match.kwargs if match else {}).items() if k != "lang"}
    return [
        LanguageLink(
            code,
            LOCAL_NAMES.get(code, code),
            public_reverse(name, code, **kwargs),
            code == current,
            code in RIGHT_TO_LEFT,
        )
        for code in CODES
    ]
