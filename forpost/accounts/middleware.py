"""A form posted after the session timed out is kept, and given back after logging in again.

After SESSION_IDLE_MINUTES without a request the session ends. A counsellor back from a home
visit who presses "Registrér" would otherwise land on the login page with everything typed
lost. Instead:

1. The post is answered by the usual redirect to the login page, but first its fields are
   kept (services.stash_form) for the user whose session just timed out. That user is read
   from the timed-out session the browser still names in its cookie: the post itself says
   nothing trustworthy about who sent it. The login page's `next` leads back to the form with
   `?restore=<key>`, the key signed and unguessable.
2. After logging in, the form's page is opened with that key. Only the user the stash is
   bound to gets it (someone else logging in at the same browser gets nothing, and the stash
   stays for its author until it expires); it is deleted as it is given back. The page
   carries the fields as JSON data, and forpost/session.js fills them into the form.

Stashes live at most an hour (purged when one is taken, and by `manage.py retention`).
Their content is never logged or audited.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import services
from .models import User

RESTORE_PARAM = "restore"
_SALT = "forpost.accounts.form-stash"
# Never kept: Django's CSRF token belongs to the old page.
_SKIPPED = {"csrfmiddlewaretoken"}


def _not_kept() -> set[str]:
    # Staying logged in or logging out after the timeout has nothing to give back.
    return {reverse("accounts:keepalive"), reverse("accounts:logout")}


def _timed_out_user(request: HttpRequest) -> User | None:
    """The user whose session the browser's cookie names, if that session has ended.

    The session row outlives its expiry until `clearsessions`; its auth hash must still
    match, so a changed password voids it as it voids the session.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    store: Any = import_module(settings.SESSION_ENGINE).SessionStore
    row = store.get_model_class().objects.filter(session_key=key).first()
    if row is None:
        return None
    data = store().decode(row.session_data)
    user = User.objects.filter(pk=data.get("_auth_user_id"), is_active=True).first()
    if user is None or not constant_time_compare(data.get("_auth_user_hash", ""), user.get_session_auth_hash()):
        return None
    return user


def _goes_to_login(response: HttpResponse) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return isinstance(response, HttpResponseRedirect) and urlsplit(response["Location"]).path == login


def _form_page(request: HttpRequest) -> str:
    """Where the form was shown: the page that posted it, or else the address it posted to."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _with_param(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({name: value})}"


def _stash(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    user = _timed_out_user(request)
    if user is None:
        return response
    data = {k: request.POST.getlist(k) for k in request.POST if k not in _SKIPPED}
    key = services.stash_form(user=user, path=request.path, data=data)
    back = _with_param(_form_page(request), RESTORE_PARAM, signing.dumps(key, salt=_SALT))
    messages.warning(
        request,
        _(
            "You were logged out after %(minutes)s minutes without activity. Log in again: "
            "what you sent is kept for an hour and filled in again."
        )
        % {"minutes": settings.SESSION_COOKIE_AGE // 60},
    )
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}")


def _restore(request: HttpRequest) -> None:
    try:
        key = signing.loads(request.GET[RESTORE_PARAM], salt=_SALT, max_age=services.STASH_LIFETIME)
    except signing.BadSignature:
        key = None
    stash = services.take_stash(key=key, user=request.user) if isinstance(key, str) else None
    if stash is None:
        messages.warning(request, _("What was typed before the timeout cannot be filled in again here."))
        return
    request.restored_form = {"path": stash.path, "data": stash.data}  # type: ignore[attr-defined]
    messages.info(request, _("What you typed before you were logged out is filled in again. Check it and save."))


class KeepFormsAcrossTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        restoring = request.method == "GET" and RESTORE_PARAM in request.GET and request.user.is_authenticated
        if restoring:
            _restore(request)
        response = self.get_response(request)
        if restoring:
            # The page carries what was typed: no cache may keep it.
            response["Cache-Control"] = "no-store"
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and _goes_to_login(response)
            and request.path not in _not_kept()
        ):
            response = _stash(request, response)
        return response
