from django.urls import path

from . import public_views

# The room's calendar feed (no login, a secret key). The request form for associations is a
# public page in six languages: forpost.public.rooms.
app_name = "rooms_public"
urlpatterns = [
    path("kalender/<str:token>.ics", public_views.room_feed, name="feed"),
]
