"""Indicator of section 2.1 from the models registered."""

from __future__ import annotations

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.practices.models import Field, Practice


@computes("model.new_models")
def new_models(ctx: Ctx) -> Rows:
    """New models of learning from and following Hồ Chí Minh, on the day they began."""
    return ctx.events(Practice.objects.filter(field=Field.HCM), date="started_on")
