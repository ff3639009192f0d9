"""Award decisions as a workbook: one row per recipient."""

from __future__ import annotations

import io

from django.db.models import Q, QuerySet

from dangvu.awards.models import AwardDecision, AwardRecipient
from dangvu.lib.xlsx_book import Book
from dangvu.units.models import Unit

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


def workbook(decisions: QuerySet[AwardDecision], reach: QuerySet[Unit]) -> bytes:
    """`reach`: the reader's units; recipients of a decision issued outside it are listed
    only where they stand inside it."""
    out = io.BytesIO()
    book = Book(out)
    sheet = book.add_worksheet("Khen thuong")
    sheet.write_row(0, 0, TITLES, book.add_format({"bold": True}))
    recipients = (
        AwardRecipient.objects.filter(decision__in=decisions.values("pk"))
        .filter(Q(decision__unit__in=reach) | Q(unit__in=reach))
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
