"""The DangVien sheet writes through the roles in force today, and its refusals tell nothing
about members outside the importer's reach."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_FROM
from dangvu.exchange.services import NOT_ALLOWED
from dangvu.exchange.tests.helpers import DANG_VIEN, db_counts, member_row, run_import
from dangvu.members.models import Member
from dangvu.units.services import unit_move

TDP2 = "DN.CUJUT.EATLING.TDP2"
BP = "DN.TUYDUC.QUANGTRUC.BP"
OUTSIDE = "chi bộ hoặc đảng viên ngoài phạm vi quản lý của bạn"
HISTORY = ["Số thẻ đảng viên", "Từ ngày", "Đến ngày", "Mã chi bộ", "Lý do đến", "Lý do đi"]


def _officer(world, code: str) -> User:
    user = account_create(
        username=f"tochuc.{code.lower()}", password=PASSWORD, check_password=False
    )
    role_grant(
        user=user, unit=world.units[code], department=Department.ORGANISATION, valid_from=ROLES_FROM
    )
    return user


def test_it_refuses_an_import_by_a_role_that_has_ended(world):
    before = db_counts()
    sheets = {"DangVien": [DANG_VIEN, member_row("67000100", "Võ Văn Hùng", BP)]}

    report = run_import(sheets, user=world.users["tuyduc.cu"])

    assert [e.reason for e in report.errors] == [NOT_ALLOWED]
    assert db_counts() == before


@pytest.fixture
def moved(world):
    """Tổ dân phố 2 left Cư Jút for Đức Minh (Đắk Mil) on 01/01/2023."""
    unit_move(
        unit=world.units[TDP2],
        new_parent=world.units["DN.DAKMIL.DUCMINH"],
        effective_on=date(2023, 1, 1),
    )


def test_it_gives_the_members_of_a_moved_cell_to_its_new_district(world, moved):
    sheets = {"DangVien": [DANG_VIEN, member_row("67000005", "Lê Thị Ánh Mới", TDP2)]}
    cujut, dakmil = _officer(world, "DN.CUJUT"), _officer(world, "DN.DAKMIL")
    before = db_counts()

    former = run_import(sheets, user=cujut)

    assert [e.reason for e in former.errors] == [OUTSIDE]
    assert db_counts() == before
    assert run_import(sheets, user=dakmil).ok
    assert Member.objects.get(card_number="67000005").full_name == "Lê Thị Ánh Mới"


def test_it_refuses_a_member_outside_the_reach_before_checking_the_row(world):
    # Điểu K'Bình stands in Tuy Đức: the row's dates are not checked against his record,
    # and the message is the same as for a row whose dates are wrong.
    cujut = _officer(world, "DN.CUJUT")
    rows = [
        member_row("67000008", "Điểu K'Bình", "DN.CUJUT.EATLING.TDP1", joined="01/01/1970"),
        member_row("67000008", "Điểu K'Bình", "DN.CUJUT.EATLING.TDP1"),
    ]

    reasons = [
        [e.reason for e in run_import({"DangVien": [DANG_VIEN, row]}, user=cujut).errors]
        for row in rows
    ]

    assert reasons == [[OUTSIDE], [OUTSIDE]]


def test_it_says_alike_whether_an_unlisted_card_exists(world):
    cujut = _officer(world, "DN.CUJUT")
    sheets = {
        "DangVien": [DANG_VIEN, member_row("67000100", "Võ Văn Hùng", "DN.CUJUT.EATLING.TDP1")],
        "QuaTrinhSinhHoat": [
            HISTORY,
            ["67000008", "01/01/2010", None, BP, None, None],  # exists, in Tuy Đức
            ["67009999", "01/01/2010", None, BP, None, None],  # exists nowhere
        ],
    }

    report = run_import(sheets, user=cujut)

    reasons = [e.reason for e in report.errors if e.sheet == "QuaTrinhSinhHoat"]
    assert reasons == [
        "số thẻ 67000008 không có trong trang DangVien",
        "số thẻ 67009999 không có trong trang DangVien",
    ]
