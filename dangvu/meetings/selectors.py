"""Reads of branch meetings through the user's scope: the compliance grid (cell × month),
a cell's meetings, one meeting."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.effective import active_on, year_bounds
from dangvu.meetings.models import Meeting, MeetingKind
from dangvu.meetings.services import first_of, rule_for
from dangvu.members.models import Member
from dangvu.units.labels import labels
from dangvu.units.models import CELL_KINDS, Unit, UnitVersion

VIEW = Capability.VIEW_MEMBERS
RECORD = Capability.RECORD_MEETINGS


@dataclass
class CellRow:
    version: UnitVersion
    label: str = ""  # the name, with the parent's when names repeat
    months: list[tuple[date, str, Meeting | None]] = field(default_factory=list)
    quarters: list[tuple[int, int, bool]] = field(default_factory=list)  # quarter, held, due

    @property
    def out_of_compliance(self) -> bool:
        return any(s in ("late", "missing") for _, s, _ in self.months) or any(
            due and not ok for _, ok, due in ((q, h >= 1, d) for q, h, d in self.quarters)
        )


def months_of(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


def grid(*, user: User, code: str, year: int) -> tuple[Unit, list[CellRow]]:
    """Every cell under the unit that stood during the year, month by month:
    held (as the regime asks), late (held, but short of it), missing, planned, not yet."""
    scope = scope_for(user)
    unit = scope.get_unit(VIEW, code)
    start, end = year_bounds(year)
    top = UnitVersion.objects.filter(unit=unit).in_year(year).order_by("-valid_from").first()
    if top is None:
        raise Http404("Đơn vị không hoạt động trong năm này.")
    versions = (
        UnitVersion.objects.under(top.path)
        .cells()
        .in_year(year)
        .filter(unit__in=scope.units(VIEW))
        .select_related("unit")
        .order_by("path", "-valid_from")
    )
    latest: dict[int, UnitVersion] = {}
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for v in versions:
        latest.setdefault(v.unit_id, v)
        spans[v.unit_id].append((v.valid_from, v.valid_to))
    meetings: dict[tuple[int, date], Meeting] = {}
    thematic: dict[tuple[int, int], int] = defaultdict(int)
    for m in Meeting.objects.filter(unit_id__in=latest, month__gte=start, month__lt=end):
        if m.kind == MeetingKind.REGULAR:
            meetings[(m.unit_id, m.month)] = m
        elif m.held_on:
            thematic[(m.unit_id, (m.month.month - 1) // 3 + 1)] += 1
    this_month = first_of(timezone.localdate())
    named = labels(list(latest.values()), min(date(year, 12, 31), timezone.localdate()))
    rows = []
    for unit_id, version in sorted(latest.items(), key=lambda kv: kv[1].path):
        row = CellRow(version, named[unit_id])
        for month in months_of(year):
            # Due in a month the cell stood on its first day (as the indicators count it);
            # a meeting held in the month of a founding shows all the same.
            stood = any(a <= month < b for a, b in spans[unit_id])
            meeting = meetings.get((unit_id, month))
            if meeting and meeting.held_on:
                status = "held" if meeting.compliant else "late"
            elif not stood:
                status = "absent"
            elif month < this_month:
                status = "missing"
            else:
                status = "planned" if meeting else "future"
            row.months.append((month, status, meeting))
        for quarter in range(1, 5):
            last = date(year, quarter * 3, 1)
            due = last < this_month and any(a <= last < b for a, b in spans[unit_id])
            row.quarters.append((quarter, thematic[(unit_id, quarter)], due))
        rows.append(row)
    return unit, rows


def cell_meetings(*, user: User, code: str, year: int) -> tuple[Unit, QuerySet[Meeting]]:
    unit = scope_for(user).get_unit(VIEW, code)
    return unit, (
        Meeting.objects.filter(unit=unit, month__year=year)
        .annotate(
            present=Count("attendances", filter=Q(attendances__present=True)),
            expected=Count("attendances"),
        )
        .order_by("month", "kind")
    )


def meeting_or_404(*, user: User, meeting_id: int, cap: Capability = VIEW) -> Meeting:
    """A meeting the user reads (VIEW: reached at some time) or writes (today's reach)."""
    scope = scope_for(user)
    units = scope.units(cap) if cap == VIEW else scope.writable_units(cap)
    found = (
        Meeting.objects.filter(pk=meeting_id, unit__in=units)
        .select_related("unit", "upper_member")
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy buổi sinh hoạt.")
    return found


def upper_committee_member(*, unit: Unit, month: date, card: str) -> Member | None:
    """The committee member of the level above a cell (a member of a committee standing,
    in the month, under the cell's parent) with this card: the only members a cell names
    on its meeting's record, so the search tells nothing of the members outside."""
    version = UnitVersion.objects.as_of(month).filter(unit=unit).first()
    parent = (
        UnitVersion.objects.as_of(month).filter(unit_id=version.parent_id).first()
        if version is not None and version.parent_id
        else None
    )
    if parent is None:
        return None
    return Member.objects.filter(
        active_on(month, "memberships__"),
        active_on(month, "memberships__unit__versions__"),
        card_number=card,
        is_committee_member=True,
        memberships__unit__versions__path__startswith=parent.path,
    ).first()


def regime(month: date) -> str:
    return rule_for(month).title


def recordable_unit_or_404(*, user: User, code: str) -> Unit:
    """A unit whose meetings the user records today (404 otherwise)."""
    unit = scope_for(user).writable_units(RECORD).filter(code=code).first()
    if unit is None:
        raise Http404("Không tìm thấy chi bộ.")
    return unit


def top_unit_or_404(*, user: User) -> Unit:
    """The highest unit the user's meeting pages reach (the grid opens on it)."""
    unit = scope_for(user).units(VIEW).order_by("versions__path").first()
    if unit is None:
        raise Http404("Không có đơn vị nào trong phạm vi của bạn.")
    return unit


# -- names, not codes: what a person reads ------------------------------------------------------
def unit_heading(unit: Unit, day: date) -> str:
    """ "Chi bộ Thôn 1 — Đảng bộ xã Cư Jút": the unit's name and its parent's on the day
    (cell names repeat after a merger; the parent's name tells them apart)."""
    versions = UnitVersion.objects.filter(unit=unit)
    version = versions.as_of(day).first() or versions.order_by("-valid_from").first()
    if version is None:
        return unit.code
    return labels([version], day, context=1)[unit.pk]


@dataclass(frozen=True)
class UnitChoice:
    code: str
    label: str


def cell_choices(*, user: User, year: int) -> list[UnitChoice] | None:
    """A cell secretary's cells standing in the year, by name: the grids she opens (no
    code to type). None for a user who reaches a committee: staff pick a unit by name."""
    scope = scope_for(user)
    standing = (
        UnitVersion.objects.in_year(year)
        .filter(unit__in=scope.units(VIEW))
        .select_related("unit")
        .order_by("path", "-valid_from")
    )
    if standing.exclude(kind__in=CELL_KINDS).exists():
        return None
    latest: dict[int, UnitVersion] = {}
    for v in standing:
        latest.setdefault(v.unit_id, v)
    named = labels(latest.values(), min(date(year, 12, 31), timezone.localdate()))
    return [UnitChoice(v.unit.code, named[v.unit_id]) for v in latest.values()]


@dataclass(frozen=True)
class RecordableCell:
    unit: Unit
    label: str
    meeting: Meeting | None  # this month's regular meeting, if planned or recorded


def recordable_cells(*, user: User, month: date, limit: int = 6) -> list[RecordableCell]:
    """The cells whose meetings the user records today (a secretary's own), with this
    month's regular meeting: one tap to record it. None for staff reaching many cells."""
    units = list(
        scope_for(user)
        .writable_units(RECORD)
        .filter(versions__in=UnitVersion.objects.as_of(month).cells())
        .distinct()[: limit + 1]
    )
    if not units or len(units) > limit:
        return []
    versions = list(UnitVersion.objects.as_of(month).filter(unit__in=units))
    named = labels(versions, month)
    held = {
        m.unit_id: m
        for m in Meeting.objects.filter(unit__in=units, month=month, kind=MeetingKind.REGULAR)
    }
    return [
        RecordableCell(v.unit, named[v.unit_id], held.get(v.unit_id))
        for v in sorted(versions, key=lambda v: v.name_sort)
    ]


def upper_committee_choices(*, unit: Unit, month: date) -> list[tuple[str, str]]:
    """(card number, "name — cell") of the committee members of the level above a cell in
    the month: whom the secretary picks as the visiting committee member."""
    version = UnitVersion.objects.as_of(month).filter(unit=unit).first()
    parent = (
        UnitVersion.objects.as_of(month).filter(unit_id=version.parent_id).first()
        if version is not None and version.parent_id
        else None
    )
    if parent is None:
        return []
    members = (
        Member.objects.filter(
            active_on(month, "memberships__"),
            active_on(month, "memberships__unit__versions__"),
            is_committee_member=True,
            memberships__unit__versions__path__startswith=parent.path,
        )
        .annotate(cell=F("memberships__unit__versions__name"))
        .order_by("name_sort")[:300]
    )
    seen: dict[str, str] = {}
    for m in members:
        seen.setdefault(m.card_number, f"{m.full_name} — {m.cell}")
    return list(seen.items())
