"""Dates the Vietnamese way: dd/mm/yyyy on screen and in files, ISO accepted too."""

from __future__ import annotations

import re
from datetime import date, datetime

_VN = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str) -> date:
    """Parse `05/07/2018`, `5/7/2018` or `2018-07-05`; raise ValueError otherwise."""
    invalid = f"'{text}' không phải ngày hợp lệ (dd/mm/yyyy)"
    match = _VN.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(invalid)
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
