from forpost.accounts.testing import url_spec

url_spec("public:home", public=True)
url_spec("public:centre", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
url_spec("public:centre_calendar", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
url_spec("public:accessibility", public=True)
