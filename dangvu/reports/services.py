"""Writes of summary reports."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.indicators.models import Programme
from dangvu.lib.periods import Period
from dangvu.reports.models import SECTIONS, SummaryReport
from dangvu.units.models import Unit

TITLE_REQUIRED = "Trích yếu của báo cáo không được để trống."


@transaction.atomic
def summary_report_save(
    *,
    report: SummaryReport | None = None,
    programme: Programme,
    unit: Unit,
    period: Period,
    title: str,
    issuer: str,
    superior: str = "",
    number: str = "",
    symbol: str = "BC/TU",
    place: str = "",
    issued_on: date | None = None,
    signer_role: str = "T/M BAN THƯỜNG VỤ",
    signer_title: str = "BÍ THƯ",
    signer_name: str = "",
    recipients: str = "",
    section_iv_title: str = "NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI",
    narrative: dict[str, str] | None = None,
    actor: User | None = None,
) -> SummaryReport:
    """Create or update a summary report's heading, signature and narrative."""
    if not title.strip():
        raise DomainError(TITLE_REQUIRED)
    report = report or SummaryReport(created_by=actor)
    report.programme = programme
    report.unit = unit
    report.period = period.label
    report.title = " ".join(title.split())
    report.issuer = issuer.strip()
    report.superior = superior.strip()
    report.number = number.strip()
    report.symbol = symbol.strip() or "BC/TU"
    report.place = place.strip() or report.place
    report.issued_on = issued_on
    report.signer_role = signer_role.strip()
    report.signer_title = signer_title.strip()
    report.signer_name = signer_name.strip()
    report.recipients = recipients.strip()
    report.section_iv_title = section_iv_title.strip() or report.section_iv_title
    keys = {key for key, _ in SECTIONS}
    report.narrative = {
        k: v.strip() for k, v in (narrative or {}).items() if k in keys and v.strip()
    }
    report.save()
    return report
