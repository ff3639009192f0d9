"""Effective dating: the one place that knows how to ask "as of date D".

A row that is effective-dated holds the half-open interval [valid_from, valid_to).
`valid_to` is never NULL: an open interval ends at END_OF_TIME, so every "as of" and
"overlapping" question is two plain comparisons that indexes serve on any database.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Self

from django.db import models
from django.db.models import Q

#: No party organisation predates the Party (founded 3 February 1930).
BEGINNING = date(1930, 2, 3)
END_OF_TIME = date(9999, 12, 31)


def active_on(day: date, prefix: str = "") -> Q:
    """Q for rows (or rows reached through `prefix`, e.g. "unit__versions__") valid on day."""
    return Q(**{f"{prefix}valid_from__lte": day, f"{prefix}valid_to__gt": day})


def overlapping(start: date, end: date, prefix: str = "") -> Q:
    """Q for rows whose interval meets [start, end)."""
    return Q(**{f"{prefix}valid_from__lt": end, f"{prefix}valid_to__gt": start})


def year_bounds(year: int) -> tuple[date, date]:
    """The calendar year as a half-open interval [1 January, 1 January of the next)."""
    return date(year, 1, 1), date(year + 1, 1, 1)


def in_year(year: int, prefix: str = "") -> Q:
    """Q for rows valid on some day of the calendar year."""
    return overlapping(*year_bounds(year), prefix=prefix)


def valid_after(day: date, prefix: str = "") -> Q:
    """Q for rows still valid on or after day (ended later, or open)."""
    return Q(**{f"{prefix}valid_to__gt": day})


def starting_after(day: date, prefix: str = "") -> Q:
    """Q for rows that begin after day."""
    return Q(**{f"{prefix}valid_from__gt": day})


def begun_by(day: date, prefix: str = "") -> Q:
    """Q for rows that began on or before day (whether or not they have ended)."""
    return Q(**{f"{prefix}valid_from__lte": day})


def last_day(valid_to: date) -> date | None:
    """The last day inside an interval ending at valid_to, or None when it is open."""
    return None if valid_to >= END_OF_TIME else valid_to - timedelta(days=1)


class EffectiveQuerySet(models.QuerySet[Any]):
    def as_of(self, day: date) -> Self:
        return self.filter(active_on(day))

    def overlapping(self, start: date, end: date) -> Self:
        return self.filter(overlapping(start, end))

    def in_year(self, year: int) -> Self:
        """Rows valid on some day of the calendar year."""
        return self.filter(in_year(year))

    def valid_after(self, day: date) -> Self:
        """Rows still valid on or after day."""
        return self.filter(valid_after(day))

    def starting_after(self, day: date) -> Self:
        return self.filter(starting_after(day))

    def begun_by(self, day: date) -> Self:
        return self.filter(begun_by(day))


class EffectiveDated(models.Model):
    valid_from = models.DateField("Từ ngày", default=BEGINNING)
    valid_to = models.DateField("Đến ngày (không tính)", default=END_OF_TIME)

    class Meta:
        abstract = True

    def is_active_on(self, day: date) -> bool:
        return self.valid_from <= day < self.valid_to

    @property
    def is_open(self) -> bool:
        return self.valid_to >= END_OF_TIME

    @property
    def last_valid_day(self) -> date | None:
        return last_day(self.valid_to)
