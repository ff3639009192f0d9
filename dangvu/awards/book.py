"""Award decisions as a workbook: one row per recipient."""

from __future__ import annotations

import io

import xlsxwriter
from django.db.models import QuerySet

from dangvu.awards.models import AwardDecision, AwardRecipient

TITLES = [
    "Ngày quyết định",
    "Số quyết định",
    "Khen thưởng",
    "Mã cấp ủy",
    "Hình thức",
    "Nội dung",
    "Đề án",
    "Lý do",
    "Đối tượng",
    "Tên tập thể, cá nhân",
    "Số thẻ đảng viên",
    "Mã tổ chức đảng",
]


def workbook(decisions: QuerySet[AwardDecision]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Khen thuong")
    sheet.write_row(0, 0, TITLES, book.add_format({"bold": True}))
    recipients = (
        AwardRecipient.objects.filter(decision__in=decisions.values("pk"))
        .select_related("decision", "decision__unit", "decision__programme", "unit", "member")
        .order_by("-decision__issued_on", "-decision_id", "pk")
    )
    for n, r in enumerate(recipients, start=1):
        d = r.decision
        sheet.write_row(
            n,
            0,
            [
                d.issued_on.strftime("%d/%m/%Y"),
                d.number,
                d.issuer_label,
                d.unit.code,
                d.get_form_display(),
                d.get_theme_display(),
                d.programme.symbol if d.programme else "",
                d.reason,
                r.get_kind_display(),
                r.name,
                r.member.card_number if r.member else "",
                r.unit.code,
            ],
        )
    book.close()
    return out.getvalue()
