"""Indicators computed from members."""

from __future__ import annotations

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.members.models import Membership, MembershipReason


@computes("org.members")
def members(ctx: Ctx) -> Rows:
    """Members active on the last day of the period, where they were active that day."""
    return ctx.standing(Membership.objects.all())


@computes("org.members_left")
def members_left(ctx: Ctx) -> Rows:
    """Members who left the Party during the period (a helper of the validation rules)."""
    return ctx.events(Membership.objects.filter(reason_out=MembershipReason.LEFT), date="valid_to")
