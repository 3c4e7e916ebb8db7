from django.urls import path  # noqa: F401

# Public (no login) pages of collaboration: room requests from associations.
app_name = "rooms_public"
urlpatterns: list = []
