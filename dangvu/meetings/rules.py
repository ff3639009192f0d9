"""The meeting regimes shipped with dangvu (reference data, data migration)."""

from __future__ import annotations

from datetime import date
from typing import Any

from dangvu.core.effective import BEGINNING, END_OF_TIME

RULES: tuple[dict[str, Any], ...] = (
    {
        "code": "12-HD/BTCTW",
        "title": "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2018 của Ban Tổ chức Trung ương về một số "
        "vấn đề nâng cao chất lượng sinh hoạt chi bộ (và chế độ hằng tháng trước đó)",
        "valid_from": BEGINNING,
        "valid_to": date(2025, 1, 1),
        "min_minutes": None,
        "thematic_per_quarter": 1,
        "documents_days_before": None,
    },
    {
        "code": "42-HD/BTCTW",
        "title": "Hướng dẫn số 42-HD/BTCTW năm 2025 của Ban Tổ chức Trung ương về nâng cao chất "
        "lượng sinh hoạt chi bộ (hằng tháng, ít nhất 90 phút; chuyên đề ít nhất mỗi quý một lần; "
        "tài liệu gửi trước ít nhất một ngày)",
        "valid_from": date(2025, 1, 1),
        "valid_to": END_OF_TIME,
        "min_minutes": 90,
        "thematic_per_quarter": 1,
        "documents_days_before": 1,
    },
)


def rules_sync(rule_model: Any) -> None:
    for spec in RULES:
        rule_model.objects.update_or_create(
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
        )
