from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forpost.accounts.scoping import (
    CENTRAL,
    CITY_READERS,
    MANAGE,
    access_for,
    get_scoped_or_404,
    role_required,
    scoped,
)
from forpost.centres.models import Centre
from forpost.core import idempotency
from forpost.core.suppression import applies_to

from . import editing, loader, services
from .definitions import STAGE_ORDER, AttestedMeasure, ConceptVersion, Requirement, Scope
from .forms import AttestationForm, ConceptTextForm, ReturnForm
from .loader import concept_for_year, get_concept, load_concepts
from .models import Attestation, AttestationStatus, ConceptRevision
from .svg import wheel_svg
from .yearwheel import STATUS_LABELS, Status, city_wheels, wheel_for

FIRST_YEAR = 2006


def _version_or_404(version_id: str) -> ConceptVersion:
    version = get_concept(version_id)
    if version is None:
        raise Http404
    return version


def _year_or_404(year: int) -> int:
    # From the first concept to next year: enough to plan ahead, never an unbounded loop.
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


@login_required
def version_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    versions = list(reversed(load_concepts()))
    return render(
        request,
        "concepts/version_list.html",
        {"versions": versions, "today": today, "may_change": access_for(request.user).has_role(CENTRAL)},
    )


@login_required
def version_detail(request: HttpRequest, version_id: str) -> HttpResponse:
    version = _version_or_404(version_id)
    return render(
        request,
        "concepts/version_detail.html",
        {"version": version, "areas": [(a, rs) for a, rs in version.by_area() if rs], "today": timezone.localdate()},
    )


@login_required
def theory_of_change(request: HttpRequest, version_id: str) -> HttpResponse:
    version = _version_or_404(version_id)
    chains = [
        (chain, [(stage, [link for link in chain.links if link.stage == stage]) for stage in STAGE_ORDER])
        for chain in version.theory_of_change
    ]
    return render(request, "concepts/theory.html", {"version": version, "chains": chains})


@login_required
def wheel_start(request: HttpRequest) -> HttpResponse:
    """The year wheel that fits the user: their centre's this year, or the city's."""
    access = access_for(request.user)
    year = timezone.localdate().year
    if access.is_city_wide(CITY_READERS):
        return redirect("concepts:city", year=year)
    centre = access.centres().first()
    if centre is None:
        raise Http404
    return redirect("concepts:wheel", slug=centre.slug, year=year)


@login_required
def wheel(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    centre = get_scoped_or_404(Centre, request.user, slug=slug)
    year = _year_or_404(year)
    today = timezone.localdate()
    year_wheel = wheel_for(centre, year, today=today)
    may_attest = centre.pk in (access_for(request.user).centre_ids(MANAGE) or ()) and year <= today.year
    return render(
        request,
        "concepts/wheel.html",
        {
            "centre": centre,
            "wheel": year_wheel,
            "svg": wheel_svg(year_wheel),
            # "Not used" belongs to "kan" duties only: left out when there is none.
            "counts": [(s, STATUS_LABELS[s], n) for s, n in year_wheel.counts().items() if n or s != Status.NOT_USED],
            "may_attest": may_attest,
            "legal_bases": year_wheel.version.legal_bases_on(min(today, _year_end(year))) if year_wheel.version else (),
            "years": _year_links(year),
            "city_wide": access_for(request.user).is_city_wide(CITY_READERS),
            # Another centre's or the city's reader: the numbers have left the centre.
            "masked": applies_to(access_for(request.user).centre_ids(), [centre.pk]),
        },
    )


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _year_links(year: int) -> dict[str, int | None]:
    last = timezone.localdate().year + 1
    return {
        "previous": year - 1 if year - 1 >= FIRST_YEAR else None,
        "next": year + 1 if year + 1 <= last else None,
    }


def _attestable(
    slug: str, year: int, requirement_id: str, request: HttpRequest
) -> tuple[Centre, int, ConceptVersion, Requirement]:
    centre = get_scoped_or_404(Centre, request.user, roles=MANAGE, slug=slug)
    year = _year_or_404(year)
    version = concept_for_year(year)
    requirement = version.requirement(requirement_id) if version else None
    if (
        version is None
        or requirement is None
        or requirement.scope != Scope.CENTRE
        or not isinstance(requirement.measure, AttestedMeasure)
    ):
        raise Http404
    return centre, year, version, requirement


def _centre_activities(centre: Centre, year: int, today: date) -> list[Any]:
    from forpost.collaboration.models import Activity

    last = min(today, _year_end(year))
    return list(
        Activity.objects.filter(centre=centre, date__gte=date(year, 1, 1), date__lte=last)
        .select_related("type")
        .order_by("date", "pk")
    )


@login_required
def attest(request: HttpRequest, slug: str, year: int, requirement_id: str) -> HttpResponse:
    """The coordinator attests a statement: what was done, for which days, which activities
    show it. A returned attestation is attested again here; any other stands as made."""
    centre, year, version, requirement = _attestable(slug, year, requirement_id, request)
    today = timezone.localdate()
    existing = Attestation.objects.filter(centre=centre, year=year, requirement_id=requirement.id).first()
    open_to_attest = existing is None or existing.status == AttestationStatus.RETURNED
    activities = _centre_activities(centre, year, today) if year <= today.year else []
    initial = None
    if existing is not None and open_to_attest:
        initial = {
            "comment": existing.comment,
            "period_start": existing.period_start or date(year, 1, 1),
            "period_end": existing.period_end or min(today, _year_end(year)),
            "activities": [str(pk) for pk in existing.activities.values_list("pk", flat=True)],
        }
    form = AttestationForm(request.POST or None, year=year, today=today, activities=activities, initial=initial)
    if request.method == "POST" and open_to_attest and form.is_valid():
        try:
            services.attest_requirement(
                actor=request.user,
                centre=centre,
                year=year,
                requirement_id=requirement.id,
                comment=form.cleaned_data["comment"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                activity_ids=[int(pk) for pk in form.cleaned_data["activities"]],
                today=today,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("The requirement is attested for %(year)s and awaits approval.") % {"year": year}
            )
            return redirect("concepts:wheel", slug=centre.slug, year=year)
    return render(
        request,
        "concepts/attest.html",
        {
            "centre": centre,
            "year": year,
            "version": version,
            "requirement": requirement,
            "existing": existing,
            "open_to_attest": open_to_attest,
            "form": form,
            "future": year > today.year,
        },
        status=400 if request.method == "POST" and open_to_attest else 200,
    )


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    """A service's refusal shown at the field it concerns, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
@login_required
def withdraw(request: HttpRequest, slug: str, year: int, requirement_id: str) -> HttpResponse:
    centre, year, _version, requirement = _attestable(slug, year, requirement_id, request)
    attestation = Attestation.objects.filter(centre=centre, year=year, requirement_id=requirement.id).first()
    if attestation is None:
        messages.info(request, _("There was no attestation to withdraw."))
    else:
        try:
            services.withdraw_attestation(actor=request.user, attestation=attestation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The attestation is withdrawn."))
    return redirect("concepts:wheel", slug=centre.slug, year=year)


def _review_page(request: HttpRequest, *, failed: Attestation | None = None, form: Any = None) -> HttpResponse:
    pending = list(
        scoped(Attestation, request.user, roles=CENTRAL)
        .filter(status=AttestationStatus.SUBMITTED)
        .select_related("centre")
        .prefetch_related("activities__type")
        .order_by("attested_at", "pk")
    )
    recent = list(
        scoped(Attestation, request.user, roles=CENTRAL)
        .exclude(status=AttestationStatus.SUBMITTED)
        .filter(reviewed_at__isnull=False)
        .select_related("centre")
        .order_by("-reviewed_at", "-pk")[:20]
    )
    items = []
    for attestation in pending:
        version = concept_for_year(attestation.year)
        requirement = version.requirement(attestation.requirement_id) if version else None
        bound = form if failed is not None and failed.pk == attestation.pk else ReturnForm(prefix=f"a{attestation.pk}")
        items.append((attestation, requirement, bound))
    return render(
        request,
        "concepts/review.html",
        {"items": items, "recent": recent},
        status=400 if failed is not None else 200,
    )


@role_required(CENTRAL)
def review(request: HttpRequest) -> HttpResponse:
    """Central staff's queue: every attestation awaiting approval across the city, oldest first."""
    return _review_page(request)


@require_POST
@role_required(CENTRAL)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    attestation = get_scoped_or_404(Attestation, request.user, roles=CENTRAL, pk=pk)
    try:
        services.approve_attestation(actor=request.user, attestation=attestation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Approved: %(centre)s, %(year)s.") % {"centre": attestation.centre.name, "year": attestation.year},
        )
    return redirect("concepts:review")


@require_POST
@role_required(CENTRAL)
def return_for_rework(request: HttpRequest, pk: int) -> HttpResponse:
    attestation = get_scoped_or_404(Attestation, request.user, roles=CENTRAL, pk=pk)
    form = ReturnForm(request.POST, prefix=f"a{attestation.pk}")
    if not form.is_valid():
        return _review_page(request, failed=attestation, form=form)
    try:
        services.return_attestation(actor=request.user, attestation=attestation, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Returned to the coordinator: %(centre)s, %(year)s.")
            % {"centre": attestation.centre.name, "year": attestation.year},
        )
    return redirect("concepts:review")


@role_required(CITY_READERS)
def city(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    today = timezone.localdate()
    centres = list(Centre.objects.active_on(min(today, date(year, 12, 31))).order_by("name"))
    overview = city_wheels(centres, year, today=today)
    totals = [
        (w.centre, [(s, STATUS_LABELS[s], w.counts()[s]) for s in (Status.OVERDUE, Status.DUE, Status.FULFILLED)])
        for w in overview.wheels
    ]
    return render(
        request,
        "concepts/city.html",
        {"overview": overview, "year": year, "years": _year_links(year), "totals": totals},
    )


@role_required(CENTRAL)
def revision_create(request: HttpRequest) -> HttpResponse:
    """Central staff adopt a concept text from a date: a new version, or a changed reading.

    "Check" validates the text (problems at their lines), shows it against the text in force
    on that day and last year's scorecard under it; only what was previewed can be confirmed,
    once (the form's one-time token)."""
    today = timezone.localdate()
    initial = {**idempotency.fresh(request, "concept"), "valid_from": date(today.year + 1, 1, 1)}
    if request.method != "POST":
        chosen = request.GET.get("version")
        entry = _entry_to_edit(chosen, today)
        form = ConceptTextForm(initial={**initial, "text": entry.text if entry else ""})
        return _revision_page(request, form)
    form = ConceptTextForm(request.POST, request.FILES)
    if request.POST.get("action") == "confirm" and idempotency.used(
        token=request.POST.get("submission_token", ""), user=request.user, purpose="concept"
    ):
        # A second click on "confirm": the text is in force now, and would be refused as unchanged.
        messages.info(request, _("This form was already saved; here is what it saved."))
        return redirect("concepts:revision_create")
    if not form.is_valid():
        return _revision_page(request, form, status=400)
    valid_from = form.cleaned_data["valid_from"]
    checked = editing.check_text(form.cleaned_data["text"], valid_from=valid_from)
    for problem in checked.date_problems:
        form.add_error("valid_from", problem)
    shown = f"{checked.sha256}:{valid_from.isoformat()}"
    # The form shows the text as checked (an upload's text, Unix line ends) and what was previewed.
    data = form.data.copy()  # type: ignore[attr-defined]
    data["text"], data["previewed"] = checked.text, shown if checked.ok else ""
    form.data = data
    if not checked.ok:
        return _revision_page(request, form, checked=checked, status=400)
    if request.POST.get("action") == "confirm":
        if form.cleaned_data["previewed"] == shown:
            made, replay = idempotency.create_once(
                request,
                form,
                purpose="concept",
                create=lambda: services.adopt_concept(
                    actor=request.user,
                    text=checked.text,
                    valid_from=valid_from,
                    note=form.cleaned_data["note"],
                ),
                replay_url=lambda _obj: reverse("concepts:revision_create"),
            )
            if replay is not None:
                return replay
            if made is not None:
                messages.success(
                    request,
                    _("%(id)s is adopted from %(day)s.")
                    % {"id": made.concept_id, "day": formats.date_format(made.valid_from, "DATE_FORMAT")},
                )
                return redirect("concepts:revision_create")
        else:
            messages.warning(
                request, _("The text or the date changed after the preview. Check the new preview, then confirm.")
            )
    return _revision_page(request, form, checked=checked, preview=True)


def _entry_to_edit(version_id: str | None, today: date) -> loader.Entry | None:
    """The text to start from: the chosen version's as it reads today, else the one in force."""
    entries = loader.timeline()
    if version_id:
        mine = [e for e in entries if e.version.id == version_id]
        current = [e for e in mine if e.start <= today]
        if current or mine:
            return (current or mine)[-1]
    return loader.entry_in_force(today)


def _revision_page(
    request: HttpRequest,
    form: ConceptTextForm,
    *,
    checked: editing.Checked | None = None,
    preview: bool = False,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "checked": checked,
        "revisions": list(ConceptRevision.objects.order_by("-created_at", "-pk")[:50]),
        "versions": [v.id for v in load_concepts()],
    }
    if preview and checked is not None and checked.version is not None:
        year = timezone.localdate().year - 1
        centres = list(
            scoped(
                Centre.objects.active_during(date(year, 1, 1), date(year, 12, 31)), request.user, roles=CENTRAL
            ).order_by("name")
        )
        attestations = {
            (a.centre_id, a.requirement_id): a
            for a in scoped(Attestation, request.user, roles=CENTRAL).filter(year=year)
        }
        replaced = checked.replaces
        context.update(
            preview=editing.preview(checked.version, centres=centres, year=year, attestations=attestations),
            diff=editing.diff_rows(replaced.text if replaced else "", checked.text),
            replaced=replaced,
        )
    return render(request, "concepts/revision_form.html", context, status=status)
