"""The pages of a round, through the test client: each page and each POST for the persona
who may use it, what it changes (and, refused, that it changes nothing)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.conftest import World
from dangvu.indicators.models import FiguresLock, Programme
from dangvu.reports.models import SECTIONS
from dangvu.rounds import services
from dangvu.rounds.models import EventAction, ReportingRound, ReportState, RoundReport
from dangvu.rounds.tests.conftest import report_of, texts_for


def vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def report_url(name: str, report: RoundReport) -> str:
    return reverse(f"rounds:{name}", args=[report.round_id, report.pk])


def state_of(report: RoundReport) -> tuple[object, ...]:
    report.refresh_from_db()
    return (
        report.state,
        report.texts,
        report.submitted_texts,
        report.comments,
        report.extended_to,
        report.snapshot is not None,
        report.events.count(),
    )


def posted_texts(rnd: ReportingRound, word: str = "Nội dung") -> dict[str, str]:
    return {f"muc_{key}": text for key, text in texts_for(rnd, word).items()}


def submitted(rnd: ReportingRound, world: World, offices, code: str = "DN.CUJUT") -> RoundReport:
    report = report_of(rnd, world, code)
    return services.report_submit(
        report=report, texts=texts_for(rnd), actor=offices[f"vp.{code.split('.')[1].lower()}"]
    )


# -- the list ---------------------------------------------------------------------------


def test_it_lists_the_reports_a_district_office_must_send(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    response = world.client("vp.cujut").get(reverse("rounds:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Báo cáo đơn vị phải gửi" in html
    assert "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU" in html
    assert "Huyện ủy Cư Jút" in html and "Đảng bộ tỉnh Đắk Nông yêu cầu" in html
    assert "15/06/2023" in html
    assert f"Quá hạn {vn_int(report.days_late())} ngày" in html
    assert report_url("report", report) in html
    # Its own unit's round may be launched, not the province's board opened.
    assert reverse("rounds:create") in html
    assert f'"{reverse("rounds:board", args=[rnd.pk])}"' not in html


def test_it_lists_the_rounds_a_province_office_follows(
    world: World, offices, rnd, django_assert_max_num_queries
) -> None:
    client = world.client("vp.tinh")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("rounds:list"))
    html = response.content.decode()
    assert "Các đợt báo cáo" in html
    assert reverse("rounds:board", args=[rnd.pk]) in html
    assert "0/3 đã chấp nhận" in html and "3 quá hạn" in html
    assert "05/07/2018 – 30/06/2023" in html
    assert "Phát động đợt báo cáo" in html
    assert "DN.CUJUT" not in html  # names, not codes


def test_it_shows_a_cell_secretary_no_round_and_no_launch(world: World, offices, rnd) -> None:
    response = world.client("hoa").get(reverse("rounds:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert rnd.title not in html
    assert "Phát động đợt báo cáo" not in html


# -- launching --------------------------------------------------------------------------


def launch_data(world: World, **more: str) -> dict[str, str]:
    deadline = timezone.localdate() + timedelta(days=30)
    data = {
        "unit": str(world.units["DN"].pk),
        "programme": str(Programme.objects.get(code="DA05").pk),
        "ky": "2022",
        "title": "Báo cáo năm 2022 về Đề án 05",
        "deadline": deadline.isoformat(),
        "outline": "\n".join([SECTIONS[1][1], "Kiến nghị, đề xuất", "", SECTIONS[3][1]]),
        "reporters": "direct",
        "chosen": "",
        "instructions": "Gửi kèm phụ lục số liệu.",
    }
    data.update(more)
    return data


def test_it_offers_the_launch_form_prefilled(world: World, offices) -> None:
    response = world.client("vp.tinh").get(reverse("rounds:create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đảng bộ tỉnh Đắk Nông" in html  # the only unit: fixed text, not a choice
    assert 'type="hidden" name="unit"' in html
    assert "Sơ kết 5 năm thực hiện" in html
    assert all(title in html for _, title in SECTIONS)
    assert 'type="date"' in html and "Năm 2022" in html


def test_it_launches_a_round_and_opens_its_board(world: World, offices) -> None:
    client = world.client("vp.tinh")
    response = client.post(reverse("rounds:create"), launch_data(world))
    rnd = ReportingRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rounds:board", args=[rnd.pk])
    assert rnd.title == "Báo cáo năm 2022 về Đề án 05"
    assert rnd.period == "2022"
    assert rnd.outline == [
        [SECTIONS[1][0], SECTIONS[1][1]],
        ["m1", "Kiến nghị, đề xuất"],
        [SECTIONS[3][0], SECTIONS[3][1]],
    ]
    assert rnd.launched_by == offices["vp.tinh"]
    assert sorted(rnd.reports.values_list("unit__code", flat=True)) == [
        "DN.CUJUT",
        "DN.DAKMIL",
        "DN.TUYDUC",
    ]
    board = client.get(response["Location"])
    assert "Đã phát động đợt báo cáo; 3 đơn vị phải báo cáo." in board.content.decode()


def test_it_launches_a_round_over_units_named_one_a_line(world: World, offices) -> None:
    data = launch_data(world, reporters="list", chosen="Huyện ủy Cư Jút\n\nHuyện ủy Tuy Đức\n")
    world.client("vp.tinh").post(reverse("rounds:create"), data)
    rnd = ReportingRound.objects.get()
    assert rnd.reporters == "list"
    assert sorted(rnd.reports.values_list("unit__code", flat=True)) == ["DN.CUJUT", "DN.TUYDUC"]


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"deadline": "2020-01-01"}, "Hạn nộp không được trước ngày phát động"),
        ({"reporters": "list", "chosen": "Chi bộ Không Có"}, "Không tìm thấy"),
        ({"reporters": "list", "chosen": "Đảng bộ tỉnh Đắk Nông"}, "không trực thuộc"),
        ({"outline": " \n "}, "Cần điền mục này."),
        ({"ky": "khac", "tu": "", "den": ""}, "Hãy chọn cả ngày bắt đầu"),
    ],
)
def test_it_refuses_a_launch_and_writes_nothing(
    world: World, offices, more: dict[str, str], message: str
) -> None:
    response = world.client("vp.tinh").post(reverse("rounds:create"), launch_data(world, **more))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReportingRound.objects.count() == 0
    assert RoundReport.objects.count() == 0


def test_it_refuses_a_second_round_for_the_same_period(world: World, offices, rnd) -> None:
    data = launch_data(world, ky=rnd.period)
    response = world.client("vp.tinh").post(reverse("rounds:create"), data)
    assert "đã có đợt báo cáo «Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU»" in response.content.decode()
    assert ReportingRound.objects.count() == 1


# -- the board --------------------------------------------------------------------------


def test_it_shows_the_board_of_states_and_lateness(world: World, offices, rnd) -> None:
    submitted(rnd, world, offices)
    services.report_extend(
        report=report_of(rnd, world, "DN.TUYDUC"),
        until=timezone.localdate() + timedelta(days=5),
        reason="Đại hội.",
        actor=offices["vp.tinh"],
    )
    response = world.client("vp.tinh").get(reverse("rounds:board", args=[rnd.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "0/3</strong> đã chấp nhận · 1 đã gửi" in html
    assert "Đã gửi, chờ xem xét" in html and "Chưa bắt đầu" in html
    late = report_of(rnd, world, "DN.DAKMIL").days_late()
    assert f"Quá hạn {vn_int(late)} ngày" in html
    assert f"gia hạn đến {(timezone.localdate() + timedelta(days=5)):%d/%m}" in html
    assert report_url("report", report_of(rnd, world, "DN.CUJUT")) in html
    # A draft is not the province's to read: no link to it, but an extension to give.
    assert f'"{report_url("report", report_of(rnd, world, "DN.DAKMIL"))}"' not in html
    assert report_url("extend", report_of(rnd, world, "DN.DAKMIL")) in html
    assert reverse("rounds:figures", args=[rnd.pk]) in html
    assert "DN.DAKMIL" not in html


def test_it_sets_the_accepted_figures_side_by_side(world: World, offices, rnd) -> None:
    report = submitted(rnd, world, offices)
    services.report_accept(report=report, actor=offices["vp.tinh"])
    url = reverse("rounds:figures", args=[rnd.pk])
    fragment = world.client("vp.tinh").get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html
    assert "Huyện ủy Cư Jút" in html and "Cộng" in html
    assert "Số của Đảng bộ tỉnh Đắk Nông" in html
    assert "không công bố" in html  # discipline figures: the office does not reach them
    assert "báo cáo chưa được chấp nhận" in html or "khớp" in html
    page = world.client("vp.tinh").get(url)
    assert "<html" in page.content.decode() and "Cộng" in page.content.decode()


# -- writing a report -------------------------------------------------------------------


def test_it_offers_the_unit_a_form_per_section(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    response = world.client("vp.cujut").get(report_url("report", report))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<textarea") == len(rnd.sections())
    assert "Lưu nháp" in html and "Gửi báo cáo" in html
    assert report_url("submit", report) in html
    assert "Số liệu của Huyện ủy Cư Jút" in html
    assert reverse("indicators:entry") + "?don_vi=DN.CUJUT&amp;ky=" in html
    assert "Phát động" in html  # the history


def test_it_shows_the_units_figures_read_only_entered_ones_marked(
    world: World, offices, rnd, period
) -> None:
    from decimal import Decimal

    from dangvu.indicators.models import Indicator
    from dangvu.indicators.services import entered_value_set

    entered_value_set(
        indicator=Indicator.objects.get(code="supervision.front_total"),
        unit=world.units["DN.CUJUT"],
        period=period,
        value=Decimal(7),
    )
    report = report_of(rnd, world, "DN.CUJUT")
    client = world.client("vp.cujut")
    fragment = client.get(report_url("report_figures", report), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and "<input" not in html and "<textarea" not in html
    assert "nhập tổng hợp" in html
    assert "Tổng số đảng viên" in html
    page = client.get(report_url("report_figures", report)).content.decode()
    assert "<h1>Số liệu của Huyện ủy Cư Jút</h1>" in page


def test_it_saves_a_draft(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    data = {**posted_texts(rnd), "number": "125", "signer_name": "Nguyễn  Văn Tâm"}
    client = world.client("vp.cujut")
    response = client.post(report_url("save", report), data)
    assert response.status_code == 302 and response["Location"] == report_url("report", report)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFTING
    assert report.texts == texts_for(rnd)
    assert (report.number, report.signer_name) == ("125", "Nguyễn Văn Tâm")
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu bản nháp." in page and "Nội dung mục I.2.3. Sinh hoạt chi bộ." in page


def test_it_refuses_to_submit_an_unfinished_report_and_keeps_what_was_typed(
    world: World, offices, rnd
) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    before = state_of(report)
    data = posted_texts(rnd)
    data["muc_III"] = ""
    response = world.client("vp.cujut").post(report_url("submit", report), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chưa viết các mục: III. Bài học kinh nghiệm." in html
    assert "Nội dung mục I.2.3. Sinh hoạt chi bộ." in html  # not lost
    assert state_of(report) == before


def test_it_submits_a_report(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    client = world.client("vp.cujut")
    response = client.post(report_url("submit", report), posted_texts(rnd))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_texts == texts_for(rnd)
    assert report.submitted_by == offices["vp.cujut"]
    page = client.get(response["Location"]).content.decode()
    assert "Đã gửi báo cáo lên Đảng bộ tỉnh Đắk Nông." in page
    assert "<textarea" not in page  # with the level above: read only
    # Sent: a second submission is refused and changes nothing.
    before = state_of(report)
    again = world.client("vp.cujut").post(report_url("submit", report), posted_texts(rnd, "Khác"))
    assert "Báo cáo đã gửi, đang chờ cấp trên xem xét" in again.content.decode()
    assert state_of(report) == before


# -- reviewing --------------------------------------------------------------------------


def test_it_shows_the_province_the_submitted_text_with_comment_boxes(
    world: World, offices, rnd
) -> None:
    report = submitted(rnd, world, offices)
    html = world.client("vp.tinh").get(report_url("report", report)).content.decode()
    assert "Nội dung mục I.2.3. Sinh hoạt chi bộ." in html
    assert html.count('name="y_') == len(rnd.sections()) + 1
    assert "Chấp nhận" in html and "Trả lại" in html
    assert 'name="muc_' not in html


def test_it_returns_a_report_with_comments_the_unit_then_reads(world: World, offices, rnd) -> None:
    report = submitted(rnd, world, offices)
    before = state_of(report)
    refused = world.client("vp.tinh").post(report_url("return", report), {"y_2.3": "  "})
    assert refused.status_code == 400
    assert "Cần ghi ý kiến" in refused.content.decode()
    assert state_of(report) == before

    data = {"y_2.3": "Bổ sung số liệu sinh hoạt chi bộ.", "y_": "Viết gọn lại."}
    response = world.client("vp.tinh").post(report_url("return", report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.comments == {"2.3": "Bổ sung số liệu sinh hoạt chi bộ.", "": "Viết gọn lại."}
    page = world.client("vp.cujut").get(report_url("report", report)).content.decode()
    assert "Đảng bộ tỉnh Đắk Nông đã trả lại báo cáo." in page
    assert "Viết gọn lại." in page
    comment = page.index("Bổ sung số liệu sinh hoạt chi bộ.")
    assert page.index("I.2.2.") < comment < page.index('name="muc_2.3"')


def test_it_accepts_then_reopens_a_report(world: World, offices, rnd) -> None:
    report = submitted(rnd, world, offices)
    client = world.client("vp.tinh")
    response = client.post(report_url("accept", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.snapshot is not None
    assert FiguresLock.objects.filter(unit=world.units["DN.CUJUT"]).count() == 1
    page = client.get(report_url("report", report)).content.decode()
    assert "Đã chấp nhận báo cáo của Huyện ủy Cư Jút" in page
    assert "Số liệu đã chốt ngày" in page and "Mở lại" in page

    before = state_of(report)
    refused = world.client("vp.tinh").post(report_url("reopen", report), {"reason": " "})
    assert "Cần ghi lý do mở lại báo cáo." in refused.content.decode()
    assert state_of(report) == before
    world.client("vp.tinh").post(report_url("reopen", report), {"reason": "Nhập thiếu số liệu."})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.snapshot is None
    assert FiguresLock.objects.filter(unit=world.units["DN.CUJUT"]).count() == 0
    page = world.client("vp.tinh").get(report_url("report", report)).content.decode()
    assert "Nhập thiếu số liệu." in page  # the history


def test_it_extends_a_draft_from_the_board(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.TUYDUC")
    until = timezone.localdate() + timedelta(days=10)
    client = world.client("vp.tinh")
    before = state_of(report)
    bad = client.post(report_url("extend", report), {"until": "ngày mai"}, follow=True)
    assert "Ngày gia hạn không hợp lệ" in bad.content.decode()
    early = client.post(report_url("extend", report), {"until": "2023-06-01"}, follow=True)
    assert "Huyện ủy Tuy Đức: Ngày gia hạn phải sau hạn nộp" in early.content.decode()
    assert state_of(report) == before
    response = client.post(
        report_url("extend", report), {"until": until.isoformat(), "reason": "Đại hội."}
    )
    assert response["Location"] == reverse("rounds:board", args=[rnd.pk])
    report.refresh_from_db()
    assert report.extended_to == until
    assert report.events.filter(action=EventAction.EXTENDED, note="Đại hội.").count() == 1


def test_it_refuses_a_district_office_every_review_step(world: World, offices, rnd) -> None:
    report = submitted(rnd, world, offices)
    before = state_of(report)
    client = world.client("vp.cujut")
    for name, data in (
        ("accept", {}),
        ("return", {"y_": "Tự trả lại."}),
        ("reopen", {"reason": "x"}),
        ("extend", {"until": (date.today() + timedelta(days=9)).isoformat()}),
    ):
        assert client.post(report_url(name, report), data).status_code == 404
    assert state_of(report) == before


def test_it_refuses_the_province_the_units_writing(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    services.report_save(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    before = state_of(report)
    client = world.client("vp.tinh")
    for name in ("save", "submit"):
        assert client.post(report_url(name, report), posted_texts(rnd, "Tỉnh")).status_code == 404
    assert state_of(report) == before


def test_it_answers_get_on_a_post_only_step_with_405(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    assert world.client("vp.cujut").get(report_url("submit", report)).status_code == 405


def test_it_hides_the_docx_from_who_may_not_read_the_report(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    assert world.client("vp.tinh").get(report_url("report_docx", report)).status_code == 404
    assert world.client("vp.dakmil").get(report_url("report_docx", report)).status_code == 404


def test_it_reads_the_list_and_the_board_in_as_many_queries_whatever_the_units(
    world: World, offices, rnd, programme
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangvu.lib.periods import year

    wide = services.round_launch(
        unit=world.units["DN"],
        programme=programme,
        title="Báo cáo năm 2022",
        period=year(2022),
        deadline=timezone.localdate() + timedelta(days=9),
        outline=SECTIONS,
        reporters="grassroots",
        actor=offices["vp.tinh"],
    )
    assert wide.reports.count() > rnd.reports.count()
    client = world.client("vp.tinh")
    client.get(reverse("rounds:list"))  # the session, the scope: warm

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    narrow_board = queries(reverse("rounds:board", args=[rnd.pk]))
    assert queries(reverse("rounds:board", args=[wide.pk])) == narrow_board
    assert narrow_board < 25
    assert queries(reverse("rounds:list")) < 25


def test_it_links_to_the_entry_grid_only_when_the_writer_enters_something(
    world: World, offices, rnd
) -> None:
    from dangvu.accounts.models import Department
    from dangvu.indicators.models import Indicator

    report = report_of(rnd, world, "DN.CUJUT")
    Indicator.objects.filter(group__programme=rnd.programme).update(owner=Department.INSPECTION)
    html = world.client("vp.cujut").get(report_url("report", report)).content.decode()
    assert reverse("indicators:entry") not in html
