"""Sheet `SoLieu` of the exchange workbook: entered aggregate values (historical values of
computed indicators, or indicators the system keeps no record of)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from dangvu.core.errors import DomainError
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.indicators import services
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import EnteredValue, Indicator
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


#: The workbook's own words for a row it cannot even hand to the service.
UNKNOWN_CODE = "không có chỉ tiêu mã {code}"
UNKNOWN_UNIT = "không có đơn vị mã {code}"
OUT_OF_REACH = "đơn vị ngoài phạm vi quản lý của bạn"
NEGATIVE = "giá trị không được âm"
TWICE = "trùng khóa với dòng {row}"


class _Parsed(NamedTuple):
    entry: services.EnteredRow
    row: wb.Row


def load_values(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Parse the rows into entered values and hand them to the bulk service, which checks
    and writes them (`services.entered_values_import`); its refusals become bad cells."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    parsed: list[_Parsed] = []
    seen: dict[tuple[int, str, int, str], int] = {}  # ORG.MEMBERS and org.members are one key
    for row in rows:
        entry = _parse(ctx, row, indicators)
        if entry is None:
            continue
        identity = (entry.indicator.pk, entry.key, entry.unit.pk, entry.period.label)
        if identity in seen:
            ctx.error(SO_LIEU, row, "code", TWICE.format(row=seen[identity]))
            continue
        seen[identity] = row.number
        parsed.append(_Parsed(entry, row))
    outcome = services.entered_values_import(
        rows=[p.entry for p in parsed], actor=ctx.actor, scope=ctx.scope
    )
    for refusal in outcome.refused:
        ctx.error(SO_LIEU, parsed[refusal.index].row, refusal.field, refusal.message)
    return wb.SheetResult(outcome.created, outcome.updated, outcome.unchanged)


def _parse(
    ctx: ImportContext, row: wb.Row, indicators: dict[str, Indicator]
) -> services.EnteredRow | None:
    """The row as an entered value, or None after telling what is wrong with its cells; a
    unit the importer does not write today is refused before anything else is said."""
    try:
        code, key = services.split_code(row["code"])
    except DomainError as error:
        ctx.error(SO_LIEU, row, "code", error.message)
        return None
    indicator = indicators.get(code)
    unit = ctx.units_by_code.get(row["unit_code"])
    if indicator is None:
        ctx.error(SO_LIEU, row, "code", UNKNOWN_CODE.format(code=code))
    elif unit is None:
        ctx.error(SO_LIEU, row, "unit_code", UNKNOWN_UNIT.format(code=row["unit_code"]))
    elif not ctx.writes(unit.pk):
        ctx.error(SO_LIEU, row, "unit_code", OUT_OF_REACH)
    elif row["value"] < 0:
        ctx.error(SO_LIEU, row, "value", NEGATIVE)
    else:
        return services.EnteredRow(
            indicator=indicator,
            unit=unit,
            period=parse_period(row["period"]),
            value=Decimal(str(row["value"])),
            key=key,
            note=row["note"] or "",
        )
    return None


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
