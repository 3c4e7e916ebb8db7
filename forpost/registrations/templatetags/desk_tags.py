"""`{% fixed form "part" %}…{% endfixed %}`: a part of a fresh desk form drawn once per process
and generation of the reference data, not at every registration.

Most of the desk's form is the same for every counsellor at every registration: the children's
rows, who made contact, the channels, themes and actions, the family's details. The form says
which fields a part holds and when it may be kept (`InquiryForm.fixed_key`: only a fresh,
unbound new form, keyed by the language, the fields' initial values and the municipalities
whose districts it offers); the copy is kept by forpost.core.generation, so a change of any
reference list is shown at the next request. A part must hold nothing of the request (no
token, no date, no centre, no offer): those are drawn each time, outside the parts."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token

from forpost.core import generation

register = template.Library()


class FixedNode(template.Node):
    def __init__(self, nodelist: NodeList, form: FilterExpression, part: str) -> None:
        self.nodelist, self.form, self.part = nodelist, form, part

    def render(self, context: template.Context) -> str:
        form: Any = self.form.resolve(context)
        key = form.fixed_key(self.part) if hasattr(form, "fixed_key") else None
        if key is None:
            return str(self.nodelist.render(context))
        return str(generation.cached(f"desk-part:{key}", lambda: self.nodelist.render(context)))


@register.tag("fixed")
def fixed(parser: Parser, token: Token) -> FixedNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[2][0] not in "\"'" or bits[2][-1] != bits[2][0]:
        raise template.TemplateSyntaxError('Usage: {% fixed form "part" %}…{% endfixed %}')
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist, parser.compile_filter(bits[1]), bits[2][1:-1])
