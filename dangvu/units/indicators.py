"""Indicators computed from the tree (catalogue: "Organisation, at the end date")."""

from __future__ import annotations

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.units.models import UnitKind


@computes("org.direct_committees")
def direct_committees(ctx: Ctx) -> Rows:
    return ctx.units_below([UnitKind.DIRECT])


@computes("org.grassroots_total")
def grassroots_total(ctx: Ctx) -> Rows:
    return ctx.units_below([UnitKind.GRASSROOTS_COMMITTEE, UnitKind.GRASSROOTS_CELL])


@computes("org.grassroots_committees")
def grassroots_committees(ctx: Ctx) -> Rows:
    return ctx.units_below([UnitKind.GRASSROOTS_COMMITTEE])


@computes("org.grassroots_cells")
def grassroots_cells(ctx: Ctx) -> Rows:
    return ctx.units_below([UnitKind.GRASSROOTS_CELL])
