"""Reporting rounds in the home page's things to do (see home/todo.py).

- The office of a reporting unit (a role in force held at the unit with WRITE_REPORTS,
  `access.may_write`): each of its reports still with it — due in so many days, late by so
  many, or returned with so many comments to address.
- The office of a round's unit (`access.may_review`): per round, the reports waiting for
  review and the units late with theirs.

One query for all of a user's items, whatever the number of rounds and reports: the
reports the user writes or reviews, with the names of the units as they stand today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from dangvu.accounts.permissions import Capability
from dangvu.home.todo import Ask, Held, Todo, listed, to_do
from dangvu.rounds.models import WITH_UNIT, ReportState, RoundReport
from dangvu.units.models import UnitVersion


def report_path(round_id: int, report_id: int) -> str:
    """The report's page."""
    return reverse("rounds:report", kwargs={"round_id": round_id, "report_id": report_id})


def board_path(round_id: int) -> str:
    """The round's board."""
    return reverse("rounds:board", kwargs={"round_id": round_id})


def day_text(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def due_text(due: date, today: date) -> str:
    """ "hạn 15/06/2023, còn 3 ngày" / "…, quá hạn 5 ngày" / "…, hôm nay là ngày cuối"."""
    days = (due - today).days
    if days > 0:
        return f"hạn {day_text(due)}, còn {days} ngày"
    if days == 0:
        return f"hạn {day_text(due)}, hôm nay là ngày cuối"
    return f"hạn {day_text(due)}, quá hạn {-days} ngày"


@dataclass
class _Round:
    title: str
    submitted: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)


@to_do(kind="staff", order=5, capability=Capability.WRITE_REPORTS)
def round_reports(ask: Ask, units: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """The reports the unit writes that are still with it, and the reports sent to the
    unit's rounds or late for them (one query). Deadlines first: before the rest."""
    return _items(ask, units)


@to_do(kind="cell", order=60, capability=Capability.WRITE_REPORTS)
def round_reports_of_cells(ask: Ask, cells: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """The same for a cell asked for its report by its grassroots committee (its writers:
    a role with WRITE_REPORTS held at the cell)."""
    return _items(ask, cells)


def _name(unit_ref: str, day: date, column: str = "name") -> Any:
    """The unit's name as it stands on `day`, or its last one (a dissolved unit)."""
    on_day = UnitVersion.objects.as_of(day).filter(unit_id=OuterRef(unit_ref)).values(column)[:1]
    last = (
        UnitVersion.objects.filter(unit_id=OuterRef(unit_ref))
        .order_by("-valid_from")
        .values(column)[:1]
    )
    return Coalesce(Subquery(on_day), Subquery(last))


def _items(ask: Ask, units: list[Held]) -> list[tuple[int, list[Todo]]]:
    now = ask.now
    ids = [u.unit_id for u in units]
    rows = (
        RoundReport.objects.annotate(due_on=Coalesce(F("extended_to"), F("round__deadline")))
        .filter(round__launched_on__lte=now)
        .filter(
            Q(unit_id__in=ids, state__in=WITH_UNIT)
            | Q(round__unit_id__in=ids, state=ReportState.SUBMITTED)
            | Q(round__unit_id__in=ids, state__in=WITH_UNIT, due_on__lt=now)
        )
        .annotate(
            unit_name=_name("unit_id", now),
            unit_sort=_name("unit_id", now, "name_sort"),
            round_unit_name=_name("round__unit_id", now),
        )
        .order_by("round__deadline", "round_id", "unit_sort", "pk")
        .values_list(
            "pk",
            "round_id",
            "round__title",
            "round__unit_id",
            "unit_id",
            "state",
            "comments",
            "due_on",
            "unit_name",
            "round_unit_name",
        )
    )
    mine: dict[int, list[tuple[date, Todo]]] = defaultdict(list)
    reviewed: dict[int, dict[int, _Round]] = defaultdict(dict)
    for pk, round_id, title, round_unit_id, unit_id, state, comments, due, name, above in rows:
        if unit_id in ids:
            todo = _to_write(pk, round_id, title, state, comments, due, above, now)
            mine[unit_id].append((due, todo))
        if round_unit_id in ids:
            found = reviewed[round_unit_id].setdefault(round_id, _Round(title))
            (found.submitted if state == ReportState.SUBMITTED else found.late).append(name)
    out = []
    for unit in units:
        todos = [todo for _, todo in sorted(mine.get(unit.unit_id, []), key=lambda p: p[0])]
        for round_id, found in reviewed.get(unit.unit_id, {}).items():
            todos.extend(_to_review(round_id, found))
        if todos:
            out.append((unit.unit_id, todos))
    return out


def _to_write(
    pk: int,
    round_id: int,
    title: str,
    state: str,
    comments: dict[str, str] | None,
    due: date,
    above: str,
    now: date,
) -> Todo:
    url = report_path(round_id, pk)
    head = f"Báo cáo «{title}» gửi {above}"
    if state == ReportState.RETURNED:
        return Todo(
            f"{head} bị trả lại với {len(comments or {})} ý kiến: sửa và gửi lại.",
            url,
            "Sửa báo cáo",
            detail=due_text(due, now).capitalize() + ".",
            kind="round_report_returned",
        )
    late = due < now
    return Todo(
        f"{head}: {due_text(due, now)}.",
        url,
        "Viết báo cáo",
        kind="round_report_late" if late else "round_report_due",
    )


def _to_review(round_id: int, found: _Round) -> list[Todo]:
    url = board_path(round_id)
    todos = []
    if found.submitted:
        n = len(found.submitted)
        todos.append(
            Todo(
                f"{n} báo cáo chờ xem xét trong đợt «{found.title}»: {listed(found.submitted, n)}.",
                url,
                "Xem xét",
                kind="round_to_review",
            )
        )
    if found.late:
        n = len(found.late)
        todos.append(
            Todo(
                f"{n} đơn vị quá hạn chưa gửi báo cáo trong đợt «{found.title}»: "
                f"{listed(found.late, n)}.",
                url,
                "Xem tiến độ",
                kind="round_late",
            )
        )
    return todos
