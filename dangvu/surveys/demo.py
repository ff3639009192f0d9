"""Demo: the two survey rounds of the seed — 2019: the 8 districts and city and 10
grassroots organisations, concluded by Kết luận 666-KL/TU; 2021: 4 of the 8 and 12
grassroots organisations."""

from __future__ import annotations

import random
from datetime import date

from dangvu.demo.registry import DemoContext, demo_step
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.surveys.services import document_by_symbol, survey_record
from dangvu.units.models import GRASSROOTS_KINDS, UnitKind, UnitVersion

ROUNDS = (
    (date(2019, 9, 9), date(2019, 10, 18), 8, 10),
    (date(2021, 8, 2), date(2021, 9, 10), 4, 12),
)
DISTRICTS = ("GIANGHIA", "CUJUT", "KRONGNO", "DAKMIL", "DAKSONG", "DAKGLONG", "DAKRLAP", "TUYDUC")


@demo_step(order=346, label="Khảo sát việc thực hiện Đề án 05")
def build_surveys(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 31 + 5)
    programme = catalogue_sync()
    province = ctx.units["DN"]
    conclusion = document_by_symbol("666-KL/TU")
    for number, (start, end, districts, grassroots) in enumerate(ROUNDS, start=1):
        standing = list(UnitVersion.objects.as_of(start).select_related("unit"))
        district_units = [
            v.unit
            for v in standing
            if v.kind == UnitKind.DIRECT and v.unit.code.split(".")[-1] in DISTRICTS
        ]
        chosen = sorted(rng.sample(district_units, districts), key=lambda u: u.code)
        below = [
            v.unit
            for v in standing
            if v.kind in GRASSROOTS_KINDS
            and any(v.path.startswith(f"/{province.pk}/{u.pk}/") for u in chosen)
        ]
        survey_record(
            programme=programme,
            unit=province,
            title=f"Khảo sát việc thực hiện Đề án 05-ĐA/TU đợt {number} năm {start.year}",
            started_on=start,
            ended_on=end,
            targets=chosen + rng.sample(sorted(below, key=lambda u: u.code), grassroots),
            findings="Các đơn vị triển khai nghiêm túc; một số nơi còn lúng túng trong nhận diện biểu hiện.",
            conclusion=conclusion if number == 1 else None,
        )
    ctx.summary["survey_rounds"] = len(ROUNDS)
