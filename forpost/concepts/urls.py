from django.urls import path

from . import action_views, views

app_name = "concepts"
urlpatterns = [
    path("", views.version_list, name="list"),
    path("change/", views.revision_create, name="revision_create"),
    path("versions/<slug:version_id>/", views.version_detail, name="detail"),
    path("versions/<slug:version_id>/theory-of-change/", views.theory_of_change, name="theory"),
    path("wheel/", views.wheel_start, name="wheel_start"),
    path("wheel/<slug:slug>/<int:year>/", views.wheel, name="wheel"),
    path("wheel/<slug:slug>/<int:year>/attest/<str:requirement_id>/", views.attest, name="attest"),
    path("wheel/<slug:slug>/<int:year>/withdraw/<str:requirement_id>/", views.withdraw, name="withdraw"),
    path("city/<int:year>/", views.city, name="city"),
    path("attestations/review/", views.review, name="review"),
    path("attestations/<int:pk>/approve/", views.approve, name="approve"),
    path("attestations/<int:pk>/return/", views.return_for_rework, name="return"),
    path("actions/", action_views.action_list, name="action_list"),
    path("actions/mine/", action_views.actions_start, name="actions_start"),
    path("actions/<int:pk>/edit/", action_views.action_edit, name="action_edit"),
    path("actions/<int:pk>/done/", action_views.action_done, name="action_done"),
    path("actions/centre/<slug:slug>/", action_views.centre_actions, name="actions"),
    path(
        "actions/centre/<slug:slug>/<int:year>/new/<str:requirement_id>/",
        action_views.action_create,
        name="action_create",
    ),
]
