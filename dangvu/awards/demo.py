"""Demo: the awards of the seed.

- 3-year review of Đề án 05 (2018 - 2020): Bằng khen of the province's standing committee to
  3 collectives and 5 individuals;
- 5-year review (2023): the 12 direct committees' awards to 27 collectives, 45 individuals;
- learning from and following Hồ Chí Minh (footnote 4): Bằng khen of the province's standing
  committee to 24 party organisations and 32 members, of the chairman of the province's
  people's committee to 20 collectives and 19 individuals, given on 19 May of each year.
"""

from __future__ import annotations

import random
from datetime import date

from dangvu.awards.models import AwardForm, Issuer, RecipientKind, Theme
from dangvu.awards.services import DecisionSpec, RecipientSpec, decision_save
from dangvu.demo.registry import DemoContext, demo_step
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.members.models import Membership
from dangvu.units.models import CELL_KINDS, GRASSROOTS_KINDS, Unit, UnitKind, UnitVersion

PROGRAMME_REASON = "Có thành tích xuất sắc trong thực hiện Đề án số 05-ĐA/TU"
HCM_REASON = (
    "Có thành tích xuất sắc trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
#: (party organisations or collectives, members or individuals) per year, 19 May.
HCM_STANDING = {2019: (5, 6), 2020: (5, 7), 2021: (4, 6), 2022: (5, 7), 2023: (5, 6)}  # 24 / 32
HCM_UBND = {2019: (4, 4), 2020: (4, 4), 2021: (4, 3), 2022: (4, 4), 2023: (4, 4)}  # 20 / 19
#: The 5-year review's 27 collectives and 45 individuals over the 12 direct committees.
FIVE_YEAR = [
    (3, 4),
    (2, 4),
    (2, 4),
    (3, 4),
    (2, 4),
    (2, 4),
    (2, 4),
    (3, 4),
    (2, 4),
    (2, 3),
    (2, 3),
    (2, 3),
]
COLLECTIVES = (
    "Trường Trung học phổ thông",
    "Hội Cựu chiến binh xã",
    "Đoàn Thanh niên xã",
    "Hội Phụ nữ xã",
)
PEOPLE = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Văn Đức", "Y Bhin Niê", "H' Loan")


class _Picker:
    def __init__(self, rng: random.Random, day: date, root: Unit) -> None:
        self.rng, self.day = rng, day
        root_version = root.version_on(day)
        assert root_version is not None
        standing = list(
            UnitVersion.objects.as_of(day).under(root_version.path).select_related("unit")
        )
        self.grassroots = sorted(
            (v.unit for v in standing if v.kind in GRASSROOTS_KINDS), key=lambda u: u.pk
        )
        self.cells = [v.unit_id for v in standing if v.kind in CELL_KINDS]

    def _name(self, unit: Unit) -> str:
        version = unit.version_on(self.day)
        return version.name if version else unit.code

    def orgs(self, n: int) -> list[RecipientSpec]:
        units = self.rng.sample(self.grassroots, n)
        return [
            RecipientSpec(RecipientKind.PARTY_ORG, u.version_on(self.day).name, u) for u in units
        ]

    def collectives(self, n: int) -> list[RecipientSpec]:
        units = self.rng.sample(self.grassroots, n)
        return [
            RecipientSpec(
                RecipientKind.COLLECTIVE, f"{self.rng.choice(COLLECTIVES)} ({self._name(u)})", u
            )
            for u in units
        ]

    def members(self, n: int) -> list[RecipientSpec]:
        pool = list(
            Membership.objects.as_of(self.day)
            .filter(unit_id__in=self.rng.sample(self.cells, min(len(self.cells), 3 * n)))
            .select_related("member", "unit")[: 20 * n]
        )
        return [
            RecipientSpec(RecipientKind.MEMBER, m.member.full_name, m.unit, m.member)
            for m in self.rng.sample(pool, n)
        ]

    def people(self, n: int) -> list[RecipientSpec]:
        units = self.rng.sample(self.grassroots, n)
        return [RecipientSpec(RecipientKind.PERSON, self.rng.choice(PEOPLE), u) for u in units]


@demo_step(order=347, label="Khen thưởng (sơ kết Đề án 05, học tập và làm theo Bác)")
def build_awards(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 37 + 11)
    programme = catalogue_sync()
    province = ctx.units["DN"]
    decisions = 0

    def save(
        unit: Unit, issuer: str, number: str, day: date, theme: str, recipients: list[RecipientSpec]
    ) -> None:
        nonlocal decisions
        decision_save(
            spec=DecisionSpec(
                unit=unit,
                issuer=issuer,
                number=number,
                issued_on=day,
                form=AwardForm.CERTIFICATE if unit == province else AwardForm.MERIT,
                theme=theme,
                programme=programme if theme == Theme.PROGRAMME else None,
                reason=PROGRAMME_REASON if theme == Theme.PROGRAMME else HCM_REASON,
                recipients=recipients,
            )
        )
        decisions += 1

    day = date(2021, 7, 20)
    pick = _Picker(rng, day, province)
    save(
        province,
        Issuer.STANDING_COMMITTEE,
        "3215-QĐ/TU",
        day,
        Theme.PROGRAMME,
        pick.orgs(3) + pick.members(5),
    )

    direct = sorted(
        (
            v.unit
            for v in UnitVersion.objects.as_of(date(2023, 5, 1))
            .filter(kind=UnitKind.DIRECT)
            .select_related("unit")
        ),
        key=lambda u: u.code,
    )
    for n, (unit, (collectives, individuals)) in enumerate(
        zip(direct, FIVE_YEAR, strict=True), start=1
    ):
        day = date(2023, 4, 10 + n)
        pick = _Picker(rng, day, unit)
        half = collectives // 2
        save(
            unit,
            Issuer.STANDING_COMMITTEE,
            f"{100 + n}-QĐ/HU",
            day,
            Theme.PROGRAMME,
            pick.orgs(collectives - half) + pick.collectives(half) + pick.members(individuals),
        )

    for year in sorted(HCM_STANDING):
        day = date(year, 5, 19)
        pick = _Picker(rng, day, province)
        orgs, members = HCM_STANDING[year]
        save(
            province,
            Issuer.STANDING_COMMITTEE,
            f"{year - 1900}05-QĐ/TU",
            day,
            Theme.HCM,
            pick.orgs(orgs) + pick.members(members),
        )
        collectives, people = HCM_UBND[year]
        save(
            province,
            Issuer.PEOPLES_COMMITTEE_CHAIR,
            f"{year - 2000}19/QĐ-UBND",
            day,
            Theme.HCM,
            pick.collectives(collectives) + pick.people(people),
        )
    ctx.summary["award_decisions"] = decisions
