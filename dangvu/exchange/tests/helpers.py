"""Workbooks built and read in tests, and the database counts an import must not change."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import openpyxl
from auditlog.models import LogEntry

from dangvu.accounts.models import User
from dangvu.accounts.scope import build_scope
from dangvu.exchange.services import ImportReport, workbook_import
from dangvu.members.models import Member, Membership
from dangvu.units.models import Unit, UnitSuccession, UnitVersion

#: The exact headers of shared/product/exchange-format.md, in order.
DON_VI = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại đơn vị",
    "Mã đơn vị cấp trên",
    "Ngày thành lập",
    "Ngày giải thể",
]
DANG_VIEN = [
    "Số thẻ đảng viên",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Mã chi bộ",
    "Diện quản lý",
    "Cấp ủy viên",
    "Miễn sinh hoạt",
    "Ngày ra khỏi Đảng",
]

Sheets = dict[str, Sequence[Sequence[Any]]]


def xlsx(sheets: Sheets) -> bytes:
    """A workbook with one sheet per entry, rows written as given (row 1: the headers)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, row by row (dates as `date`, trailing blank rows dropped)."""
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    out: dict[str, list[tuple[Any, ...]]] = {}
    for sheet in book.worksheets:
        rows = [
            tuple(v.date() if hasattr(v, "date") and callable(v.date) else v for v in row)
            for row in sheet.iter_rows(values_only=True)
        ]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        out[sheet.title] = rows
    return out


def run_import(
    sheets: Sheets | bytes,
    *,
    user: User | None = None,
    dry_run: bool = False,
    file_name: str = "du-lieu.xlsx",
) -> ImportReport:
    """Import as the command line does (user None) or with the user's scope."""
    data = sheets if isinstance(sheets, bytes) else xlsx(sheets)
    return workbook_import(
        file=io.BytesIO(data),
        actor=user,
        scope=build_scope(user) if user is not None else None,
        dry_run=dry_run,
        file_name=file_name,
    )


def where(report: ImportReport) -> set[tuple[str, int, str]]:
    """The (sheet, row, column) of every bad cell."""
    return {(e.sheet, e.row, e.column) for e in report.errors}


def db_counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "versions": UnitVersion.objects.count(),
        "successions": UnitSuccession.objects.count(),
        "members": Member.objects.count(),
        "memberships": Membership.objects.count(),
        "log": LogEntry.objects.count(),
    }


def unit_row(
    code: str,
    name: str,
    kind: str,
    parent: str = "",
    founded: Any = None,
    dissolved: Any = None,
) -> list[Any]:
    return [code, name, kind, parent or None, founded, dissolved]


def member_row(
    card: str,
    name: str,
    cell: str,
    *,
    born: Any = "17/05/1980",
    gender: str = "Nam",
    joined: Any = "03/03/2005",
    full: Any = "03/03/2006",
    level: str | None = None,
    committee: Any = "Không",
    exempt: Any = "Không",
    left: Any = None,
) -> list[Any]:
    return [card, name, born, gender, joined, full, cell, level, committee, exempt, left]


def members_of(code: str, day: date) -> list[str]:
    """Card numbers of the members active in the unit on day."""
    return sorted(
        Membership.objects.as_of(day)
        .filter(unit__code=code)
        .values_list("member__card_number", flat=True)
    )
