"""The desk's page drawn with the widgets drawn in Python (forpost.core.renderers) is the page
Django's widget templates draw, fresh and with errors, in each staff language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.forms.renderers import get_default_renderer

from .test_views import CREATE


def _without_tokens(html: str) -> str:
    return re.sub(r'name="(csrfmiddlewaretoken|submission_token)" value="[^"]*"', r'name="\1" value=""', html)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_desk_page_is_the_page_the_widget_templates_draw(client_for, desk, monkeypatch, language):  # type: ignore[no-untyped-def]
    client = client_for(desk.cast.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    wrong = {"note": "<b>x</b>", "minutes": "abc", "themes": [str(desk.divorce.pk)]}
    fast = [client.get(CREATE), client.post(CREATE, wrong)]
    monkeypatch.setattr(get_default_renderer(), "drawn", {})
    slow = [client.get(CREATE), client.post(CREATE, wrong)]
    for drawn, templated in zip(fast, slow, strict=True):
        assert drawn.status_code == templated.status_code == 200
        assert _without_tokens(drawn.content.decode()) == _without_tokens(templated.content.decode())
    assert 'lang="' + language + '"' in fast[0].content.decode()
