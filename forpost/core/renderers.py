"""Form widgets drawn in Python: the very HTML of Django's own widget templates, faster.

Django draws every widget, and every option of a select or a list of checkboxes, by rendering
a small template; the desk's form has some 400 options, and drawing them was half of what the
desk's page cost the server. `FormRenderer` draws the common widgets (inputs, selects,
checkboxes, radio buttons, text areas) with the same markup in Python, escaping and
formatting each value exactly as the template language does.

It does so only for a widget template whose source is the one written below, as the renderer's
own template loader finds it: a package or app that overrides a widget template, or a Django
whose templates change, gets its templates drawn by the template engine as before. Anything
else (form and field templates, other widgets, a context this module does not expect) goes to
the template engine too. Nothing is kept between calls: the output depends on the widget's
context alone (tests/test_renderers.py compares it with the templates').
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.utils.functional import cached_property
from django.utils.safestring import SafeData, mark_safe

W = "django/forms/widgets/"
_INPUT_INCLUDE = '{% include "django/forms/widgets/input.html" %}\n'
_OPTION_INCLUDE = '{% include "django/forms/widgets/input_option.html" %}\n'
_MULTIPLE_INCLUDE = '{% include "django/forms/widgets/multiple_input.html" %}\n'
# The sources this module reproduces, character for character (Django 5.2).
SOURCES = {
    W + "attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
    ),
    W + "input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    W + "input_option.html": (
        '{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"{% endif %}>'
        '{% endif %}{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
    ),
    W + "select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
        '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
        "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
        "  </optgroup>{% endif %}{% endfor %}\n"
        "</select>\n"
    ),
    W + "select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
    W + "multiple_input.html": (
        '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
        '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
        "{% for group, options, index in widget.optgroups %}{% if group %}\n"
        "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
        "    {% include option.template_name with widget=option %}</div>{% endfor %}{% if group %}\n"
        "  </div>{% endif %}{% endfor %}\n"
        "</div>{% endwith %}\n"
    ),
    W + "textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    W + "checkbox_option.html": _OPTION_INCLUDE,
    W + "radio_option.html": _OPTION_INCLUDE,
    W + "checkbox_select.html": _MULTIPLE_INCLUDE,
    W + "radio.html": _MULTIPLE_INCLUDE,
    **{
        f"{W}{kind}.html": _INPUT_INCLUDE
        for kind in (
            "text",
            "hidden",
            "date",
            "time",
            "datetime",
            "number",
            "email",
            "url",
            "password",
            "search",
            "tel",
            "color",
            "checkbox",
        )
    },
}


class _Context:
    """What the template language's `{{ value }}` reads from its context: as a form
    renderer's template is rendered (autoescape on, the settings' time zone and locale)."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT: Any = _Context()


class NotDrawnHere(Exception):
    """A context or an option template this module does not draw: the template engine does."""


def _text(value: Any) -> str:
    """`{{ value }}`"""
    return str(render_value_in_context(value, _CONTEXT))


def _plain(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`"""
    try:
        formatted = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        formatted = ""
    # A safe value stays safe, as the filter (is_safe) keeps it.
    return _text(mark_safe(formatted) if isinstance(value, SafeData) else formatted)  # noqa: S308


def _widget(context: dict[str, Any]) -> dict[str, Any]:
    widget = context.get("widget")
    if not isinstance(widget, dict) or not isinstance(widget.get("attrs"), dict):
        raise NotDrawnHere
    return widget


def _attrs(widget: dict[str, Any]) -> str:
    parts = []
    for name, value in widget["attrs"].items():
        if value is not False:
            parts.append(" " + _text(name))
            if value is not True:
                parts.append('="' + _plain(value) + '"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = ' value="' + _plain(value) + '"' if value != None else ""  # noqa: E711 (the template's `!=`)
    return (
        '<input type="'
        + _text(widget["type"])
        + '" name="'
        + _text(widget["name"])
        + '"'
        + shown
        + _attrs(widget)
        + ">\n"
    )


def _input_option(widget: dict[str, Any]) -> str:
    wrap = widget.get("wrap_label")
    html = ""
    if wrap:
        given = widget["attrs"].get("id")
        html = "<label" + (' for="' + _text(given) + '"' if given else "") + ">"
    html += _input(widget)
    if wrap:
        html += " " + _text(widget["label"]) + "</label>"
    return html + "\n"


def _select(widget: dict[str, Any], include: Callable[[Any], str]) -> str:
    html = '<select name="' + _text(widget["name"]) + '"' + _attrs(widget) + ">"
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html += '\n  <optgroup label="' + _text(group_name) + '">'
        for option in group_choices:
            html += "\n  " + include(option)
        if group_name:
            html += "\n  </optgroup>"
    return html + "\n</select>\n"


def _select_option(widget: dict[str, Any]) -> str:
    return (
        '<option value="'
        + _plain(widget["value"])
        + '"'
        + _attrs(widget)
        + ">"
        + _text(widget["label"])
        + "</option>\n"
    )


def _multiple(widget: dict[str, Any], include: Callable[[Any], str]) -> str:
    given = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    html = (
        "<div" + (' id="' + _text(given) + '"' if given else "") + (' class="' + _text(css) + '"' if css else "") + ">"
    )
    for group, options, _index in widget["optgroups"]:
        if group:
            html += "\n  <div><label>" + _text(group) + "</label>"
        for option in options:
            html += "<div>\n    " + include(option) + "</div>"
        if group:
            html += "\n  </div>"
    return html + "\n</div>\n"


def _textarea(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return (
        '<textarea name="'
        + _text(widget["name"])
        + '"'
        + _attrs(widget)
        + ">\n"
        + (_text(value) if value else "")
        + "</textarea>\n"
    )


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's template renderer, with the common widgets drawn in Python."""

    @cached_property
    def drawn(self) -> dict[str, Callable[[dict[str, Any]], str]]:
        """The widget templates drawn here: those whose source, as this renderer's loader
        finds it, is the one this module reproduces (with every template it includes)."""
        same = {name for name, source in SOURCES.items() if self._source(name) == source}
        draw: dict[str, Callable[[dict[str, Any]], str]] = {}

        def include(option: Any) -> str:
            if not isinstance(option, dict) or option.get("template_name") not in draw:
                raise NotDrawnHere
            return draw[option["template_name"]](_widget({"widget": option}))

        base = {W + "attrs.html", W + "input.html"}
        if not base <= same:
            return {}
        for name, source in SOURCES.items():
            if name not in same:
                continue
            if source == _INPUT_INCLUDE:
                draw[name] = lambda w: _input(w) + "\n"
            elif source == _OPTION_INCLUDE and W + "input_option.html" in same:
                draw[name] = lambda w: _input_option(w) + "\n"
            elif source == _MULTIPLE_INCLUDE and W + "multiple_input.html" in same:
                draw[name] = lambda w: _multiple(w, include) + "\n"
        if W + "select.html" in same:
            draw[W + "select.html"] = lambda w: _select(w, include)
        if W + "select_option.html" in same:
            draw[W + "select_option.html"] = _select_option
        if W + "textarea.html" in same:
            draw[W + "textarea.html"] = _textarea
        return draw

    def _source(self, name: str) -> str | None:
        try:
            return str(self.get_template(name).template.source)
        except Exception:  # missing, or not a Django template: drawn by the engine
            return None

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        draw = self.drawn.get(template_name)
        if draw is not None and request is None and context.keys() == {"widget"}:
            try:
                return draw(_widget(context)).strip()
            except (NotDrawnHere, KeyError, TypeError, ValueError):
                pass  # the template engine draws what this module does not expect
        return str(super().render(template_name, context, request=request))
