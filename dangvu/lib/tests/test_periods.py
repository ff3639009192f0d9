"""Reporting periods: how they are written, how they read, how they break into parts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangvu.lib.periods import INVALID, Period, between, parse_period, year

SEED = "2018-07-05..2023-06-30"


def days(parts: list[Period]) -> int:
    return sum((p.end - p.start).days for p in parts)


def contiguous(parts: list[Period], whole: Period) -> bool:
    """The parts follow one another without gap or overlap and cover the whole."""
    edges = [whole.start] + [p.end for p in parts]
    return [p.start for p in parts] == edges[:-1] and edges[-1] == whole.end


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2019", date(2019, 1, 1), date(2020, 1, 1), "2019"),
        ("2019Q3", date(2019, 7, 1), date(2019, 10, 1), "2019Q3"),
        ("2019q3", date(2019, 7, 1), date(2019, 10, 1), "2019Q3"),
        ("2019Q1", date(2019, 1, 1), date(2019, 4, 1), "2019Q1"),
        ("2019Q4", date(2019, 10, 1), date(2020, 1, 1), "2019Q4"),
        ("2019-07", date(2019, 7, 1), date(2019, 8, 1), "2019-07"),
        ("2019-7", date(2019, 7, 1), date(2019, 8, 1), "2019-07"),
        ("2019-12", date(2019, 12, 1), date(2020, 1, 1), "2019-12"),
        (SEED, date(2018, 7, 5), date(2023, 7, 1), SEED),
        ("05/07/2018..30/06/2023", date(2018, 7, 5), date(2023, 7, 1), SEED),
        ("  2019  ", date(2019, 1, 1), date(2020, 1, 1), "2019"),
        ("2019-07-05..2019-07-05", date(2019, 7, 5), date(2019, 7, 6), "2019-07-05..2019-07-05"),
    ],
)
def test_it_parses_every_written_form(text, start, end, label):
    period = parse_period(text)

    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text",
    ["2019Q5", "2019Q0", "2019-13", "2019-00", "abc", "", "2019-02-30..2019-03-01",
     "2023-06-30..2018-07-05", "30/06/2023..05/07/2018", "2019..", "19"],
)  # fmt: skip
def test_it_refuses_what_is_not_a_period_in_vietnamese(text):
    with pytest.raises(ValueError) as error:
        parse_period(text)

    assert str(error.value) == INVALID.format(text=text)
    assert str(error.value).startswith(f"Kỳ '{text}' không hợp lệ: ghi năm (2019), quý (2019Q3)")


def test_it_knows_the_last_day_and_what_it_contains():
    period = parse_period(SEED)

    assert period.last_day == date(2023, 6, 30)
    assert parse_period("2019").last_day == date(2019, 12, 31)
    assert parse_period("2020-02").last_day == date(2020, 2, 29)
    assert parse_period("2019Q2").last_day == date(2019, 6, 30)
    assert period.contains(date(2018, 7, 5))
    assert period.contains(date(2023, 6, 30))
    assert not period.contains(date(2023, 7, 1))
    assert not period.contains(date(2018, 7, 4))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2019", "năm 2019"),
        ("2019q3", "quý 3/2019"),
        ("2019-7", "tháng 7/2019"),
        ("2019-11", "tháng 11/2019"),
        (SEED, "từ 05/07/2018 đến 30/06/2023"),
        ("05/07/2018..30/06/2023", "từ 05/07/2018 đến 30/06/2023"),
    ],
)
def test_it_reads_in_vietnamese_prose(text, shown):
    assert parse_period(text).display() == shown


def test_it_breaks_a_range_into_clipped_years_that_add_up():
    period = parse_period(SEED)

    parts = period.years()

    assert [(p.label, p.start, p.end) for p in parts] == [
        ("2018", date(2018, 7, 5), date(2019, 1, 1)),
        ("2019", date(2019, 1, 1), date(2020, 1, 1)),
        ("2020", date(2020, 1, 1), date(2021, 1, 1)),
        ("2021", date(2021, 1, 1), date(2022, 1, 1)),
        ("2022", date(2022, 1, 1), date(2023, 1, 1)),
        ("2023", date(2023, 1, 1), date(2023, 7, 1)),
    ]
    assert contiguous(parts, period)
    assert days(parts) == (period.end - period.start).days == 1822


def test_it_breaks_a_range_into_clipped_quarters_that_add_up():
    period = between(date(2019, 2, 15), date(2019, 8, 10))

    parts = period.quarters()

    assert [(p.label, p.start, p.end) for p in parts] == [
        ("2019Q1", date(2019, 2, 15), date(2019, 4, 1)),
        ("2019Q2", date(2019, 4, 1), date(2019, 7, 1)),
        ("2019Q3", date(2019, 7, 1), date(2019, 8, 11)),
    ]
    assert contiguous(parts, period)
    assert days(parts) == 177


def test_it_breaks_a_range_into_clipped_months_that_add_up():
    period = between(date(2019, 11, 20), date(2020, 2, 3))

    parts = period.months()

    assert [(p.label, p.start, p.end) for p in parts] == [
        ("2019-11", date(2019, 11, 20), date(2019, 12, 1)),
        ("2019-12", date(2019, 12, 1), date(2020, 1, 1)),
        ("2020-01", date(2020, 1, 1), date(2020, 2, 1)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 4)),
    ]
    assert contiguous(parts, period)
    assert days(parts) == 76


def test_it_breaks_a_whole_year_into_its_four_quarters_and_twelve_months():
    period = year(2020)

    assert [p.label for p in period.years()] == ["2020"]
    assert [p.label for p in period.quarters()] == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
    assert [p.label for p in period.months()] == [f"2020-{m:02d}" for m in range(1, 13)]
    assert days(period.quarters()) == days(period.months()) == 366
    assert contiguous(period.quarters(), period)
    assert contiguous(period.months(), period)


def test_it_keeps_a_one_day_period_whole():
    period = between(date(2021, 3, 31), date(2021, 3, 31))

    assert [(p.label, p.start, p.end) for p in period.months()] == [
        ("2021-03", date(2021, 3, 31), date(2021, 4, 1))
    ]
    assert period.quarters()[0].end - period.quarters()[0].start == timedelta(days=1)
    assert period.years()[0].label == "2021"


def test_it_refuses_a_range_ending_before_it_starts():
    with pytest.raises(ValueError) as error:
        between(date(2020, 1, 2), date(2020, 1, 1))

    assert str(error.value) == "Ngày kết thúc phải không trước ngày bắt đầu."
