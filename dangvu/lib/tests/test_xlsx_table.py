"""Reading one table of an uploaded workbook."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import pytest
import python_calamine
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.lib.xlsx_table import (
    CELL_TOO_FAR,
    FILE_TOO_LARGE,
    MB,
    NOT_A_WORKBOOK,
    TABLE,
    TOO_MANY_CELLS,
    TOO_MANY_PARTS,
    UNPACKED_TOO_LARGE,
    Messages,
    cell_text,
    column_letters,
    extent,
    read_table,
    upload_bytes,
)

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


# Hostile uploads: refused before calamine reads anything.

FAR = (1_048_575, 16_383)  # XFD1048576, the sheet's last cell


def _far_book(row: int, col: int, sheet: str = "Phiếu") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    page = book.add_worksheet(sheet)
    page.write_row(0, 0, ["Đơn vị", "Câu 1"])
    page.write_row(1, 0, ["DN.A", 1])
    page.write(row, col, "x")
    book.close()
    return out.getvalue()


def _rewritten(raw: bytes, name: str, data: bytes) -> bytes:
    """`raw` with the entry `name` replaced by (or added as) `data`."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename != name:
                target.writestr(entry.filename, source.read(entry))
        target.writestr(name, data)
    return out.getvalue()


SHEET_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"%s<sheetData>%s</sheetData></worksheet>"
)
HEADER = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xc4\x90\xc6\xa1n v\xe1\xbb\x8b</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>C\xc3\xa2u 1</t></is></c></row>'
)


def _with_sheet(body: bytes, head: bytes = b"") -> bytes:
    return _rewritten(_book("Phiếu", [["x"]]), "xl/worksheets/sheet1.xml", SHEET_XML % (head, body))


@pytest.fixture
def unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine must not be reached: the reader refuses first."""

    class Untouchable:
        @classmethod
        def from_filelike(cls, *args: object, **kwargs: object) -> None:
            raise AssertionError("calamine read a file the reader should have refused")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Untouchable)


def too_far(cell: str) -> str:
    column, row = re.fullmatch(r"([A-Z]+)([0-9]+)", cell).groups()  # type: ignore[union-attr]
    return CELL_TOO_FAR.format(
        row=f"{int(row):,}".replace(",", "."), column=column, rows="20.000", columns=200
    )


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        (_far_book(*FAR), "XFD1048576"),
        (_far_book(1_048_575, 0), "B1048576"),  # a million rows
        (_far_book(5, 200), "GS6"),
        # The <dimension> says A1:B2; the cells say otherwise.
        (
            _with_sheet(
                HEADER + b'<row r="9"><c r="XFD1048576"><v>1</v></c></row>',
                b'<dimension ref="A1:B2"/>',
            ),
            "XFD1048576",
        ),
        # A cell inside row 1 that names a far row itself.
        (_with_sheet(b'<row r="1"><c r="A1048576"><v>1</v></c></row>'), "A1048576"),
        # No references: a row placed far, and its cells counted one after another.
        (_with_sheet(b'<row r="900000"><c><v>1</v></c><c><v>2</v></c></row>'), "B900000"),
        (_with_sheet(b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"), "KN1"),
        # A namespace prefix, single quotes, spaces around "=", lower-case letters.
        (
            _with_sheet(b"<x:row xmlns:x='urn:x' r='1'><x:c r = 'xfd5'><x:v>1</x:v></x:c></x:row>"),
            "XFD5",
        ),
    ],
)
def test_it_refuses_a_cell_beyond_the_bounds_before_reading(
    raw: bytes, cell: str, unread: None
) -> None:
    assert read(raw) == (None, [too_far(cell)])


def test_it_refuses_more_cells_than_the_bounds_allow(unread: None) -> None:
    bounds = replace(TABLE, cells=1000)
    raw = _far_book(999, 1)  # 1,000 rows × 2 columns
    assert read_table(
        raw, sheet="Phiếu", columns=["Đơn vị"], max_rows=10, messages=SAYS, bounds=bounds
    ) == (None, [TOO_MANY_CELLS.format(cells="1.000")])


def test_it_refuses_a_file_that_unpacks_beyond_the_bounds(unread: None) -> None:
    bomb = _rewritten(_book("Phiếu", [["x"]]), "xl/media/image1.png", bytes(51 * MB))
    assert len(bomb) < 100_000  # a small upload
    assert read(bomb) == (None, [UNPACKED_TOO_LARGE.format(mb=50)])


def _declared(raw: bytes, name: str, size: int) -> bytes:
    """`raw` with the entry's declared unpacked size (both headers) set to `size`."""
    data = bytearray(raw)
    encoded = name.encode()
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at != -1:
            if data[at + name_at : at + name_at + len(encoded)] == encoded:
                data[at + offset : at + offset + 4] = size.to_bytes(4, "little")
            at = data.find(signature, at + 1)
    return bytes(data)


def test_it_counts_what_unpacks_not_what_the_headers_declare(unread: None) -> None:
    bomb = _rewritten(_book("Phiếu", [["x"]]), "xl/media/image1.png", bytes(51 * MB))
    lying = _declared(bomb, "xl/media/image1.png", 100)
    assert sum(e.file_size for e in zipfile.ZipFile(io.BytesIO(lying)).infolist()) < MB
    assert read(lying) == (None, [UNPACKED_TOO_LARGE.format(mb=50)])
    small = _rewritten(_book("Phiếu", [["x"]]), "xl/media/image1.png", bytes(1000))
    assert read(_declared(small, "xl/media/image1.png", 10)) == (None, [NOT_A_WORKBOOK])


def test_it_refuses_what_is_not_an_xlsx(unread: None) -> None:
    garbage = b"PK\x03\x04" + bytes(range(256)) * 20  # looks like a zip, named .xlsx
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as odf:
        odf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        odf.writestr("content.xml", "<office:document-content/>")
    assert read(garbage) == (None, [NOT_A_WORKBOOK])
    assert read(other_zip.getvalue()) == (None, [NOT_A_WORKBOOK])
    assert read(b"") == (None, [NOT_A_WORKBOOK])


def test_it_refuses_an_upload_larger_than_the_bounds(unread: None) -> None:
    raw = _book("Phiếu", [["Đơn vị", "Câu 1"], ["DN.A", 1]])
    small = replace(TABLE, file=len(raw) - 1)
    upload = io.BytesIO(raw)
    kept = upload_bytes(upload, small)
    assert len(kept) == len(raw)  # at most one byte past the bound is held
    assert read_table(
        kept, sheet="Phiếu", columns=["Đơn vị"], max_rows=10, messages=SAYS, bounds=small
    ) == (None, [FILE_TOO_LARGE.format(mb=0)])
    too_many = replace(TABLE, entries=3)
    assert read_table(
        raw, sheet="Phiếu", columns=["Đơn vị"], max_rows=10, messages=SAYS, bounds=too_many
    ) == (None, [TOO_MANY_PARTS.format(n=3)])


def test_it_reads_a_file_within_the_bounds_as_before() -> None:
    raw = _far_book(9_999, 199)  # 10,000 rows × 200 columns: the cells allowed
    table, problems = read(raw)
    assert problems == [] and table is not None
    assert [n for n, _ in table.rows] == [2, 10_000]


# The scanner against calamine itself: wherever calamine puts a cell, `extent` reaches it.

CELL_FORMS = st.sampled_from(["ref", "noref", "empty", "selfclosing"])


@st.composite
def sheet_xml(draw: st.DrawFn) -> bytes:
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row_ref = draw(st.one_of(st.none(), st.integers(1, 60)))
        cells = []
        for _ in range(draw(st.integers(0, 5))):
            form = draw(CELL_FORMS)
            where = f"{column_letters(draw(st.integers(0, 40)))}{draw(st.integers(1, 60))}"
            ref = f' r="{where}"' if form != "noref" else ""
            if form == "selfclosing":
                cells.append(f"<c{ref}/>")
            elif form == "empty":
                cells.append(f'<c{ref} s="0"></c>')
            else:
                cells.append(f"<c{ref}><v>{draw(st.integers(0, 9))}</v></c>")
        row = f' r="{row_ref}"' if row_ref is not None else ""
        rows.append(f"<row{row}>{''.join(cells)}</row>")
    return "".join(rows).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=sheet_xml())
def test_it_finds_every_cell_calamine_would_lay_out(body: bytes) -> None:
    raw = _with_sheet(body)
    last_row, last_column = extent(SHEET_XML % (b"", body))
    try:
        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_name(
            "Phiếu"
        )
    except Exception:  # calamine refuses some of these forms: nothing is laid out
        return
    if sheet.end is not None:
        assert sheet.end[0] <= last_row and sheet.end[1] <= last_column


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 300), st.booleans()), max_size=12)
)
def test_it_finds_the_farthest_cell_of_an_excel_file_exactly(
    cells: list[tuple[int, int, bool]],
) -> None:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    page = book.add_worksheet("Phiếu")
    blank = book.add_format({"bold": True})
    for row, col, empty in cells:
        if empty:
            page.write_blank(row, col, None, blank)  # a formatted empty cell: <c r=".." s="1"/>
        else:
            page.write_number(row, col, 1)
    book.close()
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    expected = (
        max((r for r, _, _ in cells), default=-1),
        max((c for _, c, _ in cells), default=-1),
    )
    assert extent(xml) == expected
