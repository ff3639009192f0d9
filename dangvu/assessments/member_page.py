"""The quick assessment's part of a member's page (see members/sections.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dangvu.assessments.selectors import member_page_results
from dangvu.members.sections import member_section

if TYPE_CHECKING:
    from dangvu.accounts.models import User
    from dangvu.assessments.models import Attempt
    from dangvu.members.models import Member


@member_section(
    order=20,
    label="Kết quả kiểm tra nhanh sau học tập",
    template="assessments/_member_page_results.html",
)
def attempts(*, user: User, member: Member) -> list[Attempt]:
    return member_page_results(user=user, member=member)
