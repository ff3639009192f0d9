"""Every step of a reporting round through its services, and every refusal: the exact
message, and nothing changed (the round's reports, their events, the figure locks). The
lock of an accepted report through every path that writes entered values."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from auditlog.models import LogEntry

from dangvu.accounts.models import Department, User
from dangvu.conftest import World, _user
from dangvu.core.errors import DomainError
from dangvu.exchange.services import workbook_import
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import EnteredValue, FiguresLock, Indicator, Programme
from dangvu.indicators.selectors import report_for
from dangvu.indicators.services import (
    LOCKED,
    EnteredRow,
    entered_value_clear,
    entered_value_set,
    entered_values_import,
    entered_values_save,
)
from dangvu.lib.periods import Period, year
from dangvu.reports.models import SECTIONS
from dangvu.rounds import services
from dangvu.rounds.models import (
    EventAction,
    Reporters,
    ReportingRound,
    ReportState,
    RoundEvent,
    RoundReport,
)
from dangvu.rounds.tests.conftest import DEADLINE, LAUNCHED, report_of, texts_for

TITLE = "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU"
PROVINCE = "Đảng bộ tỉnh Đắk Nông"


def everything() -> tuple[Any, ...]:
    """What a refusal must leave as it was."""
    return (
        list(ReportingRound.objects.order_by("pk").values()),
        list(RoundReport.objects.order_by("pk").values()),
        list(RoundEvent.objects.order_by("pk").values_list("pk", "action", "note")),
        list(FiguresLock.objects.order_by("pk").values()),
        list(EnteredValue.objects.order_by("pk").values_list("pk", "value", "period")),
        LogEntry.objects.count(),
    )


@contextmanager
def refused(message: str) -> Iterator[None]:
    """The block raises DomainError with exactly `message`, and nothing changed."""
    before = everything()
    with pytest.raises(DomainError) as caught:
        yield
    assert caught.value.message == message
    assert everything() == before


def launch(world: World, **kw: Any) -> ReportingRound:
    args: dict[str, Any] = {
        "unit": world.units["DN"],
        "programme": Programme.objects.get(code="DA05"),
        "title": "Tổng kết năm 2022",
        "period": year(2022),
        "deadline": date(2023, 1, 31),
        "outline": SECTIONS,
        "actor": world.users["vp.tinh"],
        "on": date(2023, 1, 5),
    }
    args.update(kw)
    return services.round_launch(**args)


def codes(rnd: ReportingRound) -> list[str]:
    return sorted(rnd.reports.values_list("unit__code", flat=True))


def submitted(rnd: ReportingRound, world: World, code: str, actor: User) -> RoundReport:
    return services.report_submit(
        report=report_of(rnd, world, code), texts=texts_for(rnd), actor=actor
    )


# -- launch ----------------------------------------------------------------------------------------
def test_it_launches_over_the_direct_committees(world: World, offices, rnd) -> None:
    assert codes(rnd) == ["DN.CUJUT", "DN.DAKMIL", "DN.TUYDUC"]
    assert rnd.launched_on == LAUNCHED and rnd.deadline == DEADLINE
    assert rnd.launched_by == offices["vp.tinh"]
    assert rnd.reporters == Reporters.DIRECT
    assert rnd.sections() == [(k, t) for k, t in SECTIONS]
    assert set(rnd.reports.values_list("state", flat=True)) == {ReportState.NOT_STARTED}
    assert (
        list(RoundEvent.objects.filter(report__round=rnd).values_list("action", "actor"))
        == [(EventAction.LAUNCHED, offices["vp.tinh"].pk)] * 3
    )


def test_it_launches_over_every_grassroots_organisation_or_a_list(world: World, offices) -> None:
    rnd = launch(world, reporters=Reporters.GRASSROOTS)
    assert codes(rnd) == [
        "DN.CUJUT.EATLING",
        "DN.DAKMIL.DUCMINH",
        "DN.DAKMIL.UBKT",
        "DN.TUYDUC.QUANGTRUC",
    ]
    listed = launch(
        world,
        title="Chuyên đề",
        period=year(2021),
        reporters=Reporters.LIST,
        chosen=[world.units["DN.TUYDUC"], world.units["DN.CUJUT.EATLING.TDP1"]],
    )
    assert codes(listed) == ["DN.CUJUT.EATLING.TDP1", "DN.TUYDUC"]
    # A district launches over its own units.
    own = launch(world, unit=world.units["DN.CUJUT"], actor=offices["vp.cujut"])
    assert codes(own) == ["DN.CUJUT.EATLING"]


def test_it_refuses_a_launch_that_cannot_be(world: World, offices, rnd, period) -> None:
    # A sibling never stood below Cư Jút: it is not named to Cư Jút's office.
    with refused(services.NOT_BELOW.format(name="Đơn vị đã chọn", unit="Huyện ủy Cư Jút")):
        launch(
            world,
            unit=world.units["DN.CUJUT"],
            actor=offices["vp.cujut"],
            reporters=Reporters.LIST,
            chosen=[world.units["DN.CUJUT.EATLING"], world.units["DN.DAKMIL"]],
        )
    with refused(services.NOT_BELOW.format(name=PROVINCE, unit=PROVINCE)):
        launch(world, reporters=Reporters.LIST, chosen=[world.units["DN"]])
    with refused(services.NO_REPORTERS):
        launch(world, reporters=Reporters.LIST, chosen=[])
    with refused(
        services.DUPLICATE.format(unit=PROVINCE, title=TITLE, programme=rnd.programme.short_name)
    ):
        launch(world, title="Lần nữa", period=period, deadline=date(2023, 7, 1), on=LAUNCHED)
    with refused(services.DEADLINE_BEFORE.format(day=date(2023, 1, 5))):
        launch(world, deadline=date(2023, 1, 4))
    with refused(services.OUTLINE_NEEDED):
        launch(world, outline=[])
    with refused(services.HEADING_NEEDED.format(n=2)):
        launch(world, outline=[("a", "Mục một"), ("b", "   ")])
    with refused(services.OUTLINE_TOO_LONG.format(n=services.MAX_SECTIONS)):
        launch(world, outline=[(str(n), f"Mục {n}") for n in range(services.MAX_SECTIONS + 1)])
    with refused(services.TITLE_NEEDED):
        launch(world, title="  \n ")
    # A district office does not launch at the province; nor does the province's Front.
    with refused(services.MAY_NOT_LAUNCH.format(unit=PROVINCE)):
        launch(world, actor=offices["vp.cujut"])
    with refused(services.MAY_NOT_LAUNCH.format(unit=PROVINCE)):
        launch(world, actor=world.users["mattran"])
    # Nor the province at a district: launching is held at the unit itself.
    with refused(services.MAY_NOT_LAUNCH.format(unit="Huyện ủy Cư Jút")):
        launch(world, unit=world.units["DN.CUJUT"])


# -- save and submit -----------------------------------------------------------------------------
def test_it_saves_the_draft_cleaned_with_one_event_a_run_of_saves(
    world: World, offices, rnd
) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    report = services.report_save(
        report=report,
        texts={"intro": "  Mở đầu.\r\nDòng hai.  ", "1": "   ", "nope": "Không có mục này."},
        number=" 123-BC/HU ",
        signer_name="  Nguyễn   Văn  A ",
        actor=offices["vp.cujut"],
    )
    report.refresh_from_db()
    assert report.state == ReportState.DRAFTING
    assert report.texts == {"intro": "Mở đầu.\nDòng hai."}
    assert (report.number, report.signer_name) == ("123-BC/HU", "Nguyễn Văn A")
    assert report.submitted_texts == {}  # a draft: nobody else reads it
    services.report_save(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    actions = list(report.events.order_by("pk").values_list("action", flat=True))
    assert actions == [EventAction.LAUNCHED, EventAction.DRAFTED]
    with refused(services.SECTION_TOO_LONG.format(section=SECTIONS[1][1], n="30.000")):
        services.report_save(
            report=report, texts={"1": "x" * (services.MAX_TEXT + 1)}, actor=offices["vp.cujut"]
        )


def test_only_the_units_own_office_writes_while_the_report_is_with_it(
    world: World, offices, rnd
) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    message = services.MAY_NOT_WRITE.format(unit="Huyện ủy Cư Jút")
    # The province's office and organisation board reach Cư Jút but do not write for it;
    # nor does a sibling district, Cư Jút's inspection (no WRITE_REPORTS), the administrator.
    _user(world, "kiemtra.cujut", roles=(("DN.CUJUT", Department.INSPECTION),))
    for name in ("vp.tinh", "vp.dakmil"):
        with refused(message):
            services.report_save(report=report, texts=texts_for(rnd), actor=offices[name])
    for name in ("tochuc", "kiemtra.cujut", "quantri"):
        with refused(message):
            services.report_submit(report=report, texts=texts_for(rnd), actor=world.users[name])
    report = services.report_submit(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    with refused(services.NOT_WITH_UNIT[ReportState.SUBMITTED]):
        services.report_save(report=report, texts={}, actor=offices["vp.cujut"])
    with refused(services.NOT_WITH_UNIT[ReportState.SUBMITTED]):
        services.report_submit(report=report, actor=offices["vp.cujut"])
    services.report_accept(report=report, actor=offices["vp.tinh"])
    with refused(services.NOT_WITH_UNIT[ReportState.ACCEPTED]):
        services.report_save(report=report, texts=texts_for(rnd, "Sửa"), actor=offices["vp.cujut"])
    with refused(services.NOT_WITH_UNIT[ReportState.ACCEPTED]):
        services.report_submit(report=report, actor=offices["vp.cujut"])


def test_it_names_the_sections_missing_and_keeps_the_draft(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.DAKMIL")
    services.report_save(
        report=report, texts={"intro": "Mở đầu.", "1": "Lãnh đạo."}, actor=offices["vp.dakmil"]
    )
    missing = "; ".join(title for key, title in SECTIONS if key not in {"intro", "1"})
    with refused(services.SECTIONS_MISSING.format(sections=missing)):
        services.report_submit(report=report, actor=offices["vp.dakmil"])
    # Texts given with the submission are not kept when it is refused.
    with refused(services.SECTIONS_MISSING.format(sections=SECTIONS[-1][1])):
        services.report_submit(
            report=report,
            texts={k: "Viết." for k, _ in SECTIONS[:-1]},
            number="9-BC/HU",
            actor=offices["vp.dakmil"],
        )
    report.refresh_from_db()
    assert report.texts == {"intro": "Mở đầu.", "1": "Lãnh đạo."} and report.number == ""
    at = date(2023, 6, 10)
    report = services.report_submit(
        report=report, texts=texts_for(rnd), actor=offices["vp.dakmil"], at=at
    )
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_texts == report.texts == texts_for(rnd)
    assert report.submitted_by == offices["vp.dakmil"]
    assert report.submitted_at is not None and not report.submitted_late()
    assert report.events.filter(action=EventAction.SUBMITTED).count() == 1


# -- return ----------------------------------------------------------------------------------------
def test_it_returns_with_comments_by_the_reviewer_only(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.TUYDUC")
    with refused(services.NOT_SUBMITTED.format(state="chưa bắt đầu")):
        services.report_return(report=report, comments={"": "Sửa."}, actor=offices["vp.tinh"])
    report = submitted(rnd, world, "DN.TUYDUC", offices["vp.tuyduc"])
    not_reviewer = services.MAY_NOT_REVIEW.format(unit=PROVINCE)
    for user in (offices["vp.tuyduc"], offices["vp.cujut"], world.users["mattran"]):
        with refused(not_reviewer):
            services.report_return(report=report, comments={"": "Sửa."}, actor=user)
    for comments in ({}, {"": "  ", "1": "\n"}, {"không-có": "Mục lạ."}):
        with refused(services.COMMENTS_NEEDED):
            services.report_return(report=report, comments=comments, actor=offices["vp.tinh"])
    report = services.report_return(
        report=report,
        comments={"": " Chung. ", "2.3": "Thiếu số liệu.\r\nBổ sung.", "III": ""},
        actor=offices["vp.tinh"],
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.comments == {"": "Chung.", "2.3": "Thiếu số liệu.\nBổ sung."}
    event = report.events.get(action=EventAction.RETURNED)
    assert event.data == report.comments and event.actor == offices["vp.tinh"]
    with refused(services.NOT_SUBMITTED.format(state="bị trả lại")):
        services.report_return(report=report, comments={"": "Lần nữa."}, actor=offices["vp.tinh"])
    with refused(services.NOT_SUBMITTED.format(state="bị trả lại")):
        services.report_accept(report=report, actor=offices["vp.tinh"])
    # The unit writes again and sends; the last comments stay until accepted.
    report = services.report_save(
        report=report, texts=texts_for(rnd, "Đã sửa"), actor=offices["vp.tuyduc"]
    )
    assert report.state == ReportState.RETURNED
    report = services.report_submit(report=report, actor=offices["vp.tuyduc"])
    assert report.submitted_texts["2.3"].startswith("Đã sửa")
    report = services.report_accept(report=report, actor=offices["vp.tinh"])
    assert report.comments == {}


# -- accept, the lock, reopen ----------------------------------------------------------------------
def expected_totals(world: World, code: str, rnd: ReportingRound, period: Period) -> dict:
    data = report_for(
        unit=world.units[code],
        period=period,
        prog=rnd.programme,
        viewer=Viewer.operator(),
        with_findings=False,
    )
    out = {}
    for block in data.blocks:
        for line in block.lines:
            value = None if line.total is None else float(line.total)
            out[line.indicator.code] = None if value is None or math.isnan(value) else value
    return out


def test_accepting_freezes_the_figures_report_for_computes_and_locks(
    world: World, offices, rnd, period
) -> None:
    front = Indicator.objects.get(code="supervision.front_total")
    entered_value_set(
        indicator=front, unit=world.units["DN.CUJUT"], period=period, value=Decimal(7)
    )
    report = submitted(rnd, world, "DN.CUJUT", offices["vp.cujut"])
    with refused(services.MAY_NOT_REVIEW.format(unit=PROVINCE)):
        services.report_accept(report=report, actor=offices["vp.cujut"])
    expected = expected_totals(world, "DN.CUJUT", rnd, period)
    report = services.report_accept(report=report, actor=offices["vp.tinh"], at=date(2023, 6, 20))
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    assert report.accepted_by == offices["vp.tinh"]
    snapshot = {k: (None if v is None else float(v)) for k, v in report.snapshot["totals"].items()}
    assert snapshot == expected
    assert snapshot["supervision.front_total"] == 7
    assert set(report.snapshot["indicators"]) == set(expected) == set(report.snapshot["kinds"])
    [lock] = FiguresLock.objects.all()
    assert (lock.unit, lock.period_start, lock.period_end, lock.holder) == (
        world.units["DN.CUJUT"],
        period.start,
        period.end,
        f"rounds.RoundReport:{report.pk}",
    )
    assert lock.reason == f"báo cáo «{TITLE}» đã được {PROVINCE} chấp nhận ngày 20/06/2023"
    with refused(services.NOT_SUBMITTED.format(state="đã chấp nhận")):
        services.report_accept(report=report, actor=offices["vp.tinh"])


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SoLieu"
    sheet.append(["Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Giá trị", "Ghi chú"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def writes(world: World, period: Period) -> dict[str, Any]:
    """Each path that writes entered values, once for Cư Jút over the round's period."""
    front = Indicator.objects.get(code="supervision.front_total")
    by_level = Indicator.objects.get(code="supervision.front_by_level")
    cujut, dakmil = world.units["DN.CUJUT"], world.units["DN.DAKMIL"]

    def set_value() -> None:
        entered_value_set(indicator=front, unit=cujut, period=year(2020), value=Decimal(9))

    def clear() -> None:
        entered_value_clear(indicator=front, unit=cujut, period=period)

    def save_grid() -> None:
        entered_values_save(
            unit=cujut,
            period=period,
            changes=[(by_level, "commune", Decimal(3)), (front, "", None)],
        )

    def bulk() -> Any:
        return entered_values_import(
            rows=[
                EnteredRow(front, cujut, year(2019), Decimal(1)),
                EnteredRow(front, dakmil, year(2019), Decimal(2)),
                EnteredRow(by_level, cujut, period, Decimal(3), key="district"),
            ],
            actor=None,
            scope=None,
        )

    def workbook() -> Any:
        return workbook_import(
            file=io.BytesIO(
                xlsx(
                    [
                        ["supervision.front_total", "DN.CUJUT", "2021", 5, None],
                        ["supervision.front_total", "DN.DAKMIL", "2021", 6, None],
                        ["supervision.front_by_level[province]", "DN.CUJUT", "2022", 1, None],
                    ]
                )
            ),
            actor=None,
            scope=None,
            file_name="so-lieu.xlsx",
        )

    return {
        "set": set_value,
        "clear": clear,
        "save": save_grid,
        "import": bulk,
        "workbook": workbook,
    }


def assert_locked_everywhere(world: World, period: Period, reason: str) -> None:
    message = LOCKED.format(unit="Huyện ủy Cư Jút", period="{period}", reason=reason)
    paths = writes(world, period)
    with refused(message.format(period="2020")):
        paths["set"]()
    with refused(message.format(period=period.label)):
        paths["clear"]()
    with refused(message.format(period=period.label)):
        paths["save"]()
    before = everything()
    outcome = paths["import"]()
    # All or nothing: every locked row listed, Đắk Mil's (not locked) not written either.
    assert [(r.index, r.message) for r in outcome.refused] == [
        (0, message.format(period="2019")),
        (2, message.format(period=period.label)),
    ]
    report = paths["workbook"]()
    assert [(e.row, e.reason) for e in report.errors] == [
        (2, message.format(period="2021")),
        (4, message.format(period="2022")),
    ]
    assert everything() == before


def test_the_lock_holds_on_every_path_until_reopened_and_again_after(
    world: World, offices, rnd, period
) -> None:
    front = Indicator.objects.get(code="supervision.front_total")
    entered_value_set(
        indicator=front, unit=world.units["DN.CUJUT"], period=period, value=Decimal(7)
    )
    report = submitted(rnd, world, "DN.CUJUT", offices["vp.cujut"])
    report = services.report_accept(report=report, actor=offices["vp.tinh"], at=date(2023, 6, 20))
    reason = f"báo cáo «{TITLE}» đã được {PROVINCE} chấp nhận ngày 20/06/2023"
    assert_locked_everywhere(world, period, reason)
    # A period after the round's, and another unit, are not locked.
    entered_value_set(
        indicator=front, unit=world.units["DN.CUJUT"], period=year(2024), value=Decimal(1)
    )
    # Reopened: every path writes again.
    report = services.report_reopen(
        report=report, reason="Số liệu nhập thiếu.", actor=offices["vp.tinh"]
    )
    assert not FiguresLock.objects.exists()
    paths = writes(world, period)
    paths["set"]()
    paths["save"]()
    assert paths["import"]().refused == []
    assert paths["workbook"]().errors == []
    paths["clear"]()  # the grid cleared it already: nothing left to clear, and no refusal
    assert EnteredValue.objects.filter(unit=world.units["DN.CUJUT"], period="2021").exists()
    # Accepted again (today): locked again.
    services.report_accept(report=report, actor=offices["vp.tinh"], at=date(2023, 6, 25))
    assert FiguresLock.objects.count() == 1
    assert_locked_everywhere(
        world, period, f"báo cáo «{TITLE}» đã được {PROVINCE} chấp nhận ngày 25/06/2023"
    )


def test_it_reopens_an_accepted_report_with_a_reason(world: World, offices, rnd) -> None:
    report = submitted(rnd, world, "DN.DAKMIL", offices["vp.dakmil"])
    with refused(services.NOT_ACCEPTED):
        services.report_reopen(report=report, reason="Lý do.", actor=offices["vp.tinh"])
    report = services.report_accept(report=report, actor=offices["vp.tinh"])
    snapshot = report.snapshot
    with refused(services.REASON_NEEDED):
        services.report_reopen(report=report, reason="  \n", actor=offices["vp.tinh"])
    for user in (offices["vp.dakmil"], world.users["mattran"]):
        with refused(services.MAY_NOT_REVIEW.format(unit=PROVINCE)):
            services.report_reopen(report=report, reason="Lý do.", actor=user)
    report = services.report_reopen(
        report=report, reason="  Số liệu kiểm tra chưa đủ. ", actor=offices["vp.tinh"]
    )
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert (report.snapshot, report.accepted_at, report.accepted_by) == (None, None, None)
    assert not FiguresLock.objects.exists()
    event = report.events.get(action=EventAction.REOPENED)
    assert event.note == "Số liệu kiểm tra chưa đủ."
    assert event.data == {"snapshot": snapshot}
    assert event.actor == offices["vp.tinh"]
    with refused(services.NOT_ACCEPTED):
        services.report_reopen(report=report, reason="Lần nữa.", actor=offices["vp.tinh"])
    # Back with the level above: it may now return it to the unit.
    services.report_return(report=report, comments={"": "Bổ sung."}, actor=offices["vp.tinh"])


# -- extend ----------------------------------------------------------------------------------------
def test_it_extends_a_report_still_with_its_unit(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.TUYDUC")
    with refused(services.EXTEND_BEFORE.format(day=DEADLINE)):
        services.report_extend(
            report=report, until=DEADLINE, actor=offices["vp.tinh"], at=date(2023, 6, 1)
        )
    with refused(services.EXTEND_PAST):
        services.report_extend(
            report=report, until=date(2023, 6, 20), actor=offices["vp.tinh"], at=date(2023, 6, 25)
        )
    with refused(services.MAY_NOT_REVIEW.format(unit=PROVINCE)):
        services.report_extend(
            report=report, until=date(2023, 6, 30), actor=offices["vp.tuyduc"], at=date(2023, 6, 1)
        )
    report = services.report_extend(
        report=report,
        until=date(2023, 6, 30),
        reason=" Đại hội. ",
        actor=offices["vp.tinh"],
        at=date(2023, 6, 14),
    )
    report.refresh_from_db()
    assert report.extended_to == date(2023, 6, 30) and report.due == date(2023, 6, 30)
    assert not report.is_late(date(2023, 6, 30)) and report.is_late(date(2023, 7, 1))
    event = report.events.get(action=EventAction.EXTENDED)
    assert (event.note, event.data) == ("Đại hội.", {"until": "2023-06-30"})
    report = submitted(rnd, world, "DN.TUYDUC", offices["vp.tuyduc"])
    with refused(services.EXTEND_NOT_WITH_UNIT):
        services.report_extend(
            report=report, until=date(2023, 7, 30), actor=offices["vp.tinh"], at=date(2023, 6, 20)
        )


# -- the audit trail -------------------------------------------------------------------------------
def test_every_change_of_a_report_is_in_the_audit_trail(world: World, offices, rnd) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    assert LogEntry.objects.get_for_object(report).count() == 1  # created at launch
    report = services.report_save(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    report = services.report_submit(report=report, actor=offices["vp.cujut"])
    report = services.report_accept(report=report, actor=offices["vp.tinh"])
    report = services.report_reopen(report=report, reason="Lý do.", actor=offices["vp.tinh"])
    entries = list(LogEntry.objects.get_for_object(report).order_by("pk"))
    assert len(entries) == 5
    states = [e.changes_dict.get("state") for e in entries[1:]]
    assert states == [
        ["not_started", "drafting"],
        ["drafting", "submitted"],
        ["submitted", "accepted"],
        ["accepted", "submitted"],
    ]
    # The snapshot is not copied into the trail (the report and its events keep it).
    assert all("snapshot" not in e.changes_dict for e in entries)
    assert LogEntry.objects.get_for_object(rnd).count() == 1
