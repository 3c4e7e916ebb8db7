from forpost.core.testing import url_spec

url_spec("centres:list")
url_spec("centres:detail", kwargs=lambda cast: {"slug": cast.norrebro.slug}, centre_bound=True)
