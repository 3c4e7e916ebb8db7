from forpost.core.testing import url_spec

url_spec("api:openapi-json", public=True)
url_spec("api:openapi-view", public=True)
url_spec("api:api-root", public=True, ok_statuses=(404,))
url_spec("api:list_centres", public=True)
url_spec("api:get_centre", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
url_spec("api:me")
