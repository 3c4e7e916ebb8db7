"""The inquiry counts behind the annual status (see InquiryFact).

`inquiry_facts(inquiry)` lists what one inquiry adds to its centre's year. A registration
service takes the facts before and after a change and calls `apply_change()` inside its
transaction, so the counts are always those of the registrations. `rebuild()` recomputes
them with one grouped query per dimension (after a bulk load or a repair).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractIsoWeekDay, ExtractMonth, ExtractYear

from .models import InquiryFact

Facts = Counter[tuple[str, str]]

CHILD_AGES_0_12 = ("0-2", "3-5", "6-9", "10-12")

# Dimensions counted once per inquiry from a plain field: dimension → field.
FIELD_DIMENSIONS = {
    "contact": "contact_person",
    "family": "family_type",
    "parent_sex": "parent_sex",
    "origin": "origin",
    "has_case": "has_case",
}


def inquiry_facts(inquiry: Any) -> Facts:
    """What one saved inquiry (with its themes, actions and children) counts for."""
    facts: Facts = Counter()
    facts[("total", "")] += 1
    facts[("month", str(inquiry.date.month))] += 1
    facts[("weekday", str(inquiry.date.isoweekday()))] += 1
    facts[("channel", str(inquiry.channel_id))] += 1
    for dimension, field in FIELD_DIMENSIONS.items():
        facts[(dimension, getattr(inquiry, field))] += 1
    facts[("district", str(inquiry.district_id) if inquiry.district_id else inquiry.residence)] += 1
    facts[("referral_source", str(inquiry.referral_source_id or ""))] += 1
    for theme_id in inquiry.themes.values_list("pk", flat=True):
        facts[("theme", str(theme_id))] += 1
    for action_id in inquiry.actions.values_list("pk", flat=True):
        facts[("action", str(action_id))] += 1
    children = list(inquiry.children.values_list("age_band", "sex"))
    for age, sex in children:
        facts[("child_age", age)] += 1
        facts[("child_sex", sex)] += 1
    facts[("children", "")] += len(children)
    facts[("child_0_12", "yes" if any(age in CHILD_AGES_0_12 for age, _sex in children) else "no")] += 1
    if inquiry.concern_reported_on:
        facts[("concern", "")] += 1
    if inquiry.minutes:
        facts[("minutes", "")] += inquiry.minutes
        facts[("minutes_n", "")] += 1
    return facts


def facts_of(inquiry: Any | None) -> tuple[int, int, Facts] | None:
    """(centre id, year, facts) of an inquiry as it is now, or None for no inquiry."""
    if inquiry is None or inquiry.pk is None:
        return None
    return inquiry.centre_id, inquiry.date.year, inquiry_facts(inquiry)


def apply_change(before: tuple[int, int, Facts] | None, after: tuple[int, int, Facts] | None) -> None:
    """Move the counts from `before` to `after` (either may be None: a create or a delete)."""
    deltas: Counter[tuple[int, int, str, str]] = Counter()
    if before is not None:
        centre, year, facts = before
        for (dimension, value), n in facts.items():
            deltas[(centre, year, dimension, value)] -= n
    if after is not None:
        centre, year, facts = after
        for (dimension, value), n in facts.items():
            deltas[(centre, year, dimension, value)] += n
    with transaction.atomic():
        # Sorted, so concurrent changes take the row locks in the same order (no deadlock).
        for (centre, year, dimension, value), n in sorted(deltas.items()):
            if n == 0:
                continue
            row = InquiryFact.objects.filter(centre_id=centre, year=year, dimension=dimension, value=value)
            if row.update(count=F("count") + n):
                continue
            try:
                # A savepoint: if another transaction inserted the same count row meanwhile,
                # the unique constraint refuses ours and we add to theirs instead.
                with transaction.atomic():
                    InquiryFact.objects.create(centre_id=centre, year=year, dimension=dimension, value=value, count=n)
            except IntegrityError:
                row.update(count=F("count") + n)


def rebuild(*, centre_ids: Iterable[int] | None = None, years: Iterable[int] | None = None) -> int:
    """Recompute the counts from the registrations; returns the number of count rows."""
    from forpost.registrations.models import Child, Inquiry, InquiryAction, InquiryTheme

    inquiries = Inquiry.objects.all()
    scope = Q()
    if centre_ids is not None:
        scope &= Q(centre_id__in=list(centre_ids))
    if years is not None:
        scope &= Q(year__in=list(years))
    inquiries = inquiries.annotate(year=ExtractYear("date")).filter(scope)

    rows: Counter[tuple[int, int, str, str]] = Counter()

    def add(dimension: str, qs: Any, value_expr: str | None, count: Any = None) -> None:
        keys = ["centre_id", "year"] + ([value_expr] if value_expr else [])
        for row in qs.values(*keys).annotate(n=count or Count("pk")).order_by():
            value = "" if value_expr is None else row[value_expr]
            if row["n"]:
                rows[(row["centre_id"], row["year"], dimension, "" if value is None else str(value))] += row["n"]

    add("total", inquiries, None)
    add("month", inquiries.annotate(m=ExtractMonth("date")), "m")
    add("weekday", inquiries.annotate(w=ExtractIsoWeekDay("date")), "w")
    add("channel", inquiries, "channel_id")
    for dimension, field in FIELD_DIMENSIONS.items():
        add(dimension, inquiries, field)
    add("district", inquiries.filter(district__isnull=False), "district_id")
    add("district", inquiries.filter(district__isnull=True), "residence")
    add("referral_source", inquiries, "referral_source_id")
    add("concern", inquiries.filter(concern_reported_on__isnull=False), None)
    add("minutes", inquiries.filter(minutes__gt=0), None, Sum("minutes"))
    add("minutes_n", inquiries.filter(minutes__gt=0), None)

    def related(model: Any) -> Any:
        return model.objects.annotate(year=ExtractYear("inquiry__date"), centre_id=F("inquiry__centre_id")).filter(
            scope
        )

    add("theme", related(InquiryTheme), "theme_id")
    add("action", related(InquiryAction), "action_id")
    children = related(Child)
    add("child_age", children, "age_band")
    add("child_sex", children, "sex")
    add("children", children, None)
    # Inquiries about at least one child aged 0-12 (the concept's main target group).
    young = (
        inquiries.filter(children__age_band__in=CHILD_AGES_0_12)  # type: ignore[misc]
        .values("centre_id", "year")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    young_by = {(r["centre_id"], r["year"]): r["n"] for r in young}
    for (c, y, d, _v), n in list(rows.items()):
        if d == "total":
            rows[(c, y, "child_0_12", "yes")] += young_by.get((c, y), 0)
            rows[(c, y, "child_0_12", "no")] += n - young_by.get((c, y), 0)

    with transaction.atomic():
        existing = InquiryFact.objects.all()
        if centre_ids is not None:
            existing = existing.filter(centre_id__in=list(centre_ids))
        if years is not None:
            existing = existing.filter(year__in=list(years))
        existing.delete()
        InquiryFact.objects.bulk_create(
            [
                InquiryFact(centre_id=c, year=y, dimension=d, value=v, count=n)
                for (c, y, d, v), n in sorted(rows.items())
                if n
            ],
            batch_size=2000,
        )
    return sum(1 for n in rows.values() if n)
