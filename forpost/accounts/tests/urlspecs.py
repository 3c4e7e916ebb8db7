from forpost.accounts.scoping import CENTRAL
from forpost.core.testing import url_spec

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
