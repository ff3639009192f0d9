"""Writes of collectives' reviews and ratings: one row validator for a page and a workbook."""

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
from dangvu.reviews.models import (
    CollectiveKind,
    CollectiveReview,
    RatingAmendment,
    RatingGrade,
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
    plain_value,
    quantized,
    trace_amendment,
    trace_amendments,
    upsert,
    written_objects,
)
from dangvu.reviews.services.messages import (
    COLLECTIVE_NOT_HERE,
    DUPLICATE_ROW,
    NO_SUCH_UNIT,
    UNIT_GONE,
    UNIT_OUTSIDE,
)
from dangvu.units.models import CELL_KINDS, Unit, UnitKind, UnitVersion


# -- collective reviews ---------------------------------------------------------------------
def collectives_of(kind: str) -> list[str]:
    """The collectives a unit of this kind has."""
    if kind in CELL_KINDS:
        return [CollectiveKind.CELL]
    if kind == UnitKind.PARTIAL_COMMITTEE:
        return [CollectiveKind.COMMITTEE]
    if kind == UnitKind.GRASSROOTS_COMMITTEE:
        return [CollectiveKind.COMMITTEE, CollectiveKind.STANDING, CollectiveKind.LEADERSHIP]
    return [CollectiveKind.COMMITTEE, CollectiveKind.STANDING, CollectiveKind.LEADERSHIP]


@dataclass(frozen=True)
class CollectiveReviewSpec:
    unit: Unit
    year: int
    collective: str
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    summary: str = ""


@dataclass(frozen=True)
class CollectiveReviewRow:
    """A collective's review as a workbook or the demo gives it: the unit by code or id.
    `held_on` and `summary` None: not given, kept as recorded (empty when new)."""

    year: int
    collective: str
    unit_code: str = ""
    unit_id: int | None = None
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    summary: str | None = ""

    @classmethod
    def of(cls, spec: CollectiveReviewSpec) -> CollectiveReviewRow:
        return cls(
            year=spec.year,
            collective=spec.collective,
            unit_code=spec.unit.code,
            unit_id=spec.unit.pk,
            grade=spec.grade,
            points=spec.points,
            held_on=spec.held_on,
            summary=spec.summary,
        )


class CollectiveValues(NamedTuple):
    grade: int | None
    points: Decimal | None
    held_on: date | None
    summary: str

    def plain(self) -> dict[str, Any]:
        return {k: plain_value(v) for k, v in self._asdict().items()}


RecordedCollective = tuple[int, CollectiveValues]


class CheckedCollective(NamedTuple):
    unit_id: int
    year: int
    collective: str
    values: CollectiveValues
    before: CollectiveValues | None
    before_pk: int | None
    closed: bool

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.unit_id, self.year, self.collective)


def _collective_unit(row: CollectiveReviewRow, book: ReviewBook) -> tuple[int, UnitVersion]:
    unit_id = row.unit_id if row.unit_id is not None else book.unit_id(row.unit_code)
    if unit_id is None:
        raise RowError(NO_SUCH_UNIT.format(code=row.unit_code), "unit_code")
    if unit_id not in book.reach:
        raise RowError(UNIT_OUTSIDE, "unit_code")
    version = book.standing(unit_id, row.year)
    if version is None:
        raise RowError(UNIT_GONE.format(unit=row.unit_code, year=row.year), "unit_code")
    if row.collective not in collectives_of(version.kind):
        raise RowError(
            COLLECTIVE_NOT_HERE.format(
                collective=CollectiveKind(row.collective).label
                if row.collective in CollectiveKind.values
                else row.collective,
                unit=version.name,
                kind=version.get_kind_display(),
            ),
            "collective",
        )
    return unit_id, version


def check_collective_row(
    row: CollectiveReviewRow, book: ReviewBook, recorded: RecordedCollective | None = None
) -> CheckedCollective | None:
    """THE rules of a collective's review, for a page and a workbook alike; None when the
    row changes nothing recorded. `recorded`: the collective's review of the year."""
    check_year(row.year)
    unit_id, _ = _collective_unit(row, book)
    grade = book.rate(row.year, row.grade or None, quantized(row.points))
    before_pk, before = recorded or (None, None)
    values = CollectiveValues(
        grade=grade.pk if grade else None,
        points=quantized(row.points),
        held_on=row.held_on if row.held_on is not None or before is None else before.held_on,
        summary=(before.summary if before else "") if row.summary is None else row.summary,
    )
    if before is not None and before == values:
        return None
    closed = book.calendar(row.year, unit_id)
    return CheckedCollective(unit_id, row.year, row.collective, values, before, before_pk, closed)


def _collective_values(review: CollectiveReview) -> CollectiveValues:
    return CollectiveValues(
        grade=review.grade_id,
        points=quantized(review.points),
        held_on=review.held_on,
        summary=review.summary,
    )


def check_collective_review(
    spec: CollectiveReviewSpec, *, actor: User | None = None, reason: str = ""
) -> RatingGrade | None:
    book = ReviewBook.for_one(actor, reason)
    found = CollectiveReview.objects.filter(
        unit=spec.unit, year=spec.year, collective=spec.collective
    ).first()
    recorded = (found.pk, _collective_values(found)) if found else None
    checked = check_collective_row(CollectiveReviewRow.of(spec), book, recorded)
    values = checked.values if checked else recorded[1]  # type: ignore[index]
    return RatingGrade.objects.get(pk=values.grade) if values.grade else None


@transaction.atomic
def collective_review_save(
    *, spec: CollectiveReviewSpec, actor: User | None = None, reason: str = ""
) -> CollectiveReview:
    """Record (or correct) a collective's review of the year: the same calendar as a
    member's (a closed year: the level above, with a reason, traced)."""
    book = ReviewBook.for_one(actor, reason)
    before = (
        CollectiveReview.objects.select_for_update()
        .filter(unit=spec.unit, year=spec.year, collective=spec.collective)
        .first()
    )
    recorded = (before.pk, _collective_values(before)) if before else None
    checked = check_collective_row(CollectiveReviewRow.of(spec), book, recorded)
    if checked is None:
        assert before is not None
        return before
    values = checked.values
    kept = tallies.where(CollectiveReview, [before.pk] if before else [])
    review, _ = CollectiveReview.objects.update_or_create(
        unit=spec.unit,
        year=spec.year,
        collective=spec.collective,
        defaults={
            "grade_id": values.grade,
            "points": spec.points,
            "held_on": values.held_on,
            "summary": values.summary,
            "year_end": year_end(spec.year),
            "recorded_by": actor,
        },
    )
    tallies.touched_records(CollectiveReview, [review.pk], kept)
    trace_amendment(
        closed=checked.closed,
        year=spec.year,
        before=recorded[1] if recorded else None,
        after=values,
        actor=actor,
        reason=reason,
        collective_review=review,
    )
    return review


def collective_reviews_save_bulk(
    *,
    rows: Sequence[CollectiveReviewRow],
    actor: User | None,
    reach: Reach,
    reason: str = "",
    note: str = "",
    check_only: bool = False,
    book: ReviewBook | None = None,
) -> BulkResult:
    """Many collectives' reviews at once (a workbook, the demo), by the rules of
    `check_collective_row`; one refused row writes nothing. Traces and audit entries as
    `member_reviews_save_bulk`. `ids` of the result: (unit, year, collective) → review."""
    book = book or ReviewBook(reach=reach, actor=actor, reason=reason, whole=True)
    recorded = _recorded_collectives({r.year for r in rows}, book.preloaded_units)
    result, checked, seen = BulkResult(), [], set()
    for index, row in enumerate(rows):
        try:
            key = (row.unit_id or book.unit_id(row.unit_code), row.year, row.collective)
            if key[0] is not None and key in seen:
                what = "cùng năm, đơn vị, tập thể"
                raise RowError(DUPLICATE_ROW.format(what=what), "unit_code")
            seen.add(key)
            found = check_collective_row(row, book, recorded.get(key))  # type: ignore[arg-type]
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
    _write_collectives(checked, actor=actor, reason=reason, note=note, result=result)
    return result


def _recorded_collectives(
    years: set[int], units: set[int] | None = None
) -> dict[tuple[int, int, str], RecordedCollective]:
    """The collectives' reviews of these years, of these units only when given."""
    qs = CollectiveReview.objects.filter(year__in=years)
    if units is None:
        queries = [qs]
    else:
        ids, step = sorted(units), PRELOAD_CHUNK
        queries = [qs.filter(unit_id__in=ids[i : i + step]) for i in range(0, len(ids), step)]
    return {
        (unit, year, collective): (pk, CollectiveValues(grade, quantized(points), held, text))
        for query in queries
        for pk, unit, year, collective, grade, points, held, text in query.values_list(
            "pk", "unit_id", "year", "collective", "grade_id", "points", "held_on", "summary"
        )
    }


COLLECTIVE_KEYS = ("unit_id", "year", "collective")


COLLECTIVE_WRITTEN = (*CollectiveValues._fields, "year_end", "recorded_by")


def _write_collectives(
    checked: list[CheckedCollective],
    *,
    actor: User | None,
    reason: str,
    note: str,
    result: BulkResult,
) -> None:
    actor_id = actor.pk if actor else None
    ids = upsert(
        CollectiveReview,
        keys=COLLECTIVE_KEYS,
        written=COLLECTIVE_WRITTEN,
        rows=[Upsert(c.key, c.before_pk, (*c.values, year_end(c.year), actor_id)) for c in checked],
    )
    trace_amendments(
        [
            RatingAmendment(
                year=c.year,
                collective_review_id=ids[c.key],
                before=c.before.plain() if c.before else {},
                after=c.values.plain(),
            )
            for c in checked
            if c.closed
        ],
        actor=actor,
        reason=reason,
    )
    if note:
        changes = [(c.key, ids[c.key], c.values, c.before) for c in checked]
        make = written_objects(CollectiveReview, COLLECTIVE_KEYS)
        audit_bulk(CollectiveReview, changes, make=make, actor=actor, note=note)
    result.created = sum(1 for c in checked if c.before_pk is None)
    result.updated, result.ids = len(checked) - result.created, ids
