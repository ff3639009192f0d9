"""Reporting periods: a calendar year (`2019`), a quarter (`2019Q3`), a month (`2019-07`)
or an explicit range (`2018-07-05..2023-06-30`, also `05/07/2018..30/06/2023`).

A period is the half-open interval [start, end) of days. Breaking a period into years,
quarters or months clips each part to the period, so the parts add up to the whole.

A typed period lies within the years a typed date may take (lib/dates.py: 1900–2100), so
`0001-01-01..9999-12-31` is refused rather than split into ten thousand years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dangvu.lib.dates import FIRST_YEAR, LAST_YEAR, format_date, parse_date

_YEAR = re.compile(r"^([0-9]{4})$")
_QUARTER = re.compile(r"^([0-9]{4})\s*[Qq]([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
INVALID = (
    "Kỳ '{text}' không hợp lệ: ghi năm (2019), quý (2019Q3), tháng (2019-07) "
    "hoặc khoảng ngày (2018-07-05..2023-06-30)."
)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # exclusive
    label: str

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def display(self) -> str:
        """How the period reads in Vietnamese prose."""
        if _YEAR.match(self.label):
            return f"năm {self.label}"
        if match := _QUARTER.match(self.label):
            return f"quý {match.group(2)}/{match.group(1)}"
        if match := _MONTH.match(self.label):
            return f"tháng {int(match.group(2))}/{match.group(1)}"
        return f"từ {format_date(self.start)} đến {format_date(self.last_day)}"

    def _clip(self, start: date, end: date, label: str) -> Period | None:
        start, end = max(start, self.start), min(end, self.end)
        return Period(start, end, label) if start < end else None

    def years(self) -> list[Period]:
        parts = [
            self._clip(date(y, 1, 1), date(y + 1, 1, 1), str(y))
            for y in range(self.start.year, self.last_day.year + 1)
        ]
        return [p for p in parts if p]

    def quarters(self) -> list[Period]:
        parts = []
        for y in range(self.start.year, self.last_day.year + 1):
            for q in range(4):
                end = date(y + 1, 1, 1) if q == 3 else date(y, 3 * q + 4, 1)
                parts.append(self._clip(date(y, 3 * q + 1, 1), end, f"{y}Q{q + 1}"))
        return [p for p in parts if p]

    def months(self) -> list[Period]:
        parts = []
        for y in range(self.start.year, self.last_day.year + 1):
            for m in range(1, 13):
                end = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
                parts.append(self._clip(date(y, m, 1), end, f"{y}-{m:02d}"))
        return [p for p in parts if p]


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y + 1, 1, 1), str(y))


def between(start: date, last_day: date) -> Period:
    """The range from start to last_day, both included."""
    if last_day < start:
        raise ValueError("Ngày kết thúc phải không trước ngày bắt đầu.")
    return Period(
        start, last_day + timedelta(days=1), f"{start.isoformat()}..{last_day.isoformat()}"
    )


def parse_period(text: str) -> Period:
    """Parse a period written as in the exchange workbook and the command line."""
    raw = text.strip()
    try:
        if (match := _YEAR.match(raw) or _QUARTER.match(raw) or _MONTH.match(raw)) and not (
            FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR
        ):
            raise ValueError(raw)
        if match := _YEAR.match(raw):
            return year(int(match.group(1)))
        if match := _QUARTER.match(raw):
            y, q = int(match.group(1)), int(match.group(2))
            end = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
            return Period(date(y, 3 * q - 2, 1), end, f"{y}Q{q}")
        if match := _MONTH.match(raw):
            y, m = int(match.group(1)), int(match.group(2))
            end = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
            return Period(date(y, m, 1), end, f"{y}-{m:02d}")
        if ".." in raw:
            first, _, last = raw.partition("..")
            return between(parse_date(first), parse_date(last))
    except ValueError as error:
        raise ValueError(INVALID.format(text=text[:40])) from error
    raise ValueError(INVALID.format(text=text[:40]))
