"""Demo: the supervisions of the Front and the organisations over the seed's period, by
level as the seed prints them (35 province, 199 district, 745 commune: 979 in all). The
seed's printed total, 899, stays an entered historical value of the province (see
indicators/demo.py), so the validation report shows the seed's inconsistency."""

from __future__ import annotations

import random
from datetime import timedelta

from dangvu.core.bulk import insert_rows, next_ids
from dangvu.demo.registry import PERIOD_END, PERIOD_START, DemoContext, demo_step
from dangvu.supervision.models import FrontLevel, FrontOrganisation, Supervision
from dangvu.units.models import UnitKind, UnitVersion

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
    days = (PERIOD_END - PERIOD_START).days
    total = sum(BY_LEVEL.values())
    ids = iter(next_ids(Supervision, total))
    rows, number = [], 0
    for level, count in BY_LEVEL.items():
        for _ in range(count):
            number += 1
            held = PERIOD_START + timedelta(days=rng.randrange(days))
            recommends = rng.random() < 0.6
            followed = held + timedelta(days=rng.randrange(60, 240)) if recommends else None
            if followed is not None and followed > PERIOD_END:
                followed = None
            rows.append(
                (
                    next(ids),
                    f"GS-{held.year}-{number:04d}",
                    held,
                    str(level),
                    rng.choice(FrontOrganisation.values),
                    rng.choice(where[level]),
                    rng.choice(SUBJECTS),
                    "Cơ bản thực hiện tốt; còn một số hạn chế cần khắc phục.",
                    rng.choice(RECOMMENDATIONS) if recommends else "",
                    "Đã tiếp thu, khắc phục." if followed else "",
                    followed,
                )
            )
    insert_rows(
        Supervision,
        [
            "id",
            "code",
            "held_on",
            "level",
            "organisation",
            "unit",
            "subject",
            "findings",
            "recommendations",
            "follow_up",
            "followed_up_on",
        ],
        rows,
    )
    ctx.summary["supervisions"] = total
