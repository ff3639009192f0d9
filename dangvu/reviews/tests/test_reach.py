"""Who reads and writes a member's annual records: the years the member stood in reach, the
owner of the record, never oneself, and a year's results closed after its review."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_FROM, World
from dangvu.members.models import ManagementLevel
from dangvu.members.services import member_transfer
from dangvu.reviews import services, views
from dangvu.reviews.models import (
    Commitment,
    CommitmentStatus,
    MemberReview,
    RatingAmendment,
    ReviewSuggestion,
)
from dangvu.reviews.services import MemberReviewSpec, member_review_save

TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
SECTIONS = {k: "Nội dung." for k in ("ideology", "ethics", "duties", "discipline", "degradation")}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _user(world: World, username: str, code: str, department: str) -> User:
    user = account_create(username=username, password=PASSWORD, check_password=False)
    role_grant(user=user, unit=world.units[code], department=department, valid_from=ROLES_FROM)
    world.users[username] = user
    return user


@pytest.fixture
def moved(world: World) -> World:
    """Trần Văn An, rated 2024 in Tổ dân phố 1, moved to Tổ dân phố 2 on 01/01/2025 and was
    rated 2025 there; Tổ dân phố 2 has its own secretary."""
    an = world.members["an"]
    member_review_save(
        spec=MemberReviewSpec(member=an, year=2024, outcome="reviewed", grade="good")
    )
    member_transfer(member=an, to_cell=world.units[TDP2], effective_on=date(2025, 1, 1))
    member_review_save(spec=MemberReviewSpec(member=an, year=2025, outcome="reviewed", points=95))
    _user(world, "bithu.tdp2", TDP2, Department.SECRETARY)
    return world


# -- item 6: a reader sees a member's records of the years the member stood in reach ----------
def test_it_hides_the_new_cells_rating_from_the_old_cells_secretary(moved: World) -> None:
    page = moved.client("hoa").get("/dang-vien/67000004/").content.decode()

    assert "Hoàn thành tốt nhiệm vụ" in page  # 2024, in her cell
    assert "Hoàn thành xuất sắc nhiệm vụ" not in page  # 2025, rated in Tổ dân phố 2
    assert "<td>2025</td>" not in page
    assert moved.client("hoa").get(f"/kiem-diem/{TDP2}/2025/67000004/").status_code == 404


def test_it_hides_the_old_cells_ratings_from_the_new_cells_secretary(moved: World) -> None:
    client = moved.client("bithu.tdp2")

    response = client.get(f"/kiem-diem/{TDP2}/2025/67000004/")
    record = client.get("/dang-vien/67000004/").content.decode()

    assert response.status_code == 200
    assert response.context["ev"].review.year == 2025
    assert response.context["ev"].earlier == []  # 2024 was Tổ dân phố 1's year
    assert "Hoàn thành xuất sắc nhiệm vụ" in record and "Hoàn thành tốt nhiệm vụ" not in record
    # The province reads both.
    tochuc = moved.client("tochuc").get(f"/kiem-diem/{TDP2}/2025/67000004/")
    assert [r.year for r in tochuc.context["ev"].earlier] == [2024]


def test_it_lists_a_suggestion_only_to_the_cells_of_its_year(moved: World) -> None:
    an = moved.members["an"]
    an.management_level = ManagementLevel.GRASSROOTS
    an.save()
    services.suggestion_issue(
        spec=services.SuggestionSpec(
            year=2025,
            issuer=moved.units["DN.CUJUT.EATLING"],
            issued_on=date(2025, 11, 1),
            subject_member=an,
            content="Làm rõ việc chậm nộp đảng phí.",
        )
    )

    def listed(username: str) -> bool:
        page = moved.client(username).get("/kiem-diem/goi-y/?nam=2025").content.decode()
        return "Làm rõ việc chậm nộp đảng phí." in page

    assert not listed("hoa")
    assert listed("bithu.tdp2")


# -- item 9: writes stay inside their own record's owner ---------------------------------------
def test_it_lets_only_the_cell_of_the_years_review_answer_a_suggestion(moved: World) -> None:
    an = moved.members["an"]
    an.management_level = ManagementLevel.GRASSROOTS
    an.save()
    suggestion = services.suggestion_issue(
        spec=services.SuggestionSpec(
            year=2025,
            issuer=moved.units["DN.CUJUT.EATLING"],
            issued_on=date(2025, 11, 1),
            subject_member=an,
        )
    )
    url = f"/kiem-diem/goi-y/{suggestion.pk}/tra-loi/"
    answer = {"ngay": "10/12/2025", "tra_loi": "Đã nộp đủ."}

    refused = moved.client("hoa").post(url, answer)

    assert refused.status_code == 404
    suggestion.refresh_from_db()
    assert not suggestion.is_answered
    assert moved.client("bithu.tdp2").post(url, answer).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.is_answered
    assert suggestion.member_review == MemberReview.objects.get(member=an, year=2025)


def test_it_tells_nothing_of_a_member_outside_the_reach_when_suggesting(world: World) -> None:
    _user(world, "tochuc.cujut", "DN.CUJUT", Department.ORGANISATION)
    kbinh = world.members["kbinh"]  # in Tuy Đức, managed at the district's level
    kbinh.management_level = ManagementLevel.DISTRICT
    kbinh.save()

    def refusal(card: str) -> list[str]:
        response = world.client("tochuc.cujut").post(
            "/kiem-diem/goi-y/moi/",
            {
                "nam": "2022",
                "cap_uy": "DN.CUJUT",
                "ngay": "01/11/2022",
                "loai": "ca_nhan",
                "doi_tuong": card,
            },
        )
        return _messages(response)

    assert refusal("67000008") == [
        views.SUBJECT_NOT_FOUND.format(what="đảng viên số thẻ", subject="67000008", year=2022)
    ]
    assert refusal("67009999") == [
        views.SUBJECT_NOT_FOUND.format(what="đảng viên số thẻ", subject="67009999", year=2022)
    ]
    # Inside the reach the domain's checks speak as before.
    assert refusal("67000003") == [
        services.SUBJECT_LEVEL.format(
            card="67000003",
            level="(chưa xác định)",
            issuer_level="Cấp huyện",
            issuer="Huyện ủy Cư Jút",
        )
    ]
    assert not ReviewSuggestion.objects.exists()


def test_it_refuses_a_secretary_approving_her_own_commitment(world: World) -> None:
    own = services.commitment_start(member=world.members["hoa"], year=2022)
    services.commitment_save(commitment=own, sections=SECTIONS, submit=True)
    approve = world.client("hoa").post(f"/cam-ket/{own.pk}/y-kien/", {"hanh_dong": "duyet"})
    give_back = world.client("hoa").post(f"/cam-ket/{own.pk}/y-kien/", {"y_kien": "Tự góp ý."})

    assert _messages(approve) == [services.SELF_COMMITMENT]
    assert _messages(give_back) == [services.SELF_COMMITMENT]
    own.refresh_from_db()
    assert own.status == CommitmentStatus.SUBMITTED and not own.comments.exists()
    # The cell's other decider, the province's organisation officer, approves it.
    world.client("tochuc").post(f"/cam-ket/{own.pk}/y-kien/", {"hanh_dong": "duyet"})
    own.refresh_from_db()
    assert own.is_approved


def test_it_refuses_a_paper_commitment_entered_for_oneself(world: World) -> None:
    response = world.client("hoa").post(
        f"/kiem-diem/{TDP1}/2022/cam-ket-giay/", {"the": "67000001", "ngay": "15/01/2022"}
    )

    assert services.SELF_COMMITMENT in response.content.decode()
    assert not Commitment.objects.exists()


def test_it_refuses_a_secretary_rating_herself(world: World, season) -> None:
    client = world.client("hoa")

    one = client.post(
        f"/kiem-diem/{TDP1}/2022/67000001/luu/", {"ket_qua": "reviewed", "xep_loai": "excellent"}
    )
    many = client.post(
        f"/kiem-diem/{TDP1}/2022/luu/",
        {f"ket_qua_{world.members['hoa'].pk}": "reviewed"},
    )

    assert _messages(one) == [services.SELF_REVIEW]
    assert many.status_code == 400
    assert f"Nguyễn Thị Hoà (67000001): {services.SELF_REVIEW}" in many.content.decode()
    assert not MemberReview.objects.exists()


# -- item 9: a year's ratings close ---------------------------------------------------------------
@pytest.fixture
def rated_2018(world: World) -> MemberReview:
    return member_review_save(
        spec=MemberReviewSpec(
            member=world.members["binh"], year=2018, outcome="reviewed", grade="good"
        )
    )


def test_it_refuses_the_secretary_rewriting_the_2018_rating(world: World, rated_2018) -> None:
    response = world.client("hoa").post(
        f"/kiem-diem/{TDP1}/2018/67000003/luu/",
        {"ket_qua": "reviewed", "xep_loai": "excellent", "ly_do_sua": "Xem lại."},
    )

    assert _messages(response) == [services.RATING_CLOSED.format(year=2018, closes="31/03/2019")]
    rated_2018.refresh_from_db()
    assert rated_2018.grade.code == "good"  # type: ignore[union-attr]
    assert not RatingAmendment.objects.exists()
    page = world.client("hoa").get(f"/kiem-diem/{TDP1}/2018/67000003/").content.decode()
    assert 'name="ket_qua"' not in page and "đã khóa sau ngày 31/03/2019" in page


def test_it_lets_the_level_above_amend_the_2018_rating_with_a_reason(
    world: World, rated_2018
) -> None:
    client = world.client("tochuc")  # the province: above Huyện ủy Cư Jút's grassroots
    url = f"/kiem-diem/{TDP1}/2018/67000003/luu/"

    without = client.post(url, {"ket_qua": "reviewed", "xep_loai": "excellent"})
    rated_2018.refresh_from_db()
    assert _messages(without) == [services.AMEND_REASON_NEEDED.format(year=2018)]
    assert rated_2018.grade.code == "good"  # type: ignore[union-attr]

    client.post(
        url,
        {"ket_qua": "reviewed", "xep_loai": "excellent", "ly_do_sua": "Kết luận 12-KL/HU."},
    )

    rated_2018.refresh_from_db()
    assert rated_2018.grade.code == "excellent"  # type: ignore[union-attr]
    amendment = RatingAmendment.objects.get()
    assert (amendment.member_review, amendment.reason, amendment.amended_by) == (
        rated_2018,
        "Kết luận 12-KL/HU.",
        world.users["tochuc"],
    )
    assert amendment.before["grade"] != amendment.after["grade"]


def test_it_refuses_a_rating_of_a_year_not_yet_open(world: World) -> None:
    year = timezone.localdate().year + 1

    response = world.client("tochuc").post(
        f"/kiem-diem/{TDP1}/{year}/67000003/luu/", {"ket_qua": "reviewed", "xep_loai": "good"}
    )

    assert _messages(response) == [
        services.RATING_NOT_OPEN.format(year=year, opens=f"01/11/{year}")
    ]
    assert not MemberReview.objects.exists()


def test_it_opens_the_current_year_on_the_rules_first_day(world: World, season) -> None:
    season(date(2022, 10, 31))
    with pytest.raises(services.DomainError) as early:
        member_review_save(
            spec=MemberReviewSpec(member=world.members["binh"], year=2022, outcome="reviewed"),
            actor=world.users["hoa"],
        )
    assert early.value.message == services.RATING_NOT_OPEN.format(year=2022, opens="01/11/2022")
    season(date(2022, 11, 1))
    member_review_save(
        spec=MemberReviewSpec(member=world.members["binh"], year=2022, outcome="reviewed"),
        actor=world.users["hoa"],
    )
    season(date(2023, 3, 31))  # the last day before 2022 closes
    member_review_save(
        spec=MemberReviewSpec(
            member=world.members["binh"], year=2022, outcome="reviewed", grade="good"
        ),
        actor=world.users["hoa"],
    )
    assert not RatingAmendment.objects.exists()
    season(date(2023, 4, 1))
    with pytest.raises(services.DomainError):
        member_review_save(
            spec=MemberReviewSpec(
                member=world.members["binh"], year=2022, outcome="reviewed", grade="done"
            ),
            actor=world.users["hoa"],
        )
