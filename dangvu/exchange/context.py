"""State shared by the sheet loaders of one import and the dumpers of one export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dangvu.accounts.models import User
from dangvu.accounts.permissions import ADMIN_CAPABILITIES, Capability
from dangvu.accounts.scope import Scope, today
from dangvu.exchange.workbook import BadCell, Row, SheetSpec


def may(scope: Scope | None, cap: Capability | str) -> bool:
    """Whether an import or export may open a sheet guarded by `cap`. Without a scope (the
    command line run without --as, the benchmarks) the run has the administrator's
    capabilities over the whole tree: every sheet but the inspection cases, which only a
    named reader opens (every read of them is recorded against a person)."""
    cap = Capability(cap)
    return cap in ADMIN_CAPABILITIES if scope is None else scope.can(cap)


@dataclass
class ImportContext:
    """One import run. `scope` is None for the command line run without --as: the operator,
    with the administrator's capabilities (see `may`)."""

    actor: User | None
    scope: Scope | None
    day: date = field(default_factory=today)
    errors: list[BadCell] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # every present sheet, parsed
    shared: dict[str, Any] = field(default_factory=dict)  # loaders pass lookups along
    #: Writes that stand whatever becomes of the import (written, refused or a dry run),
    #: made after its transaction: the read log of records a loader compared with its rows,
    #: since the answer ("updated", "unchanged", a refusal) told the importer about them.
    kept: list[Callable[[], None]] = field(default_factory=list)

    def error(self, spec: SheetSpec, row: Row | None, field_name: str, reason: str) -> None:
        column = spec.header(field_name) if field_name else ""
        self.errors.append(BadCell(spec.name, row.number if row else 0, column, reason))

    def may(self, cap: Capability) -> bool:
        return may(self.scope, cap)

    def keep(self, write: Callable[[], None]) -> None:
        """Run `write` after the import's transaction, even when it is rolled back."""
        self.kept.append(write)


@dataclass
class ExportContext:
    """One export run: `unit_ids` limits it to a subtree (None: everything). `scope` is the
    exporting user's (None for the command line): a sheet of records guarded by another
    capability (inspection cases) writes only what that capability reaches."""

    unit_ids: set[int] | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    scope: Scope | None = None
    actor: User | None = None
