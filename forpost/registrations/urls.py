from django.urls import path

from . import views

app_name = "registrations"
urlpatterns = [
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/edit/", views.inquiry_edit, name="inquiry_edit"),
    path("inquiries/<int:pk>/course/", views.course_create, name="course_create"),
    path("inquiries/<int:pk>/void/", views.inquiry_void, name="inquiry_void"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/end/", views.course_end, name="course_end"),
    path("courses/<int:pk>/reopen/", views.course_reopen, name="course_reopen"),
    path("courses/<int:pk>/void/", views.course_void, name="course_void"),
    path("courses/<int:pk>/referral/", views.course_referral, name="course_referral"),
    path("courses/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/void/", views.session_void, name="session_void"),
    path("referrals/<int:pk>/bridge/", views.referral_bridge, name="referral_bridge"),
    path("inquiries/<int:pk>/offer/", views.inquiry_offer_referral, name="inquiry_offer_referral"),
    path("courses/<int:pk>/offer/", views.course_offer_referral, name="course_offer_referral"),
    path("referrals/<int:pk>/offer-contact/", views.referral_offer_contact, name="referral_offer_contact"),
]
