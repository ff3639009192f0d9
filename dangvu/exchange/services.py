"""Import of the exchange workbook: all or nothing, every bad cell listed."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO, Any

from auditlog.context import set_actor
from django.core.files.base import ContentFile
from django.db import transaction

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope
from dangvu.core.bulk import analyze
from dangvu.exchange.context import ImportContext, may
from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.selectors import workbook_write
from dangvu.exchange.workbook import BadCell, SheetResult, parse_sheet, registry
from dangvu.lib.vietnamese import fold
from dangvu.lib.xlsx_table import EXCHANGE, NotAWorkbook, Unreadable, read_sheets, upload_bytes

NOT_A_WORKBOOK = "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
NO_SHEETS = "Tệp không có trang tính nào theo mẫu (DonVi, DangVien, ...)."
UNKNOWN_SHEET = "trang tính không có trong mẫu; đổi tên cho đúng hoặc xóa trang này"
NOT_ALLOWED = "Bạn không có quyền nhập dữ liệu."
SHEET_NOT_ALLOWED = "Bạn không có quyền nhập trang này."
INSTRUCTION_SHEETS = {"huongdan", "huong dan"}


@dataclass
class ImportReport:
    counts: dict[str, SheetResult] = field(default_factory=dict)
    errors: list[BadCell] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


class _Rollback(Exception):
    pass


def read_workbook(raw: bytes) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's cell values from row 1 (lib/xlsx_table.py: bounded, then read with
    calamine). Dates come as dates, empty cells as ""; raises Unreadable with the reason."""
    return read_sheets(raw, bounds=EXCHANGE)


def workbook_import(
    *,
    file: IO[bytes],
    actor: User | None,
    scope: Scope | None,
    dry_run: bool = False,
    file_name: str = "",
) -> ImportReport:
    """Import a workbook in one transaction. Any bad cell → nothing is written, and the
    report lists every bad cell. A dry run does everything and then rolls back. What the
    loaders kept (the read log of guarded records) is written whatever the outcome."""
    report = ImportReport(dry_run=dry_run)
    if scope is not None and not any(scope.can(Capability(c)) for c in registry.capabilities()):
        report.errors.append(BadCell("", 0, "", NOT_ALLOWED))
        return report
    raw = upload_bytes(file, EXCHANGE)
    try:
        sheets = read_workbook(raw)
    except NotAWorkbook:
        report.errors.append(BadCell("", 0, "", NOT_A_WORKBOOK))
        return report
    except Unreadable as refused:  # too large: the reader says which bound
        report.errors.append(BadCell("", 0, "", refused.message))
        return report
    ctx = ImportContext(actor=actor, scope=scope)
    for title, rows in sheets:
        spec = registry.find(title)
        if spec is None:
            if fold(title) not in INSTRUCTION_SHEETS:
                ctx.errors.append(BadCell(title, 0, "", UNKNOWN_SHEET))
            continue
        if not may(scope, spec.capability):
            # A guarded sheet with rows is refused; its bare header (as in the user's own
            # export, where it stays empty) is nothing to import.
            if any(any(v not in (None, "") for v in row) for row in rows[1:]):
                ctx.errors.append(BadCell(spec.name, 0, "", SHEET_NOT_ALLOWED))
            continue
        ctx.rows[spec.name] = parse_sheet(spec, iter(rows), ctx.errors)
    if not ctx.rows and not ctx.errors:
        ctx.errors.append(BadCell("", 0, "", NO_SHEETS))
    try:
        with transaction.atomic(), set_actor(actor):
            for spec in registry.ordered():
                if spec.name in ctx.rows:
                    report.counts[spec.name] = spec.load(ctx, ctx.rows[spec.name])
            if ctx.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    else:
        analyze()  # a large import changes the planner's picture (PostgreSQL only)
    finally:
        for write in ctx.kept:
            with transaction.atomic():
                write()
    report.errors = sorted(set(ctx.errors), key=lambda e: (e.sheet, e.row, e.column, e.reason))
    ExchangeLog.objects.create(
        kind=ExchangeKind.DRY_RUN if dry_run else ExchangeKind.IMPORT,
        actor=actor,
        file_name=file_name[:255],
        succeeded=report.ok,
        counts={k: vars(v) for k, v in report.counts.items()},
        error_count=len(report.errors),
        stored_file=ContentFile(raw, name=(file_name or "workbook.xlsx")[-100:])
        if report.written
        else "",
    )
    return report


def workbook_export(
    *, out: IO[bytes] | io.BytesIO, actor: User | None, scope: Scope | None, org_code: str = ""
) -> dict[str, int]:
    """Export the workbook (`selectors.workbook_write`) and log the export."""
    counts = workbook_write(out=out, actor=actor, scope=scope, org_code=org_code)
    ExchangeLog.objects.create(
        kind=ExchangeKind.EXPORT, actor=actor, org_code=org_code, succeeded=True, counts=counts
    )
    return counts
