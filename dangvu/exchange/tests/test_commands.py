"""`dangvu import` and `dangvu export` on the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.services import NOT_A_WORKBOOK
from dangvu.exchange.tests.helpers import (
    DANG_VIEN,
    DON_VI,
    db_counts,
    member_row,
    read,
    unit_row,
    xlsx,
)
from dangvu.members.models import Member
from dangvu.units.models import Unit

TDP2 = "DN.CUJUT.EATLING.TDP2"


def _run(name: str, *args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "du-lieu.xlsx"
    path.write_bytes(
        xlsx(
            {
                "DonVi": [
                    DON_VI,
                    unit_row(
                        "DN.CUJUT.EATLING.TDP3",
                        "Chi bộ Tổ dân phố 3",
                        "Chi bộ trực thuộc",
                        "DN.CUJUT.EATLING",
                        "01/01/2024",
                    ),
                ],
                "DangVien": [
                    DANG_VIEN,
                    member_row("67000099", "Võ Thị Mai", TDP2, gender="Nữ"),
                    member_row("67000003", "Đặng Văn Bính", "DN.CUJUT.EATLING.TDP1"),
                    member_row("67000005", "Lê Thị Ánh", TDP2, gender="Nữ"),
                ],
            }
        )
    )
    return path


def test_it_imports_and_prints_counts_per_sheet(world, good):
    out, err = _run("workbook_import", str(good))

    assert out.splitlines() == [
        "DonVi: thêm 1, cập nhật 0, không đổi 0",
        "DangVien: thêm 1, cập nhật 1, không đổi 1",
        "Đã nhập xong.",
    ]
    assert err == ""
    assert Unit.objects.filter(code="DN.CUJUT.EATLING.TDP3").exists()
    assert Member.objects.get(card_number="67000003").full_name == "Đặng Văn Bính"
    log = ExchangeLog.objects.get()
    assert (log.kind, log.actor, log.file_name, log.succeeded) == (
        ExchangeKind.IMPORT,
        None,
        "du-lieu.xlsx",
        True,
    )


def test_it_writes_nothing_on_a_dry_run(world, good):
    before = db_counts()

    out, _ = _run("workbook_import", str(good), dry_run=True)

    assert out.splitlines()[-1] == "Kiểm tra thử: tệp hợp lệ, chưa ghi dữ liệu."
    assert "DangVien: thêm 1, cập nhật 1, không đổi 1" in out
    assert db_counts() == before
    assert ExchangeLog.objects.get().kind == ExchangeKind.DRY_RUN


def test_it_lists_bad_cells_on_stderr_and_fails(world, tmp_path):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(
        xlsx(
            {
                "DangVien": [
                    DANG_VIEN,
                    member_row("67000099", "Võ Thị Mai", TDP2, born="31/02/1980"),
                    member_row("67000100", "Võ Văn Hùng", TDP2, gender="Nam giới"),
                ]
            }
        )
    )
    before = db_counts()
    err = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("workbook_import", str(path), stdout=StringIO(), stderr=err)

    assert str(raised.value) == "Không nhập được: 2 lỗi, chưa ghi dữ liệu nào."
    assert err.getvalue().splitlines() == [
        "DangVien, dòng 2, cột Ngày sinh: '31/02/1980' không phải ngày hợp lệ (dd/mm/yyyy)",
        "DangVien, dòng 3, cột Giới tính: 'Nam giới' không hợp lệ; chọn một trong: Nam, Nữ",
    ]
    assert db_counts() == before


def test_it_says_a_file_that_is_not_a_workbook_is_not_one(world, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_text("Số thẻ;Họ và tên\n67000099;Võ Thị Mai\n", encoding="utf-8")
    before = db_counts()
    err = StringIO()

    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("workbook_import", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [NOT_A_WORKBOOK]
    assert NOT_A_WORKBOOK == "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
    assert db_counts() == before


def test_it_says_when_the_file_is_missing(db, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("workbook_import", str(tmp_path / "khong-co.xlsx"))


def test_it_exports_only_the_subtree_of_org(world, tmp_path):
    path = tmp_path / "cu-jut.xlsx"

    out, _ = _run("workbook_export", str(path), org="DN.CUJUT")

    assert "DonVi: 4 dòng" in out and "DangVien: 5 dòng" in out
    sheets = read(path.read_bytes())
    assert [row[0] for row in sheets["DonVi"][1:]] == [
        "DN.CUJUT",
        "DN.CUJUT.EATLING",
        "DN.CUJUT.EATLING.TDP1",
        "DN.CUJUT.EATLING.TDP2",
    ]
    assert [row[0] for row in sheets["DangVien"][1:]] == [
        "67000001",
        "67000002",
        "67000003",
        "67000004",
        "67000005",
    ]
    log = ExchangeLog.objects.get()
    assert (log.kind, log.org_code, log.actor) == (ExchangeKind.EXPORT, "DN.CUJUT", None)


def test_it_exports_everything_without_org(world, tmp_path):
    path = tmp_path / "tinh.xlsx"

    _run("workbook_export", str(path))

    sheets = read(path.read_bytes())
    assert len(sheets["DonVi"]) == 1 + 12
    assert len(sheets["DangVien"]) == 1 + 9
    assert ExchangeLog.objects.get().org_code == ""


def test_it_refuses_an_unknown_org_and_leaves_no_file(world, tmp_path):
    path = tmp_path / "khong-co.xlsx"

    with pytest.raises(CommandError) as raised:
        _run("workbook_export", str(path), org="DN.KHONGCO")

    assert str(raised.value) == "Không có đơn vị mã DN.KHONGCO."
    assert not path.exists()
    assert not ExchangeLog.objects.exists()
