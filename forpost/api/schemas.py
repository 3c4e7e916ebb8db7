from __future__ import annotations

import datetime
from typing import Annotated, Any

from ninja import Field, Path, Schema


class Error(Schema):
    detail: str


class District(Schema):
    slug: str
    name: str


class Centre(Schema):
    slug: str
    name: str
    code: str
    district: District
    districts_served: list[District]
    street_address: str
    postcode: str
    city: str
    phone: str
    email: str
    description: str
    url: str


class Membership(Schema):
    role: str
    centre: str | None


class Me(Schema):
    username: str
    memberships: list[Membership]
    centres: list[str]


class InvalidInput(Schema):
    """Messages by field (the desk form's rules), or the request's own type errors."""

    detail: str
    errors: dict[str, list[str]] | list[dict[str, Any]]


Id = Annotated[int, Path(..., ge=1, le=2_147_483_647)]
Year = Annotated[int, Path(..., ge=1, le=9999)]


class Child(Schema):
    age_band: str = Field(description="expected, 0-2, 3-5, 6-9, 10-12 or 13-17")
    sex: str = Field("not_stated", description="girl, boy or not_stated")


CHILDREN_HELP = (
    "Every child the inquiry concerns (at most four). Required, as at the desk: an empty list "
    "states explicitly that the children's ages were not stated."
)


class InquiryFields(Schema):
    """The fields of an inquiry that the desk leaves optional; left out means "not stated"/empty."""

    time: str | None = Field(None, description="HH:MM")
    family_type: str | None = None
    parent_sex: str | None = None
    origin: str | None = None
    residence: str | None = Field(None, description="outside or not_stated; give `district` for a district")
    district: str | None = Field(None, description="A district's slug or name")
    has_case: str | None = None
    referral_source: str | None = None
    themes: list[str] = []
    actions: list[str] = []
    concern_reported_on: datetime.date | None = None
    minutes: int | None = Field(None, ge=0, le=600)
    note: str | None = Field(None, description="Short, and never about whom it concerns (anonymity guard)")


class InquiryIn(InquiryFields):
    """A new inquiry in codes: reference items by their code (or name), choices by their code.
    The desk's required fields are required here too."""

    centre: str | None = Field(None, description="The centre's slug; may be left out if you register at one centre.")
    date: datetime.date
    channel: str = Field(description="A channel's code, e.g. walk_in")
    contact_person: str = Field(description="Who made contact: mother, father, both_parents, … (no default)")
    children: list[Child] = Field(max_length=10, description=CHILDREN_HELP)


class InquiryReplace(InquiryFields):
    """The whole inquiry (PUT): every field is replaced; optional fields left out become empty."""

    date: datetime.date
    channel: str = Field(description="A channel's code, e.g. walk_in")
    contact_person: str = Field(description="Who made contact: mother, father, both_parents, … (no default)")
    children: list[Child] = Field(max_length=10, description=CHILDREN_HELP)
    version: int = Field(..., ge=1, le=2_000_000_000, description="The version you read")


class InquiryPatch(Schema):
    """Only the fields sent are changed (PATCH); null clears an optional field."""

    date: datetime.date | None = None
    time: str | None = Field(None, description="HH:MM")
    channel: str | None = Field(None, description="A channel's code")
    contact_person: str | None = None
    family_type: str | None = None
    parent_sex: str | None = None
    origin: str | None = None
    residence: str | None = Field(None, description="outside or not_stated (clears the district)")
    district: str | None = Field(None, description="A district's slug or name")
    has_case: str | None = None
    referral_source: str | None = None
    themes: list[str] | None = None
    actions: list[str] | None = None
    children: list[Child] | None = Field(None, max_length=10, description=CHILDREN_HELP)
    concern_reported_on: datetime.date | None = None
    minutes: int | None = Field(None, ge=0, le=600)
    note: str | None = Field(None, description="Short, and never about whom it concerns (anonymity guard)")
    version: int = Field(..., ge=1, le=2_000_000_000, description="The version you read")


class InquiryOut(Schema):
    id: int
    centre: str
    date: datetime.date
    time: str | None
    channel: str
    contact_person: str
    family_type: str
    parent_sex: str
    origin: str
    residence: str
    district: str | None
    has_case: str
    referral_source: str | None
    themes: list[str]
    actions: list[str]
    children: list[Child]
    concern_reported_on: datetime.date | None
    minutes: int | None
    note: str
    version: int
    created_at: datetime.datetime


class InquiryPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InquiryOut]


class InquiryFilters(Schema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    centre: str | None = Field(None, description="A centre's slug")
    channel: str | None = Field(None, description="A channel's code")
    theme: str | None = Field(None, description="A theme's code")
    action: str | None = Field(None, description="An action's code")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


class Conflict(Schema):
    detail: str
    your_version: int
    current_version: int
    current: InquiryOut


class StatusTable(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None
    note: str
    # The metric key of each value column (see the status's "Definitions"); "=row": each row's own.
    metrics: list[str] = []
    dimension: str = ""
    adds_up: bool = True


class StatusSection(Schema):
    key: str
    title: str
    no_data: bool
    facts: list[dict[str, Any]]
    tables: list[StatusTable]
    texts: list[dict[str, Any]]
    notes: list[str]


class AnnualStatus(Schema):
    """Cells below the threshold come as {"suppressed": true, "display": "<5"} instead of a number."""

    year: int
    title: str
    language: str | None
    centres: list[str]
    suppressed: bool
    threshold: int
    generated_at: str
    preliminary: bool
    data_until: datetime.date | None
    period_note: str
    sections: list[StatusSection]


class OpeningInterval(Schema):
    kind: str
    start: datetime.datetime
    end: datetime.datetime


class OpeningDay(Schema):
    date: datetime.date
    closed: str
    reason: str
    intervals: list[OpeningInterval]


class OpeningHours(Schema):
    centre: str
    time_zone: str
    days: list[OpeningDay]
