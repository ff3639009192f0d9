"""The report as a workbook: one sheet per group (organisation, leadership, task groups),
indicators down (one row per key), the years of the period across, then the whole period."""

from __future__ import annotations

import io
import re
from typing import Any

from dangvu.indicators.disclosure import WITHHELD_TEXT, withheld
from dangvu.indicators.engine import Values
from dangvu.indicators.selectors import Report, figures
from dangvu.lib.xlsx_book import Book


def _in_year(values: Values, year: str, key: str) -> float | None:
    """The year's value; by-month and by-quarter indicators (flows) add up into their year."""
    parts = [
        value
        for label, row in values.items()
        if label == year or re.fullmatch(rf"{year}(?:Q[1-4]|-\d\d)", label)
        if (value := row.get(key)) is not None
    ]
    return sum(parts) if parts else None


def _write(sheet: Any, row: int, col: int, value: float | None, number: Any) -> None:
    """A figure, "không công bố" where it is withheld from the reader, nothing if missing."""
    if value is None:
        return
    if withheld(value):
        sheet.write_string(row, col, WITHHELD_TEXT)
    else:
        sheet.write_number(row, col, value, number)


def build_xlsx(data: Report) -> bytes:
    period = data.period
    years = [p.label for p in period.years()]
    indicators = [line.indicator for block in data.blocks for line in block.lines]
    yearly = figures(
        viewer=data.viewer, targets=[data.unit], period=period, indicators=indicators, split="year"
    )
    out = io.BytesIO()
    book = Book(out)
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
    number = book.add_format({"num_format": "#,##0"})
    for block in data.blocks:
        group = block.group
        name = f"Nhom {group.number}" if group.number else "To chuc"
        sheet = book.add_worksheet(name[:31])
        sheet.write(0, 0, f"{group.number} {group.title}".strip(), bold)
        sheet.write(1, 0, f"{data.unit_name} — {period.display()}")
        headers = ["Mã chỉ tiêu", "Chỉ tiêu", "Khóa", *years, "Cả kỳ", "Nguồn"]
        for col, text in enumerate(headers):
            sheet.write(3, col, text, head)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 60)
        sheet.set_column(2, 2, 18)
        sheet.set_column(3, 3 + len(years), 11)
        row = 4
        for line in block.lines:
            by_year = yearly.of(line.indicator.code, data.unit.pk)
            labels = dict(line.key_labels)
            keys = sorted(
                {k for r in by_year.values() for k in r},
                key=lambda k: list(labels).index(k) if k in labels else 99,
            ) or [""]
            for key in keys:
                sheet.write(row, 0, line.indicator.code)
                sheet.write(row, 1, line.indicator.label)
                sheet.write(row, 2, labels.get(key, key))
                for col, year in enumerate(years, start=3):
                    _write(sheet, row, col, _in_year(by_year, year, key), number)
                whole = [v.get(key) for v in line.values.values()]
                present = [v for v in whole if v is not None]
                if present:
                    _write(sheet, row, 3 + len(years), sum(present), number)
                sheet.write(
                    row,
                    4 + len(years),
                    {"computed": "tính từ dữ liệu", "entered": "nhập tổng hợp"}.get(
                        line.status, "chưa có số liệu"
                    ),
                )
                row += 1
        note = next((line.published.note for line in block.lines if line.published), "")
        if note:  # why some figures are withheld from this reader
            sheet.write(row + 1, 0, note)
        sheet.freeze_panes(4, 2)
    book.close()
    return out.getvalue()
