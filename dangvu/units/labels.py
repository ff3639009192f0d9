"""Telling units apart by name: after a merger a commune holds four "Chi bộ Thôn 1".

`labels(versions, day)` names each unit of a list by its own name, adding the name of its
parent (then its grandparent, and so on) only where names collide in that list:

    Chi bộ Thôn 1 — Đảng bộ xã Đức Minh
    Chi bộ Thôn 1 — Đảng bộ xã Cư Jút
    Chi bộ Tổ dân phố 2

Any page or picker that lists units the reader must choose between should label them with
it (`with_labels` sets `.label` on each version for a template). The versions passed are
those the caller already read through its scope-aware selector; the ancestors named are the
units above each version as it stood on `day` (or, for a unit that ended before `day`, on
its last day), the same names the unit page's breadcrumb shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from dangvu.lib.vietnamese import fold
from dangvu.units.models import UnitVersion

#: Between a unit's name and the names of the units above it.
SEPARATOR = " — "


def _standing_day(version: UnitVersion, day: date) -> date:
    """The day a version is named on: `day` if it stood then, else its nearest own day."""
    if version.is_active_on(day):
        return day
    if day < version.valid_from:
        return version.valid_from
    return version.last_valid_day or version.valid_from


def ancestor_names(versions: Sequence[UnitVersion], day: date) -> dict[int, list[str]]:
    """For each version (by its unit id), the names of the units above it, nearest first,
    as they stood on the version's day (one query)."""
    wanted = {i for v in versions for i in v.ancestor_ids}
    by_unit: dict[int, list[UnitVersion]] = {}
    if wanted:
        rows = (
            UnitVersion.objects.filter(unit_id__in=wanted)
            .only("unit_id", "name", "valid_from", "valid_to")
            .order_by("valid_from")
        )
        for row in rows:
            by_unit.setdefault(row.unit_id, []).append(row)
    result: dict[int, list[str]] = {}
    for version in versions:
        on = _standing_day(version, day)
        names: list[str] = []
        for unit_id in reversed(version.ancestor_ids):
            candidates = by_unit.get(unit_id, [])
            found = next((c for c in candidates if c.is_active_on(on)), None)
            if found is None:
                begun = [c for c in candidates if c.valid_from <= on]
                found = begun[-1] if begun else (candidates[0] if candidates else None)
            if found is not None:
                names.append(found.name)
        result[version.unit_id] = names
    return result


def labels(versions: Iterable[UnitVersion], day: date, *, context: int = 0) -> dict[int, str]:
    """A label for each unit of the list (by unit id): its name, followed by the names of
    the units above it (" — ", nearest first) as far as needed to tell apart units whose
    names collide in this list (accents and case ignored), and at least `context` of them
    (the picker shows the parent always: `context=1`). Units whose whole paths read alike
    keep the whole path. One query for the ancestors' names."""
    versions = list(versions)
    above = ancestor_names(versions, day)
    chains = {v.unit_id: [v.name, *above[v.unit_id]] for v in versions}
    depth = {unit_id: min(1 + context, len(chain)) for unit_id, chain in chains.items()}
    changed = True
    while changed:
        changed = False
        groups: dict[tuple[str, ...], list[int]] = {}
        for unit_id, chain in chains.items():
            key = tuple(fold(n) for n in chain[: depth[unit_id]])
            groups.setdefault(key, []).append(unit_id)
        for members in groups.values():
            if len(members) < 2:
                continue
            for unit_id in members:
                if depth[unit_id] < len(chains[unit_id]):
                    depth[unit_id] += 1
                    changed = True
    return {unit_id: SEPARATOR.join(chain[: depth[unit_id]]) for unit_id, chain in chains.items()}


def with_labels(
    versions: Iterable[UnitVersion], day: date, *, context: int = 0
) -> list[UnitVersion]:
    """The versions, each with `.label` set by `labels` (for templates)."""
    versions = list(versions)
    named = labels(versions, day, context=context)
    for version in versions:
        version.label = named[version.unit_id]  # type: ignore[attr-defined]
    return versions
