from django.urls import path

from . import public_views

# Public (no login) pages of collaboration: room requests from associations.
app_name = "rooms_public"
urlpatterns = [
    path("", public_views.room_request, name="request"),
    path("tak/", public_views.thanks, name="thanks"),
    path("kalender/<str:token>.ics", public_views.room_feed, name="feed"),
]
