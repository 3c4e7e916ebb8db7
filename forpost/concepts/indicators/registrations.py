"""Indicators of the registrations: inquiries, children, courses, sessions, referrals. All but
the sessions' scores read the registrations' counts (`ctx.counts`, one read a page), so each
is one definition whatever the period: kept counts over whole years, a grouped scan of the
registrations otherwise (forpost.registrations.counts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from django.db.models import Count, Q
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from pydantic import Field, model_validator

from .base import Combine, Ctx, Evidence, IndicatorValue, Params, PerCentre, Unit, indicator, share
from .collaboration import one_of

# Referral destinations as the registrations app records them.
REFERRAL_DESTINATIONS = ("family_unit", "volunteer_group", "socialcenter", "health", "other")
# Lower and upper age of the registrations' children's age bands ("expected": not yet born).
AGE_BANDS = {"expected": (0, 0), "0-2": (0, 2), "3-5": (3, 5), "6-9": (6, 9), "10-12": (10, 12), "13-17": (13, 17)}


def bands_within(low: int, high: int) -> list[str]:
    """The age bands inside an age range. An expected child is not born: it has no age and is
    inside no range (it still counts among the children), as in the status's key figure
    "about a child aged 0–12" (forpost.registrations.counts.CHILD_AGES_0_12)."""
    return [band for band, (lo, hi) in AGE_BANDS.items() if band != "expected" and lo >= low and hi <= high]


def without_case(cases: Mapping[str, int]) -> tuple[int, int, int]:
    """The one definition of "families without a case at the family unit": (without, known,
    not known) from counts by answer. The share is without/known; "don't know" is left out
    and said so, wherever the number is shown (key figure, scorecard, theory of change)."""
    no = cases.get("no", 0)
    known = no + cases.get("yes", 0)
    return no, known, sum(n for k, n in cases.items() if k not in ("yes", "no"))


def _pks(model_name: str, codes: list[str]) -> dict[str, str]:
    """{pk as the counts hold it: code} of reference items by code."""
    from django.apps import apps

    model = apps.get_model("registrations", model_name)
    return {str(pk): code for pk, code in model.objects.filter(code__in=codes).values_list("pk", "code")}


class KindParams(Params):
    kind: Literal["inquiries", "courses"] = Field(description="Inquiries registered, or courses started.")


@indicator("registrations_count", params=KindParams, label=_("Registrations in the period"), combine=Combine.TOGETHER)
def registrations_count(ctx: Ctx) -> PerCentre:
    """Inquiries registered on days in the period, or courses started in it."""
    dimension = "course_started" if ctx.params.kind == "courses" else "total"
    return {pk: IndicatorValue(value=c.get("", 0)) for pk, c in ctx.counts(dimension).items()}


class ChannelParams(Params):
    channels: list[str] = Field(min_length=1, description="Codes of the registrations' channel list.")


@indicator(
    "inquiry_channels_used",
    params=ChannelParams,
    label=_("How many of the given channels were used"),
    combine=Combine.TOGETHER,
)
def inquiry_channels_used(ctx: Ctx) -> PerCentre:
    """How many of the listed channels (codes of the registrations' channel list) had an inquiry."""
    wanted = list(ctx.params.channels)
    codes = _pks("Channel", wanted)
    result = {}
    for pk, by_channel in ctx.counts("channel").items():
        used = {codes[k] for k, n in by_channel.items() if k in codes and n}
        result[pk] = IndicatorValue(value=len(used), parts=(len(used), len(wanted)))
    return result


@inquiry_channels_used.evidence
def _channels_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    from forpost.registrations.models import Channel

    wanted = list(ctx.params.channels)
    channels = {str(c.pk): c for c in Channel.objects.filter(code__in=wanted)}
    counted = ctx.counts("channel").get(centre_id, {})
    return [
        Evidence(_gettext("%(channel)s: %(count)s inquiries") % {"channel": str(c), "count": counted[pk]})
        for pk, c in sorted(channels.items(), key=lambda item: wanted.index(item[1].code))
        if counted.get(pk)
    ]


class AgeParams(Params):
    min_age: int = Field(ge=0, le=17, description="The lowest age of the range, in years.")
    max_age: int = Field(ge=0, le=17, description="The highest age of the range, in years.")

    @model_validator(mode="after")
    def _ordered(self) -> AgeParams:
        if self.min_age > self.max_age:
            raise ValueError("min_age must not be above max_age")
        return self


@indicator(
    "share_of_children_aged",
    unit=Unit.SHARE,
    params=AgeParams,
    label=_("Share of the children in inquiries within an age range"),
    combine=Combine.TOGETHER,
)
def share_of_children_aged(ctx: Ctx) -> PerCentre:
    inside = bands_within(ctx.params.min_age, ctx.params.max_age)
    return {
        pk: share(sum(ages.get(b, 0) for b in inside), sum(n for band, n in ages.items() if band in AGE_BANDS))
        for pk, ages in ctx.counts("child_age").items()
    }


@indicator(
    "share_of_inquiries_without_case",
    unit=Unit.SHARE,
    label=_("Share of inquiries from families without a case at the family unit"),
    combine=Combine.TOGETHER,
)
def share_of_inquiries_without_case(ctx: Ctx) -> PerCentre:
    """Among inquiries where it is known whether the family has a case ("don't know" left out)."""
    result = {}
    for pk, cases in ctx.counts("has_case").items():
        no, known, unknown = without_case(cases)
        detail = ""
        if unknown:
            detail = _gettext("%(n)s inquiries where it was not known were left out.") % {"n": unknown}
        result[pk] = share(no, known, detail=detail)
    return result


class SourceParams(Params):
    sources: list[str] = Field(min_length=1, description="Codes of the list of sources (how the family found us).")


@indicator(
    "share_of_inquiries_referred_by",
    unit=Unit.SHARE,
    params=SourceParams,
    label=_("Share of inquiries that came on a referral from the given sources"),
    combine=Combine.TOGETHER,
)
def share_of_inquiries_referred_by(ctx: Ctx) -> PerCentre:
    """Among inquiries with a known source ("found us through"), those from the listed codes."""
    wanted = _pks("ReferralSource", list(ctx.params.sources))
    return {
        pk: share(sum(n for k, n in s.items() if k in wanted), sum(n for k, n in s.items() if k))
        for pk, s in ctx.counts("referral_source").items()
    }


class DestinationParams(Params):
    to: Annotated[list[str], one_of(REFERRAL_DESTINATIONS)] | None = Field(
        None, min_length=1, description="Only referrals to these destinations."
    )


@indicator("referral_count", params=DestinationParams, label=_("Referrals the centre made"), combine=Combine.TOGETHER)
def referral_count(ctx: Ctx) -> PerCentre:
    to = set(ctx.params.to or ())
    return {
        pk: IndicatorValue(value=sum(n for k, n in d.items() if not to or k in to))
        for pk, d in ctx.counts("referral_to").items()
    }


@referral_count.evidence
def _referrals_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    from forpost.registrations.models import Referral

    qs = Referral.objects.filter(ctx.period.q("made_on"), centre_id=centre_id)
    if ctx.params.to:
        qs = qs.filter(destination__in=ctx.params.to)
    return [Evidence(str(r), r.made_on) for r in qs.order_by("made_on", "pk")[:12]]


class FamilyUnitParams(Params):
    to: list[Literal["family_unit"]] | None = Field(None, description="Only the family unit has a bridge.")


@indicator(
    "share_of_referrals_with_contact",
    unit=Unit.SHARE,
    params=FamilyUnitParams,
    label=_("Share of referrals to the family unit that led to contact"),
    combine=Combine.TOGETHER,
)
def share_of_referrals_with_contact(ctx: Ctx) -> PerCentre:
    """Referrals to the family unit whose bridge reached "contact made" or "case opened"."""
    return {
        pk: share(b.get("contact_made", 0) + b.get("case_opened", 0), sum(b.values()))
        for pk, b in ctx.counts("referral_bridge").items()
    }


@indicator(
    "share_of_courses_with_reliable_improvement",
    unit=Unit.SHARE,
    label=_("Share of ended courses with reliable improvement"),
    combine=Combine.TOGETHER,
)
def share_of_courses_with_reliable_improvement(ctx: Ctx) -> PerCentre:
    """Among courses ended in the period with two or more outcome scores (ORS)."""
    improved, measured = ctx.counts("course_improved"), ctx.counts("course_ors_n")
    return {pk: share(improved[pk].get("", 0), measured[pk].get("", 0)) for pk in ctx.centres}


@indicator(
    "share_of_inquiries_by_channel",
    unit=Unit.SHARE,
    params=ChannelParams,
    label=_("Share of inquiries that came by the given channels"),
    combine=Combine.TOGETHER,
)
def share_of_inquiries_by_channel(ctx: Ctx) -> PerCentre:
    """Among all inquiries, those that came by the given channels (e.g. home visits)."""
    wanted = _pks("Channel", list(ctx.params.channels))
    return {
        pk: share(sum(n for k, n in c.items() if k in wanted), sum(c.values()))
        for pk, c in ctx.counts("channel").items()
    }


class ScoreParams(Params):
    score: Literal["scaling", "ors"] = Field(description="The score registered at the start and the end.")


# The counts of ended courses with a score at two sessions or more, by score.
SCORE_COUNTS = {"scaling": "course_scaling_n", "ors": "course_ors_n"}


@indicator(
    "share_of_ended_courses_with_scores",
    unit=Unit.SHARE,
    params=ScoreParams,
    label=_("Share of ended courses with the score registered at the start and the end"),
    combine=Combine.TOGETHER,
)
def share_of_ended_courses_with_scores(ctx: Ctx) -> PerCentre:
    """Among courses ended in the period, those with the score (scaling or ORS) registered at
    two sessions or more: at the start and at the end."""
    scored, ended = ctx.counts(SCORE_COUNTS[ctx.params.score]), ctx.counts("course_ended")
    return {pk: share(scored[pk].get("", 0), ended[pk].get("", 0)) for pk in ctx.centres}


class SessionScoreParams(Params):
    score: Literal["scaling", "ors", "srs"] = Field(description="The score registered in the session.")


# The session field holding each score.
SESSION_SCORES = {"scaling": "scaling", "ors": "ors_total", "srs": "srs_total"}


@indicator(
    "share_of_sessions_with_score",
    unit=Unit.SHARE,
    params=SessionScoreParams,
    label=_("Share of the sessions with the score registered"),
)
def share_of_sessions_with_score(ctx: Ctx) -> PerCentre:
    """Among the sessions held in the period, those where the score was registered."""
    from forpost.registrations.models import Session

    field = SESSION_SCORES[ctx.params.score]
    rows = (
        Session.objects.filter(ctx.scope.q("course__centre_id"), ctx.period.q("date"))
        .values("course__centre_id")
        .annotate(scored=Count("pk", filter=Q(**{f"{field}__isnull": False})), n=Count("pk"))
        .values_list("course__centre_id", "scored", "n")
        .order_by()
    )
    return ctx.each({pk: (scored, n) for pk, scored, n in rows}, lambda pair: share(*pair), (0, 0))


INDICATORS = (
    registrations_count,
    inquiry_channels_used,
    share_of_children_aged,
    share_of_inquiries_without_case,
    share_of_inquiries_referred_by,
    referral_count,
    share_of_referrals_with_contact,
    share_of_courses_with_reliable_improvement,
    share_of_inquiries_by_channel,
    share_of_ended_courses_with_scores,
    share_of_sessions_with_score,
)
