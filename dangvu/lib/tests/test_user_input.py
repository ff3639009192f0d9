"""Properties of the parsers of typed text (lib/dates.py, lib/periods.py,
lib/vietnamese.py): for any text at all, a value within its bounds or a ValueError —
never another exception — and what is written reads back the same."""

from __future__ import annotations

import string
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu.lib.dates import FIRST_YEAR, LAST_YEAR, format_date, parse_date
from dangvu.lib.periods import Period, parse_period
from dangvu.lib.vietnamese import (
    MAX_KEY_LENGTH,
    collation_key,
    fold,
    name_sort_key,
    search_text,
    search_tokens,
)

FIRST, LAST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
DAYS = st.dates(min_value=FIRST, max_value=LAST)
#: Text that looks like a date or a period, with the traps of typed input mixed in.
PIECES = st.sampled_from(["/", "-", ".", "..", "Q", "q", " ", "²", "١", "０", "\x00", "e"])
DATE_LIKE = st.lists(
    st.one_of(st.integers(0, 99999).map(str), PIECES, st.sampled_from(["0001", "9999"])),
    max_size=8,
).map("".join)
TEXT = st.one_of(st.text(), DATE_LIKE)


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(text=TEXT)
def test_a_typed_date_is_a_day_within_the_years_or_refused(text: str) -> None:
    try:
        day = parse_date(text)
    except ValueError:
        return
    assert FIRST <= day <= LAST


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(day=DAYS)
def test_a_written_date_reads_back(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize("text", ["01/01/0001", "31/12/9999", "9999-12-31", "0001-01-01"])
def test_it_refuses_the_ends_of_the_calendar(text: str) -> None:
    with pytest.raises(ValueError, match="năm phải từ 1900 đến 2100"):
        parse_date(text)


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(text=TEXT)
def test_a_typed_period_lies_within_the_years_or_is_refused(text: str) -> None:
    try:
        period = parse_period(text)
    except ValueError as error:
        assert str(error).startswith("Kỳ '")
        return
    assert FIRST <= period.start < period.end <= LAST + timedelta(days=1)
    assert sum((p.end - p.start).days for p in period.years()) == (period.end - period.start).days


def test_it_refuses_ten_thousand_years() -> None:
    for text in ("0001-01-01..9999-12-31", "9999", "0001Q1", "9999-12", "01/01/1..31/12/9999"):
        with pytest.raises(ValueError):
            parse_period(text)


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(start=DAYS, length=st.integers(0, 3000), kind=st.sampled_from(["y", "q", "m", "range"]))
def test_a_written_period_reads_back(start: date, length: int, kind: str) -> None:
    if kind == "range":
        last = min(start + timedelta(days=length), LAST)
        period = parse_period(f"{start.isoformat()}..{last.isoformat()}")
        assert (period.start, period.last_day) == (start, last)
    else:
        label = {"y": f"{start.year}", "q": f"{start.year}Q{(start.month - 1) // 3 + 1}"}.get(
            kind, f"{start.year}-{start.month:02d}"
        )
        period = parse_period(label)
        assert period.contains(start)
    assert parse_period(period.label) == period
    assert isinstance(period, Period)


NAMES = st.text(
    alphabet=st.one_of(
        st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxy ĐƠƯÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬỀỂỄẾỆ'’-"),
        st.characters(),
    ),
    max_size=40,
)


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(text=st.one_of(st.text(), NAMES))
def test_folding_is_plain_lower_case_and_stable(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == " ".join(folded.split())
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(name=st.one_of(st.text(), NAMES))
def test_a_name_is_found_by_itself_and_its_prefixes(name: str) -> None:
    stored = search_text(name)
    tokens = search_tokens(name)
    assert all(" " + token in stored for token in tokens)
    assert all(" " + token[:2] in stored for token in tokens)
    assert all(" " not in token for token in tokens)


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(text=st.one_of(st.text(), NAMES))
def test_collation_keys_are_printable_ascii_and_bounded(text: str) -> None:
    printable = set(string.printable) - set(string.whitespace)
    assert set(collation_key(text)) <= printable
    key = name_sort_key(text)
    assert set(key) <= printable and len(key) <= MAX_KEY_LENGTH
