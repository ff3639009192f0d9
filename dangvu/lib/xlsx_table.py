"""The one reader of uploaded workbooks: bounded before it is read, then read with calamine.

An .xlsx file is a zip of XML. A 5 kB upload can hold one cell at the sheet's last
position (XFD1048576) — calamine then lays out every cell up to it in memory, gigabytes
for one request — or an entry that unpacks to gigabytes. So before calamine sees the
bytes, `read_sheets` checks, with plain Python and nothing held but one entry at a time:

- the upload's size, the number of entries and their declared unpacked size;
- each entry unpacked for real, counting (the declared sizes may lie) against the
  workbook's budget, with its CRC checked;
- the farthest cell that holds something, from the cell references of the XML (the
  `<dimension>` element is only a hint a file may lie in), against the rows and columns
  allowed, and the area calamine would lay out against the cells allowed.

Anything over a bound is refused with a Vietnamese message and nothing read. The limits
depend on what is uploaded (`Bounds`): the exchange workbook of a whole province, or the
small tables of a page (`read_table`: question banks, paper survey sheets).

`read_table` reads one named table for an all-or-nothing import: the sheet found ignoring
case and diacritics, its header row matched to the expected columns, the non-empty rows
below with their row numbers — or the messages that say why not.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from dangvu.lib.dates import format_number
from dangvu.lib.vietnamese import fold

NOT_A_WORKBOOK = "Tệp không phải là tệp Excel (.xlsx) đọc được."
MISSING_COLUMN = 'Thiếu cột "{name}" ở dòng tiêu đề.'
FILE_TOO_LARGE = "Tệp quá lớn (tối đa {mb} MB)."
UNPACKED_TOO_LARGE = "Tệp Excel quá lớn khi giải nén (tối đa {mb} MB dữ liệu)."
TOO_MANY_PARTS = "Tệp Excel có quá nhiều thành phần (tối đa {n})."
CELL_TOO_FAR = (
    "Bảng tính có ô đến dòng {row}, cột {column}, vượt giới hạn {rows} dòng, {columns} cột. "
    "Hãy xóa các dòng, cột thừa (kể cả ô gõ nhầm ở xa) rồi gửi lại."
)
TOO_MANY_CELLS = "Bảng tính quá lớn: tối đa {cells} ô (số dòng × số cột của các trang tính)."

MB = 1024 * 1024


@dataclass(frozen=True)
class Bounds:
    """What one kind of upload may hold."""

    file: int  # bytes uploaded
    unpacked: int  # bytes of all entries once unpacked
    rows: int  # the last row holding something, per sheet
    columns: int  # the last column holding something, per sheet
    cells: int  # rows × columns, summed over the sheets (what calamine lays out)
    entries: int = 1000


#: The exchange workbook of a province: the demo's (33,390 members, five years of records)
#: is 6.6 MB, 66 MB unpacked, 1.4 million cells in its sheets' areas, 14 columns at most.
EXCHANGE = Bounds(file=50 * MB, unpacked=500 * MB, rows=1_000_000, columns=100, cells=20_000_000)
#: A page's small table (a question bank, a survey's paper sheets).
TABLE = Bounds(file=10 * MB, unpacked=50 * MB, rows=20_000, columns=200, cells=2_000_000)


class Unreadable(ValueError):
    """The upload is refused before it is read; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAWorkbook(Unreadable):
    """Not an .xlsx at all (a page may say so in its own words)."""

    def __init__(self) -> None:
        super().__init__(NOT_A_WORKBOOK)


def upload_bytes(upload: IO[bytes], bounds: Bounds = TABLE) -> bytes:
    """The bytes of an upload, but never more than one byte past what the reader accepts:
    a larger file is refused by `read_sheets` without being held."""
    return upload.read(bounds.file + 1)


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


FAR = 10**9  # beyond any bound


def _row_index(digits: bytes) -> int:
    return int(digits) - 1 if len(digits) < 10 else FAR


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + char - 64
    return index - 1


# The usual form, as Excel and XlsxWriter write it: every cell element `<c r="B2" ...>`,
# unprefixed, its reference first.
_COLUMN = re.compile(rb'<c r="([A-Za-z]{1,3})[0-9]')
_ROW = re.compile(rb'<c r="[A-Za-z]{1,3}([0-9]{1,7})"')
_ODD_CELL = re.compile(rb"<c[>/\t\n\r]")  # a cell element without attributes, or laid out
_PREFIX_HINT = re.compile(rb":(?:c|row)[\s/>]")  # cheap: a colon is rare in a sheet
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row)[\s/>]")
# Any form: rows and cells with or without a prefix or a reference.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])([A-Za-z]*)([0-9]+)\1""")


def extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) of the cells of a sheet's XML, 0-based, as calamine places
    them; (-1, -1) for none. Conservative: a cell counts even when it holds nothing."""
    prefixed = _PREFIX_HINT.search(xml) and _PREFIXED.search(xml)
    if not prefixed and not _ODD_CELL.search(xml):
        columns, rows = _COLUMN.findall(xml), _ROW.findall(xml)
        if len(columns) == len(rows) == xml.count(b"<c "):
            # Every cell carries its reference: the farthest ones are the answer.
            if not rows:
                return -1, -1
            return max(map(int, rows)) - 1, max(_column_index(c) for c in set(columns))
    return _walk(xml)


def _walk(xml: bytes) -> tuple[int, int]:
    """Element by element, for the unusual forms: a cell without a reference comes right
    after the one before it, a row without one right after the one before it."""
    row = column = last_row = last_column = -1
    for match in _TAG.finditer(xml):
        kind, attributes = match.groups()
        ref = _REF.search(attributes)
        if kind == b"row":
            row = _row_index(ref.group(3)) if ref and not ref.group(2) else row + 1
            column = -1
            continue
        if ref and ref.group(2):
            row = max(row, _row_index(ref.group(3)))
            column = _column_index(ref.group(2)) if len(ref.group(2)) < 5 else FAR
        else:
            column += 1
        last_row, last_column = max(last_row, row), max(last_column, column)
    return last_row, last_column


def check_workbook(raw: bytes, bounds: Bounds) -> None:
    """Raise Unreadable unless `raw` is an .xlsx within `bounds` (see the module's
    docstring). Reads nothing with calamine."""
    if len(raw) > bounds.file:
        raise Unreadable(FILE_TOO_LARGE.format(mb=bounds.file // MB))
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
        entries = book.infolist()
    except Exception as error:  # not a zip, or a broken one
        raise NotAWorkbook() from error
    if len(entries) > bounds.entries:
        raise Unreadable(TOO_MANY_PARTS.format(n=bounds.entries))
    if "xl/workbook.xml" not in book.namelist():  # an .ods, .xlsb or another zip
        raise NotAWorkbook()
    too_large = Unreadable(UNPACKED_TOO_LARGE.format(mb=bounds.unpacked // MB))
    if sum(entry.file_size for entry in entries) > bounds.unpacked:
        raise too_large
    unpacked = cells = 0
    for entry in entries:
        data = _unpack(book, entry, bounds.unpacked - unpacked, too_large)
        unpacked += len(data)
        last_row, last_column = extent(data)
        if last_row >= bounds.rows or last_column >= bounds.columns:
            raise Unreadable(
                CELL_TOO_FAR.format(
                    row=format_number(last_row + 1),
                    column=column_letters(min(last_column, 16383)),
                    rows=format_number(bounds.rows),
                    columns=bounds.columns,
                )
            )
        cells += (last_row + 1) * (last_column + 1)
        if cells > bounds.cells:
            raise Unreadable(TOO_MANY_CELLS.format(cells=format_number(bounds.cells)))


def _unpack(
    book: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int, too_large: Unreadable
) -> bytes:
    """The entry unpacked, counting what comes out rather than trusting its header."""
    probe = copy.copy(entry)
    probe.file_size = budget + 1  # read on past the declared size, up to the budget
    del probe.CRC  # checked here, over everything that comes out
    parts, size, crc = [], 0, 0
    try:
        with book.open(probe) as stream:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > budget:
                    raise too_large
                crc = zlib.crc32(chunk, crc)
                parts.append(chunk)
    except Unreadable:
        raise
    except Exception as error:  # encrypted, an unknown compression, a broken stream
        raise NotAWorkbook() from error
    if size != entry.file_size or crc != entry.CRC:
        raise NotAWorkbook()
    return b"".join(parts)


Rows = list[list[Any]]


def read_sheets(
    raw: bytes, *, bounds: Bounds, wanted: Callable[[list[str]], list[str]] | None = None
) -> list[tuple[str, Rows]]:
    """The sheets' cell values from row 1 (dates as dates, empty cells as ""), checked
    against `bounds` first; `wanted` picks which sheets to read from their names (all by
    default). Raises Unreadable."""
    from python_calamine import CalamineWorkbook

    check_workbook(raw, bounds)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = wanted(book.sheet_names) if wanted else book.sheet_names
        return [
            (name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in names
        ]
    except Exception as error:  # calamine raises its own errors for any unreadable file
        raise NotAWorkbook() from error


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: whole numbers without ".0", spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


@dataclass(frozen=True)
class Table:
    index: dict[str, int]  # column name -> position in a row
    rows: list[tuple[int, list[Any]]]  # (row number as Excel shows it, cells)

    def get(self, row: list[Any], column: str) -> str:
        i = self.index[column]
        return cell_text(row[i]) if i < len(row) else ""


@dataclass(frozen=True)
class Messages:
    """What a page says, in its own words, when the sheet is missing, empty or too long."""

    no_sheet: str
    empty: str
    too_many: str  # with {n}


def read_table(
    raw: bytes,
    *,
    sheet: str,
    columns: Sequence[str],
    max_rows: int,
    messages: Messages,
    bounds: Bounds = TABLE,
) -> tuple[Table | None, list[str]]:
    def named(names: list[str]) -> list[str]:
        found = {fold(n).strip(): n for n in names}.get(fold(sheet))
        return [found] if found is not None else []

    try:
        sheets = read_sheets(raw, bounds=bounds, wanted=named)
    except Unreadable as refused:
        return None, [refused.message]
    if not sheets:
        return None, [messages.no_sheet]
    rows = sheets[0][1]
    if not rows:
        return None, [messages.empty]
    header = {fold(cell_text(v)).strip(): i for i, v in enumerate(rows[0])}
    index: dict[str, int] = {}
    problems = []
    for column in columns:
        found = header.get(fold(column))
        if found is None:
            problems.append(MISSING_COLUMN.format(name=column))
        else:
            index[column] = found
    if problems:
        return None, problems
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(cell_text(v) for v in r)]
    if not body:
        return None, [messages.empty]
    if len(body) > max_rows:
        return None, [messages.too_many.format(n=max_rows)]
    return Table(index, body), []
