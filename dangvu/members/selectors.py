"""Reads of members, always as some user on some day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.effective import active_on, begun_by
from dangvu.lib.vietnamese import search_tokens
from dangvu.members.models import Member, MemberQuerySet, Membership
from dangvu.units.models import Unit, UnitVersion

SEARCH_LIMIT = 50


def member_search(
    *, user: User, query: str, day: date, include_former: bool = False
) -> QuerySet[Member]:
    """Members matching the query, accent-insensitively by name or by card number prefix,
    among those the user reaches (on day, or at any time with include_former)."""
    scope = scope_for(user)
    tokens = search_tokens(query)
    if not tokens:
        return Member.objects.none()
    if include_former:
        members = scope.members(Capability.VIEW_MEMBERS)
    else:
        members = scope.members_on(Capability.VIEW_MEMBERS, day)
    # The cell shown is the last one the member stood in inside the user's reach: a former
    # member's cell elsewhere is not told.
    within = scope.version_ever_filter(Capability.VIEW_MEMBERS)
    return with_cell_name(members.search(tokens), day, within).in_vietnamese_order("rank")


def with_cell_name(members: MemberQuerySet, day: date, within: Q | None = None) -> MemberQuerySet:
    """Annotate `cell_name`: the member's cell on day (or their last cell), among the unit
    versions `within` (a Q on UnitVersion) when given."""
    cell = (
        UnitVersion.objects.filter(
            within or Q(),
            begun_by(day, "unit__memberships__"),
            begun_by(day),
            unit__memberships__member=OuterRef("pk"),
        )
        .order_by("-unit__memberships__valid_from", "-valid_from")
        .values("name")[:1]
    )
    return members.annotate(cell_name=Subquery(cell))


def unit_members(*, user: User, unit: Unit, day: date, page: int = 1, per_page: int = 50) -> Page:
    """Members active in the unit itself on day (cells), in Vietnamese name order."""
    scope = scope_for(user)
    if not scope.reaches_unit_on(Capability.VIEW_MEMBERS, unit, day):
        return Paginator(Member.objects.none(), per_page).get_page(1)
    ids = Membership.objects.filter(active_on(day), unit=unit).values("member_id")
    members = Member.objects.filter(pk__in=ids).in_vietnamese_order()
    return Paginator(members, per_page).get_page(page)


@dataclass
class MembershipRow:
    membership: Membership
    unit_version: UnitVersion | None  # the cell's state when the membership began
    linkable: bool


def visible_current_cell(
    *, user: User, member: Member, rows: list[MembershipRow], day: date
) -> tuple[Membership, UnitVersion] | None:
    """The member's cell on day, if it is among the rows the user reads."""
    found = current_cell(member, day)
    shown = {row.membership.pk for row in rows}
    return found if found is not None and found[0].pk in shown else None


def current_cell(member: Member, day: date) -> tuple[Membership, UnitVersion] | None:
    membership = member.memberships.as_of(day).select_related("unit").first()
    if membership is None:
        return None
    version = membership.unit.version_on(day)
    return (membership, version) if version else None


def member_record(*, user: User, card_number: str) -> tuple[Member, list[MembershipRow]]:
    """A member with the membership history; 404 unless the user reaches them. The history
    lists the cells in the user's reach only (all of them on one's own record): where a
    former member went is not told to the cell they left."""
    scope = scope_for(user)
    member = scope.get_member(Capability.VIEW_MEMBERS, card_number)
    memberships = list(member.memberships.select_related("unit").order_by("valid_from"))
    reachable = set(
        scope.units(Capability.VIEW_MEMBERS)
        .filter(pk__in=[m.unit_id for m in memberships])
        .values_list("pk", flat=True)
    )
    if member.pk != user.member_id:
        memberships = [m for m in memberships if m.unit_id in reachable]
    rows = []
    for membership in memberships:
        version = (
            membership.unit.versions.begun_by(membership.valid_from).order_by("-valid_from").first()
            or membership.unit.versions.order_by("valid_from").first()
        )
        rows.append(MembershipRow(membership, version, membership.unit_id in reachable))
    return member, rows


def managed_cell_or_404(*, user: User, code: str) -> Unit:
    """A cell whose members the user manages today (404 otherwise): every write to members
    asks the roles in force today (`Scope.writable_units`), here."""
    unit = scope_for(user).writable_units(Capability.MANAGE_MEMBERS).filter(code=code).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def manages_cell_on(*, user: User, cell: Unit, day: date) -> bool:
    """The user may write the cell's members dated `day` (a start, a transfer, a leaving)."""
    return scope_for(user).writes_unit_on(Capability.MANAGE_MEMBERS, cell, day)


def can_manage(*, user: User, member: Member, day: date) -> bool:
    """The user may edit this member: they manage, today, the member's cell on day (for a
    member no longer active anywhere, their last cell)."""
    found = current_cell(member, day)
    membership = found[0] if found else member.memberships.order_by("-valid_from").first()
    if membership is None:
        return False
    return (
        scope_for(user)
        .writable_units(Capability.MANAGE_MEMBERS)
        .filter(pk=membership.unit_id)
        .exists()
    )


def subtree_members(
    *, user: User, version: UnitVersion, day: date, page: int = 1, per_page: int = 50
) -> Page:
    """Members active on day anywhere under the unit, each with `.cell_name`."""
    scope = scope_for(user)
    if not scope.reaches_unit_on(Capability.VIEW_MEMBERS, version.unit, day):
        return Paginator(Member.objects.none(), per_page).get_page(1)
    memberships = Membership.objects.filter(
        active_on(day),
        active_on(day, "unit__versions__"),
        unit__versions__path__startswith=version.path,
    )
    members = with_cell_name(
        Member.objects.filter(pk__in=memberships.values("member_id")), day
    ).in_vietnamese_order()
    return Paginator(members, per_page).get_page(page)
