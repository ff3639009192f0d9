"""Tests for dangvu.lib.docx_footnotes (python-docx only, no Django; LibreOffice for rendering)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Pt
from lxml import etree

from dangvu.lib.docx_footnotes import Footnotes, footnotes_of

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}

# Every Vietnamese vowel with every tone, both cases, plus đ/Đ (NFC).
VOWELS = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
VIETNAMESE = f"{VOWELS} {VOWELS.upper()} đĐ — “Đảng bộ phường Bến Nghé”"

# Footnotes of the sample document, in document order of their references.
NOTE_1 = "Nghị quyết số 21-NQ/TW ngày 16/6/2022 của Hội nghị Trung ương 5 khóa XIII."
NOTE_2 = "Quy định số 24-QĐ/TW ngày 30/7/2021 thi hành Điều lệ Đảng."
NOTE_3 = [
    "Hướng dẫn số 01-HD/TW ngày 28/9/2021 của Ban Bí thư.",
    "Xem thêm Kết luận số 21-KL/TW về đẩy mạnh xây dựng, chỉnh đốn Đảng.",
]
EXPECTED = [[NOTE_1], [NOTE_2], NOTE_3]
MID_RUN_TEXT = "Đảng viên phải chấp hành"
AFTER_MID_RUN = " nghiêm túc quy định của Đảng."


def _sample() -> tuple[DocxDocument, list[int]]:
    """A document with 3 footnotes: end of paragraph, mid-paragraph, multi-paragraph."""
    document = docx.Document()
    notes = Footnotes(document)
    first = document.add_paragraph("Thực hiện chủ trương của Trung ương.")
    second = document.add_paragraph()
    mid = second.add_run(MID_RUN_TEXT)
    mid.font.name = "Times New Roman"
    mid.font.size = Pt(14)
    second.add_run(AFTER_MID_RUN)
    third = document.add_paragraph("Cấp ủy tổ chức quán triệt.")
    ids = [
        notes.add(first, NOTE_1),
        notes.add_after_run(mid, NOTE_2),
        notes.add(third, NOTE_3),
    ]
    return document, ids


def _save(document: DocxDocument) -> io.BytesIO:
    stream = io.BytesIO()
    document.save(stream)
    stream.seek(0)
    return stream


def _xml(stream: io.BytesIO, name: str) -> etree._Element:
    """Root element of the package member `name`."""
    with zipfile.ZipFile(stream) as package:
        return etree.fromstring(package.read(name))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


@pytest.fixture
def saved() -> io.BytesIO:
    document, _ = _sample()
    return _save(document)


# -- structure ---------------------------------------------------------------


def test_it_returns_ids_one_to_three() -> None:
    _, ids = _sample()
    assert ids == [1, 2, 3]


def test_it_creates_the_footnotes_part_with_content_type_and_relationship(
    saved: io.BytesIO,
) -> None:
    reopened = docx.Document(saved)
    rels = [r for r in reopened.part.rels.values() if r.reltype == RT.FOOTNOTES]
    assert len(rels) == 1
    part = rels[0].target_part
    assert part.partname == "/word/footnotes.xml"
    assert part.content_type == CT.WML_FOOTNOTES
    assert CT.WML_FOOTNOTES == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    )
    assert (
        RT.FOOTNOTES
        == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
    )
    types = _xml(saved, "[Content_Types].xml")
    overrides = types.xpath(
        "ct:Override[@PartName='/word/footnotes.xml']/@ContentType", namespaces=NS
    )
    assert overrides == [CT.WML_FOOTNOTES]


def test_it_writes_separators_then_notes_with_ids_1_to_n(saved: io.BytesIO) -> None:
    root = _xml(saved, "word/footnotes.xml")
    notes = root.xpath("w:footnote", namespaces=NS)
    assert [(n.get(f"{{{W}}}type"), n.get(f"{{{W}}}id")) for n in notes] == [
        ("separator", "-1"),
        ("continuationSeparator", "0"),
        (None, "1"),
        (None, "2"),
        (None, "3"),
    ]
    assert notes[0].xpath("w:p/w:r/w:separator", namespaces=NS)
    assert notes[1].xpath("w:p/w:r/w:continuationSeparator", namespaces=NS)


def test_it_writes_exactly_three_references_in_document_order(saved: io.BytesIO) -> None:
    body = _xml(saved, "word/document.xml")
    refs = body.xpath("//w:footnoteReference", namespaces=NS)
    assert len(refs) == 3
    assert [r.get(f"{{{W}}}id") for r in refs] == ["1", "2", "3"]
    for ref in refs:  # the mark run carries the reference style
        assert ref.xpath("../w:rPr/w:rStyle/@w:val", namespaces=NS) == ["FootnoteReference"]


def test_it_puts_the_mid_paragraph_reference_right_after_the_run(saved: io.BytesIO) -> None:
    body = _xml(saved, "word/document.xml")
    paragraph = body.xpath("//w:body/w:p", namespaces=NS)[1]
    runs = paragraph.xpath("w:r", namespaces=NS)
    assert len(runs) == 3
    assert runs[0].xpath("string(w:t)", namespaces=NS) == MID_RUN_TEXT
    assert runs[1].xpath("w:footnoteReference/@w:id", namespaces=NS) == ["2"]
    assert runs[2].xpath("string(w:t)", namespaces=NS) == AFTER_MID_RUN
    # The mark takes the font and size of the run it follows.
    assert runs[1].xpath("w:rPr/w:sz/@w:val", namespaces=NS) == ["28"]
    assert runs[1].xpath("w:rPr/w:rFonts/@w:ascii", namespaces=NS) == ["Times New Roman"]
    reopened = docx.Document(saved)
    assert reopened.paragraphs[1].text == MID_RUN_TEXT + AFTER_MID_RUN


def test_it_puts_the_end_reference_last_in_the_paragraph(saved: io.BytesIO) -> None:
    body = _xml(saved, "word/document.xml")
    for paragraph, note_id in zip(
        body.xpath("//w:body/w:p", namespaces=NS)[::2], "13", strict=True
    ):
        last = paragraph.xpath("*[last()]", namespaces=NS)[0]
        assert last.xpath("w:footnoteReference/@w:id", namespaces=NS) == [note_id]


def test_it_reads_the_texts_back(saved: io.BytesIO) -> None:
    assert footnotes_of(saved) == EXPECTED


def test_it_reads_back_from_a_path(tmp_path: Path) -> None:
    document, _ = _sample()
    path = tmp_path / "notes.docx"
    document.save(str(path))
    assert footnotes_of(path) == EXPECTED
    assert footnotes_of(str(path)) == EXPECTED


def test_it_reads_no_footnotes_from_a_plain_document() -> None:
    document = docx.Document()
    document.add_paragraph("Không có chú thích.")
    assert footnotes_of(_save(document)) == []


def test_it_lays_out_each_note_like_word(saved: io.BytesIO) -> None:
    root = _xml(saved, "word/footnotes.xml")
    for note in root.xpath("w:footnote[not(@w:type)]", namespaces=NS):
        paragraphs = note.xpath("w:p", namespaces=NS)
        for p in paragraphs:
            assert p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == ["FootnoteText"]
        first_runs = paragraphs[0].xpath("w:r", namespaces=NS)
        assert first_runs[0].xpath("w:rPr/w:rStyle/@w:val", namespaces=NS) == ["FootnoteReference"]
        assert [_local(c) for c in first_runs[0] if _local(c) != "rPr"] == ["footnoteRef"]
        assert first_runs[1].xpath("string(w:t)", namespaces=NS) == " "
        # Only the first paragraph carries the number.
        assert len(note.xpath(".//w:footnoteRef", namespaces=NS)) == 1
    multi = root.xpath("w:footnote[@w:id='3']/w:p", namespaces=NS)
    assert len(multi) == 2


def test_it_adds_footnote_pr_to_settings_in_schema_order(saved: io.BytesIO) -> None:
    settings = _xml(saved, "word/settings.xml")
    footnote_pr = settings.xpath("w:footnotePr", namespaces=NS)
    assert len(footnote_pr) == 1
    assert footnote_pr[0].xpath("w:footnote/@w:id", namespaces=NS) == ["-1", "0"]
    # Default template: ... characterSpacingControl, savePreviewPicture | footnotePr | compat ...
    assert _local(footnote_pr[0].getprevious()) == "savePreviewPicture"
    assert _local(footnote_pr[0].getnext()) == "compat"


# Settings children of the default template that come after w:footnotePr, in order,
# then the w14 extension elements, which follow every standard one.
LATER_SETTINGS = [
    "compat",
    "rsids",
    "mathPr",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotAutoCompressPictures",
    "shapeDefaults",
    "decimalSymbol",
    "listSeparator",
    "docId",
]


@pytest.mark.parametrize("n_removed", [1, 2, 3, 5, 9])
def test_it_places_footnote_pr_before_the_first_later_settings_element(n_removed: int) -> None:
    removed, expected_next = LATER_SETTINGS[:n_removed], LATER_SETTINGS[n_removed]
    document = docx.Document()
    settings = document.settings.element
    for child in list(settings):
        if _local(child) in removed:
            settings.remove(child)
    Footnotes(document)
    footnote_pr = settings.xpath("w:footnotePr")[0]
    assert _local(footnote_pr.getprevious()) == "savePreviewPicture"
    assert _local(footnote_pr.getnext()) == expected_next


def test_it_adds_the_styles_once_even_when_constructed_twice() -> None:
    document = docx.Document()
    first = Footnotes(document)
    second = Footnotes(document)
    paragraph = document.add_paragraph("Một.")
    assert first.add(paragraph, "a") == 1
    assert second.add(paragraph, "b") == 2  # ids continue across instances
    stream = _save(document)
    styles = _xml(stream, "word/styles.xml")
    assert len(styles.xpath("w:style[@w:styleId='FootnoteText']", namespaces=NS)) == 1
    assert len(styles.xpath("w:style[@w:styleId='FootnoteReference']", namespaces=NS)) == 1
    settings = _xml(stream, "word/settings.xml")
    assert len(settings.xpath("w:footnotePr/w:footnote", namespaces=NS)) == 2
    footnotes = _xml(stream, "word/footnotes.xml")
    assert len(footnotes.xpath("w:footnote[@w:type]", namespaces=NS)) == 2
    assert footnotes_of(stream) == [["a"], ["b"]]


def test_it_defines_the_styles(saved: io.BytesIO) -> None:
    styles = _xml(saved, "word/styles.xml")
    text = styles.xpath("w:style[@w:styleId='FootnoteText']", namespaces=NS)[0]
    assert text.get(f"{{{W}}}type") == "paragraph"
    assert text.xpath("w:name/@w:val", namespaces=NS) == ["footnote text"]
    assert text.xpath("w:basedOn/@w:val", namespaces=NS) == ["Normal"]
    assert text.xpath("w:pPr/w:jc/@w:val", namespaces=NS) == ["both"]
    spacing = text.xpath("w:pPr/w:spacing", namespaces=NS)[0]
    assert spacing.get(f"{{{W}}}after") == "0"
    assert (spacing.get(f"{{{W}}}line"), spacing.get(f"{{{W}}}lineRule")) == ("240", "auto")
    fonts = text.xpath("w:rPr/w:rFonts", namespaces=NS)[0]
    assert {fonts.get(f"{{{W}}}{a}") for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }
    assert text.xpath("w:rPr/w:sz/@w:val", namespaces=NS) == ["20"]
    ref = styles.xpath("w:style[@w:styleId='FootnoteReference']", namespaces=NS)[0]
    assert ref.get(f"{{{W}}}type") == "character"
    assert ref.xpath("w:name/@w:val", namespaces=NS) == ["footnote reference"]
    assert ref.xpath("w:rPr/w:vertAlign/@w:val", namespaces=NS) == ["superscript"]
    reopened = docx.Document(saved)
    assert reopened.styles["footnote text"].font.size == Pt(10)


def test_it_uses_the_given_font_and_size() -> None:
    document = docx.Document()
    Footnotes(document, font_name="Arial", size_pt=11.5)
    style = document.styles["footnote text"]
    assert style.font.name == "Arial"
    assert style.font.size == Pt(11.5)


def test_it_keeps_existing_styles() -> None:
    document = docx.Document()
    custom = document.styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    custom.font.size = Pt(12)
    notes = Footnotes(document, size_pt=9)
    notes.add(document.add_paragraph("x"), "y")
    root = document.styles.element
    assert len(root.xpath("w:style[@w:type='paragraph'][w:name/@w:val='Footnote Text']")) == 1
    assert not root.xpath("w:style[w:name/@w:val='footnote text']")
    assert custom.font.size == Pt(12)


def test_it_round_trips_vietnamese_exactly() -> None:
    document = docx.Document()
    notes = Footnotes(document)
    nfd = unicodedata.normalize("NFD", VIETNAMESE)
    assert nfd != VIETNAMESE
    paragraph = document.add_paragraph(VIETNAMESE)
    notes.add(paragraph, VIETNAMESE)
    notes.add(paragraph, [nfd, f"  {VIETNAMESE}  "])  # no normalisation, spaces kept
    assert footnotes_of(_save(document)) == [[VIETNAMESE], [nfd, f"  {VIETNAMESE}  "]]


def test_it_writes_tabs_and_line_breaks() -> None:
    document = docx.Document()
    Footnotes(document).add(document.add_paragraph("x"), "Điều 1.\tMục a\nMục b")
    stream = _save(document)
    assert footnotes_of(stream) == [["Điều 1.\tMục a\nMục b"]]
    note = _xml(stream, "word/footnotes.xml").xpath("w:footnote[@w:id='1']", namespaces=NS)[0]
    assert note.xpath(".//w:tab", namespaces=NS)
    assert note.xpath(".//w:br", namespaces=NS)


def test_it_reuses_the_part_of_a_reopened_document(saved: io.BytesIO) -> None:
    document = docx.Document(saved)  # python-docx loads footnotes.xml as an opaque part
    notes = Footnotes(document)
    Footnotes(document)
    assert notes.add(document.add_paragraph("Bổ sung."), "Chú thích thứ tư.") == 4
    stream = _save(document)
    reopened = docx.Document(stream)
    rels = [r for r in reopened.part.rels.values() if r.reltype == RT.FOOTNOTES]
    assert len(rels) == 1
    assert [p.partname for p in reopened.part.package.iter_parts()].count(
        "/word/footnotes.xml"
    ) == 1
    assert footnotes_of(stream) == [*EXPECTED, ["Chú thích thứ tư."]]
    root = _xml(stream, "word/footnotes.xml")
    assert root.xpath("w:footnote/@w:id", namespaces=NS) == ["-1", "0", "1", "2", "3", "4"]
    assert len(_xml(stream, "word/settings.xml").xpath("//w:footnotePr", namespaces=NS)) == 1
    styles = _xml(stream, "word/styles.xml")
    assert len(styles.xpath("w:style[@w:styleId='FootnoteText']", namespaces=NS)) == 1
    body = _xml(stream, "word/document.xml")
    assert len(body.xpath("//w:footnoteReference", namespaces=NS)) == 4


def test_it_rejects_paragraphs_outside_the_body() -> None:
    document = docx.Document()
    notes = Footnotes(document)
    header_paragraph = document.sections[0].header.paragraphs[0]
    with pytest.raises(ValueError, match="main document body"):
        notes.add(header_paragraph, "x")
    other = docx.Document().add_paragraph("khác")
    with pytest.raises(ValueError, match="main document body"):
        notes.add(other, "x")


def test_it_rejects_empty_or_bad_text() -> None:
    document = docx.Document()
    notes = Footnotes(document)
    paragraph = document.add_paragraph("x")
    with pytest.raises(ValueError, match="non-empty list"):
        notes.add(paragraph, [])
    with pytest.raises(ValueError, match="non-empty list"):
        notes.add(paragraph, ["a", 1])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="size_pt"):
        Footnotes(document, size_pt=0)
    assert not _xml(_save(document), "word/document.xml").xpath(
        "//w:footnoteReference", namespaces=NS
    )


# -- LibreOffice --------------------------------------------------------------


def _libreoffice() -> str:
    """LibreOffice binary; FAILS (not skips) when missing, since CI installs it."""
    for candidate in ("/usr/bin/soffice", shutil.which("libreoffice"), shutil.which("soffice")):
        if candidate and os.path.exists(candidate):
            return candidate
    pytest.fail(
        "LibreOffice is not installed (no /usr/bin/soffice, no `libreoffice` on PATH): "
        "cannot check that the footnotes render. Install it, e.g. "
        "`apt-get install -y libreoffice-writer`."
    )


def _convert(source: Path, target: str, outdir: Path) -> Path:
    """Convert `source` with headless LibreOffice (own profile, 120 s timeout)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / "lo-profile").as_uri()
    command = [
        _libreoffice(),
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    produced = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert produced.is_file(), (
        f"LibreOffice did not produce {produced.name} (exit {result.returncode}):\n"
        f"{result.stdout}\n{result.stderr}"
    )
    return produced


def _squash(text: str) -> str:
    """NFC, single spaces: PDF text extraction rewraps and may decompose."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture
def sample_docx(tmp_path: Path) -> Path:
    document, _ = _sample()
    path = tmp_path / "chu-thich.docx"
    document.save(str(path))
    return path


def test_it_renders_the_footnotes_to_pdf_with_libreoffice(
    sample_docx: Path, tmp_path: Path
) -> None:
    pdf = _convert(sample_docx, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        result = subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        text = _squash(result.stdout)
        for note in EXPECTED:
            for paragraph in note:
                assert _squash(paragraph) in text


def test_it_survives_a_libreoffice_docx_round_trip(sample_docx: Path, tmp_path: Path) -> None:
    # LibreOffice re-exports only what it imported as real footnotes.
    exported = _convert(sample_docx, "docx:MS Word 2007 XML", tmp_path / "docx")
    assert footnotes_of(exported) == EXPECTED


def test_it_is_numbered_in_document_order_by_libreoffice(sample_docx: Path, tmp_path: Path) -> None:
    txt = _convert(sample_docx, "txt:Text (encoded):UTF8", tmp_path / "txt")
    text = txt.read_text(encoding="utf-8-sig")
    assert "Thực hiện chủ trương của Trung ương.1" in text
    assert f"{MID_RUN_TEXT}2{AFTER_MID_RUN}" in text
    assert "Cấp ủy tổ chức quán triệt.3" in text


def test_it_extends_a_document_saved_by_libreoffice(sample_docx: Path, tmp_path: Path) -> None:
    # A foreign template: separators have ids 0/1, styles are "Footnote"/"FootnoteAnchor".
    exported = _convert(sample_docx, "docx:MS Word 2007 XML", tmp_path / "docx")
    document = docx.Document(str(exported))
    notes = Footnotes(document)
    paragraph = document.add_paragraph("Đoạn bổ sung.")
    new_id = notes.add(paragraph, VIETNAMESE)
    stream = _save(document)
    root = _xml(stream, "word/footnotes.xml")
    ids = [int(i) for i in root.xpath("w:footnote/@w:id", namespaces=NS)]
    assert new_id == max(ids) and len(set(ids)) == len(ids)
    assert len(root.xpath("w:footnote[@w:type]", namespaces=NS)) == 2
    assert footnotes_of(stream) == [*EXPECTED, [VIETNAMESE]]
    styles = _xml(stream, "word/styles.xml")
    names = [n.lower() for n in styles.xpath("w:style/w:name/@w:val", namespaces=NS)]
    assert names.count("footnote text") == 1
    assert names.count("footnote reference") == 1
    assert len(_xml(stream, "word/settings.xml").xpath("//w:footnotePr", namespaces=NS)) == 1
