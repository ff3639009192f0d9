"""The figures' part of the home page's things to do (see home/todo.py): the validation
findings of the units' figures; and the latest programme, which other apps' things ask
against (read once per request)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import reverse

from dangvu.accounts.models import User
from dangvu.home.todo import Ask, Held, Todo, to_do
from dangvu.indicators.models import EnteredValue, Programme
from dangvu.indicators.selectors import default_period, programmes_latest_first
from dangvu.lib.periods import Period

#: How long a unit's count of validation findings is kept (seconds).
FINDINGS_TTL = 15 * 60


def latest_programme(ask: Ask) -> Programme | None:
    """The programme issued last, or None (one query a request)."""
    found: Programme | None = ask.once(
        "indicators.latest_programme", lambda: programmes_latest_first().first()
    )
    return found


@to_do(kind="staff", order=20)
def findings(ask: Ask, units: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """The validation findings of each unit's figures for the programme's period, as the
    user may see them. Only entered values break a rule (computed figures agree by
    construction), so the check runs only where some lie under the unit (one query for
    all the units first), and its count is kept for a while (`FINDINGS_TTL`)."""
    programme = latest_programme(ask)
    if programme is None:
        return []
    period = default_period(programme)
    under = Q(pk__in=[])
    for unit in units:
        under |= Q(unit__versions__path__startswith=unit.path)
    entered = EnteredValue.objects.filter(
        under, period_start__lt=period.end, period_end__gt=period.start
    )
    if ask.scope.user is None or not entered.exists():
        return []
    out = []
    for unit in units:
        n = _findings_count(ask.scope.user, unit, period)
        if n:
            out.append(
                (
                    unit.unit_id,
                    [
                        Todo(
                            f"{n} điểm cần xem lại trong số liệu của {unit.name} "
                            f"{period.display()}.",
                            reverse("indicators:overview") + f"?don_vi={unit.code}",
                            "Xem số liệu",
                            kind="findings",
                        )
                    ],
                )
            )
    return out


def _findings_count(user: User, unit: Held, period: Period) -> int:
    """How many findings the user sees for the unit's figures (cached: the key changes
    when an entered value under the unit does)."""
    from dangvu.indicators.disclosure import Viewer, visible_findings
    from dangvu.indicators.validation import check
    from dangvu.units.models import Unit

    stamp = EnteredValue.objects.filter(unit__versions__path__startswith=unit.path).aggregate(
        at=Max("entered_at"), n=Count("pk")
    )
    at = stamp["at"].timestamp() if stamp["at"] else 0
    key = f"home:findings:{user.pk}:{unit.unit_id}:{period.label}:{stamp['n']}:{at}"
    cached = cache.get(key)
    if cached is not None:
        return int(cached)
    found = check(unit=Unit.objects.get(pk=unit.unit_id), period=period)
    n = len(visible_findings(Viewer.of(user), found))
    cache.set(key, n, FINDINGS_TTL)
    return n
