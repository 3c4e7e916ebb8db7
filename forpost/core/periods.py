"""What a number is measured over: a `Period` of days and a `CentreScope` of centres.

Every count, indicator and section takes these two instead of loose `start`/`end` dates and
lists of ids, so the half-open bounds, the whole-year test and the "every centre there is"
shortcut are written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """The days [start, end): half-open, in Copenhagen's calendar."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def year_until(cls, year: int, as_of: date | None) -> Period:
        """The year, or the part of it up to and including `as_of` (never before 1 January)."""
        whole = cls.year(year)
        if as_of is None:
            return whole
        return cls(whole.start, min(whole.end, max(whole.start, as_of + timedelta(days=1))))

    @property
    def empty(self) -> bool:
        return self.start >= self.end

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def whole_years(self) -> range | None:
        """The calendar years the period is made of, or None when it is not whole years."""
        if self.empty or (self.start.month, self.start.day, self.end.month, self.end.day) != (1, 1, 1, 1):
            return None
        return range(self.start.year, self.end.year)

    @property
    def first_year_so_far(self) -> int | None:
        """The year when the period starts on 1 January and ends within that year (the whole
        year or the year so far): stored per-year figures from 1 January answer it."""
        if (self.start.month, self.start.day) == (1, 1) and self.start < self.end <= date(self.start.year + 1, 1, 1):
            return self.start.year
        return None

    def q(self, path: str) -> Q:
        """Rows whose date field `path` lies in the period."""
        return Q(**{f"{path}__gte": self.start, f"{path}__lt": self.end})

    def moments(self) -> tuple[datetime, datetime]:
        """The period as aware local datetimes, for fields that hold a moment."""
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(self.end, time.min)),
        )


@dataclass(frozen=True)
class CentreScope:
    """The centres measured. `every` says they are all the centres there are (the city's
    status): queries then leave out the condition, since a thousand ids in every query cost
    more than they filter."""

    ids: frozenset[int]
    every: bool = False

    @classmethod
    def of(cls, centre_ids: Iterable[int], *, every: bool = False) -> CentreScope:
        """The centres; `every` when the caller knows they are all there are (see
        forpost.centres.queries.centre_scope, which counts them)."""
        return cls(frozenset(centre_ids), every)

    @classmethod
    def one(cls, centre_id: int) -> CentreScope:
        return cls(frozenset([centre_id]), False)

    def q(self, path: str = "centre_id") -> Q:
        """Rows of the centres measured (`path` leads to the centre's id)."""
        return Q() if self.every else Q(**{f"{path}__in": self.ids})

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self.ids))

    def __len__(self) -> int:
        return len(self.ids)

    def each(self, found: dict[int, Any], empty: Any) -> dict[int, Any]:
        """`found` with every centre of the scope, `empty` for those it lacks."""
        return {pk: found.get(pk, empty) for pk in sorted(self.ids)}
