from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .. import busy
from ..languages import DEFAULT, public_reverse

register = template.Library()


@register.simple_tag
def public_url(name: str, **kwargs: Any) -> str:
    """The address of a public page in the language being shown."""
    return public_reverse(name, get_language() or DEFAULT, **kwargs)


@register.filter
def ltr(value: Any) -> SafeString:
    """A left-to-right piece (a Danish name or address, a time, a phone number) isolated from
    the text around it. Inside Arabic or Urdu, the bidirectional algorithm would otherwise
    reorder its parts: "2200 København N" shown as "København N 2200", "14:00–17:00" as
    "17:00–14:00", a full stop moved to the wrong end."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def danish(value: Any) -> SafeString:
    """Danish data (a centre's name, a street, a district) marked as Danish and isolated."""
    return format_html('<bdi lang="da" dir="ltr">{}</bdi>', value)


@register.filter
def busy_times(availability: Any) -> Any:
    """A room's busy times for the room request page: what recurs every week once, then the
    other times by date (forpost.public.busy)."""
    return busy.busy_times(availability, timezone.localdate())
