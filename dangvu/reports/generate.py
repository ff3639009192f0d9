"""Generate a summary report in each format from its record and the indicator values;
where the report's unit ran a reporting round for the same programme and period, the
JSON carries the round's counts and the DOCX ends with the accepted units' figures."""

from __future__ import annotations

import json
from datetime import date

from dangvu.core.replica import reads_from_replica
from dangvu.indicators import selectors as indicator_selectors
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Programme
from dangvu.indicators.selectors import Report, report_for, unit_name_on
from dangvu.lib.dates import format_date
from dangvu.lib.periods import Period, parse_period
from dangvu.reports.compose import compose
from dangvu.reports.docx import NO_FIGURE_NOTE, Annex, build_docx, figure_rows, figure_text
from dangvu.reports.models import SummaryReport
from dangvu.reports.xlsx import build_xlsx
from dangvu.rounds import access as round_access
from dangvu.rounds import figures as round_figures
from dangvu.rounds import selectors as round_selectors
from dangvu.rounds.models import ReportingRound, ReportState
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


def _province_place(version: UnitVersion, day: date) -> str:
    root = version.ancestor_ids[0] if version.ancestor_ids else version.unit_id
    province = UnitVersion.objects.as_of(day).filter(unit_id=root).first()
    return (province.name if province else version.name).replace("Đảng bộ tỉnh ", "")


#: The names that carry a place: a district's committee, a commune's or ward's committee.
PLACE_PREFIXES = (
    "Huyện ủy ",
    "Thành ủy ",
    "Thị ủy ",
    "Quận ủy ",
    "Đảng bộ huyện ",
    "Đảng bộ thành phố ",
    "Đảng bộ thị xã ",
    "Đảng bộ xã ",
    "Đảng bộ phường ",
    "Đảng bộ thị trấn ",
    "Đảng ủy xã ",
    "Đảng ủy phường ",
    "Đảng ủy thị trấn ",
)


def locality(version: UnitVersion, day: date) -> str:
    """The place a committee dates its documents at: its district's or commune's own name
    ("Cư Jút", "Đức Minh") when it or a unit above it is one, else the province's."""
    ids = [*version.ancestor_ids[1:], version.unit_id]
    names = dict(
        UnitVersion.objects.as_of(day).filter(unit_id__in=ids).values_list("unit_id", "name")
    )
    names[version.unit_id] = version.name
    for unit_id in reversed(ids):
        name = names.get(unit_id, "")
        for prefix in PLACE_PREFIXES:
            if name.startswith(prefix) and name.removeprefix(prefix).strip():
                return name.removeprefix(prefix).strip()
    return _province_place(version, day)


def draft(*, unit: Unit, period: Period, programme: Programme) -> SummaryReport:
    """An unsaved report with the headings a committee at this level would use."""
    day = period.last_day
    version = unit.version_on(day) or unit.latest_version()
    superior, issuer, symbol = heading(version, day)
    place = _province_place(version, day)
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


def round_of(summary: SummaryReport, *, viewer: Viewer) -> ReportingRound | None:
    """The round the report's unit launched for its programme and period, when the viewer
    may read what the units sent in it (the operator: always)."""
    rnd = round_selectors.round_for(
        unit_id=summary.unit_id, programme_id=summary.programme_id, period=summary.period
    )
    if rnd is None or not round_access.may_read_sent(viewer.scope, rnd):
        return None
    return rnd


def round_json(rnd: ReportingRound) -> dict[str, object]:
    """The round in `dangvu report --format json`: its title and how many units report,
    have sent (and not been returned), were accepted, are late."""
    return {"title": rnd.title, **round_selectors.counts(rnd).as_json()}


ANNEX_TITLE = "PHỤ LỤC: SỐ LIỆU CỦA CÁC ĐƠN VỊ BÁO CÁO"
ANNEX_TOTAL = "Cộng"
ANNEX_HIDDEN = (
    "Không in {n} chỉ tiêu số liệu về con người (kiểm tra, kỷ luật, xếp loại) mà người tải "
    "văn bản không có thẩm quyền xem."
)


def attached_to(*, number: str, symbol: str, day: date | None, issuer: str) -> str:
    """An annex's line under its title: "(Kèm theo Báo cáo số 371-BC/TU, ngày 21/07/2023
    của Tỉnh ủy)"; without the number or the day until they are given."""
    numbered = f" số {number.strip()}-{symbol}" if number.strip() else ""
    dated = f", ngày {format_date(day)}" if day else ""
    return f"(Kèm theo Báo cáo{numbered}{dated} của {issuer})"


def round_annex(summary: SummaryReport, rnd: ReportingRound, *, viewer: Viewer) -> Annex | None:
    """The figures of every unit whose report the round accepted, from their snapshots,
    side by side with their sum; None while no report is accepted."""
    names, table = round_selectors.annex(rnd, viewer.scope)
    if not names:
        return None
    named = round_selectors.named_reports(rnd)
    waiting = [
        f"{name} ({report.get_state_display().lower()})"
        for name, report in named
        if report.state != ReportState.ACCEPTED
    ]
    lines = [f"Đợt báo cáo: {rnd.title}", f"Đã chấp nhận {len(names)}/{len(named)} báo cáo"]
    if waiting:
        lines[-1] += "; chưa chấp nhận: " + ", ".join(waiting)
    lines[-1] += "."
    items = []
    for indicator, values in table:
        numbers = [v for v in values if v is not None]
        total = sum(numbers) if numbers and round_figures.additive(indicator) else None
        cells = [figure_text(v) for v in values]
        cells.append(figure_text(total) if round_figures.additive(indicator) else "")
        items.append((indicator, cells))
    notes = [NO_FIGURE_NOTE]
    hidden = len(indicator_selectors.indicators_of(rnd.programme)) - len(table)
    if hidden:
        notes.append(ANNEX_HIDDEN.format(n=hidden))
    return Annex(
        title=ANNEX_TITLE,
        subtitle=attached_to(
            number=summary.number,
            symbol=summary.symbol,
            day=summary.issued_on,
            issuer=summary.issuer,
        ),
        lines=lines,
        columns=[*names, ANNEX_TOTAL],
        rows=figure_rows(items),
        notes=notes,
    )


@reads_from_replica()
def render(
    summary: SummaryReport, fmt: str, *, viewer: Viewer, data: Report | None = None
) -> bytes:
    data = data or data_for(summary, viewer=viewer)
    rnd = round_of(summary, viewer=viewer) if fmt != "xlsx" else None
    if fmt == "json":
        payload = data.as_json()
        if rnd is not None:
            payload["round"] = round_json(rnd)
        return json.dumps(payload, ensure_ascii=False, indent=2).encode()
    if fmt == "xlsx":
        return build_xlsx(data)
    # Unsigned yet: the year of the period's end (a review is written when its period ends).
    year = (
        summary.issued_on.year if summary.issued_on else parse_period(summary.period).last_day.year
    )
    annex = round_annex(summary, rnd, viewer=viewer) if rnd is not None else None
    return build_docx(summary, compose(summary, data), year=year, annexes=[annex] if annex else [])


def file_name(summary: SummaryReport, fmt: str) -> str:
    unit = unit_name_on(summary.unit, parse_period(summary.period).last_day)
    from dangvu.lib.vietnamese import fold

    slug = "-".join(fold(unit).replace("'", "").split())[:60]
    return (
        f"bao-cao-{summary.programme.code.lower()}-{slug}-{summary.period.replace('..', '_')}.{fmt}"
    )
