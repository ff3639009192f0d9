"""Where modules plug their things to do into the home page ("việc cần làm").

In an app's `todo.py` (discovered when the home app is ready):

    @to_do(kind="cell", order=50, capability=Capability.RUN_REVIEWS)
    def remediation_overdue(ask: Ask, cells: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
        ...

Three kinds, by what the user holds today (roles in force only):
- "member": `fn(ask) -> list[Todo]`, the user's own things, asked only of a member;
- "cell": `fn(ask, cells) -> [(unit_id, todos)]`, for the cells the user runs that hold the
  provider's `capability` (not asked when none does);
- "staff": `fn(ask, units) -> [(unit_id, todos)]`, for the units above the cells where the
  user may view reports (and holds the provider's `capability`, if any).

The gatherer imports none of the modules: each provider reads through its own app's models
and selectors, with a fixed number of set-based queries whatever the length of its list.
Providers are asked by `order` within their kind; what two of them both need (the member's
cell, the latest programme) is read once per request (`Ask.cell_id`, `Ask.once`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from dangvu.accounts.permissions import DEPARTMENT_CAPABILITIES, Capability
from dangvu.core.effective import active_on
from dangvu.members.models import Membership
from dangvu.units.models import CELL_KINDS

if TYPE_CHECKING:
    from dangvu.accounts.models import User
    from dangvu.accounts.scope import Scope

#: How many things of one kind are each an item; the rest are counted ("Còn 4 … khác").
FIRST = 3
#: How many names a sentence lists before "…".
NAMES = 3

Kind = Literal["member", "cell", "staff"]
KINDS: tuple[Kind, ...] = ("member", "cell", "staff")
Gather = Callable[..., Any]


@dataclass(frozen=True)
class Todo:
    """One thing to do: a sentence, and where to do it (a link, or a button posting
    `fields` to `url`). Without a url, it only informs (the next meeting)."""

    text: str
    url: str = ""
    action: str = "Xem"
    detail: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    kind: str = ""  # a stable name for tests and styling

    @property
    def posts(self) -> bool:
        return bool(self.fields)


@dataclass
class Section:
    title: str
    items: list[Todo] = field(default_factory=list)


@dataclass
class Todos:
    sections: list[Section]

    @property
    def empty(self) -> bool:
        return not any(s.items for s in self.sections)

    def kinds(self) -> list[str]:
        return [t.kind for s in self.sections for t in s.items]


@dataclass(frozen=True)
class Held:
    """A unit where the user holds a role in force today, as it stands today."""

    unit_id: int
    code: str
    name: str
    kind: str
    path: str
    founded_on: date
    departments: frozenset[str]

    def can(self, cap: Capability) -> bool:
        return any(cap in DEPARTMENT_CAPABILITIES.get(d, ()) for d in self.departments)

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS


@dataclass
class Ask:
    """Who asks, and when: what every provider receives, with what they share."""

    user: User
    scope: Scope
    now: date
    _shared: dict[str, Any] = field(default_factory=dict)

    @property
    def member_id(self) -> int:
        """The user's member record (the "member" providers are asked only of a member)."""
        if self.user.member_id is None:
            raise LookupError("The user is not a member.")
        return self.user.member_id

    @cached_property
    def cell_id(self) -> int | None:
        """The cell the member stands in today (one query, asked at most once)."""
        return (
            Membership.objects.filter(active_on(self.now), member_id=self.member_id)
            .values_list("unit_id", flat=True)
            .first()
        )

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        """`read()`, asked once per request however many providers need it."""
        if key not in self._shared:
            self._shared[key] = read()
        return self._shared[key]


@dataclass(frozen=True)
class Provider:
    """One kind of thing to do: whose, its place, what a unit must allow, what gathers it."""

    kind: Kind
    order: int
    capability: Capability | None
    gather: Gather


PROVIDERS: dict[str, Provider] = {}


def to_do(
    *, kind: Kind, order: int, capability: Capability | None = None
) -> Callable[[Gather], Gather]:
    """Plug the decorated provider into the home page's things to do."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of things to do: {kind!r}")

    def register(fn: Gather) -> Gather:
        PROVIDERS[f"{fn.__module__}.{fn.__qualname__}"] = Provider(kind, order, capability, fn)
        return fn

    return register


def providers(kind: Kind) -> list[Provider]:
    return sorted((p for p in PROVIDERS.values() if p.kind == kind), key=lambda p: p.order)


def gather(ask: Ask, held: list[Held]) -> Todos:
    """Everything that waits for the user today, by role: their own things as a member,
    then each cell they run, then the units above the cells they work for."""
    sections = []
    if ask.user.member_id is not None:
        items: list[Todo] = []
        for provider in providers("member"):
            items.extend(provider.gather(ask))
        sections.append(Section("Việc của bạn", items))
    cells = [u for u in held if u.is_cell]
    if cells:
        by_cell = _by_unit(ask, "cell", cells)
        sections += [Section(c.name, by_cell.get(c.unit_id, [])) for c in cells]
    above = [u for u in held if not u.is_cell and u.can(Capability.VIEW_REPORTS)]
    if above:
        by_unit = _by_unit(ask, "staff", above)
        sections += [Section(u.name, by_unit.get(u.unit_id, [])) for u in above]
    return Todos([s for s in sections if s.items])


def _by_unit(ask: Ask, kind: Kind, units: list[Held]) -> dict[int, list[Todo]]:
    out: dict[int, list[Todo]] = defaultdict(list)
    for provider in providers(kind):
        cap = provider.capability
        allowed = [u for u in units if cap is None or u.can(cap)]
        if allowed:
            for unit_id, todos in provider.gather(ask, allowed):
                out[unit_id].extend(todos)
    return out


# -- helpers the providers share -----------------------------------------------------------------
def counts(rows: QuerySet[Any], by: str) -> dict[Any, int]:
    """How many rows of each value of `by` (one grouped query)."""
    return dict(rows.order_by().values_list(by).annotate(n=Count("pk")))


def firsts(
    rows: QuerySet[Any], by: str, order: tuple[str, ...], limit: int = FIRST
) -> dict[Any, list[Any]]:
    """The first `limit` rows of each value of `by` in `order`: one query, numbering the
    rows of each value (a window), so a cell of 300 members costs what a cell of 3 does."""
    rank = Window(RowNumber(), partition_by=[F(by)], order_by=[_order(o) for o in order])
    found: dict[Any, list[Any]] = defaultdict(list)
    for row in rows.annotate(rank=rank).filter(rank__lte=limit).order_by(by, "rank"):
        found[getattr(row, by)].append(row)
    return found


def _order(name: str) -> Any:
    return F(name[1:]).desc() if name.startswith("-") else F(name).asc()


def listed(names: list[str], n: int) -> str:
    """The first few names, then "…" when there are more than `NAMES`."""
    return ", ".join(names[:NAMES]) + (", …" if n > NAMES else "")
