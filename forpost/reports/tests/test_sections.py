"""A hand-computed year: every number of the inquiry sections is known in advance."""

from datetime import date

import pytest
from django.utils import translation

from forpost.centres.models import District, PopulationFigure
from forpost.registrations import counts as facts
from forpost.reports.sections import wilson
from forpost.reports.status import build_status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def year(cast):
    """Nørrebro, 2025: 12 inquiries. 8 by walk-in, 4 by phone; 10 in March, 2 in May;
    mothers 9, fathers 3; origin: 6 Danish, 6 non-Western immigrant; 7 without a case;
    each about one child of 3–5 (a girl), the last two also about a 13–17 boy.
    One inquiry in 2024 (for the comparison)."""
    from forpost.registrations.models import Action, Channel, Child, Inquiry, ReferralSource, Theme

    walk_in, phone = list(Channel.objects.order_by("sort_order")[:2])
    divorce, bullying = Theme.objects.order_by("sort_order")[:2]
    advice = Action.objects.get(code="advice")
    source = ReferralSource.objects.order_by("sort_order").first()
    district = District.objects.get(slug="norrebro")
    for i in range(12):
        inquiry = Inquiry.objects.create(
            centre=cast.norrebro,
            date=date(2025, 3, 3 + i % 5) if i < 10 else date(2025, 5, 6),
            channel=walk_in if i < 8 else phone,
            contact_person="mother" if i < 9 else "father",
            origin="danish" if i < 6 else "immigrant_non_western",
            has_case="no" if i < 7 else "yes",
            minutes=30,
            referral_source=source if i < 3 else None,
            residence="district" if i < 4 else "not_stated",
            district=district if i < 4 else None,
        )
        inquiry.themes.set([divorce, bullying] if i < 5 else [divorce])
        inquiry.actions.set([advice])
        Child.objects.create(inquiry=inquiry, age_band="3-5", sex="girl")
        if i >= 10:
            Child.objects.create(inquiry=inquiry, age_band="13-17", sex="boy")
    Inquiry.objects.create(centre=cast.norrebro, date=date(2024, 9, 2), channel=phone)
    norrebro = District.objects.get(slug="norrebro")
    for origin, count in (("danish", 700), ("immigrant_non_western", 200), ("descendant_non_western", 100)):
        PopulationFigure.objects.create(
            year=2025, district=norrebro, age_band="30-39", sex="female", origin=origin, count=count
        )
    facts.rebuild()
    return cast


def status(cast, suppress=False):
    return build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=suppress, title="T")


def section(st, key):
    return next(s for s in st.sections if s.key == key)


def table(sec, key):
    return next(t for t in sec.tables if t.key == key)


def values(t):
    return {r.key: r.cells[0].value for r in t.rows}


def test_volume_by_month_channel_weekday_and_contact(year):
    volume = section(status(year), "volume")
    assert dict(volume.facts)["Inquiries"].value == 12 or volume.facts[0][1].value == 12
    months = values(table(volume, "by_month"))
    assert months["3"] == 10 and months["5"] == 2 and sum(months.values()) == 12
    channels = table(volume, "by_channel")
    assert sorted(values(channels).values(), reverse=True)[:2] == [8, 4]
    assert channels.total.cells[0].value == 12
    # 3 March 2025 is a Monday: days 3..7 are Monday..Friday, two each, plus 6 May (a Tuesday).
    weekdays = values(table(volume, "by_weekday"))
    assert weekdays == {"1": 2, "2": 4, "3": 2, "4": 2, "5": 2, "6": 0, "7": 0}
    assert values(table(volume, "by_contact"))["mother"] == 9
    assert volume.facts[1].value.value == 30  # a number carrying its Danish text


def test_target_group_shares(year):
    target = section(status(year), "target_group")
    shown = dict(target.facts)
    assert shown["Share of inquiries about a child aged 0–12"] == "100 %"
    assert shown["Share of families without a case at the family unit"] == "58 %"  # 7 of 12
    ages = values(table(target, "child_age"))
    assert ages["3-5"] == 12 and ages["13-17"] == 2
    assert values(table(target, "origin"))["immigrant_non_western"] == 6


def test_representativeness_against_the_population(year):
    rep = section(status(year), "representativeness")
    rows = {r.key: r for r in rep.tables[0].rows}
    # 6 of 12 stated are non-Western immigrants against 20 % of the adults: ratio 2.50.
    assert rows["immigrant_non_western"].cells[3].startswith("2.50")
    # 6 of 12 (interval 25–75 %) against 20 %: the whole interval lies above 1.
    assert rows["immigrant_non_western"].cells[4] == "over-represented"
    # 6 of 12 against 70 %: ratio 0.71, but the interval reaches above 1 with so few inquiries.
    assert rows["danish"].cells[3].startswith("0.71")
    assert rows["danish"].cells[4] == "as expected"
    # None of 12 against 10 %: too few inquiries to call it under-representation.
    assert rows["descendant_non_western"].cells[4] == "as expected"
    assert rep.notes == ("No group is clearly under-represented.",)


def test_wilson_matches_the_textbook_value():
    low, high = wilson(6, 12)
    assert round(low, 3) == 0.254
    assert round(high, 3) == 0.746


def test_the_year_is_compared_with_the_four_before_and_years_without_data_say_so(year):
    # The first registration is in 2024: the years before have no data, never 0. It came on 2
    # September, so 2024 is marked as part of a year (not a whole year to compare with).
    trends = section(status(year), "trends")
    bars = {b.label: b.value for b in trends.charts[0].bars}
    assert bars == {"2021": None, "2022": None, "2023": None, "2024 (part of the year)": 1, "2025": 12}
    assert [b.shown for b in trends.charts[0].bars][:3] == ["no data"] * 3


def test_small_counts_are_hidden_when_the_numbers_leave_the_centre(year):
    volume = section(status(year, suppress=True), "volume")
    by_month = table(volume, "by_month")
    months = {r.key: r.cells[0] for r in by_month.rows}
    assert months["5"].suppressed  # 2 inquiries in May
    # May could be worked out as 12 - 10, so March is hidden too ("×", not "<5"); with the
    # total shown, March would lie between 8 and 11, narrower than the protection width of 5,
    # so the total is hidden as well.
    assert months["3"].suppressed and months["3"].display(5) == "×"
    assert by_month.total.cells[0].display(5) == "×"
    assert months["1"].display(5) == "0"


def test_themes_actions_sources_and_districts(year):
    from forpost.registrations.models import Action, ReferralSource, Theme

    st = status(year)
    divorce, bullying = Theme.objects.order_by("sort_order")[:2]
    themes = values(section(st, "themes").tables[0])
    assert themes[str(divorce.pk)] == 12 and themes[str(bullying.pk)] == 5
    assert sum(themes.values()) == 17  # several themes per inquiry
    assert values(section(st, "actions").tables[0])[str(Action.objects.get(code="advice").pk)] == 12
    sources = values(section(st, "visibility").tables[0])
    assert sources[str(ReferralSource.objects.order_by("sort_order").first().pk)] == 3
    assert sources[""] == 9
    districts = values(section(st, "districts").tables[0])
    assert districts[str(District.objects.get(slug="norrebro").pk)] == 4
    assert districts["not_stated"] == 8


def test_the_status_is_built_from_the_one_ordered_list_of_sections_and_nothing_else(cast, monkeypatch):
    """Sections were found by import_module, so which sections a status had and in which order
    depended on what had been imported. Now build_status() reads one list, SECTIONS."""
    import inspect

    from forpost.reports import sections, status

    with translation.override("en"):
        built = build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=False, title="T")
    listed = [key for key, _function in sections.SECTIONS]
    assert [s.key for s in built.sections] == [key for key in listed if key in {s.key for s in built.sections}]
    assert {"summary", "volume", "scorecard", "definitions"} <= {s.key for s in built.sections}
    monkeypatch.setattr(sections, "SECTIONS", (("definitions", sections.definitions), ("volume", sections.volume)))
    with translation.override("en"):
        built = build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=False, title="T")
    assert [s.key for s in built.sections] == ["definitions", "volume"]
    for module in (sections, status):
        assert "import_module" not in inspect.getsource(module)
