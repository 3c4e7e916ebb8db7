"""The lists the desk form offers (channels, themes, actions, referral sources, districts),
kept in each process's memory while they are the database's (forpost.core.generation): the
desk's POST checks a registration's choices without asking the database for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forpost.centres.models import District
from forpost.core import generation

from .models import Action, Channel, ReferralSource, Theme

ORDER = ("sort_order", "name_da")


@dataclass(frozen=True)
class Lists:
    """Every item, retired ones too, in the order the form shows them. Shared by the requests
    of a process: never change an item taken from here."""

    channels: tuple[Channel, ...]
    themes: tuple[Theme, ...]
    actions: tuple[Action, ...]
    referral_sources: tuple[ReferralSource, ...]
    districts: tuple[District, ...]  # by name

    def of(self, model: Any) -> tuple[Any, ...]:
        return {
            Channel: self.channels,
            Theme: self.themes,
            Action: self.actions,
            ReferralSource: self.referral_sources,
        }[model]


def _load() -> Lists:
    return Lists(
        channels=tuple(Channel.objects.order_by(*ORDER)),
        themes=tuple(Theme.objects.order_by(*ORDER)),
        actions=tuple(Action.objects.order_by(*ORDER)),
        referral_sources=tuple(ReferralSource.objects.order_by(*ORDER)),
        districts=tuple(District.objects.order_by("name", "pk")),
    )


def lists() -> Lists:
    return generation.cached("registrations.reference", _load)


def offered(model: Any, keep: Any = ()) -> list[Any]:
    """Active items, plus retired ones the record already uses (so an edit keeps them)."""
    ids = {getattr(v, "pk", v) for v in keep if v is not None}
    return [item for item in lists().of(model) if item.retired_at is None or item.pk in ids]
