"""The forms of discipline shipped with dangvu (reference data: data migration)."""

from __future__ import annotations

from datetime import date
from typing import Any

from dangvu.core.effective import BEGINNING, END_OF_TIME

FORMS = (
    ("reprimand", "Khiển trách", "org", 1),
    ("warning", "Cảnh cáo", "org", 2),
    ("dissolution", "Giải tán", "org", 3),
    ("reprimand", "Khiển trách", "full", 1),
    ("warning", "Cảnh cáo", "full", 2),
    ("removal", "Cách chức", "full", 3),
    ("expulsion", "Khai trừ", "full", 4),
    ("reprimand", "Khiển trách", "probationary", 1),
    ("warning", "Cảnh cáo", "probationary", 2),
)
RULES: tuple[dict[str, Any], ...] = (
    {
        "code": "102-QĐ/TW",
        "title": "Quy định số 102-QĐ/TW ngày 15/11/2017 của Bộ Chính trị về xử lý kỷ luật đảng "
        "viên vi phạm (và các quy định trước đó)",
        "valid_from": BEGINNING,
        "valid_to": date(2022, 7, 6),
        "forms": FORMS,
    },
    {
        "code": "69-QĐ/TW",
        "title": "Quy định số 69-QĐ/TW ngày 06/7/2022 của Bộ Chính trị về kỷ luật tổ chức đảng, "
        "đảng viên vi phạm",
        "valid_from": date(2022, 7, 6),
        "valid_to": END_OF_TIME,
        "forms": FORMS,
    },
)


def rules_sync(rule_model: Any, form_model: Any) -> None:
    for spec in RULES:
        rule, _ = rule_model.objects.update_or_create(
            code=spec["code"],
            defaults={k: spec[k] for k in ("title", "valid_from", "valid_to")},
        )
        for code, label, applies, rank in spec["forms"]:
            form_model.objects.update_or_create(
                rule=rule, code=code, applies=applies, defaults={"label": label, "rank": rank}
            )
