"""Sheet SoLieu of the exchange workbook: entered values imported all or nothing, and the
export that imports back to the same values."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from dangvu.accounts.models import Department
from dangvu.accounts.scope import build_scope
from dangvu.accounts.services import account_create, role_grant
from dangvu.exchange.services import ImportReport, workbook_export, workbook_import
from dangvu.exchange.workbook import BadCell, SheetResult
from dangvu.indicators.models import EnteredValue
from dangvu.indicators.services import TOO_LARGE
from dangvu.indicators.tests.helpers import EATLING, SEED_PERIOD, TDP1, enter
from dangvu.lib.periods import INVALID

HEADERS = ["Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Giá trị", "Ghi chú"]
NOTE = "Báo cáo sơ kết 05 năm"


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SoLieu"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_import(data: bytes, user=None) -> ImportReport:
    return workbook_import(
        file=io.BytesIO(data),
        actor=user,
        scope=build_scope(user) if user is not None else None,
        file_name="so-lieu.xlsx",
    )


def stored() -> list[tuple[str, str, str, str, Decimal, str]]:
    return list(
        EnteredValue.objects.order_by("indicator__code", "key", "unit__code", "period").values_list(
            "indicator__code", "key", "unit__code", "period", "value", "note"
        )
    )


def errors(report: ImportReport) -> list[tuple[str, int, str, str]]:
    return [(e.sheet, e.row, e.column, e.reason) for e in report.errors]


@pytest.fixture
def cujut_officer(world):
    """The organisation officer of Huyện ủy Cư Jút: exchanges data for Cư Jút only."""
    user = account_create(
        username="cujut", password="mat-khau-thu-nghiem", full_name="Cư Jút", check_password=False
    )
    role_grant(
        user=user,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=world.units["DN"].founded_on,
    )
    return user


def test_it_imports_entered_values_with_keys_and_both_period_spellings(world):
    report = run_import(
        xlsx(
            [
                ["supervision.front_by_level[commune]", "DN", SEED_PERIOD, 745, NOTE],
                ["supervision.front_total", "DN", "05/07/2018..30/06/2023", 899, None],
                ["review.members_reviewed", "DN.CUJUT", 2019, 1075.5, None],
                ["Propaganda.Teams_35", "DN", "2018-07-05..2023-06-30", "557", None],
            ]
        ),
    )

    assert errors(report) == []
    assert report.counts == {"SoLieu": SheetResult(created=4)}
    assert stored() == [
        ("propaganda.teams_35", "", "DN", SEED_PERIOD, Decimal("557.00"), ""),
        ("review.members_reviewed", "", "DN.CUJUT", "2019", Decimal("1075.50"), ""),
        ("supervision.front_by_level", "commune", "DN", SEED_PERIOD, Decimal("745.00"), NOTE),
        ("supervision.front_total", "", "DN", SEED_PERIOD, Decimal("899.00"), ""),
    ]
    assert set(EnteredValue.objects.values_list("entered_by__username", flat=True)) == {None}


def test_it_updates_changed_values_and_leaves_the_others(world):
    enter(world, "supervision.front_by_level", "DN", SEED_PERIOD, 700, key="commune")
    enter(world, "supervision.front_total", "DN", SEED_PERIOD, 899)

    report = run_import(
        xlsx(
            [
                ["supervision.front_by_level[commune]", "DN", SEED_PERIOD, 745, None],
                ["supervision.front_total", "DN", SEED_PERIOD, 899, None],
                ["supervision.front_by_level[district]", "DN", SEED_PERIOD, 199, None],
            ]
        )
    )

    assert errors(report) == []
    assert report.counts == {"SoLieu": SheetResult(created=1, updated=1, unchanged=1)}
    assert stored() == [
        ("supervision.front_by_level", "commune", "DN", SEED_PERIOD, Decimal("745.00"), ""),
        ("supervision.front_by_level", "district", "DN", SEED_PERIOD, Decimal("199.00"), ""),
        ("supervision.front_total", "", "DN", SEED_PERIOD, Decimal("899.00"), ""),
    ]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            ["org.nothing", "DN", "2019", 1],
            "Mã chỉ tiêu",
            "không có chỉ tiêu mã org.nothing",
        ),
        (
            ["org members", "DN", "2019", 1],
            "Mã chỉ tiêu",
            "Không có chỉ tiêu mã org members.",
        ),
        (
            ["supervision.front_by_level[village]", "DN", "2019", 1],
            "Mã chỉ tiêu",
            "Chỉ tiêu supervision.front_by_level không có khóa [village]; "
            "khóa hợp lệ: province, district, commune.",
        ),
        (
            ["supervision.front_by_level", "DN", "2019", 1],
            "Mã chỉ tiêu",
            "Chỉ tiêu supervision.front_by_level cần khóa, "
            "ví dụ supervision.front_by_level[province].",
        ),
        (
            ["org.members[commune]", "DN", "2019", 1],
            "Mã chỉ tiêu",
            "Chỉ tiêu org.members không có khóa.",
        ),
        (
            ["review.members_reviewed", "DN", SEED_PERIOD, 1],
            "Kỳ",
            "Chỉ tiêu review.members_reviewed được báo cáo theo năm; "
            "kỳ phải là một năm (ví dụ 2019).",
        ),
        (["org.members", "DN", "2019Q5", 1], "Kỳ", INVALID.format(text="2019Q5")),
        (
            ["org.members", "DN", "2023-06-30..2018-07-05", 1],
            "Kỳ",
            INVALID.format(text="2023-06-30..2018-07-05"),
        ),
        (["org.members", "DN", None, 1], "Kỳ", "không được để trống"),
        (["org.members", "DN.NOWHERE", "2019", 1], "Mã đơn vị", "không có đơn vị mã DN.NOWHERE"),
        (["org.members", "DN", "2019", "abc"], "Giá trị", "'abc' không phải số"),
        (["org.members", "DN", "2019", -1], "Giá trị", "giá trị không được âm"),
        (["org.members", "DN", "2019", None], "Giá trị", "không được để trống"),
    ],
)
def test_it_lists_a_bad_row_and_writes_nothing(world, row, column, reason):
    report = run_import(
        xlsx(
            [
                ["supervision.front_by_level[commune]", "DN", SEED_PERIOD, 745, None],
                row,
                ["org.members", EATLING, "2019", 40, None],
            ]
        ),
    )

    assert errors(report) == [("SoLieu", 3, column, reason)]
    assert not report.written
    assert stored() == []


def test_it_lists_every_bad_row_at_once(world):
    report = run_import(
        xlsx(
            [
                ["org.nothing", "DN", "2019", 1],
                ["org.members", "DN", "2019Q5", 1],
                ["org.members", "DN.NOWHERE", "2019", 1],
                ["org.members", "DN", "2019", 5],
            ]
        )
    )

    assert errors(report) == [
        ("SoLieu", 2, "Mã chỉ tiêu", "không có chỉ tiêu mã org.nothing"),
        ("SoLieu", 3, "Kỳ", INVALID.format(text="2019Q5")),
        ("SoLieu", 4, "Mã đơn vị", "không có đơn vị mã DN.NOWHERE"),
    ]
    assert stored() == []


def test_it_refuses_a_unit_outside_a_district_officers_reach(world, cujut_officer):
    report = run_import(
        xlsx(
            [
                ["org.members", EATLING, "2019", 40, None],
                ["org.members", "DN.DAKMIL", "2019", 3, None],
                ["org.members", "DN", "2019", 44, None],
            ]
        ),
        user=cujut_officer,
    )

    assert errors(report) == [
        ("SoLieu", 3, "Mã đơn vị", "đơn vị ngoài phạm vi quản lý của bạn"),
        ("SoLieu", 4, "Mã đơn vị", "đơn vị ngoài phạm vi quản lý của bạn"),
    ]
    assert stored() == []


def test_it_imports_inside_a_district_officers_reach(world, cujut_officer):
    report = run_import(
        xlsx([["org.members", EATLING, "2019", 40, None], ["org.members", TDP1, "2019", 4, None]]),
        user=cujut_officer,
    )

    assert errors(report) == []
    assert stored() == [
        ("org.members", "", EATLING, "2019", Decimal("40.00"), ""),
        ("org.members", "", TDP1, "2019", Decimal("4.00"), ""),
    ]


def test_it_refuses_a_user_who_may_not_exchange_data(world):
    report = run_import(xlsx([["org.members", "DN", "2019", 9]]), user=world.users["tuyengiao"])

    assert [str(e) for e in report.errors] == ["Bạn không có quyền nhập dữ liệu."]
    assert stored() == []


def test_it_refuses_the_same_value_twice_in_one_sheet(world):
    report = run_import(
        xlsx([["org.members", "DN", "2019-7", 9, None], ["org.members", "DN", "2019-07", 8, None]])
    )

    assert errors(report) == [("SoLieu", 3, "Kỳ", "trùng khóa với dòng 2")]
    assert stored() == []


def test_it_refuses_the_same_value_twice_in_another_spelling_of_the_code(world):
    report = run_import(
        xlsx([["org.members", "DN", "2019", 9, None], ["ORG.MEMBERS", "DN", "2019", 8, None]])
    )

    assert errors(report) == [("SoLieu", 3, "Mã chỉ tiêu", "trùng khóa với dòng 2")]
    assert stored() == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("nan", "'NaN' không phải số."),
        ("inf", "'Infinity' không phải số."),
        (1e20, TOO_LARGE),
    ],
)
def test_it_refuses_a_value_that_cannot_be_stored(world, value, reason):
    report = run_import(xlsx([["org.members", "DN", "2019", value, None]]))

    assert errors(report) == [("SoLieu", 2, "Giá trị", reason)]
    assert stored() == []


# -- export and import back -----------------------------------------------------------
def export(user=None, org_code: str = "") -> bytes:
    out = io.BytesIO()
    workbook_export(
        out=out,
        actor=user,
        scope=build_scope(user) if user is not None else None,
        org_code=org_code,
    )
    return out.getvalue()


def so_lieu(data: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["SoLieu"]
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_it_exports_entered_values_that_import_back_the_same(world):
    enter(world, "supervision.front_by_level", "DN", SEED_PERIOD, 745, key="commune")
    enter(world, "supervision.front_total", "DN", SEED_PERIOD, 899)
    enter(world, "review.members_reviewed", "DN.CUJUT", "2019", 1075.5)
    enter(world, "meeting.thematic_held", TDP1, "2019Q3", 2)
    EnteredValue.objects.filter(indicator__code="supervision.front_total").update(note=NOTE)
    before = stored()

    data = export(world.users["tochuc"])

    assert so_lieu(data) == [
        tuple(HEADERS),
        ("meeting.thematic_held", TDP1, "2019Q3", 2, None),
        ("review.members_reviewed", "DN.CUJUT", "2019", 1075.5, None),
        ("supervision.front_by_level[commune]", "DN", SEED_PERIOD, 745, None),
        ("supervision.front_total", "DN", SEED_PERIOD, 899, NOTE),
    ]
    EnteredValue.objects.all().delete()

    report = run_import(data)  # the command line: every department's figures

    assert errors(report) == []
    assert report.counts["SoLieu"] == SheetResult(created=4)
    assert stored() == before
    assert so_lieu(export(world.users["tochuc"])) == so_lieu(data)
    again = run_import(data)
    assert again.counts["SoLieu"] == SheetResult(unchanged=4)


def test_it_exports_only_the_values_a_district_officer_reaches(world, cujut_officer):
    enter(world, "org.members", EATLING, "2019", 40)
    enter(world, "org.members", "DN.DAKMIL", "2019", 3)
    enter(world, "org.members", "DN", "2019", 44)

    assert so_lieu(export(cujut_officer)) == [
        tuple(HEADERS),
        ("org.members", EATLING, "2019", 40, None),
    ]
    assert so_lieu(export(org_code="DN.DAKMIL"))[1:] == [
        ("org.members", "DN.DAKMIL", "2019", 3, None)
    ]


def test_it_reports_bad_cells_with_sheet_row_and_column(world):
    report = run_import(xlsx([["org.members", "DN.NOWHERE", "2019", 1]]))

    assert report.errors == [BadCell("SoLieu", 2, "Mã đơn vị", "không có đơn vị mã DN.NOWHERE")]
    assert str(report.errors[0]) == ("SoLieu, dòng 2, cột Mã đơn vị: không có đơn vị mã DN.NOWHERE")
