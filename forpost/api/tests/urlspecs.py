from forpost.accounts.scoping import CITY_READERS
from forpost.accounts.testing import url_spec

url_spec("api:openapi-json", public=True)
url_spec("api:openapi-view", public=True)
url_spec("api:api-root", public=True, ok_statuses=(404,))
url_spec("api:list_centres", public=True)
url_spec("api:get_centre", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
url_spec("api:me")


def _inquiry(cast):
    from forpost.registrations.testing import make_inquiry

    return {"inquiry_id": make_inquiry(cast.norrebro).pk}


# The list and the create share a path (the walker GETs it: the list); so do read, replace and patch.
url_spec("api:list_inquiries")
url_spec("api:create_inquiry")
url_spec("api:get_inquiry", kwargs=_inquiry, centre_bound=True)
url_spec("api:replace_inquiry", kwargs=_inquiry, centre_bound=True)
url_spec("api:patch_inquiry", kwargs=_inquiry, centre_bound=True)

url_spec("api:city", roles=CITY_READERS, kwargs=lambda cast: {"year": 2025})
url_spec("api:centre", kwargs=lambda cast: {"year": 2025, "slug": cast.norrebro.slug}, centre_bound=True)
url_spec("api:opening_hours", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
