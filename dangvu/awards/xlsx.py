"""Award decisions as a workbook: one row per recipient line, as the reader may read it
(`selectors.recipient_lines`: members the reader may not name are counted by unit)."""

from __future__ import annotations

import io

from dangvu.awards.selectors import RecipientLine
from dangvu.lib.xlsx_book import Book

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


def workbook(lines: list[RecipientLine]) -> bytes:
    out = io.BytesIO()
    book = Book(out)
    sheet = book.add_worksheet("Khen thuong")
    sheet.write_row(0, 0, TITLES, book.add_format({"bold": True}))
    for n, line in enumerate(lines, start=1):
        d = line.decision
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
                line.kind,
                line.name,
                line.card,
                line.unit.code,
            ],
        )
    book.close()
    return out.getvalue()
