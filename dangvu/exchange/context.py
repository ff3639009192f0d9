"""State shared by the sheet loaders of one import and the dumpers of one export.

The lookups every sheet asks for (units by code, the units the importer writes) are named,
cached properties here. What only one app's sheets pass between them is that app's own
typed class, kept once per run: `ctx.state(_TreeImport)` gives the same instance to every
sheet of the run, created on first use (the class takes the context, or nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from dangvu.accounts.models import User
from dangvu.accounts.permissions import ADMIN_CAPABILITIES, Capability
from dangvu.accounts.scope import Scope, today
from dangvu.exchange.workbook import BadCell, Row, SheetSpec
from dangvu.units.models import Unit, UnitVersion

State = TypeVar("State")

#: How many keys one lookup names (`IN` lists: under SQLite's 32,766 parameters, and
#: small enough for PostgreSQL to plan as index scans).
CHUNK = 5000


def may(scope: Scope | None, cap: Capability | str) -> bool:
    """Whether an import or export may open a sheet guarded by `cap`. Without a scope (the
    command line run without --as, the benchmarks) the run has the administrator's
    capabilities over the whole tree: every sheet but the inspection cases, which only a
    named reader opens (every read of them is recorded against a person)."""
    cap = Capability(cap)
    return cap in ADMIN_CAPABILITIES if scope is None else scope.can(cap)


class _States:
    """One instance of each state class per run (see the module's docstring)."""

    def __init__(self) -> None:
        self._by_class: dict[type, Any] = {}

    def get(self, kind: type[State], make: Callable[[], State]) -> State:
        if kind not in self._by_class:
            self._by_class[kind] = make()
        value: State = self._by_class[kind]
        return value


@dataclass
class ImportContext:
    """One import run. `scope` is None for the command line run without --as: the operator,
    with the administrator's capabilities (see `may`)."""

    actor: User | None
    scope: Scope | None
    day: date = field(default_factory=today)
    errors: list[BadCell] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # every present sheet, parsed
    #: The unit codes the workbook's rows name (None: not known, read the whole tree). The
    #: tree's lookups read these units and their parents only, so that an import costs what
    #: the workbook holds, not what the database holds.
    named_codes: frozenset[str] | None = None
    #: Writes that stand whatever becomes of the import (written, refused or a dry run),
    #: made after its transaction: the read log of records a loader compared with its rows,
    #: since the answer ("updated", "unchanged", a refusal) told the importer about them.
    kept: list[Callable[[], None]] = field(default_factory=list)
    _states: _States = field(default_factory=_States, repr=False)

    def error(self, spec: SheetSpec, row: Row | None, field_name: str, reason: str) -> None:
        column = spec.header(field_name) if field_name else ""
        self.errors.append(BadCell(spec.name, row.number if row else 0, column, reason))

    def may(self, cap: Capability) -> bool:
        return may(self.scope, cap)

    def keep(self, write: Callable[[], None]) -> None:
        """Run `write` after the import's transaction, even when it is rolled back."""
        self.kept.append(write)

    def state(self, kind: type[State]) -> State:
        """The run's one instance of an app's state class (made with the context)."""
        return self._states.get(kind, lambda: _make(kind, self))

    # -- the tree, as the sheets see it -------------------------------------------------
    @cached_property
    def units_by_code(self) -> dict[str, Unit]:
        """The units the workbook names (every unit when that is not known), with the units
        that were ever their parents, by code; those the tree sheets just wrote included
        (read after them). A code absent here names no unit."""
        if self.named_codes is None:
            return {u.code: u for u in Unit.objects.all()}
        found: dict[str, Unit] = {}
        codes = sorted(self.named_codes)
        for start in range(0, len(codes), CHUNK):
            for unit in Unit.objects.filter(code__in=codes[start : start + CHUNK]):
                found[unit.code] = unit
        ids = sorted({u.pk for u in found.values()})
        parents: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            parents.update(
                UnitVersion.objects.filter(
                    unit_id__in=ids[start : start + CHUNK], parent__isnull=False
                ).values_list("parent_id", flat=True)
            )
        parents -= set(ids)
        wanted = sorted(parents)
        for start in range(0, len(wanted), CHUNK):
            for unit in Unit.objects.filter(pk__in=wanted[start : start + CHUNK]):
                found[unit.code] = unit
        return found

    @cached_property
    def unit_ids_by_code(self) -> dict[str, int]:
        return {code: unit.pk for code, unit in self.units_by_code.items()}

    @cached_property
    def unit_codes_by_id(self) -> dict[int, str]:
        return {unit.pk: code for code, unit in self.units_by_code.items()}

    def units_written(self, by_code: dict[str, Unit]) -> None:
        """The tree sheets wrote units: later sheets see them (and their new ids)."""
        for name in ("unit_ids_by_code", "unit_codes_by_id", "writable_unit_ids"):
            self.__dict__.pop(name, None)
        self.__dict__["units_by_code"] = by_code

    @cached_property
    def writable_unit_ids(self) -> frozenset[int] | None:
        """The units the importer writes today (the roles in force), None for the command
        line (the operator writes everything). Every loader asks here before any check that
        would tell something about what lies outside."""
        if self.scope is None:
            return None
        return frozenset(
            self.scope.writable_units(Capability.EXCHANGE).values_list("pk", flat=True)
        )

    def writes(self, unit_id: int) -> bool:
        """Whether the importer writes this unit today."""
        ids = self.writable_unit_ids
        return ids is None or unit_id in ids


@dataclass
class ExportContext:
    """One export run: `unit_ids` limits it to a subtree (None: everything). `scope` is the
    exporting user's (None for the command line): a sheet of records guarded by another
    capability (inspection cases) writes only what that capability reaches."""

    unit_ids: set[int] | None = None
    scope: Scope | None = None
    actor: User | None = None
    _states: _States = field(default_factory=_States, repr=False)

    def state(self, kind: type[State]) -> State:
        """The run's one instance of an app's state class (as `ImportContext.state`)."""
        return self._states.get(kind, lambda: _make(kind, self))

    @cached_property
    def units_by_id(self) -> dict[int, Unit]:
        return Unit.objects.in_bulk()

    @cached_property
    def unit_codes_by_id(self) -> dict[int, str]:
        return {pk: unit.code for pk, unit in self.units_by_id.items()}


def _make(kind: type[State], ctx: ImportContext | ExportContext) -> State:
    return kind(ctx)  # type: ignore[call-arg]  # a state class takes the run's context
