"""Reads of members, always as some user on some day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope, scope_for
from dangvu.core.effective import active_on, begun_by
from dangvu.lib.vietnamese import search_tokens
from dangvu.members.models import Member, MemberQuerySet, Membership
from dangvu.units.models import Unit, UnitVersion

SEARCH_LIMIT = 50


def member_search(
    *,
    user: User,
    query: str,
    day: date,
    include_former: bool = False,
    limit: int = SEARCH_LIMIT + 1,
) -> QuerySet[Member]:
    """The first `limit` members matching the query, accent-insensitively by name or by card
    number prefix, among those the user reaches (on day, or at any time with include_former):
    exact names first, then names holding every word whole, then the rest, each in Vietnamese
    name order.

    On PostgreSQL the members of today's search are first picked by `_first_ids` (an index
    walk per rank, see there); the list is then read by the plain query restricted to them,
    so it is the plain query's list cut at `limit`, the scope applied twice."""
    scope = scope_for(user)
    tokens = search_tokens(query)
    if not tokens or limit <= 0:
        return Member.objects.none()
    if include_former:
        members = scope.members(Capability.VIEW_MEMBERS)
    else:
        members = scope.members_on(Capability.VIEW_MEMBERS, day)
        if connection.vendor == "postgresql":
            members = members.filter(pk__in=_first_ids(scope, tokens, day, limit))
    # The cell shown is the last one the member stood in inside the user's reach: a former
    # member's cell elsewhere is not told.
    within = scope.version_ever_filter(Capability.VIEW_MEMBERS)
    ordered = with_cell_name(members.search(tokens), day, within).in_vietnamese_order("rank")
    return ordered[:limit]


#: Rows of the name index walked for one rank before its other indexes are read instead;
#: a walk that found some matches goes on as far as they promise, up to WALK_MAX rows.
WALK_BUDGET = 20_000
WALK_MAX = 100_000
#: A reader reaching at most this many units on a day has the search driven from them.
NARROW_UNITS = 20_000


def _first_ids(scope: Scope, tokens: list[str], day: date, limit: int) -> list[int]:
    """PostgreSQL: the ids of the first `limit` members of the search among those active on
    day in a unit reached on day, in the search's order (rank, then name order).

    - A reader of a province or less: the members active on day in the units reached on day
      (resolved first: a path-prefix filter is estimated far too low, and the planner then
      guesses wrong whichever way it goes), read from covering indexes by runs of ids,
      ranked and sorted.
    - The administrator (or a reader of many units): rank by rank, the name index is walked
      in order for `WALK_BUDGET` rows (a rank with many matches is done there); a rarer rank
      is read from the trigram index, sorted, and the scope checked in that order until
      enough members are found."""
    search = _SearchSql(tokens)
    unit_ids = scope.reach_unit_ids(Capability.VIEW_MEMBERS, day)
    reached: list[int] | None = None
    if unit_ids is not None:
        reached = list(
            UnitVersion.objects.filter(scope.version_filter(Capability.VIEW_MEMBERS, day))
            .order_by()
            .values_list("unit_id", flat=True)
            .distinct()
        )
        if not reached:
            return []
    with transaction.atomic(), connection.cursor() as cursor:
        # These queries are short; compiling them (JIT) alone takes ~100 ms.
        cursor.execute("SET LOCAL jit = off")
        if reached is not None and len(reached) <= NARROW_UNITS:
            # The members come from the scope, never from a guess of the name indexes (the
            # name is read as an expression no index holds); their ids, sorted, are cut into
            # runs of consecutive ids (`islands`: a province's members were mostly created
            # together), each run read as one range of the covering index by id.
            cursor.execute(
                f"""WITH islands AS MATERIALIZED (
                  SELECT min(member_id) AS lo, max(member_id) AS hi FROM (
                    SELECT ms.member_id,
                      ms.member_id - dense_rank() OVER (ORDER BY ms.member_id) AS island
                    FROM unnest(%s::bigint[]) u (id)
                    JOIN members_membership ms ON ms.unit_id = u.id
                    WHERE ms.valid_from <= %s AND ms.valid_to > %s) active
                  GROUP BY island)
                SELECT m.id FROM islands i CROSS JOIN LATERAL (
                  SELECT m.id, m.name_search, m.card_number, m.name_sort FROM members_member m
                  WHERE m.id BETWEEN i.lo AND i.hi OFFSET 0) m
                WHERE {search.matches(unindexed=True)}
                ORDER BY {search.rank(unindexed=True)}, {ORDER} LIMIT %s""",
                [reached, day, day, *search.params, *search.rank_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]
        if reached is None:
            units = "JOIN units_unitversion v ON v.unit_id = ms.unit_id "
            units_where = "AND v.valid_from <= %s AND v.valid_to > %s"
            units_params: list[Any] = [day, day]
        else:
            units, units_where, units_params = "", "AND ms.unit_id = ANY(%s)", [reached]
        # A scalar subquery, checked row by row in name order (an EXISTS would become a
        # join over every membership).
        in_scope = (
            f"(SELECT 1 FROM members_membership ms {units}WHERE ms.member_id = c.id "
            f"AND ms.valid_from <= %s AND ms.valid_to > %s {units_where} LIMIT 1) IS NOT NULL"
        )
        in_scope_m = in_scope.replace("c.id", "m.id")
        scope_params = [day, day, *units_params]
        # The matches of a rare rank are sorted in memory.
        cursor.execute("SET LOCAL work_mem = '32MB'")
        found: list[int] = []
        for rank, (condition, params, sources) in enumerate(search.ranks()):
            need = limit - len(found)
            ids: list[int] = []
            budget = WALK_BUDGET if rank > 0 else 0  # rank 0: an equality, probed by index
            while budget:
                cursor.execute(
                    f"""SELECT c.id FROM (
                  SELECT m.id, m.name_search, m.card_number, m.name_sort FROM members_member m
                  ORDER BY {ORDER} LIMIT %s) c
                WHERE {condition.replace("m.", "c.")} AND {in_scope}
                ORDER BY {ORDER.replace("m.", "c.")} LIMIT %s""",
                    [budget, *params, *scope_params, need],
                )
                ids = [row[0] for row in cursor.fetchall()]
                # Some matches, too few: walk again as far as they promise, within reason.
                promised = budget * need * 3 // (2 * len(ids)) if ids else 0
                budget = promised if len(ids) < need and budget < promised <= WALK_MAX else 0
            if len(ids) < need:
                # Each source gives its first members in name order, the scope checked
                # in that order: a range of the given-name index is read in order; any
                # other source is read whole by index (materialized: the planner would
                # otherwise walk the name index) and sorted.
                branches, branch_params = [], []
                for source, source_params, in_order in sources:
                    if in_order:
                        branches.append(
                            "SELECT m.id, m.name_sort, m.card_number FROM members_member m "
                            f"WHERE {source} AND {condition} AND {in_scope_m} "
                            f"ORDER BY {ORDER} LIMIT %s"
                        )
                    else:
                        branches.append(
                            f"""WITH matches AS MATERIALIZED (
                              SELECT m.id, m.name_sort, m.card_number FROM members_member m
                              WHERE {source} AND {condition})
                            SELECT c.* FROM (SELECT * FROM matches m ORDER BY {ORDER} OFFSET 0) c
                            WHERE {in_scope} LIMIT %s"""
                        )
                    branch_params += [*source_params, *params, *scope_params, need]
                union = " UNION ".join(f"({branch})" for branch in branches)
                cursor.execute(
                    f"SELECT m.id FROM ({union}) m ORDER BY {ORDER} LIMIT %s",
                    [*branch_params, need],
                )
                ids = [row[0] for row in cursor.fetchall()]
            found += ids
            if len(found) >= limit:
                break
    return found


ORDER = 'm.name_sort COLLATE "C", m.card_number'
#: The given name (the last word) and the other names (" nguyen van "), as indexed.
GIVEN = "split_part(rtrim(m.name_search::text), ' ', -1)"
REST = f"left(rtrim(m.name_search::text), -length({GIVEN}))"


class _SearchSql:
    """The search's conditions in SQL on `members_member m`, as `MemberQuerySet.search`
    states them: every token starts a word of the name or the card number (capitals
    ignored); rank 0 the whole name (or card) is the query, 1 every token is a whole word
    (or the card), 2 the rest."""

    def __init__(self, tokens: list[str]) -> None:
        like = connection.ops.prep_for_like_query
        self.tokens = tokens
        self.params: list[Any] = []
        self.whole_params: list[Any] = []
        for token in tokens:
            self.params += [f"% {like(token)}%", f"{like(token)}%"]
            self.whole_params += [f"% {like(token)} %", token]
        self.exact_params = [f" {' '.join(tokens)} ", " ".join(tokens)]
        self.rank_params = [*self.exact_params, *self.whole_params]

    @staticmethod
    def _name(unindexed: bool) -> str:
        return "(m.name_search::text || '')" if unindexed else "m.name_search::text"

    def matches(self, unindexed: bool = False) -> str:
        name = self._name(unindexed)
        return " AND ".join(
            f"({name} LIKE %s OR UPPER(m.card_number::text) LIKE UPPER(%s))" for _ in self.tokens
        )

    def whole(self, unindexed: bool = False) -> str:
        name = self._name(unindexed)
        return " AND ".join(
            f"({name} LIKE %s OR UPPER(m.card_number::text) = UPPER(%s))" for _ in self.tokens
        )

    def exact(self, unindexed: bool = False) -> str:
        return f"({self._name(unindexed)} = %s OR UPPER(m.card_number::text) = UPPER(%s))"

    def rank(self, unindexed: bool = False) -> str:
        return (
            f"CASE WHEN {self.exact(unindexed)} THEN 0 WHEN {self.whole(unindexed)} THEN 1 "
            "ELSE 2 END"
        )

    def ranks(self) -> list[tuple[str, list[Any], list[tuple[str, list[Any], bool]]]]:
        """Each rank, rank 0 first: its condition (which no index serves: the planner would
        otherwise add up the bitmaps of the commonest words) with its parameters, and the
        indexed conditions whose union holds every member of the rank (`sources`), each
        told whether its index reads it in name order.

        A member of rank 1 has a token as given name (`GIVEN`, a range of the given-name
        index, read in name order) or every token among the other names (`REST`, the
        words index) or as the card number; one of rank 2 has a given name starting with a
        token, or every token starting one of the other names (their trigram index) or the
        card number. The given names are apart: they gather the matches that the name
        order brings together, which a walk of the name index from its start misses."""
        exact = self.exact()
        whole = self.whole(unindexed=True)
        matches = self.matches(unindexed=True)
        like = connection.ops.prep_for_like_query
        cards_equal = " OR ".join("UPPER(m.card_number::text) = UPPER(%s)" for _ in self.tokens)
        rest_prefix, rest_params = [], []
        for token in self.tokens:
            rest_prefix.append(f"({REST} LIKE %s OR UPPER(m.card_number::text) LIKE UPPER(%s))")
            rest_params += [f"% {like(token)}%", f"{like(token)}%"]
        tokens = list(dict.fromkeys(self.tokens))
        return [
            (matches, self.params, [(exact, self.exact_params, False)]),
            (
                f"{whole} AND NOT {exact}",
                [*self.whole_params, *self.exact_params],
                [
                    *((f'{GIVEN} COLLATE "C" = %s', [token], True) for token in tokens),
                    (
                        f"(string_to_array(btrim({REST}), ' ') @> %s::text[] OR {cards_equal})",
                        [self.tokens, *self.tokens],
                        False,
                    ),
                ],
            ),
            (
                f"{matches} AND NOT ({whole}) AND NOT {exact}",
                [*self.params, *self.whole_params, *self.exact_params],
                [
                    *((f'{GIVEN} COLLATE "C" LIKE %s', [f"{like(t)}%"], False) for t in tokens),
                    (" AND ".join(rest_prefix), rest_params, False),
                ],
            ),
        ]


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
