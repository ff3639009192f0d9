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


def test_an_extension_needs_a_reason_and_stays_within_half_a_year(
    world: World, offices, rnd
) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    for until, reason, message in [
        (date(2023, 7, 1), " ", "lý do gia hạn"),
        (date(9999, 12, 31), "Đại hội.", "tối đa 180 ngày"),
    ]:
        with pytest.raises(DomainError, match=message):
            services.report_extend(
                report=report,
                until=until,
                reason=reason,
                actor=offices["vp.tinh"],
                at=date(2023, 6, 1),
            )
    report.refresh_from_db()
    assert report.extended_to is None


def test_instructions_are_capped(world: World, offices, programme, period) -> None:
    from dangvu.reports.models import SECTIONS

    with pytest.raises(DomainError, match="Hướng dẫn dài quá"):
        services.round_launch(
            unit=world.units["DN.CUJUT"],
            programme=programme,
            title="Sơ kết",
            period=period,
            deadline=date(2023, 6, 15),
            outline=SECTIONS,
            instructions="x" * 5_001,
            actor=offices["vp.cujut"],
            on=date(2023, 5, 1),
        )


def test_a_code_typed_from_outside_is_not_named(world: World, offices, programme, period) -> None:
    from dangvu.reports.models import SECTIONS
    from dangvu.rounds.models import Reporters

    with pytest.raises(DomainError) as refused:
        services.round_launch(
            unit=world.units["DN.CUJUT"],
            programme=programme,
            title="Sơ kết",
            period=period,
            deadline=date(2023, 6, 15),
            outline=SECTIONS,
            reporters=Reporters.LIST,
            chosen=[world.units["DN.DAKMIL.DUCMINH"]],
            actor=offices["vp.cujut"],
            on=date(2023, 5, 1),
        )
    assert "Đức Minh" not in refused.value.message
    assert refused.value.message.startswith("Đơn vị đã chọn không trực thuộc Huyện ủy Cư Jút")


def test_the_board_puts_the_late_first_and_names_units_nobody_can_write(
    world: World, offices, rnd
) -> None:
    from dangvu.rounds import selectors

    assert selectors.without_writer(rnd) == []
    services.report_submit(
        report=report_of(rnd, world, "DN.TUYDUC"), texts=texts_for(rnd), actor=offices["vp.tuyduc"]
    )
    services.report_extend(
        report=report_of(rnd, world, "DN.CUJUT"),
        until=date(2023, 7, 30),
        reason="Đại hội.",
        actor=offices["vp.tinh"],
        at=date(2023, 6, 1),
    )
    rows = selectors.board_rows(rnd=rnd, user=offices["vp.tinh"], day=date(2023, 6, 20))
    assert [r.name for r in rows] == ["Huyện ủy Đắk Mil", "Huyện ủy Tuy Đức", "Huyện ủy Cư Jút"]
    assert [r.late for r in rows] == [True, False, False]
    offices["vp.dakmil"].roles.update(valid_to=date(2024, 1, 1))
    assert selectors.without_writer(rnd) == ["Huyện ủy Đắk Mil"]
