from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from forpost.core.translated import TextPerLanguage, Translated, render, translated

register = template.Library()


@register.simple_tag
def translated_text(value: Any, field: str = "", breaks: bool = False) -> SafeString:
    """`{% translated_text centre "description" breaks=True %}` or `{% translated_text group.name %}`:
    the text in the page's language, or the Danish text marked lang="da". `value` may also be a
    text from a data file (`TextPerLanguage`, e.g. a concept requirement's label)."""
    if isinstance(value, TextPerLanguage):
        value = value.translated()
    elif not isinstance(value, Translated):
        value = translated(value, field) if field else Translated(str(value or ""), "da")
    return render(value, breaks=breaks)
