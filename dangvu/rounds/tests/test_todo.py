"""Reporting rounds on the home page's "việc cần làm": the reporting unit's office is told
its deadline, its lateness, the comments to address; the round's office the reports to
review and the units late; nobody else anything; one query however many reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dangvu.accounts.models import Department, User
from dangvu.accounts.scope import scope_for
from dangvu.conftest import World, _user
from dangvu.home import selectors as home_selectors
from dangvu.home.selectors import _held_units, things_to_do
from dangvu.home.todo import Ask, Todo
from dangvu.indicators.models import Programme
from dangvu.lib.periods import Period, year
from dangvu.reports.models import SECTIONS
from dangvu.rounds import services, todo
from dangvu.rounds.models import Reporters, ReportingRound
from dangvu.rounds.tests.conftest import report_of, texts_for

TITLE = "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU"


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_day(day: date) -> None:
        monkeypatch.setattr(home_selectors, "today", lambda: day)

    set_day(date(2023, 6, 12))
    return set_day


def items(user: User) -> list[Todo]:
    return [t for s in things_to_do(user=user).sections for t in s.items if "round" in t.kind]


def texts(user: User) -> list[str]:
    return [t.text for t in items(user)]


def test_it_tells_the_district_office_the_days_left_then_the_days_late(
    world: World, offices: dict[str, User], rnd: ReportingRound, on_day: Any
) -> None:
    report = report_of(rnd, world, "DN.CUJUT")
    [item] = items(offices["vp.cujut"])
    assert item.text == f"Báo cáo «{TITLE}» gửi Đảng bộ tỉnh Đắk Nông: hạn 15/06/2023, còn 3 ngày."
    assert item.url == f"/dot-bao-cao/{rnd.pk}/bao-cao/{report.pk}/"
    assert item.kind == "round_report_due"
    on_day(date(2023, 6, 15))
    assert texts(offices["vp.cujut"]) == [
        f"Báo cáo «{TITLE}» gửi Đảng bộ tỉnh Đắk Nông: hạn 15/06/2023, hôm nay là ngày cuối."
    ]
    on_day(date(2023, 6, 20))
    [item] = items(offices["vp.cujut"])
    assert item.text == (
        f"Báo cáo «{TITLE}» gửi Đảng bộ tỉnh Đắk Nông: hạn 15/06/2023, quá hạn 5 ngày."
    )
    assert item.kind == "round_report_late"
    # The home page shows it, with its link.
    html = world.client("vp.cujut").get("/").content.decode()
    assert "quá hạn 5 ngày." in html
    assert f'href="/dot-bao-cao/{rnd.pk}/bao-cao/{report.pk}/"' in html
    # Sent: nothing left to do for the unit.
    services.report_submit(report=report, texts=texts_for(rnd), actor=offices["vp.cujut"])
    assert items(offices["vp.cujut"]) == []


def test_it_asks_the_office_to_revise_a_returned_report(
    world: World, offices: dict[str, User], rnd: ReportingRound, on_day: Any
) -> None:
    report = report_of(rnd, world, "DN.DAKMIL")
    services.report_submit(report=report, texts=texts_for(rnd), actor=offices["vp.dakmil"])
    services.report_return(
        report=report,
        comments={"": "Viết lại phần đánh giá chung.", "2.3": "Bổ sung số liệu."},
        actor=offices["vp.tinh"],
    )
    [item] = items(offices["vp.dakmil"])
    assert item.text == (
        f"Báo cáo «{TITLE}» gửi Đảng bộ tỉnh Đắk Nông bị trả lại với 2 ý kiến: sửa và gửi lại."
    )
    assert item.detail == "Hạn 15/06/2023, còn 3 ngày."
    assert item.kind == "round_report_returned"
    services.report_submit(report=report, actor=offices["vp.dakmil"])
    services.report_accept(report=report, actor=offices["vp.tinh"])
    assert items(offices["vp.dakmil"]) == []


def test_it_tells_the_province_the_reports_to_review_and_the_units_late(
    world: World, offices: dict[str, User], rnd: ReportingRound, on_day: Any
) -> None:
    assert items(offices["vp.tinh"]) == []  # nothing sent, nobody late yet
    services.report_submit(
        report=report_of(rnd, world, "DN.CUJUT"), texts=texts_for(rnd), actor=offices["vp.cujut"]
    )
    [item] = items(offices["vp.tinh"])
    assert item.text == f"1 báo cáo chờ xem xét trong đợt «{TITLE}»: Huyện ủy Cư Jút."
    assert item.url == f"/dot-bao-cao/{rnd.pk}/"
    on_day(date(2023, 6, 20))
    assert texts(offices["vp.tinh"]) == [
        f"1 báo cáo chờ xem xét trong đợt «{TITLE}»: Huyện ủy Cư Jút.",
        f"2 đơn vị quá hạn chưa gửi báo cáo trong đợt «{TITLE}»: Huyện ủy Đắk Mil, "
        "Huyện ủy Tuy Đức.",
    ]
    # An extension: Tuy Đức is not late before it.
    services.report_extend(
        report=report_of(rnd, world, "DN.TUYDUC"),
        until=date(2023, 6, 30),
        reason="Đại hội.",
        actor=offices["vp.tinh"],
        at=date(2023, 6, 14),
    )
    assert texts(offices["vp.tinh"])[1] == (
        f"1 đơn vị quá hạn chưa gửi báo cáo trong đợt «{TITLE}»: Huyện ủy Đắk Mil."
    )
    assert texts(offices["vp.tuyduc"]) == [
        f"Báo cáo «{TITLE}» gửi Đảng bộ tỉnh Đắk Nông: hạn 30/06/2023, còn 10 ngày."
    ]
    # The province's organisation board holds WRITE_REPORTS at the province too: it
    # reviews; the Front (no WRITE_REPORTS) is not asked.
    assert len(items(world.users["tochuc"])) == 2
    assert items(world.users["mattran"]) == []


def test_it_tells_nobody_else(
    world: World, offices: dict[str, User], rnd: ReportingRound, on_day: Any
) -> None:
    services.report_submit(
        report=report_of(rnd, world, "DN.CUJUT"), texts=texts_for(rnd), actor=offices["vp.cujut"]
    )
    on_day(date(2023, 6, 20))
    # Đắk Mil's office: its own report only, not Cư Jút's nor the province's review.
    assert [t.kind for t in items(offices["vp.dakmil"])] == ["round_report_late"]
    assert "Cư Jút" not in " ".join(texts(offices["vp.dakmil"]))
    # Đắk Mil's inspection (no WRITE_REPORTS), a cell secretary, a member: nothing.
    for name in ("huong", "hoa", "ybhiong", "kbinh"):
        assert items(world.users[name]) == [], name
    # Tuy Đức's former organisation officer: her role ended on 01/07/2025, and with it
    # the unit's report; today's office has it.
    assert items(world.users["tuyduc.cu"]) == []
    assert [t.kind for t in items(offices["vp.tuyduc"])] == ["round_report_late"]


def test_it_asks_a_cell_for_its_report_to_its_grassroots_committee(
    world: World, offices: dict[str, User], programme: Programme, period: Period, on_day: Any
) -> None:
    _user(world, "vp.eatling", roles=(("DN.CUJUT.EATLING", Department.OFFICE),))
    _user(world, "lanhdao.tdp1", roles=(("DN.CUJUT.EATLING.TDP1", Department.LEADERSHIP),))
    cells = services.round_launch(
        unit=world.units["DN.CUJUT.EATLING"],
        programme=programme,
        title="Sơ kết ở thị trấn",
        period=period,
        deadline=date(2023, 6, 10),
        outline=SECTIONS,
        actor=world.users["vp.eatling"],
        on=date(2023, 5, 2),
    )
    assert texts(world.users["lanhdao.tdp1"]) == [
        "Báo cáo «Sơ kết ở thị trấn» gửi Đảng bộ thị trấn Ea T'Ling: hạn 10/06/2023, "
        "quá hạn 2 ngày."
    ]
    sections = things_to_do(user=world.users["lanhdao.tdp1"]).sections
    assert [s.title for s in sections if any("round" in t.kind for t in s.items)] == [
        "Chi bộ Tổ dân phố 1"
    ]
    assert texts(world.users["vp.eatling"]) == [
        "2 đơn vị quá hạn chưa gửi báo cáo trong đợt «Sơ kết ở thị trấn»: "
        "Chi bộ Tổ dân phố 1, Chi bộ Tổ dân phố 2."
    ]
    assert items(world.users["hoa"]) == []  # the secretary does not write reports
    assert cells.reports.count() == 2


def _ask(user: User, day: date) -> tuple[Ask, list[Any]]:
    scope = scope_for(user)
    return Ask(user, scope, day), _held_units(scope, day)


def test_it_costs_one_query_however_many_reports(
    world: World,
    offices: dict[str, User],
    rnd: ReportingRound,
    programme: Programme,
    period: Period,
    django_assert_num_queries: Any,
) -> None:
    _user(world, "vp.all", roles=tuple((code, Department.OFFICE) for code in world.units))
    user = world.users["vp.all"]
    day = date(2023, 6, 20)
    ask, held = _ask(user, day)
    staff = [u for u in held if not u.is_cell]
    with django_assert_num_queries(1):
        few = list(todo.round_reports(ask, staff))
    # A second round over every grassroots organisation, some sent, some returned.
    other = services.round_launch(
        unit=world.units["DN"],
        programme=programme,
        title="Tổng kết năm 2022 ở cơ sở",
        period=year(2022),
        deadline=date(2023, 6, 1),
        outline=SECTIONS,
        reporters=Reporters.GRASSROOTS,
        actor=offices["vp.tinh"],
        on=date(2023, 5, 2),
    )
    for n, report in enumerate(other.reports.all()):
        services.report_submit(report=report, texts=texts_for(other), actor=None)
        if n % 2:
            services.report_return(report=report, comments={"": "Sửa."}, actor=None)
    services.report_submit(
        report=report_of(rnd, world, "DN.CUJUT"), texts=texts_for(rnd), actor=None
    )
    ask, held = _ask(user, day)
    with django_assert_num_queries(1):
        many = list(todo.round_reports(ask, [u for u in held if not u.is_cell]))
    assert sum(len(t) for _, t in many) > sum(len(t) for _, t in few)
    kinds = sorted(t.kind for _, todos in many for t in todos)
    assert "round_report_returned" in kinds and "round_to_review" in kinds
    # And the whole home page, whatever waits, stays within the page's budget.
    client = world.client("vp.cujut")
    client.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert len(captured) <= 25
