from forpost.core.testing import url_spec

url_spec("healthz", public=True)
url_spec("set_language", public=True, method="POST", ok_statuses=(302,))
url_spec("core:dashboard")
