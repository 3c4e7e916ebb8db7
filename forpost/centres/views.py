from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forpost.accounts.models import Membership, Role
from forpost.accounts.scoping import MANAGE, access_for, get_scoped_or_404, role_required, scoped
from forpost.core import idempotency, locking
from forpost.core.locking import Conflict

from . import hours, queries, services
from .forms import (
    BudgetConfirmForm,
    BudgetForm,
    ClosureForm,
    HolidayOverrideForm,
    PatternForm,
    RosterEntryForm,
    SlotFormSet,
    StaffAllocationForm,
    YearForm,
)
from .models import (
    Budget,
    Centre,
    Closure,
    HolidayOverride,
    OpeningHoursPattern,
    RosterEntry,
    RosterRole,
    SlotKind,
    StaffAllocation,
    Weekday,
)

# Management announces the budgets (the concept: "Budgettet udmeldes af områdechefen").
BUDGET_SETTERS = frozenset({Role.MANAGEMENT})


def _centre(request: HttpRequest, slug: str, roles: frozenset[Role] | None = None) -> Centre:
    qs = Centre.objects.select_related("district", "family_unit", "municipality")
    if roles is None:
        return get_scoped_or_404(qs, request.user, slug=slug)
    return get_scoped_or_404(qs, request.user, roles=roles, slug=slug)


def _can_manage(request: HttpRequest, centre: Centre) -> bool:
    return scoped(Centre, request.user, roles=MANAGE).filter(pk=centre.pk).exists()


def _add_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def centre_list(request: HttpRequest) -> HttpResponse:
    centres = (
        scoped(Centre, request.user).select_related("district", "family_unit").prefetch_related("districts_served")
    )
    return render(request, "centres/centre_list.html", {"centres": centres})


@login_required
def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(request, slug)
    members = (
        Membership.objects.active().filter(centre=centre).select_related("user").order_by("role", "user__username")
    )
    check = queries.concept_checks([centre], timezone.localdate())[0]
    return render(
        request,
        "centres/centre_detail.html",
        {"centre": centre, "members": members, "check": check, "tab": "detail"},
    )


# --- Opening hours ----------------------------------------------------------------------------


@login_required
def hours_overview(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(request, slug)
    today = timezone.localdate()
    year_form = YearForm(request.GET or None)
    year = year_form.year_or(today)
    if not request.GET:
        year_form = YearForm(initial={"year": year})
    mondays = hours.iso_year_mondays(year)
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    calendar = queries.calendar_for(centre, first, last)
    weeks = hours.dropin_hours_by_week(calendar, mondays)
    patterns = list(OpeningHoursPattern.objects.filter(centre=centre).prefetch_related("slots").order_by("-valid_from"))
    pattern_rows = [
        {
            "pattern": p,
            "dropin_hours": hours.weekly_minutes(
                [hours.WeeklySlot(s.weekday, s.starts_at, s.ends_at, s.kind) for s in p.slots.all()]
            )
            / 60,
            "current": p.valid_from <= today and (p.valid_to is None or today <= p.valid_to),
        }
        for p in patterns
    ]
    overrides = {o.date: o for o in HolidayOverride.objects.filter(centre=centre, date__gte=first, date__lte=last)}
    holiday_rows = [
        {"date": day, "name": name, "open_anyway": day in overrides and overrides[day].open_anyway}
        for day, name in sorted(hours.danish_holidays(first, last).items())
    ]
    closures = Closure.objects.filter(centre=centre).overlapping_period(first, last).order_by("starts_on")
    return render(
        request,
        "centres/hours.html",
        {
            "centre": centre,
            "tab": "hours",
            "year": year,
            "year_form": year_form,
            "weeks": weeks,
            "weeks_below": hours.below_minimum(weeks),
            "minimum": hours.DROPIN_MINIMUM_HOURS,
            "pattern_rows": pattern_rows,
            "holiday_rows": holiday_rows,
            "closures": closures,
            "can_manage": _can_manage(request, centre),
            "today": today,
        },
    )


def _pattern_form(request: HttpRequest, centre: Centre, pattern: OpeningHoursPattern | None) -> HttpResponse:
    initial_slots = (
        [
            {"weekday": s.weekday, "starts_at": s.starts_at, "ends_at": s.ends_at, "kind": s.kind}
            for s in pattern.slots.all()
        ]
        if pattern
        else []
    )
    initial: dict[str, Any] = {"valid_from": pattern.valid_from, "valid_to": pattern.valid_to} if pattern else {}
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        if pattern is None and idempotency.used(token=token, user=request.user, purpose="hours_pattern"):
            # A replay: the first submit's pattern would make this one an overlap.
            messages.info(request, _("This form was already saved; here is what it saved."))
            return redirect("centres:hours", slug=centre.slug)
        form = PatternForm(request.POST, centre=centre, pattern=pattern)
        locking.prepare_form(form, pattern)
        slots = SlotFormSet(request.POST, prefix="slots")
        if form.is_valid() and slots.is_valid():

            def save() -> OpeningHoursPattern:
                return services.save_hours_pattern(
                    actor=request.user,
                    centre=centre,
                    valid_from=form.cleaned_data["valid_from"],
                    valid_to=form.cleaned_data["valid_to"],
                    slots=slots.slots(),  # type: ignore[attr-defined]
                    pattern=pattern,
                    expected_version=locking.expected(form) if pattern else None,
                )

            mine = _slots_text(slots.slots())  # type: ignore[attr-defined]
            saved, replay = _save_once(request, form, "hours_pattern", save, pattern, centre, mine)
            if replay or saved:
                if saved:
                    messages.success(request, _("The opening hours are saved."))
                return replay or redirect("centres:hours", slug=centre.slug)
    else:
        if pattern is None:
            initial.update(idempotency.fresh(request, "hours_pattern"))
        form = PatternForm(initial=initial, centre=centre, pattern=pattern)
        locking.prepare_form(form, pattern)
        slots = SlotFormSet(initial=initial_slots, prefix="slots")
    return render(
        request,
        "centres/pattern_form.html",
        {
            "centre": centre,
            "tab": "hours",
            "form": form,
            "slots": slots,
            "pattern": pattern,
            "minimum": hours.DROPIN_MINIMUM_HOURS,
        },
    )


@role_required(MANAGE)
def pattern_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _pattern_form(request, _centre(request, slug, MANAGE), None)


@role_required(MANAGE)
def pattern_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    pattern = get_scoped_or_404(
        OpeningHoursPattern.objects.prefetch_related("slots"), request.user, roles=MANAGE, pk=pk, centre=centre
    )
    return _pattern_form(request, centre, pattern)


@require_POST
@role_required(MANAGE)
def pattern_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    pattern = get_scoped_or_404(OpeningHoursPattern, request.user, roles=MANAGE, pk=pk, centre=centre)
    try:
        services.delete_hours_pattern(actor=request.user, pattern=pattern)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The opening hours pattern is deleted."))
    return redirect("centres:hours", slug=centre.slug)


@role_required(MANAGE)
def closure_create(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    if request.method == "POST":
        form = ClosureForm(request.POST)
    else:
        form = ClosureForm(initial=idempotency.fresh(request, "closure"))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission_token"}
        closure, replay = idempotency.create_once(
            request,
            form,
            purpose="closure",
            create=lambda: services.add_closure(actor=request.user, centre=centre, **data),
            replay_url=lambda _obj: reverse("centres:hours", kwargs={"slug": centre.slug}),
        )
        if replay or closure:
            if closure:
                messages.success(request, _("The closure is saved."))
            return replay or redirect("centres:hours", slug=centre.slug)
    return render(request, "centres/closure_form.html", {"centre": centre, "tab": "hours", "form": form})


@require_POST
@role_required(MANAGE)
def closure_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    closure = get_scoped_or_404(Closure, request.user, roles=MANAGE, pk=pk, centre=centre)
    try:
        services.delete_closure(actor=request.user, closure=closure)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The closure is deleted."))
    return redirect("centres:hours", slug=centre.slug)


@require_POST
@role_required(MANAGE)
def holiday_override(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    form = HolidayOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The holiday could not be changed. Try again from the list."))
        return redirect("centres:hours", slug=centre.slug)
    day, open_anyway = form.cleaned_data["day"], form.cleaned_data["open_anyway"]
    try:
        services.set_holiday_override(actor=request.user, centre=centre, day=day, open_anyway=open_anyway)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if open_anyway:
            messages.success(request, _("The centre keeps its usual hours on this holiday."))
        else:
            messages.success(request, _("The centre is closed on this holiday."))
    return redirect(f"{reverse('centres:hours', kwargs={'slug': centre.slug})}?year={day.isocalendar().year}")


# --- Staff from the family unit ---------------------------------------------------------------


@login_required
def staffing(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(request, slug)
    today = timezone.localdate()
    year_form = YearForm(request.GET or None)
    year = year_form.year_or(today)
    if not request.GET:
        year_form = YearForm(initial={"year": year})
    weeks = queries.staff_weeks(centre, hours.iso_year_mondays(year))
    allocations = StaffAllocation.objects.filter(centre=centre).order_by("-valid_from", "role")
    return render(
        request,
        "centres/staffing.html",
        {
            "centre": centre,
            "tab": "staffing",
            "year": year,
            "year_form": year_form,
            "weeks": weeks,
            "weeks_below": hours.below_minimum(weeks),
            "minimum": hours.STAFF_MINIMUM_HOURS,
            "allocations": allocations,
            "can_manage": _can_manage(request, centre),
            "today": today,
        },
    )


def _allocation_form(request: HttpRequest, centre: Centre, allocation: StaffAllocation | None) -> HttpResponse:
    initial = (
        {
            "role": allocation.role,
            "hours_per_week": allocation.hours_per_week,
            "valid_from": allocation.valid_from,
            "valid_to": allocation.valid_to,
            "note": allocation.note,
        }
        if allocation
        else {"valid_from": timezone.localdate()}
    )
    if request.method != "POST" and allocation is None:
        initial.update(idempotency.fresh(request, "staff_allocation"))
    form = StaffAllocationForm(request.POST or None, initial=initial)
    locking.prepare_form(form, allocation)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("submission_token", "version")}

        def save() -> StaffAllocation:
            return services.save_staff_allocation(
                actor=request.user,
                centre=centre,
                allocation=allocation,
                expected_version=locking.expected(form) if allocation else None,
                **data,
            )

        saved, replay = _save_once(request, form, "staff_allocation", save, allocation, centre)
        if replay or saved:
            if saved:
                messages.success(request, _("The staff allocation is saved."))
            return replay or redirect("centres:staffing", slug=centre.slug)
    return render(
        request,
        "centres/allocation_form.html",
        {"centre": centre, "tab": "staffing", "form": form, "allocation": allocation},
    )


def _save_once(
    request: HttpRequest,
    form: Any,
    purpose: str,
    save: Callable[[], Any],
    existing: OpeningHoursPattern | StaffAllocation | None,
    centre: Centre,
    my_slots: str = "",
) -> tuple[Any, HttpResponse | None]:
    """Create once per token, or change `existing` unless someone saved it first.

    Returns (record, None) when saved, (None, response) for a replay or a conflict, and
    (None, None) when the form is shown again with its errors."""
    back = reverse("centres:hours" if purpose == "hours_pattern" else "centres:staffing", kwargs={"slug": centre.slug})
    if existing is None:
        return idempotency.create_once(request, form, purpose=purpose, create=save, replay_url=lambda _obj: back)
    try:
        return save(), None
    except Conflict as conflict:
        current = type(form)(initial=_initial(conflict.current), **_form_kwargs(form))
        title = str(conflict.current)
        extra = []
        if isinstance(conflict.current, OpeningHoursPattern):
            # The weekly time slots are a formset beside the form: show them too.
            stored = [
                hours.WeeklySlot(s.weekday, s.starts_at, s.ends_at, s.kind)
                for s in conflict.current.slots.order_by("weekday", "starts_at")
            ]
            extra.append((_("Time slots each week"), my_slots, _slots_text(stored)))
        return None, locking.conflict_response(
            request, form=form, current_form=current, conflict=conflict, title=title, back=back, extra_rows=extra
        )
    except ValidationError as error:
        _add_errors(form, error)
    return None, None


def _slots_text(slots: Any) -> str:
    ordered = sorted(slots, key=lambda s: (s.weekday, s.starts_at))
    return "; ".join(
        f"{Weekday(s.weekday).label} {s.starts_at:%H.%M}–{s.ends_at:%H.%M} ({SlotKind(s.kind).label})" for s in ordered
    )


def _initial(obj: Any) -> dict[str, Any]:
    names = ("role", "hours_per_week", "valid_from", "valid_to", "note")
    return {name: getattr(obj, name) for name in names if hasattr(obj, name)}


def _form_kwargs(form: Any) -> dict[str, Any]:
    # PatternForm needs its centre and pattern to check overlaps; the other takes none.
    return {"centre": form.centre, "pattern": form.pattern} if isinstance(form, PatternForm) else {}


@role_required(MANAGE)
def allocation_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _allocation_form(request, _centre(request, slug, MANAGE), None)


@role_required(MANAGE)
def allocation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    allocation = get_scoped_or_404(StaffAllocation, request.user, roles=MANAGE, pk=pk, centre=centre)
    return _allocation_form(request, centre, allocation)


@require_POST
@role_required(MANAGE)
def allocation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    allocation = get_scoped_or_404(StaffAllocation, request.user, roles=MANAGE, pk=pk, centre=centre)
    try:
        services.delete_staff_allocation(actor=request.user, allocation=allocation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The staff allocation is deleted."))
    return redirect("centres:staffing", slug=centre.slug)


# --- Budget -----------------------------------------------------------------------------------


def _budget_page(request: HttpRequest, centre: Centre, form: BudgetForm | None = None) -> HttpResponse:
    may_set = access_for(request.user).has_role(BUDGET_SETTERS)
    if may_set and form is None:
        form = BudgetForm(initial={"year": timezone.localdate().year})
    budgets = Budget.objects.filter(centre=centre).select_related("entered_by", "confirmed_known_by")
    return render(
        request,
        "centres/budget.html",
        {
            "centre": centre,
            "tab": "budget",
            "budgets": budgets,
            "form": form if may_set else None,
            "can_confirm": _can_manage(request, centre),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    return _budget_page(request, _centre(request, slug))


@require_POST
@role_required(BUDGET_SETTERS)
def budget_set(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(request, slug, BUDGET_SETTERS)
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.set_budget(actor=request.user, centre=centre, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The budget is saved. The centre's coordinator can now confirm it."))
            return redirect("centres:budget", slug=centre.slug)
    return _budget_page(request, centre, form)


@require_POST
@role_required(MANAGE)
def budget_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    budget = get_scoped_or_404(Budget, request.user, roles=MANAGE, pk=pk, centre=centre)
    form = BudgetConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The confirmation could not be saved. Try again from the list."))
        return redirect("centres:budget", slug=centre.slug)
    try:
        services.confirm_budget_known(actor=request.user, budget=budget, amount_seen=form.cleaned_data["amount_seen"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you. The centre's knowledge of the budget is recorded."))
    return redirect("centres:budget", slug=centre.slug)


# --- The centre's own staff (issue 19) ---------------------------------------------------------


@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    """The people who work at the centre, dated. The 2006 paper warns against a centre that
    depends on only one coordinator; the page says so while it does."""
    centre = _centre(request, slug)
    today = timezone.localdate()
    entries = RosterEntry.objects.filter(centre=centre).order_by("-valid_to", "role", "name")
    current = [e for e in entries if e.valid_from <= today and (e.valid_to is None or e.valid_to >= today)]
    coordinators = sum(1 for e in current if e.role == RosterRole.COORDINATOR)
    return render(
        request,
        "centres/roster.html",
        {
            "centre": centre,
            "tab": "roster",
            "entries": entries,
            "current_ids": {e.pk for e in current},
            "coordinators": coordinators,
            "can_manage": _can_manage(request, centre),
        },
    )


def _roster_form(request: HttpRequest, centre: Centre, entry: RosterEntry | None) -> HttpResponse:
    back = reverse("centres:roster", kwargs={"slug": centre.slug})
    if request.method == "POST":
        form = RosterEntryForm(request.POST, instance=entry)
    elif entry is None:
        form = RosterEntryForm(
            initial={**idempotency.fresh(request, "roster_entry"), "valid_from": timezone.localdate()}
        )
    else:
        form = RosterEntryForm(instance=entry)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RosterEntryForm.Meta.fields}
        if entry is None:
            saved, replay = idempotency.create_once(
                request,
                form,
                purpose="roster_entry",
                create=lambda: services.save_roster_entry(actor=request.user, centre=centre, **fields),
                replay_url=lambda _obj: back,
            )
            if replay:
                return replay
        else:
            try:
                saved = services.save_roster_entry(
                    actor=request.user,
                    centre=centre,
                    entry=entry,
                    expected_version=form.cleaned_data.get("version"),
                    **fields,
                )
            except Conflict as conflict:
                return locking.conflict_response(
                    request,
                    form=form,
                    current_form=RosterEntryForm(instance=conflict.current),
                    conflict=conflict,
                    title=str(conflict.current),
                    back=back,
                )
            except ValidationError as error:
                _add_errors(form, error)
                saved = None
        if saved is not None:
            messages.success(request, _("The roster is saved."))
            return redirect(back)
    return render(
        request, "centres/roster_form.html", {"centre": centre, "tab": "roster", "form": form, "entry": entry}
    )


@role_required(MANAGE)
def roster_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _roster_form(request, _centre(request, slug, MANAGE), None)


@role_required(MANAGE)
def roster_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre = _centre(request, slug, MANAGE)
    entry = get_scoped_or_404(RosterEntry, request.user, roles=MANAGE, pk=pk, centre=centre)
    return _roster_form(request, centre, entry)
