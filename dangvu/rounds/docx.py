"""A unit's report in a round as a DOCX in Party format, with the unit's own header
("HUYỆN ỦY CƯ JÚT", "Số 12-BC/HU", dated at "Cư Jút"): each section of the round's
outline with the unit's text, the signature, then an annex of the unit's figures — the
snapshot the level above accepted, else the live figures as the reader may see them.
The layout is the committee's summary report's (reports/docx.py), shared, not copied."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.indicators.disclosure import WITHHELD, Viewer
from dangvu.indicators.models import Indicator
from dangvu.indicators.selectors import indicators_of, report_for
from dangvu.lib.dates import format_date
from dangvu.reports.docx import (
    NO_FIGURE_NOTE,
    Annex,
    Letterhead,
    add_paragraph,
    figure_rows,
    figure_text,
    finish_document,
    number_line,
    paragraphs_of,
    party_date,
    start_document,
)
from dangvu.reports.generate import attached_to, heading, locality
from dangvu.rounds import access, figures, selectors
from dangvu.rounds.models import WITH_UNIT, ReportState, RoundReport
from dangvu.units.models import Unit, UnitKind, UnitVersion

ANNEX_TITLE = "PHỤ LỤC — SỐ LIỆU"
ACCEPTED = "Số liệu đã được {unit} chấp nhận ngày {day}."
LIVE = "Số liệu tính từ dữ liệu ngày {day}, chưa được {unit} chấp nhận."
NOT_SHOWN = (
    "Số liệu về con người (kiểm tra, kỷ luật, xếp loại) chỉ in cho người có thẩm quyền xem: "
    "«không công bố»."
)


def _version(unit: Unit, day: date) -> UnitVersion:
    return unit.version_on(day) or unit.latest_version()


def _signer(kind: str) -> tuple[str, str]:
    """Who signs for the unit (thẩm quyền ký, chức vụ)."""
    if kind in (UnitKind.PROVINCE, UnitKind.DIRECT):
        return "T/M BAN THƯỜNG VỤ", "BÍ THƯ"
    if kind in (UnitKind.GRASSROOTS_COMMITTEE, UnitKind.PARTIAL_COMMITTEE):
        return "T/M ĐẢNG ỦY", "BÍ THƯ"
    return "T/M CHI BỘ", "BÍ THƯ"


def _dated(report: RoundReport) -> date | None:
    """The day the text shown was sent; none for a text still with the unit (a draft)."""
    if report.state in WITH_UNIT or report.submitted_at is None:
        return None
    return timezone.localtime(report.submitted_at).date()


def letterhead(report: RoundReport, *, round_issuer: str) -> tuple[Letterhead, str]:
    """The unit's own heading (under its superior, its symbol, dated at its place) and the
    symbol; the date is left blank until the report is sent."""
    rnd = report.round
    day = figures.period_of(rnd).last_day
    version = _version(report.unit, day)
    superior, issuer, symbol = heading(version, day)
    sent = _dated(report)
    role, title = _signer(version.kind)
    head = Letterhead(
        superior=superior,
        issuer=issuer,
        number_line=number_line(report.number, symbol),
        date_line=party_date(locality(version, day), sent, (sent or timezone.localdate()).year),
        title=rnd.title,
        recipients=f"- {round_issuer} (b/c),\n- Lưu Văn phòng.",
        signer_role=role,
        signer_title=title,
        signer_name=report.signer_name,
    )
    return head, symbol


def _shown(viewer: Viewer, report: RoundReport, indicator: Indicator) -> bool:
    """A figure about persons only to whoever reaches those records over the round's unit
    as it stood at the launch — the board's and the annex's rule (`access.sees_sensitive`)."""
    return access.sees_sensitive(viewer.scope, report.round, indicator.sensitive)


def figures_annex(report: RoundReport, *, user: User, round_issuer: str, subtitle: str) -> Annex:
    """The unit's figures: the accepted snapshot, else the live figures as `user` sees them."""
    rnd = report.round
    viewer = Viewer.of(user)
    period = figures.period_of(rnd)
    name = _version(report.unit, period.last_day).name
    notes = [NO_FIGURE_NOTE]
    items: list[tuple[Indicator, list[str]]] = []
    if report.state == ReportState.ACCEPTED and report.snapshot is not None:
        accepted = report.accepted_at or report.updated_at
        day = format_date(timezone.localtime(accepted).date())
        line = ACCEPTED.format(unit=round_issuer, day=day)
        totals = report.snapshot.get("totals", {})
        hidden = False
        for indicator in indicators_of(rnd.programme):
            if _shown(viewer, report, indicator):
                items.append((indicator, [figure_text(totals.get(indicator.code))]))
            else:
                hidden = True
                items.append((indicator, [figure_text(WITHHELD)]))
        if hidden:
            notes.append(NOT_SHOWN)
    else:
        line = LIVE.format(unit=round_issuer, day=format_date(timezone.localdate()))
        data = report_for(
            unit=report.unit,
            period=figures.period_of(rnd),
            prog=rnd.programme,
            viewer=viewer,
            with_findings=False,
        )
        for block in data.blocks:
            for figure in block.lines:
                value = None if figure.status == "missing" else figure.total
                items.append((figure.indicator, [figure_text(value)]))
                if figure.published and figure.published.note not in notes:
                    notes.append(figure.published.note)
    return Annex(
        title=ANNEX_TITLE,
        subtitle=subtitle,
        lines=[f"{name} — {period.display()}", line],
        columns=[name],
        rows=figure_rows(items),
        notes=notes,
    )


def unit_report_docx(report: RoundReport, *, user: User) -> bytes:
    """The report as `user` reads it: a writer's working text, what was sent for everyone
    else (call after `selectors.report_or_404`)."""
    rnd = report.round
    day = figures.period_of(rnd).last_day
    round_issuer = heading(_version(rnd.unit, day), day)[1]
    head, symbol = letterhead(report, round_issuer=round_issuer)
    document, _ = start_document(head)
    texts = selectors.texts_shown(report, user)
    for key, title in rnd.sections():
        add_paragraph(document, title, heading=True)
        for text in paragraphs_of(texts.get(key, "")):
            add_paragraph(document, text)
    subtitle = attached_to(
        number=report.number, symbol=symbol, day=_dated(report), issuer=head.issuer
    )
    annex = figures_annex(report, user=user, round_issuer=round_issuer, subtitle=subtitle)
    return finish_document(document, head, [annex])


def file_name(report: RoundReport) -> str:
    return f"bao-cao-{report.unit.code.lower()}-{report.round_id}.docx"
