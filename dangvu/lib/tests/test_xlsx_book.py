"""Writing workbooks: text stays text, whatever it begins with (lib/xlsx_book.py)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

import dangvu
from dangvu.lib.xlsx_book import Book

#: What a hostile member may type as a name or a free-text answer.
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "=1+1",
    "{=A1}",
    "http://example.org/",
    "mailto:a@example.org",
    "1e5",
    "0012",
]


def live_parts(raw: bytes) -> list[str]:
    """Formulas and hyperlinks anywhere in a workbook: the sheets' XML, as Excel reads it."""
    found = []
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = book.read(name).decode()
                found += [f"{name}: {m}" for m in re.findall(r"<f[ >][^<]*|<hyperlink[^>]*", xml)]
            if name.startswith("xl/worksheets/_rels/") and b"hyperlink" in book.read(name):
                found.append(name)
    return found


def cells(raw: bytes) -> list[tuple[str, object]]:
    """Every cell of every sheet, read back with openpyxl: (data type, value)."""
    book = openpyxl.load_workbook(io.BytesIO(raw))
    return [
        (cell.data_type, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _written(*values: object) -> bytes:
    out = io.BytesIO()
    book = Book(out)
    sheet = book.add_worksheet("Trang")
    sheet.write_row(0, 0, values)
    sheet.write_column(1, 0, values)
    for n, value in enumerate(values):
        sheet.write(len(values) + 1 + n, 1, value)
    book.close()
    return out.getvalue()


def test_it_writes_text_as_text_whatever_it_begins_with() -> None:
    raw = _written(*HOSTILE)
    assert live_parts(raw) == []
    found = cells(raw)
    assert all(kind == "s" for kind, _ in found)
    assert sorted(str(v) for _, v in found) == sorted(HOSTILE * 3)


def test_it_writes_each_value_by_its_type() -> None:
    aware = datetime(2025, 7, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    raw = _written(
        3, 2.5, Decimal("7.25"), True, False, date(2018, 7, 5), aware, None, "", float("nan")
    )
    book = openpyxl.load_workbook(io.BytesIO(raw))
    row = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert row[:7] == [
        3,
        2.5,
        7.25,
        "Có",
        "Không",
        datetime(2018, 7, 5),
        datetime(2025, 7, 1, 8, 30),
    ]
    assert len(row) == 7  # None, "" and NaN: empty cells
    assert book.worksheets[0]["F1"].number_format == "dd/mm/yyyy"


def test_it_is_the_only_place_that_opens_a_workbook_for_writing() -> None:
    """Every export and template goes through `Book`: no module opens XlsxWriter itself."""
    root = Path(dangvu.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "xlsx_book.py"
        and re.search(r"^\s*(import xlsxwriter|from xlsxwriter)", path.read_text(), re.M)
    ]
    assert offenders == []
