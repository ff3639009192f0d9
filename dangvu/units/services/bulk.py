"""Bulk writes of the tree: many units' whole histories at once (the exchange workbook's
DonVi and LichSuDonVi sheets, the demo's tree) and successions. The rules are the same as
the single-record services' (`dangvu.units.services`); a row's problems come back as
`RowProblem`s worded by the constants below, for the caller to show against its rows.

Rows are written set-based (`core.bulk`), and the audit entries with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from dangvu.accounts.models import User
from dangvu.core.audit import log_bulk
from dangvu.core.bulk import insert_objects
from dangvu.core.effective import END_OF_TIME
from dangvu.lib.dates import format_date
from dangvu.members.models import Membership
from dangvu.units.models import CELL_KINDS, Unit, UnitKind, UnitSuccession, UnitVersion
from dangvu.units.services.paths import rebuild_paths

# Row messages (shown after the sheet, row and column of the row that has the problem).
ROW_ROOT_NEEDS_KIND = "chỉ đảng bộ tỉnh mới không có cấp trên"
ROW_UNKNOWN_UNIT = "không có đơn vị mã {code}"
ROW_UNKNOWN_IN_SHEET = "không có đơn vị mã {code} trong DonVi"
ROW_OWN_PARENT = "đơn vị không thể trực thuộc chính nó"
ROW_DISSOLVED_FIRST = "ngày giải thể phải sau ngày thành lập"
ROW_PERIOD_ORDER = "đến ngày phải sau từ ngày"
ROW_PERIOD_GAP = "giai đoạn phải nối tiếp giai đoạn trước (kết thúc {end})"
ROW_FOUNDED_AFTER_CHANGE = "ngày thành lập phải trước {day} (đơn vị có thay đổi từ ngày đó)"
ROW_DISSOLVED_BEFORE_CHANGE = "ngày giải thể phải sau {day} (đơn vị có thay đổi từ ngày đó)"
ROW_STRANDED_MEMBERS = (
    "{count} đảng viên sinh hoạt tại {code} vào thời gian đơn vị không phải chi bộ "
    "đang hoạt động (số thẻ {card} từ {start}); sửa lại ngày, loại đơn vị "
    "hoặc ghi các đảng viên này vào trang DangVien"
)
ROW_PATH = "{code}: {reason}"
ROW_OUTSIDE_REACH = "đơn vị ngoài phạm vi quản lý của bạn"
ROW_HISTORY_MISMATCH = "không khớp với giai đoạn cuối trong trang LichSuDonVi"
ROW_HISTORY_ALONE = "trang LichSuDonVi cần đi kèm trang DonVi"


class Period(NamedTuple):
    """One period of a unit's history: its name, kind and parent (by code) from..to."""

    valid_from: date
    valid_to: date
    name: str
    kind: str
    parent_code: str  # "" for a root


@dataclass(frozen=True)
class RowProblem:
    """A refused row: `key` is the unit code (or the card) the caller's row carries."""

    key: str
    field: str
    message: str


@dataclass(frozen=True)
class UnitRow:
    """A unit as a bulk write states it (today's name, kind and parent)."""

    code: str
    name: str
    kind: str
    parent_code: str
    founded_on: date | None = None
    dissolved_on: date | None = None


def check_unit_row(row: UnitRow, *, known: set[str]) -> list[RowProblem]:
    """The rules every stated unit keeps, whatever writes it: the one row validator."""
    problems: list[RowProblem] = []
    if not row.parent_code and row.kind != UnitKind.PROVINCE:
        problems.append(RowProblem(row.code, "parent_code", ROW_ROOT_NEEDS_KIND))
    elif row.parent_code and row.parent_code not in known:
        message = ROW_UNKNOWN_UNIT.format(code=row.parent_code)
        problems.append(RowProblem(row.code, "parent_code", message))
    elif row.parent_code == row.code:
        problems.append(RowProblem(row.code, "parent_code", ROW_OWN_PARENT))
    if row.founded_on and row.dissolved_on and row.dissolved_on <= row.founded_on:
        problems.append(RowProblem(row.code, "dissolved_on", ROW_DISSOLVED_FIRST))
    return problems


def check_period_order(start: date, end: date, key: str) -> list[RowProblem]:
    return [] if start < end else [RowProblem(key, "valid_to", ROW_PERIOD_ORDER)]


@dataclass(frozen=True)
class UnitHistory:
    """The whole history a bulk write gives one unit (periods in order, back to back)."""

    code: str
    periods: Sequence[Period]
    founded_given: bool = True  # which cell a problem with the first period points at


@dataclass
class UnitsWritten:
    created: list[Unit] = field(default_factory=list)
    updated: list[Unit] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    by_code: dict[str, Unit] = field(default_factory=dict)


def _period_problem(history: UnitHistory) -> RowProblem | None:
    """A founding or dissolution day beyond the unit's recorded periods."""
    first, last = history.periods[0], history.periods[-1]
    if all(p.valid_from < p.valid_to for p in history.periods):
        return None
    if first.valid_from >= first.valid_to and history.founded_given:
        day = format_date(first.valid_to)
        return RowProblem(history.code, "founded_on", ROW_FOUNDED_AFTER_CHANGE.format(day=day))
    day = format_date(last.valid_from)
    return RowProblem(history.code, "dissolved_on", ROW_DISSOLVED_BEFORE_CHANGE.format(day=day))


def units_write(
    *,
    histories: Sequence[UnitHistory],
    existing: dict[str, Unit],
    cards_listed: Set[str] = frozenset(),
    actor: User | None = None,
    note: str = "import",
) -> UnitsWritten:
    """Found the units not in `existing` and replace the history of the others, then
    rebuild the tree's paths. Members not in `cards_listed` must still sit in cells.
    Nothing is rolled back here: the caller's transaction is, when problems come back."""
    out = UnitsWritten()
    accepted = []
    for history in histories:
        problem = _period_problem(history)
        if problem is not None:
            out.problems.append(problem)
        else:
            accepted.append(history)
    out.created = [
        Unit(code=h.code, founded_on=h.periods[0].valid_from, dissolved_on=h.periods[-1].valid_to)
        for h in accepted
        if h.code not in existing
    ]
    insert_objects(Unit, out.created)
    out.by_code = {**existing, **{u.code: u for u in out.created}}
    out.updated = _update_units(accepted, existing)
    _replace_versions(accepted, out.by_code)
    if accepted:
        out.problems += _tree_problems(accepted, out.by_code, cards_listed)
    log_bulk(Unit, [(u, None) for u in out.created], actor=actor, created=True, note=note)
    changes = [
        (u, {"versions": ["(trước khi nhập)", f"{len(h.periods)} giai đoạn"]})
        for u, h in zip(out.updated, [h for h in accepted if h.code in existing], strict=True)
    ]
    log_bulk(Unit, changes, actor=actor, created=False, note=note)
    return out


def _update_units(histories: Sequence[UnitHistory], existing: dict[str, Unit]) -> list[Unit]:
    updated = []
    for history in histories:
        unit = existing.get(history.code)
        if unit is None:
            continue
        span = (history.periods[0].valid_from, history.periods[-1].valid_to)
        if (unit.founded_on, unit.dissolved_on) != span:
            unit.founded_on, unit.dissolved_on = span
            unit.save(update_fields=["founded_on", "dissolved_on"])
        updated.append(unit)
    return updated


def _replace_versions(histories: Sequence[UnitHistory], by_code: dict[str, Unit]) -> None:
    unit_ids = [by_code[h.code].pk for h in histories]
    for start in range(0, len(unit_ids), 900):
        UnitVersion.objects.filter(unit_id__in=unit_ids[start : start + 900]).delete()
    insert_objects(
        UnitVersion,
        [
            UnitVersion(
                unit_id=by_code[h.code].pk,
                name=p.name,
                kind=p.kind,
                parent_id=by_code[p.parent_code].pk if p.parent_code in by_code else None,
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                path="",
                depth=0,
            ).fill_derived()
            for h in histories
            for p in h.periods
        ],
    )


def _tree_problems(
    histories: Sequence[UnitHistory], by_code: dict[str, Unit], cards_listed: Set[str]
) -> list[RowProblem]:
    codes = {u.pk: c for c, u in by_code.items()}
    unit_ids = {by_code[h.code].pk for h in histories}
    problems = [
        RowProblem(
            codes.get(p.unit_id, "?"),
            "parent_code",
            ROW_PATH.format(code=codes.get(p.unit_id, "?"), reason=p.reason),
        )
        for p in rebuild_paths(unit_ids)
    ]
    return problems + _stranded_members(unit_ids, codes, cards_listed)


def _cell_spans(unit_ids: Iterable[int] | None) -> dict[int, list[tuple[date, date]]]:
    """When each unit was a cell (back-to-back cell versions joined)."""
    qs = UnitVersion.objects.filter(kind__in=CELL_KINDS)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    spans: dict[int, list[tuple[date, date]]] = {}
    for unit_id, start, end in qs.order_by("unit_id", "valid_from").values_list(
        "unit_id", "valid_from", "valid_to"
    ):
        own = spans.setdefault(unit_id, [])
        if own and own[-1][1] == start:
            own[-1] = (own[-1][0], end)
        else:
            own.append((start, end))
    return spans


class CellSpans:
    """When each unit was a cell, to check that memberships sit in cells."""

    def __init__(self, unit_ids: Iterable[int] | None = None) -> None:
        self.spans = _cell_spans(unit_ids)

    def covers(self, unit_id: int, start: date, end: date) -> bool:
        return any(s <= start and end <= e for s, e in self.spans.get(unit_id, []))


def _stranded_members(
    unit_ids: set[int], codes: dict[int, str], cards_listed: Set[str]
) -> list[RowProblem]:
    """Members not written with the units must still sit in cells after their units
    change (the members written with them are checked when they are written)."""
    cells = CellSpans(unit_ids)
    stranded: dict[int, list[tuple[str, date]]] = {}
    for unit_id, card, start, end in (
        Membership.objects.filter(unit_id__in=unit_ids)
        .order_by("valid_from", "member__card_number")
        .values_list("unit_id", "member__card_number", "valid_from", "valid_to")
    ):
        if card not in cards_listed and not cells.covers(unit_id, start, end):
            stranded.setdefault(unit_id, []).append((card, start))
    return [
        RowProblem(
            codes[unit_id],
            "code",
            ROW_STRANDED_MEMBERS.format(
                count=len(items),
                code=codes[unit_id],
                card=items[0][0],
                start=format_date(items[0][1]),
            ),
        )
        for unit_id, items in stranded.items()
    ]


# -- successions ------------------------------------------------------------------------
class Succession(NamedTuple):
    predecessor: Unit
    successor: Unit
    effective_on: date


@dataclass
class SuccessionsWritten:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def successions_write(
    *, successions: Sequence[Succession], actor: User | None = None, note: str = "import"
) -> SuccessionsWritten:
    """Record who took over from whom (a changed day is corrected in place)."""
    out = SuccessionsWritten()
    existing = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    created, changed = [], []
    for item in successions:
        found = existing.get((item.predecessor.pk, item.successor.pk))
        if found is None:
            created.append(UnitSuccession(**item._asdict()))
        elif found.effective_on != item.effective_on:
            before = found.effective_on
            found.effective_on = item.effective_on
            changed.append((found, {"effective_on": [str(before), str(item.effective_on)]}))
        else:
            out.unchanged += 1
    UnitSuccession.objects.bulk_create(created)
    UnitSuccession.objects.bulk_update([s for s, _ in changed], ["effective_on"])
    out.created, out.updated = len(created), len(changed)
    log_bulk(UnitSuccession, [(s, None) for s in created], actor=actor, created=True, note=note)
    log_bulk(UnitSuccession, changed, actor=actor, created=False, note=note)
    return out


def units_found(
    *,
    units: Sequence[UnitRow],
    founded_on: date,
    actor: User | None = None,
    note: str | None = None,
) -> dict[str, Unit]:
    """Found many units on one day (parents listed before their children): the demo's
    tree. The same row rules as every write; a problem is a bug in the caller's plan.
    Audited when a `note` is given (generated data is not)."""
    known: set[str] = set()
    for row in units:
        problems = check_unit_row(row, known=known)
        assert not problems, problems
        known.add(row.code)
    created = [Unit(code=row.code, founded_on=founded_on) for row in units]
    insert_objects(Unit, created)
    by_code = {u.code: u for u in created}
    paths: dict[str, str] = {}
    versions = []
    for row in units:
        unit = by_code[row.code]
        paths[row.code] = f"{paths[row.parent_code] if row.parent_code else '/'}{unit.pk}/"
        versions.append(
            UnitVersion(
                unit=unit,
                name=row.name,
                kind=row.kind,
                parent=by_code[row.parent_code] if row.parent_code else None,
                path=paths[row.code],
                depth=paths[row.code].count("/") - 2,
                valid_from=founded_on,
                valid_to=END_OF_TIME,
            ).fill_derived()
        )
    insert_objects(UnitVersion, versions)
    if note is not None:
        log_bulk(Unit, [(u, None) for u in created], actor=actor, created=True, note=note)
    return by_code
