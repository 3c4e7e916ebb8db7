"""HTTP for registrations: scope → form → service → redirect/render."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forpost.accounts import audit
from forpost.accounts.scoping import REGISTER, access_for, get_scoped_or_404, role_required, scoped
from forpost.core import idempotency
from forpost.core.locking import Conflict

from . import queries, services
from .forms import (
    BridgeForm,
    CourseFilterForm,
    CourseForm,
    CourseReferralForm,
    EndCourseForm,
    InquiryFilterForm,
    InquiryForm,
    SessionForm,
)
from .models import ActionKind, Course, Inquiry, Referral, Session

PAGE_SIZE = 50


# --- Helpers ---------------------------------------------------------------------------------


def _apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _create(
    request: HttpRequest, form: forms.BaseForm, *, purpose: str, create: Callable[[], Any]
) -> tuple[Any, HttpResponse | None]:
    """Run `create` once per submission token. Returns (object, None) when it ran, or
    (None, response) for a replay, or (None, None) when the form needs showing again."""
    token = form.cleaned_data.get("submission_token", "")
    try:
        with transaction.atomic():
            claim = idempotency.claim(token=token, user=request.user, purpose=purpose)
            obj = create()
            claim.complete(obj)
            return obj, None
    except idempotency.AlreadySubmitted as done:
        messages.info(request, _("This form was already saved; here is what it saved."))
        first: Any = done.obj
        target = first.get_absolute_url() if first is not None else reverse("core:dashboard")
        return None, redirect(target)
    except idempotency.TokenError:
        posted: Any = form.data
        data = posted.copy()
        form.data = data
        data["submission_token"] = idempotency.issue(user=request.user, purpose=purpose)
        form.add_error(None, _("The form was open too long or was already used. Check it and save again."))
    except ValidationError as exc:
        _apply_errors(form, exc)
    return None, None


def _fresh_token(request: HttpRequest, purpose: str) -> dict[str, str]:
    return {"submission_token": idempotency.issue(user=request.user, purpose=purpose)}


def _display(field: forms.Field, value: Any) -> str:
    values = value if isinstance(value, list | tuple) else [value]
    labels: dict[str, str] = {}
    if hasattr(field, "choices"):
        for key, label in field.choices:
            if isinstance(label, list | tuple):
                labels.update({str(k): str(v) for k, v in label})
            else:
                labels[str(key)] = str(label)
    shown = []
    for v in values:
        if v in (None, ""):
            continue
        key = str(getattr(v, "pk", v))
        if key in labels:
            shown.append(labels[key])
            continue
        with contextlib.suppress(ValidationError, TypeError):
            v = field.to_python(v)
        shown.append(str(formats.localize(v)))
    return ", ".join(shown) or "—"


def _conflict(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    current_form: forms.BaseForm,
    conflict: Conflict,
    title: str,
    back: str,
) -> HttpResponse:
    """Both versions side by side; the user's form comes back ready to save over the other."""
    rows = []
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput) or name not in current_form.fields:
            continue
        mine = _display(field, form[name].value())
        theirs = _display(current_form.fields[name], current_form[name].value())
        rows.append({"label": field.label, "mine": mine, "theirs": theirs, "differs": mine != theirs})
    post_items = [(k, request.POST.getlist(k)) for k in request.POST if k not in ("csrfmiddlewaretoken", "version")]
    return render(
        request,
        "registrations/conflict.html",
        {"rows": rows, "post_items": post_items, "conflict": conflict, "title": title, "back": back},
        status=409,
    )


def _search_criteria(form: forms.BaseForm) -> dict[str, Any]:
    data = form.cleaned_data if form.is_valid() else {}
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v not in (None, "")}


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Inquiries ----------------------------------------------------------------------------------


@role_required(REGISTER)
def inquiry_create(request: HttpRequest) -> HttpResponse:
    centres = access_for(request.user).centres(REGISTER)
    if request.method == "POST":
        form = InquiryForm(request.POST, centres=centres)
        if form.is_valid():
            inquiry, replay = _create(
                request,
                form,
                purpose="inquiry",
                create=lambda: services.register_inquiry(
                    actor=request.user, centre=form.cleaned_data["centre"], **form.service_kwargs()
                ),
            )
            if replay:
                return replay
            if inquiry is not None:
                messages.success(request, _("Inquiry registered."))
                if any(a.kind == ActionKind.COURSE for a in form.cleaned_data["actions"]):
                    return redirect("registrations:course_create", pk=inquiry.pk)
                return redirect(inquiry)
    else:
        form = InquiryForm(centres=centres, initial=_fresh_token(request, "inquiry"))
    return render(request, "registrations/inquiry_form.html", {"form": form, "creating": True})


@login_required
def inquiry_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    form = InquiryFilterForm(request.GET or None, centres=access.centres())
    criteria = form.cleaned_data if form.is_valid() else {}
    inquiries = queries.search_inquiries(scoped(Inquiry, request.user), criteria).select_related("centre", "channel")
    page = Paginator(inquiries.order_by("-date", "-time", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_search(
        request, object_type="registrations.inquiry", criteria=_search_criteria(form), count=page.paginator.count
    )
    return render(
        request,
        "registrations/inquiry_list.html",
        {"form": form, "page": page, "query": _query_without_page(request), "can_register": access.has_role(REGISTER)},
    )


@login_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_scoped_or_404(
        Inquiry.objects.select_related("centre", "channel", "district", "referral_source", "registered_by"),
        request.user,
        pk=pk,
    )
    audit.record_read(request, inquiry)
    can_edit = access_for(request.user).centre_ids(REGISTER)
    return render(
        request,
        "registrations/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "children": inquiry.children.all(),
            "themes": inquiry.themes.all(),
            "actions": inquiry.actions.all(),
            "courses": inquiry.courses.all(),
            "referrals": inquiry.referrals.all(),
            "can_edit": can_edit is None or inquiry.centre_id in can_edit,
        },
    )


@login_required
def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_scoped_or_404(Inquiry, request.user, roles=REGISTER, pk=pk)
    centres = access_for(request.user).centres(REGISTER)
    if request.method == "POST":
        form = InquiryForm(request.POST, instance=inquiry, centres=centres)
        if form.is_valid():
            try:
                services.update_inquiry(
                    actor=request.user,
                    inquiry=Inquiry.objects.get(pk=inquiry.pk),
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.service_kwargs(),
                )
            except Conflict as conflict:
                current = InquiryForm(instance=conflict.current, centres=centres)
                return _conflict(
                    request,
                    form=form,
                    current_form=current,
                    conflict=conflict,
                    title=str(inquiry),
                    back=inquiry.get_absolute_url(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Inquiry saved."))
                return redirect(inquiry)
    else:
        form = InquiryForm(instance=inquiry, centres=centres)
    return render(request, "registrations/inquiry_form.html", {"form": form, "inquiry": inquiry, "creating": False})


# --- Courses ------------------------------------------------------------------------------------


@login_required
def course_create(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_scoped_or_404(Inquiry.objects.select_related("centre"), request.user, roles=REGISTER, pk=pk)
    if request.method == "POST":
        form = CourseForm(request.POST, inquiry=inquiry)
        if form.is_valid():
            data = form.cleaned_data
            course, replay = _create(
                request,
                form,
                purpose="course",
                create=lambda: services.start_course(
                    actor=request.user,
                    inquiry=inquiry,
                    score_norm=data["score_norm"],
                    started_on=data["started_on"],
                    goals=data["goals"],
                ),
            )
            if replay:
                return replay
            if course is not None:
                messages.success(request, _("Course %(label)s started.") % {"label": course.label})
                return redirect(course)
    else:
        form = CourseForm(initial=_fresh_token(request, "course"), inquiry=inquiry)
    return render(request, "registrations/course_form.html", {"form": form, "inquiry": inquiry, "creating": True})


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    form = CourseFilterForm(request.GET or None, centres=access.centres())
    criteria = form.cleaned_data if form.is_valid() else {}
    courses = queries.search_courses(scoped(Course, request.user), criteria).select_related("centre", "counsellor")
    page = Paginator(courses.order_by("-started_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_search(
        request, object_type="registrations.course", criteria=_search_criteria(form), count=page.paginator.count
    )
    return render(
        request, "registrations/course_list.html", {"form": form, "page": page, "query": _query_without_page(request)}
    )


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(
        Course.objects.select_related("centre", "inquiry", "score_norm", "counsellor"), request.user, pk=pk
    )
    audit.record_read(request, course)
    sessions = list(course.sessions.select_related("course__score_norm").order_by("date", "id"))
    registering = access_for(request.user).centre_ids(REGISTER)
    can_edit = registering is None or course.centre_id in registering
    return render(
        request,
        "registrations/course_detail.html",
        {
            "course": course,
            "sessions": sessions,
            "outcome": queries.course_outcome(course, sessions),
            "referrals": list(Referral.objects.filter(course=course) | Referral.objects.filter(inquiry=course.inquiry)),
            "can_edit": can_edit and access_for(request.user).has_role(REGISTER),
            "end_form": EndCourseForm(initial={"version": course.version}),
            "referral_form": CourseReferralForm(initial=_fresh_token(request, "referral")) if can_edit else None,
        },
    )


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course.objects.select_related("inquiry"), request.user, roles=REGISTER, pk=pk)
    if request.method == "POST":
        form = CourseForm(request.POST, instance=course)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_course(
                    actor=request.user,
                    course=Course.objects.get(pk=course.pk),
                    expected_version=data["version"] or 0,
                    started_on=data["started_on"],
                    score_norm=data["score_norm"],
                    goals=data["goals"],
                )
            except Conflict as conflict:
                current = CourseForm(instance=conflict.current)
                return _conflict(
                    request,
                    form=form,
                    current_form=current,
                    conflict=conflict,
                    title=course.label,
                    back=course.get_absolute_url(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Course saved."))
                return redirect(course)
    else:
        form = CourseForm(instance=course)
    return render(
        request, "registrations/course_form.html", {"form": form, "course": course, "inquiry": course.inquiry}
    )


@login_required
def course_end(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course, request.user, roles=REGISTER, pk=pk)
    form = EndCourseForm(request.POST or None, initial={"version": course.version}, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_course(
                actor=request.user,
                course=course,
                expected_version=form.cleaned_data["version"],
                ended_on=form.cleaned_data["ended_on"],
                result=form.cleaned_data["result"],
            )
        except Conflict as conflict:
            return _conflict(
                request,
                form=form,
                current_form=EndCourseForm(
                    initial={"ended_on": conflict.current.ended_on, "result": conflict.current.result}  # type: ignore[attr-defined]
                ),
                conflict=conflict,
                title=course.label,
                back=course.get_absolute_url(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Course %(label)s ended.") % {"label": course.label})
            return redirect(course)
    return render(request, "registrations/course_end.html", {"form": form, "course": course})


@login_required
@require_POST
def course_referral(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course, request.user, roles=REGISTER, pk=pk)
    form = CourseReferralForm(request.POST, course=course)
    if form.is_valid():
        referral, replay = _create(
            request,
            form,
            purpose="referral",
            create=lambda: services.refer_from_course(
                actor=request.user,
                course=course,
                destination=form.cleaned_data["destination"],
                made_on=form.cleaned_data["made_on"],
            ),
        )
        if replay:
            return replay
        if referral is not None:
            messages.success(request, _("Referral registered."))
            return redirect(course)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(course)


@login_required
@require_POST
def referral_bridge(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_scoped_or_404(
        Referral.objects.select_related("course", "inquiry"), request.user, roles=REGISTER, pk=pk
    )
    back = (referral.course or referral.inquiry).get_absolute_url()  # type: ignore[union-attr]
    form = BridgeForm(request.POST)
    if form.is_valid():
        try:
            services.set_bridge_status(
                actor=request.user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                bridge_status=form.cleaned_data["bridge_status"],
            )
        except Conflict as conflict:
            return _conflict(
                request,
                form=form,
                current_form=BridgeForm(initial={"bridge_status": conflict.current.bridge_status}),  # type: ignore[attr-defined]
                conflict=conflict,
                title=str(referral),
                back=back,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status of the bridge saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(back)


# --- Sessions -----------------------------------------------------------------------------------


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course.objects.select_related("score_norm"), request.user, roles=REGISTER, pk=pk)
    if request.method == "POST":
        form = SessionForm(request.POST, course=course)
        if form.is_valid():
            session, replay = _create(
                request,
                form,
                purpose="session",
                create=lambda: services.add_session(actor=request.user, course=course, **form.service_kwargs()),
            )
            if replay:
                return replay
            if session is not None:
                if session.srs_flagged:
                    messages.warning(
                        request,
                        _("The SRS total is below %(cutoff)s: talk about how the session went.")
                        % {"cutoff": course.score_norm.srs_cutoff},
                    )
                messages.success(request, _("Session registered."))
                return redirect(course)
    else:
        form = SessionForm(initial=_fresh_token(request, "session"), course=course)
    return render(request, "registrations/session_form.html", {"form": form, "course": course, "creating": True})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_scoped_or_404(
        Session.objects.select_related("course__score_norm"), request.user, roles=REGISTER, pk=pk
    )
    course = session.course
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session)
        if form.is_valid():
            try:
                services.update_session(
                    actor=request.user,
                    session=Session.objects.select_related("course").get(pk=session.pk),
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.service_kwargs(),
                )
            except Conflict as conflict:
                current = SessionForm(instance=conflict.current)
                return _conflict(
                    request,
                    form=form,
                    current_form=current,
                    conflict=conflict,
                    title=str(session),
                    back=course.get_absolute_url(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Session saved."))
                return redirect(course)
    else:
        form = SessionForm(instance=session)
    return render(request, "registrations/session_form.html", {"form": form, "course": course, "session": session})
