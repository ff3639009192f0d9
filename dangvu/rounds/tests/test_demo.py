"""The demo's reporting rounds: the 2023 five-year review of Đắk Nông's 12 committees, all
accepted before 30/06/2023 (one returned once, one sent late), and a round open today in
Lâm Đồng whose board is alive (accepted, waiting, drafting with more time, one returned,
exactly one late). Built once for the module by the demo's own fixture."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from dangvu.accounts.models import User
from dangvu.demo.tests.test_demo import demo  # noqa: F401 — the demo, built once for the module
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import FiguresLock, Indicator, Programme
from dangvu.indicators.selectors import default_period, report_for
from dangvu.reports.models import SECTIONS
from dangvu.rounds import access, figures, selectors
from dangvu.rounds.demo import (
    FIGURES,
    OPEN_DUE_AGO,
    _fields,
    five_year_round,
    open_round,
    open_round_period,
    templates,
)
from dangvu.rounds.models import EventAction, ReportingRound, ReportState, RoundReport
from dangvu.units.models import CELL_KINDS, Unit, UnitVersion

pytestmark = pytest.mark.slow
needs_demo = pytest.mark.usefixtures("demo")
KEYS = [key for key, _ in SECTIONS]


def _number(value: Any) -> str:
    return f"{int(value):,}".replace(",", ".")


def five_year() -> ReportingRound:
    return ReportingRound.objects.get(unit__code="DN")


def open_now() -> ReportingRound:
    return ReportingRound.objects.get(unit__code="LD")


def demo_today(rnd: ReportingRound) -> date:
    return rnd.deadline + timedelta(days=OPEN_DUE_AGO)


# -- the templates, without the demo ---------------------------------------------------


def test_it_has_sentences_for_every_section_and_knows_every_placeholder() -> None:
    data = templates()
    assert sorted(data["sections"]) == sorted(KEYS)
    words = {"name", "superior", "place", "period", "horizon"}
    for key, sentences in data["sections"].items():
        assert len(sentences) >= 3, key
        for sentence in sentences:
            assert _fields(sentence) <= words | set(FIGURES), sentence
    assert _fields(data["sections"]["intro"][0]) == {"name", "members"}
    for sentence in data["revised"].values():
        assert _fields(sentence) <= set(FIGURES)


def test_it_quotes_no_figure_about_persons(db: None) -> None:
    codes = [code for codes in FIGURES.values() for code in codes]
    found = Indicator.objects.filter(code__in=codes)
    assert found.count() == len(codes)
    assert list(found.exclude(sensitive="").values_list("code", flat=True)) == []


def test_the_open_round_reports_on_the_year_being_closed() -> None:
    assert open_round_period(date(2026, 11, 13)).label == "2026"
    assert open_round_period(date(2027, 1, 10)).label == "2026"
    assert open_round_period(date(2027, 6, 1)).label == "2027"


# -- the 2023 five-year review -------------------------------------------------------


@needs_demo
def test_it_asks_the_12_committees_and_accepts_them_all_before_30_june_2023(db: None) -> None:
    rnd = five_year()
    programme = Programme.objects.get(code="DA05")
    assert (rnd.title, rnd.programme, rnd.period) == (
        "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU",
        programme,
        default_period(programme).label,
    )
    assert (rnd.launched_on, rnd.deadline) == (date(2023, 5, 5), date(2023, 6, 15))
    assert [key for key, _ in rnd.sections()] == KEYS
    directs = set(
        UnitVersion.objects.as_of(rnd.launched_on)
        .filter(parent__code="DN")
        .exclude(kind__in=CELL_KINDS)
        .values_list("unit__code", flat=True)
    )
    reports = list(rnd.reports.select_related("unit"))
    assert len(reports) == 12 and {r.unit.code for r in reports} == directs
    assert {r.state for r in reports} == {ReportState.ACCEPTED}
    assert max(r.accepted_at for r in reports).date() < date(2023, 6, 30)
    assert all(set(r.submitted_texts) == set(KEYS) for r in reports)
    # One sent two days after the deadline; the others on time.
    late = [r.unit.code for r in reports if r.submitted_late()]
    assert len(late) == 1
    assert selectors.counts(rnd, date(2023, 6, 30)).as_json() == {
        "expected": 12,
        "submitted": 12,
        "accepted": 12,
        "late": 0,
    }
    # Accepting locked each committee's entered values over the period.
    assert FiguresLock.objects.filter(holder__in=[r.lock_holder for r in reports]).count() == 12


@needs_demo
def test_exactly_one_committee_was_returned_once_with_comments(db: None) -> None:
    rnd = five_year()
    returned = RoundReport.objects.filter(round=rnd, events__action=EventAction.RETURNED)
    assert returned.count() == 1
    report = returned.get()
    assert list(report.events.values_list("action", flat=True)) == [
        EventAction.LAUNCHED,
        EventAction.DRAFTED,
        EventAction.SUBMITTED,
        EventAction.RETURNED,
        EventAction.SUBMITTED,
        EventAction.ACCEPTED,
    ]
    comments = report.events.get(action=EventAction.RETURNED).data
    assert comments["2.3"].startswith("Bổ sung số liệu về sinh hoạt chi bộ")
    assert report.comments == {}  # cleared when accepted
    # The revised text answers the comment with the committee's own figure.
    meetings = report.snapshot["totals"]["meeting.regular_held"]
    assert meetings > 0
    assert f"{_number(meetings)} buổi sinh hoạt thường kỳ" in report.submitted_texts["2.3"]


@needs_demo
def test_its_snapshots_are_the_committees_figures_and_the_texts_agree(db: None) -> None:
    rnd = five_year()
    reports = list(rnd.reports.select_related("unit"))
    for report in reports:
        totals = report.snapshot["totals"]
        assert sum(v for v in totals.values() if v) > 0, report.unit.code
        members = totals["org.members"]
        assert f"có {_number(members)} đảng viên" in report.submitted_texts["intro"]
    cu_jut = next(r for r in reports if r.unit.code == "DN.CUJUT")
    data = report_for(
        unit=cu_jut.unit,
        period=figures.period_of(rnd),
        prog=rnd.programme,
        viewer=Viewer.operator(),
        with_findings=False,
    )
    lines = [line for block in data.blocks for line in block.lines]
    # What figures.snapshot makes of report_for (the demo evaluates the 12 at once).
    assert cu_jut.snapshot == {
        "indicators": {line.indicator.code: figures._jsonable(line.shaped) for line in lines},
        "totals": {line.indicator.code: figures._number(line.total) for line in lines},
        "kinds": {line.indicator.code: line.indicator.kind for line in lines},
    }
    assert cu_jut.snapshot["totals"]["org.members"] > 1000


# -- the round open today in Lâm Đồng ------------------------------------------------


@needs_demo
def test_a_round_is_open_in_lam_dong_with_a_live_board(db: None) -> None:
    rnd = open_now()
    today = demo_today(rnd)
    assert rnd.launched_on < rnd.deadline < today
    assert rnd.period == open_round_period(rnd.launched_on).label
    directs = set(
        UnitVersion.objects.as_of(today).filter(parent__code="LD").values_list("unit", flat=True)
    )
    reports = list(rnd.reports.select_related("unit"))
    assert {r.unit_id for r in reports} == directs and len(reports) == 32
    counts = selectors.counts(rnd, today)
    assert counts.late == 1
    states = Counter(r.state for r in reports)
    assert states[ReportState.SUBMITTED] >= 1
    assert states[ReportState.ACCEPTED] >= 1
    assert states[ReportState.DRAFTING] >= 1
    assert states[ReportState.RETURNED] == 1
    assert counts.accepted == states[ReportState.ACCEPTED]
    late = [r for r in reports if r.is_late(today)]
    assert [r.state for r in late] == [ReportState.NOT_STARTED] and late[0].extended_to is None
    for report in reports:
        if report.state in (ReportState.DRAFTING, ReportState.RETURNED):
            assert report.extended_to is not None and report.extended_to > today
            assert report.events.filter(action=EventAction.EXTENDED).exists()
        if report.state == ReportState.ACCEPTED:
            assert report.snapshot["totals"]["org.members"] > 0
            assert report.accepted_at.date() < today
    returned = next(r for r in reports if r.state == ReportState.RETURNED)
    assert returned.unit.code == "LD.XACUJUT"
    assert returned.comments["2.3"].startswith("Bổ sung số liệu về sinh hoạt chi bộ")


@needs_demo
def test_the_demo_offices_can_open_it(db: None) -> None:
    rnd = open_now()
    province = User.objects.get(username="vanphong.tinh")
    commune = User.objects.get(username="vanphong.cujut")
    returned = rnd.reports.get(state=ReportState.RETURNED)
    assert access.may_review(province, rnd) and access.may_see_board(province, rnd)
    assert rnd in selectors.rounds_visible(user=province)
    assert access.may_write(commune, returned)
    assert not access.may_review(commune, rnd) and not access.may_see_board(commune, rnd)
    assert list(selectors.my_reports(user=commune)) == [returned]
    other = rnd.reports.exclude(pk=returned.pk).first()
    assert other is not None and not access.may_read(commune, other)


def _signature(rnd: ReportingRound) -> list[Any]:
    return [
        (
            r.unit.code,
            r.state,
            r.texts,
            r.submitted_texts,
            r.number,
            r.signer_name,
            r.extended_to,
            r.submitted_at,
            r.accepted_at,
            list(r.events.values_list("action", "at", "note")),
        )
        for r in rnd.reports.select_related("unit").order_by("unit__code")
    ]


@needs_demo
def test_it_is_deterministic_for_a_seed(db: None) -> None:
    from dangvu.demo.generator import current_state
    from dangvu.demo.registry import DemoContext

    state = current_state()
    assert state is not None
    before = [_signature(five_year()), _signature(open_now())]
    today = demo_today(open_now())
    ReportingRound.objects.all().delete()  # rolled back after the test
    ctx = DemoContext(
        seed=state.seed,
        rng=random.Random(state.seed),
        today=today,
        units={u.code: u for u in Unit.objects.all()},
    )
    five_year_round(ctx)
    open_round(ctx)
    assert [_signature(five_year()), _signature(open_now())] == before
    assert [r["late"] for r in ctx.summary["rounds"]] == [0, 1]
