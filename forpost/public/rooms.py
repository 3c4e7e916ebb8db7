"""The room request for associations, among the public pages: in the public look, in each
public language, with each room's busy times for the next eight weeks.

Not cached like the other public pages: the form carries a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.collaboration import queries as room_queries
from forpost.collaboration import services as room_services
from forpost.collaboration.forms import RoomCheckForm, RoomRequestForm
from forpost.collaboration.models import Booking
from forpost.core import idempotency

from .languages import DEFAULT, public_reverse
from .views import _render

PURPOSE = "room_request"


def in_page_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view in the language of its address (/lokaler/, /en/lokaler/, …), uncached."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, lang: str | None = None, **kwargs: Any) -> HttpResponse:
        language = lang or DEFAULT
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapper


@in_page_language
def room_request(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RoomRequestForm(request.POST)
    else:
        form = RoomRequestForm(initial={"submission_token": idempotency.issue_anonymous(purpose=PURPOSE)})
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("room", "submission_token")}
        key = idempotency.check_anonymous(token=form.cleaned_data["submission_token"], purpose=PURPOSE)
        try:
            if key is None:
                raise ValidationError(_("The form was open too long. Check it and send it again."))
            room_services.submit_room_request(
                room=form.cleaned_data["room"],
                language=translation.get_language() or DEFAULT,
                submission_token=key,
                **data,
            )
        except idempotency.AlreadySubmitted:
            # A double click or a retry: the first submit made the request.
            return redirect(public_reverse("public:room_thanks", translation.get_language() or DEFAULT))
        except ValidationError as exc:
            if key is None:
                posted: Any = form.data.copy()  # type: ignore[attr-defined]  # the rest typed stays
                posted["submission_token"] = idempotency.issue_anonymous(purpose=PURPOSE)
                form.data = posted
            # A clash or another rule: shown on the form, which keeps everything typed.
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Thank you. Your request is sent."))
            return redirect(public_reverse("public:room_thanks", translation.get_language() or DEFAULT))
    rooms = form.fields["room"].queryset  # type: ignore[attr-defined]
    availability = room_queries.room_availability(rooms, timezone.localdate())
    return _render(request, "collaboration/public/request_form.html", {"form": form, "availability": availability})


@in_page_language
def room_check(request: HttpRequest) -> HttpResponse:
    """A clash, told as the association picks a time (htmx swaps it into the form; without
    JavaScript the same check runs on submit). Times only, never who holds the room."""
    form = RoomCheckForm(request.GET)
    clashes: list[Any] = []
    if form.is_valid():
        clashes = room_services.clashes_with(
            room=form.cleaned_data["room"],
            kind=form.cleaned_data["kind"] or "once",
            first_date=form.cleaned_data["first_date"],
            last_date=form.cleaned_data["last_date"],
            start_time=form.cleaned_data["start_time"],
            end_time=form.cleaned_data["end_time"],
        )
    message = str(room_services.RequestClash(clashes).messages[0]) if clashes else ""
    return render(
        request,
        "collaboration/public/_room_check.html",
        {"checked": form.is_valid(), "clash": message},
    )


@in_page_language
def thanks(request: HttpRequest) -> HttpResponse:
    return _render(request, "collaboration/public/thanks.html", {})


@in_page_language
def my_bookings(request: HttpRequest, token: str) -> HttpResponse:
    """An association's bookings, opened by the personal link in its approval e-mail (no
    password). Each opening and each cancellation is audited; an unknown or expired link is a 404."""
    room_request = room_queries.request_for_link(token, timezone.now())
    if room_request is None:
        raise Http404
    if request.method == "POST":
        booking = Booking.objects.filter(pk=_int(request.POST.get("booking"))).first()
        try:
            if booking is None:
                raise ValidationError(_("The booking is not one of yours."))
            room_services.cancel_booking_by_link(request=room_request, booking=booking)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The booking is cancelled. The room is free again at that time."))
        return redirect(request.path)
    audit.record(actor=None, action=AuditAction.READ, obj=room_request, changes={"via": "personal link"}, request=None)
    bookings = room_queries.bookings_of_request(room_request)
    return _render(
        request, "collaboration/public/my_bookings.html", {"room_request": room_request, "bookings": bookings}
    )


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 12 else 0
