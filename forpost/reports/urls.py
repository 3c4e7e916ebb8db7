from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
