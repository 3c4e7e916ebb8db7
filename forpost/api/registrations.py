"""Registrations: list with filters, read, create, replace (PUT) and change (PATCH).

POST and PUT require what the desk requires; PATCH changes only the fields sent. Both
changes carry the version the client read (optimistic lock → 409).

Scoped like the pages: an inquiry of another centre is 404; city-wide readers read but
never write (403). Every call is audit-logged as the pages do; writes go through the
registration services, with the desk form's rules (forpost.registrations.row_form).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from forpost.accounts import audit
from forpost.accounts.scoping import REGISTER, access_for, get_scoped_or_404, scoped
from forpost.centres.models import Centre
from forpost.core.locking import Conflict
from forpost.registrations import queries, services
from forpost.registrations.models import Action, Channel, Inquiry, Theme
from forpost.registrations.row_form import Lookups, bound_form, form_errors

from . import idempotency, schemas

router = Router(tags=["registrations"])

MAX_PAGE_SIZE = 200
WRITE_RESPONSES: dict[int, Any] = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    422: schemas.InvalidInput,
    429: schemas.Error,
}


def inquiry_out(inquiry: Inquiry) -> dict[str, Any]:
    return {
        "id": inquiry.pk,
        "centre": inquiry.centre.slug,
        "date": inquiry.date,
        "time": inquiry.time.replace(microsecond=0).isoformat("minutes") if inquiry.time else None,
        "channel": inquiry.channel.code,
        "contact_person": inquiry.contact_person,
        "family_type": inquiry.family_type,
        "parent_sex": inquiry.parent_sex,
        "origin": inquiry.origin,
        "residence": inquiry.residence,
        "district": inquiry.district.slug if inquiry.district else None,
        "has_case": inquiry.has_case,
        "referral_source": inquiry.referral_source.code if inquiry.referral_source else None,
        "themes": sorted(t.code for t in inquiry.themes.all()),
        "actions": sorted(a.code for a in inquiry.actions.all()),
        "children": [{"age_band": c.age_band, "sex": c.sex} for c in inquiry.children.all()],
        "concern_reported_on": inquiry.concern_reported_on,
        "minutes": inquiry.minutes,
        "note": inquiry.note,
        "version": inquiry.version,
        "created_at": inquiry.created_at,
    }


def _inquiries() -> Any:
    return Inquiry.objects.select_related("centre", "channel", "district", "referral_source").prefetch_related(
        "themes", "actions", "children"
    )


def _require_register(request: HttpRequest) -> None:
    if not access_for(request.user).has_role(REGISTER):
        raise HttpError(403, _("Only counsellors and coordinators of a centre register inquiries."))


def _invalid(errors: dict[str, list[str]], detail: str | None = None) -> Status[dict[str, Any]]:
    return Status(422, {"detail": detail or _("Invalid input."), "errors": errors})


def _values(payload: schemas.InquiryIn | schemas.InquiryReplace) -> dict[str, Any]:
    values = payload.dict(exclude={"centre", "version"}, exclude_none=True)
    values["children"] = [(c.age_band, c.sex) for c in payload.children]
    return values


# The fields of InquiryOut that describe the inquiry itself (not its id, centre or version).
FIELDS = [name for name in schemas.InquiryPatch.model_fields if name != "version"]


def _patched(inquiry: Inquiry, payload: schemas.InquiryPatch) -> dict[str, Any]:
    """The stored inquiry with the fields sent laid over it (null clears a field)."""
    current = inquiry_out(inquiry)
    values = {name: current[name] for name in FIELDS}
    sent = payload.dict(exclude_unset=True, exclude={"version"})
    if "residence" in sent and "district" not in sent:
        values["district"] = None  # "outside" or "not stated" replaces the district
    values.update(sent)
    values["children"] = [(c["age_band"], c["sex"]) for c in values.get("children") or []]
    values["themes"] = values.get("themes") or []
    values["actions"] = values.get("actions") or []
    return values


class InvalidFilters(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("Invalid filters.")
        self.errors = errors


def resolve_criteria(filters: schemas.InquiryFilters, user: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The search criteria (objects) and their plain form for the audit trail; unknown codes → 422."""
    criteria: dict[str, Any] = {}
    plain: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if filters.date_from:
        criteria["date_from"] = plain["date_from"] = filters.date_from
    if filters.date_to:
        criteria["date_to"] = plain["date_to"] = filters.date_to
    lookups: dict[str, Any] = {
        "centre": scoped(Centre, user),
        "channel": Channel.objects.all(),
        "theme": Theme.objects.all(),
        "action": Action.objects.all(),
    }
    for name, qs in lookups.items():
        raw = getattr(filters, name)
        if not raw:
            continue
        key = "slug" if name == "centre" else "code"
        found = qs.filter(**{key: raw}).first()
        if found is None:
            errors[name] = [_("“%(value)s” is not in Forpost's list.") % {"value": raw}]
        else:
            criteria[name] = found
            plain[name] = raw
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        errors["date_to"] = [_("The end date is before the start date.")]
    if errors:
        raise InvalidFilters(errors)
    return criteria, plain


@router.get(
    "/inquiries",
    response={200: schemas.InquiryPage, 401: schemas.Error, 422: schemas.InvalidInput, 429: schemas.Error},
    summary="Inquiries in the token's scope, newest first, with filters",
)
def list_inquiries(request: HttpRequest, filters: Query[schemas.InquiryFilters]) -> Any:
    try:
        criteria, plain = resolve_criteria(filters, request.user)
    except InvalidFilters as exc:
        return _invalid(exc.errors)
    qs = queries.search_inquiries(scoped(Inquiry, request.user), criteria)
    size = min(max(filters.page_size, 1), MAX_PAGE_SIZE)
    paginator = Paginator(qs.order_by("-date", "-time", "-id"), size)
    try:
        page = paginator.page(max(filters.page, 1))
        items = list(_inquiries().filter(pk__in=[i.pk for i in page.object_list]).order_by("-date", "-time", "-id"))
    except EmptyPage:
        items = []
    audit.record_search(request, object_type="registrations.inquiry", criteria=plain, count=paginator.count)
    return {
        "count": paginator.count,
        "page": max(filters.page, 1),
        "page_size": size,
        "results": [inquiry_out(i) for i in items],
    }


@router.get(
    "/inquiries/{inquiry_id}",
    response={
        200: schemas.InquiryOut,
        401: schemas.Error,
        404: schemas.Error,
        422: schemas.InvalidInput,
        429: schemas.Error,
    },
    summary="One inquiry",
)
def get_inquiry(request: HttpRequest, inquiry_id: schemas.Id) -> dict[str, Any]:
    inquiry = get_scoped_or_404(_inquiries(), request.user, pk=inquiry_id)
    audit.record_read(request, inquiry)
    return inquiry_out(inquiry)


@router.post(
    "/inquiries",
    response={201: schemas.InquiryOut, **WRITE_RESPONSES},
    summary="Register an inquiry (the desk form's rules, the anonymity guard included)",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": idempotency.HEADER,
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_LENGTH},
                "description": (
                    "A key of your choice (e.g. a UUID) for this registration: a retry with the same key "
                    "returns the inquiry the first call registered (201) instead of registering it twice; "
                    "the same key with another body is refused (422). Keys are kept for 48 hours."
                ),
            }
        ]
    },
)
def create_inquiry(request: HttpRequest, payload: schemas.InquiryIn) -> Status[dict[str, Any]]:
    _require_register(request)
    try:
        key = idempotency.key_of(request)
    except ValueError:
        return _invalid({}, _("The Idempotency-Key header must be 1 to 255 printable characters."))
    body = payload.dict()
    try:
        if key is not None:
            idempotency.check(user=request.user, key=key, body=body, model=Inquiry)
        return _register(request, payload, key=key, body=body)
    except idempotency.Taken as taken:
        if taken.obj is None:
            raise Http404 from None
        return Status(201, inquiry_out(get_scoped_or_404(_inquiries(), request.user, pk=taken.obj.pk)))
    except idempotency.KeyReused:
        return _invalid({}, _("This Idempotency-Key was used before with another request body."))


def _register(
    request: HttpRequest, payload: schemas.InquiryIn, *, key: str | None, body: dict[str, Any]
) -> Status[dict[str, Any]]:
    centres = access_for(request.user).centres(REGISTER)
    if payload.centre:
        centre = get_scoped_or_404(Centre, request.user, roles=REGISTER, slug=payload.centre)
    elif centres.count() == 1:
        centre = centres.get()
    else:
        return _invalid({"centre": [_("Say which centre the inquiry belongs to.")]})
    values = {**_values(payload), "centre": centre.pk}
    lookups = Lookups([centre.municipality_id])
    form = bound_form(values, centres=Centre.objects.filter(pk=centre.pk), lookups=lookups)
    if form.errors:
        return _invalid(form_errors(form))
    try:
        with transaction.atomic():
            complete = idempotency.claim(user=request.user, key=key, body=body, model=Inquiry) if key else None
            inquiry = services.register_inquiry(actor=request.user, centre=centre, **form.service_kwargs())
            if complete is not None:
                complete(inquiry)
    except ValidationError as exc:
        return _invalid(_service_errors(exc))
    return Status(201, inquiry_out(_inquiries().get(pk=inquiry.pk)))


@router.put(
    "/inquiries/{inquiry_id}",
    response={200: schemas.InquiryOut, 409: schemas.Conflict, **WRITE_RESPONSES},
    summary="Replace an inquiry: every field (left out = empty); send the version you read (409 if someone saved since)",
)
def replace_inquiry(
    request: HttpRequest, inquiry_id: schemas.Id, payload: schemas.InquiryReplace
) -> Status[dict[str, Any]]:
    _require_register(request)
    inquiry = get_scoped_or_404(Inquiry, request.user, roles=REGISTER, pk=inquiry_id)
    return _change(request, inquiry, _values(payload), payload.version)


@router.patch(
    "/inquiries/{inquiry_id}",
    response={200: schemas.InquiryOut, 409: schemas.Conflict, **WRITE_RESPONSES},
    summary="Change the fields sent, keep the others; send the version you read (409 if someone saved since)",
)
def patch_inquiry(
    request: HttpRequest, inquiry_id: schemas.Id, payload: schemas.InquiryPatch
) -> Status[dict[str, Any]]:
    _require_register(request)
    inquiry = get_scoped_or_404(_inquiries(), request.user, roles=REGISTER, pk=inquiry_id)
    return _change(request, inquiry, _patched(inquiry, payload), payload.version)


def _change(request: HttpRequest, inquiry: Inquiry, values: dict[str, Any], version: int) -> Status[dict[str, Any]]:
    """The desk form's rules on the whole record, then the service with the version read."""
    centres = access_for(request.user).centres(REGISTER)
    lookups = Lookups([inquiry.centre.municipality_id])
    form = bound_form({**values, "version": version}, centres=centres, lookups=lookups, instance=inquiry)
    if form.errors:
        return _invalid(form_errors(form))
    try:
        with transaction.atomic():
            services.update_inquiry(
                actor=request.user,
                inquiry=Inquiry.objects.get(pk=inquiry.pk),
                expected_version=version,
                **form.service_kwargs(),
            )
    except Conflict as conflict:
        current: Any = conflict.current
        return Status(
            409,
            {
                "detail": _("Someone else saved this inquiry after you read it."),
                "your_version": conflict.expected_version,
                "current_version": conflict.current_version,
                "current": inquiry_out(_inquiries().get(pk=current.pk)),
            },
        )
    except ValidationError as exc:
        return _invalid(_service_errors(exc))
    return Status(200, inquiry_out(_inquiries().get(pk=inquiry.pk)))


def _service_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for e in errors for m in e.messages] for name, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}
