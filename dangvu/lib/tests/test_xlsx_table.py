"""Reading one table of an uploaded workbook."""

from __future__ import annotations

import io

import xlsxwriter

from dangvu.lib.xlsx_table import NOT_A_WORKBOOK, Messages, cell_text, read_table

SAYS = Messages(no_sheet="no sheet", empty="empty", too_many="more than {n}")


def _book(sheet: str, rows: list[list[object]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    page = book.add_worksheet(sheet)
    for n, row in enumerate(rows):
        page.write_row(n, 0, row)
    book.close()
    return out.getvalue()


def read(raw: bytes, max_rows: int = 10):
    return read_table(
        raw, sheet="Phiếu", columns=["Đơn vị", "Câu 1"], max_rows=max_rows, messages=SAYS
    )


def test_it_matches_sheet_and_headers_ignoring_case_and_diacritics() -> None:
    raw = _book("PHIEU", [["câu 1", "don vi"], [2.0, "DN.A"], [None, None], ["", "DN.B"]])
    table, problems = read(raw)
    assert problems == [] and table is not None
    assert [(n, table.get(r, "Đơn vị"), table.get(r, "Câu 1")) for n, r in table.rows] == [
        (2, "DN.A", "2"),
        (4, "DN.B", ""),
    ]


def test_it_says_what_is_wrong() -> None:
    assert read(b"not a workbook") == (None, [NOT_A_WORKBOOK])
    assert read(_book("Khác", [["Đơn vị"]])) == (None, ["no sheet"])
    assert read(_book("Phiếu", [["Đơn vị"], ["DN.A"]])) == (
        None,
        ['Thiếu cột "Câu 1" ở dòng tiêu đề.'],
    )
    assert read(_book("Phiếu", [["Đơn vị", "Câu 1"]])) == (None, ["empty"])
    rows = [["Đơn vị", "Câu 1"]] + [["DN.A", 1]] * 3
    assert read(_book("Phiếu", rows), max_rows=2) == (None, ["more than 2"])
    assert cell_text("  a \n b ") == "a b" and cell_text(3.0) == "3" and cell_text(None) == ""
