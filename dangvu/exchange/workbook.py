"""The exchange workbook framework: sheet declarations, cell parsing, errors.

A module declares each of its sheets once (`SheetSpec`: columns, how to load parsed rows,
how to dump rows) and registers it; import, export, the template and the documentation
all come from that declaration. Parsing never stops at the first bad cell: every error
is collected as `sheet, row, column: reason` in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dangvu.lib.dates import format_date, parse_date
from dangvu.lib.vietnamese import fold

if TYPE_CHECKING:
    from dangvu.exchange.context import ExportContext, ImportContext

EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A cell value that cannot be used; the message is shown to the user."""


@dataclass(frozen=True, order=True)
class BadCell:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.sheet:  # the whole file (not a workbook, no permission)
            return self.reason
        where = f"{self.sheet}, dòng {self.row}" if self.row else self.sheet
        return (
            f"{where}, cột {self.column}: {self.reason}"
            if self.column
            else f"{where}: {self.reason}"
        )


def header_key(text: Any) -> str:
    """Headers match ignoring case, diacritics and surrounding spaces."""
    return fold(str(text or "")).strip()


# -- cell parsers ---------------------------------------------------------------------
def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return " ".join(str(value).split())


_CODE = re.compile(r"[A-Za-z0-9._-]*")


def code(value: Any) -> str:
    result = text(value)
    if not _CODE.fullmatch(result):
        raise CellError(f"'{result}' không hợp lệ: chỉ dùng chữ không dấu, chữ số, . _ -")
    return result


def card(value: Any) -> str:
    """A party card number: like a code, stored upper-case so one card is one key."""
    return code(value).upper()


def date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(f"'{value}' không phải ngày hợp lệ (dd/mm/yyyy)")
    try:
        return parse_date(str(value))
    except ValueError as error:
        raise CellError(f"'{value}' không phải ngày hợp lệ (dd/mm/yyyy)") from error


def boolean(value: Any) -> bool:
    if value is None or value is False:
        return False
    if value is True:
        return True
    key = fold(str(value))
    if key in {"co", "x", "1", "true"}:
        return True
    if key in {"khong", "", "0", "false"}:
        return False
    raise CellError(f"'{value}' không hợp lệ: ghi Có hoặc Không (hoặc x, để trống)")


def year(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(float(str(value).strip()))
    except (ValueError, OverflowError) as error:  # "abc", "inf"
        raise CellError(f"'{value}' không phải năm hợp lệ") from error
    if not 1930 <= number <= 2100:
        raise CellError(f"'{value}' không phải năm hợp lệ")
    return number


def number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raw = str(value).strip().replace(".", "").replace(",", ".")
    try:
        return float(raw)
    except ValueError as error:
        raise CellError(f"'{value}' không phải số") from error


def choice(options: Sequence[tuple[str, str]]) -> Callable[[Any], str]:
    """Parser for a coded column: labels match ignoring case and diacritics."""
    by_label = {header_key(label): value for value, label in options}
    # The few spellings a sheet uses, folded once each (a province's sheet has a million
    # such cells); only accepted spellings are kept, so the cache stays that small.
    seen: dict[Any, str] = {}

    def parse(value: Any) -> str:
        found = seen.get(value) if isinstance(value, str) else None
        if found is not None:
            return found
        raw = text(value)
        if not raw:
            return ""
        found = by_label.get(header_key(raw))
        if found is None:
            allowed = ", ".join(label for _, label in options)
            raise CellError(f"'{raw}' không hợp lệ; chọn một trong: {allowed}")
        if isinstance(value, str) and len(seen) < 1000:
            seen[value] = found
        return found

    parse.options = options  # type: ignore[attr-defined]
    return parse


# -- declarations ---------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any] = text
    required: bool = False
    key: bool = False
    example: Any = None
    width: int = 18
    note: str = ""

    @property
    def options(self) -> Sequence[tuple[str, str]] | None:
        return getattr(self.parse, "options", None)


@dataclass(slots=True)
class Row:  # slots: a province's workbook holds about a million of them
    number: int  # the row number in the sheet (1 is the header)
    values: dict[str, Any]
    present: frozenset[str] = frozenset()  # fields whose column the sheet has

    def keep_absent(self, obj: object, fields: tuple[str, ...]) -> None:
        """An absent optional column changes nothing: take the current values for it."""
        for name in fields:
            if name not in self.present:
                self.values[name] = getattr(obj, name)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass
class SheetResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


Loader = Callable[["ImportContext", list[Row]], SheetResult]
Dumper = Callable[["ExportContext"], Iterable[Sequence[Any]]]


@dataclass(frozen=True)
class SheetSpec:
    name: str
    title: str
    columns: tuple[Column, ...]
    load: Loader
    dump: Dumper
    #: Where the sheet stands in the workbook and in an import's run.
    order: int = 100
    #: The sheets whose loaders must have run before this one (when present): what it
    #: reads from the context they filled. `Registry.ordered` checks `order` agrees.
    after: tuple[str, ...] = ()
    extension: bool = False  # dangvu's own sheet, beyond shared/product/exchange-format.md
    #: Who reads and writes the sheet (a Capability value): the exchange capability, or
    #: a stricter one for guarded records (inspection cases: the discipline capability).
    capability: str = "exchange"

    @property
    def unit_code_fields(self) -> frozenset[str]:
        """The columns that may name a unit (every code column; a code that is not a unit's
        costs nothing): what an import looks up of the tree (`ImportContext.named_codes`)."""
        return frozenset(c.field for c in self.columns if c.parse is code)

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def header(self, field_name: str) -> str:
        return self.column(field_name).header


@dataclass
class Registry:
    sheets: dict[str, SheetSpec] = field(default_factory=dict)

    def register(self, spec: SheetSpec) -> SheetSpec:
        self.sheets[spec.name] = spec
        return spec

    def ordered(self) -> list[SheetSpec]:
        """The sheets in their declared order, which honours every `after`."""
        specs = sorted(self.sheets.values(), key=lambda s: (s.order, s.name))
        for spec in specs:
            for name in spec.after:
                earlier = self.sheets.get(name)
                if earlier is not None and earlier.order >= spec.order:
                    raise ValueError(f"{spec.name} must come after {name}")
        return specs

    def capabilities(self) -> set[str]:
        """Every capability that opens some sheet: who may use the exchange at all."""
        return {s.capability for s in self.sheets.values()}

    def find(self, sheet_name: str) -> SheetSpec | None:
        wanted = header_key(sheet_name).replace(" ", "")
        for spec in self.sheets.values():
            if header_key(spec.name).replace(" ", "") == wanted:
                return spec
        return None


registry = Registry()


def parse_sheet(spec: SheetSpec, rows: Iterator[Sequence[Any]], errors: list[BadCell]) -> list[Row]:
    """Parse the header and every row of one sheet; collect every bad cell in `errors`."""
    header = next(rows, None)
    if header is None:
        return []
    by_key = {header_key(c.header): c for c in spec.columns}
    positions: list[tuple[int, Column]] = []
    seen: set[str] = set()
    for index, raw in enumerate(header):
        key = header_key(raw)
        if not key:
            continue
        column = by_key.get(key)
        if column is None:
            errors.append(BadCell(spec.name, 1, str(raw).strip(), "cột không có trong mẫu"))
        elif column.field in seen:
            errors.append(BadCell(spec.name, 1, column.header, "cột bị lặp lại"))
        else:
            seen.add(column.field)
            positions.append((index, column))
    present = frozenset(seen)
    missing = [c for c in spec.columns if c.required and c.field not in seen]
    for column in missing:
        errors.append(BadCell(spec.name, 1, column.header, "thiếu cột bắt buộc"))
    parsed: list[Row] = []
    keys: dict[tuple[Any, ...], int] = {}
    key_fields = [c.field for c in spec.columns if c.key]
    # An absent optional column reads as a blank cell (a boolean as Không, not NULL).
    blank: dict[str, Any] = {c.field: c.parse(None) for c in spec.columns}
    for number_, raw_row in enumerate(rows, start=2):
        if raw_row is None or all(
            v is None or (isinstance(v, str) and not v.strip()) for v in raw_row
        ):
            continue
        values = dict(blank)
        ok = True
        for index, column in positions:
            raw_value = raw_row[index] if index < len(raw_row) else None
            try:
                value = column.parse(raw_value)
            except CellError as error:
                errors.append(BadCell(spec.name, number_, column.header, str(error)))
                ok = False
                continue
            if column.required and value in (None, ""):
                errors.append(BadCell(spec.name, number_, column.header, "không được để trống"))
                ok = False
            values[column.field] = value
        if not ok:
            continue
        if key_fields:
            row_key = tuple(values[f] for f in key_fields)
            if row_key in keys:
                errors.append(
                    BadCell(
                        spec.name,
                        number_,
                        spec.header(key_fields[-1]),
                        f"trùng khóa với dòng {keys[row_key]}",
                    )
                )
                continue
            keys[row_key] = number_
        parsed.append(Row(number_, values, present))
    # Every cell is still checked, but rows without a required column cannot be loaded.
    return [] if missing else parsed
