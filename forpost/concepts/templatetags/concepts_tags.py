"""Small helpers that put concept data into words for the templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from forpost.concepts import indicators
from forpost.concepts.definitions import AttestedMeasure, IndicatorMeasure, Requirement
from forpost.concepts.indicators import Unit

register = template.Library()


def threshold_text(value: float, unit: str) -> str:
    if unit == Unit.SHARE:
        return f"{value * 100:.0f} %"
    if unit == Unit.YES_NO:
        return _("yes") if value else _("no")
    number = str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    if unit == Unit.HOURS_PER_WEEK:
        return _("%(hours)s hours a week") % {"hours": number}
    return number


def comparison_text(comparison: str, threshold: float, unit: str) -> str:
    if unit == Unit.YES_NO and comparison in (">=", "==") and threshold == 1:
        return _("yes")
    words = {
        ">=": _("at least %(threshold)s"),
        ">": _("more than %(threshold)s"),
        "<=": _("at most %(threshold)s"),
        "<": _("less than %(threshold)s"),
        "==": _("exactly %(threshold)s"),
    }[comparison]
    return words % {"threshold": threshold_text(threshold, unit)}


@register.filter
def indicator_label(name: str) -> str:
    spec = indicators.BY_NAME.get(name)
    return str(spec.label) if spec else name


@register.filter
def measure_text(requirement: Requirement) -> str:
    """'Open drop-in hours in the weakest week: at least 6 hours a week', or the statement."""
    measure = requirement.measure
    if isinstance(measure, AttestedMeasure):
        return _("Attested by the coordinator: “%(statement)s”") % {"statement": measure.statement}
    assert isinstance(measure, IndicatorMeasure)
    spec = indicators.BY_NAME[measure.name]
    return f"{spec.label}: {comparison_text(measure.comparison, measure.threshold, spec.unit)}"


@register.filter
def reading(requirement: Requirement) -> str:
    """How Forpost reads the requirement, shown beside its verdict: what is measured against
    which threshold, how binding the paper's words are, and the concept file's note (which
    weeks may be excused, what makes "partly met", the tolerance…)."""
    measured = measure_text(requirement)
    if requirement.strength.value != "shall":
        measured += f" ({requirement.strength.label})"
    parts = [measured if measured.endswith((".", "”")) else f"{measured}."]
    if requirement.note:
        parts.append(str(requirement.note))
    return " ".join(parts)


@register.filter
def target_text(target: float | None, requirement: Requirement) -> str:
    measure = requirement.measure
    if target is None or not isinstance(measure, IndicatorMeasure):
        return ""
    spec = indicators.BY_NAME[measure.name]
    return comparison_text(measure.comparison, target, spec.unit)


@register.filter
def params_text(params: Any) -> str:
    """Parameters of an indicator as 'types: daycare_visit, theme_event'."""
    parts = []
    for key, value in dict(params or {}).items():
        shown = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


@register.filter
def reading_details(requirement: Requirement | None) -> str:
    """Every part of a requirement's reading, for comparing two texts: what is measured
    against which threshold, what makes "partly met", the indicator's parameters (e.g. the
    weeks a year that may be excused) and how binding it is."""
    if requirement is None:
        return ""
    parts = [measure_text(requirement)]
    measure = requirement.measure
    if isinstance(measure, IndicatorMeasure):
        if measure.partly_met_share is not None:
            share = formats.number_format(measure.partly_met_share * 100, decimal_pos=0)
            parts.append(_("partly met from %(share)s %% of the weeks at the threshold") % {"share": share})
        for key, value in sorted(measure.params.items()):
            shown = [formats.number_format(v) if isinstance(v, float) else str(v) for v in _listed(value)]
            parts.append(f"{key}: {', '.join(shown)}")
    if requirement.strength.value != "shall":
        parts.append(str(requirement.strength.label))
    return " · ".join(parts)


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


# Numbers beyond one centre (the city's year wheel) follow the status's rule for small counts
# (forpost.core.disclosure.masked_value): a small count of people "<5", a share that pins one "×".


@register.filter
def disclosed(duty: Any) -> str:
    """A duty's value as shown beyond its centre."""
    from forpost.core.disclosure import masked_value
    from forpost.core.suppression import default_threshold

    return masked_value(duty.evaluation.value, duty.metric, default_threshold())


@register.filter
def disclosed_value(value: Any) -> str:
    """An indicator value (e.g. the data beside an attestation) as shown beyond its centre."""
    from forpost.core.disclosure import masked_value
    from forpost.core.suppression import default_threshold

    return masked_value(value, "", default_threshold())


@register.filter
def disclosed_text(text: str) -> str:
    """A sentence of evidence with its small counts written "<5"."""
    from forpost.core.disclosure import masked_text
    from forpost.core.suppression import default_threshold

    return masked_text(str(text), default_threshold())
