from django.urls import path

from . import views

app_name = "centres"
urlpatterns = [
    path("", views.centre_list, name="list"),
    path("<slug:slug>/", views.centre_detail, name="detail"),
    path("<slug:slug>/hours/", views.hours_overview, name="hours"),
    path("<slug:slug>/hours/new/", views.pattern_create, name="pattern_create"),
    path("<slug:slug>/hours/<int:pk>/", views.pattern_edit, name="pattern_edit"),
    path("<slug:slug>/hours/<int:pk>/delete/", views.pattern_delete, name="pattern_delete"),
    path("<slug:slug>/closures/new/", views.closure_create, name="closure_create"),
    path("<slug:slug>/closures/<int:pk>/delete/", views.closure_delete, name="closure_delete"),
    path("<slug:slug>/holidays/", views.holiday_override, name="holiday_override"),
    path("<slug:slug>/staffing/", views.staffing, name="staffing"),
    path("<slug:slug>/staffing/new/", views.allocation_create, name="allocation_create"),
    path("<slug:slug>/staffing/<int:pk>/", views.allocation_edit, name="allocation_edit"),
    path("<slug:slug>/staffing/<int:pk>/delete/", views.allocation_delete, name="allocation_delete"),
    path("<slug:slug>/roster/", views.roster, name="roster"),
    path("<slug:slug>/roster/new/", views.roster_create, name="roster_create"),
    path("<slug:slug>/roster/<int:pk>/", views.roster_edit, name="roster_edit"),
    path("<slug:slug>/budget/", views.budget, name="budget"),
    path("<slug:slug>/budget/set/", views.budget_set, name="budget_set"),
    path("<slug:slug>/budget/<int:pk>/confirm/", views.budget_confirm, name="budget_confirm"),
]
