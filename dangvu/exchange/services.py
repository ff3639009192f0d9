"""Import of the exchange workbook: all or nothing, every bad cell listed."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from auditlog.context import set_actor
from django.core.files.base import ContentFile
from django.db import transaction

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope
from dangvu.core.audit import import_audit
from dangvu.core.bulk import analyze
from dangvu.core.progress import NULL, Progress
from dangvu.exchange.context import ImportContext, may
from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.selectors import workbook_write
from dangvu.exchange.workbook import BadCell, SheetResult, parse_sheet, registry
from dangvu.lib.vietnamese import fold
from dangvu.lib.xlsx_table import (
    EXCHANGE,
    NotAWorkbook,
    Unreadable,
    check_workbook,
    read_sheets,
    upload_bytes,
)

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


def iter_workbook(raw: bytes) -> Iterator[tuple[str, Iterator[Sequence[Any]]]]:
    """The sheets of a workbook one at a time, each as an iterator over its rows from row 1
    (as `read_workbook` gives them), so that an import never holds a whole sheet's cells:
    each row is parsed, then dropped. Checked against the bounds first (raises Unreadable);
    a sheet calamine cannot read raises NotAWorkbook when its rows are asked for."""
    from python_calamine import CalamineWorkbook

    check_workbook(raw, EXCHANGE)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except Exception as error:  # calamine raises its own errors for any unreadable file
        raise NotAWorkbook() from error
    for name in names:
        yield name, _sheet_rows(book, name)


def _sheet_rows(book: Any, name: str) -> Iterator[Sequence[Any]]:
    """A sheet's rows from row 1, as `to_python(skip_empty_area=False)` lays them out, so
    that row and column numbers hold: calamine's `iter_rows` gives the empty rows above the
    first cell but not the empty columns before it (a test holds the two readings equal)."""
    try:
        sheet = book.get_sheet_by_name(name)
        first_column = (sheet.start or (0, 0))[1]
        rows = sheet.iter_rows()
    except Exception as error:
        raise NotAWorkbook() from error
    pad = [""] * first_column
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:
            raise NotAWorkbook() from error
        yield [*pad, *row] if pad else row


def workbook_import(
    *,
    file: IO[bytes],
    actor: User | None,
    scope: Scope | None,
    dry_run: bool = False,
    file_name: str = "",
    progress: Progress = NULL,
) -> ImportReport:
    """Import a workbook in one transaction. Any bad cell → nothing is written, and the
    report lists every bad cell. A dry run does everything and then rolls back. What the
    loaders kept (the read log of guarded records) is written whatever the outcome. The
    run is logged (`ExchangeLog`, with the workbook when written); the records it creates
    are audited once per write, naming that log (`core.audit.import_audit`)."""
    report = ImportReport(dry_run=dry_run)
    if scope is not None and not any(scope.can(Capability(c)) for c in registry.capabilities()):
        report.errors.append(BadCell("", 0, "", NOT_ALLOWED))
        return report
    raw = upload_bytes(file, EXCHANGE)
    ctx = ImportContext(actor=actor, scope=scope)
    progress.step("Đang đọc tệp")
    try:
        _parse_workbook(raw, ctx, progress)
    except NotAWorkbook:
        report.errors.append(BadCell("", 0, "", NOT_A_WORKBOOK))
        return report
    except Unreadable as refused:  # too large: the reader says which bound
        report.errors.append(BadCell("", 0, "", refused.message))
        return report
    if not ctx.rows and not ctx.errors:
        ctx.errors.append(BadCell("", 0, "", NO_SHEETS))
    # Logged before the write, so that the write's audit entries name it (import_audit);
    # committed whatever becomes of the import.
    log = ExchangeLog.objects.create(
        kind=ExchangeKind.DRY_RUN if dry_run else ExchangeKind.IMPORT,
        actor=actor,
        file_name=file_name[:255],
    )
    try:
        with (
            transaction.atomic(),
            set_actor(actor),
            import_audit(exchange_log=log.pk, file_name=log.file_name) as audit,
        ):
            progress.step(
                "Đang kiểm tra và ghi" if not dry_run else "Đang kiểm tra",
                total=sum(len(rows) for rows in ctx.rows.values()),
            )
            for spec in registry.ordered():
                if spec.name in ctx.rows:
                    audit.sheet = spec.name
                    progress.say(
                        f"{'Đang kiểm tra' if dry_run else 'Đang kiểm tra và ghi'} trang "
                        f"{spec.name} ({spec.title})"
                    )
                    report.counts[spec.name] = spec.load(ctx, ctx.rows[spec.name])
                    progress.advance(len(ctx.rows[spec.name]))
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
    log.succeeded = report.ok
    log.counts = {k: vars(v) for k, v in report.counts.items()}
    log.error_count = len(report.errors)
    if report.written:
        log.stored_file.save((file_name or "workbook.xlsx")[-100:], ContentFile(raw), save=False)
    log.save(update_fields=["succeeded", "counts", "error_count", "stored_file"])
    return report


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report as a background job keeps it (and its page shows it)."""
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "counts": {name: vars(counts) for name, counts in report.counts.items()},
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "reason": e.reason}
            for e in report.errors
        ],
    }


def _parse_workbook(raw: bytes, ctx: ImportContext, progress: Progress = NULL) -> None:
    """Parse every sheet of the workbook into `ctx.rows`, one sheet and one row at a time
    (the cells of a row are dropped once parsed); every bad cell goes to `ctx.errors`. The
    unit codes the rows name are gathered (`ctx.named_codes`): the lookups of the loaders
    read the units the workbook names, not the whole tree."""
    scope = ctx.scope
    named: set[str] = set()
    for title, rows in iter_workbook(raw):
        spec = registry.find(title)
        if spec is None:
            if fold(title) not in INSTRUCTION_SHEETS:
                ctx.errors.append(BadCell(title, 0, "", UNKNOWN_SHEET))
            continue
        if not may(scope, spec.capability):
            # A guarded sheet with rows is refused; its bare header (as in the user's own
            # export, where it stays empty) is nothing to import.
            next(rows, None)
            if any(any(v not in (None, "") for v in row) for row in rows):
                ctx.errors.append(BadCell(spec.name, 0, "", SHEET_NOT_ALLOWED))
            continue
        progress.say(f"Đang đọc trang {spec.name}")
        parsed = parse_sheet(spec, rows, ctx.errors)
        ctx.rows[spec.name] = parsed
        fields = [c.field for c in spec.columns if c.field in spec.unit_code_fields]
        for row in parsed:
            for name in fields:
                value = row.values.get(name)
                if value:
                    named.add(value)
    ctx.named_codes = frozenset(named)


def workbook_export(
    *,
    out: IO[bytes] | io.BytesIO,
    actor: User | None,
    scope: Scope | None,
    org_code: str = "",
    progress: Progress = NULL,
) -> dict[str, int]:
    """Export the workbook (`selectors.workbook_write`) and log the export."""
    counts = workbook_write(out=out, actor=actor, scope=scope, org_code=org_code, progress=progress)
    ExchangeLog.objects.create(
        kind=ExchangeKind.EXPORT, actor=actor, org_code=org_code, succeeded=True, counts=counts
    )
    return counts
