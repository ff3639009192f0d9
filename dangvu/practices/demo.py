"""Demo: the 333 new models of learning from and following Hồ Chí Minh of the seed's
period, spread over the grassroots organisations, a third of them recognised."""

from __future__ import annotations

import random
from datetime import timedelta

from dangvu.demo.registry import PERIOD_END, PERIOD_START, DemoContext, demo_step
from dangvu.practices.services import PracticeRow, practices_create
from dangvu.units.models import GRASSROOTS_KINDS, UnitVersion

NEW_MODELS = 333
NAMES = (
    "Dân vận khéo trong xây dựng nông thôn mới",
    "Mỗi đảng viên gắn với một hộ gia đình",
    "Tủ sách Bác Hồ ở thôn, bon",
    "Chi bộ kiểu mẫu, đảng viên gương mẫu",
    "Ngày thứ bảy vì dân",
    "Học Bác mỗi ngày",
)


@demo_step(order=345, label="Mô hình học tập và làm theo Bác")
def build_practices(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 29 + 7)
    start = {
        v.unit_id for v in UnitVersion.objects.as_of(PERIOD_START) if v.kind in GRASSROOTS_KINDS
    }
    steady = sorted(v.unit_id for v in UnitVersion.objects.as_of(PERIOD_END) if v.unit_id in start)
    days = (PERIOD_END - PERIOD_START).days
    rows = []
    for _ in range(NEW_MODELS):
        begun = PERIOD_START + timedelta(days=rng.randrange(days))
        recognised = rng.random() < 0.33
        rows.append(
            PracticeRow(
                unit_id=rng.choice(steady),
                name=rng.choice(NAMES),
                started_on=begun,
                description="Cách làm cụ thể, thiết thực, gắn với nhiệm vụ chính trị của đơn vị.",
                evidence="Được Nhân dân đồng tình, hưởng ứng." if recognised else "",
                recognition="Giấy khen của cấp ủy cấp huyện" if recognised else "",
                recognized_on=(
                    begun + timedelta(days=rng.randrange(180, 400)) if recognised else None
                ),
            )
        )
    practices_create(rows=rows)
    ctx.summary["practices"] = NEW_MODELS
