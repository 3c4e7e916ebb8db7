"""The citizens' pages: no login, no cookies set, no JavaScript needed, cacheable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from forpost.centres import hours
from forpost.centres.models import Centre, Municipality, SlotKind
from forpost.centres.queries import calendar_for, postcode_match

from . import queries, structured
from .forms import PostcodeForm
from .languages import DEFAULT, LOCAL_NAMES, language_links, public_reverse

# "Open now" is computed when the page is made, so the busy pages are cached briefly.
LIVE_MAX_AGE = 120
STATIC_MAX_AGE = 3600
# When the accessibility statement was last reviewed (shown on the page).
STATEMENT_REVIEWED = date(2026, 11, 23)


def public_page(max_age: int) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve a view in the language of its address, with public cache headers."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, lang: str | None = None, **kwargs: Any) -> HttpResponse:
            language = lang or DEFAULT
            # Activated, not overridden: LocaleMiddleware then labels the response with it.
            translation.activate(language)
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # A signed-in member of staff: the session is renewed on every request, so
                # the response carries their cookie and must stay out of shared caches.
                patch_cache_control(response, private=True, max_age=max_age)
            else:
                patch_cache_control(response, public=True, max_age=max_age)
            response.headers["Content-Language"] = language
            return response

        return wrapper

    return decorator


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    language = translation.get_language() or DEFAULT
    municipalities = list(Municipality.objects.all()[:2])
    return render(
        request,
        template,
        {
            **context,
            "languages": language_links(request, language),
            "current_language_name": LOCAL_NAMES.get(language, language),
            "municipality": municipalities[0] if len(municipalities) == 1 else None,
        },
    )


@public_page(LIVE_MAX_AGE)
def home(request: HttpRequest) -> HttpResponse:
    """The front page; with ?postnummer= the centres serving that postcode. A GET form, so it
    works without JavaScript and the result can be bookmarked or sent on."""
    form = PostcodeForm(request.GET if "postnummer" in request.GET else None)
    now = timezone.now()
    postcode = form.cleaned_data["postnummer"] if form.is_valid() else None
    match = postcode_match(postcode) if postcode is not None else None
    cards = queries.centre_cards(now, district_ids=match.district_ids) if match else []
    context = {
        "form": form,
        "postcode": f"{postcode:04d}" if postcode is not None else "",
        "match": match if cards else None,
        "place": f"{match.postcode:04d} {match.town}" if match else "",
        # A postcode no centre serves still gets every centre, and is told so.
        "cards": cards or queries.centre_cards(now),
    }
    return _render(request, "public/home.html", context)


def _active_centre(slug: str) -> Centre:
    centre = Centre.objects.active().select_related("district").filter(slug=slug).first()
    if centre is None:
        raise Http404
    return centre


@public_page(LIVE_MAX_AGE)
def centre(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _active_centre(slug)
    now = timezone.now()
    today = timezone.localdate(now)
    # Two weeks of hours from today; "next open" within its horizon; closures eight weeks on.
    last = today + max(timedelta(days=queries.HORIZON_DAYS), queries.CLOSURES_AHEAD)
    calendar = calendar_for(centre, today, last)
    language = translation.get_language() or DEFAULT
    url = request.build_absolute_uri(public_reverse("public:centre", language, slug=centre.slug))
    patterns = list(queries.patterns_ahead(centre, today))
    schema = structured.opening_hours_data(
        centre,
        url,
        patterns,
        calendar,
        today,
        today + queries.CLOSURES_AHEAD,
    )
    context = {
        "centre": centre,
        "districts": ", ".join(d.name for d in centre.districts_served.all()) or centre.district.name,
        "status": queries.status_of(calendar.open_or_next(now, horizon_days=queries.HORIZON_DAYS), now),
        "weeks": queries.drop_in_weeks(calendar, today, now),
        "closures": queries.closure_notices(calendar, today),
        "phone_times": queries.weekly_times(patterns, today, SlotKind.PHONE),
        "groups": _volunteer_groups(centre),
        "json_ld": structured.json_ld(schema),
    }
    return _render(request, "public/centre.html", context)


def _volunteer_groups(centre: Centre) -> list[Any]:
    """The volunteer groups that meet at the centre (kept by the collaboration app)."""
    try:
        from forpost.collaboration.queries import public_volunteer_groups
    except ImportError:
        return []
    # Each text in the reader's language where the centre gave one, else marked Danish.
    return list(public_volunteer_groups(centre))


@public_page(STATIC_MAX_AGE)
def centre_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _active_centre(slug)
    now = timezone.now()
    first = hours.monday_of(timezone.localdate(now))
    calendar = calendar_for(centre, first, first + timedelta(weeks=structured.FEED_WEEKS))
    language = translation.get_language() or DEFAULT
    page = request.build_absolute_uri(public_reverse("public:centre", language, slug=centre.slug))
    body = structured.drop_in_feed(centre, calendar, first, page, now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{centre.slug}.ics"'
    return response


@public_page(STATIC_MAX_AGE)
def accessibility(request: HttpRequest) -> HttpResponse:
    return _render(request, "public/accessibility.html", {"reviewed": STATEMENT_REVIEWED})
