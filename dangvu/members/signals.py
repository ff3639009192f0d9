"""What the members tell the modules above them (they connect in their `apps.py`).

`memberships_changed` is sent inside the transaction of every write of memberships (a
member's admission, transfer or departure, an import, a reorganisation), with the units
the memberships stood in and the days among their old and new starts and ends: a module
that keeps counts of members (the indicators' tallies) brings them in step before the
transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.dispatch import Signal

memberships_changed = Signal()


def announce(stints: Iterable[tuple[int, date, date]]) -> None:
    """Send `memberships_changed` for these (unit id, start, end) of memberships, old and
    new."""
    from dangvu.members.models import Membership

    units: set[int] = set()
    days: set[date] = set()
    for unit_id, start, end in stints:
        units.add(unit_id)
        days.update((start, end))
    if units:
        memberships_changed.send(Membership, unit_ids=units, days=days)
