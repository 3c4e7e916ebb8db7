"""Factories for registrations (used by tests, the URL walker and the benchmark)."""

from __future__ import annotations

from datetime import date
from typing import Any

from forpost.centres.models import Centre

from . import services
from .models import Action, Channel, Course, Inquiry, Referral, ReferralDestination, ScoreNorm, Session, Theme


def ensure_reference_data() -> None:
    """Seed the reference lists again if a transactional test flushed the database."""
    if not Channel.objects.exists() or not ScoreNorm.objects.exists():
        from importlib import import_module

        from django.apps import apps

        import_module("forpost.registrations.migrations.0003_seed_reference_data").seed(apps, None)
        import_module("forpost.registrations.migrations.0006_methods_and_offer_referrals").seed(apps, None)


def make_inquiry(centre: Centre, *, actor: Any = None, **fields: Any) -> Inquiry:
    ensure_reference_data()
    fields.setdefault("channel", Channel.objects.get(code="walk_in"))
    fields.setdefault("date", date(2026, 3, 10))
    themes = fields.pop("themes", [Theme.objects.get(code="upbringing")])
    actions = fields.pop("actions", [Action.objects.get(code="advice")])
    children = fields.pop("children", [("3-5", "girl")])
    return services.register_inquiry(
        actor=actor, centre=centre, themes=themes, actions=actions, children=children, **fields
    )


def make_course(centre: Centre, *, actor: Any = None, norm: str = "adult", **fields: Any) -> Course:
    ensure_reference_data()
    inquiry = fields.pop("inquiry", None) or make_inquiry(centre, actor=actor)
    return services.start_course(
        actor=actor,
        inquiry=inquiry,
        score_norm=ScoreNorm.objects.get(code=norm),
        started_on=fields.pop("started_on", inquiry.date),
        **fields,
    )


def make_session(course: Course, *, actor: Any = None, **fields: Any) -> Session:
    fields.setdefault("date", course.started_on)
    return services.add_session(actor=actor, course=course, **fields)


def make_referral(course: Course, *, actor: Any = None) -> Referral:
    return services.refer_from_course(
        actor=actor, course=course, destination=ReferralDestination.FAMILY_UNIT, made_on=course.started_on
    )
