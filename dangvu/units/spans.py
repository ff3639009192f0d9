"""The versions of many units at once, for bulk services that check thousands of rows:
one query, then "which version on day D" answered in memory, with the same half-open
intervals as `UnitVersion.objects.as_of`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from dangvu.units.models import UnitVersion


class Span(NamedTuple):
    unit_id: int
    code: str
    name: str
    kind: str
    path: str
    valid_from: date
    valid_to: date


class UnitSpans:
    """The versions of the given units, by unit."""

    def __init__(self, unit_ids: Iterable[int]) -> None:
        self._spans: dict[int, list[Span]] = defaultdict(list)
        rows = UnitVersion.objects.filter(unit_id__in=set(unit_ids)).order_by("valid_from")
        for row in rows.values_list(
            "unit_id", "unit__code", "name", "kind", "path", "valid_from", "valid_to"
        ):
            self._spans[row[0]].append(Span(*row))

    def on(self, unit_id: int, day: date) -> Span | None:
        """The unit's version on the day (None: it did not stand)."""
        for span in self._spans.get(unit_id, ()):
            if span.valid_from <= day < span.valid_to:
                return span
        return None

    def overlapping(self, unit_id: int, start: date, end: date) -> Span | None:
        """The unit's first version meeting [start, end)."""
        for span in self._spans.get(unit_id, ()):
            if span.valid_from < end and span.valid_to > start:
                return span
        return None

    def code(self, unit_id: int) -> str:
        spans = self._spans.get(unit_id)
        return spans[0].code if spans else f"#{unit_id}"
