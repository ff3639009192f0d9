"""Recompute the materialised paths of the whole tree from names, kinds and parents.

The reorganisation services keep paths right as they go. A bulk import, which may set any
unit's history at once, states only who the parent was when; this module derives the
paths from that, splitting a version wherever its parent's path changed during it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from dangvu.core.bulk import update_rows
from dangvu.core.effective import END_OF_TIME
from dangvu.lib.dates import format_date
from dangvu.units.models import CELL_KINDS, Unit, UnitKind, UnitVersion
from dangvu.units.signals import paths_changed


@dataclass
class Piece:
    unit_id: int
    name: str
    kind: str
    parent_id: int | None
    valid_from: date
    valid_to: date
    path: str = ""
    depth: int = 0


@dataclass
class PathProblem:
    unit_id: int
    valid_from: date
    reason: str


def _interval(start: date, end: date) -> str:
    tail = "nay" if end >= END_OF_TIME else format_date(end - timedelta(days=1))
    return f"{format_date(start)} – {tail}"


class _Builder:
    def __init__(self, versions: dict[int, list[Piece]], codes: dict[int, str]) -> None:
        self.versions = versions
        self.codes = codes
        self.done: dict[int, list[Piece]] = {}
        self.busy: set[int] = set()
        self.problems: list[PathProblem] = []

    def pieces(self, unit_id: int) -> list[Piece]:
        if unit_id in self.done:
            return self.done[unit_id]
        if unit_id in self.busy:
            self.problems.append(
                PathProblem(
                    unit_id, date.min, "cấp trên tạo thành vòng lặp (đơn vị trực thuộc chính nó)"
                )
            )
            return []
        self.busy.add(unit_id)
        result: list[Piece] = []
        for version in self.versions.get(unit_id, []):
            if version.parent_id is None:
                if version.kind != UnitKind.PROVINCE:
                    self.problems.append(
                        PathProblem(
                            unit_id, version.valid_from, "chỉ đảng bộ tỉnh mới không có cấp trên"
                        )
                    )
                result.append(Piece(**{**version.__dict__, "path": f"/{unit_id}/", "depth": 0}))
                continue
            parents = [
                p
                for p in self.pieces(version.parent_id)
                if p.valid_from < version.valid_to and p.valid_to > version.valid_from
            ]
            covered = version.valid_from
            for parent in parents:
                if parent.valid_from > covered:
                    break
                if parent.kind in CELL_KINDS:
                    self.problems.append(
                        PathProblem(
                            unit_id,
                            version.valid_from,
                            f"cấp trên {self.codes[version.parent_id]} là chi bộ",
                        )
                    )
                start = max(parent.valid_from, version.valid_from)
                end = min(parent.valid_to, version.valid_to)
                path = f"{parent.path}{unit_id}/"
                if covered > version.valid_from and result and result[-1].path == path:
                    # The parent changed name or kind, not place: one piece still.
                    result[-1].valid_to = end
                    covered = end
                    continue
                result.append(
                    Piece(
                        unit_id=unit_id,
                        name=version.name,
                        kind=version.kind,
                        parent_id=version.parent_id,
                        valid_from=start,
                        valid_to=end,
                        path=path,
                        depth=parent.depth + 1,
                    )
                )
                covered = end
            if covered < version.valid_to:
                self.problems.append(
                    PathProblem(
                        unit_id,
                        version.valid_from,
                        f"đơn vị cấp trên {self.codes.get(version.parent_id, '?')} không tồn tại "
                        f"trong khoảng {_interval(covered, version.valid_to)}",
                    )
                )
        self.busy.discard(unit_id)
        self.done[unit_id] = result
        return result


#: How many unit ids one lookup names (`IN` lists, as the exchange's lookups).
CHUNK = 5000


def rebuild_paths(unit_ids: Iterable[int] | None = None) -> list[PathProblem]:
    """Rewrite the versions of every unit whose derived paths changed: of the units
    `unit_ids` and the units ever beneath them (an import gives the units it wrote), or of
    the whole tree (None). Units outside that set are neither read nor written, except the
    parents of the set's versions, whose stored paths are taken as they are. Returns
    problems (the caller rolls back when there are any)."""
    if unit_ids is None:
        stored = _versions(UnitVersion.objects.all())
        outside: dict[int, list[Piece]] = {}
    else:
        stored = _versions_of(_with_descendants(set(unit_ids)))
        outside = _outside_parents(stored)
    codes = (
        dict(Unit.objects.values_list("pk", "code"))
        if unit_ids is None
        else _codes({*stored, *outside})
    )
    plain = {
        unit_id: [
            Piece(v.unit_id, v.name, v.kind, v.parent_id, v.valid_from, v.valid_to)
            for v in versions
        ]
        for unit_id, versions in stored.items()
    }
    builder = _Builder(plain, codes)
    builder.done.update(outside)  # their stored paths stand: they are not rebuilt
    for unit_id in plain:
        builder.pieces(unit_id)
    if builder.problems:
        return builder.problems
    stale: list[int] = []
    fresh: list[UnitVersion] = []
    repathed: list[UnitVersion] = []
    for unit_id, versions in stored.items():
        pieces = builder.done[unit_id]
        same_periods = len(pieces) == len(versions) and all(
            (p.valid_from, p.valid_to) == (v.valid_from, v.valid_to)
            for p, v in zip(pieces, versions, strict=True)
        )
        if same_periods:
            # The usual case (a fresh import): only the derived path and depth change.
            for p, v in zip(pieces, versions, strict=True):
                if (p.path, p.depth) != (v.path, v.depth):
                    v.path, v.depth = p.path, p.depth
                    repathed.append(v)
            continue
        stale.extend(v.pk for v in versions)
        fresh.extend(
            UnitVersion(
                unit_id=p.unit_id,
                name=p.name,
                kind=p.kind,
                parent_id=p.parent_id,
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                path=p.path,
                depth=p.depth,
            ).fill_derived()
            for p in pieces
        )
    update_rows(UnitVersion, ["path", "depth"], [(v.pk, v.path, v.depth) for v in repathed])
    if stale:
        for start in range(0, len(stale), 900):
            UnitVersion.objects.filter(pk__in=stale[start : start + 900]).delete()
        UnitVersion.objects.bulk_create(fresh, batch_size=1000)
    changed = [*repathed, *fresh]
    if changed:
        paths_changed.send(
            UnitVersion,
            unit_ids={v.unit_id for v in changed},
            since=min(v.valid_from for v in changed),
        )
    return []


def _versions(qs: QuerySet[UnitVersion]) -> dict[int, list[UnitVersion]]:
    stored: dict[int, list[UnitVersion]] = {}
    for version in qs.order_by("unit_id", "valid_from"):
        stored.setdefault(version.unit_id, []).append(version)
    return stored


def _versions_of(unit_ids: set[int]) -> dict[int, list[UnitVersion]]:
    ids = sorted(unit_ids)
    stored: dict[int, list[UnitVersion]] = {}
    for start in range(0, len(ids), CHUNK):
        stored.update(_versions(UnitVersion.objects.filter(unit_id__in=ids[start : start + CHUNK])))
    return stored


def _with_descendants(unit_ids: set[int]) -> set[int]:
    """These units and every unit that ever stood beneath them (any version's parent)."""
    found = set(unit_ids)
    frontier = sorted(found)
    while frontier:
        children: set[int] = set()
        for start in range(0, len(frontier), CHUNK):
            children.update(
                UnitVersion.objects.filter(
                    parent_id__in=frontier[start : start + CHUNK]
                ).values_list("unit_id", flat=True)
            )
        frontier = sorted(children - found)
        found.update(frontier)
    return found


def _outside_parents(stored: dict[int, list[UnitVersion]]) -> dict[int, list[Piece]]:
    """The stored versions of the parents outside the rebuilt set, as built pieces."""
    parents = {v.parent_id for vs in stored.values() for v in vs if v.parent_id} - set(stored)
    return {
        unit_id: [
            Piece(
                v.unit_id,
                v.name,
                v.kind,
                v.parent_id,
                v.valid_from,
                v.valid_to,
                path=v.path,
                depth=v.depth,
            )
            for v in versions
        ]
        for unit_id, versions in _versions_of(parents).items()
    }


def _codes(unit_ids: set[int]) -> dict[int, str]:
    ids = sorted(unit_ids)
    codes: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        codes.update(
            Unit.objects.filter(pk__in=ids[start : start + CHUNK]).values_list("pk", "code")
        )
    return codes
