"""Indicators of section 2.3 from the meetings recorded."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.utils import timezone

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.meetings.models import Meeting, MeetingKind
from dangvu.meetings.services import first_of, next_month
from dangvu.units.models import CELL_KINDS, UnitVersion


@computes("meeting.regular_held")
def regular_held(ctx: Ctx) -> Rows:
    held = Meeting.objects.filter(kind=MeetingKind.REGULAR, held_on__isnull=False)
    return ctx.events(held, date="held_on")


@computes("meeting.thematic_held")
def thematic_held(ctx: Ctx) -> Rows:
    held = Meeting.objects.filter(kind=MeetingKind.THEMATIC, held_on__isnull=False)
    return ctx.events(held, date="held_on")


@computes("meeting.upper_attendance")
def upper_attendance(ctx: Ctx) -> Rows:
    attended = Meeting.objects.filter(upper_attended=True, held_on__isnull=False)
    return ctx.events(attended, date="held_on")


@computes("meeting.cells_compliant_rate")
def cells_compliant_rate(ctx: Ctx) -> Rows:
    """Cells that kept up their regular meeting (duy trì sinh hoạt định kỳ): one held in
    every month of the period that has ended while the cell stood. (Punctuality, length and
    the thematic meetings show on the compliance grid, month by month.)
    As a rate: (cells that kept it up, cells), each where it stood at the period's end."""
    this_month = first_of(timezone.localdate())
    for bucket in ctx.buckets:
        first = first_of(bucket.start) if bucket.start.day == 1 else next_month(bucket.start)
        last = min(first_of(bucket.end), this_month)
        months = []
        month = first
        while month < last:
            months.append(month)
            month = next_month(month)
        if not months:
            continue
        cells = dict(
            UnitVersion.objects.as_of(bucket.last_day)
            .filter(ctx.under(), kind__in=CELL_KINDS)
            .values_list("unit_id", "path")
        )
        # A cell whose one version covers every month stood all of them; the few others
        # (founded, merged or renamed inside the period): which months.
        whole = set(
            UnitVersion.objects.covering(first, last)
            .filter(unit_id__in=cells, kind__in=CELL_KINDS)
            .values_list("unit_id", flat=True)
        )
        stood: dict[int, set[date]] = defaultdict(set)
        for unit_id, start, stop in (
            UnitVersion.objects.filter(unit_id__in=set(cells) - whole, kind__in=CELL_KINDS)
            .overlapping(first, last)
            .values_list("unit_id", "valid_from", "valid_to")
        ):
            stood[unit_id].update(m for m in months if start <= m < stop)
        whole |= {u for u, months_stood in stood.items() if len(months_stood) == len(months)}
        regular = Meeting.objects.filter(
            kind=MeetingKind.REGULAR, held_on__isnull=False, month__gte=first, month__lt=last
        )
        # A cell that stood every month: how many months it held one is enough (one row per
        # cell, not one per cell and month; a cell has one regular meeting a month at most,
        # `one_regular_meeting_a_month`, so its meetings are its months). The few others:
        # which months.
        held_count = dict(
            regular.filter(unit_id__in=whole)
            .values("unit_id")
            .annotate(n=Count("*"))  # from the covering index alone
            .values_list("unit_id", "n")
        )
        held: dict[int, set[date]] = defaultdict(set)
        partly = [u for u in cells if u not in whole and stood[u]]
        for unit_id, m in regular.filter(unit_id__in=partly).values_list("unit_id", "month"):
            held[unit_id].add(m)
        for unit_id, path in cells.items():
            if unit_id in whole:
                yield (
                    bucket.label,
                    "",
                    path,
                    (1 if held_count.get(unit_id) == len(months) else 0, 1),
                )
            elif stood[unit_id]:
                yield bucket.label, "", path, (1 if stood[unit_id] <= held[unit_id] else 0, 1)
