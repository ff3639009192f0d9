"""Importing questions from the XLSX template: all or nothing, every bad cell listed."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.assessments import xlsx
from dangvu.assessments.models import Option, Question
from dangvu.assessments.services import ImportRefused, questions_import
from dangvu.conftest import World
from dangvu.documents.models import Document
from dangvu.documents.services import document_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world: World) -> Document:
    return document_register(
        symbol="05-ĐA/TU",
        issued_on=timezone.localdate(),
        issuer="Ban Thường vụ Tỉnh ủy",
        title="Đề án nâng cao chất lượng học tập",
        key="da05",
        sections=[("Mục tiêu", ""), ("Nhiệm vụ, giải pháp", "")],
    )


def workbook(rows: list[list[Any]], document: Document) -> bytes:
    """The template of `document` with its example rows replaced by `rows`."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx.template(document)))
    sheet = book[xlsx.SHEET]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["1", "Một đáp án", "Đề án có mấy mục tiêu?", "2", "3", "4", "", "", "", "B"],
    [
        "Nhiệm vụ, giải pháp",
        "Nhiều đáp án",
        "Chọn các giải pháp",
        "Học tập",
        "Kiểm tra",
        "Nghỉ",
        "",
        "",
        "",
        "A, B",
    ],
    ["", "Đúng/Sai", "Chi bộ sinh hoạt hằng tháng.", "", "", "", "", "", "", "Đúng"],
]


def bank(document: Document) -> list[tuple[str, str, str | None, list[tuple[str, bool]]]]:
    return [
        (
            q.kind,
            q.text,
            q.section.title if q.section else None,
            [(o.text, o.correct) for o in q.options.all()],
        )
        for q in Question.objects.filter(document=document).order_by("pk")
    ]


def test_it_imports_every_kind_of_question_tied_to_sections(document: Document) -> None:
    result = questions_import(document=document, raw=workbook(GOOD, document))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert bank(document) == [
        ("single", "Đề án có mấy mục tiêu?", "Mục tiêu", [("2", False), ("3", True), ("4", False)]),
        (
            "multiple",
            "Chọn các giải pháp",
            "Nhiệm vụ, giải pháp",
            [("Học tập", True), ("Kiểm tra", True), ("Nghỉ", False)],
        ),
        ("true_false", "Chi bộ sinh hoạt hằng tháng.", None, [("Đúng", True), ("Sai", False)]),
    ]


def test_it_updates_a_question_imported_again_instead_of_doubling_it(document: Document) -> None:
    questions_import(document=document, raw=workbook(GOOD, document))
    changed = [list(r) for r in GOOD]
    changed[0][9] = "C"
    changed[2][2] = "chi bo   sinh hoat hang thang."  # the same question, typed without accents
    result = questions_import(document=document, raw=workbook(changed, document))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Question.objects.filter(document=document).count() == 3
    first = Question.objects.get(text="Đề án có mấy mục tiêu?")
    assert [o.correct for o in first.options.all()] == [False, False, True]


def test_it_lists_every_bad_cell_and_imports_nothing(document: Document) -> None:
    rows = [
        GOOD[0],
        ["7", "Một đáp án", "Câu thuộc phần không có", "Có", "Không", "", "", "", "", "A"],
        ["", "Tự luận", "Câu loại lạ", "Có", "Không", "", "", "", "", "A"],
        ["", "Một đáp án", "", "Có", "Không", "", "", "", "", "A"],
        ["", "Một đáp án", "Thiếu đáp án", "Có", "Không", "", "", "", "", ""],
        ["", "Một đáp án", "Đáp án ngoài phương án", "Có", "Không", "", "", "", "", "D"],
        ["", "Một đáp án", "Hai đáp án cho câu một đáp án", "Có", "Không", "", "", "", "", "A,B"],
        ["", "Một đáp án", "Phương án bỏ trống giữa", "Có", "", "Không", "", "", "", "A"],
        ["", "Một đáp án", "Một phương án", "Có", "", "", "", "", "", "A"],
        ["", "Một đáp án", "Đề án có mấy mục tiêu?", "1", "2", "", "", "", "", "A"],
    ]
    with pytest.raises(ImportRefused) as refused:
        questions_import(document=document, raw=workbook(rows, document))
    problems = refused.value.problems
    assert problems[:8] == [
        "Dòng 3, cột Phần, mục: '7' không phải số thứ tự hay tên một phần của văn bản "
        "(văn bản có 2 phần).",
        "Dòng 4, cột Loại: 'Tự luận' không hợp lệ; ghi Một đáp án, Nhiều đáp án hoặc Đúng/Sai.",
        "Dòng 5, cột Câu hỏi: không được để trống.",
        "Dòng 6, cột Đáp án đúng: không được để trống.",
        "Dòng 7, cột Đáp án đúng: 'D': không có phương án D.",
        "Dòng 8, cột Đáp án đúng: 'A,B': câu Một đáp án chỉ có một đáp án đúng.",
        "Dòng 9, cột Phương án B: để trống giữa các phương án.",
        "Dòng 10, cột Phương án A: cần ít nhất hai phương án trả lời.",
    ]
    assert len(problems) == 8  # the duplicate on row 11 is found once the cells are right
    assert Question.objects.count() == 0 and Option.objects.count() == 0


def test_it_refuses_a_question_twice_in_one_file_and_keeps_the_bank_as_it_was(
    document: Document,
) -> None:
    questions_import(document=document, raw=workbook(GOOD, document))
    before = bank(document)
    rows = [["", "Một đáp án", "Câu mới", "Có", "Không", "", "", "", "", "A"]] * 2
    with pytest.raises(ImportRefused) as refused:
        questions_import(document=document, raw=workbook(rows, document))
    assert refused.value.problems == ["Dòng 3, cột Câu hỏi: trùng câu hỏi ở dòng 2."]
    assert bank(document) == before


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"not a workbook", xlsx.NOT_A_WORKBOOK),
        (None, xlsx.EMPTY),
    ],
)
def test_it_says_what_is_wrong_with_the_file_itself(
    document: Document, raw: bytes | None, problem: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        questions_import(document=document, raw=raw or workbook([], document))
    assert refused.value.problems == [problem]


def test_it_names_missing_columns(document: Document) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Câu hỏi"
    sheet.append(["Câu hỏi", "Phương án A", "Phương án B"])
    sheet.append(["Hỏi", "Có", "Không"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRefused) as refused:
        questions_import(document=document, raw=out.getvalue())
    assert 'Thiếu cột "Đáp án đúng" ở dòng tiêu đề.' in refused.value.problems
    assert 'Thiếu cột "Loại" ở dòng tiêu đề.' in refused.value.problems


def test_its_template_lists_the_documents_sections(document: Document) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx.template(document)))
    assert [c.value for c in book[xlsx.SHEET][1]] == xlsx.COLUMNS
    parts = book["Các phần"]
    assert [(r[0].value, r[1].value) for r in parts.iter_rows(min_row=2, max_row=3)] == [
        (1, "Mục tiêu"),
        (2, "Nhiệm vụ, giải pháp"),
    ]
    # The examples of the template are themselves valid questions.
    result = questions_import(document=document, raw=xlsx.template(document))
    assert result.created == 2


def test_the_bank_page_imports_a_file_and_shows_every_problem(
    world: World, document: Document
) -> None:
    client = world.client("tuyengiao")
    url = reverse("assessments:bank", kwargs={"document_id": document.pk})
    template = client.get(reverse("assessments:bank_template", kwargs={"document_id": document.pk}))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")

    bad = [["", "Một đáp án", "Hỏi", "Có", "Không", "", "", "", "", "Z"]]
    response = client.post(url, {"tep": named(workbook(bad, document), "cau-hoi.xlsx")})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Không nhập được: 1 lỗi" in text
    assert "Dòng 2, cột Đáp án đúng: &#x27;Z&#x27;: không có phương án Z." in text
    assert Question.objects.count() == 0

    response = client.post(
        url, {"tep": named(workbook(GOOD, document), "cau-hoi.xlsx")}, follow=True
    )
    assert "3 câu mới, 0 câu cập nhật, 0 câu không đổi" in response.content.decode()
    assert Question.objects.filter(document=document).count() == 3


def test_a_question_is_edited_in_the_app_and_can_be_retired(
    world: World, document: Document
) -> None:
    questions_import(document=document, raw=workbook(GOOD, document))
    question = Question.objects.get(kind="single")
    client = world.client("tuyengiao")
    url = reverse("assessments:question_edit", kwargs={"question_id": question.pk})
    page = client.get(url).content.decode()
    assert "Đề án có mấy mục tiêu?" in page and 'value="B"' in page
    response = client.post(
        url,
        {
            "section": "",
            "kind": "single",
            "text": "Đề án có bao nhiêu mục tiêu?",
            "correct": "A",
            "option_A": "3",
            "option_B": "4",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Đề án có bao nhiêu mục tiêu?" and question.active is False
    assert [(o.text, o.correct) for o in question.options.all()] == [("3", True), ("4", False)]

    response = client.post(
        url,
        {
            "kind": "single",
            "text": "Sai",
            "correct": "C",
            "option_A": "3",
            "option_B": "4",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Câu hỏi chọn một đáp án phải có đúng một phương án đúng." in response.content.decode()
    question.refresh_from_db()
    assert question.text == "Đề án có bao nhiêu mục tiêu?"


def named(raw: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(raw)
    upload.name = name
    return upload
