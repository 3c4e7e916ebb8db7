from django.urls import path

from . import closing_views, views

app_name = "centres"
urlpatterns = [
    path("", views.centre_list, name="list"),
    path("closing/", closing_views.closing_overview, name="closing"),
    path("closing/<int:year>/deadline/", closing_views.deadline_set, name="deadline_set"),
    path("closing/<int:year>/close/", closing_views.year_close, name="year_close"),
    path("closing/corrections/<int:pk>/decide/", closing_views.correction_decide, name="correction_decide"),
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
    path("<slug:slug>/corrections/", closing_views.correction_request, name="correction_request"),
    path("<slug:slug>/budget/set/", views.budget_set, name="budget_set"),
    path("<slug:slug>/budget/<int:pk>/confirm/", views.budget_confirm, name="budget_confirm"),
]
