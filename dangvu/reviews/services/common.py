"""What the rules of reviews read (the rule and calendar of a year, the units, the members'
cells), the reach of a writer, and the plumbing of the bulk writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import models
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core import reference
from dangvu.core.audit import importing, log_bulk, log_created
from dangvu.core.bulk import insert_rows, next_ids, update_rows
from dangvu.core.effective import year_bounds
from dangvu.core.errors import DomainError
from dangvu.indicators import services_tallies as tallies
from dangvu.lib.dates import format_number
from dangvu.lib.numbers import parse_decimal
from dangvu.members.models import Member, Membership
from dangvu.reviews.models import (
    FIRST_YEAR,
    RatingAmendment,
    RatingGrade,
    RatingScheme,
    year_end,
)
from dangvu.reviews.services.messages import (
    AMEND_REASON_NEEDED,
    BAD_YEAR,
    IMPORTED,
    NO_CELL,
    NOT_IN_CELL,
    POINTS_DISAGREE,
    POINTS_NOT_USED,
    POINTS_RANGE,
    RATING_CLOSED,
    RATING_NOT_OPEN,
    UNIT_GONE,
    UNKNOWN_GRADE,
)
from dangvu.units.models import GRASSROOTS_KINDS, Unit, UnitVersion

SECTION_LIMIT = 4000
PRELOAD_CHUNK = 5000  # keys per IN list of `ReviewBook.preload`


def check_year(year: int) -> int:
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        raise DomainError(BAD_YEAR.format(year=year, first=FIRST_YEAR, last=last))
    return year


# -- rating rules --------------------------------------------------------------------------
def scheme_for(year: int) -> RatingScheme:
    """The rule in force for rating the year `year` (the one valid on its 31 December);
    reference data, read without a query (core/reference.py)."""
    schemes = reference.loaded(
        "reviews.RatingScheme", lambda: RatingScheme.objects.prefetch_related("grades")
    )
    return reference.in_force(schemes, year_end(year), "quy định xếp loại")


# -- the rating calendar: when a year's results are recorded, and when they close ----------
def rating_window(year: int) -> tuple[date, date]:
    """The first day results of `year` are recorded, and the last day before they close
    (data: the rule's `rating_opens`, `rating_closes`)."""
    return scheme_for(year).window(year)


def level_above(unit: Unit | int, year: int) -> int | None:
    """The unit above the grassroots organisation of `unit` (itself, or the nearest
    grassroots organisation above it), as the unit stood at the end of the year or last in
    it: the level that amends the year once it is closed. For a unit above the grassroots,
    its own parent; for the province, itself. None when the unit did not stand in the year."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    version = (
        UnitVersion.objects.in_year(year).filter(unit_id=unit_id).order_by("-valid_from").first()
    )
    if version is None:
        return None
    ids = [int(p) for p in version.path.strip("/").split("/") if p]
    day = min(year_end(year), version.valid_to - timedelta(days=1))
    kinds = dict(
        UnitVersion.objects.as_of(day).filter(unit_id__in=ids).values_list("unit_id", "kind")
    )
    anchor = next(
        (i for i in reversed(range(len(ids))) if kinds.get(ids[i]) in GRASSROOTS_KINDS),
        len(ids) - 1,
    )
    return ids[anchor - 1] if anchor > 0 else ids[0]


def amends_closed_year(
    actor: User, unit: Unit, year: int, cap: Capability = Capability.RUN_REVIEWS
) -> bool:
    """The actor holds today, by a role in force, the level above the unit's grassroots
    organisation (`level_above`)."""
    above = level_above(unit, year)
    return above is not None and scope_for(actor).writable_units(cap).filter(pk=above).exists()


def check_rating_calendar(
    year: int,
    *,
    unit: Unit,
    actor: User | None,
    reason: str = "",
    cap: Capability = Capability.RUN_REVIEWS,
) -> bool:
    """A review or rating of `year` may be written today: not before the year's results
    open (never for a year not yet ended but in its last weeks); once they are closed, only
    by the level above, with a reason. True when the year is closed (the write is an
    amendment, traced). `actor` None is the trusted command line (the demo, a migration):
    only the opening is checked for it."""
    opens, closes = rating_window(year)
    now = today()
    if now < opens:
        raise DomainError(RATING_NOT_OPEN.format(year=year, opens=opens.strftime("%d/%m/%Y")))
    if now <= closes:
        return False
    if actor is not None:
        if not amends_closed_year(actor, unit, year, cap):
            raise DomainError(RATING_CLOSED.format(year=year, closes=closes.strftime("%d/%m/%Y")))
        if not reason.strip():
            raise DomainError(AMEND_REASON_NEEDED.format(year=year))
    return True


def parse_points(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return parse_decimal(value, low=Decimal(0), high=Decimal(100))
    except ValueError as error:  # also "NaN", which Decimal reads and no comparison takes
        raise DomainError(POINTS_RANGE) from error


def rate(year: int, grade_code: str | None, points: Decimal | None) -> RatingGrade | None:
    """The grade of `year`'s rule (`ReviewBook.rate`)."""
    return ReviewBook(reach=EVERYTHING, actor=None, reason="", whole=False).rate(
        year, grade_code, points
    )


# -- where a member belongs in a year ---------------------------------------------------------
def cells_in_year(member: Member, year: int) -> list[int]:
    """Cells the member was active in during `year`, the latest first."""
    return list(
        Membership.objects.in_year(year)
        .filter(member=member)
        .order_by("-valid_from")
        .values_list("unit_id", flat=True)
    )


def _standing(unit: Unit, year: int) -> UnitVersion:
    version = UnitVersion.objects.as_of(year_end(year)).filter(unit=unit).first()
    if version is None:
        raise DomainError(UNIT_GONE.format(unit=unit.code, year=year))
    return version


def member_cell(member: Member, year: int, unit: Unit | None) -> Unit:
    cells = cells_in_year(member, year)
    if not cells:
        raise DomainError(NO_CELL.format(card=member.card_number, year=year))
    if unit is None:
        unit = Unit.objects.get(pk=cells[0])
    elif unit.pk not in cells:
        raise DomainError(NOT_IN_CELL.format(card=member.card_number, unit=unit.code, year=year))
    _standing(unit, year)
    return unit


# -- the reach of a write, and what the review rules read ------------------------------------
class Reach:
    """The units a writer writes today: the ids an importer writes, or (a page) the actor's
    scope asked unit by unit. `everything`: the trusted command line and the demo, which
    write a closed year without being the level above."""

    def __init__(
        self,
        *,
        ids: frozenset[int] | None = None,
        actor: User | None = None,
        cap: Capability = Capability.RUN_REVIEWS,
    ) -> None:
        self.ids, self.actor, self.cap = ids, actor, cap
        self.everything = ids is None and actor is None
        self._asked: dict[int, bool] = {}

    def __contains__(self, unit_id: object) -> bool:
        if self.everything:
            return True
        if self.ids is not None:
            return unit_id in self.ids
        if not isinstance(unit_id, int):
            return False
        if unit_id not in self._asked:
            assert self.actor is not None
            writable = scope_for(self.actor).writable_units(self.cap)
            self._asked[unit_id] = writable.filter(pk=unit_id).exists()
        return self._asked[unit_id]


EVERYTHING = Reach()


class RowError(DomainError):
    """A refusal naming the field of the row it is about (a workbook maps it to a column)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Problem:
    """A row a bulk service refused: its index in the rows given, the field, the message."""

    index: int
    field: str
    message: str


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    ids: dict[Any, int] = field(default_factory=dict)  # each row's key → its record


class ReviewBook:
    """What the rules of reviews read, read once per write: for one record by small
    queries; for many (`whole`) by one scan of each table."""

    def __init__(self, *, reach: Reach, actor: User | None, reason: str, whole: bool) -> None:
        self.reach, self.actor, self.reason, self.whole = reach, actor, reason, whole
        self.now = today()
        self._rules: dict[int, tuple[RatingScheme, list[RatingGrade]]] = {}
        self._standing: dict[int, dict[int, UnitVersion]] = {}
        self._windows: dict[int, tuple[date, date]] = {}
        self._above: dict[tuple[int, int], int | None] = {}
        self._spans: dict[int, list[tuple[int, date, date]]] | None = None
        self._cards: dict[str, tuple[int, bool]] | None = None
        self._codes: dict[str, int] | None = None
        self._levels: dict[int, str] | None = None
        #: The members `preload` read (None: not preloaded); their recorded rows are the
        #: only ones a bulk write compares its rows with.
        self.preloaded_members: set[int] | None = None
        self.preloaded_units: set[int] | None = None  # the units named by code, likewise

    @classmethod
    def for_one(cls, actor: User | None, reason: str = "") -> ReviewBook:
        """The book of a single-record write (a page): the actor's reach, small queries."""
        return cls(reach=reach_of(actor), actor=actor, reason=reason, whole=False)

    def preload(self, *, cards: Iterable[str], codes: Iterable[str], years: Iterable[int]) -> None:
        """Read at once what the rows naming these cards and unit codes in these years ask
        for (the members, their cells, those units as they stood at the end of each year),
        in chunks, so that a workbook's rows cost what they name, not the whole tables. Only
        for a book of small queries (not `whole`): anything else is still asked for alone."""
        assert not self.whole
        chunk = PRELOAD_CHUNK
        wanted, self._cards, self._levels, self._codes = sorted(set(cards)), {}, {}, {}
        for start in range(0, len(wanted), chunk):
            for card, pk, exempt, level in Member.objects.filter(
                card_number__in=wanted[start : start + chunk]
            ).values_list("card_number", "pk", "is_exempt", "management_level"):
                self._cards[card], self._levels[pk] = (pk, exempt), level
        self.preloaded_members = {pk for pk, _ in self._cards.values()}
        spans: dict[int, list[tuple[int, date, date]]] = defaultdict(list)
        ids = sorted(self.preloaded_members)
        for start in range(0, len(ids), chunk):
            spans.update({pk: [] for pk in ids[start : start + chunk]})
            for member, unit, begin, stop in Membership.objects.filter(
                member_id__in=ids[start : start + chunk]
            ).values_list("member_id", "unit_id", "valid_from", "valid_to"):
                spans[member].append((unit, begin, stop))
        self._spans = spans
        named = sorted(set(codes))
        for start in range(0, len(named), chunk):
            self._codes.update(
                Unit.objects.filter(code__in=named[start : start + chunk]).values_list("code", "pk")
            )
        self.preloaded_units = set(self._codes.values())
        units = sorted({u for own in spans.values() for u, _, _ in own} | self.preloaded_units)
        for year in set(years):
            standing = self._standing.setdefault(year, {})
            for start in range(0, len(units), chunk):
                versions = UnitVersion.objects.as_of(year_end(year)).filter(
                    unit_id__in=units[start : start + chunk]
                )
                standing.update({v.unit_id: v for v in versions})

    # -- the rule and the calendar of a year
    def rule(self, year: int) -> tuple[RatingScheme, list[RatingGrade]]:
        if year not in self._rules:
            scheme = scheme_for(year)
            self._rules[year] = (scheme, sorted(scheme.grades.all(), key=lambda g: g.rank))
        return self._rules[year]

    def rate(self, year: int, grade_code: str | None, points: Decimal | None) -> RatingGrade | None:
        """The grade of `year`'s rule: from the points under a points rule (a grade given
        as well must agree), from the grade code otherwise. None when nothing is given."""
        scheme, grades = self.rule(year)
        given = None
        if grade_code:
            given = next((g for g in grades if g.code == grade_code), None)
            if given is None:
                raise RowError(UNKNOWN_GRADE.format(grade=grade_code, scheme=scheme.code), "grade")
        if not scheme.uses_points:
            if points is not None:
                raise RowError(POINTS_NOT_USED.format(year=year, scheme=scheme.code), "grade")
            return given
        if points is None:
            return given  # a grade decided without its points (imported, historical)
        expected = next(g for g in grades if g.min_points is None or points >= g.min_points)
        if given is not None and given != expected:
            raise RowError(
                POINTS_DISAGREE.format(
                    points=format_number(float(points)),
                    expected=expected.label,
                    scheme=scheme.code,
                    given=given.label,
                ),
                "grade",
            )
        return expected

    def window(self, year: int) -> tuple[date, date]:
        if year not in self._windows:
            self._windows[year] = self.rule(year)[0].window(year)
        return self._windows[year]

    def closed(self, year: int) -> bool:
        return self.now > self.window(year)[1]

    def calendar(self, year: int, unit_id: int) -> bool:
        """Not before the year's results open; once closed, only by the level above, with
        a reason. True when the year is closed (the write is an amendment, traced)."""
        opens, closes = self.window(year)
        if self.now < opens:
            raise RowError(
                RATING_NOT_OPEN.format(year=year, opens=opens.strftime("%d/%m/%Y")), "year"
            )
        if self.now <= closes:
            return False
        if not self.reach.everything:
            if (unit_id, year) not in self._above:
                self._above[(unit_id, year)] = level_above(unit_id, year)
            if self._above[(unit_id, year)] not in self.reach:
                raise RowError(
                    RATING_CLOSED.format(year=year, closes=closes.strftime("%d/%m/%Y")), "year"
                )
            if not self.reason.strip():
                raise RowError(AMEND_REASON_NEEDED.format(year=year), "year")
        return True

    # -- the units and members
    def standing(self, unit_id: int, year: int) -> UnitVersion | None:
        """The unit as it stood on 31 December of the year."""
        if year not in self._standing:
            self._standing[year] = {}
            if self.whole:
                self._standing[year] = {
                    v.unit_id: v for v in UnitVersion.objects.as_of(year_end(year))
                }
        known = self._standing[year]
        if unit_id not in known and not self.whole:
            found = UnitVersion.objects.as_of(year_end(year)).filter(unit_id=unit_id).first()
            if found is not None:
                known[unit_id] = found
        return known.get(unit_id)

    def unit_id(self, code: str) -> int | None:
        if self._codes is None:
            self._codes = {}
            if self.whole:
                self._codes = dict(Unit.objects.values_list("code", "pk"))
        if code not in self._codes and not self.whole:
            found = Unit.objects.filter(code=code).values_list("pk", flat=True).first()
            if found is not None:
                self._codes[code] = found
        return self._codes.get(code)

    def member(self, card: str) -> tuple[int, bool] | None:
        """(id, flagged exempt from activities) of the card's member."""
        if self._cards is None:
            self._cards = {}
            if self.whole:
                # Whole tables, not IN lists: a province's sheet names more members than
                # SQLite takes parameters in one statement; one scan is fast.
                self._cards = {
                    c: (pk, exempt)
                    for c, pk, exempt in Member.objects.values_list(
                        "card_number", "pk", "is_exempt"
                    )
                }
        if card not in self._cards and not self.whole:
            found = Member.objects.filter(card_number=card).values_list("pk", "is_exempt").first()
            if found is not None:
                self._cards[card] = found
        return self._cards.get(card)

    def management_level(self, member_id: int) -> str:
        """The member's management level ("" when none is recorded)."""
        if self._levels is None:
            self._levels = {}
            if self.whole:
                self._levels = dict(
                    Member.objects.exclude(management_level="").values_list(
                        "pk", "management_level"
                    )
                )
        if member_id not in self._levels and not self.whole:
            self._levels[member_id] = (
                Member.objects.filter(pk=member_id)
                .values_list("management_level", flat=True)
                .first()
                or ""
            )
        return self._levels.get(member_id, "")

    def cells(self, member_id: int, year: int) -> list[int]:
        """The cells the member stood in during the year, the latest first."""
        if self._spans is None:
            self._spans = defaultdict(list)
        fresh = not self._spans if self.whole else member_id not in self._spans
        if fresh:
            memberships = Membership.objects.all()
            if not self.whole:
                memberships = memberships.filter(member_id=member_id)
                self._spans[member_id] = []
            for member, unit, start, stop in memberships.values_list(
                "member_id", "unit_id", "valid_from", "valid_to"
            ):
                self._spans[member].append((unit, start, stop))
        first, after = year_bounds(year)
        spans = [(s, u) for u, s, e in self._spans.get(member_id, ()) if s < after and e > first]
        return [u for _, u in sorted(spans, reverse=True)]

    def in_reach(self, units: Iterable[int]) -> bool:
        return any(u in self.reach for u in units)


def not_oneself(actor: User | None, member_id: int, message: str) -> None:
    """A member decides nothing on their own record."""
    if actor is not None and actor.member_id is not None and actor.member_id == member_id:
        raise RowError(message, "card_number")


def plain_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def quantized(points: Decimal | None) -> Decimal | None:
    return None if points is None else Decimal(points).quantize(Decimal("0.01"))


def code_of(unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""


def reach_of(actor: User | None) -> Reach:
    return EVERYTHING if actor is None else Reach(actor=actor)


class Upsert(NamedTuple):
    """A row of a bulk write: its key (its first items the key fields' values, in order),
    its id when recorded, its values (in the written fields' order), and what is written
    only when it is new."""

    key: tuple[Any, ...]
    pk: int | None
    values: tuple[Any, ...]
    new_only: tuple[Any, ...] = ()


def upsert(
    model: type[models.Model],
    *,
    keys: Sequence[str],
    written: Sequence[str],
    rows: list[Upsert],
    new_only: Sequence[str] = (),
) -> dict[tuple[Any, ...], int]:
    """Insert the new rows and update the recorded ones in bulk; every row's id, by key."""
    new = [r for r in rows if r.pk is None]
    fresh = dict(zip((r.key for r in new), next_ids(model, len(new)), strict=True))
    before = tallies.where(model, [r.pk for r in rows if r.pk is not None])
    insert_rows(
        model,
        ["id", *keys, *written, *new_only],
        [(fresh[r.key], *r.key[: len(keys)], *r.values, *r.new_only) for r in new],
    )
    update_rows(model, written, [(r.pk, *r.values) for r in rows if r.pk is not None])
    ids = {r.key: r.pk or fresh[r.key] for r in rows}
    tallies.touched_records(model, ids.values(), before)
    return ids


def written_objects(
    model: type[models.Model], keys: Sequence[str]
) -> Callable[[tuple[Any, ...], int], models.Model]:
    """How to make an unsaved instance standing for a row written (for its audit entry)."""
    return lambda key, pk: model(pk=pk, **dict(zip(keys, key, strict=True)))


def audit_bulk(
    model: type[models.Model],
    changes: Sequence[tuple[tuple[Any, ...], int, tuple[Any, ...], tuple[Any, ...] | None]],
    *,
    make: Callable[[tuple[Any, ...], int], models.Model],
    actor: User | None,
    note: str,
) -> None:
    """Audit entries of a bulk write (the signals of django-auditlog do not see it): the
    created, and the changed with their changed fields. `changes` are (key, id, after,
    before: None when created); `make` gives the instance an entry names (made only for
    the entries written one per record: inside an import the created are one entry)."""
    created = [(key, pk) for key, pk, _, before in changes if before is None]
    if importing():
        log_created(model, [pk for _, pk in created], actor=actor, note=note)
    else:
        objs = [(make(key, pk), None) for key, pk in created]
        log_bulk(model, objs, actor=actor, created=True, note=note)
    updated = [
        (make(key, pk), _diff(before, after))
        for key, pk, after, before in changes
        if before is not None
    ]
    log_bulk(model, updated, actor=actor, created=False, note=note)


def _diff(before: Any, after: Any) -> dict[str, list[Any]]:
    old, new = before._asdict(), after._asdict()
    return {k: [plain_value(old[k]), plain_value(new[k])] for k in new if old.get(k) != new[k]}


def year_closed(year: int) -> bool:
    """The results of `year` are closed today (amended only by the level above)."""
    return today() > rating_window(year)[1]


def trace_amendment(
    *,
    closed: bool,
    year: int,
    before: Any,
    after: Any,
    actor: User | None,
    reason: str,
    **review: Any,
) -> None:
    """One page's change to a closed year, made by a person (or given a reason): kept as a
    `RatingAmendment` of `review` (member_review= or collective_review=) beside the audit."""
    if closed and (actor is not None or reason.strip()):
        RatingAmendment.objects.create(
            year=year,
            reason=reason.strip() or IMPORTED,
            before=before.plain() if before is not None else {},
            after=after.plain(),
            amended_by=actor,
            **review,
        )


def trace_amendments(amendments: list[RatingAmendment], *, actor: User | None, reason: str) -> None:
    """A closed year's rows an actor changed, each traced with the reason (the command line
    and the demo, trusted, leave no trace)."""
    if actor is None or not amendments:
        return
    for amendment in amendments:
        amendment.reason, amendment.amended_by = reason.strip() or IMPORTED, actor
    RatingAmendment.objects.bulk_create(amendments, batch_size=1000)
