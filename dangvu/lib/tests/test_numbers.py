"""Numbers typed by people (lib/numbers.py): examples, then properties over any text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu.lib.numbers import MAX_ID, int_or_none, parse_decimal, parse_int

#: Digits that str.isdigit() accepts and int() refuses or reads, and other traps.
TRAPS = ["²", "¹²³", "١٢", "１２", "٣", "9" * 5000, "1_000", "0x10", "1e3", " ", "", "+", "-"]


@pytest.mark.parametrize("text", TRAPS)
def test_it_takes_ascii_digits_only(text: str) -> None:
    assert int_or_none(text, low=0, high=10**9) is None
    with pytest.raises(ValueError, match="không phải số nguyên"):
        parse_int(text, low=0, high=10**9)


def test_it_reads_integers_within_their_bounds() -> None:
    assert parse_int(" 42 ", low=1, high=600) == 42
    assert parse_int("+7", low=1, high=600) == 7
    assert parse_int("0012", low=1, high=600) == 12
    assert parse_int(5, low=1, high=600) == 5
    assert int_or_none("601", low=1, high=600) is None
    assert int_or_none("99999999999999999999", low=1, high=MAX_ID) is None
    assert int_or_none(True, low=0, high=1) is None
    assert int_or_none(None, low=0, high=1) is None


@pytest.mark.parametrize(
    ("text", "grouped", "value"),
    [
        ("8,5", False, Decimal("8.5")),
        ("8.5", False, Decimal("8.5")),
        ("27.210", True, Decimal("27210")),
        ("3,5", True, Decimal("3.5")),
        (2.5, False, Decimal("2.5")),
        (Decimal("99.999"), False, Decimal("100.00")),
    ],
)
def test_it_reads_decimals_the_vietnamese_way(text: object, grouped: bool, value: Decimal) -> None:
    assert parse_decimal(text, low=Decimal(0), high=Decimal(10**6), grouped=grouped) == value


@pytest.mark.parametrize(
    "text", ["NaN", "nan", "sNaN", "Infinity", "-inf", "1e999", float("nan"), float("inf"), "²"]
)
def test_it_refuses_what_is_not_a_finite_number(text: object) -> None:
    with pytest.raises(ValueError, match="không phải số"):
        parse_decimal(text, low=Decimal(0), high=Decimal(100))


BOUNDS = st.tuples(st.integers(-(10**20), 10**20), st.integers(-(10**20), 10**20)).map(sorted)


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(text=st.one_of(st.text(), st.integers().map(str), st.sampled_from(TRAPS)), bounds=BOUNDS)
def test_it_gives_an_integer_within_bounds_or_says_no(text: str, bounds: list[int]) -> None:
    low, high = bounds
    try:
        value = parse_int(text, low=low, high=high)
    except ValueError:
        return
    assert low <= value <= high
    assert text.strip().lstrip("+-").isascii()


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(value=st.integers(-(10**18), 10**18))
def test_it_reads_back_every_integer_it_writes(value: int) -> None:
    assert parse_int(str(value), low=-(10**18), high=10**18) == value
    assert parse_int(f"  {value} ", low=value, high=value) == value


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(
    text=st.one_of(
        st.text(),
        st.floats().map(str),
        st.decimals().map(str),
        st.floats(),
        st.decimals(),
        st.sampled_from(TRAPS),
    ),
    grouped=st.booleans(),
)
def test_it_gives_a_finite_decimal_within_bounds_or_says_no(text: object, grouped: bool) -> None:
    try:
        value = parse_decimal(text, low=Decimal(-100), high=Decimal(100), grouped=grouped)
    except ValueError:
        return
    assert value.is_finite() and Decimal(-100) <= value <= Decimal(100)
    assert value == value.quantize(Decimal("0.01"))


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(value=st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_it_reads_back_every_decimal_it_writes(value: Decimal) -> None:
    bound = Decimal(10**12)
    assert parse_decimal(str(value), low=-bound, high=bound) == value
    assert parse_decimal(f"{value:f}".replace(".", ","), low=-bound, high=bound) == value
