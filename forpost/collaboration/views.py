"""Staff pages of the collaboration work: scope → form → service → redirect or render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forpost.accounts.scoping import (
    ALL_ROLES,
    CENTRAL,
    MANAGE,
    REGISTER,
    access_for,
    get_scoped_or_404,
    role_required,
    scoped,
)
from forpost.centres.models import Centre
from forpost.core import idempotency, locking
from forpost.core.forms import WeekForm
from forpost.core.locking import Conflict

from . import queries, services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    AttendanceForm,
    BookingChangeForm,
    BookingForm,
    CentreForm,
    DecisionForm,
    GroupReferralForm,
    MeetingForm,
    OfferFilterForm,
    OfferForm,
    PartnerFilterForm,
    PartnerForm,
    RoomForm,
    SeriesCancelForm,
    SeriesChangeForm,
    VolunteerGroupForm,
)
from .models import (
    Activity,
    Attendance,
    Booking,
    BookingSeries,
    CrossCityMeeting,
    GroupReferral,
    Offer,
    Partner,
    RequestKind,
    RequestStatus,
    Room,
    RoomRequest,
    VolunteerGroup,
)

PAGE_SIZE = 50


# --- Helpers -------------------------------------------------------------------------------


def _apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _pick_centre(request: HttpRequest, roles: frozenset[Any]) -> tuple[Centre | None, HttpResponse | None]:
    """The centre a new record belongs to: the user's only one, or the one chosen in ?centre=."""
    centres = access_for(request.user).centres(roles)
    if centres.count() == 1:
        return centres.first(), None
    form = CentreForm(request.GET if "centre" in request.GET else None, centres=centres)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["centre"], None
    return None, render(request, "collaboration/pick_centre.html", {"form": form})


def _can(request: HttpRequest, roles: frozenset[Any], centre_id: int) -> bool:
    ids = access_for(request.user).centre_ids(roles)
    return access_for(request.user).has_role(roles) and (ids is None or centre_id in ids)


def _municipality_ids(request: HttpRequest) -> list[int] | None:
    """The municipalities whose cross-city meetings the user sees; None means all."""
    access = access_for(request.user)
    if access.is_city_wide():
        return None
    return list(access.centres().values_list("municipality_id", flat=True).distinct())


def _valid_date(value: str | None) -> bool:
    try:
        return parse_date(value or "") is not None
    except ValueError:
        return False


# --- Overview ------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    return render(
        request,
        "collaboration/index.html",
        {
            "can_manage": access.has_role(MANAGE),
            "is_central": access.has_role(CENTRAL),
            "pending_requests": scoped(RoomRequest, request.user, roles=MANAGE)
            .filter(status=RequestStatus.PENDING)
            .count(),
        },
    )


# --- Partners ------------------------------------------------------------------------------


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    form = PartnerFilterForm(request.GET or None)
    qs = scoped(Partner, request.user).select_related("centre", "district").order_by("centre__name", "name")
    if form.is_valid():
        if form.cleaned_data["type"]:
            qs = qs.filter(type=form.cleaned_data["type"])
        if form.cleaned_data["q"]:
            qs = qs.filter(name__icontains=form.cleaned_data["q"])
    return render(
        request,
        "collaboration/partner_list.html",
        {
            "form": form,
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "can_manage": access_for(request.user).has_role(MANAGE),
        },
    )


@role_required(MANAGE)
def partner_create(request: HttpRequest) -> HttpResponse:
    centre, picker = _pick_centre(request, MANAGE)
    if centre is None:
        return picker  # type: ignore[return-value]
    form = PartnerForm(**_create_form(request, "partner"), centre=centre)
    if form.is_valid():
        partner, replay = idempotency.create_once(
            request,
            form,
            purpose="partner",
            create=lambda: services.create_partner(actor=request.user, centre=centre, **_model_data(form)),
            replay_url=lambda _obj: reverse("collaboration:partner_list"),
        )
        if replay or partner:
            if partner:
                messages.success(request, _("The partner is saved."))
            return replay or redirect("collaboration:partner_list")
    return render(request, "collaboration/form.html", _form_context(form, _("New partner"), centre))


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_scoped_or_404(Partner.objects.select_related("centre"), request.user, roles=MANAGE, pk=pk)
    form = PartnerForm(request.POST if request.method == "POST" else None, instance=partner, centre=partner.centre)
    if form.is_valid():
        try:
            services.change_partner(
                actor=request.user, partner=partner, expected_version=locking.expected(form), **_model_data(form)
            )
        except Conflict as conflict:
            current = PartnerForm(instance=conflict.current, centre=partner.centre)
            return _conflict(request, form, current, conflict, str(conflict.current))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("collaboration:partner_list")
    return render(request, "collaboration/form.html", _form_context(form, partner.name, partner.centre))


# --- The directory of offers ---------------------------------------------------------------


def _offers(request: HttpRequest) -> QuerySet[Offer]:
    """The city's offers and those of the user's own centres."""
    from django.db.models import Q

    access = access_for(request.user)
    if access.is_city_wide():
        return Offer.objects.all()
    own = scoped(Offer, request.user).values("pk")
    return Offer.objects.filter(Q(centre__isnull=True) | Q(pk__in=own))


def _can_keep_offer(request: HttpRequest, offer: Offer) -> bool:
    if offer.centre_id is None:
        return access_for(request.user).has_role(CENTRAL)
    return _can(request, MANAGE, offer.centre_id) or access_for(request.user).has_role(CENTRAL)


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    """The directory of local offers a counsellor can guide a family to."""
    form = OfferFilterForm(request.GET or None)
    qs = _offers(request).select_related("centre", "district").order_by("name")
    if form.is_valid():
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["q"]:
            qs = qs.filter(name__icontains=form.cleaned_data["q"])
    access = access_for(request.user)
    return render(
        request,
        "collaboration/offer_list.html",
        {
            "form": form,
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "can_add": access.has_role(MANAGE | CENTRAL),
            "keepable": {o.pk for o in _page(request, qs) if _can_keep_offer(request, o)},
        },
    )


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if access.has_role(CENTRAL):
        centre, centres = None, Centre.objects.order_by("name")
    elif access.has_role(MANAGE):
        centre, picker = _pick_centre(request, MANAGE)
        if centre is None:
            return picker  # type: ignore[return-value]
        centres = None
    else:
        raise Http404
    form = OfferForm(**_create_form(request, "offer"), centres=centres)
    if form.is_valid():
        data = _model_data(form)
        owner = data.pop("centre", centre)
        offer, replay = idempotency.create_once(
            request,
            form,
            purpose="offer",
            create=lambda: services.create_offer(actor=request.user, centre=owner, **data),
            replay_url=lambda _obj: reverse("collaboration:offer_list"),
        )
        if replay or offer:
            if offer:
                messages.success(request, _("The offer is saved."))
            return replay or redirect("collaboration:offer_list")
    return render(request, "collaboration/form.html", _form_context(form, _("New offer"), centre))


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offers(request).select_related("centre").filter(pk=pk).first()
    if offer is None or not _can_keep_offer(request, offer):
        raise Http404
    central = access_for(request.user).has_role(CENTRAL)
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        instance=offer,
        centres=Centre.objects.order_by("name") if central else None,
    )
    if form.is_valid():
        try:
            services.change_offer(
                actor=request.user, offer=offer, expected_version=locking.expected(form), **_model_data(form)
            )
        except Conflict as conflict:
            current = OfferForm(instance=conflict.current, centres=None)
            return _conflict(request, form, current, conflict, str(conflict.current))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect("collaboration:offer_list")
    return render(request, "collaboration/form.html", _form_context(form, offer.name, offer.centre))


def _bound(request: HttpRequest, purpose: str) -> tuple[Any, dict[str, Any]]:
    """A create form's data and initial: the post, or nothing and a fresh one-time token."""
    if request.method == "POST":
        return request.POST, {}
    return None, idempotency.fresh(request, purpose)


def _create_form(request: HttpRequest, purpose: str) -> dict[str, Any]:
    data, initial = _bound(request, purpose)
    return {"data": data, "initial": initial}


def _conflict(
    request: HttpRequest, form: forms.BaseForm, current: forms.BaseForm, conflict: Conflict, title: str
) -> HttpResponse:
    return locking.conflict_response(
        request, form=form, current_form=current, conflict=conflict, title=title, back=request.path
    )


def _detail_url(name: str, fallback: str) -> Callable[[Any], str]:
    """Where a replayed create form goes: the record the first submit made."""
    return lambda obj: reverse(name, args=[obj.pk]) if obj is not None else reverse(fallback)


def _model_data(form: forms.ModelForm[Any]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form._meta.fields or () if name in form.cleaned_data}


def _form_context(form: forms.BaseForm, title: str, centre: Centre | None = None, **extra: Any) -> dict[str, Any]:
    return {"form": form, "title": title, "centre": centre, **extra}


# --- Activities ----------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    centres = access_for(request.user).centres()
    partners = scoped(Partner, request.user).select_related("centre").order_by("name")
    form = ActivityFilterForm(request.GET or None, partners=partners, centres=centres)
    qs = (
        scoped(Activity, request.user)
        .select_related("centre", "type", "cross_city_meeting", "district")
        .prefetch_related("partners")
        .order_by("-date", "-id")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["date_from"]:
            qs = qs.filter(date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(date__lt=data["date_to"] + timedelta(days=1))
        if data["type"]:
            qs = qs.filter(type=data["type"])
        if data["partner"]:
            qs = qs.filter(partners=data["partner"])
        if data.get("centre"):
            qs = qs.filter(centre=data["centre"])
    return render(
        request,
        "collaboration/activity_list.html",
        {
            "form": form,
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "can_register": access_for(request.user).has_role(REGISTER),
            "register_ids": access_for(request.user).centre_ids(REGISTER) or frozenset(),
        },
    )


@role_required(REGISTER)
def activity_create(request: HttpRequest) -> HttpResponse:
    centre, picker = _pick_centre(request, REGISTER)
    if centre is None:
        return picker  # type: ignore[return-value]
    data, initial = _bound(request, "activity")
    form = ActivityForm(data, centre=centre, initial={"date": timezone.localdate(), **initial})
    if form.is_valid():
        activity, replay = idempotency.create_once(
            request,
            form,
            purpose="activity",
            create=lambda: services.log_activity(actor=request.user, centre=centre, **_model_data(form)),
            replay_url=lambda _obj: reverse("collaboration:activity_list"),
        )
        if replay or activity:
            if activity:
                messages.success(request, _("The activity is saved."))
            return replay or redirect("collaboration:activity_list")
    return render(request, "collaboration/form.html", _form_context(form, _("New activity"), centre))


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_scoped_or_404(Activity.objects.select_related("centre", "type"), request.user, roles=REGISTER, pk=pk)
    if activity.cross_city_meeting_id:
        messages.info(request, _("This activity comes from a cross-city meeting; change the attendance instead."))
        return redirect("collaboration:meeting_detail", pk=activity.cross_city_meeting_id)
    form = ActivityForm(request.POST if request.method == "POST" else None, instance=activity, centre=activity.centre)
    if form.is_valid():
        try:
            services.change_activity(
                actor=request.user, activity=activity, expected_version=locking.expected(form), **_model_data(form)
            )
        except Conflict as conflict:
            current = ActivityForm(instance=conflict.current, centre=activity.centre)
            return _conflict(request, form, current, conflict, str(conflict.current))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("collaboration:activity_list")
    return render(
        request,
        "collaboration/form.html",
        _form_context(
            form,
            _("Activity of %(day)s") % {"day": formats.date_format(activity.date, "SHORT_DATE_FORMAT")},
            activity.centre,
            delete_url=reverse("collaboration:activity_delete", args=[activity.pk]),
        ),
    )


@require_POST
@login_required
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_scoped_or_404(Activity, request.user, roles=REGISTER, pk=pk)
    try:
        services.delete_activity(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The activity is deleted."))
    return redirect("collaboration:activity_list")


# --- Volunteer groups ------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "active")
    qs = scoped(VolunteerGroup, request.user).select_related("centre", "association").order_by("centre__name", "name")
    if show != "all":
        qs = qs.filter(pk__in=VolunteerGroup.objects.active_on(timezone.localdate()).values("pk"))
    return render(
        request,
        "collaboration/group_list.html",
        {
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "show": show,
            "can_manage": access_for(request.user).has_role(MANAGE),
        },
    )


@role_required(MANAGE)
def group_create(request: HttpRequest) -> HttpResponse:
    centre, picker = _pick_centre(request, MANAGE)
    if centre is None:
        return picker  # type: ignore[return-value]
    form = VolunteerGroupForm(**_create_form(request, "volunteer_group"), centre=centre)
    if form.is_valid():
        group, replay = idempotency.create_once(
            request,
            form,
            purpose="volunteer_group",
            create=lambda: services.create_volunteer_group(actor=request.user, centre=centre, **_model_data(form)),
            replay_url=_detail_url("collaboration:group_detail", "collaboration:group_list"),
        )
        if replay:
            return replay
        if group is not None:
            messages.success(request, _("The volunteer group is saved."))
            return redirect("collaboration:group_detail", pk=group.pk)
    return render(request, "collaboration/form.html", _form_context(form, _("New volunteer group"), centre))


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_scoped_or_404(VolunteerGroup.objects.select_related("centre", "association"), request.user, pk=pk)
    year = timezone.localdate().year
    can_register = _can(request, REGISTER, group.centre_id)
    return render(
        request,
        "collaboration/group_detail.html",
        {
            "group": group,
            "meets": queries.meeting_text(group.meets_weekday, group.meets_from, group.meets_to, group.meets_frequency),
            "referrals": group.referrals.all()[:50],
            "tally": queries.group_referral_tally(group, year),
            "year": year,
            "can_manage": _can(request, MANAGE, group.centre_id),
            "can_register": can_register,
            "referral_form": GroupReferralForm(initial={"date": timezone.localdate()}) if can_register else None,
        },
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_scoped_or_404(VolunteerGroup.objects.select_related("centre"), request.user, roles=MANAGE, pk=pk)
    form = VolunteerGroupForm(request.POST if request.method == "POST" else None, instance=group, centre=group.centre)
    if form.is_valid():
        try:
            services.change_volunteer_group(
                actor=request.user, group=group, expected_version=locking.expected(form), **_model_data(form)
            )
        except Conflict as conflict:
            current = VolunteerGroupForm(instance=conflict.current, centre=group.centre)
            return _conflict(request, form, current, conflict, str(conflict.current))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The volunteer group is saved."))
            return redirect("collaboration:group_detail", pk=group.pk)
    return render(request, "collaboration/form.html", _form_context(form, group.name, group.centre))


@login_required
def group_referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_scoped_or_404(VolunteerGroup.objects.select_related("centre"), request.user, roles=REGISTER, pk=pk)
    data, initial = _bound(request, "group_referral")
    form = GroupReferralForm(data, initial={"date": timezone.localdate(), **initial}, centre=group.centre)
    if form.is_valid():
        referral, replay = idempotency.create_once(
            request,
            form,
            purpose="group_referral",
            create=lambda: services.record_group_referral(actor=request.user, group=group, **_model_data(form)),
            replay_url=lambda _obj: reverse("collaboration:group_detail", args=[group.pk]),
        )
        if replay or referral:
            if referral:
                messages.success(request, _("The referrals are recorded."))
            return replay or redirect("collaboration:group_detail", pk=group.pk)
    return render(
        request,
        "collaboration/form.html",
        _form_context(form, _("Referrals: %(group)s") % {"group": group.name}, group.centre),
    )


@require_POST
@login_required
def group_referral_delete(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_scoped_or_404(GroupReferral, request.user, roles=REGISTER, pk=pk)
    try:
        services.delete_group_referral(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The referral line is deleted."))
    return redirect("collaboration:group_detail", pk=referral.group_id)


# --- Cross-city meetings -----------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = queries.meetings_with_attendance(year, _municipality_ids(request))
    own = {
        a.meeting_id: a
        for a in scoped(Attendance, request.user, roles=MANAGE).filter(meeting__in=[r.meeting for r in rows])
    }
    return render(
        request,
        "collaboration/meeting_list.html",
        {
            "rows": [(r, own.get(r.meeting.pk)) for r in rows],
            "year": year,
            "is_central": access_for(request.user).has_role(CENTRAL),
        },
    )


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _meeting(request: HttpRequest, pk: int) -> CrossCityMeeting:
    qs = CrossCityMeeting.objects.select_related("municipality")
    ids = _municipality_ids(request)
    if ids is not None:
        qs = qs.filter(municipality_id__in=ids)
    try:
        return qs.get(pk=pk)
    except CrossCityMeeting.DoesNotExist as exc:
        raise Http404 from exc


@role_required(CENTRAL)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(**_create_form(request, "cross_city_meeting"))
    municipality = Centre.objects.values_list("municipality", flat=True).first()
    if form.is_valid() and municipality is not None:
        from forpost.centres.models import Municipality

        meeting, replay = idempotency.create_once(
            request,
            form,
            purpose="cross_city_meeting",
            create=lambda: services.schedule_cross_city_meeting(
                actor=request.user, municipality=Municipality.objects.get(pk=municipality), **_model_data(form)
            ),
            replay_url=_detail_url("collaboration:meeting_detail", "collaboration:meeting_list"),
        )
        if replay:
            return replay
        if meeting is not None:
            messages.success(request, _("The meeting is scheduled for all centres."))
            return redirect("collaboration:meeting_detail", pk=meeting.pk)
    return render(request, "collaboration/form.html", _form_context(form, _("Schedule a cross-city meeting")))


@role_required(CENTRAL)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting)
    if form.is_valid():
        try:
            services.change_cross_city_meeting(
                actor=request.user, meeting=meeting, expected_version=locking.expected(form), **_model_data(form)
            )
        except Conflict as conflict:
            return _conflict(request, form, MeetingForm(instance=conflict.current), conflict, str(conflict.current))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("collaboration:meeting_detail", pk=meeting.pk)
    return render(request, "collaboration/form.html", _form_context(form, str(meeting)))


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    attendances = scoped(Attendance, request.user).filter(meeting=meeting).select_related("centre")
    manage_ids = access_for(request.user).centre_ids(MANAGE) or frozenset()
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": attendances,
            "manage_ids": manage_ids if access_for(request.user).has_role(MANAGE) else frozenset(),
            "is_central": access_for(request.user).has_role(CENTRAL),
        },
    )


@login_required
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_scoped_or_404(
        Attendance.objects.select_related("meeting", "centre"), request.user, roles=MANAGE, pk=pk
    )
    form = AttendanceForm(request.POST if request.method == "POST" else None, instance=attendance)
    if form.is_valid():
        try:
            services.record_attendance(
                actor=request.user,
                attendance=attendance,
                expected_version=locking.expected(form),
                **_model_data(form),
            )
        except Conflict as conflict:
            current = AttendanceForm(instance=conflict.current)
            return _conflict(request, form, current, conflict, str(attendance.meeting))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The attendance is recorded."))
            return redirect("collaboration:meeting_detail", pk=attendance.meeting_id)
    return render(
        request,
        "collaboration/form.html",
        _form_context(form, _("Attendance: %(meeting)s") % {"meeting": attendance.meeting}, attendance.centre),
    )


# --- Rooms ----------------------------------------------------------------------------------


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    qs = scoped(Room, request.user).select_related("centre").order_by("centre__name", "name")
    return render(
        request,
        "collaboration/room_list.html",
        {
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "can_manage": access_for(request.user).has_role(MANAGE),
        },
    )


@role_required(MANAGE)
def room_create(request: HttpRequest) -> HttpResponse:
    centre, picker = _pick_centre(request, MANAGE)
    if centre is None:
        return picker  # type: ignore[return-value]
    form = RoomForm(**_create_form(request, "room"), centre=centre)
    if form.is_valid():
        room, replay = idempotency.create_once(
            request,
            form,
            purpose="room",
            create=lambda: services.create_room(actor=request.user, centre=centre, **_model_data(form)),
            replay_url=_detail_url("collaboration:room_detail", "collaboration:room_list"),
        )
        if replay:
            return replay
        if room is not None:
            messages.success(request, _("The room is saved."))
            return redirect("collaboration:room_detail", pk=room.pk)
    return render(request, "collaboration/form.html", _form_context(form, _("New room"), centre))


@login_required
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's week calendar: one column per day, bookings listed in time order."""
    room = get_scoped_or_404(Room.objects.select_related("centre"), request.user, pk=pk)
    week = WeekForm(request.GET or None)
    if week.errors:
        messages.error(request, f"{week.fields['week'].label}: {' '.join(str(e) for e in week.errors['week'])}")
    calendar = queries.week_calendar(room, week.day())
    can_manage = _can(request, MANAGE, room.centre_id)
    feed_url = request.build_absolute_uri(reverse("rooms_public:feed", args=[room.feed_token])) if can_manage else None
    return render(
        request,
        "collaboration/room_detail.html",
        {"room": room, "calendar": calendar, "can_manage": can_manage, "feed_url": feed_url},
    )


@login_required
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_scoped_or_404(Room.objects.select_related("centre"), request.user, roles=MANAGE, pk=pk)
    form = RoomForm(request.POST if request.method == "POST" else None, instance=room, centre=room.centre)
    if form.is_valid():
        try:
            services.change_room(
                actor=request.user, room=room, expected_version=locking.expected(form), **_model_data(form)
            )
        except Conflict as conflict:
            current = RoomForm(instance=conflict.current, centre=room.centre)
            return _conflict(request, form, current, conflict, str(conflict.current))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The room is saved."))
            return redirect("collaboration:room_detail", pk=room.pk)
    return render(request, "collaboration/form.html", _form_context(form, room.name, room.centre))


@require_POST
@login_required
def room_renew_feed(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_scoped_or_404(Room, request.user, roles=MANAGE, pk=pk)
    services.renew_feed_token(actor=request.user, room=room)
    messages.success(request, _("The calendar feed has a new address; the old one no longer works."))
    return redirect("collaboration:room_detail", pk=room.pk)


# --- Bookings --------------------------------------------------------------------------------


@login_required
def booking_create(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_scoped_or_404(Room.objects.select_related("centre"), request.user, roles=MANAGE, pk=pk)
    data, token = _bound(request, "booking")
    initial = {"day": (_valid_date(request.GET.get("day")) and parse_date(request.GET["day"])) or timezone.localdate()}
    form = BookingForm(data, room=room, initial={**initial, **token})
    if form.is_valid():
        made, replay = idempotency.create_once(
            request,
            form,
            purpose="booking",
            create=lambda: _book(request, room, form),
            replay_url=lambda obj: _week_url(room, _first_day(obj) or timezone.localdate()),
        )
        if replay:
            return replay
        if made is not None:
            messages.success(request, _("The room is booked."))
            return redirect(_week_url(room, _first_day(made) or form.cleaned_data["day"]))
    return render(
        request, "collaboration/form.html", _form_context(form, _("Book %(room)s") % {"room": room.name}, room.centre)
    )


def _book(request: HttpRequest, room: Room, form: BookingForm) -> Booking | BookingSeries:
    data = form.cleaned_data
    if data["kind"] == RequestKind.WEEKLY:
        return services.book_weekly(
            actor=request.user,
            room=room,
            weekday=data["day"].weekday(),
            start_time=data["start_time"],
            end_time=data["end_time"],
            starts_on=data["day"],
            ends_on=data["last_day"],
            holder=form.holder(),
            purpose=data["purpose"],
        )
    starts_at, ends_at = form.slot()
    return services.book_once(
        actor=request.user,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        holder=form.holder(),
        purpose=data["purpose"],
    )


def _first_day(made: Booking | BookingSeries | None) -> date | None:
    """The day a new booking (or a weekly booking's first occurrence) falls on."""
    if isinstance(made, BookingSeries):
        made = made.bookings.order_by("starts_at").first()
    return timezone.localtime(made.starts_at).date() if made is not None else None


def _week_url(room: Room, day: date) -> str:
    return f"{reverse('collaboration:room_detail', args=[room.pk])}?week={day.isoformat()}"


def _booking(request: HttpRequest, pk: int, roles: frozenset[Any] = ALL_ROLES) -> Booking:
    return get_scoped_or_404(
        Booking.objects.select_related("room", "room__centre", "series", "volunteer_group", "partner"),
        request.user,
        roles=roles,
        pk=pk,
    )


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    return render(
        request,
        "collaboration/booking_detail.html",
        {
            "booking": booking,
            "starts": timezone.localtime(booking.starts_at),
            "ends": timezone.localtime(booking.ends_at),
            "can_manage": _can(request, MANAGE, booking.room.centre_id),
        },
    )


@login_required
def booking_edit(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk, MANAGE)
    starts, ends = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    initial = {
        "day": starts.date(),
        "start_time": starts.time(),
        "end_time": ends.time(),
        "purpose": booking.purpose,
        "version": booking.version,
    }
    form = BookingChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        starts_at, ends_at = form.slot()
        try:
            services.change_booking(
                actor=request.user,
                booking=booking,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=form.cleaned_data["purpose"],
                expected_version=locking.expected(form),
            )
        except Conflict as conflict:
            stored = conflict.current
            begins, finishes = timezone.localtime(stored.starts_at), timezone.localtime(stored.ends_at)  # type: ignore[attr-defined]
            current = BookingChangeForm(
                initial={
                    "day": begins.date(),
                    "start_time": begins.time(),
                    "end_time": finishes.time(),
                    "purpose": stored.purpose,  # type: ignore[attr-defined]
                }
            )
            return _conflict(request, form, current, conflict, str(stored))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The booking is changed."))
            return redirect(_week_url(booking.room, form.cleaned_data["day"]))
    title = _("Change this booking") if booking.series_id is None else _("Change this occurrence only")
    return render(request, "collaboration/form.html", _form_context(form, title, booking.room.centre))


@login_required
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk, MANAGE)
    if request.method == "POST":
        services.cancel_booking(actor=request.user, booking=booking)
        messages.success(request, _("The booking is cancelled."))
        return redirect(_week_url(booking.room, timezone.localtime(booking.starts_at).date()))
    return render(
        request,
        "collaboration/confirm.html",
        {
            "title": _("Cancel this booking?") if booking.series_id is None else _("Cancel this occurrence only?"),
            "text": str(booking),
            "back": reverse("collaboration:booking_detail", args=[booking.pk]),
        },
    )


def _series(request: HttpRequest, pk: int) -> BookingSeries:
    return get_scoped_or_404(
        BookingSeries.objects.select_related("room", "room__centre"), request.user, roles=MANAGE, pk=pk
    )


@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series = _series(request, pk)
    initial = {
        "weekday": series.weekday,
        "start_time": series.start_time,
        "end_time": series.end_time,
        "ends_on": series.ends_on,
        "purpose": series.purpose,
        "from_day": max(timezone.localdate(), series.starts_on),
        "version": series.version,
    }
    form = SeriesChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.change_series(actor=request.user, series=series, expected_version=locking.expected(form), **data)
        except Conflict as conflict:
            stored: Any = conflict.current
            fields = ("weekday", "start_time", "end_time", "ends_on", "purpose")
            current = SeriesChangeForm(initial={name: getattr(stored, name) for name in fields})
            return _conflict(request, form, current, conflict, str(stored))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The weekly booking is changed."))
            return redirect(_week_url(series.room, form.cleaned_data["from_day"]))
    return render(
        request,
        "collaboration/form.html",
        _form_context(form, _("Change the weekly booking: %(s)s") % {"s": series}, series.room.centre),
    )


@login_required
def series_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    series = _series(request, pk)
    form = SeriesCancelForm(
        request.POST if request.method == "POST" else None,
        initial={"from_day": max(timezone.localdate(), series.starts_on)},
    )
    if form.is_valid():
        n = services.cancel_series(actor=request.user, series=series, **form.cleaned_data)
        messages.success(request, _("The weekly booking is cancelled (%(n)d occurrences).") % {"n": n})
        return redirect(_week_url(series.room, form.cleaned_data["from_day"]))
    return render(
        request,
        "collaboration/form.html",
        _form_context(form, _("Cancel the weekly booking: %(s)s") % {"s": series}, series.room.centre),
    )


# --- Room requests -----------------------------------------------------------------------------


@role_required(MANAGE)
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", RequestStatus.PENDING)
    qs = scoped(RoomRequest, request.user, roles=MANAGE).select_related("room", "room__centre")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "collaboration/request_list.html",
        {
            "page": _page(request, qs.order_by("-created_at")),
            "query": _query_without_page(request),
            "status": status,
            "statuses": RequestStatus.choices,
        },
    )


def _request(request: HttpRequest, pk: int) -> RoomRequest:
    return get_scoped_or_404(
        RoomRequest.objects.select_related("room", "room__centre", "booking", "series"),
        request.user,
        roles=MANAGE,
        pk=pk,
    )


def _request_page(request: HttpRequest, obj: RoomRequest, form: DecisionForm, status: int = 200) -> HttpResponse:
    """The request with what already stands in the room at the wanted times."""
    last = obj.last_date if obj.kind == RequestKind.WEEKLY and obj.last_date else obj.first_date
    slots = services.weekly_slots(obj.first_date.weekday(), obj.start_time, obj.end_time, obj.first_date, last)
    taken = (
        Booking.objects.filter(room=obj.room)
        .current()
        .overlapping_period(queries.local_midnight(obj.first_date), queries.local_midnight(last + timedelta(days=1)))
        .select_related("volunteer_group", "partner")
    )
    overlapping = [b for b in taken if any(b.starts_at < e and b.ends_at > s for s, e in slots)][:10]
    return render(
        request,
        "collaboration/request_detail.html",
        {"obj": obj, "form": form, "overlapping": overlapping},
        status=status,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _request(request, pk)
    return _request_page(request, obj, DecisionForm(request_obj=obj))


@require_POST
@login_required
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _request(request, pk)
    form = DecisionForm(request.POST, request_obj=obj)
    if form.is_valid():
        try:
            services.approve_room_request(
                actor=request.user, request=obj, room=form.cleaned_data["room"], answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            obj.refresh_from_db()
        else:
            messages.success(request, _("The request is approved and the room is booked."))
            return redirect("collaboration:request_list")
    return _request_page(request, obj, form)


@require_POST
@login_required
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _request(request, pk)
    form = DecisionForm(request.POST, request_obj=obj)
    if form.is_valid():
        try:
            services.decline_room_request(actor=request.user, request=obj, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            _apply_errors(form, exc)
            obj.refresh_from_db()
        else:
            messages.success(request, _("The request is declined."))
            return redirect("collaboration:request_list")
    return _request_page(request, obj, form)
