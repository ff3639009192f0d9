"""The rating rules shipped with dangvu (reference data, loaded by a data migration and
kept in step by `rules_sync`). A new rule is a new entry here and a migration calling
`rules_sync`; no code branches on a rule's number."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from dangvu.core.effective import BEGINNING, END_OF_TIME

FOUR_GRADES = (
    ("excellent", "Hoàn thành xuất sắc nhiệm vụ", None),
    ("good", "Hoàn thành tốt nhiệm vụ", None),
    ("done", "Hoàn thành nhiệm vụ", None),
    ("failed", "Không hoàn thành nhiệm vụ", None),
)

SCHEMES: tuple[dict[str, Any], ...] = (
    {
        "code": "132-QĐ/TW",
        "title": "Quy định số 132-QĐ/TW ngày 08/3/2018 của Bộ Chính trị về việc kiểm điểm và "
        "đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính "
        "trị (và các quy định bốn mức trước đó)",
        "issued_on": date(2018, 3, 8),
        "valid_from": BEGINNING,
        "valid_to": date(2023, 1, 1),
        "uses_points": False,
        "grades": FOUR_GRADES,
    },
    {
        "code": "124-QĐ/TW",
        "title": "Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị về kiểm điểm và đánh "
        "giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
        "issued_on": date(2023, 10, 4),
        "valid_from": date(2023, 1, 1),
        "valid_to": date(2025, 1, 1),
        "uses_points": False,
        "grades": FOUR_GRADES,
    },
    {
        "code": "366-QĐ/TW",
        "title": "Quy định số 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị về kiểm điểm, đánh giá, "
        "xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị (thang 100 điểm)",
        "issued_on": date(2025, 8, 30),
        "valid_from": date(2025, 1, 1),
        "valid_to": END_OF_TIME,
        "uses_points": True,
        "grades": (
            ("excellent", "Hoàn thành xuất sắc nhiệm vụ", Decimal(90)),
            ("good", "Hoàn thành tốt nhiệm vụ", Decimal(70)),
            ("done", "Hoàn thành nhiệm vụ", Decimal(50)),
            ("failed", "Không hoàn thành nhiệm vụ", None),
        ),
    },
)


def rules_sync(scheme_model: Any, grade_model: Any) -> None:
    """Create or update the shipped rules (models passed in: usable from a migration)."""
    for spec in SCHEMES:
        scheme, _ = scheme_model.objects.update_or_create(
            code=spec["code"],
            defaults={
                k: spec[k] for k in ("title", "issued_on", "valid_from", "valid_to", "uses_points")
            },
        )
        for rank, (code, label, least) in enumerate(spec["grades"], start=1):
            grade_model.objects.update_or_create(
                scheme=scheme,
                code=code,
                defaults={"label": label, "rank": rank, "min_points": least},
            )
