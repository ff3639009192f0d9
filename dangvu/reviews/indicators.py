"""Indicators of the annual cycle (catalogue section 2.2: footnotes 7 and 8, ratings,
remediation). Records of a year count in that year (`year_end`), in the unit that kept
them as it stood on 31 December; a suggestion counts under the body that issued it."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.reviews.models import (
    ORGANISATION_COLLECTIVES,
    CollectiveReview,
    Commitment,
    CommitmentStatus,
    MemberReview,
    RemediationItem,
    ReviewOutcome,
    ReviewSuggestion,
)


@computes("commitment.members_signed")
def members_signed(ctx: Ctx) -> Rows:
    """Members whose commitment of the year the cell approved (or signed on paper)."""
    approved = Commitment.objects.filter(status=CommitmentStatus.APPROVED)
    return ctx.events(approved, date="counted_on")


@computes("review.collectives_reviewed")
def collectives_reviewed(ctx: Ctx) -> Rows:
    return ctx.events(CollectiveReview.objects.all(), date="year_end")


@computes("review.members_reviewed")
def members_reviewed(ctx: Ctx) -> Rows:
    reviewed = MemberReview.objects.filter(outcome=ReviewOutcome.REVIEWED)
    return ctx.events(reviewed, date="year_end")


@computes("review.members_exempt")
def members_exempt(ctx: Ctx) -> Rows:
    exempt = MemberReview.objects.filter(outcome=ReviewOutcome.EXEMPT)
    return ctx.events(exempt, date="year_end")


@computes("review.members_present")
def members_present(ctx: Ctx) -> Rows:
    """Present at the review (có mặt): those reviewed and those who did not have to be."""
    return ctx.events(MemberReview.objects.all(), date="year_end")


@computes("suggestion.collectives")
def suggestions_collectives(ctx: Ctx) -> Rows:
    collective = ReviewSuggestion.objects.filter(subject_member__isnull=True)
    return ctx.events(collective, date="year_end", unit="issuer", key="level")


@computes("suggestion.individuals")
def suggestions_individuals(ctx: Ctx) -> Rows:
    individual = ReviewSuggestion.objects.filter(subject_member__isnull=False)
    return ctx.events(individual, date="year_end", unit="issuer", key="level")


@computes("rating.members")
def rating_members(ctx: Ctx) -> Rows:
    rated = MemberReview.objects.filter(grade__isnull=False)
    return ctx.events(rated, date="year_end", key="grade__code")


@computes("rating.orgs")
def rating_orgs(ctx: Ctx) -> Rows:
    rated = CollectiveReview.objects.filter(
        grade__isnull=False, collective__in=list(ORGANISATION_COLLECTIVES)
    )
    return ctx.events(rated, date="year_end", key="grade__code")


def _open_on(day: date) -> QuerySet[RemediationItem]:
    return RemediationItem.objects.filter(
        Q(done_on__isnull=True) | Q(done_on__gt=day), created_on__lte=day
    )


@computes("remediation.plans_open")
def plans_open(ctx: Ctx) -> Rows:
    return ctx.at_end(_open_on)


@computes("remediation.plans_overdue")
def plans_overdue(ctx: Ctx) -> Rows:
    return ctx.at_end(lambda day: _open_on(day).filter(deadline__lt=day))


@computes("remediation.plans_done")
def plans_done(ctx: Ctx) -> Rows:
    return ctx.events(RemediationItem.objects.filter(done_on__isnull=False), date="done_on")
