"""Demo: the supervisions of the Front and the organisations over the seed's period, by
level as the seed prints them (35 province, 199 district, 745 commune: 979 in all). The
seed's printed total, 899, stays an entered historical value of the province (see
indicators/demo.py), so the validation report shows the seed's inconsistency."""

from __future__ import annotations

import random
from datetime import timedelta

from dangvu.demo.registry import PERIOD_END, PERIOD_START, DemoContext, demo_step
from dangvu.supervision.models import FrontLevel, FrontOrganisation
from dangvu.supervision.services import SupervisionSpec, supervisions_import
from dangvu.units.models import Unit, UnitKind, UnitVersion

BY_LEVEL = {FrontLevel.PROVINCE: 35, FrontLevel.DISTRICT: 199, FrontLevel.COMMUNE: 745}
SUBJECTS = (
    "Việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt",
    "Việc thực hiện quy định về trách nhiệm nêu gương của cán bộ, đảng viên",
    "Việc giải quyết đơn thư, kiến nghị của Nhân dân",
    "Việc thực hiện chính sách hỗ trợ hộ nghèo, đồng bào dân tộc thiểu số",
    "Việc thực hiện quy chế dân chủ ở cơ sở",
    "Việc quản lý, sử dụng đất đai, tài nguyên",
)
RECOMMENDATIONS = (
    "Công khai kết quả giải quyết kiến nghị trước Nhân dân.",
    "Bổ sung quy chế tiếp dân, đối thoại định kỳ.",
    "Chấn chỉnh việc chậm trễ trong giải quyết thủ tục hành chính.",
)


@demo_step(order=330, label="Giám sát của Mặt trận Tổ quốc và các đoàn thể 2018–2023")
def build_supervisions(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 13 + 1)
    start = {v.unit_id: v.kind for v in UnitVersion.objects.as_of(PERIOD_START)}
    end = {v.unit_id: v.kind for v in UnitVersion.objects.as_of(PERIOD_END)}
    # Units standing, as the same kind, through the whole period.
    kinds = {u: k for u, k in end.items() if start.get(u) == k}
    where = {
        FrontLevel.PROVINCE: sorted(u for u, k in kinds.items() if k == UnitKind.PROVINCE),
        FrontLevel.DISTRICT: sorted(u for u, k in kinds.items() if k == UnitKind.DIRECT),
        FrontLevel.COMMUNE: sorted(
            u for u, k in kinds.items() if k == UnitKind.GRASSROOTS_COMMITTEE
        ),
    }
    units = Unit.objects.in_bulk([u for ids in where.values() for u in ids])
    days = (PERIOD_END - PERIOD_START).days
    specs: list[SupervisionSpec] = []
    for level, count in BY_LEVEL.items():
        for _ in range(count):
            held = PERIOD_START + timedelta(days=rng.randrange(days))
            recommends = rng.random() < 0.6
            followed = held + timedelta(days=rng.randrange(60, 240)) if recommends else None
            if followed is not None and followed > PERIOD_END:
                followed = None
            specs.append(
                SupervisionSpec(
                    code=f"GS-{held.year}-{len(specs) + 1:04d}",
                    held_on=held,
                    level=str(level),
                    organisation=rng.choice(FrontOrganisation.values),
                    unit=units[rng.choice(where[level])],
                    subject=rng.choice(SUBJECTS),
                    findings="Cơ bản thực hiện tốt; còn một số hạn chế cần khắc phục.",
                    recommendations=rng.choice(RECOMMENDATIONS) if recommends else "",
                    follow_up="Đã tiếp thu, khắc phục." if followed else "",
                    followed_up_on=followed,
                )
            )
    outcome = supervisions_import(specs=specs, actor=None, source="")
    assert not outcome.refused, outcome.refused[:3]
    ctx.summary["supervisions"] = len(specs)
