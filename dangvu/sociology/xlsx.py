"""The workbooks of sociological surveys: the paper sheets' template and its reading, and
the results.

Paper sheets typed into a workbook are imported at once, all or nothing, every bad cell
listed in Vietnamese. One sheet, "Phiếu", one paper sheet per row:

    Đơn vị | Câu 1 | Câu 2 | …

`Đơn vị` is the code of a sampled unit. A choice question holds the number of the option
chosen (several, for a multiple choice: "1; 3"), a scale question its points, a free-text
question the text. The "Hướng dẫn" sheet lists the questions with their numbered options.

The results (`workbook`): the summary per question, and one row per sheet (named only when
the survey is not anonymous; in key order, which is random). A sheet of an anonymous survey
shows its unit (the merged group below 5 sheets) and its answers, never its channel: a
unit's only sheet typed from paper would be that of the member who was handed the paper
sheet.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from typing import Any

from dangvu.lib.xlsx_book import Book
from dangvu.lib.xlsx_table import Messages, read_table
from dangvu.sociology import selectors
from dangvu.sociology.models import QuestionKind, Questionnaire, ResponseAnswer
from dangvu.sociology.services import check_answers

SHEET = "Phiếu"
UNIT = "Đơn vị"
NO_SHEET = 'Không có trang tính "Phiếu" (hãy dùng tệp mẫu của cuộc điều tra này).'
EMPTY = "Tệp không có phiếu nào."
TOO_MANY = "Mỗi lần nhập tối đa {n} phiếu."
MAX_ROWS = 5000
KIND_HELP = {
    QuestionKind.SINGLE: "ghi số thứ tự của một phương án",
    QuestionKind.MULTIPLE: "ghi số thứ tự các phương án, cách nhau bởi dấu chấm phẩy",
    QuestionKind.SCALE: "ghi số điểm",
    QuestionKind.TEXT: "ghi ý kiến (có thể để trống nếu không bắt buộc)",
}

ParsedSheet = tuple[int, str, dict[int, list[str]]]  # row, unit code, raw answers


def _columns(questionnaire: Questionnaire) -> list[str]:
    return [UNIT, *(f"Câu {q.number}" for q in questionnaire.questions.all())]


def template(questionnaire: Questionnaire) -> bytes:
    out = io.BytesIO()
    book = Book(out)
    head = book.add_format({"bold": True, "bg_color": "#FBE9E7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(SHEET)
    columns = _columns(questionnaire)
    sheet.write_row(0, 0, columns, head)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(columns) - 1, 14, wrap)
    sheet.freeze_panes(1, 1)
    units = list(questionnaire.sample_units.order_by("code").values_list("code", flat=True))
    sheet.data_validation(1, 0, MAX_ROWS, 0, {"validate": "list", "source": units[:200]})
    guide = book.add_worksheet("Hướng dẫn")
    guide.write_row(0, 0, ["Cột", "Câu hỏi", "Cách ghi", "Phương án"], head)
    guide.set_column(0, 0, 8)
    guide.set_column(1, 1, 60, wrap)
    guide.set_column(2, 2, 36, wrap)
    guide.set_column(3, 3, 60, wrap)
    row = 1
    for q in questionnaire.questions.prefetch_related("options"):
        if q.is_choice:
            options = "\n".join(f"{o.number}. {o.text}" for o in q.options.all())
        elif q.kind == QuestionKind.SCALE:
            options = (
                f"1 ({q.low_label or 'thấp nhất'}) đến {q.scale_max} ({q.high_label or 'cao nhất'})"
            )
        else:
            options = ""
        how = KIND_HELP[QuestionKind(q.kind)] + ("" if q.required else "; không bắt buộc")
        guide.write_row(row, 0, [f"Câu {q.number}", q.text, how, options])
        row += 1
    guide.write(row + 1, 1, "Cột Đơn vị: mã đơn vị thuộc mẫu: " + ", ".join(units))
    guide.write(
        row + 2,
        1,
        "Mỗi dòng một phiếu giấy. Tệp có lỗi thì không phiếu nào được nhập; danh sách lỗi chỉ "
        "rõ từng ô.",
    )
    book.close()
    return out.getvalue()


def parse(raw: bytes, questionnaire: Questionnaire) -> tuple[list[ParsedSheet], list[str]]:
    """Every sheet of the file, or every problem with it (`Dòng 4, cột Câu 2: ...`)."""
    table, problems = read_table(
        raw,
        sheet=SHEET,
        columns=_columns(questionnaire),
        max_rows=MAX_ROWS,
        messages=Messages(no_sheet=NO_SHEET, empty=EMPTY, too_many=TOO_MANY),
    )
    if table is None:
        return [], problems
    questions = list(questionnaire.questions.prefetch_related("options"))
    sampled = set(questionnaire.sample_units.values_list("code", flat=True))
    parsed: list[ParsedSheet] = []
    for number, row in table.rows:

        def get(column: str, row: list[Any] = row) -> str:
            return table.get(row, column)

        before = len(problems)
        unit = get(UNIT)
        if unit not in sampled:
            problems.append(
                f"Dòng {number}, cột {UNIT}: “{unit or '(trống)'}” không phải đơn vị thuộc mẫu."
            )
        answers: dict[int, list[str]] = {}
        for q in questions:
            column = f"Câu {q.number}"
            value = get(column)
            if not value:
                continue
            if q.is_choice:
                options = {o.number: o.pk for o in q.options.all()}
                picked = [p for p in re.split(r"[;,]", value) if p.strip()]
                if not all(re.fullmatch(r"[0-9]{1,2}", p.strip()) for p in picked) or any(
                    int(p) not in options for p in picked
                ):
                    problems.append(
                        f"Dòng {number}, cột {column}: “{value}” không phải số thứ tự phương án "
                        f"(1 đến {len(options)})."
                    )
                    continue
                answers[q.pk] = [str(options[int(p)]) for p in picked]
            else:
                answers[q.pk] = [value]
        _, faults = check_answers(questions, answers)
        problems += [f"Dòng {number}, {fault[0].lower()}{fault[1:]}" for fault in faults]
        if len(problems) == before:
            parsed.append((number, unit, answers))
    return parsed, problems


def workbook(questionnaire: Questionnaire, *, named: bool = True) -> bytes:
    """`named`: whether the reader may see who answered (the organiser, on a survey that
    is not anonymous)."""
    out = io.BytesIO()
    book = Book(out)
    bold = book.add_format({"bold": True})
    summary = book.add_worksheet("Tong hop")
    summary.write_row(0, 0, ["Câu", "Câu hỏi", "Phương án", "Số phiếu", "Tỷ lệ (%)"], bold)
    row = 1
    for result in selectors.results(questionnaire):
        q = result.question
        for bar in result.bars:
            summary.write_row(row, 0, [q.number, q.text, bar.label, bar.n, bar.share])
            row += 1
        if result.mean is not None:
            summary.write_row(row, 0, [q.number, q.text, "Điểm trung bình", result.mean])
            row += 1
        if q.kind == QuestionKind.TEXT:
            summary.write_row(row, 0, [q.number, q.text, "Số ý kiến", result.answered])
            row += 1
    questions = list(questionnaire.questions.prefetch_related("options"))
    sheets = book.add_worksheet("Phieu")
    named = named and not questionnaire.anonymous
    units = selectors.unit_groups(questionnaire)
    channel = not questionnaire.anonymous
    titles = ["Đơn vị"] + (["Hình thức"] if channel else [])
    titles += ["Ngày", "Số thẻ", "Họ và tên"] if named else []
    sheets.write_row(0, 0, titles + [f"Câu {q.number}" for q in questions], bold)
    answers: dict[Any, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rid, qid, option, points, text in ResponseAnswer.objects.filter(
        response__questionnaire=questionnaire
    ).values_list("response_id", "question_id", "option__text", "points", "text"):
        answers[rid][qid].append(option or (str(points) if points is not None else text))
    responses = questionnaire.responses.select_related("unit", "member").order_by("pk")
    for n, r in enumerate(responses, start=1):
        head = [units.get(r.unit_id, selectors.OTHER_UNITS)]
        if channel:
            head.append(r.get_channel_display())
        if named:
            head.append(r.received_on.strftime("%d/%m/%Y") if r.received_on else "")
        if named:
            head += [r.member.card_number, r.member.full_name] if r.member else ["", ""]
        sheets.write_row(n, 0, head + ["; ".join(answers[r.pk][q.pk]) for q in questions])
    book.close()
    return out.getvalue()
