"""`summary_report_save`: the heading, signature and narrative of a report."""

from __future__ import annotations

import pytest

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.models import Programme
from dangvu.lib.periods import Period
from dangvu.reports.models import SummaryReport
from dangvu.reports.services import TITLE_REQUIRED, summary_report_save


def _save(world: World, programme: Programme, period: Period, **fields: object) -> SummaryReport:
    return summary_report_save(
        programme=programme,
        unit=world.units["DN"],
        period=period,
        issuer="Tỉnh ủy",
        actor=world.users["tochuc"],
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("title", ["", " \n\t "])
def test_it_requires_a_title(
    world: World, programme: Programme, period: Period, title: str
) -> None:
    with pytest.raises(DomainError) as error:
        _save(world, programme, period, title=title)

    assert error.value.message == TITLE_REQUIRED == "Trích yếu của báo cáo không được để trống."
    assert not SummaryReport.objects.exists()


def test_it_keeps_only_written_sections(world: World, programme: Programme, period: Period) -> None:
    report = _save(
        world,
        programme,
        period,
        title="  Sơ kết   Đề án\n05  ",
        narrative={"III": "  Bài học.  ", "IV": "   ", "V": "Không có mục này."},
    )

    report.refresh_from_db()
    assert report.title == "Sơ kết Đề án 05"
    assert report.narrative == {"III": "Bài học."}
    assert report.period == "2018-07-05..2023-06-30"
    assert (report.symbol, report.place) == ("BC/TU", "Đắk Nông")
    assert report.created_by == world.users["tochuc"]


def test_it_updates_a_report_in_place(world: World, programme: Programme, period: Period) -> None:
    report = _save(world, programme, period, title="Bản nháp", number="370")
    _save(world, programme, period, report=report, title="Bản chính", number="371", symbol=" ")

    report.refresh_from_db()
    assert SummaryReport.objects.count() == 1
    assert (report.title, report.number, report.symbol) == ("Bản chính", "371", "BC/TU")
    assert report.number_line == "Số 371-BC/TU"


def test_it_splits_the_narrative_into_paragraphs(
    world: World, programme: Programme, period: Period
) -> None:
    report = _save(
        world, programme, period, title="Báo cáo", narrative={"1": "Đoạn một.\r\n\r\n\r\nĐoạn hai."}
    )

    assert report.text("1") == ["Đoạn một.", "Đoạn hai."]
    assert report.text("2.1") == []
