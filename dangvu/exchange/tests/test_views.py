"""The web pages: who reaches them, what an officer exports and may import."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.accounts.models import Department
from dangvu.accounts.services import account_create, role_grant
from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.tests.helpers import (
    DANG_VIEN,
    DON_VI,
    db_counts,
    member_row,
    read,
    run_import,
    unit_row,
    where,
    xlsx,
)
from dangvu.exchange.views import XLSX
from dangvu.exchange.workbook import SheetResult
from dangvu.jobs.testing import run_queued
from dangvu.members.models import Member
from dangvu.units.models import UnitSuccession, UnitVersion

HOME = "/du-lieu/"
TEMPLATE = "/du-lieu/mau-trao-doi-du-lieu.xlsx"
EXPORT = "/du-lieu/xuat.xlsx"
CUJUT_UNITS = ["DN.CUJUT", "DN.CUJUT.EATLING", "DN.CUJUT.EATLING.TDP1", "DN.CUJUT.EATLING.TDP2"]
CUJUT_CARDS = ["67000001", "67000002", "67000003", "67000004", "67000005"]
OUTSIDE = "ngoài phạm vi"


@pytest.fixture
def cujut(world):
    """Phòng Tổ chức of Huyện ủy Cư Jút: the exchange capability over Cư Jút only."""
    user = account_create(
        username="tochuc-cujut",
        password="mat-khau-thu-nghiem",
        full_name="Ban Tổ chức Huyện ủy Cư Jút",
        check_password=False,
    )
    role_grant(
        user=user,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
    )
    world.users["tochuc-cujut"] = user
    return user


def _upload(client, sheets, *, dry_run: bool = False):
    data = {"tep": SimpleUploadedFile("cu-jut.xlsx", xlsx(sheets), content_type=XLSX)}
    if dry_run:
        data["thu"] = "1"
    # The import runs as a background job: the page queues it and sends the user to the
    # job's page, which shows the report once a worker has run it.
    queued = client.post(HOME, data)
    if queued.status_code != 302:
        return queued  # refused before anything was queued
    assert queued["Location"].startswith("/viec/")
    assert run_queued() == 1
    return client.get(queued["Location"])


@pytest.mark.parametrize("username", ["hoa", "tuyengiao", "ybhiong"])
@pytest.mark.parametrize("url", [HOME, TEMPLATE, EXPORT])
def test_it_hides_the_exchange_pages_without_the_capability(world, username, url):
    response = world.client(username).get(url)

    assert response.status_code == 404
    assert not ExchangeLog.objects.exists()


@pytest.mark.parametrize("username", ["hoa", "tuyengiao", "ybhiong"])
def test_it_refuses_an_upload_without_the_capability(world, username):
    before = db_counts()

    response = _upload(
        world.client(username),
        {"DangVien": [DANG_VIEN, member_row("67000099", "Võ Thị Mai", "DN.CUJUT.EATLING.TDP2")]},
    )

    assert response.status_code == 404
    assert db_counts() == before
    assert not ExchangeLog.objects.exists()


def test_it_shows_the_import_page_to_the_province_officer(world):
    response = world.client("tochuc").get(HOME)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập tệp Excel" in page
    assert "DangVien" in page and "QuaTrinhSinhHoat" in page


def test_it_exports_everything_to_the_province_officer(world):
    response = world.client("tochuc").get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheets = read(response.content)
    assert len(sheets["DonVi"]) == 1 + 12
    assert len(sheets["DangVien"]) == 1 + 9
    log = ExchangeLog.objects.get()
    assert (log.kind, log.actor, log.succeeded) == (
        ExchangeKind.EXPORT,
        world.users["tochuc"],
        True,
    )
    assert log.counts["DonVi"] == 12 and log.counts["DangVien"] == 9


def test_it_exports_only_cu_jut_to_the_cu_jut_officer(world, cujut):
    response = world.client("tochuc-cujut").get(EXPORT)

    assert response.status_code == 200
    sheets = read(response.content)
    assert [row[0] for row in sheets["DonVi"][1:]] == CUJUT_UNITS
    assert sheets["DonVi"][1][3] == "DN"  # its parent is named, though not exported
    assert [row[0] for row in sheets["DangVien"][1:]] == CUJUT_CARDS
    log = ExchangeLog.objects.get()
    assert (log.kind, log.actor) == (ExchangeKind.EXPORT, cujut)
    assert log.counts == {
        "DonVi": 4,
        "LichSuDonVi": 0,
        "KeThuaDonVi": 0,
        "DangVien": 5,
        "QuaTrinhSinhHoat": 0,
        "KiemDiem": 0,
        "KiemDiemTapThe": 0,
        "GoiYKiemDiem": 0,
        "KiemTra": 0,
        "GiamSat": 0,
        "SoLieu": 0,
    }


def test_it_imports_the_cu_jut_officers_own_export_unchanged(world, cujut):
    exported = world.client("tochuc-cujut").get(EXPORT).content
    before = db_counts()

    report = run_import(exported, user=cujut)

    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["DonVi"] == SheetResult(unchanged=4)
    assert report.counts["DangVien"] == SheetResult(unchanged=5)
    assert db_counts() == before


def test_it_imports_within_the_officers_subtree_through_the_page(world, cujut):
    sheets = {
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
            member_row(
                "67000099", "Võ Thị Mai", "DN.CUJUT.EATLING.TDP3", joined="01/02/2024", full=None
            ),
        ],
    }

    response = _upload(world.client("tochuc-cujut"), sheets)

    assert response.status_code == 200
    assert "Đã nhập dữ liệu" in response.content.decode()
    mai = Member.objects.get(card_number="67000099")
    assert mai.memberships.get().unit.code == "DN.CUJUT.EATLING.TDP3"
    log = ExchangeLog.objects.get()
    assert (log.kind, log.actor, log.succeeded, log.file_name) == (
        ExchangeKind.IMPORT,
        cujut,
        True,
        "cu-jut.xlsx",
    )


def test_it_refuses_rows_outside_the_officers_subtree_and_writes_nothing(world, cujut):
    before = db_counts()
    sheets = {
        "DonVi": [
            DON_VI,
            unit_row(
                "DN.CUJUT.EATLING.TDP3",
                "Chi bộ Tổ dân phố 3",
                "Chi bộ trực thuộc",
                "DN.CUJUT.EATLING",
                "01/01/2024",
            ),
            unit_row("DN.DAKMIL.DUCMINH", "Đảng bộ xã Đức Minh mới", "Đảng bộ cơ sở", "DN.DAKMIL"),
            unit_row(
                "DN.TUYDUC.QUANGTRUC.MOI",
                "Chi bộ mới",
                "Chi bộ trực thuộc",
                "DN.TUYDUC.QUANGTRUC",
                "01/01/2024",
            ),
        ],
        "DangVien": [
            DANG_VIEN,
            member_row("67000099", "Võ Thị Mai", "DN.CUJUT.EATLING.TDP2"),
            member_row("67000100", "Võ Văn Hùng", "DN.TUYDUC.QUANGTRUC.BP"),
            member_row("67000008", "Điểu K'Bình", "DN.CUJUT.EATLING.TDP2"),
        ],
    }

    response = _upload(world.client("tochuc-cujut"), sheets)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Không nhập được: 4 lỗi. Chưa có dữ liệu nào được ghi." in page
    assert page.count(OUTSIDE) == 4
    assert db_counts() == before
    assert UnitVersion.objects.get(unit__code="DN.DAKMIL.DUCMINH").name == "Đảng bộ xã Đức Minh"
    log = ExchangeLog.objects.get()
    assert (log.succeeded, log.error_count) == (False, 4)
    report = run_import(sheets, user=cujut)
    assert where(report) == {
        ("DonVi", 3, "Mã đơn vị"),
        ("DonVi", 4, "Mã đơn vị"),
        ("DangVien", 3, "Mã chi bộ"),
        ("DangVien", 4, "Mã chi bộ"),
    }
    assert all(OUTSIDE in e.reason for e in report.errors)


def test_it_refuses_moving_a_unit_under_a_parent_outside_the_officers_subtree(world, cujut):
    before = db_counts()
    row = unit_row("DN.CUJUT.EATLING", "Đảng bộ thị trấn Ea T'Ling", "Đảng bộ cơ sở", "DN.DAKMIL")

    report = run_import({"DonVi": [DON_VI, row]}, user=cujut)

    assert where(report) == {("DonVi", 2, "Mã đơn vị")}
    assert OUTSIDE in report.errors[0].reason
    assert db_counts() == before
    assert UnitVersion.objects.get(unit__code="DN.CUJUT.EATLING").parent.code == "DN.CUJUT"


def test_it_refuses_successions_outside_the_officers_subtree(world, cujut):
    before = db_counts()
    sheet = [
        ["Mã đơn vị", "Mã đơn vị kế thừa", "Ngày hiệu lực"],
        ["DN.TUYDUC.QUANGTRUC.BP", "DN.DAKMIL.DUCMINH.T1", "01/01/2024"],
        ["DN.CUJUT.EATLING.TDP2", "DN.DAKMIL.DUCMINH.T1", "01/01/2024"],
    ]

    report = run_import({"KeThuaDonVi": sheet}, user=cujut)

    assert where(report) == {("KeThuaDonVi", 2, "Mã đơn vị"), ("KeThuaDonVi", 3, "Mã đơn vị")}
    assert db_counts() == before
    assert not UnitSuccession.objects.exists()


def test_it_asks_for_a_file_when_none_is_chosen(world):
    response = world.client("tochuc").post(HOME, {})

    assert response.status_code == 200
    assert "Chọn tệp Excel (.xlsx) cần nhập." in response.content.decode()
    assert not ExchangeLog.objects.exists()


def test_it_dry_runs_through_the_page(world):
    before = db_counts()

    response = _upload(
        world.client("tochuc"),
        {"DangVien": [DANG_VIEN, member_row("67000099", "Võ Thị Mai", "DN.CUJUT.EATLING.TDP2")]},
        dry_run=True,
    )

    assert "Kiểm tra thử: tệp hợp lệ, chưa ghi dữ liệu" in response.content.decode()
    assert db_counts() == before
    assert ExchangeLog.objects.get().kind == ExchangeKind.DRY_RUN
