"""The report as a workbook: one sheet per group, the years of the period across, then the
whole period ("Cả kỳ"), read back with openpyxl."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dangvu.conftest import World
from dangvu.indicators.disclosure import Viewer
from dangvu.lib.periods import parse_period
from dangvu.reports import generate
from dangvu.reports.models import SummaryReport
from dangvu.reports.tests.conftest import enter

OPERATOR = Viewer.operator()  # the figures as they are

YEARS = ["2018", "2019", "2020", "2021", "2022", "2023"]
HEADERS = ["Mã chỉ tiêu", "Chỉ tiêu", "Khóa", *YEARS, "Cả kỳ", "Nguồn"]
SHEETS = ["To chuc", "Nhom 1", "Nhom 2.1", "Nhom 2.2", "Nhom 2.3", "Nhom 2.4", "Nhom 2.5"]


def _book(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content), data_only=True)


def _rows(sheet: Worksheet) -> dict[tuple[str, str], dict[str, Any]]:
    """(code, key label) → {header: value}, from the header row (row 4) down."""
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[3]]
    return {
        (row[0], row[2] or ""): dict(zip(headers, row, strict=True)) for row in rows[4:] if row[0]
    }


@pytest.fixture
def book(summary: SummaryReport, reviews: None) -> Any:
    return _book(generate.render(summary, "xlsx", viewer=OPERATOR))


def test_it_has_one_sheet_per_group(book: Any) -> None:
    assert book.sheetnames == SHEETS


def test_it_heads_each_sheet_with_the_group_and_the_years(book: Any) -> None:
    for name in SHEETS:
        sheet = book[name]
        assert [c.value for c in sheet[4]] == HEADERS, name
        assert sheet["A2"].value == "Đảng bộ tỉnh Đắk Nông — từ 05/07/2018 đến 30/06/2023"
    assert book["To chuc"]["A1"].value == "Tình hình tổ chức đảng"
    assert book["Nhom 2.5"]["A1"].value.startswith("2.5 Tăng cường hoạt động giám sát")


def test_it_counts_the_members_at_the_end_of_each_year(book: Any) -> None:
    members = _rows(book["To chuc"])[("org.members", "")]

    # Trần Văn An joined on 01/06/2019; the others were members throughout.
    assert [members[y] for y in YEARS] == [8, 9, 9, 9, 9, 9]
    assert members["Cả kỳ"] == 9
    assert members["Nguồn"] == "tính từ dữ liệu"
    assert members["Chỉ tiêu"] == "Tổng số đảng viên"


def test_it_writes_entered_figures_for_the_whole_period_only(book: Any) -> None:
    rows = _rows(book["Nhom 2.5"])
    total = rows[("supervision.front_total", "")]

    assert [total[y] for y in YEARS] == [0] * 6  # no record; the entry covers the period only
    assert total["Cả kỳ"] == 899
    assert total["Nguồn"] == "nhập tổng hợp"
    levels = {
        k: rows[("supervision.front_by_level", k)]["Cả kỳ"]
        for k in ("Cấp tỉnh", "Cấp huyện", "Cấp xã")
    }
    assert levels == {"Cấp tỉnh": 35, "Cấp huyện": 199, "Cấp xã": 745}


def test_it_spreads_by_year_figures_over_the_years(book: Any) -> None:
    reviewed = _rows(book["Nhom 2.2"])[("review.members_reviewed", "")]

    assert [reviewed[y] for y in YEARS] == [0, 24986, 25149, 25555, 26331, 0]
    assert reviewed["Cả kỳ"] == 24986 + 25149 + 25555 + 26331


def test_it_marks_indicators_without_data(book: Any) -> None:
    row = _rows(book["Nhom 2.1"])[("reward.hcm_party_orgs", "")]

    assert [row[y] for y in YEARS] == [None] * 6
    assert row["Cả kỳ"] is None
    assert row["Nguồn"] == "chưa có số liệu"


def test_it_adds_monthly_and_quarterly_figures_into_their_year(
    world: World, summary: SummaryReport
) -> None:
    province = world.units["DN"]
    enter(province, parse_period("2019-07"), "meeting.regular_held", 40)
    enter(province, parse_period("2019-08"), "meeting.regular_held", 2)
    enter(province, parse_period("2021Q1"), "meeting.thematic_held", 7)
    rows = _rows(_book(generate.render(summary, "xlsx", viewer=OPERATOR))["Nhom 2.3"])
    regular, thematic = rows[("meeting.regular_held", "")], rows[("meeting.thematic_held", "")]

    assert (regular["2019"], regular["Cả kỳ"]) == (42, 42)
    assert (thematic["2021"], thematic["Cả kỳ"]) == (7, 7)
