"""Every change to the organisation tree. History is appended, never rewritten.

A change effective on day D closes the versions active on D at D and opens new ones from D.
Versions that already end in the future (a later change is on record) cannot be changed
from an earlier date: reorganisations are recorded in the order they take effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from dangvu.accounts.models import User
from dangvu.core.effective import END_OF_TIME
from dangvu.core.errors import DomainError
from dangvu.lib.dates import format_date
from dangvu.members.models import Membership
from dangvu.members.services.bulk import memberships_reorganised
from dangvu.units.models import (
    CELL_KINDS,
    Reorganisation,
    ReorganisationKind,
    Unit,
    UnitKind,
    UnitSuccession,
    UnitVersion,
)
from dangvu.units.signals import paths_changed

CODE_TAKEN = "Mã đơn vị {code} đã được dùng cho một đơn vị khác."
CODE_INVALID = "Mã đơn vị chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới."
NAME_REQUIRED = "Tên đơn vị không được để trống."
NOT_ACTIVE = "Đơn vị {name} không tồn tại vào ngày {day}."
PARENT_IS_CELL = "{name} là chi bộ, không thể có đơn vị trực thuộc."
ROOT_NEEDS_KIND = "Chỉ đảng bộ tỉnh mới không có cấp trên."
LATER_CHANGE = "{name} đã có thay đổi từ ngày {later}; chỉ ghi nhận được thay đổi có hiệu lực từ ngày đó trở đi."
MOVE_INTO_ITSELF = "Không thể chuyển {name} vào chính nó hoặc đơn vị trực thuộc của nó."
SAME_PARENT = "{name} đã trực thuộc {parent}."
KIND_WITH_MEMBERS = "{name} đang có đảng viên sinh hoạt; chỉ chi bộ mới có đảng viên."
KIND_WITH_CHILDREN = "{name} đang có đơn vị trực thuộc; chi bộ không thể có đơn vị trực thuộc."
MERGE_NEEDS_SOURCES = "Chọn ít nhất một đơn vị để sáp nhập."
MERGE_MEMBERS_TO_NON_CELL = (
    "{name} còn {count} đảng viên nhưng đơn vị nhận sáp nhập {target} không phải chi bộ."
)
SPLIT_NEEDS_PARTS = "Chia tách cần ít nhất hai đơn vị mới."
SPLIT_UNASSIGNED = (
    "Còn {children} đơn vị trực thuộc và {members} đảng viên chưa được phân về đơn vị mới."
)
SPLIT_BAD_PART = "{name} không phải là một trong các đơn vị mới của việc chia tách."
DISSOLVE_NOT_EMPTY = (
    "{name} còn {children} đơn vị trực thuộc và {members} đảng viên vào ngày {day}; "
    "hãy chuyển hoặc sáp nhập trước khi giải thể."
)


@dataclass(frozen=True)
class UnitSpec:
    """A unit to create as part of a merge or split."""

    code: str
    name: str
    kind: str


def path_of(parent_version: UnitVersion | None, unit_id: int) -> str:
    return f"{parent_version.path if parent_version else '/'}{unit_id}/"


def _version_on(unit: Unit, day: date) -> UnitVersion:
    version = unit.versions.as_of(day).select_for_update().first()
    if version is None:
        raise DomainError(NOT_ACTIVE.format(name=unit.code, day=format_date(day)))
    return version


def _check_open(version: UnitVersion, day: date) -> None:
    if version.valid_to != END_OF_TIME or version.valid_from > day:
        later = version.valid_to if version.valid_to != END_OF_TIME else version.valid_from
        raise DomainError(LATER_CHANGE.format(name=version.name, later=format_date(later)))


def _check_nothing_later_below(path: str, name: str, day: date) -> None:
    """Refuse when a unit was placed inside the subtree at path after day (founded or moved
    there later): a change from day would leave that later version's path stale."""
    later = (
        UnitVersion.objects.starting_after(day)
        .filter(path__startswith=path)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if later is not None:
        raise DomainError(LATER_CHANGE.format(name=name, later=format_date(later)))


def _successor(version: UnitVersion, day: date, **changes: object) -> UnitVersion:
    """Close `version` at day and return the unsaved version that continues it from day.

    A version that starts on day itself is changed in place (two changes the same day).
    """
    _check_open(version, day)
    if version.valid_from == day:
        for field, value in changes.items():
            setattr(version, field, value)
        return version
    version.valid_to = day
    version.save(update_fields=["valid_to"])
    fields: dict[str, object] = {
        "unit_id": version.unit_id,
        "name": version.name,
        "kind": version.kind,
        "parent_id": version.parent_id,
        "path": version.path,
        "depth": version.depth,
    }
    return UnitVersion(**{**fields, **changes}, valid_from=day, valid_to=END_OF_TIME)


def _descendants_on(version: UnitVersion, day: date) -> list[UnitVersion]:
    return list(
        UnitVersion.objects.as_of(day)
        .filter(path__startswith=version.path)
        .exclude(pk=version.pk)
        .select_for_update()
    )


def _active_members(unit: Unit, day: date) -> list[Membership]:
    return list(Membership.objects.as_of(day).filter(unit=unit).select_for_update())


def _succeed(
    predecessors: Sequence[Unit], successors: Sequence[Unit], day: date, event: Reorganisation
) -> None:
    """Link every predecessor to every successor of a reorganisation (merge: many to one;
    split and dissolution: one to many)."""
    UnitSuccession.objects.bulk_create(
        [
            UnitSuccession(predecessor=p, successor=s, effective_on=day, reorganisation=event)
            for p in predecessors
            for s in successors
        ]
    )


def _record(
    kind: str, day: date, units: Iterable[Unit], actor: User | None, decision: str, note: str
) -> Reorganisation:
    event = Reorganisation.objects.create(
        kind=kind, effective_on=day, decision=decision, note=note, created_by=actor
    )
    event.units.set(list(units))
    return event


def _reparent(version: UnitVersion, new_parent: UnitVersion | None, day: date) -> UnitVersion:
    """Move a unit with its whole subtree under new_parent from day; paths follow."""
    return _reparent_all([version], new_parent, day)[version.unit_id]


def _reparent_all(
    versions: Sequence[UnitVersion], new_parent: UnitVersion | None, day: date
) -> dict[int, UnitVersion]:
    """Move several units (disjoint subtrees) under new_parent from day, set-based: one
    query for every version below them, one bulk write per kind of change."""
    if not versions:
        return {}
    roots = {v.path: v for v in versions}
    depth = new_parent.depth + 1 if new_parent else 0
    below = Q()
    for path in roots:
        below |= Q(path__startswith=path)
    affected = list(UnitVersion.objects.as_of(day).filter(below).select_for_update())
    closed: list[UnitVersion] = []
    edited: list[UnitVersion] = []
    created: list[UnitVersion] = []
    moved: dict[int, UnitVersion] = {}
    for version in affected:
        _check_open(version, day)
        root = next(r for p, r in roots.items() if version.path.startswith(p))
        new_path = path_of(new_parent, root.unit_id) + version.path[len(root.path) :]
        new_depth = version.depth + depth - root.depth
        is_root = version.unit_id == root.unit_id
        parent_id = (new_parent.unit_id if new_parent else None) if is_root else version.parent_id
        if version.valid_from == day:
            version.path, version.depth, version.parent_id = new_path, new_depth, parent_id
            edited.append(version.fill_derived())
            current = version
        else:
            version.valid_to = day
            closed.append(version)
            current = UnitVersion(
                unit_id=version.unit_id,
                name=version.name,
                kind=version.kind,
                parent_id=parent_id,
                path=new_path,
                depth=new_depth,
                valid_from=day,
                valid_to=END_OF_TIME,
            ).fill_derived()
            created.append(current)
        if is_root:
            moved[version.unit_id] = current
    for path, root in roots.items():
        _check_nothing_later_below(path, root.name, day)
    UnitVersion.objects.bulk_update(closed, ["valid_to"])
    UnitVersion.objects.bulk_update(edited, ["path", "depth", "parent_id"])
    UnitVersion.objects.bulk_create(created)
    paths_changed.send(UnitVersion, unit_ids=[v.unit_id for v in affected], since=day)
    return moved


def _check_parent(parent: UnitVersion | None, kind: str) -> None:
    if parent is None:
        if kind != UnitKind.PROVINCE:
            raise DomainError(ROOT_NEEDS_KIND)
    elif parent.kind in CELL_KINDS:
        raise DomainError(PARENT_IS_CELL.format(name=parent.name))


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    valid_from: date,
    actor: User | None = None,
    decision: str = "",
    note: str = "",
) -> Unit:
    """Found a unit under `parent` from `valid_from` (thành lập)."""
    code = code.strip()
    name = " ".join(name.split())
    if not name:
        raise DomainError(NAME_REQUIRED)
    if not code or not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in code):
        raise DomainError(CODE_INVALID)
    if Unit.objects.filter(code=code).exists():
        raise DomainError(CODE_TAKEN.format(code=code))
    parent_version = _version_on(parent, valid_from) if parent else None
    _check_parent(parent_version, kind)
    unit = Unit.objects.create(code=code, founded_on=valid_from)
    UnitVersion.objects.create(
        unit=unit,
        name=name,
        kind=kind,
        parent=parent,
        path=path_of(parent_version, unit.pk),
        depth=parent_version.depth + 1 if parent_version else 0,
        valid_from=valid_from,
    )
    _record(ReorganisationKind.CREATE, valid_from, [unit], actor, decision, note)
    return unit


@transaction.atomic
def unit_rename(
    *,
    unit: Unit,
    name: str,
    effective_on: date,
    kind: str | None = None,
    actor: User | None = None,
    decision: str = "",
    note: str = "",
) -> UnitVersion:
    """Give a unit a new name (and optionally a new kind) from `effective_on`."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(NAME_REQUIRED)
    current = _version_on(unit, effective_on)
    new_kind = kind or current.kind
    if new_kind != current.kind:
        if new_kind not in CELL_KINDS and _active_members(unit, effective_on):
            raise DomainError(KIND_WITH_MEMBERS.format(name=current.name))
        if new_kind in CELL_KINDS and _descendants_on(current, effective_on):
            raise DomainError(KIND_WITH_CHILDREN.format(name=current.name))
    version = _successor(current, effective_on, name=name, kind=new_kind)
    version.save()
    _record(ReorganisationKind.RENAME, effective_on, [unit], actor, decision, note)
    return version


@transaction.atomic
def unit_move(
    *,
    unit: Unit,
    new_parent: Unit,
    effective_on: date,
    actor: User | None = None,
    decision: str = "",
    note: str = "",
) -> UnitVersion:
    """Place a unit (with its subtree) under another parent from `effective_on`."""
    current = _version_on(unit, effective_on)
    parent_version = _version_on(new_parent, effective_on)
    if parent_version.path.startswith(current.path):
        raise DomainError(MOVE_INTO_ITSELF.format(name=current.name))
    if current.parent_id == new_parent.pk:
        raise DomainError(SAME_PARENT.format(name=current.name, parent=parent_version.name))
    _check_parent(parent_version, current.kind)
    moved = _reparent(current, parent_version, effective_on)
    _record(ReorganisationKind.MOVE, effective_on, [unit, new_parent], actor, decision, note)
    return moved


def _transfer_members(memberships: Sequence[Membership], target: Unit, day: date) -> None:
    memberships_reorganised(memberships=memberships, target=target, day=day)


def _close(version: UnitVersion, day: date) -> None:
    """End a unit on day (its last version stops; the unit is dissolved from day)."""
    _check_open(version, day)
    if version.valid_from >= day:
        raise DomainError(LATER_CHANGE.format(name=version.name, later=format_date(day)))
    _check_nothing_later_below(version.path, version.name, day)
    joined_later = (
        Membership.objects.starting_after(day)
        .filter(unit_id=version.unit_id)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if joined_later is not None:
        raise DomainError(LATER_CHANGE.format(name=version.name, later=format_date(joined_later)))
    version.valid_to = day
    version.save(update_fields=["valid_to"])
    Unit.objects.filter(pk=version.unit_id).update(dissolved_on=day)


def _empty_source(source: UnitVersion, target: UnitVersion, day: date) -> None:
    """Hand everything under source (children, members) over to target on day."""
    children = list(
        UnitVersion.objects.as_of(day).filter(parent_id=source.unit_id).select_for_update()
    )
    for child in children:
        _check_parent(target, child.kind)
    _reparent_all(children, target, day)
    memberships = _active_members(source.unit, day)
    if memberships:
        if target.kind not in CELL_KINDS:
            raise DomainError(
                MERGE_MEMBERS_TO_NON_CELL.format(
                    name=source.name, count=len(memberships), target=target.name
                )
            )
        _transfer_members(memberships, target.unit, day)


@transaction.atomic
def unit_merge(
    *,
    sources: Sequence[Unit],
    target: Unit,
    effective_on: date,
    actor: User | None = None,
    decision: str = "",
    note: str = "",
) -> Unit:
    """Merge `sources` into `target` (sáp nhập): their sub-units and members move to
    target, the sources end on `effective_on`, each showing target as its successor."""
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise DomainError(MERGE_NEEDS_SOURCES)
    target_version = _version_on(target, effective_on)
    for source in sources:
        source_version = _version_on(source, effective_on)
        if target_version.path.startswith(source_version.path):
            raise DomainError(MOVE_INTO_ITSELF.format(name=source_version.name))
        _empty_source(source_version, target_version, effective_on)
        _close(source_version, effective_on)
    event = _record(
        ReorganisationKind.MERGE, effective_on, [*sources, target], actor, decision, note
    )
    _succeed(sources, [target], effective_on, event)
    return target


@transaction.atomic
def unit_split(
    *,
    unit: Unit,
    parts: Sequence[UnitSpec],
    children: dict[int, int],
    members: dict[int, int],
    effective_on: date,
    actor: User | None = None,
    decision: str = "",
    note: str = "",
) -> list[Unit]:
    """Split `unit` into new units (chia tách) under the same parent. `children` maps each
    active sub-unit id and `members` each active member id to the index of the part in
    `parts` that takes it; nothing may be left over. The unit ends on `effective_on`."""
    if len(parts) < 2:
        raise DomainError(SPLIT_NEEDS_PARTS)
    current = _version_on(unit, effective_on)
    active_children = list(UnitVersion.objects.as_of(effective_on).filter(parent=unit))
    memberships = _active_members(unit, effective_on)
    missing_children = [c for c in active_children if c.unit_id not in children]
    missing_members = [m for m in memberships if m.member_id not in members]
    if missing_children or missing_members:
        raise DomainError(
            SPLIT_UNASSIGNED.format(children=len(missing_children), members=len(missing_members))
        )
    if any(not 0 <= i < len(parts) for i in [*children.values(), *members.values()]):
        raise DomainError(SPLIT_BAD_PART.format(name=current.name))
    parent = Unit.objects.get(pk=current.parent_id) if current.parent_id else None
    created = [
        unit_create(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent=parent,
            valid_from=effective_on,
            actor=actor,
            decision=decision,
            note=note,
        )
        for spec in parts
    ]
    part_versions = [_version_on(p, effective_on) for p in created]
    for child in active_children:
        target_version = part_versions[children[child.unit_id]]
        _check_parent(target_version, child.kind)
        _reparent(_version_on(child.unit, effective_on), target_version, effective_on)
    by_part: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_part.setdefault(members[membership.member_id], []).append(membership)
    for index, group in by_part.items():
        target_version = part_versions[index]
        if target_version.kind not in CELL_KINDS:
            raise DomainError(
                MERGE_MEMBERS_TO_NON_CELL.format(
                    name=current.name, count=len(group), target=target_version.name
                )
            )
        _transfer_members(group, target_version.unit, effective_on)
    _close(current, effective_on)
    event = _record(ReorganisationKind.SPLIT, effective_on, [unit, *created], actor, decision, note)
    _succeed([unit], created, effective_on, event)
    return created


@transaction.atomic
def unit_dissolve(
    *,
    unit: Unit,
    effective_on: date,
    successors: Sequence[Unit] = (),
    actor: User | None = None,
    decision: str = "",
    note: str = "",
) -> None:
    """Dissolve an empty unit from `effective_on` (giải thể); optionally name the units
    that take over its work (successors)."""
    current = _version_on(unit, effective_on)
    children = UnitVersion.objects.as_of(effective_on).filter(parent=unit).count()
    members = len(_active_members(unit, effective_on))
    if children or members:
        raise DomainError(
            DISSOLVE_NOT_EMPTY.format(
                name=current.name,
                children=children,
                members=members,
                day=format_date(effective_on),
            )
        )
    _close(current, effective_on)
    event = _record(
        ReorganisationKind.DISSOLVE, effective_on, [unit, *successors], actor, decision, note
    )
    _succeed([unit], successors, effective_on, event)
