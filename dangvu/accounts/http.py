"""Request helpers that know the user: the signed-in request and the day a page looks at."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest

from dangvu.accounts.models import User
from dangvu.accounts.scope import scope_for
from dangvu.lib.dates import parse_date


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
