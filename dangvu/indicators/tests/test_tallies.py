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
