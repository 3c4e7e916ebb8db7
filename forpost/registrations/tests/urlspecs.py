from forpost.accounts.scoping import ALL_ROLES, REGISTER
from forpost.accounts.testing import url_spec
from forpost.registrations.testing import make_course, make_inquiry, make_referral, make_session


def _course(cast):
    return make_course(cast.norrebro)


url_spec("registrations:inquiry_list", roles=ALL_ROLES)
url_spec("registrations:inquiry_create", roles=REGISTER)
url_spec(
    "registrations:inquiry_detail",
    roles=ALL_ROLES,
    kwargs=lambda cast: {"pk": make_inquiry(cast.norrebro).pk},
    centre_bound=True,
)
url_spec(
    "registrations:inquiry_edit",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": make_inquiry(cast.norrebro).pk},
    centre_bound=True,
)
url_spec(
    "registrations:course_create",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": make_inquiry(cast.norrebro).pk},
    centre_bound=True,
)
url_spec("registrations:course_list", roles=ALL_ROLES)
url_spec(
    "registrations:course_detail", roles=ALL_ROLES, kwargs=lambda cast: {"pk": _course(cast).pk}, centre_bound=True
)
url_spec("registrations:course_edit", roles=REGISTER, kwargs=lambda cast: {"pk": _course(cast).pk}, centre_bound=True)
url_spec("registrations:course_end", roles=REGISTER, kwargs=lambda cast: {"pk": _course(cast).pk}, centre_bound=True)
url_spec(
    "registrations:course_referral",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": _course(cast).pk},
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
)
url_spec(
    "registrations:session_create", roles=REGISTER, kwargs=lambda cast: {"pk": _course(cast).pk}, centre_bound=True
)
url_spec(
    "registrations:session_edit",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": make_session(_course(cast)).pk},
    centre_bound=True,
)
url_spec(
    "registrations:referral_bridge",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": make_referral(_course(cast)).pk},
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
)
url_spec(
    "registrations:inquiry_void",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": make_inquiry(cast.norrebro).pk},
    centre_bound=True,
)
url_spec("registrations:course_void", roles=REGISTER, kwargs=lambda cast: {"pk": _course(cast).pk}, centre_bound=True)
url_spec(
    "registrations:course_reopen",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": _course(cast).pk},
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
)
url_spec(
    "registrations:session_void",
    roles=REGISTER,
    kwargs=lambda cast: {"pk": make_session(_course(cast)).pk},
    centre_bound=True,
)
