"""The annual cycle's writes: commitments, reviews, rules of rating, suggestions, remediation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.members.models import ManagementLevel
from dangvu.members.services import member_transfer
from dangvu.reviews import services
from dangvu.reviews.models import (
    CollectiveReview,
    Commitment,
    CommitmentStatus,
    MemberReview,
    RemediationItem,
    ReviewSuggestion,
)

TDP1 = "DN.CUJUT.EATLING.TDP1"
SECTIONS = {
    "ideology": "Kiên định lập trường.",
    "ethics": "Giữ gìn đạo đức.",
    "duties": "Hoàn thành nhiệm vụ.",
    "discipline": "Chấp hành kỷ luật.",
    "degradation": "Đấu tranh với suy thoái.",
}


def review(world: World, key: str, year: int = 2022, **kw: object) -> MemberReview:
    spec = services.MemberReviewSpec(
        member=world.members[key],
        year=year,
        outcome=str(kw.pop("outcome", "reviewed")),
        **kw,  # type: ignore[arg-type]
    )
    return services.member_review_save(spec=spec)


# -- rules of rating ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "code", "points"),
    [
        (2018, "132-QĐ/TW", False),
        (2022, "132-QĐ/TW", False),
        (2023, "124-QĐ/TW", False),
        (2024, "124-QĐ/TW", False),
        (2025, "366-QĐ/TW", True),
        (2026, "366-QĐ/TW", True),
    ],
)
def test_it_rates_each_year_under_the_rule_in_force(
    db: None, year: int, code: str, points: bool
) -> None:
    scheme = services.scheme_for(year)
    assert (scheme.code, scheme.uses_points) == (code, points)
    assert [g.code for g in scheme.grades.all()] == ["excellent", "good", "done", "failed"]


@pytest.mark.parametrize(
    ("points", "grade"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("70", "good"),
        ("69.5", "done"),
        ("50", "done"),
        ("49.99", "failed"),
        ("0", "failed"),
    ],
)
def test_it_grades_the_100_point_scale_of_366(db: None, points: str, grade: str) -> None:
    found = services.rate(2025, None, Decimal(points))
    assert found is not None and found.code == grade


def test_it_refuses_points_under_a_four_grade_rule_and_a_grade_that_contradicts_them(
    db: None,
) -> None:
    with pytest.raises(DomainError, match="không chấm điểm"):
        services.rate(2023, "good", Decimal(80))
    with pytest.raises(DomainError, match="là mức “Hoàn thành tốt nhiệm vụ”"):
        services.rate(2025, "excellent", Decimal(80))
    assert services.rate(2023, "good", None).code == "good"  # type: ignore[union-attr]
    with pytest.raises(DomainError):
        services.parse_points("101")
    with pytest.raises(DomainError):
        services.parse_points("mười")


def test_it_reads_rules_from_rows_not_code(db: None) -> None:
    """A rule is data: moving its validity moves which years it rates."""
    from dangvu.core import reference
    from dangvu.reviews.models import RatingScheme

    RatingScheme.objects.filter(code="124-QĐ/TW").update(valid_to=date(2024, 1, 1))
    RatingScheme.objects.filter(code="366-QĐ/TW").update(valid_from=date(2024, 1, 1))
    reference.forget()  # rules change by a release, whose sync forgets what was read
    try:
        assert services.scheme_for(2024).code == "366-QĐ/TW"
    finally:
        reference.forget()  # the rows roll back with the test


# -- member reviews -------------------------------------------------------------------------
def test_it_records_a_review_in_the_members_cell_with_the_rating(world: World) -> None:
    saved = review(world, "binh", grade="good")
    assert saved.unit.code == TDP1
    assert saved.grade.code == "good"  # type: ignore[union-attr]
    assert saved.year_end == date(2022, 12, 31)
    again = review(world, "binh", grade="excellent")
    assert again.pk == saved.pk and MemberReview.objects.count() == 1


def test_it_records_an_exemption_only_with_its_reason_and_without_a_rating(world: World) -> None:
    with pytest.raises(DomainError, match="cần có lý do"):
        review(world, "binh", outcome="exempt")
    with pytest.raises(DomainError, match="không xếp loại"):
        review(world, "binh", outcome="exempt", exempt_reason="illness", grade="good")
    with pytest.raises(DomainError, match="Chỉ ghi lý do"):
        review(world, "binh", exempt_reason="illness")
    saved = review(world, "binh", outcome="exempt", exempt_reason="illness")
    assert saved.get_exempt_reason_display() == "Ốm đau, điều trị dài ngày"
    assert MemberReview.objects.count() == 1


def test_it_refuses_a_review_in_a_cell_the_member_was_not_in(world: World) -> None:
    with pytest.raises(DomainError, match=r"không sinh hoạt tại chi bộ DN\.CUJUT\.EATLING\.TDP2"):
        review(world, "binh", unit=world.units["DN.CUJUT.EATLING.TDP2"])
    with pytest.raises(DomainError, match="không sinh hoạt tại chi bộ nào trong năm 2018"):
        review(world, "an", year=2018)  # joined in 2019
    assert not MemberReview.objects.exists()


def test_it_takes_the_cell_of_the_end_of_the_year_after_a_transfer(world: World) -> None:
    member_transfer(
        member=world.members["binh"],
        to_cell=world.units["DN.CUJUT.EATLING.TDP2"],
        effective_on=date(2022, 7, 1),
    )
    assert review(world, "binh").unit.code == "DN.CUJUT.EATLING.TDP2"
    assert review(world, "binh", unit=world.units[TDP1]).unit.code == TDP1


def test_it_rates_2025_from_points(world: World) -> None:
    saved = review(world, "binh", year=2025, points=Decimal("91.5"))
    assert saved.grade.code == "excellent"  # type: ignore[union-attr]


# -- collective reviews ------------------------------------------------------------------------
def test_it_reviews_only_the_collectives_a_unit_has(world: World) -> None:
    cell = services.collective_review_save(
        spec=services.CollectiveReviewSpec(
            unit=world.units[TDP1], year=2022, collective="cell", grade="good"
        )
    )
    assert cell.grade.code == "good"  # type: ignore[union-attr]
    with pytest.raises(DomainError, match="Ban Thường vụ không có"):
        services.collective_review_save(
            spec=services.CollectiveReviewSpec(
                unit=world.units[TDP1], year=2022, collective="standing"
            )
        )
    services.collective_review_save(
        spec=services.CollectiveReviewSpec(
            unit=world.units["DN.CUJUT"], year=2022, collective="standing"
        )
    )
    assert CollectiveReview.objects.count() == 2


# -- suggestions ---------------------------------------------------------------------------------
def suggest(world: World, issuer: str, **kw: object) -> ReviewSuggestion:
    spec = services.SuggestionSpec(
        year=2022, issuer=world.units[issuer], issued_on=date(2022, 11, 1), **kw
    )  # type: ignore[arg-type]
    return services.suggestion_issue(spec=spec)


def test_it_takes_the_level_from_the_body_that_suggests(world: World) -> None:
    province = suggest(
        world, "DN", subject_unit=world.units["DN.CUJUT"], subject_collective="standing"
    )
    district = suggest(
        world,
        "DN.CUJUT",
        subject_unit=world.units["DN.CUJUT.EATLING"],
        subject_collective="committee",
    )
    grassroots = suggest(
        world, "DN.CUJUT.EATLING", subject_unit=world.units[TDP1], subject_collective="cell"
    )
    assert [province.level, district.level, grassroots.level] == [
        "province",
        "district",
        "grassroots",
    ]


def test_it_refuses_a_subject_outside_the_management_of_the_body(world: World) -> None:
    with pytest.raises(DomainError, match="không thuộc phạm vi quản lý"):
        suggest(
            world,
            "DN.DAKMIL",
            subject_unit=world.units["DN.CUJUT.EATLING"],
            subject_collective="committee",
        )
    with pytest.raises(DomainError, match="không phải cấp ủy có thẩm quyền"):
        suggest(world, TDP1, subject_member=world.members["binh"])
    binh = world.members["binh"]
    with pytest.raises(DomainError, match="diện \\(chưa xác định\\)"):
        suggest(world, "DN.CUJUT", subject_member=binh)
    binh.management_level = ManagementLevel.DISTRICT
    binh.save()
    suggest(world, "DN.CUJUT", subject_member=binh)
    with pytest.raises(DomainError, match="đã được gợi ý kiểm điểm năm 2022"):
        suggest(world, "DN.CUJUT", subject_member=binh)
    assert ReviewSuggestion.objects.count() == 1


def test_it_links_the_review_that_answers_a_suggestion(world: World) -> None:
    binh = world.members["binh"]
    binh.management_level = ManagementLevel.DISTRICT
    binh.save()
    suggestion = suggest(world, "DN.CUJUT", subject_member=binh, content="Làm rõ trách nhiệm.")
    other = review(world, "hoa")
    with pytest.raises(DomainError, match="không phải của đối tượng"):
        services.suggestion_answer(
            suggestion=suggestion,
            answer="Đã làm rõ.",
            answered_on=date(2022, 12, 5),
            member_review=other,
        )
    with pytest.raises(DomainError, match="Cần ghi nội dung"):
        services.suggestion_answer(
            suggestion=suggestion,
            answer=" ",
            answered_on=date(2022, 12, 5),
            member_review=review(world, "binh"),
        )
    answered = services.suggestion_answer(
        suggestion=suggestion,
        answer="Đã làm rõ.",
        answered_on=date(2022, 12, 5),
        member_review=review(world, "binh"),
    )
    assert answered.is_answered and answered.member_review.member == binh  # type: ignore[union-attr]


# -- commitments -------------------------------------------------------------------------------
def test_it_runs_a_commitment_through_comments_to_approval(world: World) -> None:
    member = world.members["ybhiong"]
    c = services.commitment_start(member=member, year=2022)
    assert c.status == CommitmentStatus.DRAFT and c.unit.code == TDP1
    with pytest.raises(DomainError, match="chưa có nội dung ở mục: Về tư tưởng chính trị"):
        services.commitment_save(commitment=c, sections={}, submit=True)
    c = services.commitment_save(commitment=c, sections=SECTIONS, submit=True)
    with pytest.raises(DomainError, match="không sửa được"):
        services.commitment_save(commitment=c, sections=SECTIONS)
    c = services.commitment_return(
        commitment=c, comments={"duties": "Cụ thể hơn."}, actor=world.users["hoa"]
    )
    assert c.status == CommitmentStatus.RETURNED and c.comments.get().section == "duties"
    with pytest.raises(DomainError, match="chưa được gửi"):
        services.commitment_approve(commitment=c, actor=world.users["hoa"])
    c = services.commitment_save(
        commitment=c, sections={**SECTIONS, "duties": "Hoàn thành 100% chỉ tiêu."}, submit=True
    )
    c = services.commitment_approve(commitment=c, actor=world.users["hoa"], on=date(2022, 2, 3))
    assert (
        c.is_approved and c.counted_on == date(2022, 2, 3) and c.approved_by == world.users["hoa"]
    )


def test_it_begins_this_years_commitment_from_last_years(world: World) -> None:
    member = world.members["ybhiong"]
    last = services.commitment_start(member=member, year=2021)
    services.commitment_save(commitment=last, sections=SECTIONS)
    fresh = services.commitment_start(member=member, year=2022)
    assert fresh.sections == SECTIONS and fresh.pk != last.pk


def test_it_records_a_commitment_signed_on_paper(world: World) -> None:
    c = services.commitment_record_paper(
        member=world.members["binh"],
        year=2022,
        sections={},
        signed_on=date(2021, 12, 28),
        actor=None,
    )
    assert c.on_paper and c.is_approved and c.counted_on == date(2022, 1, 1)
    with pytest.raises(DomainError):
        services.commitment_record_paper(
            member=world.members["binh"],
            year=2022,
            sections={},
            signed_on=date(2022, 1, 5),
            actor=None,
        )
    assert Commitment.objects.count() == 1


# -- remediation ---------------------------------------------------------------------------------
def test_it_tracks_a_shortcoming_to_its_remedy_with_the_report_due_a_year_later(
    world: World,
) -> None:
    r = review(world, "binh", grade="done")
    with pytest.raises(DomainError, match="biện pháp"):
        services.remediation_add(
            shortcoming="Chưa dự đủ sinh hoạt.",
            plan="",
            deadline=date(2023, 6, 30),
            member_review=r,
            created_on=date(2022, 12, 20),
        )
    with pytest.raises(DomainError, match="phải sau ngày ghi nhận"):
        services.remediation_add(
            shortcoming="x",
            plan="y",
            deadline=date(2022, 12, 1),
            member_review=r,
            created_on=date(2022, 12, 20),
        )
    item = services.remediation_add(
        shortcoming="Chưa dự đủ sinh hoạt.",
        plan="Dự đủ các kỳ.",
        deadline=date(2023, 6, 30),
        member_review=r,
        created_on=date(2022, 12, 20),
    )
    assert item.report_due == date(2023, 12, 20) and item.responsible == world.members["binh"]
    assert item.overdue_on(date(2023, 7, 1)) and not item.overdue_on(date(2023, 6, 30))
    with pytest.raises(DomainError, match="kết quả"):
        services.remediation_done(item=item, done_on=date(2023, 5, 1), result="")
    done = services.remediation_done(item=item, done_on=date(2023, 5, 1), result="Đã dự đủ.")
    assert not done.overdue_on(date(2024, 1, 1))
    with pytest.raises(DomainError, match="đã hoàn thành"):
        services.remediation_done(item=done, done_on=date(2023, 5, 2), result="Lần nữa.")
    assert RemediationItem.objects.get().result == "Đã dự đủ."


def test_it_dates_a_report_due_after_29_february(db: None) -> None:
    assert services.report_due_after(date(2024, 2, 29)) == date(2025, 2, 28)
