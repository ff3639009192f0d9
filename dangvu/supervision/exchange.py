"""Sheet `GiamSat` of the exchange workbook: supervisions by the Front and the
organisations. dangvu's own optional columns carry findings, recommendations and their
follow-up, so that an export imports back the same."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from dangvu.accounts.permissions import Capability
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.supervision import services
from dangvu.supervision.models import FrontLevel, FrontOrganisation, Supervision
from dangvu.units.models import Unit

LEVEL = wb.choice(FrontLevel.choices)
ORGANISATION = wb.choice(FrontOrganisation.choices)
#: The workbook's own words for a row it cannot hand to the service.
TWICE = "trùng mã với dòng khác"
UNKNOWN_UNIT = "không có đơn vị mã {code}"
OUT_OF_REACH = "đơn vị ngoài phạm vi quản lý của bạn"


class _Parsed(NamedTuple):
    spec: services.SupervisionSpec
    row: wb.Row


def load_supervisions(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Parse the rows (the unit, and the record a code names, looked up within the units
    the importer writes today) and hand them to `services.supervisions_import`, which checks
    and writes them; its refusals become bad cells."""
    writable: set[int] | None = None
    if ctx.scope is not None:
        writable = set(
            ctx.scope.writable_units(Capability.SUPERVISION).values_list("pk", flat=True)
        )
    held = dict(Supervision.objects.values_list("code", "unit_id"))
    parsed: list[_Parsed] = []
    seen: set[str] = set()
    for row in rows:
        unit = ctx.units_by_code.get(row["unit_code"])
        if row["code"] in seen:
            ctx.error(GIAM_SAT, row, "code", TWICE)
        elif unit is None:
            ctx.error(GIAM_SAT, row, "unit_code", UNKNOWN_UNIT.format(code=row["unit_code"]))
        elif writable is not None and (
            unit.pk not in writable or held.get(row["code"], unit.pk) not in writable
        ):
            ctx.error(GIAM_SAT, row, "unit_code", OUT_OF_REACH)
        else:
            parsed.append(_Parsed(_spec(row, unit), row))
        seen.add(row["code"])
    outcome = services.supervisions_import(specs=[p.spec for p in parsed], actor=ctx.actor)
    for refusal in outcome.refused:
        ctx.error(GIAM_SAT, parsed[refusal.index].row, refusal.field, refusal.message)
    return wb.SheetResult(outcome.created, outcome.updated, outcome.unchanged)


def _spec(row: wb.Row, unit: Unit) -> services.SupervisionSpec:
    return services.SupervisionSpec(
        code=row["code"],
        held_on=row["held_on"],
        level=row["level"],
        organisation=row["organisation"],
        unit=unit,
        subject=row["subject"],
        findings=row.values.get("findings") or "",
        recommendations=row.values.get("recommendations") or "",
        follow_up=row.values.get("follow_up") or "",
        followed_up_on=row.values.get("followed_up_on"),
    )


def dump_supervisions(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    qs = Supervision.objects.order_by("code").select_related("unit")
    if ctx.unit_ids is not None:
        qs = qs.filter(unit_id__in=ctx.unit_ids)
    for s in qs:
        yield (
            s.code,
            s.held_on,
            FrontLevel(s.level).label,
            FrontOrganisation(s.organisation).label,
            s.unit.code,
            s.subject,
            s.findings,
            s.recommendations,
            s.follow_up,
            s.followed_up_on,
        )


GIAM_SAT = wb.registry.register(
    wb.SheetSpec(
        name="GiamSat",
        title="Giám sát của Mặt trận Tổ quốc và các đoàn thể",
        order=60,
        after=("DonVi",),
        columns=(
            wb.Column(
                "Mã cuộc giám sát", "code", wb.code, required=True, key=True, example="GS-2022-001"
            ),
            wb.Column("Ngày", "held_on", wb.date, required=True, example="15/06/2022", width=12),
            wb.Column("Cấp chủ trì", "level", LEVEL, required=True, example="Huyện", width=10),
            wb.Column(
                "Chủ trì", "organisation", ORGANISATION, required=True, example="Mặt trận Tổ quốc"
            ),
            wb.Column("Mã đơn vị", "unit_code", wb.code, required=True, example="DN.CUJUT"),
            wb.Column(
                "Nội dung",
                "subject",
                wb.text,
                required=True,
                width=40,
                example="Việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu",
            ),
            wb.Column(
                "Kết quả giám sát", "findings", wb.text, width=30, note="Cột riêng của dangvu"
            ),
            wb.Column(
                "Kiến nghị", "recommendations", wb.text, width=30, note="Cột riêng của dangvu"
            ),
            wb.Column(
                "Kết quả thực hiện kiến nghị",
                "follow_up",
                wb.text,
                width=30,
                note="Cột riêng của dangvu",
            ),
            wb.Column(
                "Ngày báo cáo thực hiện kiến nghị",
                "followed_up_on",
                wb.date,
                width=14,
                note="Cột riêng của dangvu",
            ),
        ),
        load=load_supervisions,
        dump=dump_supervisions,
        capability=Capability.SUPERVISION.value,
    )
)
