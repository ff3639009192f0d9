"""Small request helpers shared by the views."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest

from dangvu.accounts.scope import scope_for
from dangvu.lib.dates import parse_date


def requested_day(request: HttpRequest) -> date:
    """The day the page looks at: `?ngay=dd/mm/yyyy`, else the user's default day."""
    raw = request.GET.get("ngay", "").strip()
    if raw:
        try:
            return parse_date(raw)
        except ValueError:
            messages.warning(request, f"Ngày '{raw}' không hợp lệ; đang xem ngày mặc định.")
    return scope_for(request.user).default_day()  # type: ignore[arg-type]


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        return 1
