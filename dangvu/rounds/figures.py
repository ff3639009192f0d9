"""The figures of a round: a unit's snapshot when its report is accepted, and the live
figures of every reporting unit and the round's own unit, evaluated together (one
evaluation for the board, whatever the number of units)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.engine import evaluate, shape, total
from dangvu.indicators.models import Indicator, Kind
from dangvu.indicators.selectors import indicators_of, report_for
from dangvu.lib.periods import Period, parse_period
from dangvu.rounds.models import ReportingRound
from dangvu.units.models import Unit


def period_of(rnd: ReportingRound) -> Period:
    return parse_period(rnd.period)


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    number = float(value)
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() else round(number, 4)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, int | float) or value is None or hasattr(value, "as_tuple"):
        return _number(value)
    return value


def snapshot(unit: Unit, rnd: ReportingRound) -> dict[str, Any]:
    """Every figure of the programme for the unit over the round's period, as it is (the
    operator's view: the snapshot is the record; who may read a figure is asked when it
    is shown)."""
    data = report_for(
        unit=unit,
        period=period_of(rnd),
        prog=rnd.programme,
        viewer=Viewer.operator(),
        with_findings=False,
    )
    lines = [line for block in data.blocks for line in block.lines]
    return {
        "indicators": {line.indicator.code: _jsonable(line.shaped) for line in lines},
        "totals": {line.indicator.code: _number(line.total) for line in lines},
        "kinds": {line.indicator.code: line.indicator.kind for line in lines},
    }


@dataclass
class Live:
    """Live totals per indicator code per unit id (None: no figure)."""

    totals: dict[str, dict[int, float | int | None]]
    shaped: dict[str, dict[int, Any]]
    computed_at: datetime | None = None


#: How long the board's live figures are kept (they cost one evaluation of the programme over
#: the round's whole period; a step of the round — accept, reopen — refreshes them at once).
LIVE_TTL = 600


def live(units: list[Unit], rnd: ReportingRound) -> Live:
    """The live figures of the units, kept for `LIVE_TTL` seconds per round and per state
    of its reports (any report saved since starts afresh)."""
    stamp = rnd.reports.aggregate(latest=Max("updated_at"))["latest"]
    ids = ",".join(str(u.pk) for u in units)
    key = "rounds:live:" + hashlib.sha1(f"{rnd.pk}|{stamp}|{ids}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _live(units, rnd)
        found.computed_at = timezone.now()
        cache.set(key, found, LIVE_TTL)
    return found


def _live(units: list[Unit], rnd: ReportingRound) -> Live:
    indicators: list[Indicator] = indicators_of(rnd.programme)
    ev = evaluate(targets=units, period=period_of(rnd), indicators=indicators)
    totals: dict[str, dict[int, float | int | None]] = {}
    shaped: dict[str, dict[int, Any]] = {}
    for indicator in indicators:
        per_unit = ev.values.get(indicator.code, {})
        totals[indicator.code] = {u.pk: _number(total(per_unit.get(u.pk, {}))) for u in units}
        shaped[indicator.code] = {
            u.pk: _jsonable(shape(per_unit.get(u.pk, {}), indicator.dims)) for u in units
        }
    return Live(totals, shaped)


def additive(indicator: Indicator) -> bool:
    """A figure the units' figures add up to (counts, at the end or over the period); a
    rate does not."""
    return indicator.kind != Kind.RATE
