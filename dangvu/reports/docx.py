"""The summary report as a DOCX in the Party's document format (Hướng dẫn 36-HD/VPTW):
the issuing body and "ĐẢNG CỘNG SẢN VIỆT NAM" in the header, number and symbol without a
colon, italic place and date, the title, Times New Roman 14 body, real footnotes, "Nơi
nhận" and the signature block. The pieces are shared with a unit's report in a round
(rounds/docx.py): `start_document`, `add_paragraph`, `finish_document`, and the annexes of
figures after the signature."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from dangvu.indicators.disclosure import WITHHELD_TEXT, withheld
from dangvu.indicators.models import Indicator
from dangvu.lib.dates import format_number
from dangvu.lib.docx_footnotes import Footnotes
from dangvu.reports.compose import Note, Para
from dangvu.reports.models import SummaryReport

FONT = "Times New Roman"


def party_date(place: str, day: date | None, year: int) -> str:
    """ "Đắk Nông, ngày 05 tháng 02 năm 2023": day under 10 and months 1–2 take a 0."""
    if day is None:
        return f"{place}, ngày     tháng     năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _format(
    paragraph: Paragraph,
    *,
    align: int = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    before: int = 0,
    after: int = 6,
) -> Paragraph:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1.27)
    return paragraph


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = 14,
) -> Run:
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    return run


def _line(cell: _Cell, text: str, **kwargs: object) -> Paragraph:
    paragraph = (
        cell.add_paragraph()
        if cell.paragraphs[0].text or len(cell.paragraphs) > 1
        else cell.paragraphs[0]
    )
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _run(paragraph, text, **kwargs)  # type: ignore[arg-type]
    return paragraph


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl.tblPr.append(borders)


def _page_numbers(section: object) -> None:
    """Page numbers from the second page on, centred at the top (the first page has none)."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), FONT)
    fonts.set(qn("w:hAnsi"), FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    properties.extend([fonts, size])
    text = OxmlElement("w:t")
    text.text = "2"
    run.extend([properties, text])
    field.append(run)
    paragraph._p.append(field)


@dataclass
class Letterhead:
    """What a Party report says around its body: who issues it (under whom), its number,
    place and date, its subject, where it goes and who signs it."""

    superior: str
    issuer: str
    number_line: str
    date_line: str
    title: str
    recipients: str
    signer_role: str
    signer_title: str
    signer_name: str


@dataclass
class AnnexRow:
    """A line of an annex table: an indicator's label, its unit of count and one cell a
    column (already written the Vietnamese way); a group's heading has no cells."""

    label: str
    unit_label: str = ""
    cells: list[str] = field(default_factory=list)
    group: bool = False


@dataclass
class Annex:
    """A table of figures after the signature, on a page of its own (landscape when its
    columns do not fit upright): indicators down, units across."""

    title: str
    subtitle: str
    lines: list[str]  # sentences under the title (what the figures are, how many units)
    columns: list[str]
    rows: list[AnnexRow]
    notes: list[str] = field(default_factory=list)  # under the table, in small italics


#: A cell with no figure at all, and the note under a table that has one.
NO_FIGURE = "–"
NO_FIGURE_NOTE = "Dấu «–»: chưa có số liệu."


def figure_text(value: float | int | None) -> str:
    """A figure in a table: 27.210 and 3,5; "–" when there is none; "không công bố"
    where it is withheld from the reader."""
    if value is None:
        return NO_FIGURE
    if withheld(value):
        return WITHHELD_TEXT
    return format_number(value)


def number_line(number: str, symbol: str) -> str:
    """ "Số 12-BC/HU"; blank spaces for the number until it is given."""
    return f"Số {number.strip() or '      '}-{symbol}"


def figure_rows(items: Sequence[tuple[Indicator, list[str]]]) -> list[AnnexRow]:
    """Indicators with their cells, under the heading of their group (in the given order)."""
    rows: list[AnnexRow] = []
    group_id = None
    for indicator, cells in items:
        if indicator.group_id != group_id:
            group_id = indicator.group_id
            group = indicator.group
            rows.append(
                AnnexRow(
                    f"{group.number}. {group.title}" if group.number else group.title, group=True
                )
            )
        rows.append(AnnexRow(indicator.label, indicator.unit_label, cells))
    return rows


def start_document(head: Letterhead) -> tuple[DocxDocument, Footnotes]:
    """A4 upright, Times New Roman 14, page numbers from the second page, the header table
    (issuing body, "ĐẢNG CỘNG SẢN VIỆT NAM", number, place and date) and the title."""
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    notes = Footnotes(document, font_name=FONT, size_pt=10)
    _page_numbers(section)

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    if head.superior:
        _line(left, head.superior.upper(), size=14)
    _line(left, head.issuer.upper(), bold=True, size=14)
    _line(left, "*", size=14)
    _line(left, head.number_line, size=14)
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    _line(right, "")
    _line(right, head.date_line, italic=True, size=14)

    title = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    _run(title, "BÁO CÁO", bold=True, size=16)
    subject = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _run(subject, head.title, bold=True, size=14)
    dash = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _run(dash, "-----", size=14)
    return document, notes


def add_paragraph(document: DocxDocument, text: str, *, heading: bool = False) -> Paragraph:
    """A body paragraph, indented; a heading is bold with a little space before it."""
    paragraph = document.add_paragraph()
    _format(paragraph, indent=True, before=6 if heading else 0)
    if text:
        _run(paragraph, text, bold=heading)
    return paragraph


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs of a typed text: blank lines separate them."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def finish_document(
    document: DocxDocument, head: Letterhead, annexes: Sequence[Annex] = ()
) -> bytes:
    """ "Nơi nhận" and the signature block, then each annex on a page of its own."""
    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    left, right = closing.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    first = left.paragraphs[0]
    _format(first, align=WD_ALIGN_PARAGRAPH.LEFT, before=12, after=0)
    _run(first, "Nơi nhận:", underline=True, size=14)
    for line in [r.strip() for r in head.recipients.splitlines() if r.strip()]:
        paragraph = left.add_paragraph()
        _format(paragraph, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
        _run(paragraph, line if line.startswith("-") else f"- {line}", size=12)
    _line(right, head.signer_role.upper(), bold=True, size=14)
    _line(right, head.signer_title.upper(), bold=True, size=14)
    for _ in range(3):
        _line(right, "")
    if head.signer_name:
        _line(right, head.signer_name, bold=True, size=14)
    for annex in annexes:
        _add_annex(document, annex)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


#: Up to this many columns of figures the annex stays upright; more go landscape, and
#: beyond LANDSCAPE_COLUMNS the units are split into several tables.
PORTRAIT_COLUMNS = 3
LANDSCAPE_COLUMNS = 13
LABEL_MM = 58.0  # the least width of the indicators' labels


def _add_annex(document: DocxDocument, annex: Annex) -> None:
    wide = len(annex.columns) > PORTRAIT_COLUMNS
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if wide:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(15), Mm(15)
        section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    section.different_first_page_header_footer = False
    width_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    title = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _run(title, annex.title, bold=True, size=14)
    if annex.subtitle:
        sub = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        _run(sub, annex.subtitle, italic=True, size=13)
    for text in annex.lines:
        line = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        _run(line, text, size=13)
    per_table = LANDSCAPE_COLUMNS if wide else PORTRAIT_COLUMNS
    groups = max(1, -(-len(annex.columns) // per_table))
    size = -(-len(annex.columns) // groups) if annex.columns else 0
    for n in range(groups):
        chosen = range(n * size, min(len(annex.columns), (n + 1) * size))
        if n:
            _format(document.add_paragraph(), after=6)
        _annex_table(document, annex, list(chosen), width_mm, wide)
    for text in annex.notes:
        note = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT, before=6, after=0)
        _run(note, text, italic=True, size=11)


def _annex_table(
    document: DocxDocument, annex: Annex, chosen: list[int], width_mm: float, wide: bool
) -> None:
    size = 10 if wide else 12
    unit_mm = 18.0 if wide else 25.0
    # The figures' columns share what the label's least width leaves, up to 30 mm each;
    # the label takes the rest.
    cell_mm = min(30.0, (width_mm - LABEL_MM - unit_mm) / max(1, len(chosen)))
    label_mm = width_mm - unit_mm - cell_mm * len(chosen)
    widths = [Mm(label_mm), Mm(unit_mm), *[Mm(cell_mm)] * len(chosen)]
    table = document.add_table(rows=1, cols=2 + len(chosen))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    heads = ["Chỉ tiêu", "Đơn vị tính", *[annex.columns[i] for i in chosen]]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _cell(cell, text, bold=True, size=size - 1, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    for row in annex.rows:
        cells = table.add_row().cells
        if row.group:
            merged = cells[0].merge(cells[-1])
            _cell(merged, row.label, bold=True, size=size, align=WD_ALIGN_PARAGRAPH.LEFT)
            continue
        _cell(cells[0], row.label, size=size, align=WD_ALIGN_PARAGRAPH.LEFT)
        _cell(cells[1], row.unit_label, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
        for cell, i in zip(cells[2:], chosen, strict=True):
            _cell(cell, row.cells[i], size=size, align=WD_ALIGN_PARAGRAPH.RIGHT)
    # LibreOffice lays the table out by its grid, Word by the cells: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for table_row in table.rows:
        cells = table_row.cells
        if len({id(c._tc) for c in cells}) == len(cells):
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width


def _cell(cell: _Cell, text: str, *, size: float, align: int, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    _format(paragraph, align=align, after=0)
    paragraph.paragraph_format.line_spacing = 1.0
    _run(paragraph, text, bold=bold, size=size)


def _repeat_header(row: object) -> None:
    """The heading row repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def summary_letterhead(summary: SummaryReport, *, year: int) -> Letterhead:
    return Letterhead(
        superior=summary.superior,
        issuer=summary.issuer,
        number_line=summary.number_line,
        date_line=party_date(summary.place, summary.issued_on, year),
        title=summary.title,
        recipients=summary.recipients,
        signer_role=summary.signer_role,
        signer_title=summary.signer_title,
        signer_name=summary.signer_name,
    )


def build_docx(
    summary: SummaryReport, paras: list[Para], *, year: int, annexes: Sequence[Annex] = ()
) -> bytes:
    """The committee's summary report; `annexes` after the signature (the figures of the
    units that reported to it in a round)."""
    head = summary_letterhead(summary, year=year)
    document, notes = start_document(head)
    for para in paras:
        paragraph = document.add_paragraph()
        if para.style == "body":
            _format(paragraph, indent=True)
        else:
            _format(paragraph, indent=True, before=6)
        for part in para.parts:
            if isinstance(part, Note):
                anchor = paragraph.runs[-1] if paragraph.runs else _run(paragraph, "")
                notes.add_after_run(anchor, part.paragraphs)
            else:
                _run(paragraph, part, bold=para.style != "body")
    return finish_document(document, head, annexes)
