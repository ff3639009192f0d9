"""Sheet `GiamSat` of the exchange workbook: supervisions by the Front and the
organisations. dangvu's own optional columns carry findings, recommendations and their
follow-up, so that an export imports back the same."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from dangvu.accounts.permissions import Capability
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.supervision.models import FrontLevel, FrontOrganisation, Supervision
from dangvu.supervision.services import LEVEL_KINDS, level_fits
from dangvu.units.models import Unit, UnitKind, UnitVersion

LEVEL = wb.choice(FrontLevel.choices)
ORGANISATION = wb.choice(FrontOrganisation.choices)
FIELDS = (
    "held_on",
    "level",
    "organisation",
    "unit_id",
    "subject",
    "findings",
    "recommendations",
    "follow_up",
    "followed_up_on",
)


def load_supervisions(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = GIAM_SAT
    result = wb.SheetResult()
    units = dict(Unit.objects.values_list("code", "pk"))
    reachable: set[int] | None = None
    if ctx.scope is not None:
        reachable = set(
            ctx.scope.writable_units(Capability.SUPERVISION).values_list("pk", flat=True)
        )
    existing = {s.code: s for s in Supervision.objects.all()}
    seen: set[str] = set()
    valid: list[tuple[wb.Row, int]] = []
    for row in rows:
        unit_id = units.get(row["unit_code"])
        if row["code"] in seen:
            ctx.error(spec, row, "code", "trùng mã với dòng khác")
            continue
        seen.add(row["code"])
        if unit_id is None:
            ctx.error(spec, row, "unit_code", f"không có đơn vị mã {row['unit_code']}")
            continue
        before = existing.get(row["code"])
        if reachable is not None and (
            unit_id not in reachable or (before is not None and before.unit_id not in reachable)
        ):
            ctx.error(spec, row, "unit_code", "đơn vị ngoài phạm vi quản lý của bạn")
            continue
        if row.values.get("followed_up_on") and row["followed_up_on"] < row["held_on"]:
            ctx.error(spec, row, "followed_up_on", "không được trước ngày giám sát")
            continue
        valid.append((row, unit_id))
    # The kind of each unit on the day: one query per distinct day would be many; the
    # versions of the named units are few, read once.
    versions: dict[int, list[UnitVersion]] = {}
    for version in UnitVersion.objects.filter(unit_id__in={u for _, u in valid}):
        versions.setdefault(version.unit_id, []).append(version)
    for row, unit_id in valid:
        day = row["held_on"]
        standing = next((v for v in versions.get(unit_id, []) if v.is_active_on(day)), None)
        if standing is None:
            ctx.error(spec, row, "unit_code", f"đơn vị không hoạt động ngày {day:%d/%m/%Y}")
            continue
        if not level_fits(row["level"], standing.kind):
            kinds = ", ".join(
                sorted(UnitKind(k).label.lower() for k in LEVEL_KINDS[FrontLevel(row["level"])])
            )
            ctx.error(spec, row, "level", f"cấp này ghi tại {kinds}")
            continue
        values = {name: row.values.get(name) for name in FIELDS if name != "unit_id"}
        values = {k: (v if v is not None else "") for k, v in values.items()}
        values["followed_up_on"] = row.values.get("followed_up_on")
        values["unit_id"] = unit_id
        found = existing.get(row["code"])
        if found is None:
            if not ctx.errors:
                Supervision.objects.create(code=row["code"], created_by=ctx.actor, **values)
            result.created += 1
        elif any(getattr(found, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(found, k, v)
            if not ctx.errors:
                found.save()
            result.updated += 1
        else:
            result.unchanged += 1
    return result


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
