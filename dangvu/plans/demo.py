"""Demo: the plans for carrying out Đề án 05 — the 12 direct committees and 10 party
organisations under the Đảng ủy Khối, all approved by the provincial standing committee
(seed: "100% ... và 10 tổ chức đảng trực thuộc Đảng ủy Khối ... được Thường trực Tỉnh ủy
phê duyệt")."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangvu.demo.registry import PERIOD_START, DemoContext, demo_step
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.plans import services
from dangvu.units.models import UnitKind, UnitVersion

KHOI_UNITS = 10


@demo_step(order=340, label="Kế hoạch thực hiện Đề án 05 của các đơn vị")
def build_plans(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 23 + 2)
    programme = catalogue_sync()
    day = date(2018, 8, 1)
    standing = UnitVersion.objects.as_of(day).select_related("unit")
    directs = [v for v in standing if v.kind == UnitKind.DIRECT]
    khoi = next(v for v in directs if v.unit.code.endswith(".KHOI"))
    under = sorted((v for v in standing if v.parent_id == khoi.unit_id), key=lambda v: v.unit.code)
    for version in sorted(directs, key=lambda v: v.unit.code) + under[:KHOI_UNITS]:
        submitted = PERIOD_START + timedelta(days=rng.randrange(20, 90))
        plan = services.plan_submit(
            programme=programme,
            unit=version.unit,
            title=f"Kế hoạch thực hiện Đề án số 05-ĐA/TU của {version.name}",
            number=f"{rng.randrange(10, 99)}-KH",
            submitted_on=submitted,
        )
        services.plan_decide(
            plan=plan, approve=True, on=submitted + timedelta(days=rng.randrange(5, 20)), actor=None
        )
    ctx.summary["plans"] = len(directs) + KHOI_UNITS
