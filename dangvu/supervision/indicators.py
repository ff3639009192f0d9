"""Indicators of section 2.5: supervisions by the Front and the organisations, by level."""

from __future__ import annotations

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.supervision.models import Supervision


@computes("supervision.front_total")
def front_total(ctx: Ctx) -> Rows:
    return ctx.events(Supervision.objects.all(), date="held_on")


@computes("supervision.front_by_level")
def front_by_level(ctx: Ctx) -> Rows:
    return ctx.events(Supervision.objects.all(), date="held_on", key="level")
