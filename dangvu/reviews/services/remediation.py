"""Writes of remediation items (nội dung khắc phục) of reviews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

from django.db import transaction
from django.utils import timezone

from dangvu.core.bulk import insert_rows, next_ids
from dangvu.core.errors import DomainError
from dangvu.indicators import services_tallies as tallies
from dangvu.members.models import Member
from dangvu.reviews.models import (
    CollectiveReview,
    MemberReview,
    RemediationItem,
)
from dangvu.reviews.services.messages import (
    ALREADY_DONE,
    DEADLINE_BEFORE,
    DONE_BEFORE,
    NO_COLLECTIVE_REVIEW_HERE,
    NO_MEMBER_REVIEW_HERE,
    ONE_REVIEW,
    TEXT_NEEDED,
)
from dangvu.units.models import Unit


# -- remediation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class RemediationRow:
    """A shortcoming named in a review, with its plan (the demo gives many at once)."""

    unit_id: int
    year: int
    shortcoming: str
    plan: str
    deadline: date
    created_on: date
    member_review_id: int | None = None
    collective_review_id: int | None = None
    responsible_id: int | None = None
    done_on: date | None = None
    result: str = ""


def check_remediation_row(row: RemediationRow) -> RemediationRow:
    """THE rules of a remediation item: what and how, one review, a deadline after the
    day it is recorded; done (if so) not before that day, with its result."""
    if not row.shortcoming.strip():
        raise DomainError(TEXT_NEEDED.format(what="hạn chế, khuyết điểm"))
    if not row.plan.strip():
        raise DomainError(TEXT_NEEDED.format(what="biện pháp khắc phục"))
    if (row.member_review_id is None) == (row.collective_review_id is None):
        raise DomainError(ONE_REVIEW)
    if row.deadline <= row.created_on:
        raise DomainError(DEADLINE_BEFORE)
    if row.done_on is not None:
        if not row.result.strip():
            raise DomainError(TEXT_NEEDED.format(what="kết quả khắc phục"))
        if row.done_on < row.created_on:
            raise DomainError(DONE_BEFORE.format(day=row.created_on))
    return replace(row, shortcoming=row.shortcoming.strip(), plan=row.plan.strip())


@transaction.atomic
def remediation_add(
    *,
    shortcoming: str,
    plan: str,
    deadline: date,
    member_review: MemberReview | None = None,
    collective_review: CollectiveReview | None = None,
    responsible: Member | None = None,
    created_on: date | None = None,
) -> RemediationItem:
    """A shortcoming named in a review; the follow-up report is due a year after."""
    review: MemberReview | CollectiveReview | None = member_review or collective_review
    if member_review is not None and responsible is None:
        responsible = member_review.member
    row = check_remediation_row(
        RemediationRow(
            unit_id=review.unit_id if review else 0,
            year=review.year if review else 0,
            shortcoming=shortcoming,
            plan=plan,
            deadline=deadline,
            created_on=created_on or timezone.localdate(),
            member_review_id=member_review.pk if member_review else None,
            collective_review_id=collective_review.pk if collective_review else None,
            responsible_id=responsible.pk if responsible else None,
        )
    )
    item = RemediationItem.objects.create(
        **{f: getattr(row, f) for f in REMEDIATION_FIELDS},
        report_due=report_due_after(row.created_on),
    )
    tallies.touched(RemediationItem, [item.unit_id], [item.done_on])
    return item


@transaction.atomic
def remediation_attach(
    *,
    unit: Unit,
    year: int,
    card: str,
    collective: str,
    shortcoming: str,
    plan: str,
    deadline: date,
) -> RemediationItem:
    """A remediation item on the review recorded here: the member's (by card) or the
    collective's."""
    member_review = collective_review = None
    if card:
        member_review = MemberReview.objects.filter(
            unit=unit, year=year, member__card_number=card
        ).first()
        if member_review is None:
            raise DomainError(NO_MEMBER_REVIEW_HERE.format(year=year, card=card))
    else:
        collective_review = CollectiveReview.objects.filter(
            unit=unit, year=year, collective=collective
        ).first()
        if collective_review is None:
            raise DomainError(NO_COLLECTIVE_REVIEW_HERE.format(year=year))
    return remediation_add(
        shortcoming=shortcoming,
        plan=plan,
        deadline=deadline,
        member_review=member_review,
        collective_review=collective_review,
    )


REMEDIATION_FIELDS = tuple(f.name for f in fields(RemediationRow))


def remediation_add_bulk(*, rows: Sequence[RemediationRow]) -> int:
    """Many remediation items at once (the demo), by `check_remediation_row`; a refused row
    raises before anything is written."""
    checked = [check_remediation_row(row) for row in rows]
    ids = iter(next_ids(RemediationItem, len(checked)))
    written = insert_rows(
        RemediationItem,
        ["id", *REMEDIATION_FIELDS, "report_due"],
        [
            (
                next(ids),
                *(getattr(r, f) for f in REMEDIATION_FIELDS),
                report_due_after(r.created_on),
            )
            for r in checked
        ],
    )
    tallies.touched(RemediationItem, {r.unit_id for r in checked}, {r.done_on for r in checked})
    return written


def report_due_after(day: date) -> date:
    """One year after (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def remediation_done(*, item: RemediationItem, done_on: date, result: str) -> RemediationItem:
    item = RemediationItem.objects.select_for_update().get(pk=item.pk)
    if item.done_on is not None:
        raise DomainError(ALREADY_DONE.format(day=item.done_on))
    if not result.strip():
        raise DomainError(TEXT_NEEDED.format(what="kết quả khắc phục"))
    if done_on < item.created_on:
        raise DomainError(DONE_BEFORE.format(day=item.created_on))
    item.done_on, item.result = done_on, result.strip()
    item.save(update_fields=["done_on", "result"])
    tallies.touched(RemediationItem, [item.unit_id], [done_on])
    return item
