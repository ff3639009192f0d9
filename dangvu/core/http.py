"""Small request helpers shared by the views."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest

from dangvu.accounts.scope import scope_for
from dangvu.lib.dates import parse_date

if TYPE_CHECKING:
    from dangvu.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: `user` is a real account."""

    user: User


def requested_day(request: AuthedRequest) -> date:
    """The day the page looks at: `?ngay=dd/mm/yyyy`, else the user's default day."""
    raw = request.GET.get("ngay", "").strip()
    if raw:
        try:
            return parse_date(raw)
        except ValueError:
            messages.warning(request, f"Ngày '{raw}' không hợp lệ; đang xem ngày mặc định.")
    return scope_for(request.user).default_day()


BAD_DAY = "{what} không hợp lệ (nhập theo dạng ngày/tháng/năm)."


def form_day(raw: str | None, what: str) -> date:
    """A required dd/mm/yyyy field of a form; a DomainError naming it when missing or bad."""
    from dangvu.core.errors import DomainError

    try:
        return parse_date((raw or "").strip())
    except ValueError as error:
        raise DomainError(BAD_DAY.format(what=what)) from error


def form_day_or_none(raw: str | None, what: str) -> date | None:
    """An optional dd/mm/yyyy field: None when left blank."""
    return form_day(raw, what) if (raw or "").strip() else None


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        return 1
