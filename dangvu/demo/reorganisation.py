"""The 1 July 2025 reorganisation, applied through the same services a user would use.

District-level committees end; the 71 communes of the former Đắk Nông merge into 28, whose
party committees sit directly under Đảng bộ tỉnh Lâm Đồng; the district agencies' party
organisations move to the new commune of the former district town; the provincial blocs,
police, military and border guard merge into their Lâm Đồng counterparts; and Đảng bộ tỉnh
Đắk Nông merges into Đảng bộ tỉnh Lâm Đồng. Before that date the tree reads as it did.
"""

from __future__ import annotations

from dangvu.demo import names
from dangvu.demo.registry import REORGANISATION_2025, DemoContext, demo_step
from dangvu.demo.tree import ROOT, code_part
from dangvu.units import services
from dangvu.units.models import Unit, UnitKind, UnitVersion

DAY = REORGANISATION_2025
DECISION = "Nghị quyết 202/2025/QH15; Quyết định của Bộ Chính trị về hợp nhất Đảng bộ tỉnh"
NEW_ROOT = "LD"
COUNTERPARTS = {  # Đắk Nông direct committee → (code, name) in Lâm Đồng
    "KHOI": ("LD.UBND", "Đảng bộ Ủy ban nhân dân tỉnh Lâm Đồng"),
    "CONGAN": ("LD.CONGAN", "Đảng bộ Công an tỉnh Lâm Đồng"),
    "QUANSU": ("LD.QUANSU", "Đảng bộ Quân sự tỉnh Lâm Đồng"),
    "BIENPHONG": ("LD.BIENPHONG", "Đảng bộ Bộ đội Biên phòng tỉnh Lâm Đồng"),
}


def _create(ctx: DemoContext, code: str, name: str, kind: str, parent: Unit | None) -> Unit:
    unit = services.unit_create(
        code=code, name=name, kind=kind, parent=parent, valid_from=DAY, decision=DECISION
    )
    ctx.units[code] = unit
    return unit


@demo_step(order=400, label="Sắp xếp tổ chức ngày 01/07/2025")
def reorganise_2025(ctx: DemoContext) -> None:
    units = ctx.units
    root = _create(ctx, NEW_ROOT, "Đảng bộ tỉnh Lâm Đồng", UnitKind.PROVINCE, None)
    new_communes: dict[str, list[Unit]] = {}
    for commune in names.COMMUNES_2025:
        code = f"{NEW_ROOT}.{code_part(commune['key'])}"
        name = f"Đảng bộ {commune['name']}"
        new = _create(ctx, code, name, UnitKind.GRASSROOTS_COMMITTEE, root)
        new_communes.setdefault(commune["district"], []).append(new)
        old = [
            units[c]
            for c, i in ctx.info.items()
            if i["group"] == "commune"
            and i["kind"] == UnitKind.GRASSROOTS_COMMITTEE
            and i["commune"] in commune["from"]
        ]
        services.unit_merge(
            sources=old,
            target=new,
            effective_on=DAY,
            decision=DECISION,
            note="Sắp xếp đơn vị hành chính cấp xã",
        )
    for committee in names.DIRECT_COMMITTEES:
        if committee["type"] != "district":
            continue
        district = next(d for d in names.DISTRICTS if d["key"] == committee["key"])
        district_unit = units[f"{ROOT}.{code_part(district['name'])}"]
        host = new_communes[district["key"]][0]
        for version in UnitVersion.objects.as_of(DAY).filter(parent=district_unit):
            services.unit_move(
                unit=version.unit,
                new_parent=host,
                effective_on=DAY,
                decision=DECISION,
                note="Kết thúc hoạt động cấp huyện",
            )
            kind = (
                UnitKind.CELL
                if version.kind == UnitKind.GRASSROOTS_CELL
                else UnitKind.PARTIAL_COMMITTEE
            )
            services.unit_rename(
                unit=version.unit, name=version.name, kind=kind, effective_on=DAY, decision=DECISION
            )
        services.unit_dissolve(
            unit=district_unit,
            effective_on=DAY,
            successors=new_communes[district["key"]],
            decision=DECISION,
            note="Kết thúc hoạt động của đảng bộ cấp huyện",
        )
    for key, (code, name) in COUNTERPARTS.items():
        target = _create(ctx, code, name, UnitKind.DIRECT, root)
        services.unit_merge(
            sources=[units[f"{ROOT}.{key}"]], target=target, effective_on=DAY, decision=DECISION
        )
    services.unit_merge(
        sources=[units[ROOT]],
        target=root,
        effective_on=DAY,
        decision=DECISION,
        note="Hợp nhất Đảng bộ tỉnh Đắk Nông vào Đảng bộ tỉnh Lâm Đồng",
    )
    ctx.summary["communes_2025"] = len(names.COMMUNES_2025)
