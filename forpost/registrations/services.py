"""Writes to inquiries, courses, sessions and referrals. Each is atomic and audited with an
explicit actor; edits are optimistic-locked (forpost.core.locking)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.centres.models import Centre
from forpost.core import idempotency
from forpost.core.locking import save_versioned

from . import counts as facts
from .models import (
    Action,
    ActionKind,
    BridgeStatus,
    Child,
    Course,
    Inquiry,
    InquiryAction,
    InquiryTheme,
    LabelCounter,
    Referral,
    ReferralDestination,
    Residence,
    ScoreNorm,
    Session,
    Theme,
)

INQUIRY_FIELDS = (
    "date",
    "time",
    "channel",
    "contact_person",
    "family_type",
    "parent_sex",
    "origin",
    "residence",
    "district",
    "has_case",
    "referral_source",
    "concern_reported_on",
    "minutes",
    "note",
)
INQUIRY_FOREIGN_KEYS = ("centre", "registered_by", "channel", "district", "referral_source")
COURSE_FIELDS = ("started_on", "score_norm", "method", "goals", "counsellor")
SESSION_FIELDS = (
    "date",
    "minutes",
    "place",
    "method",
    "participants",
    "scaling",
    *Session.ORS_ITEMS,
    *Session.SRS_ITEMS,
    "concern_reported_on",
    "note",
)

# --- Inquiries -----------------------------------------------------------------------------


def _inquiry_snapshot(
    inquiry: Inquiry,
    *,
    themes: Iterable[Theme] | None = None,
    actions: Iterable[Action] | None = None,
    children: Sequence[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """What the audit trail keeps of an inquiry. A service that has just written the
    relations passes them, so nothing is read back."""
    fields: list[Any] = [Inquiry._meta.get_field(f) for f in INQUIRY_FIELDS if f != "note"]
    data = audit.snapshot(inquiry, [f.attname for f in fields])
    data["note_length"] = len(inquiry.note)  # the note itself stays out of the trail
    data["themes"] = sorted(
        inquiry.themes.values_list("code", flat=True) if themes is None else {t.code for t in themes}
    )
    data["actions"] = sorted(
        inquiry.actions.values_list("code", flat=True) if actions is None else {a.code for a in actions}
    )
    data["children"] = (
        [[c.age_band, c.sex] for c in inquiry.children.all()]
        if children is None
        else [[age, sex] for age, sex in children]
    )
    return data


def _check_inquiry(fields: dict[str, Any], actions: Sequence[Action]) -> None:
    errors: dict[str, str] = {}
    if fields.get("residence") == Residence.DISTRICT and not fields.get("district"):
        errors["district"] = _("Choose the district, or say the family lives outside the municipality.")
    if fields.get("residence") != Residence.DISTRICT:
        fields["district"] = None
    concern = any(a.kind == ActionKind.CONCERN for a in actions)
    if fields.get("concern_reported_on") and not concern:
        errors["concern_reported_on"] = _("A date of a report of concern needs the action 'report of concern'.")
    if concern and not fields.get("concern_reported_on"):
        fields["concern_reported_on"] = fields.get("date") or timezone.localdate()
    if errors:
        raise ValidationError(errors)


def _sync_referrals(*, inquiry: Inquiry, actions: Sequence[Action], new: bool) -> tuple[list[Any], list[Any]]:
    """One referral per referral action chosen; a removed action drops its referral.
    Returns what the referrals dropped and made counted for (before, after)."""
    wanted = {a.referral_destination for a in actions if a.kind == ActionKind.REFERRAL}
    # A referral to an offer in the directory is not an action: it stays (refer_to_offer).
    existing = (
        {} if new else {r.destination: r for r in inquiry.referrals.exclude(destination=ReferralDestination.OFFER)}
    )
    before, after = [], []
    for destination, referral in existing.items():
        if destination not in wanted:
            before.append(facts.referral_facts_of(referral))
            referral.delete()
    for destination in wanted - set(existing):
        made = Referral.objects.create(
            centre=inquiry.centre,
            inquiry=inquiry,
            destination=destination,
            made_on=inquiry.date,
            bridge_status=BridgeStatus.OFFERED if destination == ReferralDestination.FAMILY_UNIT else "",
        )
        after.append(facts.referral_facts_of(made))
    return before, after


def _set_inquiry_relations(
    inquiry: Inquiry,
    *,
    themes: Iterable[Theme],
    actions: Sequence[Action],
    children: Sequence[tuple[str, str]],
    new: bool = False,
) -> tuple[list[Any], list[Any]]:
    """Write the inquiry's themes, actions and children; returns what its referrals counted
    for before and after (see _sync_referrals)."""
    if not new:
        InquiryTheme.objects.filter(inquiry=inquiry).delete()
        InquiryAction.objects.filter(inquiry=inquiry).delete()
        inquiry.children.all().delete()
    if themes:
        InquiryTheme.objects.bulk_create([InquiryTheme(inquiry=inquiry, theme=t) for t in set(themes)])
    if actions:
        InquiryAction.objects.bulk_create([InquiryAction(inquiry=inquiry, action=a) for a in set(actions)])
    if children:
        Child.objects.bulk_create([Child(inquiry=inquiry, age_band=age, sex=sex) for age, sex in children])
    return _sync_referrals(inquiry=inquiry, actions=actions, new=new)


@transaction.atomic
def register_inquiry(
    *,
    actor: Any,
    centre: Centre,
    themes: Iterable[Theme] = (),
    actions: Sequence[Action] = (),
    children: Sequence[tuple[str, str]] = (),
    offer: Any = None,
    then: Callable[[Inquiry], None] | None = None,
    **fields: Any,
) -> Inquiry:
    """Register an inquiry with its children, themes and actions (and referrals they imply);
    with `offer`, the family is guided to that offer in the directory too (refer_to_offer).
    `then(inquiry)` runs last in the same transaction (the desk consumes its form token
    there); if it raises, nothing is registered."""
    unknown = set(fields) - set(INQUIRY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown inquiry fields: {sorted(unknown)}")
    actions = list(actions)
    _check_inquiry(fields, actions)
    themes, children = list(themes), list(children)
    _guard(centre, fields.get("date"))
    inquiry = Inquiry(centre=centre, registered_by=actor, **fields)
    # The related rows come as saved instances and _check_inquiry has enforced the district
    # rule, so asking the database whether they exist and the constraint holds would only
    # repeat it (six queries a registration); the database still enforces both.
    inquiry.full_clean(exclude=[*INQUIRY_FOREIGN_KEYS], validate_constraints=False)
    inquiry.save()
    _dropped, made = _set_inquiry_relations(inquiry, themes=themes, actions=actions, children=children, new=True)
    # The annual status counts this inquiry and its referrals in the same transaction, with
    # one insert and from what was just written (nothing is read back).
    counted = facts.facts_of(inquiry, themes=[t.pk for t in themes], actions=[a.pk for a in actions], children=children)
    # inquiry.save() has raised the data version (its post_save signal) in this transaction.
    facts.apply_change(None, [counted, *made] if counted else made, version_raised=True)
    snapshot = _inquiry_snapshot(inquiry, themes=themes, actions=actions, children=children)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=inquiry, changes=snapshot)
    if offer is not None:
        refer_to_offer(actor=actor, offer=offer, inquiry=inquiry, made_on=inquiry.date)
    if then is not None:
        then(inquiry)
    return inquiry


@transaction.atomic
def update_inquiry(
    *,
    actor: Any,
    inquiry: Inquiry,
    expected_version: int,
    themes: Iterable[Theme] = (),
    actions: Sequence[Action] = (),
    children: Sequence[tuple[str, str]] = (),
    offer: Any = None,
    **fields: Any,
) -> Inquiry:
    """Change an inquiry if nobody saved it since `expected_version` (else locking.Conflict).
    With `offer`, the family is guided to it too, unless the inquiry already guided it there."""
    # Read "before" from the database: a bound ModelForm has already changed the instance.
    stored = Inquiry.all_objects.get(pk=inquiry.pk)
    _refuse_voided(stored)
    _guard(stored.centre_id, stored.date, fields.get("date"))
    before = _inquiry_snapshot(stored)
    counted_before = facts.facts_of(stored)
    actions = list(actions)
    _check_inquiry(fields, actions)
    for name, value in fields.items():
        if name not in INQUIRY_FIELDS:
            raise TypeError(f"Unknown inquiry field: {name}")
        setattr(inquiry, name, value)
    inquiry.full_clean(exclude=["version"])
    save_versioned(inquiry, expected_version=expected_version, fields=INQUIRY_FIELDS)
    dropped, made = _set_inquiry_relations(inquiry, themes=themes, actions=actions, children=children)
    counted_after = facts.facts_of(inquiry)
    facts.apply_change(
        [c for c in (counted_before, *dropped) if c is not None], [c for c in (counted_after, *made) if c is not None]
    )
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=inquiry, changes=audit.diff(before, _inquiry_snapshot(inquiry))
    )
    if offer is not None and not inquiry.referrals.filter(offer=offer).exists():
        refer_to_offer(actor=actor, offer=offer, inquiry=inquiry, made_on=inquiry.date)
    return inquiry


# --- Courses -----------------------------------------------------------------------------------


def next_course_label(*, centre: Centre, year: int) -> str:
    """`<centre code>-<year>-<4-digit number>`, without gaps or races (call inside a transaction).

    The counter row is updated in place, which locks it until the transaction ends (on
    PostgreSQL a row lock, on SQLite the write lock), so two courses never get one number.
    """
    counters = LabelCounter.objects.filter(centre=centre, year=year)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                LabelCounter.objects.create(centre=centre, year=year, last=1)
        except IntegrityError:
            # Another transaction created the counter first; it has committed, so count on it.
            counters.update(last=F("last") + 1)
    number = counters.values_list("last", flat=True).get()
    return f"{centre.code}-{year}-{number:04d}"


@transaction.atomic
def start_course(
    *,
    actor: Any,
    inquiry: Inquiry,
    score_norm: ScoreNorm,
    started_on: date | None = None,
    goals: str = "",
    counsellor: Any = None,
    method: Any = None,
) -> Course:
    """Start a course from an inquiry; the inquiry gets the action 'course started'. Both are
    counted here: the action is one of the inquiry's counts."""
    _refuse_voided(inquiry)
    started_on = started_on or timezone.localdate()
    _guard(inquiry.centre_id, started_on)
    inquiry_before = facts.facts_of(inquiry)
    course = Course(
        centre=inquiry.centre,
        inquiry=inquiry,
        score_norm=score_norm,
        started_on=started_on,
        goals=goals,
        method=method,
        counsellor=counsellor or actor,
        label=next_course_label(centre=inquiry.centre, year=started_on.year),
    )
    course.full_clean()
    course.save()
    facts.apply_change(None, facts.course_facts_of(course))
    course_action = Action.objects.filter(kind=ActionKind.COURSE).order_by("retired_at", "sort_order").first()
    if course_action is not None:
        InquiryAction.objects.get_or_create(inquiry=inquiry, action=course_action)
        facts.apply_change(inquiry_before, facts.facts_of(inquiry))
    audit.record(actor=actor, action=AuditAction.CREATE, obj=course, changes=_course_snapshot(course))
    return course


def _course_snapshot(course: Course) -> dict[str, Any]:
    data = audit.snapshot(course, ["label", "inquiry_id", "counsellor_id", "started_on", "score_norm_id"])
    data.update(ended_on=audit._plain(course.ended_on), result=course.result, goals_length=len(course.goals))
    return data


@transaction.atomic
def update_course(*, actor: Any, course: Course, expected_version: int, **fields: Any) -> Course:
    """Change a course's start, ORS version, goals or counsellor (else locking.Conflict)."""
    _refuse_voided(course)
    stored_course = Course.all_objects.get(pk=course.pk)
    _guard(course.centre_id, stored_course.started_on, stored_course.ended_on, fields.get("started_on"))
    before = _course_snapshot(course)
    counted_before = facts.course_facts_of(course)
    for name, value in fields.items():
        if name not in COURSE_FIELDS:
            raise TypeError(f"Unknown course field: {name}")
        setattr(course, name, value)
    course.full_clean(exclude=["version"])
    save_versioned(course, expected_version=expected_version, fields=list(fields))
    facts.apply_change(counted_before, facts.course_facts_of(course))
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=course, changes=audit.diff(before, _course_snapshot(course))
    )
    return course


@transaction.atomic
def end_course(*, actor: Any, course: Course, expected_version: int, ended_on: date, result: str) -> Course:
    """End a course, or correct the end of an ended one (while the years concerned are open)."""
    _refuse_voided(course)
    _guard(course.centre_id, course.ended_on, ended_on)
    if course.ended_on is not None:
        _check_years_open(course.ended_on.year, ended_on.year)
    if Session.objects.filter(course=course, date__gt=ended_on).exists():
        raise ValidationError({"ended_on": _("The course has sessions after this date.")})
    before = _course_snapshot(course)
    counted_before = facts.course_facts_of(course)
    course.ended_on, course.result = ended_on, result
    course.full_clean(exclude=["version"])
    save_versioned(course, expected_version=expected_version, fields=["ended_on", "result"])
    facts.apply_change(counted_before, facts.course_facts_of(course))
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=course, changes=audit.diff(before, _course_snapshot(course))
    )
    return course


# --- Sessions -----------------------------------------------------------------------------------


def _total(session: Session, items: Iterable[str]) -> Decimal | None:
    values = [getattr(session, name) for name in items]
    if any(v is None for v in values):
        return None
    return sum((Decimal(v) for v in values), Decimal(0))


def _check_session(session: Session) -> None:
    errors = {}
    for label, items in (("ORS", Session.ORS_ITEMS), ("SRS", Session.SRS_ITEMS)):
        given = [getattr(session, name) is not None for name in items]
        if any(given) and not all(given):
            errors[items[0]] = _("Fill in all four %(scale)s items, or none.") % {"scale": label}
    if session.date and session.date < session.course.started_on:
        errors["date"] = _("The session is before the course started.")
    if session.course.ended_on and session.date and session.date > session.course.ended_on:
        errors["date"] = _("The session is after the course ended.")
    if errors:
        raise ValidationError(errors)
    session.ors_total = _total(session, Session.ORS_ITEMS)
    session.srs_total = _total(session, Session.SRS_ITEMS)


def _session_snapshot(session: Session) -> dict[str, Any]:
    names = [f for f in SESSION_FIELDS if f != "note"] + ["ors_total", "srs_total"]
    data = audit.snapshot(session, names)
    data["note_length"] = len(session.note)
    return data


@transaction.atomic
def add_session(*, actor: Any, course: Course, **fields: Any) -> Session:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    _refuse_voided(course)
    if not course.is_open:
        raise ValidationError(_("The course has ended: it takes no more sessions."))
    session = Session(course=course, **fields)
    _guard(course.centre_id, session.date)
    _check_session(session)
    session.full_clean()
    counted_before = facts.course_facts_of(course)
    session.save()
    facts.apply_change(counted_before, facts.course_facts_of(course))
    audit.record(actor=actor, action=AuditAction.CREATE, obj=session, changes=_session_snapshot(session))
    return session


@transaction.atomic
def update_session(*, actor: Any, session: Session, expected_version: int, **fields: Any) -> Session:
    _refuse_voided(session)
    _refuse_voided(session.course)
    _guard(session.course.centre_id, Session.all_objects.get(pk=session.pk).date, fields.get("date"))
    before = _session_snapshot(session)
    for name, value in fields.items():
        if name not in SESSION_FIELDS:
            raise TypeError(f"Unknown session field: {name}")
        setattr(session, name, value)
    _check_session(session)
    session.full_clean(exclude=["version"])
    counted_before = facts.course_facts_of(session.course)
    save_versioned(session, expected_version=expected_version, fields=[*fields, "ors_total", "srs_total"])
    facts.apply_change(counted_before, facts.course_facts_of(session.course))
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=session, changes=audit.diff(before, _session_snapshot(session))
    )
    return session


# --- Referrals ------------------------------------------------------------------------------------


@transaction.atomic
def refer_from_course(*, actor: Any, course: Course, destination: str, made_on: date | None = None) -> Referral:
    _refuse_voided(course)
    _guard(course.centre_id, made_on or timezone.localdate())
    referral = Referral(
        centre=course.centre,
        course=course,
        destination=destination,
        made_on=made_on or timezone.localdate(),
        bridge_status=BridgeStatus.OFFERED if destination == ReferralDestination.FAMILY_UNIT else "",
    )
    referral.full_clean()
    referral.save()
    facts.apply_change(None, facts.referral_facts_of(referral))
    audit.record(actor=actor, action=AuditAction.CREATE, obj=referral, changes=audit.snapshot(referral))
    return referral


@transaction.atomic
def set_bridge_status(*, actor: Any, referral: Referral, expected_version: int, bridge_status: str) -> Referral:
    """Move the bridge to the family unit on: offered → contact made → case opened."""
    if referral.destination != ReferralDestination.FAMILY_UNIT:
        raise ValidationError(_("Only a referral to the family unit has a bridge status."))
    stored = Referral.all_objects.get(pk=referral.pk)
    _guard(stored.centre_id, stored.made_on)
    if not Referral.objects.filter(pk=referral.pk).exists():
        raise ValidationError(_("This referral belongs to a voided registration: it cannot be changed."))
    before = audit.snapshot(referral)
    counted_before = facts.referral_facts_of(stored)
    referral.bridge_status = bridge_status
    referral.full_clean(exclude=["version"])
    save_versioned(referral, expected_version=expected_version, fields=["bridge_status"])
    facts.apply_change(counted_before, facts.referral_facts_of(referral))
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=referral, changes=audit.diff(before, audit.snapshot(referral))
    )
    return referral


@transaction.atomic
def refer_to_offer(
    *, actor: Any, offer: Any, inquiry: Inquiry | None = None, course: Course | None = None, made_on: date | None = None
) -> Referral:
    """Guide a family to an offer in the directory, from an inquiry (the desk) or a course.
    The referral keeps the offer's kind as it is today."""
    origin = course or inquiry
    if origin is None:
        raise ValidationError(_("A referral is made from an inquiry or a course."))
    _refuse_voided(origin)
    if offer.centre_id is not None and offer.centre_id != origin.centre_id:
        raise ValidationError(_("The offer belongs to another centre's directory."))
    if not offer.active:
        raise ValidationError(_("The offer is no longer in the directory."))
    _guard(origin.centre_id, made_on or timezone.localdate())
    referral = Referral(
        centre=origin.centre,
        inquiry=inquiry if course is None else None,
        course=course,
        destination=ReferralDestination.OFFER,
        made_on=made_on or timezone.localdate(),
        offer=offer,
        offer_kind=offer.kind,
    )
    referral.full_clean()
    referral.save()
    facts.apply_change(None, facts.referral_facts_of(referral))
    audit.record(actor=actor, action=AuditAction.CREATE, obj=referral, changes=audit.snapshot(referral))
    return referral


@transaction.atomic
def set_offer_contact(*, actor: Any, referral: Referral, expected_version: int, offer_contact: str) -> Referral:
    """Close the loop: did the family reach the offer? Only for offers that agreed to it."""
    if referral.destination != ReferralDestination.OFFER or referral.offer is None:
        raise ValidationError(_("Only a referral to an offer in the directory has a contact status."))
    if not referral.offer.follow_up_agreed:
        raise ValidationError(_("This offer has not agreed to follow-up: the centre does not ask it."))
    stored = Referral.all_objects.get(pk=referral.pk)
    _guard(stored.centre_id, stored.made_on)
    if not Referral.objects.filter(pk=referral.pk).exists():
        raise ValidationError(_("This referral belongs to a voided registration: it cannot be changed."))
    before = audit.snapshot(referral)
    counted_before = facts.referral_facts_of(stored)
    referral.offer_contact = offer_contact
    referral.full_clean(exclude=["version"])
    save_versioned(referral, expected_version=expected_version, fields=["offer_contact"])
    facts.apply_change(counted_before, facts.referral_facts_of(referral))
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=referral, changes=audit.diff(before, audit.snapshot(referral))
    )
    return referral


# --- Voiding and reopening -------------------------------------------------------------------
# A registration made by mistake is voided, not deleted: it stays visible to its centre,
# marked, with who voided it, when and why, while it leaves every count. Only while its year
# is open: a closed year's status must read the same tomorrow.


def _guard(centre: Any, *days: date | None) -> None:
    """Refuse a write dated in a year central staff closed (forpost.centres.closing)."""
    from forpost.centres.closing import ensure_open

    for day in days:
        ensure_open(day=day, centre=centre)


def year_is_open(year: int, *, today: date | None = None) -> bool:
    """A year stays open until REGISTRATION_YEAR_OPEN_DAYS (31) days into the next year."""
    today = today or timezone.localdate()
    return today < date(year + 1, 1, 1) + timedelta(days=int(settings.REGISTRATION_YEAR_OPEN_DAYS))


def _check_years_open(*years: int) -> None:
    for year in sorted(set(years)):
        if not year_is_open(year):
            raise ValidationError(
                _("%(year)s is closed: its registrations can no longer be changed this way.") % {"year": year}
            )


def _refuse_voided(obj: Any) -> None:
    if getattr(obj, "voided_at", None) is not None:
        raise ValidationError(_("This registration is voided: it cannot be changed."))


def _void(obj: Any, *, actor: Any, expected_version: int, reason: str) -> None:
    """Mark `obj` voided (versioned), after checking the reason like any free text."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the registration is voided.")})
    field: Any = type(obj)._meta.get_field("void_reason")
    try:
        field.clean(reason, obj)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}) from exc
    obj.voided_at, obj.voided_by, obj.void_reason = timezone.now(), actor, reason
    save_versioned(obj, expected_version=expected_version, fields=["voided_at", "voided_by", "void_reason"])


def _void_changes(obj: Any) -> dict[str, Any]:
    # The reason stays out of the trail like every free text; its length shows it was given.
    return {"voided": [False, True], "void_reason_length": len(obj.void_reason)}


@transaction.atomic
def void_inquiry(*, actor: Any, inquiry: Inquiry, expected_version: int, reason: str) -> Inquiry:
    """Void an inquiry and the referrals it made; its courses must be voided first."""
    stored = Inquiry.all_objects.get(pk=inquiry.pk)
    _refuse_voided(stored)
    _guard(stored.centre_id, stored.date)
    _check_years_open(stored.date.year)
    if Course.objects.filter(inquiry=stored).exists():
        raise ValidationError(_("The inquiry has a course: void the course first."))
    referrals = list(Referral.objects.filter(inquiry=stored))
    counted_before = [facts.facts_of(stored), *(facts.referral_facts_of(r) for r in referrals)]
    _void(inquiry, actor=actor, expected_version=expected_version, reason=reason)
    facts.apply_change([c for c in counted_before if c is not None], None)
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=inquiry, changes=_void_changes(inquiry))
    return inquiry


@transaction.atomic
def void_course(*, actor: Any, course: Course, expected_version: int, reason: str) -> Course:
    """Void a course with its sessions and referrals. The inquiry keeps the action 'course
    started' only while it has another course."""
    _refuse_voided(course)
    _guard(course.centre_id, course.started_on)
    _check_years_open(course.started_on.year)
    inquiry = course.inquiry
    referrals = list(Referral.objects.filter(course=course))
    counted_before = [
        *(facts.course_facts_of(course) or []),
        *(r for r in (facts.referral_facts_of(x) for x in referrals) if r is not None),
    ]
    inquiry_before = facts.facts_of(inquiry)
    _void(course, actor=actor, expected_version=expected_version, reason=reason)
    if inquiry_before is not None and not Course.objects.filter(inquiry=inquiry).exists():
        InquiryAction.objects.filter(inquiry=inquiry, action__kind=ActionKind.COURSE).delete()
    facts.apply_change(counted_before, None)
    facts.apply_change(inquiry_before, facts.facts_of(inquiry))
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=course, changes=_void_changes(course))
    return course


@transaction.atomic
def void_session(*, actor: Any, session: Session, expected_version: int, reason: str) -> Session:
    _refuse_voided(session)
    _refuse_voided(session.course)
    _guard(session.course.centre_id, session.date)
    _check_years_open(session.date.year)
    counted_before = facts.course_facts_of(session.course)
    _void(session, actor=actor, expected_version=expected_version, reason=reason)
    facts.apply_change(counted_before, facts.course_facts_of(session.course))
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=session, changes=_void_changes(session))
    return session


@transaction.atomic
def reopen_course(*, actor: Any, course: Course, expected_version: int) -> Course:
    """Take back a course's end: it is open again and counts as ended in no year."""
    _refuse_voided(course)
    if course.ended_on is None:
        raise ValidationError(_("The course is open already."))
    _guard(course.centre_id, course.ended_on)
    _check_years_open(course.ended_on.year)
    before = _course_snapshot(course)
    counted_before = facts.course_facts_of(course)
    course.ended_on, course.result = None, ""
    save_versioned(course, expected_version=expected_version, fields=["ended_on", "result"])
    facts.apply_change(counted_before, facts.course_facts_of(course))
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=course, changes=audit.diff(before, _course_snapshot(course))
    )
    return course


# --- Score norms ------------------------------------------------------------------------------

SCORE_NORM_FIELDS = ("name_da", "name_en", "ors_cutoff", "reliable_change", "srs_cutoff", "sort_order")


def _ended_course_facts(norm: ScoreNorm) -> list[tuple[int, int, facts.Facts]]:
    from .queries import with_score_edges

    rows = with_score_edges(Course.objects.filter(score_norm=norm, ended_on__isnull=False)).values_list(
        *facts.COURSE_EDGES
    )
    return [counted for row in rows.order_by().iterator(chunk_size=2000) for counted in facts.course_row_facts(*row)]


@transaction.atomic
def change_score_norm(*, actor: Any, norm: ScoreNorm, **fields: Any) -> ScoreNorm:
    """Change a score norm; the ended courses judged by it are recounted in the same
    transaction (only those: the cut-off and reliable change move nothing else)."""
    unknown = set(fields) - set(SCORE_NORM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown score norm fields: {sorted(unknown)}")
    stored = ScoreNorm.objects.get(pk=norm.pk)
    before = audit.snapshot(stored)
    counted_before = _ended_course_facts(stored)
    for name, value in fields.items():
        setattr(norm, name, value)
    norm.full_clean()
    norm.save()
    facts.apply_change(counted_before, _ended_course_facts(norm))
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=norm, changes=audit.diff(before, audit.snapshot(norm)))
    return norm


# --- Retention --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPlan:
    notes_before: date  # notes of inquiries (and sessions) dated before this are erased
    goals_ended_before: date  # goals and session notes of courses ended before this are erased
    slim_before: date  # registrations dated before this keep only what statistics need


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    from calendar import monthrange

    return date(year, month, min(day.day, monthrange(year, month)[1]))


def retention_plan(today: date) -> RetentionPlan:
    months = int(getattr(settings, "NOTE_RETENTION_MONTHS", 12))
    years = int(getattr(settings, "REGISTRATION_SLIM_YEARS", 5))
    return RetentionPlan(
        notes_before=_months_before(today, months),
        goals_ended_before=_months_before(today, months),
        slim_before=_months_before(today, years * 12),
    )


@dataclass(frozen=True)
class RetentionResult:
    inquiry_notes: int
    course_goals: int
    session_notes: int
    slimmed_inquiries: int
    tokens: int


def retention_querysets(plan: RetentionPlan) -> dict[str, Any]:
    return {
        # all_objects: a voided registration's free text goes on the same schedule.
        "inquiry_notes": Inquiry.all_objects.filter(date__lt=plan.notes_before).exclude(note=""),
        "course_goals": Course.all_objects.filter(ended_on__lt=plan.goals_ended_before).exclude(goals=""),
        "session_notes": Session.all_objects.filter(course__ended_on__lt=plan.goals_ended_before).exclude(note=""),
        "slimmed_inquiries": Inquiry.all_objects.filter(date__lt=plan.slim_before, slimmed_at__isnull=True),
    }


BATCH = 1000


def _erase(qs: Any, *, actor: Any, values: dict[str, Any], fields: list[str]) -> int:
    """Apply `values` to every row of `qs`, batch by batch, one ERASE entry per row."""
    done = 0
    while True:
        with transaction.atomic():
            batch = list(qs[:BATCH])
            if not batch:
                return done
            for obj in batch:
                audit.record(actor=actor, action=AuditAction.ERASE, obj=obj, changes={"erased": fields})
            qs.model._base_manager.filter(pk__in=[o.pk for o in batch]).update(**values)
            done += len(batch)


def apply_retention(*, actor: Any, today: date, dry_run: bool = False) -> RetentionResult:
    """Erase notes and goals after NOTE_RETENTION_MONTHS; slim registrations after
    REGISTRATION_SLIM_YEARS to what statistics need. Every erasure is audit-logged."""
    plan = retention_plan(today)
    qs = retention_querysets(plan)
    if dry_run:
        counts = {k: v.count() for k, v in qs.items()}
        stale = timezone.now() - idempotency.TOKEN_LIFETIME
        from .models import SubmissionToken

        return RetentionResult(**counts, tokens=SubmissionToken.objects.filter(created_at__lt=stale).count())
    return RetentionResult(
        inquiry_notes=_erase(qs["inquiry_notes"], actor=actor, values={"note": ""}, fields=["note"]),
        course_goals=_erase(qs["course_goals"], actor=actor, values={"goals": ""}, fields=["goals"]),
        session_notes=_erase(qs["session_notes"], actor=actor, values={"note": ""}, fields=["note"]),
        slimmed_inquiries=_erase(
            qs["slimmed_inquiries"],
            actor=actor,
            values={"time": None, "registered_by": None, "note": "", "slimmed_at": timezone.now()},
            fields=["time", "registered_by", "note"],
        ),
        tokens=idempotency.purge(),
    )
