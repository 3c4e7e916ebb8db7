from django.urls import path

from . import feedback as views

app_name = "feedback_staff"
urlpatterns = [
    path("poster/<int:pk>/", views.poster, name="poster"),
    path("answers/<int:pk>/", views.answers, name="answers"),
]
