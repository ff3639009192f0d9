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

from dangvu.indicators.disclosure import plain
from dangvu.indicators.engine import evaluate, shape, total
from dangvu.indicators.models import Indicator, Kind
from dangvu.indicators.selectors import indicators_of
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
    is shown) — what `report_for` gives the operator."""
    return snapshots([unit], rnd)[unit.pk]


def snapshots(units: list[Unit], rnd: ReportingRound) -> dict[int, dict[str, Any]]:
    """`snapshot` of several units from one evaluation (its cost is the period's records,
    whatever the number of units): unit id → {"indicators", "totals", "kinds"}."""
    indicators = indicators_of(rnd.programme)
    ev = evaluate(targets=units, period=period_of(rnd), indicators=indicators)
    out: dict[int, dict[str, Any]] = {}
    for unit in units:
        shaped, totals = {}, {}
        for indicator in indicators:
            values = ev.of(indicator.code, unit.pk)
            present = any(v is not None for row in values.values() for v in row.values())
            missing = indicator.code not in ev.computed and not present
            shaped[indicator.code] = (
                None if missing else _jsonable(shape(plain(values), indicator.dims))
            )
            totals[indicator.code] = _number(total(values))
        kinds = {i.code: i.kind for i in indicators}
        out[unit.pk] = {"indicators": shaped, "totals": totals, "kinds": kinds}
    return out


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
