"""Where modules plug their part into a member's page.

In an app's `member_page.py` (discovered when the members app is ready):

    @member_section(order=10, label="Cam kết, kiểm điểm, xếp loại hằng năm",
                    template="reviews/_member_years.html")
    def years(*, user: User, member: Member) -> list[Year]:
        return member_years(user=user, member=member)

The gatherer imports none of the modules: each section's function reads through its own
app's selectors (scope included) and returns what its template shows; a section whose
function returns nothing is left off the page. Sections are shown by `order`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dangvu.accounts.models import User
    from dangvu.members.models import Member

Gather = Callable[..., Any]


@dataclass(frozen=True)
class MemberSection:
    """One part of the member's page: its place, heading, template and what fills it."""

    order: int
    label: str
    template: str
    gather: Gather


@dataclass(frozen=True)
class FilledSection:
    """A section with its data, as the page's template receives it."""

    label: str
    template: str
    data: Any


SECTIONS: dict[str, MemberSection] = {}


def member_section(*, order: int, label: str, template: str) -> Callable[[Gather], Gather]:
    """Plug the decorated `fn(*, user, member)` into the member's page."""

    def register(fn: Gather) -> Gather:
        SECTIONS[f"{fn.__module__}.{fn.__qualname__}"] = MemberSection(order, label, template, fn)
        return fn

    return register


def filled_sections(*, user: User, member: Member) -> list[FilledSection]:
    """The sections of the member's page the user sees, in order, each with its data."""
    filled = []
    for section in sorted(SECTIONS.values(), key=lambda s: s.order):
        data = section.gather(user=user, member=member)
        if data:
            filled.append(FilledSection(section.label, section.template, data))
    return filled
