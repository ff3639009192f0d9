"""The summary report as a DOCX in the Party's format (Hướng dẫn 36-HD/VPTW), for Đảng bộ
tỉnh Đắk Nông over the five years of Đề án 05, read back with python-docx and LibreOffice."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from dangvu.conftest import World
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Programme
from dangvu.indicators.registry import COMPUTATIONS
from dangvu.lib.docx_footnotes import footnotes_of
from dangvu.lib.periods import Period, between
from dangvu.reports import generate
from dangvu.reports.docx import FONT, party_date
from dangvu.reports.models import SummaryReport
from dangvu.reports.tests.conftest import NARRATIVE, REVIEW_CODES, save_report, yearly

OPERATOR = Viewer.operator()  # the figures as they are

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

ORG_SENTENCE = (
    "Đảng bộ tỉnh Đắk Nông hiện có 03 đảng bộ trực thuộc, 04 tổ chức cơ sở đảng "
    "(03 đảng bộ cơ sở, 01 chi bộ cơ sở), với tổng số 09 đảng viên."
)
SUPERVISION_SENTENCE = (
    "Trong 05 năm, Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội các cấp đã chủ "
    "trì tổ chức 899 cuộc giám sát, trong đó cấp tỉnh chủ trì tổ chức 35 cuộc giám sát, cấp "
    "huyện 199 cuộc giám sát, cấp xã 745 cuộc giám sát trên các lĩnh vực."
)
REVIEWS_SENTENCE = (
    "Kết quả từ năm 2019 - 2022 đã thực hiện kiểm điểm tự phê bình và phê bình đối với "
    "4.135 lượt tập thể và 102.021 lượt đảng viên."
)
REVIEWS_NOTE = [
    f"- Năm {year}: {c} tập thể và {r} trên tổng số {p} đảng viên có mặt đã kiểm điểm tự phê "
    f"bình và phê bình và {e} đảng viên không phải kiểm điểm."
    for year, c, r, p, e in (
        ("2019", "1.075", "24.986", "26.257", "1.271"),
        ("2020", "1.333", "25.149", "26.712", "1.563"),
        ("2021", "835", "25.555", "27.019", "1.464"),
        ("2022", "892", "26.331", "27.560", "1.229"),
    )
]
MEDIA_NOTE = (
    "Trên địa bàn hiện có 03 cơ quan báo chí của tỉnh; 03 cơ quan báo chí Trung ương thường "
    "trú; 30 cơ quan báo chí đăng ký hoạt động; khoảng 200 trang thông tin điện tử được cấp "
    "phép hoạt động."
)
HEADINGS = ["I.", "1.", "2.", "2.1.", "2.2.", "2.3.", "2.4.", "2.5.", "II.", "1.", "2."]
HEADINGS += ["III.", "IV."]
NUMBERED = re.compile(r"^((?:[IVX]+|\d+(?:\.\d+)?)\.) ")


def _open(content: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(content))


def _lines(table: Table, column: int) -> list[Paragraph]:
    return table.rows[0].cells[column].paragraphs


def _text_runs(paragraph: Paragraph) -> list[object]:
    return [run for run in paragraph.runs if run.text]


def _all(paragraph: Paragraph, attribute: str) -> bool:
    return all(getattr(run, attribute) for run in _text_runs(paragraph))


def _body(document: DocxDocument) -> list[Paragraph]:
    """The paragraphs after the title block (BÁO CÁO, the subject, the five dashes)."""
    paragraphs = document.paragraphs
    dash = next(i for i, p in enumerate(paragraphs) if p.text == "-----")
    return paragraphs[dash + 1 :]


def _index(paragraphs: list[Paragraph], text: str) -> int:
    return next(i for i, p in enumerate(paragraphs) if p.text == text)


@pytest.fixture
def content(summary: SummaryReport, reviews: None) -> bytes:
    return generate.render(summary, "docx", viewer=OPERATOR)


def test_it_writes_the_party_heading(content: bytes) -> None:
    document = _open(content)
    header = document.tables[0]
    left, right = _lines(header, 0), _lines(header, 1)

    assert [p.text for p in left] == ["ĐẢNG BỘ TỈNH ĐẮK NÔNG", "TỈNH ỦY", "*", "Số 371-BC/TU"]
    assert not _all(left[0], "bold")
    assert _all(left[1], "bold")
    assert ":" not in left[3].text
    assert right[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert _all(right[0], "bold") and _all(right[0], "underline")
    date_line = next(p for p in right if "ngày" in p.text)
    assert date_line.text == "Đắk Nông, ngày 21 tháng 7 năm 2023"
    assert _all(date_line, "italic")


def test_it_titles_the_report(content: bytes, summary: SummaryReport) -> None:
    paragraphs = _open(content).paragraphs
    title = _index(paragraphs, "BÁO CÁO")

    assert _all(paragraphs[title], "bold")
    assert paragraphs[title + 1].text == summary.title
    assert paragraphs[title + 2].text == "-----"


def test_it_writes_dates_with_the_leading_zero_rule() -> None:
    assert party_date("Đắk Nông", date(2023, 7, 21), 2023) == "Đắk Nông, ngày 21 tháng 7 năm 2023"
    assert party_date("Đắk Nông", date(2023, 2, 5), 2023) == "Đắk Nông, ngày 05 tháng 02 năm 2023"
    assert party_date("Đắk Nông", date(2023, 1, 15), 2023) == "Đắk Nông, ngày 15 tháng 01 năm 2023"
    assert party_date("Đắk Nông", date(2023, 12, 9), 2023) == "Đắk Nông, ngày 09 tháng 12 năm 2023"
    assert party_date("Đắk Nông", None, 2023) == "Đắk Nông, ngày     tháng     năm 2023"


def test_it_leaves_the_date_blank_with_the_period_end_year_until_signed(
    world: World, programme: Programme
) -> None:
    period = between(date(2018, 7, 5), date(2022, 12, 31))
    draft = generate.draft(unit=world.units["DN"], period=period, programme=programme)
    header = _open(generate.render(draft, "docx", viewer=OPERATOR)).tables[0]

    assert [p.text for p in _lines(header, 1) if "ngày" in p.text] == [
        "Đắk Nông, ngày     tháng     năm 2022"
    ]
    assert _lines(header, 0)[3].text == "Số       -BC/TU"


def test_it_sets_the_body_in_times_new_roman_14(content: bytes) -> None:
    document = _open(content)
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == (FONT, Pt(14))
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
    body = _body(document)
    assert body
    for paragraph in body:
        for run in _text_runs(paragraph):
            assert (run.font.name or normal.name) == FONT, paragraph.text
            assert (run.font.size or normal.size) == Pt(14), paragraph.text


def test_it_lays_out_the_sections_in_order(content: bytes) -> None:
    headings = [
        match.group(1)
        for p in _body(_open(content))
        if _all(p, "bold") and (match := NUMBERED.match(p.text))
    ]
    assert headings == HEADINGS


def test_it_writes_the_figures_from_the_indicators(content: bytes) -> None:
    texts = [p.text for p in _body(_open(content))]

    assert texts[0] == ORG_SENTENCE
    assert SUPERVISION_SENTENCE in texts
    assert REVIEWS_SENTENCE in texts
    assert any("định hướng thông tin về 40 vấn đề thu hút dư luận quan tâm" in t for t in texts)
    assert any(t.startswith("Đã có 0 đơn vị xây dựng kế hoạch") for t in texts)
    assert any("Tổ chức 0 cuộc khảo sát" in t for t in texts)
    assert any("Biểu dương, khen thưởng 0 tập thể, 0 cá nhân" in t for t in texts)
    # Computed from inspection cases: none in the world is a zero, written as such.
    assert any("kiểm tra dấu hiệu vi phạm đối với 0 tổ chức đảng" in t for t in texts)


def test_it_puts_the_narrative_in_its_sections(content: bytes) -> None:
    body = [p.text for p in _body(_open(content))]
    limits = body.index("1. Tồn tại, hạn chế"), body.index("2. Nguyên nhân")
    lessons = body.index("III. BÀI HỌC KINH NGHIỆM")
    tasks = body.index("IV. NHIỆM VỤ, GIẢI PHÁP TỪ NAY ĐẾN NĂM 2025")

    assert body[limits[0] + 1 : limits[1]] == NARRATIVE["II.1"].split("\n\n")
    assert body[lessons + 1 : tasks] == NARRATIVE["III"].split("\n\n")
    assert body[tasks + 1 :] == [NARRATIVE["IV"]]
    assert limits[1] + 1 == lessons  # II.2 was left empty: no paragraph under "2. Nguyên nhân"


def test_it_closes_with_the_recipients_and_the_signature(content: bytes) -> None:
    closing = _open(content).tables[-1]
    recipients = [p.text for p in _lines(closing, 0)]
    signature = [p for p in _lines(closing, 1) if p.text]

    assert recipients == [
        "Nơi nhận:",
        "- Ban Bí thư Trung ương Đảng,",
        "- Các đồng chí Tỉnh ủy viên,",
        "- Lưu Văn phòng Tỉnh ủy.",
    ]
    assert [p.text for p in signature] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lưu Văn Trung"]
    assert all(_all(p, "bold") for p in signature)


def test_it_writes_real_footnotes(content: bytes) -> None:
    notes = footnotes_of(io.BytesIO(content))
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        document_xml = package.read("word/document.xml").decode()

    assert document_xml.count("<w:footnoteReference ") == len(notes) == 4
    study, rewards, media, reviews = notes
    assert study[0].startswith("Toàn tỉnh đã tổ chức được 0 lớp học tập")
    assert study[1].startswith("Đến nay, (chưa có số liệu) đơn vị cấp huyện")
    assert rewards[0].startswith("Ban Thường vụ Tỉnh ủy tặng Bằng khen")
    assert media == [MEDIA_NOTE]
    assert reviews == REVIEWS_NOTE


def test_it_marks_the_reviews_note_right_after_its_sentence(content: bytes) -> None:
    paragraph = next(p for p in _body(_open(content)) if p.text == REVIEWS_SENTENCE)
    runs = list(paragraph._p.iter(f"{W}r"))
    marks = [i for i, r in enumerate(runs) if r.find(f"{W}footnoteReference") is not None]

    assert len(marks) == 1
    assert "".join(t.text for r in runs[marks[0] + 1 :] for t in r.iter(f"{W}t")) == "."


def test_it_writes_no_reviews_note_without_review_figures(summary: SummaryReport) -> None:
    """No review recorded in the world: the sentence says zero and has no yearly note."""
    content = generate.render(summary, "docx", viewer=OPERATOR)
    texts = [p.text for p in _body(_open(content))]

    assert len(footnotes_of(io.BytesIO(content))) == 3
    assert (
        "Kết quả trong kỳ đã thực hiện kiểm điểm tự phê bình và phê bình đối với "
        "0 lượt tập thể và 0 lượt đảng viên." in texts
    )


def test_it_names_a_single_year_of_reviews_without_a_range(
    world: World, programme: Programme, period: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    for code, value in zip(REVIEW_CODES, (12, 250, 260, 10), strict=True):
        monkeypatch.setitem(COMPUTATIONS, code, yearly({"2020": value}))
    content = generate.render(save_report(world, programme, period), "docx", viewer=OPERATOR)
    texts = [p.text for p in _body(_open(content))]

    assert (
        "Kết quả năm 2020 đã thực hiện kiểm điểm tự phê bình và phê bình đối với "
        "12 lượt tập thể và 250 lượt đảng viên." in texts
    )
    assert footnotes_of(io.BytesIO(content))[-1] == [
        "- Năm 2020: 12 tập thể và 250 trên tổng số 260 đảng viên có mặt đã kiểm điểm tự phê "
        "bình và phê bình và 10 đảng viên không phải kiểm điểm."
    ]


# -- LibreOffice ---------------------------------------------------------------------------


def _libreoffice() -> str:
    for candidate in ("/usr/bin/soffice", shutil.which("libreoffice"), shutil.which("soffice")):
        if candidate and os.path.exists(candidate):
            return candidate
    pytest.fail("LibreOffice is not installed: `apt-get install -y libreoffice-writer`.")


def _convert(source: Path, target: str, outdir: Path) -> Path:
    """Headless LibreOffice with its own profile (tests may run in parallel)."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [
        _libreoffice(),
        f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    produced = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert produced.is_file(), f"LibreOffice failed ({result.returncode}): {result.stderr}"
    return produced


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture
def docx_file(content: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(content)
    return path


def test_it_converts_to_pdf_with_libreoffice(docx_file: Path, tmp_path: Path) -> None:
    pdf = _convert(docx_file, "pdf", tmp_path / "pdf")
    data = pdf.read_bytes()

    assert data.startswith(b"%PDF")
    assert len(data) > 20_000
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # the footnote bodies are only in the laid-out pages
        result = subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        text = _squash(result.stdout)
        assert _squash(ORG_SENTENCE) in text
        assert _squash(MEDIA_NOTE) in text
        for line in REVIEWS_NOTE:
            assert _squash(line) in text


def test_it_converts_to_text_with_libreoffice(docx_file: Path, tmp_path: Path) -> None:
    # LibreOffice's text export keeps the footnote numbers, not the notes themselves.
    text = _convert(docx_file, "txt:Text", tmp_path / "txt").read_text(encoding="utf-8-sig")

    for line in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số 371-BC/TU", "BÁO CÁO", ORG_SENTENCE):
        assert line in text
    assert SUPERVISION_SENTENCE in text
    assert REVIEWS_SENTENCE.removesuffix(".") + "4." in text
    assert "trên báo chí, truyền thông, mạng xã hội3. Giai đoạn 2018 - 2023" in text
    assert "Nơi nhận:" in text and "Lưu Văn Trung" in text


def test_it_keeps_the_footnotes_through_a_libreoffice_round_trip(
    docx_file: Path, content: bytes, tmp_path: Path
) -> None:
    exported = _convert(docx_file, "docx:MS Word 2007 XML", tmp_path / "docx")

    assert footnotes_of(exported) == footnotes_of(io.BytesIO(content))
