"""Action plans: the coordinator records what the centre will do about a requirement it did not
meet, or met only partly, and marks it done; central staff see the open actions of the city."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts.scoping import CITY_READERS, MANAGE, access_for, get_scoped_or_404, role_required, scoped
from forpost.centres.models import Centre
from forpost.core import idempotency, locking
from forpost.core.locking import Conflict

from . import services
from .actions import ACTIONABLE, actionable_requirement, requirement_label, verdict
from .definitions import Scope, Strength
from .evaluation import Outcome, evaluate_year
from .forms import ActionDoneForm, ActionFilterForm, ActionPlanForm
from .loader import load_concepts
from .models import ActionPlan
from .views import FIRST_YEAR

PAGE_SIZE = 50


def _plan_year(value: Any, today: date) -> int:
    """?year=, from the first concept to this year; by default last year, whose status is the
    one the actions answer once the year is over."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year - 1
    return year if FIRST_YEAR <= year <= today.year else today.year - 1


def _may_plan(request: HttpRequest, centre: Centre) -> bool:
    return centre.pk in (access_for(request.user).centre_ids(MANAGE) or ())


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def actions_start(request: HttpRequest) -> HttpResponse:
    """The action plans that fit the user: the city's list, or their centre's page."""
    access = access_for(request.user)
    if access.is_city_wide(CITY_READERS):
        return redirect("concepts:action_list")
    centre = access.centres(MANAGE).first() or access.centres().first()
    if centre is None:
        raise Http404
    return redirect("concepts:actions", slug=centre.slug)


@login_required
def centre_actions(request: HttpRequest, slug: str) -> HttpResponse:
    """One centre's action plans: the year's requirements that call for one, and every action
    recorded, open first."""
    centre = get_scoped_or_404(Centre, request.user, slug=slug)
    today = timezone.localdate()
    year = _plan_year(request.GET.get("year"), today)
    recorded = list(scoped(ActionPlan, request.user).filter(centre=centre).order_by("due_on", "pk"))
    for action in recorded:
        action.requirement_label = requirement_label(action.year, action.requirement_id)  # type: ignore[attr-defined]
    counted: dict[str, int] = {}
    for action in recorded:
        if action.year == year:
            counted[action.requirement_id] = counted.get(action.requirement_id, 0) + 1
    unmet = [
        (e, counted.get(e.requirement.id, 0))
        for e in evaluate_year(centre, year)
        if e.outcome in ACTIONABLE and e.requirement.strength != Strength.MAY
    ]
    return render(
        request,
        "concepts/actions_centre.html",
        {
            "centre": centre,
            "year": year,
            "years": list(range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1)),
            "unmet": unmet,
            "open_actions": [a for a in recorded if not a.is_done],
            "done_actions": sorted((a for a in recorded if a.is_done), key=lambda a: (a.done_on, a.pk), reverse=True),
            "may_plan": _may_plan(request, centre),
            "today": today,
            "city_wide": access_for(request.user).is_city_wide(CITY_READERS),
        },
    )


def _back(action_or_centre: Any, year: int) -> str:
    slug = action_or_centre.slug if isinstance(action_or_centre, Centre) else action_or_centre.centre.slug
    return f"{reverse('concepts:actions', args=[slug])}?year={year}"


@login_required
def action_create(request: HttpRequest, slug: str, year: int, requirement_id: str) -> HttpResponse:
    centre = get_scoped_or_404(Centre, request.user, roles=MANAGE, slug=slug)
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise Http404
    requirement = actionable_requirement(year, requirement_id)
    if requirement is None:
        raise Http404
    data, initial = (request.POST, {}) if request.method == "POST" else (None, idempotency.fresh(request, "action"))
    form = ActionPlanForm(data, initial=initial, year=year)
    back = _back(centre, year)
    if form.is_valid():
        action, replay = idempotency.create_once(
            request,
            form,
            purpose="action",
            create=lambda: services.record_action(
                actor=request.user,
                centre=centre,
                year=year,
                requirement_id=requirement.id,
                what=form.cleaned_data["what"],
                responsible=form.cleaned_data["responsible"],
                due_on=form.cleaned_data["due_on"],
                today=today,
            ),
            replay_url=lambda _obj: back,
        )
        if replay or action:
            if action:
                messages.success(request, _("The action plan is saved."))
            return replay or redirect(back)
    outcome = verdict(centre, year, requirement)
    return render(
        request,
        "concepts/action_form.html",
        {
            "form": form,
            "centre": centre,
            "year": year,
            "requirement": requirement,
            "outcome": outcome,
            "actionable": outcome in ACTIONABLE,
            "back": back,
            "title": _("New action plan"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _own_action(request: HttpRequest, pk: int) -> ActionPlan:
    return get_scoped_or_404(ActionPlan.objects.select_related("centre"), request.user, roles=MANAGE, pk=pk)


def _conflict(request: HttpRequest, form: Any, current: Any, conflict: Conflict, title: str) -> HttpResponse:
    return locking.conflict_response(
        request, form=form, current_form=current, conflict=conflict, title=title, back=request.path
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _own_action(request, pk)
    form = ActionPlanForm(request.POST if request.method == "POST" else None, instance=action, year=action.year)
    back = _back(action, action.year)
    title = requirement_label(action.year, action.requirement_id)
    if form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in ("what", "responsible", "due_on", "done_on", "done_note")
            if name in form.fields
        }
        try:
            services.change_action(actor=request.user, action=action, expected_version=locking.expected(form), **fields)
        except Conflict as conflict:
            current = ActionPlanForm(instance=conflict.current, year=action.year)
            return _conflict(request, form, current, conflict, title)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The action plan is saved."))
            return redirect(back)
    return render(
        request,
        "concepts/action_form.html",
        {
            "form": form,
            "centre": action.centre,
            "year": action.year,
            "action": action,
            "requirement_text": title,
            "outcome": Outcome(action.outcome),
            "actionable": True,
            "back": back,
            "title": _("Change the action plan"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = _own_action(request, pk)
    back = _back(action, action.year)
    if action.is_done:
        messages.info(request, _("This action is already marked done."))
        return redirect("concepts:action_edit", pk=action.pk)
    today = timezone.localdate()
    form = ActionDoneForm(
        request.POST if request.method == "POST" else None,
        initial={"version": action.version, "done_on": today},
        year=action.year,
        today=today,
    )
    title = requirement_label(action.year, action.requirement_id)
    if form.is_valid():
        try:
            services.mark_action_done(
                actor=request.user,
                action=action,
                expected_version=locking.expected(form),
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        except Conflict as conflict:
            current = ActionDoneForm(
                initial={"done_on": conflict.current.done_on, "note": conflict.current.done_note},  # type: ignore[attr-defined]
                year=action.year,
                today=today,
            )
            return _conflict(request, form, current, conflict, title)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The action is marked done."))
            return redirect(back)
    return render(
        request,
        "concepts/action_done.html",
        {"form": form, "action": action, "requirement_text": title, "back": back},
        status=400 if request.method == "POST" else 200,
    )


def _requirement_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each concept version's centre requirements, newest version first, for the filter."""
    return [
        (str(v.title), [(r.id, str(r.label)) for r in v.requirements if r.scope == Scope.CENTRE])
        for v in reversed(load_concepts())
    ]


@role_required(CITY_READERS)
def action_list(request: HttpRequest) -> HttpResponse:
    """Central staff's view of the city: every open action plan (or overdue, done, all), by centre,
    requirement and year, the soonest due first."""
    today = timezone.localdate()
    centres = access_for(request.user).centres(CITY_READERS)
    years = list(
        scoped(ActionPlan, request.user, roles=CITY_READERS).order_by("-year").values_list("year", flat=True).distinct()
    )
    form = ActionFilterForm(request.GET or None, centres=centres, requirements=_requirement_choices(), years=years)
    state, filters = "open", {}
    if form.is_valid():
        data = form.cleaned_data
        state = data["state"] or "open"
        filters = {
            name: value
            for name, value in (
                ("centre", data["centre"]),
                ("requirement_id", data["requirement"]),
                ("year", data["year"]),
            )
            if value
        }
    base = {
        "open": ActionPlan.objects.open(),
        "overdue": ActionPlan.objects.overdue(today),
        "done": ActionPlan.objects.done(),
    }.get(state, ActionPlan.objects.all())
    qs = scoped(base, request.user, roles=CITY_READERS).filter(**filters).select_related("centre")
    if form.is_bound and not form.is_valid():
        qs = qs.none()
    qs = qs.order_by("due_on", "centre__name", "pk") if state != "done" else qs.order_by("-done_on", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for action in page:
        action.requirement_label = requirement_label(action.year, action.requirement_id)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "concepts/action_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "state": state,
            "overdue_count": scoped(ActionPlan.objects.overdue(today), request.user, roles=CITY_READERS).count(),
        },
    )
