"""The committee's summary report ends with the annex of its round: the figures of every
unit whose report it accepted, from their snapshots, side by side with their sum — read
back with python-docx. Đảng bộ tỉnh Đắk Nông's five-year review and its round over Cư Jút,
Đắk Mil and Tuy Đức (rounds/tests/conftest.py)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.table import Table

from dangvu.accounts.models import Department, User
from dangvu.conftest import World, _user
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Indicator
from dangvu.indicators.services import entered_value_set
from dangvu.lib.dates import format_number
from dangvu.lib.periods import Period
from dangvu.reports import generate
from dangvu.reports.models import SummaryReport
from dangvu.rounds import services
from dangvu.rounds.models import ReportingRound, RoundReport
from dangvu.rounds.tests import conftest as rounds_conftest
from dangvu.rounds.tests.conftest import report_of, texts_for

# The round's fixtures: the offices of the province and its districts, the five-year round.
offices, rnd = rounds_conftest.offices, rounds_conftest.rnd

OPERATOR = Viewer.operator()
FRONT = "supervision.front_total"
FRONT_LABEL = "Số cuộc giám sát của MTTQ và các đoàn thể"


def _open(content: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(content))


def _rows(table: Table) -> dict[str, list[str]]:
    """Indicator label → its cells after the unit of count (group headings left out)."""
    out = {}
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if len(set(cells)) > 1:
            out[cells[0]] = cells[2:]
    return out


def _text(value: float | None) -> str:
    return "–" if value is None else format_number(value)


WRITER = {"DN.CUJUT": "vp.cujut", "DN.DAKMIL": "vp.dakmil", "DN.TUYDUC": "vp.tuyduc"}


def _accept(rnd: ReportingRound, world: World, offices: dict[str, User], code: str) -> RoundReport:
    report = report_of(rnd, world, code)
    services.report_submit(report=report, texts=texts_for(rnd), actor=offices[WRITER[code]])
    return services.report_accept(report=report, actor=offices["vp.tinh"], at=date(2023, 6, 20))


def _enter(world: World, code: str, period: Period, value: int) -> None:
    entered_value_set(
        indicator=Indicator.objects.get(code=FRONT),
        unit=world.units[code],
        period=period,
        value=Decimal(value),
    )


@pytest.fixture
def two_accepted(
    world: World, offices: dict[str, User], rnd: ReportingRound, period: Period
) -> list[RoundReport]:
    """Cư Jút (7 supervisions) and Đắk Mil (5) accepted; Tuy Đức still drafting."""
    _enter(world, "DN.CUJUT", period, 7)
    _enter(world, "DN.DAKMIL", period, 5)
    accepted = [_accept(rnd, world, offices, code) for code in ("DN.CUJUT", "DN.DAKMIL")]
    services.report_save(
        report=report_of(rnd, world, "DN.TUYDUC"), texts={}, actor=offices["vp.tuyduc"]
    )
    return accepted


def test_it_ends_with_the_figures_of_the_accepted_reports(
    summary: SummaryReport, two_accepted: list[RoundReport]
) -> None:
    document = _open(generate.render(summary, "docx", viewer=OPERATOR))
    texts = [p.text for p in document.paragraphs]
    table = document.tables[-1]

    assert "PHỤ LỤC: SỐ LIỆU CỦA CÁC ĐƠN VỊ BÁO CÁO" in texts
    assert "(Kèm theo Báo cáo số 371-BC/TU, ngày 21/07/2023 của Tỉnh ủy)" in texts
    assert "Đã chấp nhận 2/3 báo cáo; chưa chấp nhận: Huyện ủy Tuy Đức (đang soạn)." in texts
    # After the signature: the closing table comes before the annex's.
    assert len(document.tables) == 3
    assert document.tables[1].rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    body = document.element.body
    assert list(body).index(table._tbl) > list(body).index(document.tables[1]._tbl)
    heads = [c.text for c in table.rows[0].cells]
    assert heads == ["Chỉ tiêu", "Đơn vị tính", "Huyện ủy Cư Jút", "Huyện ủy Đắk Mil", "Cộng"]
    rows = _rows(table)
    assert rows[FRONT_LABEL] == ["7", "5", "12"]
    cujut, dakmil = (r.snapshot["totals"] for r in two_accepted)
    for indicator in Indicator.objects.filter(group__programme=summary.programme):
        if indicator.sensitive == "discipline":
            continue
        assert rows[indicator.label][:2] == [
            _text(cujut[indicator.code]),
            _text(dakmil[indicator.code]),
        ], indicator.code
    assert rows["Tổng số đảng viên"] == ["5", "2", "7"]
    assert rows["Tỷ lệ đạt bài kiểm tra nhanh"][2] == ""  # a rate is not added up
    assert "Huyện ủy Tuy Đức" not in heads


def test_it_prints_the_snapshot_not_the_figures_written_since(
    summary: SummaryReport, two_accepted: list[RoundReport], world: World, period: Period
) -> None:
    # Life goes on: Cư Jút's reopened for a fix would change it; a record of a unit of the
    # province outside the round does not touch the annex.
    _enter(world, "DN.TUYDUC", period, 40)
    rows = _rows(_open(generate.render(summary, "docx", viewer=OPERATOR)).tables[-1])

    assert rows[FRONT_LABEL] == ["7", "5", "12"]


def test_it_turns_the_page_to_landscape_for_many_units(
    summary: SummaryReport, world: World, offices: dict[str, User], rnd: ReportingRound
) -> None:
    for code in ("DN.CUJUT", "DN.DAKMIL", "DN.TUYDUC"):
        _accept(rnd, world, offices, code)
    document = _open(generate.render(summary, "docx", viewer=OPERATOR))

    first, annex = document.sections[0], document.sections[-1]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert annex.page_width > annex.page_height
    assert "Đã chấp nhận 3/3 báo cáo." in [p.text for p in document.paragraphs]
    assert [c.text for c in document.tables[-1].rows[0].cells][2:] == [
        "Huyện ủy Cư Jút",
        "Huyện ủy Đắk Mil",  # Vietnamese order: Đ right after D
        "Huyện ủy Tuy Đức",
        "Cộng",
    ]


def test_it_has_no_annex_without_a_round(summary: SummaryReport) -> None:
    document = _open(generate.render(summary, "docx", viewer=OPERATOR))

    assert len(document.tables) == 2
    assert not [p for p in document.paragraphs if p.text.startswith("PHỤ LỤC")]
    assert len(document.sections) == 1


def test_it_has_no_annex_before_a_report_is_accepted(
    summary: SummaryReport, world: World, offices: dict[str, User], rnd: ReportingRound
) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    services.report_submit(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    document = _open(generate.render(summary, "docx", viewer=OPERATOR))

    assert len(document.tables) == 2
    assert not [p for p in document.paragraphs if p.text.startswith("PHỤ LỤC")]


def test_it_leaves_out_the_discipline_figures_for_a_reader_without_the_capability(
    summary: SummaryReport, two_accepted: list[RoundReport], world: World
) -> None:
    discipline = list(Indicator.objects.filter(sensitive="discipline"))
    _user(world, "ubkt.tinh", roles=(("DN", Department.INSPECTION),))
    office = _open(generate.render(summary, "docx", viewer=Viewer.of(world.users["tochuc"])))
    inspector = _open(generate.render(summary, "docx", viewer=Viewer.of(world.users["ubkt.tinh"])))

    assert discipline
    office_rows, inspector_rows = _rows(office.tables[-1]), _rows(inspector.tables[-1])
    cujut = two_accepted[0].snapshot["totals"]
    for indicator in discipline:
        assert indicator.label not in office_rows
        assert inspector_rows[indicator.label][0] == _text(cujut[indicator.code])
    notes = [p.text for p in office.paragraphs if p.text.startswith("Không in ")]
    assert notes == [
        f"Không in {len(discipline)} chỉ tiêu số liệu về con người (kiểm tra, kỷ luật, xếp "
        "loại) mà người tải văn bản không có thẩm quyền xem."
    ]
    # Figures about members (ratings) the office reaches: printed.
    assert "Xếp loại chất lượng đảng viên" in office_rows


def test_it_has_no_annex_for_a_reader_who_no_longer_reads_the_round(
    summary: SummaryReport, two_accepted: list[RoundReport], world: World
) -> None:
    """A viewer who may not read what the units sent (a role over the province that
    ended; the pages answer 404 before: this is the generator's own check)."""
    _user(world, "vp.cu", roles=(("DN", Department.OFFICE),), until=date(2024, 1, 1))
    document = _open(generate.render(summary, "docx", viewer=Viewer.of(world.users["vp.cu"])))

    assert len(document.tables) == 2
    assert not [p for p in document.paragraphs if p.text.startswith("PHỤ LỤC")]
