"""The empty template: every sheet, the contract's headers, one example row, drop-downs."""

from __future__ import annotations

import io

import openpyxl

from dangvu.exchange.tests.helpers import DANG_VIEN, DON_VI, db_counts, read, run_import
from dangvu.exchange.views import XLSX
from dangvu.exchange.workbook import registry

URL = "/du-lieu/mau-trao-doi-du-lieu.xlsx"


def _template(world) -> bytes:
    response = world.client("tochuc").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def _validations(sheet) -> dict[str, str]:
    return {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}


def test_it_offers_every_registered_sheet_after_a_guide(world):
    book = openpyxl.load_workbook(io.BytesIO(_template(world)))

    assert book.sheetnames == ["HuongDan", *(spec.name for spec in registry.ordered())]
    assert {"DonVi", "LichSuDonVi", "KeThuaDonVi", "DangVien", "QuaTrinhSinhHoat"} <= set(
        book.sheetnames
    )
    for spec in registry.ordered():
        headers = next(book[spec.name].iter_rows(max_row=1, values_only=True))
        assert list(headers) == [c.header for c in spec.columns]
        assert book[spec.name]["A1"].font.bold


def test_it_uses_the_exact_headers_of_the_contract_in_order(world):
    sheets = read(_template(world))

    assert list(sheets["DonVi"][0]) == DON_VI
    assert list(sheets["DangVien"][0]) == DANG_VIEN


def test_it_gives_one_example_row_for_units_and_members(world):
    sheets = read(_template(world))

    assert sheets["DonVi"][1:] == [
        (
            "DN.CUJUT.EATLING.TDP1",
            "Chi bộ Tổ dân phố 1",
            "Chi bộ trực thuộc",
            "DN.CUJUT.EATLING",
            "05/07/2018",
            None,
        )
    ]
    assert len(sheets["DangVien"]) == 2
    assert sheets["DangVien"][1][:7] == (
        "67012345",
        "Nguyễn Thị Hoà",
        "12/03/1985",
        "Nữ",
        "19/05/2010",
        "19/05/2011",
        "DN.CUJUT.EATLING.TDP1",
    )


def test_it_puts_drop_down_lists_on_the_coded_columns(world):
    book = openpyxl.load_workbook(io.BytesIO(_template(world)))

    units = _validations(book["DonVi"])
    assert units == {
        "C2:C100000": '"Đảng bộ tỉnh,Đảng bộ trực thuộc,Đảng bộ cơ sở,Chi bộ cơ sở,'
        'Đảng bộ bộ phận,Chi bộ trực thuộc"'
    }
    members = _validations(book["DangVien"])
    assert members == {
        "D2:D100000": '"Nam,Nữ"',
        "H2:H100000": '"Tỉnh ủy,Cấp huyện,Cấp ủy cơ sở"',
        "I2:I100000": '"Có,Không"',
        "J2:J100000": '"Có,Không"',
    }


def test_it_explains_every_column_in_the_guide_sheet(world):
    guide = read(_template(world))["HuongDan"]

    described = {(row[0], row[1]): row for row in guide if row[0] in registry.sheets}
    for spec in registry.ordered():
        for column in spec.columns:
            assert (spec.name, column.header) in described
    assert described["DonVi", "Mã đơn vị"][2] == "Có"
    assert described["DangVien", "Giới tính"][3] == "Nam, Nữ"


def test_it_refuses_the_template_as_is_into_an_empty_database(db):
    from dangvu.exchange.selectors import template_workbook

    before = db_counts()

    report = run_import(template_workbook())

    assert [str(e) for e in report.errors] == [
        "DangVien, dòng 2, cột Mã chi bộ: không có đơn vị mã DN.CUJUT.EATLING.TDP1",
        "DonVi, dòng 2, cột Mã đơn vị cấp trên: không có đơn vị mã DN.CUJUT.EATLING",
        "GiamSat, dòng 2, cột Mã đơn vị: không có đơn vị mã DN.CUJUT",
        "GoiYKiemDiem, dòng 2, cột Đối tượng: không có đơn vị mã DN.CUJUT.EATLING hoạt động "
        "năm 2022",
        "KiemDiem, dòng 2, cột Số thẻ đảng viên: không có đảng viên số thẻ 67012345",
        "KiemDiemTapThe, dòng 2, cột Mã đơn vị: không có đơn vị mã DN.CUJUT.EATLING.TDP1",
        # Inspection cases only with a named reader (the command line without --as has none).
        "KiemTra: Bạn không có quyền nhập trang này.",
        "SoLieu, dòng 2, cột Mã đơn vị: không có đơn vị mã DN",
    ]
    assert db_counts() == before


def test_it_refuses_the_template_as_is_into_the_world(world):
    # The codes exist, but the example founds Tổ dân phố 1 in 2018 while Hoà, Y Bhiông
    # and Bình have been active there since 2005: that would strand their memberships.
    before = db_counts()

    report = run_import(_template(world))

    assert [str(e) for e in report.errors] == [
        "DonVi, dòng 2, cột Mã đơn vị: 3 đảng viên sinh hoạt tại DN.CUJUT.EATLING.TDP1 vào "
        "thời gian đơn vị không phải chi bộ đang hoạt động (số thẻ 67000001 từ 03/03/2005); "
        "sửa lại ngày, loại đơn vị hoặc ghi các đảng viên này vào trang DangVien",
        "KiemTra: Bạn không có quyền nhập trang này.",
    ]
    assert db_counts() == before
    assert world.units["DN.CUJUT.EATLING.TDP1"].versions.get().valid_from.year == 2004
