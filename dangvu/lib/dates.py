"""Dates the Vietnamese way: dd/mm/yyyy on screen and in files, ISO accepted too.

A typed date is read in ASCII digits only and within the years dangvu can hold a record
for (FIRST_YEAR..LAST_YEAR): `date.max` (9999-12-31) is a day after which nothing can be
computed, and the effective-dated tables keep it as "open ended"."""

from __future__ import annotations

import re
from datetime import date, datetime

_VN = re.compile(r"^\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})\s*$")
_ISO = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*$")
#: The Party was founded in 1930; members born before 1900 are not alive.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_date(text: str) -> date:
    """Parse `05/07/2018`, `5/7/2018` or `2018-07-05` (a year from 1900 to 2100); raise
    ValueError otherwise."""
    invalid = f"'{text[:40]}' không phải ngày hợp lệ (dd/mm/yyyy)"
    match = _VN.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(invalid)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{invalid}: năm phải từ {FIRST_YEAR} đến {LAST_YEAR}")
    try:
        return date(year, month, day)
    except ValueError as error:  # 31/02/2023 and the like
        raise ValueError(invalid) from error


def format_date(value: date | datetime | None) -> str:
    """`05/07/2018`; an empty string for None."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_number(value: int | float) -> str:
    """Vietnamese number format: 27.210 and 3,5."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _, frac = f"{value:,.2f}".rstrip("0").rstrip(".").partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if frac else whole
