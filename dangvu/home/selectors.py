"""The home page's "việc cần làm": what waits for the signed-in user today, each thing a
sentence with names and one link (or one button) to the page where it is done.

Three kinds of things, by what the user holds today (`Scope`, roles in force only):
- as a member (their own records): an open quick assessment, this year's commitment to
  write or to revise, the next meeting of their cell, a sociological survey's invitation;
- as the runner of a cell (RUN_REVIEWS, RECORD_MEETINGS at a cell): the months of this
  year without a meeting recorded, commitments waiting for a decision, members without a
  review of the year whose rating is open, suggestions to answer, overdue remediation;
- as staff at a unit above the cells (VIEW_REPORTS): the units directly under it without a
  plan or a summary report for the latest programme, the validation findings of its
  figures, the implementation surveys and sociological surveys under way.

Each thing comes from its own app's `todo.py`, plugged in through `home.todo` (this module
imports none of them): see there for the kinds and their order.

Cost: every list is read by a fixed number of set-based queries whatever its length (a
count and the first few rows), over the units of the user's roles (a handful) or their
direct children; nothing loops over a subtree. The validation of the figures runs the
indicator engine, so it is asked only when entered values exist under the unit for the
period (computed figures agree by construction) and its count is cached for a while.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dangvu.accounts.models import User
from dangvu.accounts.scope import Scope, scope_for, today
from dangvu.home.todo import Ask, Held, Todos, gather
from dangvu.units.models import UnitVersion


def things_to_do(*, user: User) -> Todos:
    """Everything that waits for the user today, by role: their own things as a member,
    then each cell they run, then the units above the cells they work for."""
    scope = scope_for(user)
    now = today()
    return gather(Ask(user, scope, now), _held_units(scope, now))


# -- the roles in force today ------------------------------------------------------------------
def _held_units(scope: Scope, now: date) -> list[Held]:
    """The units of the user's roles in force today, as they stand today (one query)."""
    departments: dict[int, set[str]] = defaultdict(set)
    for reach in scope.reaches:
        if reach.covers(now):
            departments[reach.unit_id].add(reach.department)
    if not departments:
        return []
    versions = (
        UnitVersion.objects.as_of(now)
        .filter(unit_id__in=departments)
        .select_related("unit")
        .order_by("path")
    )
    return [
        Held(
            v.unit_id,
            v.unit.code,
            v.name,
            v.kind,
            v.path,
            v.unit.founded_on,
            frozenset(departments[v.unit_id]),
        )
        for v in versions
    ]
