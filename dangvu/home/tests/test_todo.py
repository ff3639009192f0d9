"""The home page's "việc cần làm": each thing appears for whoever may do it, disappears
once done, never reaches past the user's scope, and costs the same few queries however
many things wait."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvu.conftest import World
from dangvu.home import selectors
from dangvu.home.selectors import things_to_do
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.indicators.models import Programme
from dangvu.meetings.models import Meeting, MeetingKind
from dangvu.members.models import Gender
from dangvu.members.services import member_create
from dangvu.plans.models import PlanStatus, UnitPlan
from dangvu.reports.models import SummaryReport
from dangvu.reviews.models import (
    CollectiveKind,
    Commitment,
    CommitmentStatus,
    MemberReview,
    RemediationItem,
    ReviewOutcome,
    ReviewSuggestion,
)
from dangvu.sociology.models import Invitation, Questionnaire
from dangvu.sociology.models import Status as SurveyStatus
from dangvu.surveys.models import ImplementationSurvey

#: The day the tests look from: December, when the year's reviews are being recorded.
DAY = date(2026, 12, 7)
TDP1 = "DN.CUJUT.EATLING.TDP1"


@pytest.fixture(autouse=True)
def _on_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "today", lambda: DAY)


def kinds(world: World, username: str) -> list[str]:
    return things_to_do(user=world.users[username]).kinds()


def page(world: World, username: str) -> str:
    response = world.client(username).get("/")
    assert response.status_code == 200
    return response.content.decode()


def commitment(world: World, key: str, status: str, year: int = DAY.year) -> Commitment:
    return Commitment.objects.create(
        member=world.members[key],
        year=year,
        unit=world.units[TDP1],
        status=status,
        submitted_at=timezone.now() if status != CommitmentStatus.DRAFT else None,
    )


def review(world: World, key: str, year: int = DAY.year) -> MemberReview:
    return MemberReview.objects.create(
        member=world.members[key],
        year=year,
        unit=world.units[TDP1],
        outcome=ReviewOutcome.REVIEWED,
        year_end=date(year, 12, 31),
    )


def held(world: World, month: date, code: str = TDP1, **kw: Any) -> Meeting:
    return Meeting.objects.create(
        unit=world.units[code], kind=MeetingKind.REGULAR, month=month, **kw
    )


# -- the member ------------------------------------------------------------------------------------
def test_it_asks_the_member_to_write_then_revise_the_commitment(world: World) -> None:
    assert "commitment_write" in kinds(world, "ybhiong")
    assert "Viết bản cam kết năm 2026 và gửi chi bộ." in page(world, "ybhiong")
    c = commitment(world, "ybhiong", CommitmentStatus.SUBMITTED)
    assert not {"commitment_write", "commitment_revise"} & set(kinds(world, "ybhiong"))
    Commitment.objects.filter(pk=c.pk).update(status=CommitmentStatus.RETURNED)
    assert "commitment_revise" in kinds(world, "ybhiong")
    assert "/cam-ket/?nam=2026" in page(world, "ybhiong")
    Commitment.objects.filter(pk=c.pk).update(status=CommitmentStatus.APPROVED)
    assert not {"commitment_write", "commitment_revise"} & set(kinds(world, "ybhiong"))


def test_it_starts_an_open_assessment_in_one_tap(world: World) -> None:
    from dangvu.assessments.tests.helpers import attempt_of, document_with_bank, opened

    assessment = opened(world, document_with_bank(), opens_at=None, title="Nghị quyết 05")
    attempt = attempt_of(world, assessment, "ybhiong")
    html = page(world, "ybhiong")
    assert "Bài kiểm tra “Nghị quyết 05” đang mở: 6 câu, 15 phút." in html
    start = f'action="/k/t/{attempt.token}/bat-dau/"'
    assert start in html and "Bắt đầu làm bài" in html
    # The button is the start page's own: one tap and the questions are on screen.
    response = world.client("ybhiong").post(f"/k/t/{attempt.token}/bat-dau/", follow=True)
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.started_at is not None
    assert "Làm tiếp" in page(world, "ybhiong")
    from dangvu.assessments.tests.helpers import take

    take(attempt, [True] * 6, at=timezone.now())
    assert "assessment" not in kinds(world, "ybhiong")
    # The stranger, not expected at it, is not asked.
    assert "assessment" not in kinds(world, "kbinh")


def _survey(world: World, anonymous: bool = True) -> Questionnaire:
    survey = Questionnaire.objects.create(
        unit=world.units["DN"],
        level="province",
        title="Chuyển đổi số trong chi bộ",
        started_on=DAY - timedelta(days=3),
        ended_on=DAY + timedelta(days=20),
        anonymous=anonymous,
        status=SurveyStatus.OPEN,
    )
    survey.sample_units.add(world.units[TDP1])
    return survey


def test_it_invites_the_member_to_a_survey_alike_before_and_after_answering(
    world: World,
) -> None:
    survey = _survey(world)
    invitation = Invitation.objects.create(
        questionnaire=survey, member=world.members["ybhiong"], unit=world.units[TDP1], code="AB12CD"
    )
    before = page(world, "ybhiong")
    assert "Bạn được mời trả lời phiếu điều tra “Chuyển đổi số trong chi bộ”" in before
    assert 'name="ma" value="AB12CD"' in before and 'action="/dieu-tra/tra-loi/"' in before
    # Anonymity: the page never says whether the code was used.
    Invitation.objects.filter(pk=invitation.pk).update(used=True)
    assert things_to_do(user=world.users["ybhiong"]).kinds().count("sociology_invitation") == 1
    assert "sociology_invitation" not in kinds(world, "kbinh")  # not invited
    Questionnaire.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    assert "sociology_invitation" not in kinds(world, "ybhiong")


def test_it_tells_the_member_the_next_meeting_of_the_cell(world: World) -> None:
    assert "next_meeting" not in kinds(world, "ybhiong")
    held(world, date(2026, 12, 1), planned_on=date(2026, 12, 15), topics="Kiểm điểm cuối năm")
    html = page(world, "ybhiong")
    assert "Sinh hoạt chi bộ thường kỳ ngày 15/12/2026." in html
    assert "Nội dung: Kiểm điểm cuối năm" in html
    assert "next_meeting" not in kinds(world, "kbinh")


# -- the cell secretary ----------------------------------------------------------------------------
def test_it_lists_the_months_without_a_meeting_recorded(world: World) -> None:
    todos = things_to_do(user=world.users["hoa"])
    texts = [t.text for s in todos.sections for t in s.items if t.kind == "meeting_to_record"]
    assert texts[0] == "Ghi buổi sinh hoạt chi bộ tháng 12/2026 (tháng này)."
    assert texts[1] == "Ghi buổi sinh hoạt chi bộ tháng 11/2026: chưa có biên bản."
    assert "meetings_more" in todos.kinds()  # ten earlier months, counted
    html = page(world, "hoa")
    assert "/sinh-hoat/DN.CUJUT.EATLING.TDP1/ghi/?thang=2026-11" in html
    assert "Còn 10 tháng khác chưa ghi sinh hoạt" in html
    held(world, date(2026, 11, 1), held_on=date(2026, 11, 20))
    planned = held(world, date(2026, 12, 1), planned_on=date(2026, 12, 15))
    html = page(world, "hoa")
    assert "tháng 11/2026" not in html
    assert f"/sinh-hoat/buoi/{planned.pk}/" in html  # the planned meeting, to record as held
    for month in range(1, 13):
        Meeting.objects.update_or_create(
            unit=world.units[TDP1],
            kind=MeetingKind.REGULAR,
            month=date(2026, month, 1),
            defaults={"held_on": date(2026, month, 10)},
        )
    assert not {"meeting_to_record", "meetings_more"} & set(kinds(world, "hoa"))


def test_it_shows_the_commitments_waiting_for_the_secretary(world: World) -> None:
    waiting = commitment(world, "ybhiong", CommitmentStatus.SUBMITTED)
    commitment(world, "hoa", CommitmentStatus.SUBMITTED)  # her own: not hers to decide
    html = page(world, "hoa")
    assert "Duyệt bản cam kết năm 2026 của Y Bhiông Niê." in html
    assert f"/cam-ket/{waiting.pk}/" in html
    assert "Nguyễn Thị Hoà." not in html
    assert kinds(world, "hoa").count("commitment_decide") == 1
    Commitment.objects.filter(pk=waiting.pk).update(status=CommitmentStatus.APPROVED)
    assert "commitment_decide" not in kinds(world, "hoa")


def test_it_counts_the_commitments_beyond_the_first_few(world: World) -> None:
    for key in ("ybhiong", "binh", "an"):
        commitment(world, key, CommitmentStatus.SUBMITTED)
    extra = member_create(
        card_number="67000099",
        full_name="Lò Văn Thêm",
        birth_date=date(1990, 1, 1),
        gender=Gender.MALE,
        joined_on=date(2015, 1, 1),
        full_member_on=date(2016, 1, 1),
        cell=world.units[TDP1],
        active_from=date(2015, 1, 1),
    )
    world.members["them"] = extra
    commitment(world, "them", CommitmentStatus.SUBMITTED)
    todos = kinds(world, "hoa")
    assert todos.count("commitment_decide") == 3
    assert "Còn 1 bản cam kết khác chờ duyệt." in page(world, "hoa")


def test_it_names_the_members_without_a_review_of_the_year(world: World) -> None:
    html = page(world, "hoa")
    assert (
        "3 đảng viên chưa có kết quả kiểm điểm năm 2026: Trần Văn An, Đặng Văn Bình, Y Bhiông Niê."
        in html
    )
    assert "/kiem-diem/DN.CUJUT.EATLING.TDP1/2026/" in html
    for key in ("ybhiong", "binh"):
        review(world, key)
    assert "1 đảng viên chưa có kết quả kiểm điểm năm 2026: Trần Văn An." in page(world, "hoa")
    review(world, "an")
    assert "reviews_missing" not in kinds(world, "hoa")


def test_it_asks_for_reviews_only_while_the_year_is_rated(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "today", lambda: date(2026, 6, 15))
    assert "reviews_missing" not in kinds(world, "hoa")
    monkeypatch.setattr(selectors, "today", lambda: date(2027, 2, 1))
    assert "chưa có kết quả kiểm điểm năm 2026" in " ".join(
        t.text for s in things_to_do(user=world.users["hoa"]).sections for t in s.items
    )


def _suggestion(world: World, **subject: Any) -> ReviewSuggestion:
    return ReviewSuggestion.objects.create(
        year=DAY.year,
        issuer=world.units["DN.CUJUT.EATLING"],
        level="grassroots",
        issued_on=date(2026, 11, 5),
        year_end=date(DAY.year, 12, 31),
        **subject,
    )


def test_it_shows_the_suggestions_to_answer(world: World) -> None:
    personal = _suggestion(world, subject_member=world.members["ybhiong"])
    collective = _suggestion(
        world, subject_unit=world.units[TDP1], subject_collective=CollectiveKind.CELL
    )
    html = page(world, "hoa")
    assert (
        "Trả lời gợi ý kiểm điểm năm 2026 của Đảng bộ thị trấn Ea T&#x27;Ling cho đồng chí Y Bhiông Niê."
        in html
    )
    assert "cho tập thể chi bộ." in html
    assert "/kiem-diem/goi-y/?nam=2026" in html
    ReviewSuggestion.objects.filter(pk__in=[personal.pk, collective.pk]).update(
        answered_on=date(2026, 12, 1)
    )
    assert "suggestion_to_answer" not in kinds(world, "hoa")


def test_it_counts_the_overdue_remediation(world: World) -> None:
    r = review(world, "binh", DAY.year - 1)
    item = RemediationItem.objects.create(
        unit=world.units[TDP1],
        year=DAY.year - 1,
        member_review=r,
        shortcoming="Chưa đóng đảng phí đúng hạn",
        plan="Đóng đủ",
        deadline=date(2026, 6, 30),
        report_due=date(2027, 6, 30),
        created_on=date(2026, 1, 10),
    )
    html = page(world, "hoa")
    assert "1 nội dung khắc phục hạn chế, khuyết điểm đã quá hạn." in html
    assert "/kiem-diem/khac-phuc/?qua-han=1" in html
    RemediationItem.objects.filter(pk=item.pk).update(done_on=date(2026, 12, 1))
    assert "remediation_overdue" not in kinds(world, "hoa")


def _everything_in_hoas_cell(world: World) -> None:
    commitment(world, "ybhiong", CommitmentStatus.SUBMITTED)
    _suggestion(world, subject_member=world.members["binh"])
    held(world, date(2026, 12, 1), planned_on=date(2026, 12, 15), topics="Kiểm điểm cuối năm")


def test_it_shows_nothing_of_hoas_cell_to_the_stranger_or_to_a_member(world: World) -> None:
    _everything_in_hoas_cell(world)
    stranger = page(world, "kbinh")
    for word in ("Tổ dân phố 1", "Y Bhiông", "Đặng Văn Bình", "Trần Văn An", "Kiểm điểm cuối năm"):
        assert word not in stranger
    assert "Chi bộ Bon Bu Prăng" in stranger  # her own cell's months to record
    member = set(kinds(world, "ybhiong"))
    assert not member & {
        "meeting_to_record",
        "commitment_decide",
        "reviews_missing",
        "suggestion_to_answer",
    }


def test_it_gives_a_role_that_ended_nothing_and_says_so_when_nothing_waits(
    world: World,
) -> None:
    assert kinds(world, "tuyduc.cu") == []
    assert "Không có việc gì cần làm." in page(world, "tuyduc.cu")
    assert "Không có việc gì cần làm." in page(world, "quantri")


# -- staff ----------------------------------------------------------------------------------------
@pytest.fixture
def programme(db: None) -> Programme:
    """The catalogue's programme, running until the end of next year."""
    prog = catalogue_sync()
    Programme.objects.filter(pk=prog.pk).update(report_to=date(2027, 12, 31))
    prog.refresh_from_db()
    return prog


def test_it_lists_the_units_without_a_plan_and_the_plans_to_decide(
    world: World, programme: Programme
) -> None:
    html = page(world, "tochuc")
    assert (
        f"3 đơn vị trực thuộc chưa trình kế hoạch thực hiện {programme.short_name}: "
        "Huyện ủy Cư Jút, Huyện ủy Đắk Mil, Huyện ủy Tuy Đức." in html
    )
    assert "/ke-hoach/?don_vi=DN" in html or "?don_vi=DN" in html
    assert "DN.CUJUT" not in html  # names, never codes
    UnitPlan.objects.create(
        programme=programme,
        unit=world.units["DN.CUJUT"],
        title="Kế hoạch",
        submitted_on=date(2026, 1, 5),
        status=PlanStatus.SUBMITTED,
    )
    html = page(world, "tochuc")
    assert "2 đơn vị trực thuộc chưa trình kế hoạch" in html
    assert "1 kế hoạch chờ phê duyệt: Huyện ủy Cư Jút." in html
    # The Front reads plans but decides none.
    assert "plans_to_decide" not in kinds(world, "mattran")
    UnitPlan.objects.update(status=PlanStatus.APPROVED)
    assert "plans_to_decide" not in kinds(world, "tochuc")


def test_it_lists_the_units_without_a_summary_report_near_the_period_end(
    world: World, programme: Programme
) -> None:
    assert "reports_missing" not in kinds(world, "tochuc")  # a year before the end
    Programme.objects.filter(pk=programme.pk).update(report_to=date(2026, 12, 31))
    assert "reports_missing" in kinds(world, "tochuc")
    from dangvu.indicators.selectors import default_period

    programme.refresh_from_db()
    for code in ("DN.CUJUT", "DN.DAKMIL", "DN.TUYDUC"):
        SummaryReport.objects.create(
            programme=programme,
            unit=world.units[code],
            period=default_period(programme).label,
            title="Báo cáo",
            issuer="Huyện ủy",
        )
    assert "reports_missing" not in kinds(world, "tochuc")


def test_it_shows_the_surveys_under_way_within_reach(world: World) -> None:
    survey = ImplementationSurvey.objects.create(
        programme=catalogue_sync(),
        unit=world.units["DN.CUJUT"],
        title="Khảo sát việc thực hiện ở Cư Jút",
        started_on=DAY - timedelta(days=2),
        ended_on=DAY + timedelta(days=5),
    )
    socio = _survey(world)
    html = page(world, "tochuc")
    assert "Đợt khảo sát “Khảo sát việc thực hiện ở Cư Jút” đang diễn ra, đến 12/12/2026." in html
    assert "Điều tra xã hội học “Chuyển đổi số trong chi bộ” đang thu phiếu" in html
    assert f"/dieu-tra/{socio.pk}/" in html
    assert "survey_open" not in kinds(world, "huong")  # Đắk Mil's inspection: not its survey
    ImplementationSurvey.objects.filter(pk=survey.pk).update(ended_on=DAY - timedelta(days=1))
    Questionnaire.objects.filter(pk=socio.pk).update(status=SurveyStatus.CLOSED)
    assert not {"survey_open", "sociology_open"} & set(kinds(world, "tochuc"))


# -- cost ----------------------------------------------------------------------------------------
def _queries(world: World, username: str) -> int:
    client = world.client(username)
    client.get("/")  # the session and the reference data, once
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def test_it_costs_a_few_queries_however_much_waits(
    world: World, programme: Programme, django_assert_max_num_queries: Any
) -> None:
    names = ("hoa", "ybhiong", "tochuc")
    commitment(world, "ybhiong", CommitmentStatus.SUBMITTED)
    _suggestion(world, subject_member=world.members["ybhiong"])
    _survey(world)
    one = {name: _queries(world, name) for name in names}
    for key in ("binh", "an"):
        commitment(world, key, CommitmentStatus.SUBMITTED)
        _suggestion(world, subject_member=world.members[key])
    for n in range(40):
        member_create(
            card_number=f"6701{n:04d}",
            full_name=f"Đảng viên {n}",
            birth_date=date(1990, 1, 1),
            gender=Gender.MALE,
            joined_on=date(2015, 1, 1),
            full_member_on=date(2016, 1, 1),
            cell=world.units[TDP1],
            active_from=date(2015, 1, 1),
        )
    held(world, date(2026, 12, 1), planned_on=date(2026, 12, 15))
    _survey(world)
    many = {name: _queries(world, name) for name in names}
    assert many == one, many
    for name in names:
        client = world.client(name)
        client.get("/")
        with django_assert_max_num_queries(25):
            client.get("/")


def test_it_counts_the_findings_of_the_figures_entered(world: World) -> None:
    from decimal import Decimal

    from dangvu.indicators.models import EnteredValue, Indicator
    from dangvu.indicators.selectors import default_period

    period = default_period(catalogue_sync())
    assert "findings" not in kinds(world, "tochuc")  # nothing entered: nothing to check

    def enter(code: str, key: str, value: int) -> EnteredValue:
        return EnteredValue.objects.create(
            indicator=Indicator.objects.get(code=code),
            key=key,
            unit=world.units["DN"],
            period=period.label,
            period_start=period.start,
            period_end=period.end,
            value=Decimal(value),
        )

    total = enter("supervision.front_total", "", 899)  # the levels make 979
    for key, value in (("province", 35), ("district", 199), ("commune", 745)):
        enter("supervision.front_by_level", key, value)
    html = page(world, "tochuc")
    assert "1 điểm cần xem lại trong số liệu của Đảng bộ tỉnh Đắk Nông" in html
    assert "/so-lieu/?don_vi=DN" in html
    assert "findings" not in kinds(world, "huong")  # Đắk Mil's: not under it
    total.value = Decimal(979)
    total.save()
    assert "findings" not in kinds(world, "tochuc")


def test_a_round_for_the_period_replaces_the_missing_reports_item(
    world: World, programme: Programme
) -> None:
    """Once the province asks its districts for their reports in a round, the round's own
    items follow them; the summary reports' item gives way."""
    from dangvu.indicators.selectors import default_period
    from dangvu.reports.models import SECTIONS
    from dangvu.rounds.services import round_launch

    Programme.objects.filter(pk=programme.pk).update(report_to=date(2026, 12, 31))
    programme.refresh_from_db()
    assert "reports_missing" in kinds(world, "tochuc")
    round_launch(
        unit=world.units["DN"],
        programme=programme,
        title="Sơ kết thực hiện Đề án 05",
        period=default_period(programme),
        deadline=date(2027, 1, 15),
        outline=SECTIONS,
        actor=None,
        on=date(2026, 12, 1),
    )
    assert "reports_missing" not in kinds(world, "tochuc")
