from typing import Any

from django import template
from django.utils.translation import get_language

from ..languages import DEFAULT, public_reverse

register = template.Library()


@register.simple_tag
def public_url(name: str, **kwargs: Any) -> str:
    """The address of a public page in the language being shown."""
    return public_reverse(name, get_language() or DEFAULT, **kwargs)
