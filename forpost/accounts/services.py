"""Writes to users and memberships. Each is atomic and audited with an explicit actor."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from forpost.core.locking import save_versioned

from . import audit

if TYPE_CHECKING:  # for the annotations only: accounts does not import centres at run time
    from forpost.centres.models import Centre
from .models import ApiRateWindow, ApiToken, AuditAction, AuditEntry, FormStash, IdpMapping, Membership, Role, User


@transaction.atomic
def create_user(
    *, actor: Any, username: str, password: str | None, first_name: str = "", last_name: str = "", email: str = ""
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        changes=audit.snapshot(user, ["username", "first_name", "last_name", "email"]),
    )
    return user


@transaction.atomic
def grant_membership(
    *,
    actor: Any,
    user: User,
    role: Role,
    centre: Centre | None = None,
    valid_from: date,
    valid_to: date | None = None,
    mapping: IdpMapping | None = None,
) -> Membership:
    membership = Membership(
        user=user, role=role, centre=centre, valid_from=valid_from, valid_to=valid_to, mapping=mapping
    )
    membership.full_clean()
    membership.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=membership, changes=audit.snapshot(membership))
    return membership


@transaction.atomic
def end_membership(*, actor: Any, membership: Membership, last_day: date) -> Membership:
    before = audit.snapshot(membership)
    membership.valid_to = last_day
    membership.full_clean()
    membership.save(update_fields=["valid_to"])
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=membership, changes=audit.diff(before, audit.snapshot(membership))
    )
    return membership


@transaction.atomic
def purge_audit_entries(*, actor: Any, before: datetime, dry_run: bool = False) -> int:
    """Delete the trail older than `before`, in batches; the purge itself leaves one entry."""
    old = AuditEntry.objects.older_than(before)
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        batch = list(old.values_list("pk", flat=True)[:5000])
        if not batch:
            break
        deleted += AuditEntry.objects.filter(pk__in=batch).delete()[0]
    audit.record(actor=actor, action=AuditAction.PURGE, changes={"before": before, "deleted": deleted})
    return deleted


TOKEN_PREFIX = "fp_"  # noqa: S105 - a public marker that makes leaked tokens easy to scan for


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `actor`; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name.strip()[:80], prefix=raw[:10], digest=_digest(raw))
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=token, changes={"name": token.name, "prefix": token.prefix}
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.CHANGE, obj=token, changes={"revoked_at": token.revoked_at})
    return token


def find_api_token(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    return ApiToken.objects.usable().select_related("user").filter(digest=_digest(raw)).first()


@transaction.atomic
def count_api_call(*, token: ApiToken, limit: int) -> bool:
    """Count one call in the token's current minute; False when the limit is already reached."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    ApiRateWindow.objects.get_or_create(token=token, window_start=window)
    updated = ApiRateWindow.objects.filter(token=token, window_start=window, calls__lt=limit).update(
        calls=F("calls") + 1
    )
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return bool(updated)


# --- User administration in the app ---------------------------------------------------------


def invitation_link(user: User) -> str:
    """The one-time set-password link: Django's token changes with the password and the last
    login, so it works once, and it expires after PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def _send_invitation(user: User) -> None:
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    context = {"user": user, "link": invitation_link(user), "days": days, "site_name": settings.SITE_NAME}
    # Staff read Forpost in Danish first; the invitation goes out in the default language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your access to %(site)s") % {"site": settings.SITE_NAME}
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def invite_user(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: Role,
    centre: Centre | None,
    valid_from: date,
    valid_to: date | None = None,
) -> User:
    """A new user with a first membership and no password; the invitation lets them set one."""
    if not first_name.strip() or not email.strip():
        raise ValidationError(_("Name and e-mail are required."))
    taken: dict[str, str] = {}
    if User.objects.filter(email__iexact=email.strip()).exists():
        taken["email"] = _("A user with this e-mail address already exists.")
    if User.objects.filter(username__iexact=username).exists():
        taken["username"] = _("This user name is taken.")
    if taken:
        raise ValidationError(taken)
    user = create_user(
        actor=actor,
        username=username,
        password=None,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    grant_membership(actor=actor, user=user, role=role, centre=centre, valid_from=valid_from, valid_to=valid_to)
    # Sent inside the transaction: when the mail server refuses, nothing is saved and the
    # administrator is told, rather than leaving a user who never got their link.
    _send_invitation(user)
    return user


@transaction.atomic
def resend_invitation(*, actor: User, user: User) -> None:
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=user, changes={"invitation": "sent"})
    _send_invitation(user)


@transaction.atomic
def set_password_from_invitation(*, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    # Never the hash: only that it happened.
    audit.record(actor=user, action=AuditAction.CHANGE, obj=user, changes={"password": "set"})
    return user


@transaction.atomic
def change_user(*, actor: User, user: User, expected_version: int, first_name: str, last_name: str, email: str) -> User:
    if not first_name.strip() or not email.strip():
        raise ValidationError(_("Name and e-mail are required."))
    before = audit.snapshot(user, ["first_name", "last_name", "email"])
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email.strip()
    user.full_clean(exclude=["password", "username"])
    save_versioned(user, expected_version=expected_version, fields=["first_name", "last_name", "email"])
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=user, changes=audit.diff(before, audit.snapshot(user, before))
    )
    return user


@transaction.atomic
def set_user_active(*, actor: User, user: User, active: bool, expected_version: int) -> User:
    if actor.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate yourself."))
    before = audit.snapshot(user, ["is_active", "deactivated_by_idp"])
    user.is_active = active
    user.deactivated_by_idp = False
    save_versioned(user, expected_version=expected_version, fields=["is_active", "deactivated_by_idp"])
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=user, changes=audit.diff(before, audit.snapshot(user, before))
    )
    return user


@transaction.atomic
def change_membership(
    *, actor: User, membership: Membership, expected_version: int, valid_from: date, valid_to: date | None
) -> Membership:
    before = audit.snapshot(membership)
    membership.valid_from, membership.valid_to = valid_from, valid_to
    membership.full_clean()
    save_versioned(membership, expected_version=expected_version, fields=["valid_from", "valid_to"])
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=membership, changes=audit.diff(before, audit.snapshot(membership))
    )
    return membership


# --- Single sign-on: the administrators' mapping and each sign-in ---------------------------


@transaction.atomic
def create_idp_mapping(
    *, actor: User, value: str, role: Role, centre: Centre | None, valid_from: date, valid_to: date | None = None
) -> IdpMapping:
    mapping = IdpMapping(value=value.strip(), role=role, centre=centre, valid_from=valid_from, valid_to=valid_to)
    mapping.full_clean()
    mapping.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=mapping, changes=audit.snapshot(mapping))
    return mapping


@transaction.atomic
def change_idp_mapping(
    *,
    actor: User,
    mapping: IdpMapping,
    expected_version: int,
    value: str,
    role: Role,
    centre: Centre | None,
    valid_from: date,
    valid_to: date | None,
) -> IdpMapping:
    before = audit.snapshot(mapping)
    mapping.value, mapping.role, mapping.centre = value.strip(), role, centre
    mapping.valid_from, mapping.valid_to = valid_from, valid_to
    mapping.full_clean()
    save_versioned(
        mapping, expected_version=expected_version, fields=["value", "role", "centre", "valid_from", "valid_to"]
    )
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=mapping, changes=audit.diff(before, audit.snapshot(mapping))
    )
    return mapping


@dataclass(frozen=True)
class IdpIdentity:
    """What an identity provider says about the person signing in (never a token)."""

    provider: str  # "oidc" or "saml"
    subject: str
    username: str
    email: str
    first_name: str
    last_name: str
    groups: tuple[str, ...]

    @property
    def external_id(self) -> str:
        return f"{self.provider}:{self.subject}"


def _free_username(wanted: str) -> str:
    base = (wanted or "user")[:140]
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _end_idp_membership(*, actor: User, membership: Membership, today: date) -> None:
    if membership.valid_from >= today:
        # It began today: there is no earlier last day to give it, so it goes (the trail keeps it).
        audit.record(actor=actor, action=AuditAction.DELETE, obj=membership, changes=audit.snapshot(membership))
        membership.delete()
    else:
        end_membership(actor=actor, membership=membership, last_day=today - timedelta(days=1))


def _sync_memberships(*, user: User, mappings: Iterable[IdpMapping], today: date) -> None:
    wanted = {m.pk: m for m in mappings}
    held = Membership.objects.active_on(today).filter(user=user, mapping__isnull=False)
    for membership in held:
        mapping = wanted.get(membership.mapping_id)  # type: ignore[arg-type]
        # Ended when the group is gone, or when an administrator has since changed what the
        # mapping gives: the membership is granted again below as the mapping says now.
        if mapping is None or (membership.role, membership.centre_id) != (mapping.role, mapping.centre_id):
            _end_idp_membership(actor=user, membership=membership, today=today)
    have = set(held.values_list("mapping_id", flat=True))
    for pk, mapping in wanted.items():
        if pk not in have:
            grant_membership(
                actor=user,
                user=user,
                role=Role(mapping.role),
                centre=mapping.centre,
                valid_from=today,
                valid_to=mapping.valid_to,
                mapping=mapping,
            )


@transaction.atomic
def sign_in_from_idp(*, identity: IdpIdentity) -> User | None:
    """The user an identity provider vouches for, created at the first sign-in, with the
    memberships its groups map to today; None when Forpost refuses the sign-in.

    A person with no mapped group has no business in Forpost: the sign-in is refused and an
    existing user is deactivated and loses the memberships the identity provider gave.
    No request path goes into the trail here: the callback's address carries the one-time code."""
    today = timezone.localdate()
    mappings = list(IdpMapping.objects.active_on(today).filter(value__in=identity.groups).select_related("centre"))
    user = User.objects.select_for_update().filter(external_id=identity.external_id).first()
    who = {"provider": identity.provider, "subject": identity.subject, "groups": sorted(identity.groups)}
    if user is not None and not user.is_active and not user.deactivated_by_idp:
        audit.record(actor=None, action=AuditAction.REFUSE, obj=user, changes={**who, "reason": "deactivated"})
        return None
    if not mappings:
        if user is not None:
            for membership in Membership.objects.active_on(today).filter(user=user, mapping__isnull=False):
                _end_idp_membership(actor=user, membership=membership, today=today)
            if user.is_active:
                user.is_active, user.deactivated_by_idp = False, True
                user.save(update_fields=["is_active", "deactivated_by_idp"])
                audit.record(actor=None, action=AuditAction.CHANGE, obj=user, changes={"is_active": [True, False]})
        audit.record(
            actor=None,
            action=AuditAction.REFUSE,
            obj=user,
            object_type="" if user else "accounts.user",
            changes={**who, "reason": "no mapped group"},
        )
        return None
    if user is None:
        user = User(username=_free_username(identity.username or identity.email), external_id=identity.external_id)
        user.set_unusable_password()
        user.first_name, user.last_name, user.email = identity.first_name, identity.last_name, identity.email
        user.save()
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            obj=user,
            changes={**audit.snapshot(user, ["username", "first_name", "last_name", "email"]), **who},
        )
    else:
        before = audit.snapshot(user, ["first_name", "last_name", "email", "is_active"])
        user.first_name, user.last_name, user.email = identity.first_name, identity.last_name, identity.email
        user.is_active, user.deactivated_by_idp = True, False
        user.save(update_fields=["first_name", "last_name", "email", "is_active", "deactivated_by_idp"])
        changed = audit.diff(before, audit.snapshot(user, before))
        if changed:
            audit.record(actor=user, action=AuditAction.CHANGE, obj=user, changes=changed)
    _sync_memberships(user=user, mappings=mappings, today=today)
    audit.record(
        actor=user,
        action=AuditAction.LOGIN,
        obj=user,
        changes={**who, "mapped": sorted({m.value for m in mappings})},
    )
    return user


# --- Forms posted after the session timed out ----------------------------------------------

STASH_LIFETIME = timedelta(hours=1)


@transaction.atomic
def stash_form(*, user: User, path: str, data: dict[str, list[str]]) -> str:
    """Keep a form posted after `user`'s session timed out; returns the key to restore it.

    Not audited: it holds what was typed, unchecked, and it is no registration."""
    key = secrets.token_urlsafe(32)
    FormStash.objects.create(key=key, user=user, path=path[:500], data=data)
    return key


@transaction.atomic
def take_stash(*, key: str, user: Any) -> FormStash | None:
    """The stash `key` if it is `user`'s and under an hour old; it is deleted as it is taken.

    Someone else's stash is not touched (its author may still log in)."""
    purge_stashes()
    stash = FormStash.objects.select_for_update().filter(key=key, user=user).first()
    if stash is not None:
        FormStash.objects.filter(pk=stash.pk).delete()
    return stash


def purge_stashes(*, now: datetime | None = None) -> int:
    """Delete stashes older than an hour; returns how many."""
    before = (now or timezone.now()) - STASH_LIFETIME
    return int(FormStash.objects.filter(created_at__lt=before).delete()[0])


# --- Second factor (forpost.accounts.mfa) ------------------------------------------------------
# Audited under one object type, with what kind of factor and never its key, code or credential.
SECOND_FACTOR = "accounts.second_factor"
RECOVERY_CODE_COUNT = 10


def record_second_factor(*, actor: Any, user: User, action: AuditAction, **changes: Any) -> None:
    """One audit row about `user`'s second factor. Called inside the transaction of the change
    (also by the passkey views, whose writes django-otp-webauthn makes)."""
    audit.record(actor=actor, action=action, obj=user, object_type=SECOND_FACTOR, changes=changes)


@transaction.atomic
def enrol_totp(*, actor: User, key: bytes, code: str) -> TOTPDevice:
    """Keep the authenticator app whose shared `key` produced `code` just now."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("You already have an authenticator app. Ask an administrator to reset it."))
    totp = TOTP(key)
    digits = code.replace(" ", "")
    if not (digits.isdigit() and len(digits) == 6 and totp.verify(int(digits), tolerance=1)):
        raise ValidationError({"code": _("The code is not right. Type the 6 digits the app shows now.")})
    device = TOTPDevice.objects.create(
        user=actor, name=_("Authenticator app"), key=key.hex(), confirmed=True, last_t=totp.t()
    )
    record_second_factor(actor=actor, user=actor, action=AuditAction.CREATE, kind="totp")
    return device


@transaction.atomic
def make_recovery_codes(*, actor: User) -> list[str]:
    """Ten new one-time codes, replacing any before. Shown once; django-otp keeps them to check."""
    if not (
        TOTPDevice.objects.filter(user=actor, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=actor, confirmed=True).exists()
    ):
        raise ValidationError(_("Set up an authenticator app or a passkey first."))
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(user=actor, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record_second_factor(actor=actor, user=actor, action=AuditAction.CREATE, kind="recovery_codes", count=len(codes))
    return codes


def throttled(user: User) -> bool:
    """True while every code-checking device of the user waits after failed attempts."""
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True), *StaticDevice.objects.filter(user=user)]
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


@transaction.atomic
def verify_second_factor(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (6 digits from the app, or a recovery code, used up), or None.

    A failure is audited and counted by django-otp's throttling; neither raises, so both are kept."""
    typed = "".join(code.split()).lower()
    devices: list[TOTPDevice | StaticDevice]
    if typed.isdigit() and len(typed) == 6:
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
    for device in devices:
        if device.verify_token(typed):
            kind = "totp" if isinstance(device, TOTPDevice) else "recovery_code"
            changes: dict[str, Any] = {"second_factor": kind}
            if isinstance(device, StaticDevice):
                changes["recovery_codes_left"] = device.token_set.count()
            record_second_factor(actor=user, user=user, action=AuditAction.LOGIN, **changes)
            return device
    record_second_factor(actor=user, user=user, action=AuditAction.REFUSE, second_factor="code")
    return None


@transaction.atomic
def reset_second_factor(*, actor: User, user: User, expected_version: int) -> dict[str, int]:
    """Remove every factor of `user`, who then enrols again at the next login (if their role must)."""
    save_versioned(user, expected_version=expected_version, fields=[])
    removed = {
        "totp": TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0),
        "passkeys": WebAuthnCredential.objects.filter(user=user).delete()[1].get(WebAuthnCredential._meta.label, 0),
        "recovery_codes": StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0),
    }
    record_second_factor(actor=actor, user=user, action=AuditAction.DELETE, removed=removed)
    return removed
