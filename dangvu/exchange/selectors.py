"""Export of the exchange workbook, and its empty template (written with XlsxWriter)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope
from dangvu.core.progress import NULL, Progress
from dangvu.core.replica import reads_from_replica
from dangvu.exchange.context import ExportContext, may
from dangvu.exchange.models import ExchangeLog
from dangvu.exchange.workbook import SheetSpec, boolean, registry
from dangvu.lib.xlsx_book import Book, Sheet
from dangvu.units.models import Unit, UnitVersion

HEADER = {"bold": True, "bg_color": "#F2DCDB", "border": 1}
VALIDATED_ROWS = 99_999  # rows 2..100000, zero-based


def _subtree_unit_ids(code: str) -> set[int]:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValueError(f"Không có đơn vị mã {code}.")
    paths = set(unit.versions.values_list("path", flat=True))
    ids: set[int] = set()
    for path in paths:
        ids |= set(UnitVersion.objects.under(path).values_list("unit_id", flat=True))
    return ids


def export_unit_ids(
    *, scope: Scope | None, org_code: str = "", cap: Capability = Capability.EXCHANGE
) -> set[int] | None:
    """Which units an export covers: the org's subtree, cut to what the user may export
    (with the capability of the sheet)."""
    ids = _subtree_unit_ids(org_code) if org_code else None
    if scope is not None and not scope.everywhere(cap):
        # Guarded records (inspection cases) go only to roles in force today.
        units = scope.writable_units(cap) if cap == Capability.DISCIPLINE else scope.units(cap)
        allowed = set(units.values_list("pk", flat=True))
        ids = allowed if ids is None else ids & allowed
    return ids


class _Writer:
    """One workbook being written: formats made once, rows written cell by cell."""

    def __init__(self, out: IO[bytes] | io.BytesIO) -> None:
        # Rows are written in order and flushed as they go (constant memory).
        self.book = Book(out, constant_memory=True)
        self.header = self.book.add_format(HEADER)

    def sheet(self, spec: SheetSpec) -> Sheet:
        sheet = self.book.add_worksheet(spec.name)
        for index, column in enumerate(spec.columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(0, index, column.header, self.header)
        sheet.freeze_panes(1, 0)
        return sheet

    def rows(self, sheet: Sheet, rows: Iterable[Sequence[Any]], start: int = 1) -> int:
        number = start
        for row in rows:
            for index, value in enumerate(row):
                self.cell(sheet, number, index, value)
            number += 1
        return number - start

    def cell(self, sheet: Sheet, row: int, col: int, value: Any) -> None:
        sheet.write(row, col, value)  # by type: dates as dates, text as text (lib/xlsx_book)


@reads_from_replica()
def workbook_write(
    *,
    out: IO[bytes] | io.BytesIO,
    actor: User | None,
    scope: Scope | None,
    org_code: str = "",
    progress: Progress = NULL,
) -> dict[str, int]:
    """Write every registered sheet (the user's reach, or the org's subtree) to `out`. A
    sheet the run may not open (`context.may`) is written as its header alone. The export
    itself, logged, is `services.workbook_export`."""
    contexts: dict[str, ExportContext] = {}
    writer = _Writer(out)
    counts: dict[str, int] = {}
    sheets = registry.ordered()
    progress.step("Đang xuất dữ liệu", total=len(sheets))
    for spec in sheets:
        progress.say(f"Trang {spec.name}: {spec.title}")
        progress.advance()
        cap = Capability(spec.capability)
        if not may(scope, cap):
            counts[spec.name] = 0  # the sheet's header only: the user holds no key to it
            writer.sheet(spec)
            continue
        if cap not in contexts:
            contexts[cap] = ExportContext(
                unit_ids=export_unit_ids(scope=scope, org_code=org_code, cap=cap),
                scope=scope,
                actor=actor,
            )
        counts[spec.name] = writer.rows(writer.sheet(spec), spec.dump(contexts[cap]))
    writer.book.close()
    return counts


GUIDE = [
    "Mỗi trang tính là một loại dữ liệu. Dòng 1 là tên cột; xóa dòng ví dụ trước khi nhập.",
    "Ngày ghi dạng dd/mm/yyyy hoặc kiểu ngày của Excel. Cột Có/Không: ghi Có, Không, x hoặc để trống.",
    "Cả tệp được nhập trong một lần: chỉ cần một ô sai là không có gì được ghi, "
    "và mọi ô sai đều được liệt kê.",
    "Thiếu một cột không bắt buộc thì dữ liệu của cột đó được giữ nguyên.",
]


def template_workbook() -> bytes:
    """The empty workbook: headers, one example row, drop-downs for coded columns, a guide."""
    out = io.BytesIO()
    writer = _Writer(out)
    guide = writer.book.add_worksheet("HuongDan")
    guide.write_string(
        0, 0, "Mẫu trao đổi dữ liệu dangvu", writer.book.add_format({"bold": True, "font_size": 14})
    )
    for number, sentence in enumerate(GUIDE, start=1):
        guide.write_string(number, 0, sentence)
    line = len(GUIDE) + 2
    for index, title in enumerate(["Trang tính", "Cột", "Bắt buộc", "Giá trị"]):
        guide.write_string(line, index, title, writer.header)
    guide.set_column(0, 0, 20)
    guide.set_column(1, 1, 26)
    guide.set_column(3, 3, 90)
    for spec in registry.ordered():
        sheet = writer.sheet(spec)
        for index, column in enumerate(spec.columns):
            options = column.options
            labels = [label for _, label in options] if options else None
            if column.parse is boolean:
                labels = ["Có", "Không"]
            line += 1
            described = ", ".join(labels) if options and labels else column.note
            guide.write_string(line, 0, spec.name)
            guide.write_string(line, 1, column.header)
            writer.cell(guide, line, 2, "Có" if column.required else "")
            writer.cell(guide, line, 3, described)
            if labels:
                sheet.data_validation(
                    1,
                    index,
                    VALIDATED_ROWS,
                    index,
                    {
                        "validate": "list",
                        "source": labels,
                        "ignore_blank": True,
                        "error_title": "Giá trị không hợp lệ",
                        "error_message": "Chọn một giá trị trong danh sách.",
                    },
                )
        example = [column.example for column in spec.columns]
        if any(v is not None for v in example):
            writer.rows(sheet, [example])
    writer.book.close()
    return out.getvalue()


def exchange_history(*, user: User) -> list[ExchangeLog]:
    """The latest imports and exports: the user's own (10), everyone's for a superuser (20)."""
    logs = ExchangeLog.objects.select_related("actor")
    if user.is_superuser:
        return list(logs[:20])
    return list(logs.filter(actor=user)[:10])
