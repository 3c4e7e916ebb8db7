"""HTTP for registrations: scope → form → service → redirect/render."""

from __future__ import annotations

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
from forpost.core import idempotency, locking
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
    OfferContactForm,
    OfferReferralForm,
    ReopenCourseForm,
    SessionForm,
    VoidForm,
)
from .models import ActionKind, Child, Course, Inquiry, Referral, Session

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
    except (idempotency.AlreadySubmitted, idempotency.TokenError, ValidationError) as exc:
        return None, _not_created(request, form, purpose=purpose, exc=exc)


def _create_consuming(
    request: HttpRequest, form: forms.BaseForm, *, purpose: str, create: Callable[[Callable[[Any], None]], Any]
) -> tuple[Any, HttpResponse | None]:
    """As _create, for a service that takes a `then` to run last in its own transaction:
    the token is consumed there, after the record is made, in one UPDATE (and the service's
    transaction is the only one: no savepoint). A used or unknown token rolls it all back."""
    token = form.cleaned_data.get("submission_token", "")

    def consume(obj: Any) -> None:
        idempotency.consume(token=token, user=request.user, purpose=purpose, obj=obj)

    failure: Exception
    try:
        return create(consume), None
    except (idempotency.AlreadySubmitted, idempotency.TokenError, ValidationError) as exc:
        failure = exc
    if isinstance(failure, ValidationError) and idempotency.used(token=token, user=request.user, purpose=purpose):
        # Refused by the service, but the token was used: a replay of a submit that was
        # saved (and would now fail a check, e.g. a year closed since). Show what it saved.
        try:
            with transaction.atomic():
                idempotency.claim(token=token, user=request.user, purpose=purpose)
        except (idempotency.AlreadySubmitted, idempotency.TokenError) as exc:
            failure = exc
    return None, _not_created(request, form, purpose=purpose, exc=failure)


def _not_created(request: HttpRequest, form: forms.BaseForm, *, purpose: str, exc: Exception) -> HttpResponse | None:
    """A replay's redirect to what the first submit saved, or None with the form's errors."""
    if isinstance(exc, idempotency.AlreadySubmitted):
        done = exc
        messages.info(request, _("This form was already saved; here is what it saved."))
        first: Any = done.obj
        target = first.get_absolute_url() if first is not None else reverse("core:dashboard")
        return redirect(target)
    if isinstance(exc, idempotency.TokenError):
        posted: Any = form.data
        data = posted.copy()
        form.data = data
        data["submission_token"] = idempotency.issue(user=request.user, purpose=purpose)
        form.add_error(None, _("The form was open too long or was already used. Check it and save again."))
    elif isinstance(exc, ValidationError):
        _apply_errors(form, exc)
    return None


def _fresh_token(request: HttpRequest, purpose: str) -> dict[str, str]:
    return {"submission_token": idempotency.issue(user=request.user, purpose=purpose)}


def _search_criteria(form: forms.BaseForm) -> dict[str, Any]:
    data = form.cleaned_data if form.is_valid() else {}
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v not in (None, "")}


def _refuse_voided(request: HttpRequest, obj: Any) -> HttpResponse | None:
    """A voided registration is read-only: back to its page with a message."""
    if obj.voided_at is None:
        return None
    messages.error(request, _("This registration is voided: it cannot be changed."))
    return redirect(obj)


def _course_started_later(kwargs: dict[str, Any]) -> bool:
    """Take the action 'course started' out of an inquiry's actions; True if it was chosen.

    The action is added with the course itself (services.start_course), so leaving the
    course form without starting one leaves no action without a course."""
    actions = list(kwargs.get("actions", []))
    kwargs["actions"] = [a for a in actions if a.kind != ActionKind.COURSE]
    return len(kwargs["actions"]) != len(actions)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Inquiries ----------------------------------------------------------------------------------


@role_required(REGISTER)
def inquiry_create(request: HttpRequest) -> HttpResponse:
    # The centres from the memberships the request has read already (no query).
    centres = access_for(request.user).centre_list(REGISTER)
    if request.method == "POST":
        form = InquiryForm(request.POST, centres=centres)
        if form.is_valid():
            kwargs = form.service_kwargs()
            start_course = _course_started_later(kwargs)
            inquiry, replay = _create_consuming(
                request,
                form,
                purpose="inquiry",
                create=lambda then: services.register_inquiry(
                    actor=request.user, centre=form.cleaned_data["centre"], then=then, **kwargs
                ),
            )
            if replay:
                return replay
            if inquiry is not None:
                messages.success(request, _("Inquiry registered."))
                if start_course:
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
    inquiries = queries.search_inquiries(scoped(Inquiry.all_objects.all(), request.user), criteria).select_related(
        "centre", "channel"
    )
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
        Inquiry.all_objects.select_related(
            "centre", "channel", "district", "referral_source", "registered_by", "voided_by"
        ),
        request.user,
        pk=pk,
    )
    audit.record_read(request, inquiry)
    can_edit = access_for(request.user).centre_ids(REGISTER)
    courses = Course.all_objects.filter(inquiry=inquiry)
    return render(
        request,
        "registrations/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "children": Child.all_objects.filter(inquiry=inquiry),
            "themes": inquiry.themes.all(),
            "actions": inquiry.actions.all(),
            "courses": courses,
            "referrals": Referral.all_objects.filter(inquiry=inquiry),
            "can_edit": (can_edit is None or inquiry.centre_id in can_edit) and not inquiry.is_voided,
            "offer_form": (
                OfferReferralForm(initial=_fresh_token(request, "offer_referral"), centre_id=inquiry.centre_id)
                if (can_edit is None or inquiry.centre_id in can_edit) and not inquiry.is_voided
                else None
            ),
            "offer_action": reverse("registrations:inquiry_offer_referral", args=[inquiry.pk]),
            "can_void": services.year_is_open(inquiry.date.year) and not any(not c.is_voided for c in courses),
        },
    )


@login_required
def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_scoped_or_404(Inquiry.all_objects.all(), request.user, roles=REGISTER, pk=pk)
    if refused := _refuse_voided(request, inquiry):
        return refused
    centres = access_for(request.user).centres(REGISTER)
    start_course = False
    if request.method == "POST":
        form = InquiryForm(request.POST, instance=inquiry, centres=centres)
        if form.is_valid():
            kwargs = form.service_kwargs()
            if not Course.objects.filter(inquiry=inquiry).exists():
                start_course = _course_started_later(kwargs)
            try:
                services.update_inquiry(
                    actor=request.user,
                    inquiry=Inquiry.objects.get(pk=inquiry.pk),
                    expected_version=form.cleaned_data["version"] or 0,
                    **kwargs,
                )
            except Conflict as conflict:
                current = InquiryForm(instance=conflict.current, centres=centres)
                return locking.conflict_response(
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
                if start_course:
                    return redirect("registrations:course_create", pk=inquiry.pk)
                return redirect(inquiry)
    else:
        form = InquiryForm(instance=inquiry, centres=centres)
        audit.record_read(request, inquiry)  # the edit page shows the note
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
                    method=data["method"],
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
    courses = queries.search_courses(scoped(Course.all_objects.all(), request.user), criteria).select_related(
        "centre", "counsellor"
    )
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
        Course.all_objects.select_related("centre", "inquiry", "score_norm", "counsellor", "voided_by"),
        request.user,
        pk=pk,
    )
    audit.record_read(request, course)
    sessions = list(
        Session.all_objects.filter(course=course).select_related("course__score_norm").order_by("date", "id")
    )
    registering = access_for(request.user).centre_ids(REGISTER)
    can_edit = (registering is None or course.centre_id in registering) and not course.is_voided
    referrals = Referral.all_objects.filter(course=course) | Referral.all_objects.filter(inquiry=course.inquiry)
    return render(
        request,
        "registrations/course_detail.html",
        {
            "course": course,
            "sessions": sessions,
            "outcome": queries.course_outcome(course, sessions),
            "referrals": list(referrals),
            "can_edit": can_edit and access_for(request.user).has_role(REGISTER),
            "year_open": services.year_is_open(course.started_on.year),
            "end_open": course.ended_on is not None and services.year_is_open(course.ended_on.year),
            "end_form": EndCourseForm(initial={"version": course.version}),
            "reopen_form": ReopenCourseForm(initial={"version": course.version}),
            "referral_form": CourseReferralForm(initial=_fresh_token(request, "referral")) if can_edit else None,
            "offer_form": (
                OfferReferralForm(initial=_fresh_token(request, "offer_referral"), centre_id=course.centre_id)
                if can_edit
                else None
            ),
            "offer_action": reverse("registrations:course_offer_referral", args=[course.pk]),
        },
    )


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course.all_objects.select_related("inquiry"), request.user, roles=REGISTER, pk=pk)
    if refused := _refuse_voided(request, course):
        return refused
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
                    method=data["method"],
                    goals=data["goals"],
                )
            except Conflict as conflict:
                current = CourseForm(instance=conflict.current)
                return locking.conflict_response(
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
        audit.record_read(request, course)  # the edit page shows the goals
    return render(
        request, "registrations/course_form.html", {"form": form, "course": course, "inquiry": course.inquiry}
    )


@login_required
def course_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a course, or correct the end of an ended one, in two steps: the form, then a page
    that says what will happen and asks to confirm (plain forms, no script needed)."""
    course = get_scoped_or_404(Course.all_objects.all(), request.user, roles=REGISTER, pk=pk)
    if refused := _refuse_voided(request, course):
        return refused
    initial = {"version": course.version, "ended_on": course.ended_on, "result": course.result}
    form = EndCourseForm(request.POST or None, initial=initial, course=course)
    if request.method != "POST":
        audit.record_read(request, course)  # the end page shows the goals and the scores
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") != "yes":
        return render(request, "registrations/course_end_confirm.html", {"form": form, "course": course})
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
            return locking.conflict_response(
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
def course_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course.all_objects.all(), request.user, roles=REGISTER, pk=pk)
    form = ReopenCourseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Try again."))
        return redirect(course)
    try:
        services.reopen_course(actor=request.user, course=course, expected_version=form.cleaned_data["version"])
    except Conflict:
        messages.error(request, _("Someone changed the course meanwhile. Check it and try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Course %(label)s is open again.") % {"label": course.label})
    return redirect(course)


def _void(request: HttpRequest, obj: Any, *, void: Callable[..., Any], title: str, back: str) -> HttpResponse:
    """The void page: a reason and a confirming button; the service does the rest."""
    if obj.voided_at is not None:
        messages.info(request, _("This registration is voided already."))
        return redirect(back)
    form = VoidForm(request.POST or None, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            void(actor=request.user, expected_version=form.cleaned_data["version"], reason=form.cleaned_data["reason"])
        except Conflict as conflict:
            # The reason typed stays; the form now carries the version saved meanwhile.
            data = request.POST.copy()
            data["version"] = str(conflict.current_version)
            form = VoidForm(data)
            form.is_valid()
            form.add_error(None, _("Someone changed it meanwhile. Check it and void it again."))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Voided. It no longer counts, and stays visible here as voided."))
            return redirect(back)
    return render(request, "registrations/void.html", {"form": form, "title": title, "back": back, "obj": obj})


@login_required
def inquiry_void(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_scoped_or_404(Inquiry.all_objects.all(), request.user, roles=REGISTER, pk=pk)
    return _void(
        request,
        inquiry,
        void=lambda **kw: services.void_inquiry(inquiry=inquiry, **kw),
        title=_("Void inquiry %(n)s") % {"n": inquiry.pk},
        back=inquiry.get_absolute_url(),
    )


@login_required
def course_void(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course.all_objects.select_related("inquiry"), request.user, roles=REGISTER, pk=pk)
    return _void(
        request,
        course,
        void=lambda **kw: services.void_course(course=course, **kw),
        title=_("Void course %(label)s") % {"label": course.label},
        back=course.get_absolute_url(),
    )


@login_required
def session_void(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_scoped_or_404(Session.all_objects.select_related("course"), request.user, roles=REGISTER, pk=pk)
    return _void(
        request,
        session,
        void=lambda **kw: services.void_session(session=session, **kw),
        title=_("Void the session of %(date)s") % {"date": formats.date_format(session.date, "SHORT_DATE_FORMAT")},
        back=session.course.get_absolute_url(),
    )


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
            return locking.conflict_response(
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


def _offer_referral(request: HttpRequest, *, inquiry: Inquiry | None, course: Course | None) -> HttpResponse:
    origin: Any = course or inquiry
    earliest = course.started_on if course is not None else inquiry.date if inquiry is not None else None
    form = OfferReferralForm(request.POST, centre_id=origin.centre_id, earliest=earliest)
    if form.is_valid():
        referral, replay = _create(
            request,
            form,
            purpose="offer_referral",
            create=lambda: services.refer_to_offer(
                actor=request.user,
                offer=form.cleaned_data["offer"],
                inquiry=inquiry,
                course=course,
                made_on=form.cleaned_data["made_on"],
            ),
        )
        if replay:
            return replay
        if referral is not None:
            messages.success(request, _("The family is guided to %(offer)s.") % {"offer": referral.offer})
            return redirect(origin)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(origin)


@login_required
@require_POST
def inquiry_offer_referral(request: HttpRequest, pk: int) -> HttpResponse:
    """Guide the family of an inquiry (the desk) to an offer in the directory."""
    inquiry = get_scoped_or_404(Inquiry, request.user, roles=REGISTER, pk=pk)
    return _offer_referral(request, inquiry=inquiry, course=None)


@login_required
@require_POST
def course_offer_referral(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course, request.user, roles=REGISTER, pk=pk)
    return _offer_referral(request, inquiry=None, course=course)


@login_required
@require_POST
def referral_offer_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the loop: whether the family reached the offer (made, not made, unknown)."""
    referral = get_scoped_or_404(
        Referral.objects.select_related("course", "inquiry", "offer"), request.user, roles=REGISTER, pk=pk
    )
    back = (referral.course or referral.inquiry).get_absolute_url()  # type: ignore[union-attr]
    form = OfferContactForm(request.POST)
    if form.is_valid():
        try:
            services.set_offer_contact(
                actor=request.user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                offer_contact=form.cleaned_data["offer_contact"],
            )
        except Conflict as conflict:
            return locking.conflict_response(
                request,
                form=form,
                current_form=OfferContactForm(initial={"offer_contact": conflict.current.offer_contact}),  # type: ignore[attr-defined]
                conflict=conflict,
                title=str(referral),
                back=back,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Contact with the offer saved."))
    else:
        messages.error(request, _("Choose whether contact was made."))
    return redirect(back)


# --- Sessions -----------------------------------------------------------------------------------


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(Course.all_objects.select_related("score_norm"), request.user, roles=REGISTER, pk=pk)
    if refused := _refuse_voided(request, course):
        return refused
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
        Session.all_objects.select_related("course__score_norm"), request.user, roles=REGISTER, pk=pk
    )
    course = session.course
    if refused := _refuse_voided(request, session) or _refuse_voided(request, course):
        return refused
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session)
        if form.is_valid():
            try:
                services.update_session(
                    actor=request.user,
                    session=Session.all_objects.select_related("course").get(pk=session.pk),
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.service_kwargs(),
                )
            except Conflict as conflict:
                current = SessionForm(instance=conflict.current)
                return locking.conflict_response(
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
        audit.record_read(request, session)  # the edit page shows the note and the scores
    return render(request, "registrations/session_form.html", {"form": form, "course": course, "session": session})
