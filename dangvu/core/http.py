"""Small request helpers shared by the views."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from django.http import HttpRequest

from dangvu.lib.dates import parse_date
from dangvu.lib.numbers import int_or_none

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


MAX_PAGE = 1_000_000


def page_number(request: HttpRequest) -> int:
    """`?trang=`: a page number, 1 for anything else."""
    return int_or_none(request.GET.get("trang"), low=1, high=MAX_PAGE) or 1


NOT_A_JSON_OBJECT = "Dữ liệu gửi lên không phải một đối tượng JSON."


def json_object(body: bytes) -> dict[str, Any]:
    """A request body as a JSON object (an empty body is `{}`); ValueError for anything
    else: not JSON, nested deeper than the parser recurses, a number of more digits than
    int() reads, a NUL character, or not an object. The API's edge bounds the body's size before this
    reads it (core/handlers.py)."""
    if re.search(rb"\\u0000", body, re.IGNORECASE):  # NUL: no text of dangvu holds one
        raise ValueError(NOT_A_JSON_OBJECT)
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError) as error:
        raise ValueError(NOT_A_JSON_OBJECT) from error
    if not isinstance(data, dict):
        raise ValueError(NOT_A_JSON_OBJECT)
    return data
