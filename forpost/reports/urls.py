from django.urls import path

from . import publication_views, views

app_name = "reports"
urlpatterns = [
    path("status/", views.city, name="city"),
    path("status/export/", views.city_export, name="city_export"),
    path("foreword/", views.foreword, name="foreword"),
    path("status/<slug:slug>/", views.centre, name="centre"),
    path("status/<slug:slug>/export/", views.centre_export, name="centre_export"),
    path("status/<slug:slug>/text/", views.status_text, name="status_text"),
    path("publications/", publication_views.publications, name="publications"),
    path("publications/publish/", publication_views.publish, name="publish"),
    path("publications/<int:pk>/", publication_views.publication, name="publication"),
    path("publications/files/<int:pk>/", publication_views.published_file, name="published_file"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
