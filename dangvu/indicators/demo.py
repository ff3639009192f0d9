"""Demo: the seed's entered figures for Đảng bộ tỉnh Đắk Nông over the seed's period.

Entered indicators (press agencies, Tổ 35, online halls...) are typed in by the propaganda
department. The Front's supervisions are records (supervision/demo.py: 35, 199 and 745 by
level); the province's printed total, 899, is entered as a *historical* value, as printed —
which is why the validation report shows the seed's own inconsistency (899 ≠ 979).
"""

from __future__ import annotations

from decimal import Decimal

from dangvu.demo.registry import PERIOD_END, PERIOD_START, DemoContext, demo_step
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.indicators.models import Indicator
from dangvu.indicators.services import entered_value_set
from dangvu.lib.periods import between

ENTERED = {
    "study.online_halls_district": 9,
    "study.online_rooms_commune": 71,
    "media.press_agencies_local": 3,
    "media.press_agencies_central": 3,
    "media.press_agencies_registered": 30,
    "media.websites": 200,
    "media.issues_oriented": 40,
    "propaganda.teams_35": 557,
    "propaganda.online_pages": 50,
    "supervision.front_total": 899,
}
SOURCE = "Báo cáo sơ kết 05 năm Đề án 05-ĐA/TU (số liệu tổng hợp)"


@demo_step(order=500, label="Số liệu tổng hợp nhập tay của Đề án 05")
def entered_figures(ctx: DemoContext) -> None:
    catalogue_sync()  # the catalogue is reference data; a fresh demo starts from empty tables
    province = ctx.units["DN"]
    period = between(PERIOD_START, PERIOD_END)
    indicators = {i.code: i for i in Indicator.objects.all()}
    for code, value in ENTERED.items():
        entered_value_set(
            indicator=indicators[code],
            unit=province,
            period=period,
            value=Decimal(value),
            note=SOURCE,
        )
    ctx.summary["entered_values"] = len(ENTERED)
