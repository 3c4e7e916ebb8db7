from forpost.accounts.scoping import CENTRAL
from forpost.core.testing import url_spec

url_spec("accounts:login", public=True, ok_statuses=(200, 302))
url_spec("accounts:logout", public=True, method="POST", ok_statuses=(302,))
url_spec("accounts:audit", roles=CENTRAL)
