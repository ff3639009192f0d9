"""Telling units apart by name: after a merger a commune holds four "Chi bộ Thôn 1".

`labels(versions, day)` names each unit of a list by its own name, and only where names
collide in that list adds what tells them apart:

- the names of the units above (" — ", nearest first), as far as they differ:
  "Chi bộ Thôn 1 — Đảng bộ xã Đức Minh" and "Chi bộ Thôn 1 — Đảng bộ thị trấn Ea T'Ling";
- for units under the same parent (the cells of merged communes, now side by side), the
  parent each stood under before: "Chi bộ Thôn 1 (trước thuộc Đảng bộ xã Tâm Thắng)";
- as a last resort, the unit's code.

Any page or picker that lists units a person reads or chooses between labels them with it
(`with_labels` sets `.label` on each version for a template); the picker always shows the
parent (`context=1`). The versions passed are those the caller read through its scope-aware
selector; the names added are those of the units above each version as it stood on `day`
(for a unit that did not stand on `day`, on its nearest own day), as the unit page's
breadcrumb shows them. One query for the ancestors, two more only for units whose parents
alone cannot tell them apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from dangvu.lib.vietnamese import fold
from dangvu.units.models import UnitVersion

#: Between a unit's name and the names of the units above it.
SEPARATOR = " — "
FORMERLY = "trước thuộc {name}"
CODED = "mã {code}"


def _standing_day(version: UnitVersion, day: date) -> date:
    """The day a version is named on: `day` if it stood then, else its nearest own day."""
    if version.is_active_on(day):
        return day
    if day < version.valid_from:
        return version.valid_from
    return version.last_valid_day or version.valid_from


def _names_on(unit_ids: set[int]) -> dict[int, list[UnitVersion]]:
    by_unit: dict[int, list[UnitVersion]] = {}
    if unit_ids:
        rows = (
            UnitVersion.objects.filter(unit_id__in=unit_ids)
            .only("unit_id", "name", "valid_from", "valid_to")
            .order_by("valid_from")
        )
        for row in rows:
            by_unit.setdefault(row.unit_id, []).append(row)
    return by_unit


def _name_of(versions: list[UnitVersion], on: date) -> str | None:
    """The name among one unit's versions on day `on` (or last before it, or its first)."""
    found = next((v for v in versions if v.is_active_on(on)), None)
    if found is None:
        begun = [v for v in versions if v.valid_from <= on]
        found = begun[-1] if begun else (versions[0] if versions else None)
    return found.name if found is not None else None


def ancestors(versions: Sequence[UnitVersion], day: date) -> dict[int, list[tuple[int, str]]]:
    """For each version (by its unit id), the units above it, nearest first, as
    (unit id, name as it stood on the version's day). One query."""
    by_unit = _names_on({i for v in versions for i in v.ancestor_ids})
    result: dict[int, list[tuple[int, str]]] = {}
    for version in versions:
        on = _standing_day(version, day)
        above: list[tuple[int, str]] = []
        for unit_id in reversed(version.ancestor_ids):
            name = _name_of(by_unit.get(unit_id, []), on)
            if name is not None:
                above.append((unit_id, name))
        result[version.unit_id] = above
    return result


def ancestor_names(versions: Sequence[UnitVersion], day: date) -> dict[int, list[str]]:
    """For each version (by its unit id), the names of the units above it, nearest first."""
    return {u: [name for _, name in above] for u, above in ancestors(versions, day).items()}


def former_parents(versions: Sequence[UnitVersion], day: date) -> dict[int, str]:
    """For each version whose unit stood under another parent before (by its unit id): the
    name of the last such parent, as it stood then. Two queries."""
    ids = {v.unit_id for v in versions}
    history: dict[int, list[UnitVersion]] = {}
    for row in (
        UnitVersion.objects.filter(unit_id__in=ids)
        .only("unit_id", "parent_id", "valid_from", "valid_to")
        .order_by("valid_from")
    ):
        history.setdefault(row.unit_id, []).append(row)
    former: dict[int, tuple[int, date]] = {}
    for version in versions:
        earlier = [
            h
            for h in history.get(version.unit_id, [])
            if h.valid_from < version.valid_from and h.parent_id is not None
        ]
        moved = [h for h in earlier if h.parent_id != version.parent_id]
        if moved:
            last = moved[-1]
            assert last.parent_id is not None
            former[version.unit_id] = (last.parent_id, last.last_valid_day or last.valid_from)
    names = _names_on({parent for parent, _ in former.values()})
    result: dict[int, str] = {}
    for unit_id, (parent, on) in former.items():
        name = _name_of(names.get(parent, []), on)
        if name is not None:
            result[unit_id] = name
    return result


def labels(versions: Iterable[UnitVersion], day: date, *, context: int = 0) -> dict[int, str]:
    """A label for each unit of the list (by unit id): its name, followed by the names of
    the units above it (" — ", nearest first) as far as needed to tell apart units whose
    names collide in this list (accents and case ignored), and at least `context` of them
    (the picker shows the parent always: `context=1`). Units under one same parent are told
    apart by the parent each stood under before ("(trước thuộc …)"), else by their code."""
    versions = list(versions)
    above = ancestors(versions, day)
    shown = {v.unit_id: min(context, len(above[v.unit_id])) for v in versions}
    names = {v.unit_id: v.name for v in versions}
    siblings: set[int] = set()  # units their ancestors cannot tell apart

    def key(unit_id: int) -> tuple[str, ...]:
        return (
            fold(names[unit_id]),
            *(fold(name) for _, name in above[unit_id][: shown[unit_id]]),
        )

    changed = True
    while changed:
        changed = False
        groups: dict[tuple[str, ...], list[int]] = {}
        for unit_id in names:
            groups.setdefault(key(unit_id), []).append(unit_id)
        for group in groups.values():
            if len(group) < 2:
                continue
            nexts = {above[u][shown[u]][0] if shown[u] < len(above[u]) else None for u in group}
            if len(nexts) == 1:  # the same unit above all of them: no ancestor helps
                siblings.update(group)
                continue
            for unit_id in group:
                if shown[unit_id] < len(above[unit_id]):
                    shown[unit_id] += 1
                    changed = True
    result = {
        unit_id: SEPARATOR.join([names[unit_id], *(n for _, n in above[unit_id][: shown[unit_id]])])
        for unit_id in names
    }
    if siblings:
        by_id = {v.unit_id: v for v in versions}
        former = former_parents([by_id[u] for u in siblings], day)
        hints = {u: FORMERLY.format(name=former[u]) if u in former else "" for u in siblings}
        # Where the former parents do not tell them apart either, the code does.
        seen: dict[tuple[str, str], list[int]] = {}
        for u in siblings:
            seen.setdefault((fold(result[u]), fold(hints[u])), []).append(u)
        for group in seen.values():
            for u in group:
                if len(group) > 1:
                    hints[u] = CODED.format(code=by_id[u].unit.code)
                if hints[u]:
                    result[u] = f"{result[u]} ({hints[u]})"
    return result


def with_labels(
    versions: Iterable[UnitVersion], day: date, *, context: int = 0
) -> list[UnitVersion]:
    """The versions, each with `.label` set by `labels` (for templates)."""
    versions = list(versions)
    named = labels(versions, day, context=context)
    for version in versions:
        version.label = named[version.unit_id]  # type: ignore[attr-defined]
    return versions
