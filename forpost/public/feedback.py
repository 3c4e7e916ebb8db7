"""The feedback card (public, no login, six languages) and its poster (staff: the QR code)."""

from __future__ import annotations

import secrets
from typing import Any

import segno
from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from forpost.accounts.scoping import get_scoped_or_404
from forpost.centres.models import Centre
from forpost.core import idempotency
from forpost.feedback import services
from forpost.feedback.forms import FeedbackForm

from .languages import CODES, DEFAULT, LOCAL_NAMES, public_reverse
from .rooms import in_page_language
from .views import _render

PURPOSE = "feedback_card"
# The card's own cookie: a random key telling this browser's answers apart, for one answer a
# day. It says nothing about the person and is never stored as it is (services.py).
DEVICE_COOKIE = "fp_card"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 400


def _centre(slug: str) -> Centre:
    centre = Centre.objects.active().filter(slug=slug).first()
    if centre is None:
        raise Http404
    return centre


@in_page_language
def card(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(slug)
    language = translation.get_language() or DEFAULT
    question_set, questions = services.current_questions()
    if question_set is None:
        raise Http404
    if request.method == "POST":
        form = FeedbackForm(request.POST, questions=questions)
    else:
        form = FeedbackForm(
            questions=questions, initial={"submission_token": idempotency.issue_anonymous(purpose=PURPOSE)}
        )
    thanks = public_reverse("feedback:thanks", language, slug=centre.slug)
    if form.is_bound and form.is_robot():
        return redirect(thanks)  # the honeypot: thanked, nothing stored
    if form.is_valid():
        if idempotency.check_anonymous(token=form.cleaned_data["submission_token"], purpose=PURPOSE) is None:
            posted: Any = form.data.copy()  # type: ignore[attr-defined]  # what was ticked stays
            posted["submission_token"] = idempotency.issue_anonymous(purpose=PURPOSE)
            form.data = posted
            form.add_error(None, _("The card was open too long. Check your answers and send them again."))
        else:
            try:
                services.submit_feedback(
                    centre=centre,
                    question_set=question_set,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"] or "",
                    device=request.COOKIES.get(DEVICE_COOKIE, ""),
                    address=f"{get_client_ip_address(request) or ''} {request.headers.get('User-Agent', '')[:200]}",
                )
            except services.AlreadyAnswered:
                return redirect(thanks + "?igen=1")
            except services.Refused as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(thanks)
    response = _render(request, "feedback/card.html", {"form": form, "centre": centre, "question_set": question_set})
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@in_page_language
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _centre(slug)
    return _render(request, "feedback/thanks.html", {"centre": centre, "again": "igen" in request.GET})


@login_required
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The poster and the card for the centre's wall: a QR code to the card in Danish, and the
    address in each language. Printable."""
    centre = get_scoped_or_404(Centre, request.user, pk=pk)
    links = []
    for code in CODES:
        url = request.build_absolute_uri(public_reverse("feedback:card", code, slug=centre.slug))
        links.append({"code": code, "name": LOCAL_NAMES.get(code, code), "url": url})
    qr = segno.make(links[0]["url"], error="m").svg_data_uri(scale=8, border=2)
    return render(request, "feedback/poster.html", {"centre": centre, "links": links, "qr": qr})


@login_required
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The centre's own card answers this year and last: counts per question and the
    comments (with their day only). For the centre's staff and city-wide readers."""
    from django.db.models import Count
    from django.utils import timezone

    from forpost.feedback.models import Answer, AnswerValue, Question, Response

    centre = get_scoped_or_404(Centre, request.user, pk=pk)
    year = timezone.localdate().year
    asked = request.GET.get("year", "")
    # Any other input shows this year (never an error).
    if asked.isdigit() and 2000 <= int(asked) <= year:
        year = int(asked)
    responses = Response.objects.filter(centre=centre, answered_on__year=year)
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Answer.objects.filter(response__in=responses).values("question_id", "value").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(row["question_id"], {})[row["value"]] = row["n"]
    rows = [
        {"question": q, "counts": [counts.get(q.pk, {}).get(v, 0) for v in AnswerValue.values]}
        for q in Question.objects.filter(pk__in=counts).order_by("question_set__version", "position")
    ]
    comments = responses.exclude(comment="").order_by("-answered_on", "-id").values("answered_on", "comment")[:200]
    return render(
        request,
        "feedback/answers.html",
        {
            "centre": centre,
            "year": year,
            "total": responses.count(),
            "rows": rows,
            "values": AnswerValue.choices,
            "comments": comments,
        },
    )
