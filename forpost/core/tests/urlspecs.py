from forpost.accounts.testing import url_spec

url_spec("healthz", public=True)
url_spec("set_language", public=True, method="POST", ok_statuses=(302,))
url_spec("core:dashboard")
# Prometheus's scrape target answers to its bearer token, not to a login; without METRICS_TOKEN
# set (as in the tests) it does not exist (forpost/core/tests/test_observability.py).
url_spec("metrics", public=True, ok_statuses=(404,))
