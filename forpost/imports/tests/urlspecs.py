from forpost.accounts.scoping import ALL_ROLES, REGISTER
from forpost.accounts.testing import url_spec


def _file(cast):
    from forpost.imports.testing import make_import_file
    from forpost.registrations.testing import ensure_reference_data

    ensure_reference_data()
    return {"pk": make_import_file(cast.norrebro).pk}


url_spec("imports:upload", roles=REGISTER)
url_spec("imports:template", roles=REGISTER)
url_spec("imports:columns", roles=REGISTER, kwargs=_file, centre_bound=True)
url_spec("imports:check", roles=REGISTER, kwargs=_file, centre_bound=True)
# POST only; an empty POST imports the two rows and goes back to the check page.
url_spec("imports:run", roles=REGISTER, kwargs=_file, centre_bound=True, method="POST", ok_statuses=(302,))
url_spec("imports:export_inquiries", roles=ALL_ROLES, kwargs=lambda cast: {"fmt": "csv"})
