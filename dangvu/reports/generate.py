"""Generate a summary report in each format from its record and the indicator values."""

from __future__ import annotations

import json

from dangvu.indicators.models import Programme
from dangvu.indicators.selectors import Report, report_for, unit_name_on
from dangvu.lib.periods import Period, parse_period
from dangvu.reports.compose import compose
from dangvu.reports.docx import build_docx
from dangvu.reports.models import SummaryReport
from dangvu.reports.xlsx import build_xlsx
from dangvu.units.models import Unit, UnitKind, UnitVersion

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def draft(*, unit: Unit, period: Period, programme: Programme) -> SummaryReport:
    """An unsaved report with the headings a committee would use, to start from."""
    day = period.last_day
    version = (
        unit.versions.filter(valid_from__lte=day, valid_to__gt=day).first() or unit.latest_version()
    )
    province = (
        UnitVersion.objects.as_of(day)
        .filter(kind=UnitKind.PROVINCE, path=version.path[: version.path.find("/", 1) + 1])
        .first()
    )
    is_province = version.kind == UnitKind.PROVINCE
    issuer = "Tỉnh ủy" if is_province else version.name
    superior = version.name if is_province else (province.name if province else "")
    title = (
        f"Sơ kết thực hiện {programme.short_name}, ngày {programme.issued_on:%d/%m/%Y} của "
        f"{programme.issuer} ({period.display()})"
    )
    place = (province.name if province else version.name).replace("Đảng bộ tỉnh ", "")
    return SummaryReport(
        programme=programme,
        unit=unit,
        period=period.label,
        title=title,
        issuer=issuer,
        superior=superior,
        place=place,
        narrative={},
    )


def data_for(summary: SummaryReport) -> Report:
    return report_for(
        unit=summary.unit, period=parse_period(summary.period), prog=summary.programme
    )


def render(summary: SummaryReport, fmt: str, data: Report | None = None) -> bytes:
    data = data or data_for(summary)
    if fmt == "json":
        return json.dumps(data.as_json(), ensure_ascii=False, indent=2).encode()
    if fmt == "xlsx":
        return build_xlsx(data)
    # Unsigned yet: the year of the period's end (a review is written when its period ends).
    year = (
        summary.issued_on.year if summary.issued_on else parse_period(summary.period).last_day.year
    )
    return build_docx(summary, compose(summary, data), year=year)


def file_name(summary: SummaryReport, fmt: str) -> str:
    unit = unit_name_on(summary.unit, parse_period(summary.period).last_day)
    from dangvu.lib.vietnamese import fold

    slug = "-".join(fold(unit).replace("'", "").split())[:60]
    return (
        f"bao-cao-{summary.programme.code.lower()}-{slug}-{summary.period.replace('..', '_')}.{fmt}"
    )
