"""The widgets drawn in Python (forpost.core.renderers) are the very HTML of Django's widget
templates, and any template it does not know, or that something overrides, is left to them."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from forpost.core.renderers import SOURCES, FormRenderer, NotDrawnHere

THEMES = [
    (1, "Opdragelse"),
    (2, "Skilsmisse & samvær"),
    (1234567, '<b>"citat"</b>'),
    ("x y", mark_safe("<i>sikker</i>")),
]


class EveryWidget(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"class": "a<b", "data-x": '"q"', "autofocus": True}))
    hidden = forms.CharField(widget=forms.HiddenInput, initial="tok&en")
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "max": 1000000, "disabled": False}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), initial=date(2026, 3, 10))
    moment = forms.TimeField(widget=forms.TimeInput, initial=time(9, 30))
    email = forms.EmailField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="<script>&amp;")
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    tick = forms.BooleanField(required=False, initial=True)
    pick = forms.ChoiceField(choices=[("", "Vælg…"), *THEMES], initial=2)
    grouped = forms.ChoiceField(
        choices=[(gettext_lazy("Districts"), [("d1", "Nørrebro"), ("d2", "Amager <Øst>")]), ("out", "Uden for")],
        initial="d2",
    )
    many = forms.MultipleChoiceField(choices=THEMES, initial=[1, "x y"], widget=forms.SelectMultiple)
    ticks = forms.MultipleChoiceField(choices=THEMES, initial=[1234567], widget=forms.CheckboxSelectMultiple)
    radios = forms.ChoiceField(
        choices=[(gettext_lazy("Group"), [("a", "A"), ("b", "B")]), ("c", gettext_lazy("Not stated"))],
        widget=forms.RadioSelect(attrs={"class": "fp-radio"}),
        initial="b",
    )


def _drawn_both_ways(form_class: type[forms.BaseForm], **kwargs: Any) -> tuple[list[str], list[str]]:
    fast, slow = form_class(renderer=FormRenderer(), **kwargs), form_class(renderer=DjangoTemplates(), **kwargs)
    assert not slow.renderer.__dict__.get("drawn")

    def html(form: forms.BaseForm) -> list[str]:
        out = []
        for name in form.fields:
            bound = form[name]
            out.append(str(bound))
            out += [str(sub.tag()) for sub in bound.subwidgets]
            out += [str(sub.tag(wrap_label=True)) for sub in bound.subwidgets]
            out.append(bound.as_hidden())
        return out

    return html(fast), html(slow)


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_common_widget_is_drawn_as_its_template_draws_it(language: str) -> None:
    with override(language):
        fast, slow = _drawn_both_ways(EveryWidget)
        assert fast == slow
        bound_fast, bound_slow = _drawn_both_ways(
            EveryWidget, data={"text": "<x>", "number": "abc", "pick": "x y", "ticks": ["1", "2"], "note": "a\nb"}
        )
        assert bound_fast == bound_slow
    assert '<option value="1234567">&lt;b&gt;&quot;citat&quot;&lt;/b&gt;</option>' in "".join(fast)
    assert '<option value="x y"><i>sikker</i></option>' in "".join(fast)


def test_a_widget_template_overridden_elsewhere_is_left_to_the_template_engine(monkeypatch: Any) -> None:
    renderer = FormRenderer()
    real = renderer._source
    monkeypatch.setattr(
        renderer, "_source", lambda name: "changed" if name.endswith("select_option.html") else real(name)
    )
    assert "django/forms/widgets/select_option.html" not in renderer.drawn
    assert "django/forms/widgets/text.html" in renderer.drawn
    # A select whose options it cannot draw is drawn by the templates, whole.
    form = EveryWidget(renderer=renderer)
    assert str(form["pick"]) == str(EveryWidget(renderer=DjangoTemplates())["pick"])
    with pytest.raises(NotDrawnHere):
        renderer.drawn["django/forms/widgets/select.html"](
            {
                "attrs": {},
                "name": "x",
                "optgroups": [(None, [{"template_name": "django/forms/widgets/select_option.html"}], 0)],
            }
        )


def test_the_input_it_draws_is_the_one_django_ships() -> None:
    renderer = FormRenderer()
    assert set(renderer.drawn) == set(SOURCES) - {
        "django/forms/widgets/attrs.html",
        "django/forms/widgets/input.html",
        "django/forms/widgets/input_option.html",
        "django/forms/widgets/multiple_input.html",
    }


def test_it_is_the_projects_form_renderer() -> None:
    assert isinstance(get_default_renderer(), FormRenderer)
