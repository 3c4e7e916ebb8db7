"""The citizens' pages. Each page exists once per language: Danish at the root, the others
under their prefix. Both routes share a name; reverse() picks by whether `lang` is given."""

from django.urls import URLPattern, path, register_converter

from . import published, rooms, views
from .languages import LanguageConverter

register_converter(LanguageConverter, "publiclang")

app_name = "public"


def localised(route: str, view, name: str) -> list[URLPattern]:  # type: ignore[no-untyped-def]
    return [path(route, view, name=name), path(f"<publiclang:lang>/{route}", view, name=name)]


urlpatterns = [
    *localised("", views.home, "home"),
    *localised("familieraadgivning/<slug:slug>/", views.centre, "centre"),
    *localised("familieraadgivning/<slug:slug>/aabningstider.ics", views.centre_calendar, "centre_calendar"),
    *localised("tilgaengelighed/", views.accessibility, "accessibility"),
    # The annual statuses central staff published (issue 13), with their files.
    *localised("aarsstatus/", published.published, "published"),
    *localised("aarsstatus/fil/<int:pk>/", published.published_file, "published_file"),
    # Associations ask for a room (issue 17): the form and its thank-you page.
    *localised("lokaler/", rooms.room_request, "rooms"),
    *localised("lokaler/tak/", rooms.thanks, "room_thanks"),
    *localised("lokaler/ledig/", rooms.room_check, "room_check"),
    *localised("lokaler/mine/<str:token>/", rooms.my_bookings, "room_bookings"),
]
