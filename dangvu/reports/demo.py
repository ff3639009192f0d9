"""Demo: the five-year summary report of Đề án 05 for Đảng bộ tỉnh Đắk Nông, with the seed
report's own heading, narrative (sections II–IV and the opening of each part of I) and
signature, so the generated DOCX reads like the seed; its figures come from the data."""

from __future__ import annotations

import json
from pathlib import Path

from dangvu.demo.registry import PERIOD_END, PERIOD_START, DemoContext, demo_step
from dangvu.indicators.models import Programme
from dangvu.lib.periods import between
from dangvu.reports.services import summary_report_save

SEED_REPORT = Path(__file__).parent / "data" / "seed_report.json"


@demo_step(order=600, label="Báo cáo sơ kết 05 năm Đề án 05")
def seed_report(ctx: DemoContext) -> None:
    data = json.loads(SEED_REPORT.read_text(encoding="utf-8"))
    summary_report_save(
        programme=Programme.objects.get(code="DA05"),
        unit=ctx.units["DN"],
        period=between(PERIOD_START, PERIOD_END),
        title=data["title"],
        superior="Đảng bộ tỉnh Đắk Nông",
        issuer="Tỉnh ủy",
        place="Đắk Nông",
        signer_role=data["signer_role"],
        signer_title=data["signer_title"],
        signer_name=data["signer_name"],
        recipients=data["recipients"],
        section_iv_title=data["section_iv_title"],
        narrative=data["narrative"],
    )
