"""The results of an assessment as a workbook: per member (for readers who see member
records), per cell, per question."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from dangvu.assessments.selectors import Results
from dangvu.lib.xlsx_book import Book


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
