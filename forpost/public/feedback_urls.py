"""The feedback card among the public pages: Danish at the root, the others under a prefix
(the converter "publiclang" is registered by forpost.public.urls, included before this)."""

from django.urls import URLPattern, path

from . import feedback as views

app_name = "feedback"


def localised(route: str, view, name: str) -> list[URLPattern]:  # type: ignore[no-untyped-def]
    return [path(route, view, name=name), path(f"<publiclang:lang>/{route}", view, name=name)]


urlpatterns = [
    *localised("tilbagemelding/<slug:slug>/", views.card, "card"),
    *localised("tilbagemelding/<slug:slug>/tak/", views.thanks, "thanks"),
]
