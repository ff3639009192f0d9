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
