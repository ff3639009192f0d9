"""One table of an uploaded workbook, read for an all-or-nothing import: the named sheet
(found ignoring case and diacritics), its header row matched to the expected columns, the
non-empty rows below with their row numbers — or the messages that say why not.

Used by the templates that ship with a page (question banks, paper survey sheets); the
exchange workbook has its own reader for many sheets (exchange/services.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dangvu.lib.vietnamese import fold

NOT_A_WORKBOOK = "Tệp không phải là tệp Excel (.xlsx) đọc được."
MISSING_COLUMN = 'Thiếu cột "{name}" ở dòng tiêu đề.'


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
    raw: bytes, *, sheet: str, columns: Sequence[str], max_rows: int, messages: Messages
) -> tuple[Table | None, list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = {fold(n).strip(): n for n in book.sheet_names}
        name = names.get(fold(sheet))
        if name is None:
            return None, [messages.no_sheet]
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own errors for any unreadable file
        return None, [NOT_A_WORKBOOK]
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
