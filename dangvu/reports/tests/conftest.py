"""Fixtures of the reports tests: the five-year review period of Đề án 05, the figures the
Front and the propaganda department typed in for Đảng bộ tỉnh Đắk Nông (the seed report's
own numbers), the report the provincial committee saved, and review computations.

The seed's supervision figures do not add up (35 + 199 + 745 = 979, not 899): the report
prints them as entered and the validation finds the mismatch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from dangvu.conftest import World
from dangvu.indicators.engine import Ctx
from dangvu.indicators.models import Indicator, Programme
from dangvu.indicators.registry import COMPUTATIONS, Rows
from dangvu.indicators.services import entered_value_set
from dangvu.lib.periods import Period, between
from dangvu.reports.models import SummaryReport
from dangvu.reports.services import summary_report_save
from dangvu.units.models import Unit, UnitVersion


@pytest.fixture(autouse=True)
def an_indicator_without_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """`reward.hcm_party_orgs` stands for an indicator no module computes (awards compute it;
    their own tests count it): how a report shows "chưa có số liệu"."""
    monkeypatch.delitem(COMPUTATIONS, "reward.hcm_party_orgs")


START, END = date(2018, 7, 5), date(2023, 6, 30)
PERIOD_LABEL = "2018-07-05..2023-06-30"

MEDIA = {
    "media.press_agencies_local": 3,
    "media.press_agencies_central": 3,
    "media.press_agencies_registered": 30,
    "media.websites": 200,
    "media.issues_oriented": 40,
}
SUPERVISION_TOTAL = 899
SUPERVISION_LEVELS = {"province": 35, "district": 199, "commune": 745}

NARRATIVE = {
    "II.1": (
        "- Việc xây dựng, củng cố, bồi đắp chính trị, tư tưởng cho cán bộ, đảng viên có mặt "
        "chưa vững chắc.\n\n- Kỷ luật, kỷ cương ở một số tổ chức đảng chưa nghiêm."
    ),
    "III": (
        "1. Việc làm tốt công tác xây dựng, chỉnh đốn Đảng là tiền đề quan trọng.\n\n"
        "2. Sự lãnh đạo, chỉ đạo của cấp ủy các cấp là nhân tố quyết định."
    ),
    "IV": "Tiếp tục đổi mới phương thức học tập, quán triệt chỉ thị, nghị quyết của Đảng.",
}
RECIPIENTS = "- Ban Bí thư Trung ương Đảng,\n- Các đồng chí Tỉnh ủy viên,\n- Lưu Văn phòng Tỉnh ủy."

# Per year: (collectives reviewed, members reviewed, members present, members exempt) —
# the seed report's footnote 7 for 2019–2022.
REVIEWS = {
    "2019": (1075, 24986, 26257, 1271),
    "2020": (1333, 25149, 26712, 1563),
    "2021": (835, 25555, 27019, 1464),
    "2022": (892, 26331, 27560, 1229),
}
REVIEW_CODES = (
    "review.collectives_reviewed",
    "review.members_reviewed",
    "review.members_present",
    "review.members_exempt",
)


@pytest.fixture
def programme(db: None) -> Programme:
    return Programme.objects.get(code="DA05")


@pytest.fixture
def period() -> Period:
    return between(START, END)


def enter(unit: Unit, period: Period, code: str, value: float, key: str = "") -> None:
    entered_value_set(
        indicator=Indicator.objects.get(code=code),
        unit=unit,
        period=period,
        value=Decimal(value),
        key=key,
    )


@pytest.fixture
def figures(world: World, period: Period) -> None:
    """What the Front (mặt trận) and the propaganda department entered for the province."""
    province = world.units["DN"]
    enter(province, period, "supervision.front_total", SUPERVISION_TOTAL)
    for key, value in SUPERVISION_LEVELS.items():
        enter(province, period, "supervision.front_by_level", value, key)
    for code, value in MEDIA.items():
        enter(province, period, code, value)


def save_report(
    world: World, programme: Programme, period: Period, **changes: Any
) -> SummaryReport:
    fields: dict[str, Any] = {
        "programme": programme,
        "unit": world.units["DN"],
        "period": period,
        "title": "Sơ kết 05 năm thực hiện Đề án số 05-ĐA/TU, ngày 05/7/2018 của Ban Thường vụ Tỉnh ủy",
        "superior": "Đảng bộ tỉnh Đắk Nông",
        "issuer": "Tỉnh ủy",
        "number": "371",
        "symbol": "BC/TU",
        "place": "Đắk Nông",
        "issued_on": date(2023, 7, 21),
        "signer_role": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Lưu Văn Trung",
        "recipients": RECIPIENTS,
        "section_iv_title": "NHIỆM VỤ, GIẢI PHÁP TỪ NAY ĐẾN NĂM 2025",
        "narrative": NARRATIVE,
        "actor": world.users["tochuc"],
    }
    fields.update(changes)
    return summary_report_save(**fields)


@pytest.fixture
def summary(world: World, programme: Programme, period: Period, figures: None) -> SummaryReport:
    """The provincial committee's five-year review, as its office typed it in."""
    return save_report(world, programme, period)


def yearly(rows: dict[str, int], unit_code: str = "DN") -> Callable[[Ctx], Rows]:
    """A computation yielding `rows` (year → n) on the unit's path, for the years asked."""

    def compute(ctx: Ctx) -> Rows:
        path = UnitVersion.objects.filter(unit__code=unit_code).values_list("path", flat=True)[0]
        for bucket in ctx.buckets:
            if bucket.label in rows:
                yield bucket.label, "", path, rows[bucket.label]

    return compute


@pytest.fixture
def reviews(monkeypatch: pytest.MonkeyPatch) -> None:
    """Review figures (kiểm điểm) per year, as the reviews module would compute them."""
    for index, code in enumerate(REVIEW_CODES):
        rows = {year: values[index] for year, values in REVIEWS.items()}
        monkeypatch.setitem(COMPUTATIONS, code, yearly(rows))
