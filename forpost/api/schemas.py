from __future__ import annotations

from ninja import Schema


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
