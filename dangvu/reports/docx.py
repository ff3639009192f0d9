"""The summary report as a DOCX in the Party's document format (Hướng dẫn 36-HD/VPTW):
the issuing body and "ĐẢNG CỘNG SẢN VIỆT NAM" in the header, number and symbol without a
colon, italic place and date, the title, Times New Roman 14 body, real footnotes, "Nơi
nhận" and the signature block."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

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


def build_docx(summary: SummaryReport, paras: list[Para], *, year: int) -> bytes:
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
    if summary.superior:
        _line(left, summary.superior.upper(), size=14)
    _line(left, summary.issuer.upper(), bold=True, size=14)
    _line(left, "*", size=14)
    _line(left, summary.number_line, size=14)
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    _line(right, "")
    _line(right, party_date(summary.place, summary.issued_on, year), italic=True, size=14)

    title = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    _run(title, "BÁO CÁO", bold=True, size=16)
    subject = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _run(subject, summary.title, bold=True, size=14)
    dash = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _run(dash, "-----", size=14)

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

    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    left, right = closing.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    first = left.paragraphs[0]
    _format(first, align=WD_ALIGN_PARAGRAPH.LEFT, before=12, after=0)
    _run(first, "Nơi nhận:", underline=True, size=14)
    for line in [r.strip() for r in summary.recipients.splitlines() if r.strip()]:
        paragraph = left.add_paragraph()
        _format(paragraph, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
        _run(paragraph, line if line.startswith("-") else f"- {line}", size=12)
    _line(right, summary.signer_role.upper(), bold=True, size=14)
    _line(right, summary.signer_title.upper(), bold=True, size=14)
    for _ in range(3):
        _line(right, "")
    if summary.signer_name:
        _line(right, summary.signer_name, bold=True, size=14)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
