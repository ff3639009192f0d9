"""The review sheets write through the roles in force today, keep the rating calendar, and
tell nothing about members outside the importer's reach."""

from __future__ import annotations

from django.utils import timezone

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_FROM, World
from dangvu.exchange.services import NOT_ALLOWED
from dangvu.exchange.tests.helpers import run_import
from dangvu.members.models import ManagementLevel
from dangvu.reviews import services
from dangvu.reviews.models import MemberReview, RatingAmendment, ReviewSuggestion

KIEM_DIEM = ["Năm", "Số thẻ đảng viên", "Kết quả", "Xếp loại"]
GOI_Y = ["Năm", "Đối tượng", "Loại đối tượng", "Cấp quản lý"]


def _officer(world: World, code: str) -> User:
    user = account_create(
        username=f"tochuc.{code.lower()}", password=PASSWORD, check_password=False
    )
    role_grant(
        user=user, unit=world.units[code], department=Department.ORGANISATION, valid_from=ROLES_FROM
    )
    return user


def _reasons(report) -> list[str]:
    return [e.reason for e in report.errors]


def test_it_refuses_a_review_import_by_a_role_that_has_ended(world: World) -> None:
    report = run_import(
        {"KiemDiem": [KIEM_DIEM, [2024, "67000008", "Đã kiểm điểm", "Hoàn thành nhiệm vụ"]]},
        user=world.users["tuyduc.cu"],
    )

    assert _reasons(report) == [NOT_ALLOWED]
    assert not MemberReview.objects.exists()


def test_it_lets_only_the_level_above_import_a_closed_year(world: World) -> None:
    sheets = {"KiemDiem": [KIEM_DIEM, [2018, "67000003", "Đã kiểm điểm", "Hoàn thành nhiệm vụ"]]}

    grassroots = run_import(sheets, user=_officer(world, "DN.CUJUT.EATLING"))

    # The page's message (one set of messages for every road).
    assert _reasons(grassroots) == [services.RATING_CLOSED.format(year=2018, closes="31/03/2019")]
    assert not MemberReview.objects.exists()
    district = _officer(world, "DN.CUJUT")
    assert run_import(sheets, user=district).ok
    amendment = RatingAmendment.objects.get()
    assert (amendment.reason, amendment.amended_by) == (services.IMPORTED, district)
    assert amendment.member_review == MemberReview.objects.get(year=2018)
    # The same sheet again changes nothing, and leaves no second trace.
    assert run_import(sheets, user=district).ok
    assert RatingAmendment.objects.count() == 1


def test_it_refuses_a_year_not_yet_open_even_from_the_command_line(world: World) -> None:
    year = timezone.localdate().year + 1

    report = run_import(
        {"KiemDiem": [KIEM_DIEM, [year, "67000003", "Đã kiểm điểm", "Hoàn thành nhiệm vụ"]]}
    )

    assert _reasons(report) == [services.RATING_NOT_OPEN.format(year=year, opens=f"01/11/{year}")]
    assert not MemberReview.objects.exists()


def test_it_refuses_an_importer_rating_himself(world: World) -> None:
    officer = _officer(world, "DN.CUJUT")
    officer.member = world.members["binh"]
    officer.save()

    report = run_import(
        {"KiemDiem": [KIEM_DIEM, [2018, "67000003", "Đã kiểm điểm", "Hoàn thành nhiệm vụ"]]},
        user=officer,
    )

    assert _reasons(report) == [services.SELF_REVIEW]
    assert not MemberReview.objects.exists()


def test_it_says_alike_whether_a_card_outside_the_reach_exists(world: World) -> None:
    cujut = _officer(world, "DN.CUJUT")
    kbinh = world.members["kbinh"]
    kbinh.management_level = ManagementLevel.DISTRICT  # a fact not to be told
    kbinh.save()

    reviews = run_import(
        {
            "KiemDiem": [
                KIEM_DIEM,
                [2022, "67000008", "Đã kiểm điểm", None],
                [2022, "67009999", "Đã kiểm điểm", None],
            ]
        },
        user=cujut,
    )
    suggestions = run_import(
        {
            "GoiYKiemDiem": [
                GOI_Y,
                [2022, "67000008", "Cá nhân", "Cấp ủy cơ sở"],
                [2022, "67009999", "Cá nhân", "Cấp ủy cơ sở"],
            ]
        },
        user=cujut,
    )

    expected = [
        f"không có đảng viên số thẻ {card} trong phạm vi của bạn năm 2022"
        for card in ("67000008", "67009999")
    ]
    assert _reasons(reviews) == expected
    assert _reasons(suggestions) == expected
    assert not MemberReview.objects.exists() and not ReviewSuggestion.objects.exists()
