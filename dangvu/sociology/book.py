"""The results of a sociological survey as a workbook: the summary per question, and one
row per sheet (named only when the survey is not anonymous; in key order, which is random).
A sheet of an anonymous survey shows its unit (the merged group below 5 sheets) and its
answers, never its channel: a unit's only sheet typed from paper would be that of the
member who was handed the paper sheet."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from dangvu.lib.xlsx_book import Book
from dangvu.sociology import selectors
from dangvu.sociology.models import QuestionKind, Questionnaire, ResponseAnswer


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
