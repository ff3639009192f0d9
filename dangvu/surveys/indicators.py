"""Indicator of section 1 from the implementation surveys (for the catalogue's programme)."""

from __future__ import annotations

from dangvu.indicators.catalogue import raw
from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.surveys.models import ImplementationSurvey


@computes("survey.implementation_rounds")
def implementation_rounds(ctx: Ctx) -> Rows:
    rounds = ImplementationSurvey.objects.filter(programme__code=raw()["programme"]["code"])
    return ctx.events(rounds, date="started_on")
