"""Reads of the organisation tree, always as some user on some day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import UNIT_NOT_WRITABLE_ON, scope_for
from dangvu.core.db import bytewise
from dangvu.core.effective import active_on
from dangvu.core.errors import DomainError
from dangvu.lib.dates import format_date
from dangvu.lib.vietnamese import fold, search_text, search_tokens
from dangvu.members.models import Member, Membership
from dangvu.units.labels import SEPARATOR, ancestor_names, labels, with_labels
from dangvu.units.models import (
    CELL_KINDS,
    Reorganisation,
    Unit,
    UnitKind,
    UnitSuccession,
    UnitVersion,
)


def reached_versions(
    *, user: User, day: date, cap: Capability = Capability.VIEW_UNITS
) -> QuerySet[UnitVersion]:
    return scope_for(user).versions_on(cap, day)


def tree_roots(*, user: User, day: date) -> list[UnitVersion]:
    """The topmost units the user reaches on day (the root for provincial staff), each
    with `.context`: the names of the units above it, for orientation."""
    unit_ids = scope_for(user).reach_unit_ids(Capability.VIEW_UNITS, day)
    versions = UnitVersion.objects.as_of(day).select_related("unit")
    versions = versions.roots() if unit_ids is None else versions.filter(unit_id__in=unit_ids)
    roots: list[UnitVersion] = []
    for version in versions.order_by("depth", bytewise("name_sort")):
        if not any(version.path.startswith(root.path) for root in roots):
            roots.append(version)
    above = {i for root in roots for i in root.ancestor_ids}
    names = dict(
        UnitVersion.objects.as_of(day).filter(unit_id__in=above).values_list("unit_id", "name")
    )
    for root in roots:
        root.context = " › ".join(names[i] for i in root.ancestor_ids if i in names)  # type: ignore[attr-defined]
    return roots


def member_counts(versions: list[UnitVersion], day: date, *, within: str) -> dict[int, int]:
    """Members active on day in the subtree of each version (all under the path `within`):
    one set-based query, one filtered count per version."""
    if not versions:
        return {}
    aggregates = {
        f"n{v.unit_id}": Count("pk", filter=Q(unit__versions__path__startswith=v.path))
        for v in versions
    }
    result = (
        Membership.objects.filter(active_on(day))
        .filter(active_on(day, "unit__versions__"), unit__versions__path__startswith=within)
        .aggregate(**aggregates)
    )
    return {v.unit_id: result[f"n{v.unit_id}"] or 0 for v in versions}


#: Sub-units listed at once under a unit (the tree's fragments page on).
CHILDREN_PAGE = 100


def children_of(
    *, user: User, version: UnitVersion, day: date, start: int = 0, size: int | None = None
) -> list[UnitVersion]:
    """Direct sub-units on day (from `start`, at most `size` of them), each with
    `.member_count` and `.child_count`; the counts cover only the units listed, inside the
    unit's subtree (the path index), whatever the size of the country."""
    reached = (
        reached_versions(user=user, day=day)
        .filter(parent_id=version.unit_id)
        .order_by(bytewise("name_sort"), "unit_id")
    )
    children = list(reached[start : None if size is None else start + size])
    counts = member_counts(children, day, within=version.path)
    child_counts = _child_counts([c.unit_id for c in children], day)
    for child in children:
        child.member_count = counts.get(child.unit_id, 0)  # type: ignore[attr-defined]
        child.child_count = child_counts.get(child.unit_id, 0)  # type: ignore[attr-defined]
    return with_labels(children, day)


def _child_counts(unit_ids: list[int], day: date) -> dict[int, int]:
    if not unit_ids:
        return {}
    return dict(
        UnitVersion.objects.as_of(day)
        .filter(parent_id__in=unit_ids)
        .values_list("parent_id")
        .annotate(n=Count("pk"))
    )


class ChildrenPage(NamedTuple):
    children: list[UnitVersion]
    next_start: int | None  # where the next page starts, None on the last


def children_page(
    *, user: User, version: UnitVersion, day: date, start: int = 0, size: int | None = None
) -> ChildrenPage:
    """One page of a unit's sub-units for the tree, `CHILDREN_PAGE` long by default (one
    row more is read to know whether another page follows)."""
    size = size or CHILDREN_PAGE
    kids = children_of(user=user, version=version, day=day, start=start, size=size + 1)
    if len(kids) > size:
        return ChildrenPage(kids[:size], start + size)
    return ChildrenPage(kids, None)


@dataclass
class UnitPage:
    unit: Unit
    version: UnitVersion | None  # the state on the day asked, None if it did not exist
    latest: UnitVersion
    day: date
    ancestors: list[tuple[UnitVersion, bool]] = field(default_factory=list)  # (version, linkable)
    children: list[UnitVersion] = field(default_factory=list)
    kind_counts: list[tuple[str, int]] = field(default_factory=list)
    member_total: int = 0
    direct_members: int = 0
    successors: list[tuple[UnitSuccession, UnitVersion]] = field(default_factory=list)
    predecessors: list[tuple[UnitSuccession, UnitVersion]] = field(default_factory=list)
    history: list[UnitVersion] = field(default_factory=list)
    events: list[Reorganisation] = field(default_factory=list)

    @property
    def is_cell(self) -> bool:
        return self.version is not None and self.version.kind in CELL_KINDS


def _named(unit_ids: list[int], day: date) -> dict[int, UnitVersion]:
    """Each unit's version on day, or its last version before day, or its first."""
    found: dict[int, UnitVersion] = {}
    for version in UnitVersion.objects.filter(unit_id__in=unit_ids).order_by("valid_from"):
        current = found.get(version.unit_id)
        if current is None or version.valid_from <= day:
            found[version.unit_id] = version
    return found


def unit_page(*, user: User, code: str, day: date) -> UnitPage:
    """Everything the unit page shows; 404 when the unit was never in the user's reach."""
    scope = scope_for(user)
    unit = scope.get_unit(Capability.VIEW_UNITS, code)
    versions = list(unit.versions.order_by("valid_from"))
    version = next((v for v in versions if v.is_active_on(day)), None)
    if version is not None and not scope.reaches_unit_on(Capability.VIEW_UNITS, unit, day):
        version = None
    page = UnitPage(unit=unit, version=version, latest=versions[-1], day=day, history=versions)
    page.events = list(unit.reorganisations.order_by("-effective_on", "-id")[:50])
    successions = list(UnitSuccession.objects.filter(predecessor=unit).select_related("successor"))
    precessions = list(UnitSuccession.objects.filter(successor=unit).select_related("predecessor"))
    names = _named(
        [s.successor_id for s in successions] + [s.predecessor_id for s in precessions],
        day,
    )
    with_labels(names.values(), day)
    page.successors = [(s, names[s.successor_id]) for s in successions]
    page.predecessors = [(s, names[s.predecessor_id]) for s in precessions]
    if version is None:
        return page
    ancestor_ids = version.ancestor_ids
    reachable = set(
        scope.versions_on(Capability.VIEW_UNITS, day)
        .filter(unit_id__in=ancestor_ids)
        .values_list("unit_id", flat=True)
    )
    ancestors = {
        v.unit_id: v for v in UnitVersion.objects.as_of(day).filter(unit_id__in=ancestor_ids)
    }
    page.ancestors = [(ancestors[i], i in reachable) for i in ancestor_ids if i in ancestors]
    page.children = children_of(user=user, version=version, day=day)
    kinds = dict(
        UnitVersion.objects.as_of(day)
        .under(version.path)
        .exclude(pk=version.pk)
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    page.kind_counts = [
        (label, kinds[value]) for value, label in UnitKind.choices if kinds.get(value)
    ]
    page.member_total = member_counts([version], day, within=version.path)[unit.pk]
    page.direct_members = Membership.objects.as_of(day).filter(unit=unit).count()
    return page


class Branch(NamedTuple):
    """A top unit of the tree page with the units directly under it (its first page; none
    when the page lists several top units: they open on demand)."""

    root: UnitVersion
    children: ChildrenPage | None


#: Top units listed on one page of the tree (the administrator's: one per province).
ROOTS_PAGE = 50


class Tree(NamedTuple):
    branches: list[Branch]
    page: Page  # of the top units


def tree(*, user: User, day: date, page: int = 1) -> Tree:
    """The tree page: the topmost units the user reaches on day. A single top unit (a
    province's staff) comes with its members counted (`.member_count`) and its first page
    of sub-units; several (the administrator's country) are listed a page at a time with
    the number of units under each (`.child_count`), to open one by one, so the page costs
    the same whatever the number of provinces (the members are counted on each unit's own
    page and in the sub-units' rows, within one province)."""
    roots = tree_roots(user=user, day=day)
    shown = Paginator(roots, ROOTS_PAGE).get_page(page)
    if len(roots) == 1:
        root = roots[0]
        root.member_count = member_counts([root], day, within=root.path)[root.unit_id]  # type: ignore[attr-defined]
        with_labels(roots, day)
        return Tree([Branch(root, children_page(user=user, version=root, day=day))], shown)
    child_counts = _child_counts([r.unit_id for r in shown], day)
    for root in shown:
        root.member_count = None  # type: ignore[attr-defined]
        root.child_count = child_counts.get(root.unit_id, 0)  # type: ignore[attr-defined]
    with_labels(list(shown), day)
    return Tree([Branch(root, None) for root in shown], shown)


def version_or_404(*, user: User, code: str, day: date) -> UnitVersion:
    """The unit with this code as it stood on day, if the user reaches it then; else 404."""
    scope = scope_for(user)
    unit = scope.get_unit(Capability.VIEW_UNITS, code)
    version = scope.versions_on(Capability.VIEW_UNITS, day).filter(unit=unit).first()
    if version is None:
        raise Http404("Không tìm thấy đơn vị.")
    return version


#: A reorganisation of a unit that has ended (merged away, split or dissolved): refused
#: with the day it ended, not as a missing right.
UNIT_ENDED = "Đơn vị này đã kết thúc ngày {day}."


def ended_message(unit: Unit) -> str | None:
    """Why a unit can no longer be reorganised (it has ended), or None. A change dated
    after its end finds no unit, and one dated before is earlier than its end: neither
    is possible, whatever the day asked."""
    if not unit.is_dissolved:
        return None
    return UNIT_ENDED.format(day=format_date(unit.dissolved_on))


class UnitActions(NamedTuple):
    """What the user may do from a unit's page on its day."""

    can_reorganise: bool
    can_add_member: bool


def unit_actions(*, user: User, page: UnitPage, day: date) -> UnitActions:
    scope = scope_for(user)
    return UnitActions(
        can_reorganise=page.version is not None
        and not page.unit.is_dissolved
        and scope.writes_unit_on(Capability.REORGANISE, page.unit, day),
        can_add_member=page.is_cell
        and scope.writes_unit_on(Capability.MANAGE_MEMBERS, page.unit, day),
    )


def unit_to_reorganise(*, user: User, code: str) -> Unit:
    """The unit a reorganisation changes: one the user writes today (404 otherwise)."""
    unit = scope_for(user).writable_units(Capability.REORGANISE).filter(code=code).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def require_reorganises_on(*, user: User, unit: Unit, day: date) -> None:
    """Every reorganisation asks here: the unit is written today by a role in force, and
    stood in its reach on the effective day, and has not ended; a DomainError otherwise."""
    if (ended := ended_message(unit)) is not None:
        raise DomainError(ended)
    if not scope_for(user).writes_unit_on(Capability.REORGANISE, unit, day):
        raise DomainError(UNIT_NOT_WRITABLE_ON.format(code=unit.code, day=format_date(day)))


class SplitChoices(NamedTuple):
    """What a split hands out on a day: the units directly under the unit, and its
    members (none of either unless the user reorganises the unit on that day)."""

    children: list[UnitVersion]
    members: list[Member]


def split_choices(*, user: User, unit: Unit, day: date) -> SplitChoices:
    if not scope_for(user).writes_unit_on(Capability.REORGANISE, unit, day):
        return SplitChoices([], [])
    kids = list(UnitVersion.objects.as_of(day).filter(parent=unit).order_by("name_sort"))
    members = list(
        Member.objects.filter(
            pk__in=Membership.objects.as_of(day).filter(unit=unit).values("member_id")
        ).in_vietnamese_order()
    )
    return SplitChoices(kids, members)


# -- the unit picker ----------------------------------------------------------------------
#: At most this many units answer a search: the picker asks for a few more letters beyond.
PICK_LIMIT = 20
UNIT_PICK_EMPTY = "Hãy chọn một đơn vị."
UNIT_PICK_UNKNOWN = (
    "Không tìm thấy đơn vị “{text}” trong phạm vi của bạn. "
    "Hãy gõ vài chữ của tên rồi chọn đơn vị trong danh sách."
)
UNIT_PICK_AMBIGUOUS = (
    "Có {n} đơn vị tên “{text}”. Hãy chọn trong danh sách đơn vị tìm thấy "
    "(tên kèm đơn vị cấp trên)."
)


@dataclass(frozen=True)
class UnitPick:
    """A unit found by the picker, named for a person: "Chi bộ Thôn 1 — Đảng bộ xã Đức
    Minh" (`label`: the name, then the units above it, `labels(context=1)`)."""

    code: str
    name: str
    label: str
    kind: str
    founded_on: date
    last_day: date | None  # for a unit that had ended by the day asked: its last day

    @property
    def context(self) -> str:
        """The label without the unit's own name: the units above it."""
        return self.label.removeprefix(self.name).removeprefix(SEPARATOR)

    @property
    def text(self) -> str:
        """What the picker's box shows once the unit is chosen (an ended unit's dates too)."""
        if self.last_day is None:
            return self.label
        return f"{self.label} ({format_date(self.founded_on)} – {format_date(self.last_day)})"


class Picks(NamedTuple):
    items: list[UnitPick]
    more: bool  # more units matched than shown


def _name_matches(query: str) -> tuple[Q, Q, Q] | None:
    """(match, whole words, exact) on UnitVersion for a typed query, or None when blank:
    every word of the query begins a word of the name (accents and case ignored), or the
    query begins the unit's code."""
    tokens = search_tokens(query)
    raw = query.strip()
    if not tokens:
        return None
    match, whole = Q(), Q()
    for token in tokens:
        match &= Q(name_search__contains=" " + token)
        whole &= Q(name_search__contains=f" {token} ")
    exact = Q(name_search=search_text(query))
    if raw and not any(c.isspace() for c in raw):
        match |= Q(unit__code__istartswith=raw)
        exact |= Q(unit__code__iexact=raw)
    return match, whole, exact


def _pick_versions(
    user: User, cap: Capability, day: date, where: Q, *, include_ended: bool
) -> tuple[QuerySet[UnitVersion], QuerySet[UnitVersion] | None]:
    """The versions a picker offers: units standing on day in the user's reach, and (with
    `include_ended`) the last versions of units that had ended by day, reached at some time
    through the roles in force today."""
    scope = scope_for(user)
    standing = scope.versions_on(cap, day).filter(where)
    if not include_ended:
        return standing, None
    ended = (
        UnitVersion.objects.filter(scope.version_ever_filter(cap), where)
        .filter(unit__dissolved_on__lte=day, unit__dissolved_on=F("valid_to"))
        .select_related("unit")
    )
    return standing, ended


def _picks(versions: Sequence[UnitVersion], day: date) -> list[UnitPick]:
    named = labels(versions, day, context=1)
    return [
        UnitPick(
            code=v.unit.code,
            name=v.name,
            label=named[v.unit_id],
            kind=v.get_kind_display(),
            founded_on=v.unit.founded_on,
            last_day=v.last_valid_day if not v.is_active_on(day) else None,
        )
        for v in versions
    ]


def unit_picks(
    *,
    user: User,
    query: str,
    day: date,
    cap: Capability = Capability.VIEW_UNITS,
    include_ended: bool = True,
    limit: int = PICK_LIMIT,
) -> Picks:
    """The units whose name matches the query (each word begins a word of the name,
    accents and case ignored) or whose code begins with it, among those the user reaches
    on day with `cap` (roles in force today); then, with `include_ended`, units of the
    reach that had ended by day. At most `limit`, best matches first (the whole name, whole
    words, then prefixes; Vietnamese order), each labelled with the units above it."""
    matches = _name_matches(query)
    if matches is None:
        return Picks([], False)
    match, whole, exact = matches
    rank = Case(When(exact, then=Value(0)), When(whole, then=Value(1)), default=Value(2))
    standing, ended = _pick_versions(user, cap, day, match, include_ended=include_ended)
    order = ("rank", bytewise("name_sort"), "depth")
    found = list(standing.annotate(rank=rank).order_by(*order)[: limit + 1])
    if ended is not None and len(found) <= limit:
        found += list(ended.annotate(rank=rank).order_by(*order)[: limit + 1 - len(found)])
    return Picks(_picks(found[:limit], day), len(found) > limit)


def unit_pick(
    *,
    user: User,
    code: str,
    day: date,
    cap: Capability = Capability.VIEW_UNITS,
    include_ended: bool = True,
) -> UnitPick | None:
    """The unit with this code as the picker shows it, if the user reaches it (None
    otherwise: a code out of reach is never named)."""
    where = Q(unit__code=code.strip())
    standing, ended = _pick_versions(user, cap, day, where, include_ended=include_ended)
    version = standing.first() or (ended.first() if ended is not None else None)
    return _picks([version], day)[0] if version is not None else None


def unit_picked(
    *,
    user: User,
    text: str,
    day: date,
    cap: Capability = Capability.VIEW_UNITS,
    include_ended: bool = True,
) -> Unit:
    """The unit a picker's box names when it comes without a chosen code (no script, or
    typed and not chosen): a unit's exact code (any unit: the caller judges reach, as with
    `Scope.unit_typed`), or the label the picker shows ("Chi bộ Thôn 1 — Đảng bộ xã Đức
    Minh"), or a name that only one unit in the user's reach bears. A DomainError
    otherwise (`UNIT_PICK_EMPTY`, `UNIT_PICK_UNKNOWN`, `UNIT_PICK_AMBIGUOUS`)."""
    text = " ".join(text.split())
    if not text:
        raise DomainError(UNIT_PICK_EMPTY)
    unit = Unit.objects.filter(code=text).first()
    if unit is not None:
        return unit
    typed = text
    while text.endswith(")") and " (" in text:  # dates, a former parent, as the box shows
        text = text[: text.rindex(" (")]
    name = text.split(SEPARATOR)[0].strip()
    standing, ended = _pick_versions(
        user, cap, day, Q(name_search=search_text(name)), include_ended=include_ended
    )
    versions = list(standing[: PICK_LIMIT * 5])
    if ended is not None:
        versions += list(ended[: PICK_LIMIT * 5])
    by_unit = {v.unit_id: v for v in versions}
    shown = {p.code: p for p in _picks(versions, day)}
    chosen = {
        v.unit_id: v
        for v in versions
        if fold(typed) in (fold(shown[v.unit.code].label), fold(shown[v.unit.code].text))
    }
    if not chosen:  # a name, or a name with some of the units above it
        above = ancestor_names(versions, day)
        wanted = fold(text + SEPARATOR)
        chosen = {
            u: by_unit[u]
            for u in by_unit
            if fold(SEPARATOR.join([by_unit[u].name, *above[u], ""])).startswith(wanted)
        }
    if not chosen:
        raise DomainError(UNIT_PICK_UNKNOWN.format(text=typed))
    if len(chosen) > 1:
        raise DomainError(UNIT_PICK_AMBIGUOUS.format(n=len(chosen), text=name))
    return next(iter(chosen.values())).unit
