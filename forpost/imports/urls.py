from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/template.csv", views.template, name="template"),
    path("import/<uuid:pk>/columns/", views.columns, name="columns"),
    path("import/<uuid:pk>/", views.check, name="check"),
    path("import/<uuid:pk>/run/", views.run, name="run"),
    path("export/inquiries.<str:fmt>", views.export, name="export_inquiries"),
]
