from forpost.accounts.testing import url_spec

url_spec("public:home", public=True)
url_spec("public:centre", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
url_spec("public:centre_calendar", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
url_spec("public:accessibility", public=True)
url_spec("public:published", public=True)


def _published_city_file(cast):  # type: ignore[no-untyped-def]
    from forpost.reports.testing import make_publication

    return {"pk": make_publication(year=2025).files.get().pk}


url_spec("public:published_file", public=True, kwargs=_published_city_file)
