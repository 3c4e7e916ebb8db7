from django.urls import path

from . import mfa_views, sso, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/refused/", views.sso_refused, name="sso_refused"),
    path("oidc/start/", sso.oidc_start, name="oidc_start"),
    path("oidc/callback/", sso.oidc_callback, name="oidc_callback"),
    path("saml/login/", sso.saml_login, name="saml_login"),
    path("saml/acs/", sso.saml_acs, name="saml_acs"),
    path("saml/metadata/", sso.saml_metadata, name="saml_metadata"),
    path("mfa/", mfa_views.second_factor, name="mfa"),
    path("mfa/app/", mfa_views.enrol_totp, name="mfa_totp"),
    path("mfa/verify/", mfa_views.verify, name="mfa_verify"),
    path("mfa/recovery-codes/", mfa_views.recovery_codes, name="mfa_recovery_codes"),
    path("invitation/<uidb64>/<token>/", views.set_password, name="set_password"),
    path("users/", views.user_list, name="users"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/second-factor/reset/", mfa_views.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:pk>/invite-again/", views.user_reinvite, name="user_reinvite"),
    path("users/<int:pk>/memberships/new/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("sso-mappings/", views.mapping_list, name="mappings"),
    path("sso-mappings/new/", views.mapping_create, name="mapping_create"),
    path("sso-mappings/<int:pk>/", views.mapping_edit, name="mapping_edit"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("audit/", views.audit_trail, name="audit"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
]
