"""Where modules plug in the indicators they compute.

In an app's `indicators.py`:

    @computes("org.members")
    def members(ctx: Ctx) -> Rows:
        return ctx.standing(Membership.objects.all())

A computation returns rows (bucket label, key, unit path, value) from the helpers of
`engine.Ctx`; the engine attributes them to every unit on the path and applies the
roll-up rule. An indicator of the catalogue without a computation shows "chưa có số liệu"
unless a value was entered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dangvu.indicators.engine import Ctx

Row = tuple[str, str, str, Any]  # bucket label, key, path at the time, value
Rows = Iterable[Row]
Computation = Callable[["Ctx"], Rows]

COMPUTATIONS: dict[str, Computation] = {}


def computes(code: str) -> Callable[[Computation], Computation]:
    def register(fn: Computation) -> Computation:
        COMPUTATIONS[code] = fn
        return fn

    return register
