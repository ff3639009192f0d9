"""The workbooks of assessments: the question bank's template and its reading, and the
results of an assessment.

The question bank: every bad cell listed, in Vietnamese. One sheet, "Câu hỏi", one
question per row:

    Phần, mục | Loại | Câu hỏi | Phương án A … Phương án F | Đáp án đúng

`Phần, mục` is the number of a section of the document (as listed on the "Các phần" sheet
of the template) or its title, or blank. `Loại` is "Một đáp án", "Nhiều đáp án" or
"Đúng/Sai" (blank: one answer). `Đáp án đúng` is letters ("B", "A, C"); for Đúng/Sai the
options may be left blank (they are "Đúng" and "Sai") and the answer may be written
"Đúng" or "Sai". Headers match ignoring case and diacritics.

The results (`workbook`): per member (for readers who see member records), per cell, per
question.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dangvu.assessments.models import QuestionKind
from dangvu.assessments.selectors import Results
from dangvu.documents.models import Document, Section
from dangvu.lib.numbers import int_or_none
from dangvu.lib.vietnamese import fold
from dangvu.lib.xlsx_book import Book
from dangvu.lib.xlsx_table import NOT_A_WORKBOOK as NOT_A_WORKBOOK  # said to the uploader
from dangvu.lib.xlsx_table import Messages, read_table

SHEET = "Câu hỏi"
LETTERS = "ABCDEF"
COLUMNS = ["Phần, mục", "Loại", "Câu hỏi", *(f"Phương án {x}" for x in LETTERS), "Đáp án đúng"]
KINDS = {
    "mot dap an": QuestionKind.SINGLE,
    "chon mot dap an": QuestionKind.SINGLE,
    "nhieu dap an": QuestionKind.MULTIPLE,
    "chon nhieu dap an": QuestionKind.MULTIPLE,
    "dung/sai": QuestionKind.TRUE_FALSE,
    "dung / sai": QuestionKind.TRUE_FALSE,
    "dung sai": QuestionKind.TRUE_FALSE,
}
KIND_LABELS = {
    QuestionKind.SINGLE: "Một đáp án",
    QuestionKind.MULTIPLE: "Nhiều đáp án",
    QuestionKind.TRUE_FALSE: "Đúng/Sai",
}
NO_SHEET = 'Không có trang tính "Câu hỏi" (hãy dùng tệp mẫu).'
EMPTY = "Tệp không có câu hỏi nào."
TOO_MANY = "Mỗi lần nhập tối đa {n} câu hỏi."
MAX_ROWS = 2000


@dataclass(frozen=True)
class ParsedQuestion:
    row: int
    section: Section | None
    kind: str
    text: str
    options: list[tuple[str, bool]]


def template(document: Document) -> bytes:
    """The template for this document: the questions sheet with two examples, and the
    document's sections with their numbers."""
    out = io.BytesIO()
    book = Book(out)
    head = book.add_format({"bold": True, "bg_color": "#FBE9E7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, COLUMNS, head)
    sheet.set_column(0, 1, 14, wrap)
    sheet.set_column(2, 2, 48, wrap)
    sheet.set_column(3, 3 + len(LETTERS) - 1, 22, wrap)
    sheet.set_column(3 + len(LETTERS), 3 + len(LETTERS), 12, wrap)
    sheet.freeze_panes(1, 0)
    sheet.data_validation(
        1, 1, MAX_ROWS, 1, {"validate": "list", "source": list(KIND_LABELS.values())}
    )
    sections = list(document.sections.all())
    first = "1" if sections else ""
    sheet.write_row(
        1,
        0,
        [
            first,
            "Một đáp án",
            "Ví dụ: Đại hội XIII xác định mấy nhiệm vụ trọng tâm?",
            "4",
            "6",
            "8",
            "12",
            "",
            "",
            "B",
        ],
    )
    sheet.write_row(
        2,
        0,
        [
            first,
            "Đúng/Sai",
            "Ví dụ: Nghị quyết được học tập trong toàn Đảng.",
            "",
            "",
            "",
            "",
            "",
            "",
            "Đúng",
        ],
    )
    guide = book.add_worksheet("Các phần")
    guide.write_row(0, 0, ["Số", "Phần, mục của văn bản"], head)
    guide.set_column(0, 0, 8)
    guide.set_column(1, 1, 80)
    for number, section in enumerate(sections, start=1):
        guide.write_row(number, 0, [number, section.title])
    note = len(sections) + 2
    guide.write(note, 1, f"Văn bản: {document.display}")
    guide.write(
        note + 1,
        1,
        "Cột Loại: Một đáp án, Nhiều đáp án hoặc Đúng/Sai. "
        "Cột Đáp án đúng: chữ cái của phương án đúng, ví dụ B hoặc A, C.",
    )
    guide.write(
        note + 2,
        1,
        "Xóa hai dòng ví dụ trước khi nhập. Tệp có lỗi thì không câu nào "
        "được nhập; danh sách lỗi chỉ rõ từng ô.",
    )
    book.close()
    return out.getvalue()


def parse(raw: bytes, document: Document) -> tuple[list[ParsedQuestion], list[str]]:
    """Every question of the file, or every problem with it (`dòng 4, cột Loại: ...`)."""
    table, problems = read_table(
        raw,
        sheet=SHEET,
        columns=COLUMNS,
        max_rows=MAX_ROWS,
        messages=Messages(no_sheet=NO_SHEET, empty=EMPTY, too_many=TOO_MANY),
    )
    if table is None:
        return [], problems
    sections = list(document.sections.all())
    by_title = {fold(s.title).strip(): s for s in sections}
    parsed: list[ParsedQuestion] = []
    for number, row in table.rows:

        def get(column: str, row: list[Any] = row) -> str:
            return table.get(row, column)

        def bad(column: str, reason: str, number: int = number) -> None:
            problems.append(f"Dòng {number}, cột {column}: {reason}")

        before = len(problems)
        section = None
        where = get("Phần, mục")
        if where:
            if (position := int_or_none(where, low=1, high=len(sections))) is not None:
                section = sections[position - 1]
            elif fold(where).strip() in by_title:
                section = by_title[fold(where).strip()]
            else:
                bad(
                    "Phần, mục",
                    f"'{where}' không phải số thứ tự hay tên một phần của văn bản "
                    f"(văn bản có {len(sections)} phần).",
                )
        kind_text = fold(get("Loại")).strip()
        kind = KINDS.get(kind_text, QuestionKind.SINGLE if not kind_text else None)
        if kind is None:
            bad(
                "Loại", f"'{get('Loại')}' không hợp lệ; ghi Một đáp án, Nhiều đáp án hoặc Đúng/Sai."
            )
        text = get("Câu hỏi")
        if not text:
            bad("Câu hỏi", "không được để trống.")
        texts = [get(f"Phương án {x}") for x in LETTERS]
        answer = get("Đáp án đúng")
        if kind == QuestionKind.TRUE_FALSE and not any(texts):
            texts = ["Đúng", "Sai", "", "", "", ""]
            answer = {"dung": "A", "sai": "B"}.get(fold(answer).strip(), answer)
        elif kind == QuestionKind.TRUE_FALSE:
            folded = [fold(t).strip() for t in texts if t]
            if fold(answer).strip() in folded:
                answer = LETTERS[[fold(t).strip() for t in texts].index(fold(answer).strip())]
        last = max((i for i, t in enumerate(texts) if t), default=-1)
        gaps = [LETTERS[i] for i in range(last) if not texts[i]]
        if gaps:
            bad(f"Phương án {gaps[0]}", "để trống giữa các phương án.")
        given = [t for t in texts if t]
        for i, option in enumerate(texts):
            if len(option) > 500:
                bad(f"Phương án {LETTERS[i]}", "dài quá 500 ký tự.")
        if len(given) < 2:
            bad("Phương án A", "cần ít nhất hai phương án trả lời.")
        letters = [x for x in re.split(r"[\s,;]+", answer.upper()) if x]
        if not letters:
            bad("Đáp án đúng", "không được để trống.")
        wrong = [x for x in letters if x not in LETTERS[: len(given)]]
        if wrong:
            bad("Đáp án đúng", f"'{answer}': không có phương án {', '.join(wrong)}.")
        elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(set(letters)) > 1:
            bad("Đáp án đúng", f"'{answer}': câu {KIND_LABELS[kind]} chỉ có một đáp án đúng.")
        if kind == QuestionKind.TRUE_FALSE and len(given) != 2:
            bad("Phương án C", "câu Đúng/Sai chỉ có hai phương án.")
        if len(problems) == before and kind is not None:
            right = set(letters)
            parsed.append(
                ParsedQuestion(
                    row=number,
                    section=section,
                    kind=kind,
                    text=text,
                    options=[(t, LETTERS[i] in right) for i, t in enumerate(given)],
                )
            )
    return parsed, problems


def _sheet(book: Any, name: str, titles: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, titles, book.add_format({"bold": True}))
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, ["" if value is None else value for value in row])


def workbook(results: Results) -> bytes:
    """The workbook of `results` as its reader may see them (`selectors.results`): the
    sheet of members only when the reader sees persons."""
    out = io.BytesIO()
    book = Book(out)
    if results.persons is not None:
        _persons(book, results)
    _sheet(
        book,
        "Theo chi bo",
        ["Chi bộ", "Dự kiến", "Đã nộp", "Điểm trung bình", "Tỷ lệ đạt (%)"],
        ([r.name, r.expected, r.submitted, r.mean, r.pass_rate] for r in results.cells),
    )
    _sheet(
        book,
        "Phan tich cau hoi",
        ["Phần", "Câu hỏi", "Số lượt", "Độ dễ (%)", "Độ phân biệt"],
        ([i.section, i.text, i.answered, i.facility, i.discrimination] for i in results.items),
    )
    book.close()
    return out.getvalue()


def _persons(book: Any, results: Results) -> None:
    assert results.persons is not None
    _sheet(
        book,
        "Ket qua",
        ["Số thẻ", "Họ và tên", "Nộp lúc", "Số câu đúng", "Điểm (%)", "Đạt", "Hình thức"],
        (
            [
                a.member.card_number,
                a.member.full_name,
                timezone.localtime(a.submitted_at).strftime("%H:%M %d/%m/%Y")
                if a.submitted_at
                else None,
                a.correct,
                a.score,
                None if a.passed is None else ("Đạt" if a.passed else "Chưa đạt"),
                a.get_source_display(),
            ]
            for a in results.persons
        ),
    )
