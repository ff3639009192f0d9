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
from dangvu.exchange.audit import log_bulk
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.lib.dates import format_date
from dangvu.members.models import Membership
from dangvu.units.models import CELL_KINDS, Unit, UnitKind, UnitSuccession, UnitVersion
from dangvu.units.paths import rebuild_paths

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
Logical = tuple[date, date, str, str, str]  # from, to, name, kind, parent code


class _TreeImport:
    """What the tree sheets of one import share: the planned history of each unit code
    (LichSuDonVi), the units the importer writes today, and the parents units had."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.history: dict[str, list[Logical]] = {}
        self._parents: dict[str, set[str]] | None = None

    @cached_property
    def writable_codes(self) -> set[str]:
        """As the tree stood before this import wrote it."""
        return _writable_codes(self.ctx)

    @cached_property
    def parents_had(self) -> dict[str, set[str]]:
        had: dict[str, set[str]] = {}
        for code, parent in UnitVersion.objects.filter(parent__isnull=False).values_list(
            "unit__code", "parent__code"
        ):
            had.setdefault(code, set()).add(parent)
        return had


def _tree(ctx: ImportContext) -> _TreeImport:
    return ctx.state(_TreeImport)


def _planned_versions(ctx: ImportContext, row: wb.Row, unit: Unit | None) -> list[Logical] | None:
    """The versions the DonVi row (with its history rows, if any) asks for; None: unchanged."""
    history = _tree(ctx).history.get(row["code"])
    founded = row["founded_on"] or (unit.founded_on if unit is not None else BEGINNING)
    dissolved = row["dissolved_on"] or END_OF_TIME
    wanted = (row["name"], row["kind"], row["parent_code"] or "")
    if history:
        return history
    if unit is None:
        return [(founded, dissolved, *wanted)]
    codes = ctx.unit_codes_by_id
    current = [
        (
            v.valid_from,
            v.valid_to,
            v.name,
            v.kind,
            codes.get(v.parent_id, "") if v.parent_id else "",
        )
        for v in unit.versions.order_by("valid_from")
    ]
    merged: list[Logical] = []
    for item in current:
        if merged and merged[-1][1] == item[0] and merged[-1][2:] == item[2:]:
            merged[-1] = (merged[-1][0], item[1], *item[2:])
        else:
            merged.append(item)
    plan = list(merged)
    last = plan[-1]
    if last[2:] != wanted:
        if last[0] < ctx.day < last[1]:
            plan[-1] = (last[0], ctx.day, *last[2:])
            plan.append((ctx.day, last[1], *wanted))
        else:
            plan[-1] = (last[0], last[1], *wanted)
    plan[0] = (founded, *plan[0][1:])
    plan[-1] = (plan[-1][0], dissolved, *plan[-1][2:])
    return None if plan == merged else plan


def load_units(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = DON_VI
    result = wb.SheetResult()
    existing = dict(ctx.units_by_code)
    known = set(existing) | {r["code"] for r in rows}
    _collect_history(ctx, known)
    valid: list[wb.Row] = []
    for row in rows:
        ok = True
        if row["code"] in existing:
            unit = existing[row["code"]]
            row.keep_absent(unit, ("founded_on", "dissolved_on"))
            row.values["founded_on"] = (
                _blank_begin(row["founded_on"]) if row["founded_on"] else None
            )
            row.values["dissolved_on"] = (
                _blank_end(row["dissolved_on"]) if row["dissolved_on"] else None
            )
        if not row["parent_code"] and row["kind"] != UnitKind.PROVINCE:
            ctx.error(spec, row, "parent_code", "chỉ đảng bộ tỉnh mới không có cấp trên")
            ok = False
        elif row["parent_code"] and row["parent_code"] not in known:
            ctx.error(spec, row, "parent_code", f"không có đơn vị mã {row['parent_code']}")
            ok = False
        elif row["parent_code"] == row["code"]:
            ctx.error(spec, row, "parent_code", "đơn vị không thể trực thuộc chính nó")
            ok = False
        if row["founded_on"] and row["dissolved_on"] and row["dissolved_on"] <= row["founded_on"]:
            ctx.error(spec, row, "dissolved_on", "ngày giải thể phải sau ngày thành lập")
            ok = False
        if ctx.scope is not None and not _may_touch(ctx, row, existing):
            ctx.error(spec, row, "code", "đơn vị ngoài phạm vi quản lý của bạn")
            ok = False
        if ok and not _history_matches(ctx, row):
            ok = False
        if ok:
            valid.append(row)
    new_units = [
        Unit(
            code=r["code"],
            founded_on=r["founded_on"] or BEGINNING,
            dissolved_on=r["dissolved_on"] or END_OF_TIME,
        )
        for r in valid
        if r["code"] not in existing
    ]
    Unit.objects.bulk_create(new_units, batch_size=1000)
    created_codes = {u.code for u in new_units}
    by_code = {**existing, **{u.code: u for u in new_units}}
    plans: dict[int, list[Logical]] = {}
    changed_units: list[tuple[Unit, dict[str, list[Any]] | None]] = []
    for row in valid:
        unit = by_code[row["code"]]
        plan = _planned_versions(ctx, row, None if row["code"] in created_codes else unit)
        if plan is None:
            result.unchanged += 1
            continue
        if any(start >= end for start, end, *_ in plan):
            # A new founding or dissolution date beyond the unit's recorded periods.
            if plan[0][0] >= plan[0][1] and row["founded_on"]:
                reason = f"ngày thành lập phải trước {format_date(plan[0][1])}"
                ctx.error(spec, row, "founded_on", f"{reason} (đơn vị có thay đổi từ ngày đó)")
            else:
                reason = f"ngày giải thể phải sau {format_date(plan[-1][0])}"
                ctx.error(spec, row, "dissolved_on", f"{reason} (đơn vị có thay đổi từ ngày đó)")
            continue
        plans[unit.pk] = plan
        if row["code"] in created_codes:
            result.created += 1
        else:
            result.updated += 1
            founded, dissolved = plan[0][0], plan[-1][1]
            diff = {"versions": ["(trước khi nhập)", f"{len(plan)} giai đoạn"]}
            if (unit.founded_on, unit.dissolved_on) != (founded, dissolved):
                unit.founded_on, unit.dissolved_on = founded, dissolved
                unit.save(update_fields=["founded_on", "dissolved_on"])
            changed_units.append((unit, diff))
    if plans:
        UnitVersion.objects.filter(unit_id__in=list(plans)).delete()
        UnitVersion.objects.bulk_create(
            [
                UnitVersion(
                    unit_id=unit_id,
                    name=name,
                    kind=kind,
                    parent_id=by_code[parent].pk if parent in by_code else None,
                    valid_from=start,
                    valid_to=end,
                    path="",
                ).fill_derived()
                for unit_id, plan in plans.items()
                for start, end, name, kind, parent in plan
            ],
            batch_size=1000,
        )
        rows_by_code = {r["code"]: r for r in valid}
        codes = {u.pk: c for c, u in by_code.items()}
        for problem in rebuild_paths():
            code = codes.get(problem.unit_id, "?")
            ctx.error(spec, rows_by_code.get(code), "parent_code", f"{code}: {problem.reason}")
        _check_memberships(ctx, rows_by_code, codes, set(plans))
    log_bulk(Unit, [(u, None) for u in new_units], actor=ctx.actor, created=True, note="import")
    log_bulk(Unit, changed_units, actor=ctx.actor, created=False, note="import")
    ctx.units_written(by_code)
    return result


def _writable_codes(ctx: ImportContext) -> set[str]:
    """The units the importer writes today (the roles in force): every loader of the tree
    asks here."""
    ids = ctx.writable_unit_ids
    assert ids is not None
    return {code for pk, code in ctx.unit_codes_by_id.items() if pk in ids}


def _may_touch(ctx: ImportContext, row: wb.Row, existing: dict[str, Unit]) -> bool:
    assert ctx.scope is not None
    tree = _tree(ctx)
    reachable = tree.writable_codes
    # A parent outside the reach only where the unit already had it (as moves on the web).
    parents = {row["parent_code"], *(p[4] for p in tree.history.get(row["code"], []))}
    parents.discard("")
    if row["code"] in existing:
        had = tree.parents_had.get(row["code"], set())
        return row["code"] in reachable and parents <= reachable | had
    return bool(row["parent_code"]) and parents <= reachable


def _check_memberships(
    ctx: ImportContext, rows_by_code: dict[str, wb.Row], codes: dict[int, str], unit_ids: set[int]
) -> None:
    """Members the workbook does not list must still sit in cells after their units change
    (members listed in DangVien are checked against the new tree when that sheet loads)."""
    listed = {r["card_number"] for r in ctx.rows.get("DangVien", [])}
    spans: dict[int, list[tuple[date, date]]] = {}
    for unit_id, start, end in (
        UnitVersion.objects.filter(unit_id__in=unit_ids, kind__in=CELL_KINDS)
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "valid_from", "valid_to")
    ):
        own = spans.setdefault(unit_id, [])
        if own and own[-1][1] == start:
            own[-1] = (own[-1][0], end)
        else:
            own.append((start, end))
    stranded: dict[int, list[tuple[str, date]]] = {}
    for unit_id, card, start, end in (
        Membership.objects.filter(unit_id__in=unit_ids)
        .order_by("valid_from", "member__card_number")
        .values_list("unit_id", "member__card_number", "valid_from", "valid_to")
    ):
        if card not in listed and not any(
            s <= start and end <= e for s, e in spans.get(unit_id, [])
        ):
            stranded.setdefault(unit_id, []).append((card, start))
    for unit_id, items in stranded.items():
        code = codes[unit_id]
        card, start = items[0]
        ctx.error(
            DON_VI,
            rows_by_code.get(code),
            "code",
            f"{len(items)} đảng viên sinh hoạt tại {code} vào thời gian đơn vị không phải chi bộ "
            f"đang hoạt động (số thẻ {card} từ {format_date(start)}); sửa lại ngày, loại đơn vị "
            "hoặc ghi các đảng viên này vào trang DangVien",
        )


def _collect_history(ctx: ImportContext, known: set[str]) -> None:
    """Validate LichSuDonVi rows and group them by unit code into logical versions."""
    spec = UNIT_HISTORY
    grouped: dict[str, list[wb.Row]] = {}
    for row in ctx.rows.get(spec.name, []):
        ok = True
        if row["code"] not in known:
            ctx.error(spec, row, "code", f"không có đơn vị mã {row['code']} trong DonVi")
            ok = False
        if row["parent_code"] and row["parent_code"] not in known:
            ctx.error(spec, row, "parent_code", f"không có đơn vị mã {row['parent_code']}")
            ok = False
        start = row["valid_from"] or BEGINNING
        end = row["valid_to"] or END_OF_TIME
        if end <= start:
            ctx.error(spec, row, "valid_to", "đến ngày phải sau từ ngày")
            ok = False
        if ok:
            grouped.setdefault(row["code"], []).append(row)
    history: dict[str, list[Logical]] = {}
    for code, items in grouped.items():
        items.sort(key=lambda r: r["valid_from"] or BEGINNING)
        plan: list[Logical] = []
        for row in items:
            start = row["valid_from"] or BEGINNING
            if plan and plan[-1][1] != start:
                ctx.error(
                    spec,
                    row,
                    "valid_from",
                    f"giai đoạn phải nối tiếp giai đoạn trước (kết thúc {format_date(plan[-1][1])})",
                )
            plan.append(
                (
                    start,
                    row["valid_to"] or END_OF_TIME,
                    row["name"],
                    row["kind"],
                    row["parent_code"] or "",
                )
            )
        history[code] = plan
    _tree(ctx).history = history


def _history_matches(ctx: ImportContext, row: wb.Row) -> bool:
    plan = _tree(ctx).history.get(row["code"])
    if not plan:
        return True
    last = plan[-1]
    expected = (
        row["founded_on"] or BEGINNING,
        row["dissolved_on"] or END_OF_TIME,
        row["name"],
        row["kind"],
        row["parent_code"] or "",
    )
    if (plan[0][0], last[1], *last[2:]) != expected:
        ctx.error(DON_VI, row, "code", "không khớp với giai đoạn cuối trong trang LichSuDonVi")
        return False
    return True


def load_history(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Loaded together with DonVi (see load_units); here only the count is reported."""
    if rows and DON_VI.name not in ctx.rows:
        ctx.error(UNIT_HISTORY, None, "", "trang LichSuDonVi cần đi kèm trang DonVi")
    return wb.SheetResult(unchanged=len(rows))


def load_successions(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = SUCCESSIONS
    result = wb.SheetResult()
    by_code = ctx.units_by_code
    existing = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    reachable: set[str] | None = None
    if ctx.scope is not None:
        reachable = _writable_codes(ctx)
    for row in rows:
        predecessor = by_code.get(row["code"])
        successor = by_code.get(row["successor_code"])
        if predecessor is None:
            ctx.error(spec, row, "code", f"không có đơn vị mã {row['code']}")
        if successor is None:
            ctx.error(spec, row, "successor_code", f"không có đơn vị mã {row['successor_code']}")
        if predecessor is None or successor is None:
            continue
        if reachable is not None and not {row["code"], row["successor_code"]} <= reachable:
            ctx.error(spec, row, "code", "đơn vị ngoài phạm vi quản lý của bạn")
            continue
        found = existing.get((predecessor.pk, successor.pk))
        if found is None:
            UnitSuccession.objects.create(
                predecessor=predecessor, successor=successor, effective_on=row["effective_on"]
            )
            result.created += 1
        elif found.effective_on != row["effective_on"]:
            found.effective_on = row["effective_on"]
            found.save(update_fields=["effective_on"])
            result.updated += 1
        else:
            result.unchanged += 1
    return result


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
