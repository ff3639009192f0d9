"""Helpers of the indicator tests: entering values as users do, reading them as reports do,
and test computations written the way later modules will write theirs."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Case, Value, When

from dangvu.accounts.models import User
from dangvu.conftest import World
from dangvu.indicators.engine import Ctx, evaluate, shape
from dangvu.indicators.models import EnteredValue, Indicator
from dangvu.indicators.registry import Rows
from dangvu.indicators.services import entered_value_set
from dangvu.lib.periods import Period, parse_period
from dangvu.members.models import Membership

SEED_PERIOD = "2018-07-05..2023-06-30"

EATLING = "DN.CUJUT.EATLING"
TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
UBKT = "DN.DAKMIL.UBKT"
DUCMINH = "DN.DAKMIL.DUCMINH"
T1 = "DN.DAKMIL.DUCMINH.T1"
QUANGTRUC = "DN.TUYDUC.QUANGTRUC"
BP = "DN.TUYDUC.QUANGTRUC.BP"
DISTRICTS = ["DN.CUJUT", "DN.DAKMIL", "DN.TUYDUC"]


def period_of(text: str | Period) -> Period:
    return text if isinstance(text, Period) else parse_period(text)


def enter(
    world: World,
    code: str,
    unit: str,
    period: str | Period,
    value: float,
    *,
    key: str = "",
    actor: User | None = None,
) -> EnteredValue:
    """Enter an aggregate value through the service, as the entry grid and import do."""
    return entered_value_set(
        indicator=Indicator.objects.get(code=code),
        unit=world.units[unit],
        period=period_of(period),
        value=Decimal(str(value)),
        key=key,
        actor=actor,
    )


def figures(
    world: World,
    code: str,
    units: Iterable[str],
    period: str | Period,
    *,
    split: str | None = None,
) -> dict[str, Any]:
    """The JSON-shaped value of one indicator for each unit (one evaluation for all)."""
    codes = list(units)
    indicator = Indicator.objects.get(code=code)
    ev = evaluate(
        targets=[world.units[c] for c in codes],
        period=period_of(period),
        indicators=[indicator],
        split=split,
    )
    dims = indicator.dims if split is None else [*indicator.dims, split]
    return {c: shape(ev.of(code, world.units[c].pk), dims) for c in codes}


def figure(world: World, code: str, unit: str, period: str | Period, **kw: Any) -> Any:
    return figures(world, code, [unit], period, **kw)[unit]


def memberships_started(ctx: Ctx) -> Rows:
    """Test computation: memberships that start in the period, as dated events."""
    return ctx.events(Membership.objects.all(), date="valid_from")


def memberships_started_by_gender(ctx: Ctx) -> Rows:
    """Test computation with a key: women count at commune level, men at district level."""
    level = Case(
        When(member__gender="F", then=Value("commune")),
        default=Value("district"),
    )
    return ctx.events(Membership.objects.all(), date="valid_from", key=level)
