"""Sheet `SoLieu` of the exchange workbook: entered aggregate values (historical values of
computed indicators, or indicators the system keeps no record of)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from dangvu.accounts.permissions import Capability
from dangvu.core.errors import DomainError
from dangvu.exchange import workbook as wb
from dangvu.exchange.audit import log_bulk
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import EnteredValue, Indicator
from dangvu.indicators.services import (
    check_entry,
    check_value,
    entering_departments,
    may_enter,
    not_yours,
    period_fits,
    split_code,
)
from dangvu.lib.periods import parse_period


def period(value: Any) -> str:
    raw = wb.text(value)
    if not raw:
        return ""
    try:
        return parse_period(raw).label
    except ValueError as error:
        raise wb.CellError(str(error)) from error


def dump_values(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    """Every entered value in the export's subtree; a value of a sensitive indicator (about
    persons: disclosure.py) only where the exporter reaches its records — an entered figure
    is exported as typed, with no suppression, so it goes to those who may read it whole."""
    qs = EnteredValue.objects.select_related("indicator", "unit").order_by(
        "indicator__code", "key", "unit__code", "period"
    )
    entries = [e for e in qs if ctx.unit_ids is None or e.unit_id in ctx.unit_ids]
    viewer = Viewer(ctx.scope)
    reached = {
        cap: viewer.reaches(cap, {e.unit_id for e in entries if e.indicator.sensitive == cap})
        for cap in {e.indicator.sensitive for e in entries if e.indicator.sensitive}
    }
    for entry in entries:
        if entry.indicator.sensitive and entry.unit_id not in reached[entry.indicator.sensitive]:
            continue
        code = entry.indicator.code + (f"[{entry.key}]" if entry.key else "")
        value = float(entry.value)
        yield (
            code,
            entry.unit.code,
            entry.period,
            int(value) if value.is_integer() else value,
            entry.note,
        )


def load_values(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = SO_LIEU
    result = wb.SheetResult()
    indicators = {i.code: i for i in Indicator.objects.all()}
    units = ctx.units_by_code
    reachable: set[int] | None = None
    if ctx.scope is not None:
        reachable = set(ctx.scope.units(Capability.EXCHANGE).values_list("pk", flat=True))
    existing = {(e.indicator_id, e.key, e.unit_id, e.period): e for e in EnteredValue.objects.all()}
    created, changed = [], []
    allowed: dict[tuple[frozenset[str], int], bool] = {}
    seen: dict[tuple[int, str, int, str], int] = {}  # ORG.MEMBERS and org.members are one key
    for row in rows:
        try:
            code, key = split_code(row["code"])
        except DomainError as error:
            ctx.error(spec, row, "code", error.message)
            continue
        indicator = indicators.get(code)
        if indicator is None:
            ctx.error(spec, row, "code", f"không có chỉ tiêu mã {code}")
            continue
        unit = units.get(row["unit_code"])
        if unit is None:
            ctx.error(spec, row, "unit_code", f"không có đơn vị mã {row['unit_code']}")
            continue
        if reachable is not None and unit.pk not in reachable:
            ctx.error(spec, row, "unit_code", "đơn vị ngoài phạm vi quản lý của bạn")
            continue
        # The indicator's own department (or the leadership), as on the entry grid.
        owner = (entering_departments(indicator), unit.pk)
        if owner not in allowed:
            allowed[owner] = may_enter(ctx.scope, indicator, unit)
        if not allowed[owner]:
            ctx.error(spec, row, "code", not_yours(indicator, unit))
            continue
        when = parse_period(row["period"])
        try:
            check_entry(indicator, key, when)
        except DomainError as error:
            column = "code" if period_fits(indicator, when) else "period"
            ctx.error(spec, row, column, error.message)
            continue
        if row["value"] < 0:
            ctx.error(spec, row, "value", "giá trị không được âm")
            continue
        try:
            value = check_value(Decimal(str(row["value"]))).quantize(Decimal("0.01"))
        except DomainError as error:
            ctx.error(spec, row, "value", error.message)
            continue
        identity = (indicator.pk, key, unit.pk, when.label)
        if identity in seen:
            ctx.error(spec, row, "code", f"trùng khóa với dòng {seen[identity]}")
            continue
        seen[identity] = row.number
        note = row["note"] or ""
        found = existing.get(identity)
        if found is None:
            entry = EnteredValue.objects.create(
                indicator=indicator,
                key=key,
                unit=unit,
                period=when.label,
                period_start=when.start,
                period_end=when.end,
                value=value,
                note=note,
                entered_by=ctx.actor,
            )
            created.append((entry, None))
            result.created += 1
        elif found.value != value or found.note != note:
            diff = {"value": [str(found.value), str(value)]}
            found.value, found.note, found.entered_by = value, note, ctx.actor
            found.save(update_fields=["value", "note", "entered_by", "entered_at"])
            changed.append((found, diff))
            result.updated += 1
        else:
            result.unchanged += 1
    log_bulk(EnteredValue, created, actor=ctx.actor, created=True, note="import")
    log_bulk(EnteredValue, changed, actor=ctx.actor, created=False, note="import")
    return result


SO_LIEU = wb.registry.register(
    wb.SheetSpec(
        name="SoLieu",
        title="Số liệu tổng hợp nhập tay (chỉ tiêu không theo dõi từng bản ghi, số liệu lịch sử)",
        order=90,
        after=("DonVi",),
        columns=(
            wb.Column(
                "Mã chỉ tiêu",
                "code",
                wb.text,
                required=True,
                key=True,
                example="supervision.front_by_level[commune]",
                width=40,
                note="Mã trong danh mục chỉ tiêu, kèm [khóa] nếu có",
            ),
            wb.Column("Mã đơn vị", "unit_code", wb.code, required=True, key=True, example="DN"),
            wb.Column(
                "Kỳ",
                "period",
                period,
                required=True,
                key=True,
                example="2018-07-05..2023-06-30",
                width=24,
                note="2019, 2019Q3, 2019-07 hoặc 2018-07-05..2023-06-30",
            ),
            wb.Column("Giá trị", "value", wb.number, required=True, example=745, width=12),
            wb.Column("Ghi chú", "note", wb.text, width=40),
        ),
        load=load_values,
        dump=dump_values,
    )
)
