"""State shared by the sheet loaders of one import and the dumpers of one export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope, today
from dangvu.exchange.workbook import BadCell, Row, SheetSpec


@dataclass
class ImportContext:
    """One import run. `scope` is None for the command line (the operator is trusted)."""

    actor: User | None
    scope: Scope | None
    day: date = field(default_factory=today)
    errors: list[BadCell] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # every present sheet, parsed
    shared: dict[str, Any] = field(default_factory=dict)  # loaders pass lookups along

    def error(self, spec: SheetSpec, row: Row | None, field_name: str, reason: str) -> None:
        column = spec.header(field_name) if field_name else ""
        self.errors.append(BadCell(spec.name, row.number if row else 0, column, reason))

    def may(self, cap: Capability) -> bool:
        return self.scope is None or self.scope.can(cap)


@dataclass
class ExportContext:
    """One export run: `unit_ids` limits it to a subtree (None: everything). `scope` is the
    exporting user's (None for the command line): a sheet of records guarded by another
    capability (inspection cases) writes only what that capability reaches."""

    unit_ids: set[int] | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    scope: Scope | None = None
    actor: User | None = None
