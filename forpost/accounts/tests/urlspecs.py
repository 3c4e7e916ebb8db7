from forpost.accounts.scoping import ADMINISTER, CENTRAL
from forpost.accounts.testing import url_spec

url_spec("accounts:login", public=True, ok_statuses=(200, 302))
url_spec("accounts:logout", public=True, method="POST", ok_statuses=(302,))
url_spec("accounts:audit", roles=CENTRAL)
# "Stay logged in": a post without data comes back to the dashboard.
url_spec("accounts:keepalive", method="POST", ok_statuses=(302,))
url_spec("accounts:api_tokens")


def _token_of_alice(cast):  # type: ignore[no-untyped-def]
    from forpost.accounts.services import create_api_token

    token, _raw = create_api_token(actor=cast.alice, name="walker")
    return {"pk": token.pk}


# A token belongs to a person, not a centre: everyone but its owner gets 404.
url_spec("accounts:revoke_api_token", kwargs=_token_of_alice, method="POST", ok_statuses=(302,), owner="alice")

# Single sign-on: off in the tests' settings, so its addresses answer 404 to everyone; the
# refusal page is public (the person refused is not logged in).
url_spec("accounts:sso_refused", public=True, ok_statuses=(403,))
url_spec("accounts:oidc_start", public=True, ok_statuses=(404,))
url_spec("accounts:oidc_callback", public=True, ok_statuses=(404,))
url_spec("accounts:saml_login", public=True, ok_statuses=(404,))
url_spec("accounts:saml_acs", public=True, ok_statuses=(404,))
url_spec("accounts:saml_metadata", public=True, ok_statuses=(404,))
# The invitation link of a user that does not exist: a public page saying the link is dead.
url_spec("accounts:set_password", public=True, kwargs=lambda cast: {"uidb64": "MA", "token": "x-y"}, ok_statuses=(404,))


def _user_alice(cast):  # type: ignore[no-untyped-def]
    return {"pk": cast.alice.pk}


def _membership_of_alice(cast):  # type: ignore[no-untyped-def]
    return {"pk": cast.alice.memberships.get().pk}


def _a_mapping(cast):  # type: ignore[no-untyped-def]
    from forpost.accounts.models import IdpMapping

    mapping = IdpMapping.objects.create(value="fp-norrebro", role="counsellor", centre=cast.norrebro)
    return {"pk": mapping.pk}


url_spec("accounts:users", roles=ADMINISTER)
url_spec("accounts:user_invite", roles=ADMINISTER)
url_spec("accounts:user_detail", roles=ADMINISTER, kwargs=_user_alice)
url_spec("accounts:user_set_active", roles=ADMINISTER, kwargs=_user_alice, method="POST", ok_statuses=(302,))
url_spec("accounts:user_reinvite", roles=ADMINISTER, kwargs=_user_alice, method="POST", ok_statuses=(302,))
url_spec("accounts:membership_create", roles=ADMINISTER, kwargs=_user_alice)
url_spec("accounts:membership_edit", roles=ADMINISTER, kwargs=_membership_of_alice)
url_spec("accounts:mappings", roles=ADMINISTER)
url_spec("accounts:mapping_create", roles=ADMINISTER)
url_spec("accounts:mapping_edit", roles=ADMINISTER, kwargs=_a_mapping)

# The second factor: each user's own pages (not required of anyone in the tests' settings).
url_spec("accounts:mfa")
url_spec("accounts:mfa_totp")
# Nobody in the cast has a factor, so there is nothing to verify: on to the dashboard.
url_spec("accounts:mfa_verify", ok_statuses=(302,))
# Without the form's one-time token: back to the page with a message.
url_spec("accounts:mfa_recovery_codes", method="POST", ok_statuses=(302,))
url_spec("accounts:user_reset_mfa", roles=ADMINISTER, kwargs=_user_alice, method="POST", ok_statuses=(302,))
# django-otp-webauthn's endpoints (JSON), for the signed-in user only. Posted without data:
# the ceremonies begin, and their completions find no ceremony begun.
url_spec("otp_webauthn:credential-registration-begin", method="POST")
url_spec("otp_webauthn:credential-registration-complete", method="POST", ok_statuses=(400,))
url_spec("otp_webauthn:credential-authentication-begin", method="POST")
url_spec("otp_webauthn:credential-authentication-complete", method="POST", ok_statuses=(400,))
url_spec("otp_webauthn:js-i18n-catalog", public=True)  # the passkey script's translations
