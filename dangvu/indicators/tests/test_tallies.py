"""Tallies: the engine reads a unit's past months from them and gets what the records
say; the services keep them in step (the writing apps' tests check every test against a
rebuild, `conftest._tallies_in_step`); here the cases that move counts between months,
units and ancestors, and the reading of partial months."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.indicators import services_tallies as tallies
from dangvu.indicators.engine import evaluate, total
from dangvu.indicators.models import Indicator, Tally, TallyPart, TallyState
from dangvu.indicators.tests.helpers import DUCMINH, EATLING, T1, TDP1, TDP2
from dangvu.lib.periods import parse_period
from dangvu.meetings.services import MeetingRow, meetings_create
from dangvu.units.services import unit_move

CODES = ["meeting.regular_held", "meeting.upper_attendance", "meeting.thematic_held"]


def _meetings(world, cell: str, months: list[date], *, day: int = 10, upper: bool = False):
    rows = [
        MeetingRow(
            unit_id=world.units[cell].pk,
            kind="regular",
            month=m,
            planned_at=None,
            held_on=m.replace(day=day),
            duration_minutes=90,
            upper_attended=upper,
        )
        for m in months
    ]
    return meetings_create(rows=rows)


def _months(year: int, first: int = 1, last: int = 12) -> list[date]:
    return [date(year, m, 1) for m in range(first, last + 1)]


def _values(world, codes, units, period, split=None):
    indicators = list(Indicator.objects.filter(code__in=codes))
    targets = [world.units[u] for u in units]
    return evaluate(
        targets=targets, period=parse_period(period), indicators=indicators, split=split
    ).values


def _both_ways(world, codes, units, period, split=None):
    """The values read with the tallies, then with the records alone (the states set aside
    and put back)."""
    kept = _values(world, codes, units, period, split)
    saved = list(TallyState.objects.values_list("source", "start", "horizon"))
    TallyState.objects.all().delete()
    live = _values(world, codes, units, period, split)
    for source, start, horizon in saved:
        TallyState.objects.create(source=source, start=start, horizon=horizon)
    return kept, live


def _forget_from(month: date) -> None:
    """The tallies as a build of that month would have left them."""
    TallyState.objects.update(horizon=month)
    Tally.objects.filter(month__gte=month).delete()
    TallyPart.objects.filter(month__gte=month).delete()


@pytest.fixture
def meetings(world):
    _meetings(world, TDP1, _months(2019) + _months(2020, 1, 6), upper=True)
    _meetings(world, TDP2, _months(2019, 3, 12), day=28)
    _meetings(world, T1, _months(2020))
    return world


def test_it_reads_the_same_from_the_tallies_as_from_the_records(meetings):
    units = ["DN", "DN.CUJUT", EATLING, TDP1, TDP2, "DN.DAKMIL", DUCMINH, T1]
    assert Tally.objects.filter(source="meeting.regular_held#0").exists()
    for period, split in [
        ("2019", None),
        ("2019", "month"),
        ("2018-07-05..2020-06-30", None),  # begins inside a month: its days from the records
        ("2018-07-05..2020-06-30", "year"),
        ("2019-03-15..2019-11-20", "quarter"),
        ("2020Q2", None),
    ]:
        kept, live = _both_ways(meetings, CODES, units, period, split)
        assert kept == live, (period, split)
    kept, _ = _both_ways(meetings, CODES, ["DN", TDP1], "2019")
    assert total(kept["meeting.regular_held"][meetings.units["DN"].pk]) == 12 + 10
    assert total(kept["meeting.upper_attendance"][meetings.units["DN"].pk]) == 12


def test_the_current_month_is_read_from_the_records(meetings, monkeypatch):
    """The tallies hold the months before their horizon; later ones come from the records."""
    _forget_from(date(2019, 7, 1))
    kept, live = _both_ways(meetings, CODES, ["DN", TDP1], "2019", "month")
    assert kept == live
    assert kept["meeting.regular_held"][meetings.units[TDP1].pk]["2019-08"][""] == 1


def test_a_planned_meeting_recorded_as_held_later_counts_in_its_month(meetings):
    from dangvu.meetings.models import Meeting
    from dangvu.meetings.services import MeetingSpec, meeting_save

    cell = meetings.units[TDP2]
    planned = MeetingRow(
        unit_id=cell.pk, kind="regular", month=date(2019, 2, 1), planned_at=date(2019, 1, 20)
    )
    meetings_create(rows=[planned])
    before, _ = _both_ways(meetings, CODES, ["DN", TDP2], "2019Q1")
    meeting = Meeting.objects.get(unit=cell, month=date(2019, 2, 1))
    spec = MeetingSpec(
        unit=cell,
        kind="regular",
        month=date(2019, 2, 1),
        held_on=date(2019, 2, 25),
        duration_minutes=90,
    )
    meeting_save(existing=meeting, spec=spec)
    after, live = _both_ways(meetings, CODES, ["DN", TDP2], "2019Q1")
    assert after == live

    def count(values, unit):
        return total(values["meeting.regular_held"][meetings.units[unit].pk])

    assert count(after, "DN") == count(before, "DN") + 1
    assert count(after, TDP2) == 1 + 1  # March's, and February's now
    assert after["meeting.regular_held"][cell.pk]["2019-02"][""] == 1


def test_a_committee_moved_in_the_past_takes_its_later_months_along(meetings):
    """Đức Minh moves under Cư Jút from 01/07/2020: its cell's meetings of the second half
    of 2020 count under Cư Jút, the first half's under Đắk Mil, read from the tallies."""
    unit_move(
        unit=meetings.units[DUCMINH],
        new_parent=meetings.units["DN.CUJUT"],
        effective_on=date(2020, 7, 1),
    )
    assert tallies.differences() == []
    kept, live = _both_ways(meetings, CODES, ["DN.CUJUT", "DN.DAKMIL"], "2020", "quarter")
    assert kept == live
    dakmil = kept["meeting.regular_held"][meetings.units["DN.DAKMIL"].pk]
    cujut = kept["meeting.regular_held"][meetings.units["DN.CUJUT"].pk]
    assert (dakmil["2020-06"][""], dakmil["2020-07"][""]) == (1, 0)
    assert (cujut["2020-06"][""], cujut["2020-07"][""]) == (1, 1)  # Tổ dân phố 1, then T1


def test_advance_takes_the_months_closed_since(meetings):
    _forget_from(date(2019, 7, 1))
    assert tallies.advance(today=date(2021, 1, 15)) > 0
    assert set(TallyState.objects.values_list("horizon", flat=True)) == {date(2021, 1, 1)}
    assert tallies.differences() == []
    assert tallies.advance(today=date(2021, 1, 20)) == 0


def test_a_difference_is_found_and_told(meetings):
    cell = Tally.objects.filter(source="meeting.regular_held#0", unit=meetings.units["DN"]).first()
    Tally.objects.filter(pk=cell.pk).update(n=cell.n + 1)
    found = tallies.differences()
    assert found and found[0].startswith("meeting.regular_held#0: unit")
    Tally.objects.filter(pk=cell.pk).update(n=cell.n)


def test_the_sources_are_the_events_calls_of_the_tallied_computations():
    sources = {s.source for s in tallies.specs()}
    assert {"meeting.regular_held#0", "rating.members#0", "commitment.members_signed#0"} <= sources
    assert {s.code for s in tallies.specs()} == set(tallies.TALLIED)


# -- members on a day (a standing source: kept as its changes) ---------------------------------
MEMBERS = ["org.members"]
MEMBER_UNITS = ["DN", "DN.CUJUT", EATLING, TDP1, TDP2, "DN.DAKMIL", DUCMINH, T1]
MEMBER_PERIODS = [
    ("2019", "month"),
    ("2018-07-05..2023-06-30", None),
    ("2018-07-05..2023-06-30", "year"),
    ("2019-03-15..2021-11-20", "quarter"),  # ends inside a month: that day from the records
    ("2021-01", None),
]


def _members_both_ways(world):
    for period, split in MEMBER_PERIODS:
        kept, live = _both_ways(world, MEMBERS, MEMBER_UNITS, period, split)
        assert kept == live, (period, split)
    return kept


def _admit(world, card: str, cell: str, day: date):
    from dangvu.members.services import member_create

    return member_create(
        card_number=card,
        full_name=f"Đảng viên {card}",
        birth_date=date(1980, 1, 1),
        gender="F",
        joined_on=day,
        cell=world.units[cell],
    )


def test_members_are_kept_as_their_changes_and_read_the_same(world):
    """A member admitted, moved, leaving, in the past: the kept changes give each
    month-end's members as the records do, on every unit above."""
    from dangvu.members.services import member_leave, member_transfer

    assert Tally.objects.filter(source="org.members#0").exists()
    before = _members_both_ways(world)
    newcomer = _admit(world, "67999001", TDP1, date(2019, 4, 10))
    member_transfer(member=newcomer, to_cell=world.units[T1], effective_on=date(2020, 3, 15))
    member_leave(member=newcomer, left_on=date(2021, 6, 10))
    assert tallies.differences() == []
    kept, _ = _both_ways(
        world, MEMBERS, ["DN", EATLING, DUCMINH], "2019-01-01..2021-12-31", "month"
    )
    dn, eatling, ducminh = (
        kept["org.members"][world.units[u].pk] for u in ["DN", EATLING, DUCMINH]
    )
    base, _ = _both_ways(world, MEMBERS, ["DN"], "2019-01", None)
    assert (
        dn["2019-03"][""]
        == dn["2019-04"][""] - 1
        == base["org.members"][world.units["DN"].pk]["2019-01"][""]
    )
    assert (
        eatling["2020-02"][""] - eatling["2020-03"][""],
        ducminh["2020-03"][""] - ducminh["2020-02"][""],
    ) == (1, 1)
    assert dn["2021-06"][""] == dn["2021-05"][""] - 1
    assert before != _members_both_ways(world)


def test_members_follow_a_merger_and_a_move_in_the_past(world):
    """Tổ dân phố 2 merged into Tổ dân phố 1 from 2021; Đức Minh moved under Cư Jút from
    July 2020: the members count where their cells stood at each month's end."""
    from dangvu.units.services import unit_merge

    _admit(world, "67999002", TDP2, date(2016, 5, 2))
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2021, 1, 1))
    unit_move(
        unit=world.units[DUCMINH],
        new_parent=world.units["DN.CUJUT"],
        effective_on=date(2020, 7, 1),
    )
    assert tallies.differences() == []
    kept = _members_both_ways(world)
    assert kept  # read both ways above, for every period
    moved, _ = _both_ways(world, MEMBERS, ["DN.CUJUT", "DN.DAKMIL", T1], "2020", "month")
    cujut, dakmil, cell = (
        moved["org.members"][world.units[u].pk] for u in ["DN.CUJUT", "DN.DAKMIL", T1]
    )
    in_cell = cell["2020-07"][""]
    assert in_cell > 0
    assert dakmil["2020-06"][""] - dakmil["2020-07"][""] == in_cell
    assert cujut["2020-07"][""] - cujut["2020-06"][""] == in_cell


def test_members_begun_before_the_first_month_kept_count_from_it(world, settings):
    settings.DANGVU_TALLY_FROM = date(2020, 1, 1)
    tallies.rebuild()
    _admit(world, "67999003", TDP1, date(2018, 2, 3))
    assert tallies.differences() == []
    _members_both_ways(world)


def test_advance_takes_the_members_of_the_months_closed_since(world):
    _admit(world, "67999004", TDP1, date(2019, 9, 9))
    _forget_from(date(2019, 7, 1))
    tallies.advance(today=date(2022, 1, 15))
    assert tallies.differences() == []
    _members_both_ways(world)


def test_a_writer_of_many_units_holds_one_lock_per_source(db):
    """An import touches thousands of units of every source: one advisory lock each would
    fill PostgreSQL's shared lock table ("out of shared memory") before the commit."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")

    def advisory() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    with transaction.atomic():  # the locks last to the test's transaction's end
        held = advisory()
        tallies._lock("meeting.regular_held#0", range(1, 20_001))
        tallies._lock("meeting.regular_held#0", [7, 8])  # the same writer, a few units more
        # the source, exclusive then shared too (pg_locks lists each mode), and two units
        assert advisory() - held == 2 + 2
        held = advisory()
        tallies._lock("org.members#0", [3, 4, 5])
        assert advisory() - held == 1 + 3


# -- the smaller sources: inspection cases, supervisions, training -----------------------------
INSPECTION = [
    "inspection.org_violation_signs",
    "inspection.org_violated",
    "inspection.org_disciplined",
    "inspection.org_task_inspected",
    "inspection.member_violation_signs",
    "inspection.member_violation_signs_committee",
    "inspection.member_violated",
    "inspection.member_disciplined",
    "inspection.complex_cases",
]
SMALL_UNITS = ["DN", "DN.CUJUT", EATLING, TDP1, "DN.DAKMIL", DUCMINH, T1]
SMALL_PERIODS = [
    ("2022", None),
    ("2022", "month"),
    ("2021-07-05..2023-06-30", None),  # begins inside a month: its days from the records
    ("2021-07-05..2023-06-30", "quarter"),
    ("2022-03-15..2022-11-20", None),
]


@pytest.fixture
def computed(monkeypatch):
    """The inspection and supervision figures computed as their modules compute them (this
    folder's conftest sets them aside, as figures entered by hand): the very functions the
    tallies were recorded from."""
    from dangvu.indicators.registry import COMPUTATIONS

    for spec in tallies.specs():
        monkeypatch.setitem(COMPUTATIONS, spec.code, tallies._RECORDED[spec.code])


def _small_both_ways(world, codes):
    for period, split in SMALL_PERIODS:
        kept, live = _both_ways(world, codes, SMALL_UNITS, period, split)
        assert kept == live, (period, split)
    return kept


def _case(world, code: str, **kw):
    from dangvu.inspection import services

    spec = {
        "code": code,
        "kind": "signs",
        "body": world.units["DN.DAKMIL"],
        "opened_on": date(2022, 3, 10),
        "subject_member": world.members["cuong"],
    }
    spec.update(kw)
    return services.case_open(spec=services.CaseSpec(**spec))


def test_inspection_cases_are_tallied_and_read_the_same(world, computed):
    """Cases opened, concluded, disciplined, corrected (another day, another subject), and
    their cell moved in the past: the kept counts follow, and read as the records do."""
    from dangvu.inspection import services

    assert {f"{code}#0" for code in INSPECTION} <= set(
        TallyState.objects.values_list("source", flat=True)
    )
    signs = _case(world, "KT-1")
    services.case_conclude(case=signs, concluded_on=date(2022, 4, 1), violation=True, conclusion="")
    services.case_discipline(
        case=signs, form_code="reprimand", decision_number="1", decision_on=date(2022, 4, 5)
    )
    _case(world, "KT-2", kind="task", subject_member=None, subject_unit=world.units[DUCMINH])
    moved = _case(world, "KT-3", complex=True, opened_on=date(2021, 7, 2))
    assert tallies.differences() == []
    before = _small_both_ways(world, INSPECTION)
    dn = world.units["DN"].pk
    assert before["inspection.member_disciplined"][dn]["2022-03-15..2022-11-20"][""] == 0
    assert Tally.objects.filter(source="inspection.member_disciplined#0", unit=dn).exists()

    spec = services.CaseSpec(
        code="KT-3",
        kind="signs",
        body=world.units["DN.DAKMIL"],
        opened_on=date(2022, 8, 20),
        subject_member=world.members["huong"],
        complex=True,
    )
    services.case_amend(case=moved, spec=spec, actor=None, committee=True)
    unit_move(
        unit=world.units[DUCMINH],
        new_parent=world.units["DN.CUJUT"],
        effective_on=date(2022, 6, 1),
    )
    assert tallies.differences() == []
    after = _small_both_ways(world, INSPECTION)
    assert after != before
    assert after["inspection.complex_cases"][dn]["2022-03-15..2022-11-20"][""] == 1  # August


def test_supervisions_are_tallied_and_read_the_same(world, computed):
    """Recorded one by one, corrected to another day and unit, and imported in bulk."""
    from dangvu.supervision.services import SupervisionSpec, supervision_save, supervisions_import

    def spec(code: str, unit: str, level: str, day: date) -> SupervisionSpec:
        return SupervisionSpec(
            code=code,
            held_on=day,
            level=level,
            organisation="front",
            unit=world.units[unit],
            subject="Việc giải quyết kiến nghị của Nhân dân",
        )

    codes = ["supervision.front_total", "supervision.front_by_level"]
    first = supervision_save(spec=spec("GS-1", "DN.CUJUT", "district", date(2022, 6, 1)))
    supervision_save(spec=spec("GS-2", EATLING, "commune", date(2021, 7, 3)))
    before = _small_both_ways(world, codes)
    supervision_save(spec=spec("GS-1", "DN.DAKMIL", "district", date(2022, 9, 9)), existing=first)
    outcome = supervisions_import(
        specs=[
            spec("GS-2", EATLING, "commune", date(2022, 2, 2)),  # corrected
            spec("GS-3", "DN", "province", date(2021, 12, 31)),
        ],
        actor=None,
        source="",
    )
    assert (outcome.created, outcome.updated) == (1, 1)
    assert tallies.differences() == []
    after = _small_both_ways(world, codes)
    assert after != before
    assert (
        after["supervision.front_total"][world.units["DN.DAKMIL"].pk]["2022-03-15..2022-11-20"][""]
        == 1
    )


def test_training_is_tallied_and_read_the_same(world):
    from dangvu.study import services

    codes = ["study.training_classes", "study.training_attendances", "study.theory_trained"]
    services.training_class_create(
        title="Lớp bồi dưỡng cập nhật kiến thức năm 2022",
        unit=world.units["DN.CUJUT"],
        kind="refresher",
        start_on=date(2022, 3, 20),
        end_on=date(2022, 3, 25),
        participant_cards=["67000001", "67000005"],
    )
    services.theory_training_add(
        card_number="67000002", level="intermediate", completed_on=date(2021, 7, 30)
    )
    services.theory_training_add(
        card_number="67000002", level="advanced", completed_on=date(2022, 11, 30)
    )
    assert tallies.differences() == []
    kept = _small_both_ways(world, codes)
    assert (
        kept["study.training_attendances"][world.units["DN"].pk]["2022-03-15..2022-11-20"][""] == 2
    )


def test_a_batch_keeps_the_tallies_once_at_its_end(world, computed):
    """Inside `batch()` the services' writes are gathered and kept when it ends; a batch
    that fails leaves nothing behind."""
    with tallies.batch():
        _case(world, "KT-1")
        _case(world, "KT-2", opened_on=date(2021, 8, 8))
        assert tallies.differences() != []  # not yet
    assert tallies.differences() == []
    with pytest.raises(RuntimeError), tallies.batch():
        _case(world, "KT-3")
        raise RuntimeError
    assert tallies.differences() == []
    _small_both_ways(world, INSPECTION)


def test_new_sources_are_built_alone(world, computed):
    """A source an upgrade adds has no counts (read from the records meanwhile); `tallies
    new` makes its counts and leaves the others' as they are."""
    import io

    from django.core.management import call_command

    _case(world, "KT-1")
    source = "inspection.member_violation_signs#0"
    TallyState.objects.filter(source=source).delete()
    Tally.objects.filter(source=source).delete()
    TallyPart.objects.filter(source=source).delete()
    _small_both_ways(world, INSPECTION)  # read from the records meanwhile
    others = Tally.objects.exclude(source=source).count()
    kept = set(Tally.objects.exclude(source=source).values_list("pk", flat=True))
    out = io.StringIO()
    call_command("tallies", "new", stdout=out)
    assert "nguồn mới" in out.getvalue()
    assert TallyState.objects.filter(source=source).exists()
    assert Tally.objects.filter(source=source).exists()
    assert set(Tally.objects.exclude(source=source).values_list("pk", flat=True)) == kept
    assert Tally.objects.exclude(source=source).count() == others
    assert tallies.differences() == []
    _small_both_ways(world, INSPECTION)


def test_the_days_a_period_cuts_from_a_month_are_read_as_the_month_less_the_rest(world):
    """A period beginning on 5 July reads July whole from the tallies and takes away the
    records of 1–4 July (fewer than the 27 days kept); the figures are the records'."""
    from dangvu.indicators.engine import Ctx

    _meetings(world, TDP1, [date(2018, 7, 1)], day=2)  # left out of the period
    _meetings(world, TDP2, [date(2018, 7, 1)], day=20)
    _meetings(world, T1, [date(2018, 11, 1)], day=25)  # after the period's end
    for period, split in [
        ("2018-07-05..2018-11-20", None),
        ("2018-07-05..2018-11-20", "month"),
        ("2018-07-05..2018-11-20", "quarter"),
        ("2018-07-03..2018-11-27", "year"),  # more days read than left out: as before
    ]:
        kept, live = _both_ways(world, CODES, ["DN", EATLING, TDP1, TDP2, T1], period, split)
        assert kept == live, (period, split)
    kept, _ = _both_ways(world, CODES, ["DN"], "2018-07-05..2018-11-20", "month")
    dn = kept["meeting.regular_held"][world.units["DN"].pk]
    assert (dn["2018-07"][""], dn["2018-11"][""]) == (1, 0)
    state = TallyState.objects.get(source="meeting.regular_held#0")
    ctx = Ctx(parse_period("2018-07-05..2018-11-20").months())
    months, outside, less = ctx._complements(
        state, [(date(2018, 7, 5), date(2018, 8, 1)), (date(2018, 11, 1), date(2018, 11, 21))]
    )
    assert months == [(date(2018, 7, 1), date(2018, 8, 1)), (date(2018, 11, 1), date(2018, 12, 1))]
    assert outside == []
    assert less == [(date(2018, 7, 1), date(2018, 7, 5)), (date(2018, 11, 21), date(2018, 12, 1))]


def test_remediation_done_is_tallied_and_read_the_same(world):
    """Items recorded (one by one and in bulk, some done already) and then done."""
    from dangvu.reviews import services
    from dangvu.reviews.services.remediation import RemediationRow

    codes = ["remediation.plans_done"]
    review = services.member_review_save(
        spec=services.MemberReviewSpec(
            member=world.members["binh"], year=2021, outcome="reviewed", grade="done"
        )
    )
    item = services.remediation_add(
        shortcoming="Chưa dự đủ sinh hoạt.",
        plan="Dự đủ các kỳ.",
        deadline=date(2022, 6, 30),
        member_review=review,
        created_on=date(2021, 12, 20),
    )
    services.remediation_add_bulk(
        rows=[
            RemediationRow(
                unit_id=review.unit_id,
                year=2021,
                shortcoming="Chậm nộp đảng phí.",
                plan="Nộp đúng hạn.",
                deadline=date(2022, 3, 31),
                created_on=date(2021, 12, 21),
                member_review_id=review.pk,
                done_on=date(2022, 3, 2),
                result="Đã nộp đúng hạn.",
            )
        ]
    )
    _small_both_ways(world, codes)
    dn = world.units["DN"].pk
    before, _ = _both_ways(world, codes, ["DN"], "2022")
    services.remediation_done(item=item, done_on=date(2022, 11, 25), result="Đã dự đủ.")
    assert tallies.differences() == []
    after = _small_both_ways(world, codes)
    assert after["remediation.plans_done"][dn]["2022-03-15..2022-11-20"][""] == 0
    kept, _ = _both_ways(world, codes, ["DN"], "2022")
    assert (
        before["remediation.plans_done"][dn]["2022"][""],
        kept["remediation.plans_done"][dn]["2022"][""],
    ) == (1, 2)


# -- the rebuild on several connections --------------------------------------------------------
def _kept() -> tuple[list, list, list]:
    return (
        sorted(Tally.objects.values_list("source", "unit_id", "month", "key", "n")),
        sorted(TallyPart.objects.values_list("source", "unit_id", "month", "key", "path", "n")),
        sorted(TallyState.objects.values_list("source", "start", "horizon")),
    )


def test_a_parallel_rebuild_makes_what_a_serial_one_makes(live_world, monkeypatch):
    """The sources built at once, each on its own connection and in its own transaction
    (the records committed, as a rebuild outside a test finds them), make the very rows
    a rebuild in one transaction makes; SQLite builds them one after the other."""
    import threading

    from django.db import connection

    from dangvu.members.services import member_leave, member_transfer
    from dangvu.units.services import unit_merge

    world = live_world
    _meetings(world, TDP1, _months(2019) + _months(2020, 1, 6), upper=True)
    _meetings(world, TDP2, _months(2019, 3, 12), day=28)
    _meetings(world, T1, _months(2020))
    newcomer = _admit(world, "67999001", TDP1, date(2019, 4, 10))
    member_transfer(member=newcomer, to_cell=world.units[T1], effective_on=date(2020, 3, 15))
    member_leave(member=newcomer, left_on=date(2021, 6, 10))
    unit_merge(
        sources=[world.units[TDP2]],
        target=world.units[TDP1],
        effective_on=date(2021, 1, 1),
        decision="QĐ 1",
        note="",
    )
    assert not connection.in_atomic_block

    today = date(2022, 1, 15)
    assert tallies.rebuild(today=today, jobs=1) > 0
    serial = _kept()
    assert {s for s, *_ in serial[0]} >= {"meeting.regular_held#0", "org.members#0"}

    threads: set[str] = set()
    build = tallies._build_source

    def noting(*args, **kwargs):
        threads.add(threading.current_thread().name)
        return build(*args, **kwargs)

    monkeypatch.setattr(tallies, "_build_source", noting)
    timings: dict[str, float] = {}
    count = tallies.rebuild(today=today, jobs=3, timings=timings)
    assert _kept() == serial
    assert count == len(serial[0])
    assert set(timings) == {spec.source for spec in tallies.specs()}
    if connection.vendor == "postgresql":
        assert len(threads) > 1 and all(name.startswith("tallies") for name in threads)
    else:
        assert threads == {threading.current_thread().name}
    assert tallies.differences() == []


def test_the_rebuild_command_takes_a_number_of_jobs(world):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    _meetings(world, TDP1, _months(2019))
    out = io.StringIO()
    call_command("tallies", "rebuild", "--jobs", "2", verbosity=2, stdout=out)
    assert "meeting.regular_held#0:" in out.getvalue()
    assert "Đã tạo lại" in out.getvalue()
    assert tallies.differences() == []
    with pytest.raises(CommandError, match="--jobs"):
        call_command("tallies", "rebuild", "--jobs", "0", stdout=io.StringIO())
