"""Every workbook dangvu writes (exports, templates) is opened here, so that every value is
written by its type and text is always text.

XlsxWriter's `write()` guesses by default: a string beginning with "=" becomes a live
formula and one beginning with "http://" a hyperlink. A member's name or a free-text
answer typed as `=HYPERLINK("http://…","…")` would then run in the Excel of the officer
who downloads the export (formula injection). A `Book` turns those guesses off, and its
sheets' `write`, `write_row` and `write_column` decide by the value's type: text with
`write_string` (whatever it begins with), numbers with `write_number`, dates with
`write_datetime` (dd/mm/yyyy), True/False as "Có"/"Không", None as an empty cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
#: Never turn a string into something else (a formula, a link, a number).
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class Sheet(Worksheet):
    """A worksheet whose writes go by the value's type (row and column numbers only, no
    "A1" notation)."""

    book: Book

    def write(self, row: int, col: int, value: Any, cell_format: Format | None = None) -> int:
        if value is None or value == "":
            return int(self.write_blank(row, col, None, cell_format))
        if isinstance(value, bool):
            return int(self.write_string(row, col, "Có" if value else "Không", cell_format))
        if isinstance(value, int | float | Decimal):
            try:
                number = float(value)
            except OverflowError:  # an integer beyond what a cell holds: its digits
                return int(self.write_string(row, col, str(value), cell_format))
            if not math.isfinite(number):
                return int(self.write_blank(row, col, None, cell_format))
            return int(self.write_number(row, col, number, cell_format))
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(LOCAL).replace(tzinfo=None)
            return int(
                self.write_datetime(row, col, value, cell_format or self.book.datetime_format)
            )
        if isinstance(value, dt.date):
            return int(self.write_datetime(row, col, value, cell_format or self.book.date_format))
        return int(self.write_string(row, col, str(value), cell_format))

    def write_row(
        self, row: int, col: int, values: Iterable[Any], cell_format: Format | None = None
    ) -> int:
        for offset, value in enumerate(values):
            self.write(row, col + offset, value, cell_format)
        return 0

    def write_column(
        self, row: int, col: int, values: Iterable[Any], cell_format: Format | None = None
    ) -> int:
        for offset, value in enumerate(values):
            self.write(row + offset, col, value, cell_format)
        return 0


class Book(xlsxwriter.Workbook):
    """A workbook written into `out`. `constant_memory`: rows are flushed as they are
    written (they must then come in order) — for the large exchange workbook."""

    worksheet_class = Sheet

    def __init__(self, out: IO[bytes], *, constant_memory: bool = False) -> None:
        memory = {"constant_memory": True} if constant_memory else {"in_memory": True}
        super().__init__(out, {**OPTIONS, **memory})
        self.date_format = self.add_format({"num_format": DATE_FORMAT})
        self.datetime_format = self.add_format({"num_format": DATETIME_FORMAT})

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Sheet:
        sheet: Sheet = super().add_worksheet(name, worksheet_class)
        sheet.book = self
        return sheet
