"""Effective dating: the one place that knows how to ask "as of date D".

A row that is effective-dated holds the half-open interval [valid_from, valid_to).
`valid_to` is never NULL: an open interval ends at END_OF_TIME, so every "as of" and
"overlapping" question is two plain comparisons that indexes serve on any database.

Every date-range question is asked here: the Q helpers below (for a filter reaching the
rows through a relation, `prefix`), or the `EffectiveQuerySet` methods of the same names.
A day may be a date or a date field (`F("held_on")`, `OuterRef("valid_from")`), so the
questions can be asked of a row's own dates or of the row outside a subquery.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Self, TypeAlias

from django.db import models
from django.db.models import F, Q

#: No party organisation predates the Party (founded 3 February 1930).
BEGINNING = date(1930, 2, 3)
END_OF_TIME = date(9999, 12, 31)

#: A day to compare with: a date, or a date field of the row or of the outer row.
Day: TypeAlias = date | F


def active_on(day: Day, prefix: str = "") -> Q:
    """Q for rows (or rows reached through `prefix`, e.g. "unit__versions__") valid on day."""
    return Q(**{f"{prefix}valid_from__lte": day, f"{prefix}valid_to__gt": day})


def overlapping(start: Day, end: Day, prefix: str = "") -> Q:
    """Q for rows whose interval meets [start, end)."""
    return Q(**{f"{prefix}valid_from__lt": end, f"{prefix}valid_to__gt": start})


def year_bounds(year: int) -> tuple[date, date]:
    """The calendar year as a half-open interval [1 January, 1 January of the next)."""
    return date(year, 1, 1), date(year + 1, 1, 1)


def in_year(year: int | F, prefix: str = "") -> Q:
    """Q for rows valid on some day of the calendar year: a number, or an integer field
    holding the year (`OuterRef("year")`)."""
    if isinstance(year, F):
        return _in_year_field(year, prefix)
    return overlapping(*year_bounds(year), prefix=prefix)


def _in_year_field(year: F, prefix: str) -> Q:
    """`in_year` for a year held in a field: the same two comparisons, said with the
    dates' parts (no date is built from the year in SQL). valid_from < 1 January of the
    next year is valid_from's year <= year; valid_to > 1 January of the year is a later
    year, or the same year past its first day."""
    after_new_year = (
        Q(**{f"{prefix}valid_to__year__gt": year})
        | Q(**{f"{prefix}valid_to__year": year, f"{prefix}valid_to__month__gt": 1})
        | Q(
            **{
                f"{prefix}valid_to__year": year,
                f"{prefix}valid_to__month": 1,
                f"{prefix}valid_to__day__gt": 1,
            }
        )
    )
    return Q(**{f"{prefix}valid_from__year__lte": year}) & after_new_year


def valid_after(day: Day, prefix: str = "") -> Q:
    """Q for rows still valid on or after day (ended later, or open)."""
    return Q(**{f"{prefix}valid_to__gt": day})


def starting_after(day: Day, prefix: str = "") -> Q:
    """Q for rows that begin after day."""
    return Q(**{f"{prefix}valid_from__gt": day})


def begun_by(day: Day, prefix: str = "") -> Q:
    """Q for rows that began on or before day (whether or not they have ended)."""
    return Q(**{f"{prefix}valid_from__lte": day})


def begun_before(day: Day, prefix: str = "") -> Q:
    """Q for rows that began strictly before day (an earlier version, when day is the
    start of another)."""
    return Q(**{f"{prefix}valid_from__lt": day})


def covering(start: date, end: date, prefix: str = "") -> Q:
    """Q for rows valid on every day of [start, end): begun by start, not ended before
    end (unlike `overlapping`, which asks for one day in common)."""
    return Q(**{f"{prefix}valid_from__lte": start, f"{prefix}valid_to__gte": end})


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

    def begun_before(self, day: date) -> Self:
        return self.filter(begun_before(day))

    def covering(self, start: date, end: date) -> Self:
        """Rows valid on every day of [start, end)."""
        return self.filter(covering(start, end))


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
