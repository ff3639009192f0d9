"""Export of the exchange workbook, and its empty template."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope
from dangvu.exchange.context import ExportContext
from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.workbook import SheetSpec, registry
from dangvu.units.models import Unit, UnitVersion

DATE_FORMAT = "DD/MM/YYYY"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _subtree_unit_ids(code: str) -> set[int]:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValueError(f"Không có đơn vị mã {code}.")
    paths = set(unit.versions.values_list("path", flat=True))
    ids: set[int] = set()
    for path in paths:
        ids |= set(UnitVersion.objects.under(path).values_list("unit_id", flat=True))
    return ids


def export_unit_ids(*, scope: Scope | None, org_code: str = "") -> set[int] | None:
    """Which units an export covers: the org's subtree, cut to what the user may export."""
    ids = _subtree_unit_ids(org_code) if org_code else None
    if scope is not None and not scope.is_admin:
        allowed = set(scope.units(Capability.EXCHANGE).values_list("pk", flat=True))
        ids = allowed if ids is None else ids & allowed
    return ids


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # dates are fine
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _header(sheet: Any, spec: SheetSpec) -> list[Any]:
    cells = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def workbook_export(
    *, out: io.BufferedIOBase | Any, actor: User | None, scope: Scope | None, org_code: str = ""
) -> dict[str, int]:
    """Write every registered sheet (the user's reach, or the org's subtree) to `out`."""
    ctx = ExportContext(unit_ids=export_unit_ids(scope=scope, org_code=org_code))
    book = openpyxl.Workbook(write_only=True)
    counts: dict[str, int] = {}
    for spec in registry.ordered():
        sheet = book.create_sheet(spec.name)
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        sheet.append(_header(sheet, spec))
        n = 0
        for row in spec.dump(ctx):
            sheet.append([_cell(sheet, v) for v in row])
            n += 1
        counts[spec.name] = n
    book.save(out)
    ExchangeLog.objects.create(
        kind=ExchangeKind.EXPORT, actor=actor, org_code=org_code, succeeded=True, counts=counts
    )
    return counts


def template_workbook() -> bytes:
    """The empty workbook: headers, one example row, drop-downs for coded columns, a guide."""
    book = openpyxl.Workbook()
    guide = book.active
    assert isinstance(guide, Worksheet)
    guide.title = "HuongDan"
    guide.append(["Mẫu trao đổi dữ liệu dangvu"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append(
        ["Mỗi trang tính là một loại dữ liệu. Dòng 1 là tên cột; xóa dòng ví dụ trước khi nhập."]
    )
    guide.append(
        [
            "Ngày ghi dạng dd/mm/yyyy hoặc kiểu ngày của Excel. Cột Có/Không: ghi Có, Không, x hoặc để trống."
        ]
    )
    guide.append(
        [
            "Cả tệp được nhập trong một lần: chỉ cần một ô sai là không có gì được ghi, và mọi ô sai đều được liệt kê."
        ]
    )
    guide.append([])
    guide.append(["Trang tính", "Cột", "Bắt buộc", "Giá trị"])
    for cell in guide[6]:
        cell.font = HEADER_FONT
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 26
    guide.column_dimensions["D"].width = 90
    for spec in registry.ordered():
        sheet = book.create_sheet(spec.name)
        example = []
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            header = sheet.cell(row=1, column=index, value=column.header)
            header.font = HEADER_FONT
            header.fill = HEADER_FILL
            example.append(column.example)
            options = column.options
            described = ", ".join(label for _, label in options) if options else column.note
            guide.append([spec.name, column.header, "Có" if column.required else "", described])
            if options:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(label for _, label in options) + '"',
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle="Giá trị không hợp lệ",
                    error="Chọn một giá trị trong danh sách.",
                )
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}100000")
            elif column.parse.__name__ == "boolean":
                validation = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}100000")
        if any(v is not None for v in example):
            sheet.append(example)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
