"""Numbers typed by people — in a form, an address, a workbook cell — read before use.

`int()` and `Decimal()` take more than a person types and more than a column holds:
"²".isdigit() is True but int("²") raises; int() reads "٣" (an Arabic-Indic 3) and
thousands of digits; Decimal() reads "NaN", "Infinity" and "1e999999", which then break a
comparison or a database column. These two parsers take ASCII digits only, within bounds
the caller names, and raise ValueError (with a Vietnamese message) for anything else.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: The largest key a table holds (BigAutoField): an id beyond it names nothing.
MAX_ID = 2**63 - 1

_INTEGER = re.compile(r"[+-]?[0-9]{1,25}")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,25}(?:\.[0-9]{1,25})?")
NOT_AN_INTEGER = "“{text}” không phải số nguyên từ {low} đến {high}."
NOT_A_NUMBER = "“{text}” không phải số từ {low} đến {high}."


def _shown(text: object) -> str:
    raw = str(text)
    return raw if len(raw) <= 40 else raw[:40] + "…"


def parse_int(text: object, *, low: int, high: int) -> int:
    """A whole number between low and high (both included), written in ASCII digits with
    an optional sign and surrounding spaces; an int is taken as it is (not a bool)."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    elif isinstance(text, str) and _INTEGER.fullmatch(raw := text.strip()):
        value = int(raw)
    else:
        raise ValueError(NOT_AN_INTEGER.format(text=_shown(text), low=low, high=high))
    if not low <= value <= high:
        raise ValueError(NOT_AN_INTEGER.format(text=_shown(text), low=low, high=high))
    return value


def int_or_none(text: object, *, low: int, high: int) -> int | None:
    """parse_int, or None for anything else (a filter that is simply not applied)."""
    try:
        return parse_int(text, low=low, high=high)
    except ValueError:
        return None


def parse_decimal(
    text: object, *, low: Decimal, high: Decimal, places: int = 2, grouped: bool = False
) -> Decimal:
    """A finite number between low and high, rounded to `places` decimals. Typed text
    takes a comma or a point as the decimal mark ("8,5", "8.5"); `grouped`: the Vietnamese
    way, where points group thousands and the comma marks decimals ("27.210", "3,5"). A
    number from a workbook cell (int, float, Decimal) is taken as it is."""
    refused = ValueError(NOT_A_NUMBER.format(text=_shown(text), low=low, high=high))
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        raw = str(text)
    elif isinstance(text, str):
        raw = text.strip()
        raw = raw.replace(".", "").replace(",", ".") if grouped else raw.replace(",", ".")
        if not _DECIMAL.fullmatch(raw):
            raise refused
    else:
        raise refused
    try:
        value = Decimal(raw)
    except InvalidOperation as error:
        raise refused from error
    if not value.is_finite() or not low <= value <= high:
        raise refused
    return value.quantize(Decimal(10) ** -places)
