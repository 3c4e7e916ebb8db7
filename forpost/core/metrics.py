"""The catalogue of published metrics: every number the annual status shows, with one key, one
label, one unit and one definition.

The sections take their labels from here (`label(key)`) and tag every key figure, every table
column and every scorecard or theory-of-change row with its key, so that the page, the PDF,
the workbook, the JSON and the API say which metric each number is. Metrics read from the
inquiry counts also compute their value here (`Metric.count`/`Metric.parts`), so that the key
figures and the centres' summaries cannot count the same thing twice in two ways. Metrics an
indicator computes name it and its parameters (`Metric.refs`): the scorecard and the theory
of change find their label here through `for_ref()`.

The list is ordered as the status is read; the "Definitions" section shows it to readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Facts = Mapping[str, Mapping[str, int]]  # {dimension: {value: count}} from the inquiry counts


class Unit:
    COUNT = "count"
    SHARE = "share"
    AVERAGE = "average"
    MINUTES = "minutes"
    HOURS = "hours a week"
    WEEKS = "weeks"
    AMOUNT = "DKK"
    YES_NO = "yes/no"
    RATIO = "ratio"
    TEXT = "text"


def _one(dimension: str, value: str = "") -> Callable[[Facts], int]:
    def count(f: Facts) -> int:
        return f.get(dimension, {}).get(value, 0)

    return count


def _without_case(f: Facts) -> tuple[int, int]:
    """Families without a case among the inquiries where it is known ("don't know" left out)."""
    cases = f.get("has_case", {})
    return cases.get("no", 0), cases.get("no", 0) + cases.get("yes", 0)


def _contact(f: Facts) -> tuple[int, int]:
    bridge = f.get("referral_bridge", {})
    return bridge.get("contact_made", 0) + bridge.get("case_opened", 0), sum(bridge.values())


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    unit: str
    definition: Promise
    # Where the number comes from: the inquiry counts' dimension, an indicator or a table.
    source: str
    # A count read from the inquiry counts, or a share's (part, whole).
    count: Callable[[Facts], int] | None = None
    parts: Callable[[Facts], tuple[int, int]] | None = None
    # The indicators (name, parameters) that compute the same number for the scorecard and
    # the theory of change.
    refs: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    # A count of people (families, children, courses, referrals): a small one is hidden when it
    # leaves the centre, wherever it is shown.
    people: bool = False


def _m(
    key: str,
    label: Promise,
    unit: str,
    definition: Promise,
    source: str,
    *,
    count: Callable[[Facts], int] | None = None,
    parts: Callable[[Facts], tuple[int, int]] | None = None,
    refs: Iterable[tuple[str, Mapping[str, Any]]] = (),
    people: bool = False,
) -> Metric:
    return Metric(key, label, unit, definition, source, count, parts, tuple(refs), people)


WEEKLY = {"minimum": 6, "excused_weeks": 9}
SAME_AS_COLUMN = "=row"  # in Table.metrics: the column holds each row's own metric (Row.metric)

METRICS: tuple[Metric, ...] = (
    # --- Inquiries -------------------------------------------------------------------------
    _m(
        "inquiries",
        _("Inquiries"),
        Unit.COUNT,
        _("Inquiries registered with a date in the period, one for each contact with a family."),
        "counts: total",
        count=_one("total"),
        refs=[("registrations_count", {"kind": "inquiries"})],
        people=True,
    ),
    _m(
        "minutes_per_inquiry",
        _("Minutes per inquiry, on average"),
        Unit.MINUTES,
        _("The time spent on the inquiries where it is registered, divided by their number."),
        "counts: minutes, minutes_n",
    ),
    _m(
        "reports_of_concern",
        _("Reports of concern made"),
        Unit.COUNT,
        _("Inquiries where the counsellor made a report of concern."),
        "counts: concern",
        count=_one("concern"),
        people=True,
    ),
    _m(
        "share_child_0_12",
        _("Share of inquiries about a child aged 0–12"),
        Unit.SHARE,
        _("Inquiries about at least one born child aged 0–12, of all inquiries; an expected child is not counted."),
        "counts: child_0_12, total",
        parts=lambda f: (_one("child_0_12", "yes")(f), _one("total")(f)),
    ),
    _m(
        "children_0_12",
        _("Share of the children aged 0–12"),
        Unit.SHARE,
        _(
            "Children aged 0–12 of all children named in the inquiries; an expected child counts among the children "
            "but in no age range. A share of children, not of inquiries: an inquiry can be about several children."
        ),
        "indicator: share_of_children_aged",
        refs=[("share_of_children_aged", {"min_age": 0, "max_age": 12})],
    ),
    _m(
        "children_0_2",
        _("Share of the children aged 0–2"),
        Unit.SHARE,
        _("Children aged 0–2 of all children named in the inquiries: early help."),
        "indicator: share_of_children_aged",
        refs=[("share_of_children_aged", {"min_age": 0, "max_age": 2})],
    ),
    _m(
        "share_without_case",
        _("Share of families without a case at the family unit"),
        Unit.SHARE,
        _(
            'Inquiries from families without a case at the family unit, of those where it is known ("don\'t know" left out).'
        ),
        "counts: has_case",
        parts=_without_case,
        refs=[("share_of_inquiries_without_case", {})],
    ),
    _m(
        "share_home_visits",
        _("Share of inquiries made as home visits"),
        Unit.SHARE,
        _("Inquiries by the channel home visit, of all inquiries."),
        "indicator: share_of_inquiries_by_channel",
        refs=[("share_of_inquiries_by_channel", {"channels": ("home_visit",)})],
    ),
    _m(
        "open_channels_used",
        _("Open and anonymous channels used"),
        Unit.COUNT,
        _("How many of the channels walk-in and home visit were used in the period."),
        "indicator: inquiry_channels_used",
        refs=[("inquiry_channels_used", {"channels": ("walk_in", "home_visit")})],
    ),
    _m(
        "share_referred_by_professionals",
        _("Share of inquiries referred by professionals"),
        Unit.SHARE,
        _(
            "Inquiries where the family found the centre through a health visitor, daycare, school, the family unit, "
            "housing social work, the social centre or a doctor, of the inquiries where it is known how the "
            "family found the centre."
        ),
        "indicator: share_of_inquiries_referred_by",
        refs=[
            (
                "share_of_inquiries_referred_by",
                {
                    "sources": (
                        "health_visitor",
                        "daycare",
                        "school",
                        "family_unit",
                        "housing",
                        "socialcenter",
                        "doctor",
                    )
                },
            )
        ],
    ),
    _m(
        "children",
        _("Children"),
        Unit.COUNT,
        _("Children named in the inquiries, by age band or sex; an inquiry can be about several children."),
        "counts: child_age, child_sex",
        people=True,
    ),
    _m(
        "share",
        _("Share"),
        Unit.SHARE,
        _("A row's count as a share of the table's total."),
        "the table's count column",
    ),
    _m(
        "underrepresented_groups",
        _("Groups clearly under-represented"),
        Unit.COUNT,
        _(
            "Population groups whose share of the inquiries lies, with its whole 95 % interval, below the "
            "concept's tolerance times their share of the population."
        ),
        "indicator: underrepresented_groups",
        refs=[("underrepresented_groups", {"dimensions": ("origin", "sex"), "tolerance": 0.5})],
    ),
    _m(
        "share_of_population",
        _("Share of population"),
        Unit.SHARE,
        _("The group's share of the residents of the districts served (latest imported year)."),
        "population figures",
    ),
    _m(
        "share_of_inquiries_stated",
        _("Share of inquiries"),
        Unit.SHARE,
        _("The group's share of the inquiries where the origin is stated."),
        "counts: origin",
    ),
    _m(
        "representation_ratio",
        _("Ratio (95 % interval)"),
        Unit.RATIO,
        _(
            "Share of inquiries divided by share of population, with the 95 % Wilson interval of the share of inquiries."
        ),
        "counts: origin; population figures",
    ),
    _m(
        "representation_assessment",
        _("Assessment"),
        Unit.TEXT,
        _("Under-represented when the whole interval lies below the tolerance; over-represented when it lies above 1."),
        "counts: origin; population figures",
    ),
    _m(
        "residents",
        _("Residents"),
        Unit.COUNT,
        _("Residents of the districts served, from the imported population figures."),
        "population figures",
    ),
    # --- Courses ---------------------------------------------------------------------------
    _m(
        "courses_started",
        _("Courses started"),
        Unit.COUNT,
        _("Courses with a start date in the period, whether or not they came from an inquiry."),
        "counts: course_started",
        count=_one("course_started"),
        refs=[("registrations_count", {"kind": "courses"})],
        people=True,
    ),
    _m(
        "courses_ended",
        _("Courses ended"),
        Unit.COUNT,
        _("Courses with an end date in the period, by result, number of sessions or length."),
        "counts: course_ended",
        count=_one("course_ended"),
        people=True,
    ),
    _m(
        "scaling_change",
        _("Average change in scaling (0–10)"),
        Unit.AVERAGE,
        _("From the first to the last scaling of the courses ended, shown when enough courses have both."),
        "counts: course_scaling_change, course_scaling_n",
    ),
    _m(
        "ors_change",
        _("Average change in ORS (0–40)"),
        Unit.AVERAGE,
        _("From the first to the last ORS of the courses ended, shown when enough courses have both."),
        "counts: course_ors_change_tenths, course_ors_n",
    ),
    _m(
        "reliable_improvement",
        _("Reliable improvement (ORS)"),
        Unit.SHARE,
        _(
            "Courses ended with an ORS rise of at least the reliable-change value, of those with a first and a last ORS."
        ),
        "counts: course_improved, course_ors_n",
        parts=lambda f: (_one("course_improved")(f), _one("course_ors_n")(f)),
        refs=[("share_of_courses_with_reliable_improvement", {})],
    ),
    _m(
        "recovered",
        _("Recovered, of those who started below the cut-off"),
        Unit.SHARE,
        _("Courses ended that rose from below the clinical ORS cut-off to above it, of those that started below it."),
        "counts: course_recovered, course_below_cutoff",
    ),
    _m(
        "courses_with_scaling",
        _("Share of ended courses with a first and a last scaling"),
        Unit.SHARE,
        _("Courses ended with scaling registered at the start and at the end, of all courses ended."),
        "indicator: share_of_ended_courses_with_scores",
        refs=[("share_of_ended_courses_with_scores", {"score": "scaling"})],
    ),
    _m(
        "courses_with_ors",
        _("Share of ended courses with ORS at start and end"),
        Unit.SHARE,
        _("Courses ended with ORS registered at the start and at the end, of all courses ended."),
        "indicator: share_of_ended_courses_with_scores",
        refs=[("share_of_ended_courses_with_scores", {"score": "ors"})],
    ),
    _m(
        "sessions_with_scaling",
        _("Share of sessions with scaling"),
        Unit.SHARE,
        _("Sessions of the period where scaling was registered, of all sessions."),
        "indicator: share_of_sessions_with_score",
        refs=[("share_of_sessions_with_score", {"score": "scaling"})],
    ),
    _m(
        "sessions_with_srs",
        _("Share of sessions with SRS"),
        Unit.SHARE,
        _("Sessions of the period where the session rating scale was registered, of all sessions."),
        "indicator: share_of_sessions_with_score",
        refs=[("share_of_sessions_with_score", {"score": "srs"})],
    ),
    # --- Referrals -------------------------------------------------------------------------
    _m(
        "referrals",
        _("Referrals"),
        Unit.COUNT,
        _("Referrals the centre made in the period, by destination."),
        "counts: referral_to",
        refs=[("referral_count", {})],
        people=True,
    ),
    _m(
        "referrals_to_family_unit",
        _("Referrals to the family unit"),
        Unit.COUNT,
        _("Referrals to the family unit made in the period, by the status of the bridge."),
        "counts: referral_to (family_unit), referral_bridge",
        count=_one("referral_to", "family_unit"),
        refs=[("referral_count", {"to": ("family_unit",)})],
        people=True,
    ),
    _m(
        "referral_contact",
        _("Referrals to the family unit that led to contact"),
        Unit.SHARE,
        _(
            "Referrals to the family unit where contact was made or a case opened, of all referrals to it; "
            "shown when there are at least as many referrals as the suppression threshold."
        ),
        "counts: referral_bridge",
        parts=_contact,
        refs=[("share_of_referrals_with_contact", {"to": ("family_unit",)})],
    ),
    # --- Collaboration, volunteers ---------------------------------------------------------
    _m(
        "activities",
        _("Number"),
        Unit.COUNT,
        _("Activities registered in the activity log in the period, by type."),
        "activities",
    ),
    _m(
        "activity_minimum",
        _("Yearly minimum per centre"),
        Unit.COUNT,
        _("The concept's yearly minimum of activities of the type for each centre."),
        "activity types",
    ),
    _m(
        "activity_minimum_reached",
        _("Minimum reached"),
        Unit.TEXT,
        _("Whether the centre (or how many of the centres) reached the yearly minimum."),
        "activities",
    ),
    _m(
        "visibility_activities",
        _("Activities for visibility"),
        Unit.COUNT,
        _("Outreach, information material, theme events and daycare visits in the period."),
        "indicator: activity_count",
        refs=[
            ("activity_count", {"types": ("outreach", "information_material", "theme_event", "daycare_visit")}),
            ("activity_count", {"types": ("daycare_visit", "theme_event", "information_material", "outreach")}),
        ],
    ),
    _m(
        "daycare_visits",
        _("Visits to and from daycare institutions"),
        Unit.COUNT,
        _("Activities of the type daycare visit in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("daycare_visit",)})],
    ),
    _m(
        "theme_events",
        _("Theme events for professionals"),
        Unit.COUNT,
        _("Activities of the type theme event in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("theme_event",)})],
    ),
    _m(
        "information_material",
        _("Information material handed out"),
        Unit.COUNT,
        _("Activities of the type information material in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("information_material",)})],
    ),
    _m(
        "outreach",
        _("Outreach activities"),
        Unit.COUNT,
        _("Activities of the type outreach in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("outreach",)})],
    ),
    _m(
        "outreach_and_local_response",
        _("Outreach and local responses"),
        Unit.COUNT,
        _(
            'Activities of the types outreach and local response ("rykket ud" to a problem in the district) '
            "in the period."
        ),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("outreach", "local_response")})],
    ),
    _m(
        "feedback_cards",
        _("Feedback cards answered"),
        Unit.COUNT,
        _("Answers to the centre's anonymous feedback card in the period (one a device and day)."),
        "indicator: feedback_answers",
        refs=[("feedback_answers", {})],
        people=True,
    ),
    _m(
        "offer_referrals",
        _("Referrals to offers"),
        Unit.COUNT,
        _("Families guided to an offer of the directory (public, private or voluntary) in the period."),
        "counts: referral_offer",
        people=True,
    ),
    _m(
        "offer_referrals_contact",
        _("Of these, contact made"),
        Unit.COUNT,
        _("Referrals to offers where the counsellor later marked that contact was made."),
        "counts: referral_offer",
        people=True,
    ),
    _m(
        "volunteer_meetings",
        _("Meetings with the volunteer groups"),
        Unit.COUNT,
        _("Activities of the type volunteer meeting in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("volunteer_meeting",)})],
    ),
    _m(
        "steering_group_meetings",
        _("Meetings of the steering group"),
        Unit.COUNT,
        _("Activities of the type steering group in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("steering_group",)})],
    ),
    _m(
        "family_unit_meetings",
        _("Relevant meetings in the family unit"),
        Unit.COUNT,
        _("Activities of the type family-unit meeting in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("family_unit_meeting",)})],
    ),
    _m(
        "assessment_group_meetings",
        _("Meetings of the assessment group"),
        Unit.COUNT,
        _("Activities of the type assessment group in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("assessment_group",)})],
    ),
    _m(
        "family_unit_interplay",
        _("Meetings with the family unit team"),
        Unit.COUNT,
        _("Activities of the types assessment group and family-unit meeting in the period (the 2006 paper)."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("assessment_group", "family_unit_meeting")})],
    ),
    _m(
        "health_visitor_activities",
        _("Health visitors' activities in the centre"),
        Unit.COUNT,
        _("Activities of the type health visitors' activity in the period (the 2006 paper)."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("health_visitor_activity",)})],
    ),
    _m(
        "cross_professional_groups",
        _("Cross-professional groups (§ 37a)"),
        Unit.COUNT,
        _("Activities of the type cross-professional group in the period (the 2006 paper)."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("cross_professional_group",)})],
    ),
    _m(
        "outpost_collaboration",
        _("Collaboration with the other outpost functions"),
        Unit.COUNT,
        _("Collaboration activities with a partner of the kind other outpost functions in the period."),
        "indicator: activity_count",
        refs=[
            ("activity_count", {"types": ("outpost_collaboration",), "partner_types": ("other_outposts",)}),
            (
                "activity_count",
                {"types": ("outpost_collaboration",), "partner_types": ("other_outposts", "youth_counselling")},
            ),
        ],
    ),
    _m(
        "health_visitor_collaboration",
        _("Collaboration with the health visitors"),
        Unit.COUNT,
        _("Collaboration activities with a partner of the kind health visitors in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("health_visitor_collaboration",), "partner_types": ("health_visitors",)})],
    ),
    _m(
        "housing_collaboration",
        _("Collaboration with housing social work"),
        Unit.COUNT,
        _("Collaboration activities with a partner of the kind housing social work in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("housing_collaboration",), "partner_types": ("housing_social_work",)})],
    ),
    _m(
        "socialcenter_collaboration",
        _("Collaboration with Socialcenter København"),
        Unit.COUNT,
        _("Collaboration activities with a partner of the kind social centre in the period."),
        "indicator: activity_count",
        refs=[("activity_count", {"types": ("socialcenter_collaboration",), "partner_types": ("socialcenter",)})],
    ),
    _m(
        "other_administrations",
        _("Activities with other administrations"),
        Unit.COUNT,
        _("Activities with health visitors, daycare and schools, the social centre or housing social work."),
        "indicator: activity_count",
        refs=[
            (
                "activity_count",
                {"partner_types": ("health_visitors", "daycare_school", "socialcenter", "housing_social_work")},
            )
        ],
    ),
    _m(
        "cross_city_meetings_held",
        _("Cross-city meetings called"),
        Unit.COUNT,
        _("Meetings across the city called by central staff in the period."),
        "cross-city meetings",
        refs=[("cross_city_meetings_held", {})],
    ),
    _m(
        "cross_city_meetings_attended",
        _("Cross-city meetings attended"),
        Unit.COUNT,
        _("Cross-city meetings of the period the centre attended (for several centres: attendances)."),
        "cross-city meetings",
        refs=[("cross_city_meetings_attended", {})],
    ),
    _m(
        "volunteer_groups",
        _("Active volunteer groups"),
        Unit.COUNT,
        _("Volunteer groups attached to the centre and active on some day of the period, by target group."),
        "volunteer groups",
        refs=[("volunteer_groups_active", {})],
    ),
    _m(
        "volunteer_groups_primary",
        _("Share of the volunteer groups for the primary target group"),
        Unit.SHARE,
        _("Volunteer groups whose target group is the centres' primary target group, of all active groups."),
        "indicator: share_of_volunteer_groups",
        refs=[("share_of_volunteer_groups", {"target_group": "primary"})],
    ),
    _m(
        "room_bookings",
        _("Room bookings by volunteer groups and associations"),
        Unit.COUNT,
        _(
            "Bookings of the centres' rooms overlapping the period, not cancelled, held by a volunteer group, a "
            "volunteer association or another named holder."
        ),
        "room bookings",
        refs=[("volunteer_room_bookings", {})],
    ),
    _m(
        "group_referrals",
        _("Families referred to or from volunteer groups"),
        Unit.COUNT,
        _("Families referred between the centres and the volunteer groups in the period, by direction."),
        "volunteer group referrals",
        refs=[("group_referrals", {})],
        people=True,
    ),
    # --- Resources -------------------------------------------------------------------------
    _m(
        "dropin_weeks",
        _("Weeks with 6 drop-in hours"),
        Unit.WEEKS,
        _("Weeks with at least 6 open drop-in hours, of the weeks measured (excused weeks left out)."),
        "indicator: dropin_hours_per_week",
    ),
    _m(
        "staff_weeks",
        _("Weeks with 6 hours of family-unit staff"),
        Unit.WEEKS,
        _("Weeks with at least 6 hours of staff from the family unit, of the weeks measured."),
        "indicator: family_unit_staff_hours_per_week",
    ),
    _m(
        "dropin_weakest_week",
        _("Open drop-in hours in the weakest week"),
        Unit.HOURS,
        _("The fewest open drop-in hours in any week measured; for several centres, the weakest week of any centre."),
        "indicator: dropin_hours_per_week",
        # The 2006 paper asks for open hours at all (a minimum of 0.01): the same weakest week.
        refs=[("dropin_hours_per_week", WEEKLY), ("dropin_hours_per_week", {"minimum": 0.01, "excused_weeks": 9})],
    ),
    _m(
        "staff_weakest_week",
        _("Hours a week of staff from the family unit, in the weakest week"),
        Unit.HOURS,
        _("The fewest hours of family-unit staff in any week measured."),
        "indicator: family_unit_staff_hours_per_week",
        refs=[("family_unit_staff_hours_per_week", WEEKLY)],
    ),
    _m(
        "budget",
        _("Budget (DKK)"),
        Unit.AMOUNT,
        _("The centre's budget for the year as recorded by central staff."),
        "budgets",
    ),
    _m(
        "budget_confirmed",
        _("Budget confirmed known"),
        Unit.YES_NO,
        _("Whether the coordinator confirmed knowing the year's budget."),
        "budgets",
        refs=[("budget_known", {"confirmed": True})],
    ),
    _m(
        "budget_confirmed_on",
        _("Confirmed on"),
        Unit.TEXT,
        _("The day (Copenhagen time) the coordinator confirmed knowing the year's budget."),
        "budgets",
    ),
    _m(
        "budget_recorded",
        _("The year's budget is recorded for the centre"),
        Unit.YES_NO,
        _("Whether central staff recorded the centre's budget for the year."),
        "budgets",
        refs=[("budget_known", {})],
    ),
    # --- The concept ------------------------------------------------------------------------
    _m(
        "centre_status_written",
        _("The centre's own account is written"),
        Unit.YES_NO,
        _("Whether the coordinator wrote the centre's text for the year's status."),
        "indicator: centre_status_written",
        refs=[("centre_status_written", {})],
    ),
    _m(
        "city_status_published",
        _("The city's status is published"),
        Unit.YES_NO,
        _("Whether central staff published the city's status for the year."),
        "indicator: city_status_published",
        refs=[("city_status_published", {})],
    ),
    _m(
        "centres_by_outcome",
        _("Centres"),
        Unit.COUNT,
        _("How many centres had each outcome for the requirement."),
        "the scorecard",
    ),
    _m(
        "requirements_by_outcome",
        _("Requirements"),
        Unit.COUNT,
        _("How many of the concept's requirements had each outcome for the centre."),
        "the scorecard",
    ),
    _m(
        "concept",
        _("Concept"),
        Unit.TEXT,
        _("The concept in force on the last day of the year."),
        "concept files",
    ),
    _m(
        "concept_in_force_from",
        _("In force from"),
        Unit.TEXT,
        _("The day the concept came into force."),
        "concept files",
    ),
    _m(
        "law_cited",
        _("Law cited by the concept"),
        Unit.TEXT,
        _("The sections of the law the concept paper itself cites."),
        "concept files",
    ),
    _m(
        "legal_basis",
        _("Legal basis in the year"),
        Unit.TEXT,
        _("The sections of the law in force in the year that the concept rests on."),
        "concept files",
    ),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}


def metric(key: str) -> Metric:
    return BY_KEY[key]


def label(key: str) -> str:
    """The metric's label in the active language."""
    return str(BY_KEY[key].label)


def params_key(params: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in dict(params).items()))


_BY_REF: dict[tuple[str, tuple[Any, ...]], Metric] = {
    (name, params_key(params)): m for m in METRICS for name, params in m.refs
}


def for_ref(name: str, params: Mapping[str, Any]) -> Metric | None:
    """The published metric an indicator with these parameters computes (None: not listed)."""
    return _BY_REF.get((name, params_key(params)))
