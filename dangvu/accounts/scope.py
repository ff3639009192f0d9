"""Scope: the single mechanism that decides what an acting user reaches.

Every selector asks the user's `Scope` for a filter; views never filter by unit.

A role reads and writes only while it is in force: on the day of the request, the role's
period covers today and its unit stands today. A role that has ended (revoked, or its unit
merged away or dissolved) reaches nothing at all, not even the history it once covered.
A role in force at unit R reaches R's subtree over R's whole history: one `Reach` per
version of R (the path of R then, the version's dates, the department), so today's holder
reads the records of the years before they took office, as the duty passes with the post.
The history of a unit merged into R (R its only successor, at any depth) is R's too: after
Đắk Nông merged into Lâm Đồng, Lâm Đồng's officers read Đắk Nông's records. A unit that
ended with several successors (a district dissolved into communes) passes its history to
none of them: each would otherwise read its neighbours' past.

- A unit version is reached on day D when D lies in a reach whose path prefixes the
  version's path and the department grants the capability (`version_filter`).
- A unit is reached (history pages) when some version of it is (`units`); it is writable
  when reached through the version of a reach that stands today (`writable_units`).
- A member is reached when they were active in a reached unit at some time, or when they
  are the user themselves (`members`).
- A member's records (reviews, ratings, commitments, attendance, suggestions...) are read
  only for the days or years the member stood in a unit the reader reaches
  (`member_record_filter`): the secretary of the cell a member left does not read what was
  recorded about them after they left, and the new cell does not read the old cell's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.accounts.permissions import ADMIN_CAPABILITIES, DEPARTMENT_CAPABILITIES, Capability
from dangvu.core.effective import (
    active_on,
    begun_before,
    begun_by,
    in_year,
    overlapping,
    starting_after,
)
from dangvu.lib.dates import format_date

if TYPE_CHECKING:
    from dangvu.accounts.models import User
    from dangvu.members.models import Member, MemberQuerySet
    from dangvu.units.models import Unit, UnitVersion


# A unit typed into a form (`Scope.unit_typed`).
UNIT_UNKNOWN = "Không có đơn vị mã {codes}."
UNIT_NOT_WRITABLE = "{what} mã {code} không có hoặc ngoài phạm vi của bạn."
UNIT_NOT_WRITABLE_ON = "Bạn không có quyền thay đổi {code} vào ngày {day}."


def today() -> date:
    """Today in Asia/Ho_Chi_Minh: the day that counts for "which day"."""
    return timezone.localdate()


@dataclass(frozen=True)
class Reach:
    unit_id: int
    path: str
    start: date
    end: date  # exclusive
    department: str

    def covers(self, day: date) -> bool:
        return self.start <= day < self.end


class Scope:
    """What `user` reaches. Build it once per request with `scope_for(user)`."""

    def __init__(self, user: User | None, reaches: list[Reach], *, is_admin: bool) -> None:
        self.user = user
        self.reaches = reaches
        self.is_admin = is_admin
        self.member_id: int | None = user.member_id if user is not None else None

    # -- capabilities --------------------------------------------------------------
    def _reaches(self, cap: Capability) -> list[Reach]:
        return [r for r in self.reaches if cap in DEPARTMENT_CAPABILITIES.get(r.department, ())]

    def _all(self, cap: Capability) -> bool:
        return self.is_admin and cap in ADMIN_CAPABILITIES

    def everywhere(self, cap: Capability) -> bool:
        """The user holds the capability over the whole tree (the administrator's)."""
        return self._all(cap)

    def can(self, cap: Capability) -> bool:
        """The user holds the capability somewhere (to show a menu entry, say)."""
        return self._all(cap) or bool(self._reaches(cap))

    def held_unit_ids(self, cap: Capability, day: date | None = None) -> set[int]:
        """The units where a role in force on day (today) is held itself — not reached from
        above — and grants the capability."""
        when = day or today()
        return {r.unit_id for r in self._reaches(cap) if r.covers(when)}

    def holds_at(self, cap: Capability, unit_id: int, day: date | None = None) -> bool:
        """A role in force on day (today) is held at the unit itself — not above it — and
        grants the capability: the unit's own office, say, as against the level above,
        whose reach covers the unit too. The administrator holds no role anywhere."""
        return unit_id in self.held_unit_ids(cap, day)

    @property
    def departments(self) -> set[str]:
        return {r.department for r in self.reaches}

    def default_day(self) -> date:
        """The day pages look at by default: today. (A user whose every role has ended
        reaches nothing on any day, so no earlier day would show them more.)"""
        return today()

    # -- units ---------------------------------------------------------------------
    def version_filter(self, cap: Capability, day: date, prefix: str = "") -> Q:
        """Q on UnitVersion (or through `prefix`) for versions active and reached on day."""
        when = active_on(day, prefix)
        if self._all(cap):
            return when
        paths = Q()
        matched = False
        for reach in self._reaches(cap):
            if reach.covers(day):
                paths |= Q(**{f"{prefix}path__startswith": reach.path})
                matched = True
        return when & paths if matched else Q(pk__in=[])

    def reach_unit_ids(self, cap: Capability, day: date) -> set[int] | None:
        """The units whose subtrees the user reaches on day (None: all of them)."""
        if self._all(cap):
            return None
        return {r.unit_id for r in self._reaches(cap) if r.covers(day)}

    def versions_on(self, cap: Capability, day: date) -> QuerySet[UnitVersion]:
        from dangvu.units.models import UnitVersion

        return UnitVersion.objects.filter(self.version_filter(cap, day)).select_related("unit")

    def version_ever_filter(self, cap: Capability, prefix: str = "") -> Q:
        """Q on UnitVersion: versions reached at some time (history pages), through the
        roles in force today."""
        if self._all(cap):
            return Q()
        q = Q(pk__in=[])
        for reach in self._reaches(cap):
            q |= Q(**{f"{prefix}path__startswith": reach.path}) & overlapping(
                reach.start, reach.end, prefix
            )
        return q

    def units(self, cap: Capability) -> QuerySet[Unit]:
        """Units reached at some time (history pages), through the roles in force today."""
        from dangvu.units.models import Unit, UnitVersion

        if self._all(cap):
            return Unit.objects.all()
        versions = UnitVersion.objects.filter(self.version_ever_filter(cap), unit=OuterRef("pk"))
        return Unit.objects.filter(Exists(versions))

    def writable_units(self, cap: Capability) -> QuerySet[Unit]:
        """Units whose records the user may write today: the unit as it stands today (or
        as it last stood, for a unit merged away or dissolved; as it will first stand, for
        one not yet founded) lies under a reach standing today. The records of a unit, its
        history included, are kept by whoever holds it today; a reach that a unit has moved
        out of writes nothing there, and a role that has ended writes nothing. Every write
        asks this (or `writes_unit_on`), never `units`."""
        from dangvu.units.models import Unit, UnitVersion

        if self._all(cap):
            return Unit.objects.all()
        now = today()
        paths = Q(pk__in=[])
        matched = False
        for reach in self._reaches(cap):
            if reach.covers(now):
                paths |= Q(path__startswith=reach.path)
                matched = True
        if not matched:
            return Unit.objects.none()
        begun_since = UnitVersion.objects.filter(
            starting_after(OuterRef("valid_from")), begun_by(now), unit=OuterRef("unit")
        )
        before = UnitVersion.objects.filter(
            begun_before(OuterRef("valid_from")), unit=OuterRef("unit")
        )
        standing = begun_by(now) & ~Q(Exists(begun_since))
        first_to_come = starting_after(now) & ~Q(Exists(before))
        versions = UnitVersion.objects.filter(paths, standing | first_to_come, unit=OuterRef("pk"))
        return Unit.objects.filter(Exists(versions))

    def unit_typed(
        self,
        code: str,
        *,
        cap: Capability | None = None,
        day: date | None = None,
        what: str = "Đơn vị",
    ) -> Unit:
        """The unit whose code the user typed into a form, or a DomainError that says why
        (a form's message, not a 404: the user typed the code).

        - `cap` and no `day`: a write today; the unit is writable (`writable_units`), and
          one message answers both an unknown code and a unit out of reach (`what` names it).
        - `cap` and `day`: a write dated `day`; the unit exists, and the user writes its
          records on that day (`writes_unit_on`).
        - no `cap`: any unit with the code; the service that takes it judges the rest (the
          receiving cell of a transfer, the sampled units of a survey, a granted role's
          unit under the grant policy)."""
        from dangvu.core.errors import DomainError
        from dangvu.units.models import Unit

        code = (code or "").strip()
        if cap is not None and day is None:
            unit = self.writable_units(cap).filter(code=code).first()
            if unit is None:
                raise DomainError(UNIT_NOT_WRITABLE.format(what=what, code=code or "(trống)"))
            return unit
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise DomainError(UNIT_UNKNOWN.format(codes=code))
        if cap is not None and day is not None and not self.writes_unit_on(cap, unit, day):
            raise DomainError(UNIT_NOT_WRITABLE_ON.format(code=unit.code, day=format_date(day)))
        return unit

    def units_typed(self, raw: str) -> list[Unit]:
        """Several unit codes typed into one field (separated by commas or lines), in the
        order typed, once each; every code must name a unit (the service judges reach)."""
        from dangvu.core.errors import DomainError
        from dangvu.units.models import Unit

        codes = list(dict.fromkeys(c.strip() for c in raw.replace("\n", ",").split(",")))
        codes = [c for c in codes if c]
        found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise DomainError(UNIT_UNKNOWN.format(codes=", ".join(missing)))
        return [found[c] for c in codes]

    def writable_unit(self, cap: Capability, code: str, what: str = "Đơn vị") -> Unit:
        """The unit typed into a form, if the user may write its records today
        (`unit_typed` with a capability and no day)."""
        return self.unit_typed(code, cap=cap, what=what)

    def get_unit(self, cap: Capability, code: str) -> Unit:
        """The unit with this code if reached at some time, else 404 (never 403)."""
        unit = self.units(cap).filter(code=code).first()
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
        return unit

    def reaches_unit_on(self, cap: Capability, unit: Unit, day: date) -> bool:
        """The unit as it stood on day is reached (by a role in force today)."""
        from dangvu.units.models import UnitVersion

        return UnitVersion.objects.filter(self.version_filter(cap, day), unit=unit).exists()

    def writes_unit_on(self, cap: Capability, unit: Unit, day: date) -> bool:
        """A write dated `day` to the unit's records: the unit is writable today and, as it
        stood on that day, reached (a reach that moved away from the unit since writes
        nothing there, even in the past; today's holder writes its history)."""
        return self.writable_units(cap).filter(pk=unit.pk).exists() and self.reaches_unit_on(
            cap, unit, day
        )

    # -- members -------------------------------------------------------------------
    def member_filter(self, cap: Capability) -> Q:
        """Q on Member: members reached at some time, and always the user's own record."""
        own = Q(pk=self.member_id) if self.member_id else Q(pk__in=[])
        if self._all(cap):
            return Q()
        reaches = self._reaches(cap)
        if not reaches:
            return own
        from dangvu.members.models import Membership

        overlap = Q(pk__in=[])
        for reach in reaches:
            overlap |= (
                Q(unit__versions__path__startswith=reach.path)
                & overlapping(reach.start, reach.end, "unit__versions__")
                & overlapping(reach.start, reach.end)
            )
        memberships = Membership.objects.filter(
            overlap,
            _version_during_membership(),
            member=OuterRef("pk"),
        )
        return own | Q(Exists(memberships))

    def members(self, cap: Capability) -> MemberQuerySet:
        from dangvu.members.models import Member

        return Member.objects.filter(self.member_filter(cap))

    def members_on(self, cap: Capability, day: date) -> MemberQuerySet:
        """Members active on day in a unit reached on day."""
        from dangvu.members.models import Member, Membership

        memberships = Membership.objects.filter(
            active_on(day),
            self.version_filter(cap, day, prefix="unit__versions__"),
            member=OuterRef("pk"),
        )
        return Member.objects.filter(Exists(memberships))

    def member_record_filter(
        self,
        cap: Capability,
        member: str = "member",
        *,
        year: str | int | None = None,
        day: str | date | None = None,
    ) -> Q:
        """Q on a model of records about a member (through the field `member`), dated by a
        year (`year`: a field name, or one year) or a day (`day`: a field name, or one day):
        the records of the years, or days, the member stood in a unit the user reaches, and
        always the user's own records.

        A member who moved from cell A to cell B: A's secretary reads the records of the
        years the member stood in A (a year counts when the member stood there on any day of
        it), B's secretary those of the years in B."""
        if (year is None) == (day is None):
            raise TypeError("member_record_filter takes a year or a day, one of them")
        own = Q(**{member: self.member_id}) if self.member_id else Q(pk__in=[])
        if self._all(cap):
            return Q()
        reaches = self._reaches(cap)
        if not reaches:
            return own
        from dangvu.members.models import Membership

        paths = Q(pk__in=[])
        for path in sorted({r.path for r in reaches}):
            paths |= Q(unit__versions__path__startswith=path)
        # The membership, the unit's version and the period of the record meet pairwise,
        # so (intervals on a line) on a common day; the version's path lies under a reach
        # only while the reach's unit had that path, so the reach holds on that day too.
        when = _overlaps_year(year, "") & _overlaps_year(year, "unit__versions__")
        if day is not None:
            when = _covers_day(day, "") & _covers_day(day, "unit__versions__")
        memberships = Membership.objects.filter(
            paths,
            when,
            _version_during_membership(),
            member=OuterRef(member),
        )
        return own | Q(Exists(memberships))

    def get_member(self, cap: Capability, card_number: str) -> Member:
        member = self.members(cap).filter(card_number=card_number).first()
        if member is None:
            raise Http404("Không tìm thấy đảng viên.")
        return member


def _version_during_membership() -> Q:
    """Q on Membership: the unit's version (`unit__versions__`) meets the membership's own
    [valid_from, valid_to)."""
    return overlapping(F("valid_from"), F("valid_to"), "unit__versions__")


def _overlaps_year(year: str | int | None, prefix: str) -> Q:
    """Q for rows (through `prefix`) whose [valid_from, valid_to) meets the year: a year
    given as a number, or as a field of the outer row (`OuterRef`)."""
    if year is None:
        return Q()
    return in_year(year if isinstance(year, int) else OuterRef(year), prefix)


def _covers_day(day: str | date | None, prefix: str) -> Q:
    """Q for rows (through `prefix`) valid on the day: a date, or a field of the outer row."""
    if day is None:
        return Q()
    return active_on(day if isinstance(day, date) else OuterRef(day), prefix)


def build_scope(user: User | None) -> Scope:
    """Compute the reaches of a user's roles in force today (one query for the roles, one
    for their units' versions). A role is in force while its period covers today and its
    unit stands today; it then reaches every version of its unit. Always read from the
    primary: a role revoked a moment ago must not come back from a lagging replica."""
    from dangvu.core.replica import on_primary

    with on_primary():
        return _build_scope(user)


def _build_scope(user: User | None) -> Scope:
    from dangvu.accounts.models import Role
    from dangvu.units.models import UnitVersion

    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(None, [], is_admin=False)
    now = today()
    roles = list(Role.objects.filter(user=user).as_of(now).exclude(department="member"))
    reaches: list[Reach] = []
    if roles:
        merged = merged_into({r.unit_id for r in roles})
        units = {r.unit_id for r in roles} | {p for ps in merged.values() for p in ps}
        versions = UnitVersion.objects.filter(unit_id__in=units).only(
            "unit_id", "path", "valid_from", "valid_to"
        )
        by_unit: dict[int, list[UnitVersion]] = {}
        for version in versions:
            by_unit.setdefault(version.unit_id, []).append(version)
        for role in roles:
            unit_versions = by_unit.get(role.unit_id, [])
            if not any(v.is_active_on(now) for v in unit_versions):
                continue  # the unit is gone: its roles ended with it
            for unit_id in (role.unit_id, *sorted(merged.get(role.unit_id, ()))):
                for version in by_unit.get(unit_id, []):
                    reaches.append(
                        Reach(
                            unit_id,
                            version.path,
                            version.valid_from,
                            version.valid_to,
                            role.department,
                        )
                    )
    return Scope(user, reaches, is_admin=user.is_superuser)


def merged_into(unit_ids: set[int]) -> dict[int, set[int]]:
    """For each unit, the units merged into it: those whose only successor it is, and the
    units merged into those, at any depth (one query per generation, none when nothing was
    ever merged into them)."""
    from django.db.models import Count

    from dangvu.units.models import UnitSuccession

    heirs: dict[int, set[int]] = {unit: set() for unit in unit_ids}
    layer = {unit: unit for unit in unit_ids}  # a unit of this generation → whose heritage
    while layer:
        sole = (
            UnitSuccession.objects.filter(successor_id__in=layer)
            .annotate(successors=Count("predecessor__successions"))
            .filter(successors=1)
            .values_list("successor_id", "predecessor_id")
        )
        next_layer: dict[int, int] = {}
        for successor, predecessor in sole:
            heir = layer[successor]
            if predecessor not in heirs[heir] and predecessor != heir:
                heirs[heir].add(predecessor)
                next_layer[predecessor] = heir
        layer = next_layer
    return heirs


def scope_for(user: User) -> Scope:
    """The user's scope, cached on the user object for the length of a request."""
    cached: Scope | None = getattr(user, "_dangvu_scope", None)
    if cached is None:
        cached = build_scope(user)
        setattr(user, "_dangvu_scope", cached)  # noqa: B010 - a per-request cache
    return cached
