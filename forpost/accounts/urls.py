from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("audit/", views.audit_trail, name="audit"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
]
