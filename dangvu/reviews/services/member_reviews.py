"""Writes of members' reviews and ratings: one row validator for a page and a workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.indicators import services_tallies as tallies
from dangvu.members.models import Member
from dangvu.reviews.models import (
    ExemptReason,
    Fulfilment,
    MemberReview,
    RatingAmendment,
    RatingGrade,
    ReviewOutcome,
    year_end,
)
from dangvu.reviews.services.common import (
    PRELOAD_CHUNK,
    BulkResult,
    Problem,
    Reach,
    ReviewBook,
    RowError,
    Upsert,
    audit_bulk,
    check_year,
    code_of,
    not_oneself,
    plain_value,
    quantized,
    trace_amendment,
    trace_amendments,
    upsert,
    written_objects,
)
from dangvu.reviews.services.messages import (
    CARD_NOT_IN_REACH,
    DUPLICATE_ROW,
    EXEMPT_NOT_RATED,
    FULFILMENT_INVALID,
    MEMBER_OUTSIDE,
    NO_CELL,
    NO_SUCH_CARD,
    NOT_IN_CELL,
    OUTCOME_INVALID,
    REASON_NEEDED,
    REASON_ONLY_EXEMPT,
    REVIEW_HELD_ELSEWHERE,
    SELF_REVIEW,
    UNIT_GONE,
)
from dangvu.units.models import CELL_KINDS, Unit


# -- member reviews ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberReviewSpec:
    member: Member
    year: int
    outcome: str
    unit: Unit | None = None
    exempt_reason: str = ""
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    self_review: str = ""
    fulfilment: str = ""


@dataclass(frozen=True)
class MemberReviewRow:
    """A member's review as a workbook or the demo gives it. The member by card number or
    id; the cell by code or id (neither: the last cell of the year). `exempt_reason` None:
    the default (exempt from activities when flagged so, else another reason). The fields
    None after it are not given: kept as recorded (empty when new)."""

    year: int
    outcome: str
    card_number: str = ""
    member_id: int | None = None
    cell_code: str = ""
    cell_id: int | None = None
    exempt_reason: str | None = ""
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    self_review: str | None = ""
    fulfilment: str | None = ""

    @classmethod
    def of(cls, spec: MemberReviewSpec) -> MemberReviewRow:
        return cls(
            year=spec.year,
            outcome=spec.outcome,
            card_number=spec.member.card_number,
            member_id=spec.member.pk,
            cell_id=spec.unit.pk if spec.unit is not None else None,
            exempt_reason=spec.exempt_reason,
            grade=spec.grade,
            points=spec.points,
            held_on=spec.held_on,
            self_review=spec.self_review,
            fulfilment=spec.fulfilment,
        )


class ReviewValues(NamedTuple):
    """What a member's review records (compared before a write: an unchanged row writes
    nothing and passes whatever the calendar)."""

    unit: int
    outcome: str
    exempt_reason: str
    grade: int | None
    points: Decimal | None
    held_on: date | None
    self_review: str
    fulfilment: str

    def plain(self) -> dict[str, Any]:
        return {k: plain_value(v) for k, v in self._asdict().items()}


REVIEW_COLUMNS = tuple(ReviewValues._fields)


Recorded = tuple[int, ReviewValues]  # a recorded review: its id and what it records


class CheckedReview(NamedTuple):
    member_id: int
    year: int
    values: ReviewValues
    before: ReviewValues | None
    before_pk: int | None
    closed: bool


def _review_member(row: MemberReviewRow, book: ReviewBook) -> tuple[int, bool, list[int]]:
    """The row's member, told only when the writer reaches one of the member's cells in
    the year: a card outside it and a card that does not exist are said alike."""
    card = row.card_number
    found = book.member(card) if row.member_id is None else (row.member_id, False)
    cells = book.cells(found[0], row.year) if found else []
    if not book.reach.everything and not book.in_reach(cells):
        raise RowError(CARD_NOT_IN_REACH.format(card=card, year=row.year), "card_number")
    if found is None:
        raise RowError(NO_SUCH_CARD.format(card=card), "card_number")
    return found[0], found[1], cells


def _review_cell(row: MemberReviewRow, cells: list[int], book: ReviewBook) -> int:
    card, year = row.card_number, row.year
    if not cells:
        raise RowError(NO_CELL.format(card=card, year=year), "card_number")
    if row.cell_code:
        unit_id = book.unit_id(row.cell_code)
    else:
        unit_id = cells[0] if row.cell_id is None else row.cell_id
    if unit_id is None or unit_id not in cells:
        unit = row.cell_code or code_of(unit_id)
        raise RowError(NOT_IN_CELL.format(card=card, unit=unit, year=year), "cell_code")
    version = book.standing(unit_id, year)
    if version is None or version.kind not in CELL_KINDS:
        raise RowError(UNIT_GONE.format(unit=code_of(unit_id), year=year), "year")
    if unit_id not in book.reach:
        raise RowError(MEMBER_OUTSIDE, "card_number")
    return unit_id


def _review_outcome(row: MemberReviewRow, flagged: bool) -> str:
    """The exemption reason, after the outcome's own checks."""
    if row.outcome not in ReviewOutcome.values:
        raise RowError(OUTCOME_INVALID, "outcome")
    reason = row.exempt_reason
    if row.outcome == ReviewOutcome.EXEMPT:
        if reason is None:
            reason = ExemptReason.ACTIVITIES_EXEMPT if flagged else ExemptReason.OTHER
        if reason not in ExemptReason.values:
            raise RowError(REASON_NEEDED, "exempt_reason")
        if row.grade or row.points is not None:
            raise RowError(EXEMPT_NOT_RATED, "grade")
    elif reason:
        raise RowError(REASON_ONLY_EXEMPT, "exempt_reason")
    if row.fulfilment and row.fulfilment not in Fulfilment.values:
        raise RowError(FULFILMENT_INVALID, "fulfilment")
    return str(reason or "")


def check_review_row(
    row: MemberReviewRow, book: ReviewBook, recorded: Recorded | None = None
) -> CheckedReview | None:
    """THE rules of a member's review, for a page and a workbook alike; None when the row
    changes nothing recorded. `recorded`: the member's review of the year (with its id)."""
    check_year(row.year)
    member_id, flagged, cells = _review_member(row, book)
    not_oneself(book.actor, member_id, SELF_REVIEW)
    reason = _review_outcome(row, flagged)
    unit_id = _review_cell(row, cells, book)
    grade = book.rate(row.year, row.grade or None, quantized(row.points))
    before_pk, before = recorded or (None, None)
    kept = before or ReviewValues(unit_id, "", "", None, None, None, "", "")
    values = ReviewValues(
        unit=unit_id,
        outcome=str(row.outcome),
        exempt_reason=reason,
        grade=grade.pk if grade else None,
        points=quantized(row.points),
        held_on=row.held_on if row.held_on is not None or before is None else kept.held_on,
        self_review=kept.self_review if row.self_review is None else row.self_review,
        fulfilment=kept.fulfilment if row.fulfilment is None else row.fulfilment,
    )
    if before is not None and before == values:
        return None
    if before is not None and before.unit not in book.reach:
        # The review is held by another cell (the member moved in the year): its writer's.
        raise RowError(REVIEW_HELD_ELSEWHERE.format(year=row.year), "card_number")
    closed = book.calendar(row.year, unit_id)
    return CheckedReview(member_id, row.year, values, before, before_pk, closed)


def _review_values(review: MemberReview) -> ReviewValues:
    return ReviewValues(
        unit=review.unit_id,
        outcome=review.outcome,
        exempt_reason=review.exempt_reason,
        grade=review.grade_id,
        points=quantized(review.points),
        held_on=review.held_on,
        self_review=review.self_review,
        fulfilment=review.fulfilment,
    )


def check_member_review(
    spec: MemberReviewSpec, *, actor: User | None = None, reason: str = ""
) -> tuple[Unit, RatingGrade | None]:
    """Every check of a member's review before it is written (the cell's page checks all
    rows with it first). A row that changes nothing recorded passes whatever the calendar:
    a closed year's page may be sent again unchanged."""
    book = ReviewBook.for_one(actor, reason)
    found = MemberReview.objects.filter(member=spec.member, year=spec.year).first()
    recorded = (found.pk, _review_values(found)) if found else None
    checked = check_review_row(MemberReviewRow.of(spec), book, recorded)
    values = checked.values if checked else recorded[1]  # type: ignore[index]
    unit = spec.unit if spec.unit is not None else Unit.objects.get(pk=values.unit)
    grade = RatingGrade.objects.get(pk=values.grade) if values.grade else None
    return unit, grade


@transaction.atomic
def member_review_save(
    *, spec: MemberReviewSpec, actor: User | None = None, reason: str = ""
) -> MemberReview:
    """Record (or correct) a member's review of the year, with the rating if decided. Not
    one's own; not before the year's results open; once they are closed, only by the level
    above with a reason, kept as a `RatingAmendment` beside the audit trail's entry."""
    book = ReviewBook.for_one(actor, reason)
    found = MemberReview.objects.select_for_update().filter(member=spec.member, year=spec.year)
    before = found.first()
    recorded = (before.pk, _review_values(before)) if before else None
    checked = check_review_row(MemberReviewRow.of(spec), book, recorded)
    if checked is None:
        assert before is not None
        return before
    values = checked.values
    kept = tallies.where(MemberReview, [before.pk] if before else [])
    review, _ = MemberReview.objects.update_or_create(
        member=spec.member,
        year=spec.year,
        defaults={
            **{f: getattr(values, f) for f in REVIEW_COLUMNS if f not in ("unit", "grade")},
            "unit_id": values.unit,
            "grade_id": values.grade,
            "points": spec.points,
            "year_end": year_end(spec.year),
            "recorded_by": actor,
        },
    )
    tallies.touched_records(MemberReview, [review.pk], kept)
    trace_amendment(
        closed=checked.closed,
        year=spec.year,
        before=recorded[1] if recorded else None,
        after=values,
        actor=actor,
        reason=reason,
        member_review=review,
    )
    return review


def member_reviews_save_bulk(
    *,
    rows: Sequence[MemberReviewRow],
    actor: User | None,
    reach: Reach,
    reason: str = "",
    note: str = "",
    check_only: bool = False,
    book: ReviewBook | None = None,
) -> BulkResult:
    """Many members' reviews at once (a workbook, the demo), by the rules of
    `check_review_row`: every row is checked first, and one refused row writes nothing.
    A closed year's change by an actor is traced (`RatingAmendment`, the reason); with a
    `note` every change is entered in the audit trail."""
    book = book or ReviewBook(reach=reach, actor=actor, reason=reason, whole=True)
    recorded = _recorded_reviews({r.year for r in rows}, book.preloaded_members)
    result, checked, seen = BulkResult(), [], set()
    for index, row in enumerate(rows):
        try:
            member = row.member_id or (book.member(row.card_number) or (0,))[0]
            if member and (member, row.year) in seen:
                raise RowError(DUPLICATE_ROW.format(what="cùng năm, cùng đảng viên"), "card_number")
            seen.add((member, row.year))
            found = check_review_row(row, book, recorded.get((member, row.year)))
        except RowError as error:
            result.problems.append(Problem(index, error.field, error.message))
            continue
        except DomainError as error:
            result.problems.append(Problem(index, "year", error.message))
            continue
        if found is None:
            result.unchanged += 1
        else:
            checked.append(found)
    if result.problems or check_only:
        return result
    _write_reviews(checked, actor=actor, reason=reason, note=note, result=result)
    return result


def _recorded_reviews(
    years: set[int], members: set[int] | None = None
) -> dict[tuple[int, int], Recorded]:
    """The reviews of these years, of these members only when given (in chunks)."""
    columns = [f"{f}_id" if f in ("unit", "grade") else f for f in REVIEW_COLUMNS]
    qs = MemberReview.objects.filter(year__in=years)
    if members is None:
        queries = [qs]
    else:
        ids = sorted(members)
        step = PRELOAD_CHUNK
        queries = [qs.filter(member_id__in=ids[i : i + step]) for i in range(0, len(ids), step)]
    return {
        (member, year): (
            pk,
            ReviewValues(unit, outcome, reason, grade, quantized(points), held, own, fulfilment),
        )
        for query in queries
        for pk, member, year, unit, outcome, reason, grade, points, held, own, fulfilment in (
            query.values_list("pk", "member_id", "year", *columns)
        )
    }


REVIEW_KEYS = ("member_id", "year")


REVIEW_WRITTEN = (*REVIEW_COLUMNS, "year_end", "recorded_by")


def _write_reviews(
    checked: list[CheckedReview], *, actor: User | None, reason: str, note: str, result: BulkResult
) -> None:
    """Insert the new reviews and update the changed ones in bulk, with their traces."""
    actor_id = actor.pk if actor else None
    ids = upsert(
        MemberReview,
        keys=REVIEW_KEYS,
        written=REVIEW_WRITTEN,
        rows=[
            Upsert((c.member_id, c.year), c.before_pk, (*c.values, year_end(c.year), actor_id))
            for c in checked
        ],
    )
    amended = [c for c in checked if c.closed]
    trace_amendments(
        [
            RatingAmendment(
                year=c.year,
                member_review_id=ids[(c.member_id, c.year)],
                before=c.before.plain() if c.before else {},
                after=c.values.plain(),
            )
            for c in amended
        ],
        actor=actor,
        reason=reason,
    )
    if note:
        changes = [
            ((c.member_id, c.year), ids[(c.member_id, c.year)], c.values, c.before) for c in checked
        ]
        make = written_objects(MemberReview, REVIEW_KEYS)
        audit_bulk(MemberReview, changes, make=make, actor=actor, note=note)
    result.created = sum(1 for c in checked if c.before_pk is None)
    result.updated, result.ids = len(checked) - result.created, ids


class RowsRefused(DomainError):
    """Rows of a page refused together: each member with the message."""

    def __init__(self, errors: list[tuple[Member, str]]) -> None:
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors


def cell_reviews_save(
    *,
    rows: Sequence[tuple[Member, MemberReviewSpec | DomainError]],
    actor: User | None,
    reason: str = "",
) -> int:
    """A cell's reviews of the year in one go (each row: the spec, or why its form was
    refused): every row is checked first; one bad row and nothing is saved, `RowsRefused`
    lists every bad row."""
    errors: list[tuple[Member, str]] = []
    for member, spec in rows:
        try:
            if isinstance(spec, DomainError):
                raise spec
            check_member_review(spec, actor=actor, reason=reason)
        except DomainError as error:
            errors.append((member, error.message))
    if errors:
        raise RowsRefused(errors)
    with transaction.atomic():
        for _, spec in rows:
            assert isinstance(spec, MemberReviewSpec)
            member_review_save(spec=spec, actor=actor, reason=reason)
    return len(rows)
