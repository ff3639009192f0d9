"""Cell meetings' part of the home page's things to do (see home/todo.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.urls import reverse

from dangvu.accounts.permissions import Capability
from dangvu.home.todo import Ask, Held, Todo, to_do
from dangvu.lib.dates import format_date
from dangvu.meetings.models import Meeting, MeetingKind

#: How many months without a meeting are each an item (the latest); the rest are counted.
MONTHS = 2


@to_do(kind="member", order=40)
def next_meeting(ask: Ask) -> list[Todo]:
    """The next meeting of the member's cell, planned or scheduled (information only)."""
    now = ask.now
    if ask.cell_id is None:
        return []
    meeting = (
        Meeting.objects.filter(unit_id=ask.cell_id, held_on__isnull=True)
        .filter(Q(planned_on__gte=now) | Q(planned_on__isnull=True, month__gte=now.replace(day=1)))
        .order_by("month", "planned_on")
        .first()
    )
    if meeting is None:
        return []
    when = (
        f"ngày {format_date(meeting.planned_on)}"
        if meeting.planned_on
        else f"tháng {meeting.month:%m/%Y}"
    )
    topics = meeting.topics.strip()
    return [
        Todo(
            f"Sinh hoạt chi bộ {meeting.get_kind_display().lower()} {when}.",
            detail=f"Nội dung: {topics}" if topics else "",
            kind="next_meeting",
        )
    ]


def _months(year: int, first: date, last: date) -> list[date]:
    return [date(year, m, 1) for m in range(first.month, last.month + 1)]


@to_do(kind="cell", order=20, capability=Capability.RECORD_MEETINGS)
def meetings_to_record(ask: Ask, cells: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """This year's months, up to this one, without a regular meeting recorded as held (one
    query for all the cells)."""
    now = ask.now
    start = date(now.year, 1, 1)
    recorded: dict[tuple[int, date], tuple[int, bool]] = {}
    for unit_id, month, pk, held_on in Meeting.objects.filter(
        unit_id__in=[c.unit_id for c in cells],
        kind=MeetingKind.REGULAR,
        month__gte=start,
        month__lte=now,
    ).values_list("unit_id", "month", "pk", "held_on"):
        recorded[(unit_id, month)] = (pk, held_on is not None)
    result = []
    for cell in cells:
        first = max(start, cell.founded_on.replace(day=1))
        missing = [
            m
            for m in _months(now.year, first, now)
            if not recorded.get((cell.unit_id, m), (0, False))[1]
        ]
        missing.reverse()  # this month first, then the latest months
        todos = []
        for month in missing[:MONTHS]:
            planned = recorded.get((cell.unit_id, month))
            url = (
                reverse("meetings:edit", args=[planned[0]])
                if planned
                else reverse("meetings:record", args=[cell.code]) + f"?thang={month:%Y-%m}"
            )
            current = month == now.replace(day=1)
            todos.append(
                Todo(
                    f"Ghi buổi sinh hoạt chi bộ tháng {month:%m/%Y}"
                    + (" (tháng này)." if current else ": chưa có biên bản."),
                    url,
                    "Ghi sinh hoạt",
                    kind="meeting_to_record",
                )
            )
        if len(missing) > MONTHS:
            rest = ", ".join(f"{m:%m}" for m in reversed(missing[MONTHS:]))
            todos.append(
                Todo(
                    f"Còn {len(missing) - MONTHS} tháng khác chưa ghi sinh hoạt "
                    f"(tháng {rest}/{now.year}).",
                    reverse("meetings:cell", args=[cell.code, now.year]),
                    "Xem cả năm",
                    kind="meetings_more",
                )
            )
        result.append((cell.unit_id, todos))
    return result
