"""Closing a year (central staff) and asking for a correction of a closed year (coordinators)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forpost.accounts.scoping import CENTRAL, MANAGE, get_scoped_or_404, role_required, scoped
from forpost.core import idempotency
from forpost.core.anonymity import AnonymousTextField
from forpost.core.forms import DateField, Form
from forpost.core.idempotency import SubmissionTokenField

from . import closing
from .models import Centre, ClosedYear, Correction, CorrectionStatus


class DeadlineForm(Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    deadline = DateField(label=gettext_lazy("Deadline"))


class CorrectionForm(Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    reason = AnonymousTextField(
        label=gettext_lazy("What must be corrected, and why"),
        required=True,
        help_text=gettext_lazy("No names, CPR numbers, addresses or phone numbers of citizens."),
    )
    submission_token = SubmissionTokenField()

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        years = ClosedYear.objects.filter(closed_at__isnull=False).values_list("year", flat=True)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]


def _years() -> list[int]:
    this = timezone.localdate().year
    return [this - 1, this - 2, this]


@role_required(CENTRAL)
def closing_overview(request: HttpRequest) -> HttpResponse:
    stored = {c.year: c for c in ClosedYear.objects.all()}
    rows = []
    for year in _years():
        found = stored.get(year)
        deadline = found.deadline if found else closing.default_deadline(year)
        rows.append((year, found, DeadlineForm(initial={"year": year, "deadline": deadline}, prefix=f"y{year}")))
    corrections = list(
        scoped(Correction, request.user, roles=CENTRAL)
        .select_related("centre")
        .order_by("status", "-requested_at")[:50]
    )
    return render(
        request,
        "centres/closing.html",
        {"rows": rows, "corrections": corrections, "today": timezone.localdate()},
    )


@require_POST
@role_required(CENTRAL)
def deadline_set(request: HttpRequest, year: int) -> HttpResponse:
    form = DeadlineForm(request.POST, prefix=f"y{year}")
    if form.is_valid():
        closing.set_deadline(actor=request.user, year=year, deadline=form.cleaned_data["deadline"])
        messages.success(request, _("The deadline for %(year)s is set.") % {"year": year})
    else:
        messages.error(request, _("The deadline is not a valid date."))
    return redirect("centres:closing")


@require_POST
@role_required(CENTRAL)
def year_close(request: HttpRequest, year: int) -> HttpResponse:
    try:
        closing.close_year(actor=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(year)s is closed.") % {"year": year})
    return redirect("centres:closing")


@require_POST
@role_required(CENTRAL)
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_scoped_or_404(Correction, request.user, roles=CENTRAL, pk=pk)
    try:
        closing.decide_correction(actor=request.user, correction=correction, approve=request.POST.get("approve") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The correction is decided."))
    return redirect("centres:closing")


@login_required
def correction_request(request: HttpRequest, slug: str) -> HttpResponse:
    centre = get_scoped_or_404(Centre, request.user, roles=MANAGE, slug=slug)
    form = CorrectionForm(request.POST or None, initial=idempotency.fresh(request, "correction"))
    if request.method == "POST" and form.is_valid():
        made, replay = idempotency.create_once(
            request,
            form,
            purpose="correction",
            create=lambda: closing.request_correction(
                actor=request.user, centre=centre, year=form.cleaned_data["year"], reason=form.cleaned_data["reason"]
            ),
            replay_url=lambda _obj: reverse("centres:correction_request", args=[centre.slug]),
        )
        if replay is not None:
            return replay
        if made is not None:
            messages.success(request, _("The correction is asked for; central staff decide on it."))
            return redirect("centres:correction_request", slug=centre.slug)
    mine = Correction.objects.filter(centre=centre).order_by("-requested_at")[:20]
    return render(
        request,
        "centres/correction_request.html",
        {"centre": centre, "form": form, "corrections": mine, "approved": CorrectionStatus.APPROVED},
        status=400 if request.method == "POST" else 200,
    )
