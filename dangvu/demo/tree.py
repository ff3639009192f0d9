"""The demo tree of Đảng bộ tỉnh Đắk Nông as it stood from 2004 to mid-2025.

On 30/06/2023 it has 12 direct committees, 440 grassroots organisations (165 đảng bộ cơ
sở, 275 chi bộ cơ sở) and about 1,700 chi bộ trực thuộc, as the seed report says. A few
changes inside the seed's period make effective dating visible before 2025: Thị ủy Gia
Nghĩa became Thành ủy Gia Nghĩa on 01/02/2020, three district-level grassroots
organisations and a dozen village cells were merged between 2019 and 2021.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dangvu.demo import names
from dangvu.demo.registry import PROVINCE_FOUNDED, DemoContext, demo_step
from dangvu.units import services as unit_services
from dangvu.units.models import Unit, UnitKind
from dangvu.units.services import bulk
from dangvu.units.services.bulk import UnitRow

ROOT = "DN"
GIA_NGHIA_CITY = date(2020, 2, 1)

# Grassroots quotas on 30/06/2023: (đảng bộ cơ sở, chi bộ cơ sở) per direct committee.
DISTRICT_AGENCIES = (5, 25)  # each district, besides its communes (all đảng bộ cơ sở)
BLOC = (30, 45)
POLICE = (16, 16)
MILITARY = (5, 8)
BORDER = (3, 6)
# Chi bộ trực thuộc under each kind of đảng bộ cơ sở, and members per cell (lo, hi).
CELLS_UNDER = {
    "commune": (12, 21),
    "agency": (3, 8),
    "bloc": (3, 9),
    "police": (5, 12),
    "military": (5, 12),
    "border": (4, 10),
}
CELL_SIZE = {
    "commune": (8, 22),
    "agency": (6, 20),
    "bloc": (8, 24),
    "police": (12, 34),
    "military": (12, 34),
    "border": (10, 30),
    "grassroots_cell": (5, 24),
}
MERGED_GRASSROOTS = [  # (district key, effective date)
    ("dak-mil", date(2019, 10, 1)),
    ("krong-no", date(2020, 7, 1)),
    ("dak-rlap", date(2021, 1, 1)),
]
VILLAGE_MERGES = 12
VILLAGE_MERGE_DAY = date(2020, 1, 1)


def code_part(text: str) -> str:
    return names.slugify(text).replace("-", "").upper()


@dataclass
class Planned:
    code: str
    name: str
    kind: str
    parent: str | None
    group: str  # commune, agency, bloc, police, military, border, grassroots_cell, ...
    district: str = ""
    commune: str = ""
    stable: bool = True  # still there on 30/06/2023 (members may join it)


def _promote(name: str) -> str:
    return "Đảng bộ" + name.removeprefix("Chi bộ") if name.startswith("Chi bộ") else name


def _take(units: list[tuple[str, str]], committees: int, cells: int) -> list[tuple[str, str]]:
    """Pick the quota of committees and cells, promoting cells when committees run short."""
    named_committees = [n for n, k in units if k == names.COMMITTEE]
    named_cells = [n for n, k in units if k == names.CELL]
    chosen = [(n, names.COMMITTEE) for n in named_committees[:committees]]
    shortfall = committees - len(chosen)
    chosen += [(_promote(n), names.COMMITTEE) for n in named_cells[:shortfall]]
    chosen += [(n, names.CELL) for n in named_cells[shortfall : shortfall + cells]]
    if len(chosen) != committees + cells:
        raise RuntimeError("demo name lists are too short for the quotas")
    return chosen


class _Plan:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.units: list[Planned] = []

    def add(self, planned: Planned) -> Planned:
        self.units.append(planned)
        return planned

    def cells_under(self, parent: Planned, group: str, cell_names: list[str]) -> None:
        for index, name in enumerate(cell_names, start=1):
            self.add(
                Planned(
                    f"{parent.code}.C{index:02d}",
                    name,
                    UnitKind.CELL,
                    parent.code,
                    group,
                    parent.district,
                    parent.commune,
                )
            )

    def grassroots(
        self,
        parent: str,
        prefix: str,
        chosen: list[tuple[str, str]],
        group: str,
        district: str = "",
    ) -> None:
        for index, (name, kind) in enumerate(chosen, start=1):
            code = f"{parent}.{prefix}{index:02d}"
            if kind == names.COMMITTEE:
                unit = self.add(
                    Planned(code, name, UnitKind.GRASSROOTS_COMMITTEE, parent, group, district)
                )
                lo, hi = CELLS_UNDER[group]
                n = self.rng.randint(lo, hi)
                self.cells_under(unit, group, names.cell_names_for_agency(self.rng, name, n))
            else:
                self.add(
                    Planned(
                        code, name, UnitKind.GRASSROOTS_CELL, parent, "grassroots_cell", district
                    )
                )

    def build(self) -> None:
        rng = self.rng
        self.add(Planned(ROOT, "Đảng bộ tỉnh Đắk Nông", UnitKind.PROVINCE, None, "province"))
        districts = {d["key"]: d for d in names.DISTRICTS}
        for committee in names.DIRECT_COMMITTEES:
            ctype = committee["type"]
            if ctype == "district":
                district = districts[committee["key"]]
                code = f"{ROOT}.{code_part(district['name'])}"
                name = committee["name"]
                if committee["key"] == "gia-nghia":
                    name = "Thị ủy Gia Nghĩa"
                self.add(Planned(code, name, UnitKind.DIRECT, ROOT, "district", district["key"]))
                for commune in district["communes"]:
                    ccode = f"{code}.{code_part(commune['key'])}"
                    label = f"Đảng bộ {commune['kind']} {commune['name']}"
                    unit = self.add(
                        Planned(
                            ccode,
                            label,
                            UnitKind.GRASSROOTS_COMMITTEE,
                            code,
                            "commune",
                            district["key"],
                            commune["key"],
                        )
                    )
                    lo, hi = CELLS_UNDER["commune"]
                    cell_names = names.commune_cell_names(rng, commune, rng.randint(lo, hi))
                    self.cells_under(unit, "commune", cell_names)
                agencies = names.district_agency_units(district)
                committees, cells = DISTRICT_AGENCIES
                chosen = _take(agencies, committees, cells)
                self.grassroots(code, "A", chosen, "agency", district["key"])
                merged = [k for k, _ in MERGED_GRASSROOTS]
                if district["key"] in merged:
                    used = {n for n, _ in chosen} | {
                        n.replace("Đảng bộ", "Chi bộ", 1) for n, _ in chosen
                    }
                    spare = next(n for n, k in agencies if k == names.CELL and n not in used)
                    extra = self.add(
                        Planned(
                            f"{code}.A99",
                            spare,
                            UnitKind.GRASSROOTS_CELL,
                            code,
                            "grassroots_cell",
                            district["key"],
                        )
                    )
                    extra.stable = False
            else:
                key = {
                    "bloc": "KHOI",
                    "police": "CONGAN",
                    "military": "QUANSU",
                    "border": "BIENPHONG",
                }[ctype]
                code = f"{ROOT}.{key}"
                self.add(Planned(code, committee["name"], UnitKind.DIRECT, ROOT, ctype))
                source = {
                    "bloc": names.provincial_bloc_units,
                    "police": names.police_units,
                    "military": names.military_units,
                    "border": names.border_guard_units,
                }[ctype]()
                quota = {"bloc": BLOC, "police": POLICE, "military": MILITARY, "border": BORDER}[
                    ctype
                ]
                self.grassroots(code, "A", _take(source, *quota), ctype)
        # Village cells merged on 01/01/2020 (thôn sáp nhập): the merged-away are not stable.
        villages = [u for u in self.units if u.group == "commune" and u.kind == UnitKind.CELL]
        for unit in rng.sample(villages, VILLAGE_MERGES):
            unit.stable = False


def _create(plan: _Plan) -> dict[str, Unit]:
    rows = [UnitRow(p.code, p.name, p.kind, p.parent or "") for p in plan.units]
    return bulk.units_found(units=rows, founded_on=PROVINCE_FOUNDED)


@demo_step(order=100, label="Cây tổ chức Đảng bộ tỉnh Đắk Nông")
def build_tree(ctx: DemoContext) -> None:
    plan = _Plan(ctx)
    plan.build()
    ctx.units.update(_create(plan))
    for planned in plan.units:
        ctx.info[planned.code] = vars(planned)
    ctx.summary["units_created"] = len(plan.units)


@demo_step(order=250, label="Thay đổi tổ chức 2019–2021")
def reorganise_in_period(ctx: DemoContext) -> None:
    """Changes inside the seed's period, applied through the services as a user would."""
    units = ctx.units
    unit_services.unit_rename(
        unit=units[f"{ROOT}.GIANGHIA"],
        name="Thành ủy Gia Nghĩa",
        effective_on=GIA_NGHIA_CITY,
        decision="Nghị quyết 835/NQ-UBTVQH14",
        note="Thị xã Gia Nghĩa trở thành thành phố",
    )
    for district_key, day in MERGED_GRASSROOTS:
        district_code = next(
            c
            for c, i in ctx.info.items()
            if i["group"] == "district" and i["district"] == district_key
        )
        extra = units[f"{district_code}.A99"]
        target_code = next(
            c
            for c, i in ctx.info.items()
            if i["parent"] == district_code
            and i["kind"] == UnitKind.GRASSROOTS_CELL
            and i["stable"]
        )
        unit_services.unit_merge(
            sources=[extra],
            target=units[target_code],
            effective_on=day,
            note="Sắp xếp đơn vị sự nghiệp cấp huyện",
        )
    merged = [
        c
        for c, i in ctx.info.items()
        if i["group"] == "commune" and i["kind"] == UnitKind.CELL and not i["stable"]
    ]
    for code in merged:
        parent = ctx.info[code]["parent"]
        target = next(
            c
            for c, i in ctx.info.items()
            if i["parent"] == parent and i["kind"] == UnitKind.CELL and i["stable"] and c != code
        )
        unit_services.unit_merge(
            sources=[units[code]],
            target=units[target],
            effective_on=VILLAGE_MERGE_DAY,
            note="Sáp nhập thôn, bon, tổ dân phố",
        )
    ctx.summary["merges_in_period"] = len(MERGED_GRASSROOTS) + len(merged)


def stable_cells(ctx: DemoContext) -> list[dict[str, Any]]:
    """Cells that exist throughout 2004–2025: where members may join or transfer to."""
    return [
        i
        for i in ctx.info.values()
        if i["kind"] in (UnitKind.CELL, UnitKind.GRASSROOTS_CELL) and i["stable"]
    ]
