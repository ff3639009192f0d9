"""Sheets of the exchange workbook for the tree: `DonVi` (shared format) and dangvu's own
`LichSuDonVi` (the effective-dated history) and `KeThuaDonVi` (successors), which make
export → import → export lossless. Without the history sheets a workbook states today's
tree: a changed name, kind or parent takes effect on the day of the import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import cached_property
from typing import Any

from dangvu.core.effective import BEGINNING, END_OF_TIME
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import CHUNK, ExportContext, ImportContext
from dangvu.lib.dates import format_date
from dangvu.units.models import Unit, UnitKind, UnitSuccession, UnitVersion
from dangvu.units.services.bulk import (
    ROW_HISTORY_ALONE,
    ROW_HISTORY_MISMATCH,
    ROW_OUTSIDE_REACH,
    ROW_PERIOD_GAP,
    ROW_UNKNOWN_IN_SHEET,
    ROW_UNKNOWN_UNIT,
    Period,
    RowProblem,
    Succession,
    UnitHistory,
    UnitRow,
    check_period_order,
    check_unit_row,
    successions_write,
    units_write,
)

KIND = wb.choice(UnitKind.choices)


def _blank_begin(day: date) -> date | None:
    return None if day == BEGINNING else day


def _blank_end(day: date) -> date | None:
    return None if day >= END_OF_TIME else day


def _logical_versions(
    versions: Sequence[UnitVersion],
) -> list[tuple[date, date, str, str, int | None]]:
    """Versions with path-only splits merged: (from, to, name, kind, parent_id)."""
    out: list[tuple[date, date, str, str, int | None]] = []
    for v in versions:
        if out and out[-1][1] == v.valid_from and out[-1][2:] == (v.name, v.kind, v.parent_id):
            out[-1] = (out[-1][0], v.valid_to, *out[-1][2:])
        else:
            out.append((v.valid_from, v.valid_to, v.name, v.kind, v.parent_id))
    return out


class _TreeExport:
    """What the tree sheets of one export share: the exported units' versions."""

    def __init__(self, ctx: ExportContext) -> None:
        self.versions: dict[int, list[UnitVersion]] = {}
        qs = UnitVersion.objects.order_by("unit_id", "valid_from").only(
            "unit_id", "name", "kind", "parent_id", "valid_from", "valid_to"
        )
        for version in qs:
            if ctx.unit_ids is None or version.unit_id in ctx.unit_ids:
                self.versions.setdefault(version.unit_id, []).append(version)


def _versions_by_unit(ctx: ExportContext) -> dict[int, list[UnitVersion]]:
    return ctx.state(_TreeExport).versions


def _codes(ctx: ExportContext) -> dict[int, str]:
    return ctx.unit_codes_by_id


# -- DonVi ------------------------------------------------------------------------------
def dump_units(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    codes = _codes(ctx)
    versions = _versions_by_unit(ctx)
    labels = dict(UnitKind.choices)
    units = Unit.objects.order_by("code")
    for unit in units:
        if unit.pk not in versions:
            continue
        last = versions[unit.pk][-1]
        yield (
            unit.code,
            last.name,
            labels[last.kind],
            codes.get(last.parent_id, "") if last.parent_id else "",
            _blank_begin(unit.founded_on),
            _blank_end(unit.dissolved_on),
        )


def dump_history(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    codes = _codes(ctx)
    labels = dict(UnitKind.choices)
    for unit_id, versions in sorted(_versions_by_unit(ctx).items(), key=lambda kv: codes[kv[0]]):
        logical = _logical_versions(versions)
        if len(logical) < 2:
            continue
        for start, end, name, kind, parent_id in logical:
            yield (
                codes[unit_id],
                _blank_begin(start),
                _blank_end(end),
                name,
                labels[kind],
                codes.get(parent_id, "") if parent_id else "",
            )


def dump_successions(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    codes = _codes(ctx)
    qs = UnitSuccession.objects.order_by("predecessor__code", "successor__code")
    for s in qs:
        if ctx.unit_ids is not None and s.predecessor_id not in ctx.unit_ids:
            continue
        yield (codes[s.predecessor_id], codes[s.successor_id], s.effective_on)


# -- loading ----------------------------------------------------------------------------
class _TreeImport:
    """What the tree sheets of one import share: the planned history of each unit code
    (LichSuDonVi), the units the importer writes today, and the parents units had."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.history: dict[str, list[Period]] = {}

    @cached_property
    def writable_codes(self) -> set[str]:
        """The units the importer writes today (the roles in force), as the tree stood
        before this import wrote it: every loader of the tree asks here."""
        return _writable_codes(self.ctx)

    @cached_property
    def parents_had(self) -> dict[str, set[str]]:
        """The parents each unit the workbook names ever had, by code."""
        had: dict[str, set[str]] = {}
        codes = self.ctx.unit_codes_by_id
        ids = sorted(codes)
        for start in range(0, len(ids), CHUNK):
            for unit_id, parent_id in UnitVersion.objects.filter(
                unit_id__in=ids[start : start + CHUNK], parent__isnull=False
            ).values_list("unit_id", "parent_id"):
                had.setdefault(codes[unit_id], set()).add(codes.get(parent_id, ""))
        return had


def _tree(ctx: ImportContext) -> _TreeImport:
    return ctx.state(_TreeImport)


def _merged(periods: Iterable[Period]) -> list[Period]:
    """Periods with path-only splits joined (the same name, kind and parent back to back)."""
    out: list[Period] = []
    for period in periods:
        if out and out[-1].valid_to == period.valid_from and out[-1][2:] == period[2:]:
            out[-1] = out[-1]._replace(valid_to=period.valid_to)
        else:
            out.append(period)
    return out


def _recorded(ctx: ImportContext, unit: Unit) -> list[Period]:
    codes = ctx.unit_codes_by_id
    return _merged(
        Period(v.valid_from, v.valid_to, v.name, v.kind, codes.get(v.parent_id or 0, ""))
        for v in unit.versions.order_by("valid_from")
    )


def _planned_versions(ctx: ImportContext, row: wb.Row, unit: Unit | None) -> list[Period] | None:
    """The versions the DonVi row (with its history rows, if any) asks for; None: unchanged.
    Without history a changed name, kind or parent takes effect on the day of the import."""
    history = _tree(ctx).history.get(row["code"])
    if history:
        return history
    founded = row["founded_on"] or (unit.founded_on if unit is not None else BEGINNING)
    wanted = Period(founded, row["dissolved_on"] or END_OF_TIME, *_stated(row)[2:])
    if unit is None:
        return [wanted]
    recorded = _recorded(ctx, unit)
    plan = list(recorded)
    last = plan[-1]
    if last[2:] != wanted[2:]:
        if last.valid_from < ctx.day < last.valid_to:
            plan[-1:] = [last._replace(valid_to=ctx.day), wanted._replace(valid_from=ctx.day)]
        else:
            plan[-1] = wanted._replace(valid_from=last.valid_from, valid_to=last.valid_to)
    plan[0] = plan[0]._replace(valid_from=founded)
    plan[-1] = plan[-1]._replace(valid_to=wanted.valid_to)
    return None if plan == recorded else plan


def _stated(row: wb.Row) -> Period:
    """The last period a DonVi row states (the unit's whole span, today's name)."""
    return Period(
        row["founded_on"] or BEGINNING,
        row["dissolved_on"] or END_OF_TIME,
        row["name"],
        row["kind"],
        row["parent_code"] or "",
    )


def _report(
    ctx: ImportContext, spec: wb.SheetSpec, rows: dict[str, wb.Row], problems: Iterable[RowProblem]
) -> None:
    for problem in problems:
        ctx.error(spec, rows.get(problem.key), problem.field, problem.message)


def _unit_row(row: wb.Row) -> UnitRow:
    return UnitRow(
        row["code"],
        row["name"],
        row["kind"],
        row["parent_code"] or "",
        row["founded_on"],
        row["dissolved_on"],
    )


def _accepted(ctx: ImportContext, row: wb.Row, existing: dict[str, Unit], known: set[str]) -> bool:
    """Check a DonVi row (the service's row rules, the reach, the history sheet)."""
    if row["code"] in existing:
        row.keep_absent(existing[row["code"]], ("founded_on", "dissolved_on"))
        begun, ended = row["founded_on"], row["dissolved_on"]
        row.values["founded_on"] = _blank_begin(begun) if begun else None
        row.values["dissolved_on"] = _blank_end(ended) if ended else None
    problems = check_unit_row(_unit_row(row), known=known)
    _report(ctx, DON_VI, {row["code"]: row}, problems)
    if ctx.scope is not None and not _may_touch(ctx, row, existing):
        ctx.error(DON_VI, row, "code", ROW_OUTSIDE_REACH)
        return False
    return not problems and _history_matches(ctx, row)


def load_units(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    existing = dict(ctx.units_by_code)
    known = set(existing) | {r["code"] for r in rows}
    _collect_history(ctx, known)
    valid = {r["code"]: r for r in rows if _accepted(ctx, r, existing, known)}
    histories = []
    unchanged = 0
    for code, row in valid.items():
        plan = _planned_versions(ctx, row, existing.get(code))
        if plan is None:
            unchanged += 1
        else:
            histories.append(UnitHistory(code, plan, founded_given=bool(row["founded_on"])))
    listed = {r["card_number"] for r in ctx.rows.get("DangVien", [])}
    written = units_write(
        histories=histories, existing=existing, cards_listed=listed, actor=ctx.actor
    )
    _report(ctx, DON_VI, valid, written.problems)
    ctx.units_written(written.by_code)
    return wb.SheetResult(
        created=len(written.created), updated=len(written.updated), unchanged=unchanged
    )


def _writable_codes(ctx: ImportContext) -> set[str]:
    """The codes of the units the importer writes today (the roles in force)."""
    return {code for code, pk in ctx.unit_ids_by_code.items() if ctx.writes(pk)}


def _may_touch(ctx: ImportContext, row: wb.Row, existing: dict[str, Unit]) -> bool:
    tree = _tree(ctx)
    reachable = tree.writable_codes
    # A parent outside the reach only where the unit already had it (as moves on the web).
    parents = {row["parent_code"], *(p.parent_code for p in tree.history.get(row["code"], []))}
    parents.discard("")
    if row["code"] in existing:
        had = tree.parents_had.get(row["code"], set())
        return row["code"] in reachable and parents <= reachable | had
    return bool(row["parent_code"]) and parents <= reachable


def _history_row(ctx: ImportContext, row: wb.Row, known: set[str]) -> Period | None:
    """A LichSuDonVi row as a period, or None (its problems reported)."""
    code, parent = row["code"], row["parent_code"] or ""
    period = Period(
        row["valid_from"] or BEGINNING,
        row["valid_to"] or END_OF_TIME,
        row["name"],
        row["kind"],
        parent,
    )
    problems = []
    if code not in known:
        problems.append(RowProblem(code, "code", ROW_UNKNOWN_IN_SHEET.format(code=code)))
    if parent and parent not in known:
        problems.append(RowProblem(code, "parent_code", ROW_UNKNOWN_UNIT.format(code=parent)))
    problems += check_period_order(period.valid_from, period.valid_to, code)
    _report(ctx, UNIT_HISTORY, {code: row}, problems)
    return None if problems else period


def _collect_history(ctx: ImportContext, known: set[str]) -> None:
    """Validate LichSuDonVi rows and group them by unit code into back-to-back periods."""
    grouped: dict[str, list[tuple[wb.Row, Period]]] = {}
    for row in ctx.rows.get(UNIT_HISTORY.name, []):
        period = _history_row(ctx, row, known)
        if period is not None:
            grouped.setdefault(row["code"], []).append((row, period))
    history: dict[str, list[Period]] = {}
    for code, items in grouped.items():
        items.sort(key=lambda item: item[1].valid_from)
        plan: list[Period] = []
        for row, period in items:
            if plan and plan[-1].valid_to != period.valid_from:
                gap = ROW_PERIOD_GAP.format(end=format_date(plan[-1].valid_to))
                ctx.error(UNIT_HISTORY, row, "valid_from", gap)
            plan.append(period)
        history[code] = plan
    _tree(ctx).history = history


def _history_matches(ctx: ImportContext, row: wb.Row) -> bool:
    plan = _tree(ctx).history.get(row["code"])
    if not plan:
        return True
    if plan[-1]._replace(valid_from=plan[0].valid_from) != _stated(row):
        ctx.error(DON_VI, row, "code", ROW_HISTORY_MISMATCH)
        return False
    return True


def load_history(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Loaded together with DonVi (see load_units); here only the count is reported."""
    if rows and DON_VI.name not in ctx.rows:
        ctx.error(UNIT_HISTORY, None, "", ROW_HISTORY_ALONE)
    return wb.SheetResult(unchanged=len(rows))


def _succession(ctx: ImportContext, row: wb.Row) -> Succession | None:
    by_code = ctx.units_by_code
    predecessor = by_code.get(row["code"])
    successor = by_code.get(row["successor_code"])
    if predecessor is None:
        ctx.error(SUCCESSIONS, row, "code", ROW_UNKNOWN_UNIT.format(code=row["code"]))
    if successor is None:
        message = ROW_UNKNOWN_UNIT.format(code=row["successor_code"])
        ctx.error(SUCCESSIONS, row, "successor_code", message)
    if predecessor is None or successor is None:
        return None
    if not (ctx.writes(predecessor.pk) and ctx.writes(successor.pk)):
        ctx.error(SUCCESSIONS, row, "code", ROW_OUTSIDE_REACH)
        return None
    return Succession(predecessor, successor, row["effective_on"])


def load_successions(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    successions = [s for s in (_succession(ctx, row) for row in rows) if s is not None]
    written = successions_write(successions=successions, actor=ctx.actor)
    return wb.SheetResult(
        created=written.created, updated=written.updated, unchanged=written.unchanged
    )


DON_VI = wb.registry.register(
    wb.SheetSpec(
        name="DonVi",
        title="Đơn vị (tổ chức đảng)",
        order=10,
        columns=(
            wb.Column(
                "Mã đơn vị",
                "code",
                wb.code,
                required=True,
                key=True,
                example="DN.CUJUT.EATLING.TDP1",
            ),
            wb.Column(
                "Tên đơn vị",
                "name",
                wb.text,
                required=True,
                example="Chi bộ Tổ dân phố 1",
                width=40,
            ),
            wb.Column(
                "Loại đơn vị", "kind", KIND, required=True, example="Chi bộ trực thuộc", width=22
            ),
            wb.Column("Mã đơn vị cấp trên", "parent_code", wb.code, example="DN.CUJUT.EATLING"),
            wb.Column("Ngày thành lập", "founded_on", wb.date, example="05/07/2018", width=14),
            wb.Column(
                "Ngày giải thể",
                "dissolved_on",
                wb.date,
                width=14,
                note="Ngày đơn vị thôi hoạt động (sáp nhập, giải thể)",
            ),
        ),
        load=load_units,
        dump=dump_units,
    )
)

UNIT_HISTORY = wb.registry.register(
    wb.SheetSpec(
        name="LichSuDonVi",
        title="Lịch sử đơn vị (các giai đoạn tên, loại, cấp trên)",
        order=11,
        after=("DonVi",),
        extension=True,
        columns=(
            wb.Column("Mã đơn vị", "code", wb.code, required=True, key=True),
            wb.Column("Từ ngày", "valid_from", wb.date, key=True, width=14),
            wb.Column("Đến ngày", "valid_to", wb.date, width=14, note="Để trống nếu còn hiệu lực"),
            wb.Column("Tên đơn vị", "name", wb.text, required=True, width=40),
            wb.Column("Loại đơn vị", "kind", KIND, required=True, width=22),
            wb.Column("Mã đơn vị cấp trên", "parent_code", wb.code),
        ),
        load=load_history,
        dump=dump_history,
    )
)

SUCCESSIONS = wb.registry.register(
    wb.SheetSpec(
        name="KeThuaDonVi",
        title="Đơn vị kế thừa (sau sáp nhập, chia tách, giải thể)",
        order=12,
        after=("DonVi",),
        extension=True,
        columns=(
            wb.Column("Mã đơn vị", "code", wb.code, required=True, key=True),
            wb.Column("Mã đơn vị kế thừa", "successor_code", wb.code, required=True, key=True),
            wb.Column("Ngày hiệu lực", "effective_on", wb.date, required=True, width=14),
        ),
        load=load_successions,
        dump=dump_successions,
    )
)
