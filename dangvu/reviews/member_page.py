"""The annual cycle's part of a member's page (see members/sections.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dangvu.members.sections import member_section
from dangvu.reviews.selectors import member_years

if TYPE_CHECKING:
    from dangvu.accounts.models import User
    from dangvu.members.models import Member
    from dangvu.reviews.models import Commitment, MemberReview


@member_section(
    order=10,
    label="Cam kết, kiểm điểm, xếp loại hằng năm",
    template="reviews/_member_years.html",
)
def years(
    *, user: User, member: Member
) -> list[tuple[int, MemberReview | None, Commitment | None]]:
    return member_years(user=user, member=member)
