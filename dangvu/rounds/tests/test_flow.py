"""The round's life end to end through the services: launch, write, submit, return,
submit again, accept (figures frozen, entered values locked), reopen, accept again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.models import FiguresLock, Indicator
from dangvu.indicators.services import entered_value_set
from dangvu.lib.periods import year
from dangvu.rounds import services
from dangvu.rounds.models import EventAction, ReportState
from dangvu.rounds.tests.conftest import report_of, texts_for


def test_a_round_from_launch_to_accepted_and_reopened(world: World, offices, rnd, period) -> None:
    assert [r.unit.code for r in rnd.reports.order_by("unit__code")] == [
        "DN.CUJUT",
        "DN.DAKMIL",
        "DN.TUYDUC",
    ]
    report = report_of(rnd, world, "DN.CUJUT")
    assert report.state == ReportState.NOT_STARTED
    with pytest.raises(DomainError, match="Chưa viết các mục"):
        services.report_submit(report=report, actor=offices["vp.cujut"])
    with pytest.raises(DomainError, match="Chỉ văn phòng"):
        services.report_save(report=report, texts=texts_for(rnd), actor=offices["vp.tinh"])
    report = services.report_save(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    assert report.state == ReportState.DRAFTING
    report = services.report_submit(report=report, actor=offices["vp.cujut"], at=date(2023, 6, 1))
    assert report.state == ReportState.SUBMITTED
    with pytest.raises(DomainError, match="Chỉ văn phòng"):
        services.report_accept(report=report, actor=offices["vp.cujut"])
    with pytest.raises(DomainError, match="Cần ghi ý kiến"):
        services.report_return(report=report, comments={"1": "  "}, actor=offices["vp.tinh"])
    report = services.report_return(
        report=report,
        comments={"2.3": "Bổ sung số liệu sinh hoạt chi bộ."},
        actor=offices["vp.tinh"],
    )
    assert report.state == ReportState.RETURNED
    assert report.comments == {"2.3": "Bổ sung số liệu sinh hoạt chi bộ."}
    report = services.report_submit(
        report=report, actor=offices["vp.cujut"], texts=texts_for(rnd, "Đã sửa")
    )
    assert report.submitted_texts["2.3"].startswith("Đã sửa")
    report = services.report_accept(report=report, actor=offices["vp.tinh"], at=date(2023, 6, 20))
    assert report.state == ReportState.ACCEPTED
    assert "review.members_reviewed" in report.snapshot["totals"]
    assert FiguresLock.objects.filter(unit=world.units["DN.CUJUT"]).count() == 1

    indicator = Indicator.objects.get(code="supervision.front_total")
    with pytest.raises(DomainError, match="đã được chốt"):
        entered_value_set(
            indicator=indicator, unit=world.units["DN.CUJUT"], period=year(2020), value=Decimal(4)
        )
    # Another unit, or a period after the round's, is not locked.
    entered_value_set(
        indicator=indicator, unit=world.units["DN.DAKMIL"], period=year(2020), value=Decimal(4)
    )
    entered_value_set(
        indicator=indicator, unit=world.units["DN.CUJUT"], period=year(2024), value=Decimal(4)
    )
    with pytest.raises(DomainError, match="lý do"):
        services.report_reopen(report=report, reason=" ", actor=offices["vp.tinh"])
    report = services.report_reopen(
        report=report, reason="Số liệu giám sát nhập thiếu.", actor=offices["vp.tinh"]
    )
    assert report.state == ReportState.SUBMITTED and report.snapshot is None
    entered_value_set(
        indicator=indicator, unit=world.units["DN.CUJUT"], period=period, value=Decimal(4)
    )
    report = services.report_accept(report=report, actor=offices["vp.tinh"])
    assert report.snapshot["totals"]["supervision.front_total"] == 4
    actions = list(report.events.order_by("pk").values_list("action", flat=True))
    assert actions == [
        EventAction.LAUNCHED,
        EventAction.DRAFTED,
        EventAction.SUBMITTED,
        EventAction.RETURNED,
        EventAction.SUBMITTED,
        EventAction.ACCEPTED,
        EventAction.REOPENED,
        EventAction.ACCEPTED,
    ]


def test_the_board_counts_states_and_explains_differences(
    world: World, offices, rnd, period
) -> None:
    from dangvu.rounds import selectors

    indicator = Indicator.objects.get(code="supervision.front_total")
    entered_value_set(
        indicator=indicator, unit=world.units["DN.CUJUT"], period=period, value=Decimal(7)
    )
    entered_value_set(
        indicator=indicator, unit=world.units["DN.DAKMIL"], period=period, value=Decimal(5)
    )
    report = report_of(rnd, world, "DN.CUJUT")
    services.report_submit(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    services.report_accept(report=report, actor=offices["vp.tinh"])
    # Life goes on: the province's own entry makes its figure differ from the sum.
    board = selectors.board(rnd=rnd, user=offices["vp.tinh"], day=date(2023, 6, 20))
    assert board.counts.as_json() == {"expected": 3, "submitted": 1, "accepted": 1, "late": 2}
    assert [c.name for c in board.columns] == ["Huyện ủy Cư Jút"]
    row = next(f for f in board.figures if f.indicator.code == "supervision.front_total")
    assert row.accepted == [7] and row.total == 7 and row.own == 12
    assert row.difference is not None
    assert row.difference.sentences() == [
        "5 thuộc 1 báo cáo chưa được chấp nhận (Huyện ủy Đắk Mil)"
    ]
    # Figures about persons: the office reaches members (ratings shown) but not discipline.
    hidden = {f.indicator.sensitive for f in board.figures if f.hidden}
    assert hidden == {"discipline"}
    assert any(f.indicator.sensitive == "view_members" and not f.hidden for f in board.figures)


def test_an_extension_makes_a_unit_due_later(world: World, offices, rnd) -> None:
    from dangvu.rounds import selectors

    report = report_of(rnd, world, "DN.TUYDUC")
    with pytest.raises(DomainError, match="sau hạn nộp"):
        services.report_extend(
            report=report, until=date(2023, 6, 10), actor=offices["vp.tinh"], at=date(2023, 6, 1)
        )
    with pytest.raises(DomainError, match="Chỉ văn phòng"):
        services.report_extend(
            report=report, until=date(2023, 6, 25), actor=offices["vp.tuyduc"], at=date(2023, 6, 1)
        )
    services.report_extend(
        report=report,
        until=date(2023, 6, 25),
        reason="Huyện đang tổ chức đại hội.",
        actor=offices["vp.tinh"],
        at=date(2023, 6, 14),
    )
    assert selectors.counts(rnd, date(2023, 6, 20)).late == 2
    assert selectors.counts(rnd, date(2023, 6, 26)).late == 3


def test_comments_typed_while_accepting_are_kept_on_the_step(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.DAKMIL")
    services.report_submit(report=report, texts=texts_for(rnd), actor=offices["vp.dakmil"])
    report = services.report_accept(
        report=report,
        actor=offices["vp.tinh"],
        comments={"": "Báo cáo tốt.", "2.3": " ", "khong-co": "bỏ qua"},
    )
    step = report.events.get(action=EventAction.ACCEPTED)
    assert step.data == {"": "Báo cáo tốt."}
    page = world.client("vp.tinh").get(f"/dot-bao-cao/{rnd.pk}/bao-cao/{report.pk}/")
    assert "Báo cáo tốt." in page.content.decode()
