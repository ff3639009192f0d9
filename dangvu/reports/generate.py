"""Generate a summary report in each format from its record and the indicator values."""

from __future__ import annotations

import json
from datetime import date

from dangvu.indicators.disclosure import Viewer
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


def heading(version: UnitVersion, day: date) -> tuple[str, str, str]:
    """(superior body, issuing body, symbol suffix) as a committee at this level signs."""
    parent = UnitVersion.objects.as_of(day).filter(unit_id=version.parent_id).first()
    above = parent.name if parent else ""
    name = version.name
    if version.kind == UnitKind.PROVINCE:
        return name, "Tỉnh ủy", "BC/TU"
    if version.kind == UnitKind.DIRECT:
        suffix = (
            "BC/HU"
            if name.startswith("Huyện ủy")
            else "BC/ĐU"
            if name.startswith("Đảng ủy")
            else "BC/TU"
        )
        return above, name, suffix
    if version.kind in (UnitKind.GRASSROOTS_COMMITTEE, UnitKind.PARTIAL_COMMITTEE):
        return above, "Đảng ủy " + name.removeprefix("Đảng bộ ").strip(), "BC/ĐU"
    return above, name, "BC/CB"


def draft(*, unit: Unit, period: Period, programme: Programme) -> SummaryReport:
    """An unsaved report with the headings a committee at this level would use."""
    day = period.last_day
    version = unit.version_on(day) or unit.latest_version()
    superior, issuer, symbol = heading(version, day)
    root = version.ancestor_ids[0] if version.ancestor_ids else version.unit_id
    province = UnitVersion.objects.as_of(day).filter(unit_id=root).first()
    place = (province.name if province else version.name).replace("Đảng bộ tỉnh ", "")
    title = (
        f"Sơ kết thực hiện {programme.short_name}, ngày {programme.issued_on:%d/%m/%Y} của "
        f"{programme.issuer} ({period.display()})"
    )
    return SummaryReport(
        programme=programme,
        unit=unit,
        period=period.label,
        title=title,
        issuer=issuer,
        superior=superior,
        symbol=symbol,
        place=place,
        narrative={},
    )


def data_for(summary: SummaryReport, *, viewer: Viewer) -> Report:
    """The figures of the report as the viewer may see them (the command line: all)."""
    return report_for(
        unit=summary.unit,
        period=parse_period(summary.period),
        prog=summary.programme,
        viewer=viewer,
    )


def render(
    summary: SummaryReport, fmt: str, *, viewer: Viewer, data: Report | None = None
) -> bytes:
    data = data or data_for(summary, viewer=viewer)
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
