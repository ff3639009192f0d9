"""Form widgets for phones: the browser's own date and month pickers.

A ``<input type="date">`` shows the phone's calendar and submits ``yyyy-mm-dd`` whatever
the display language; the page still shows dates as dd/mm/yyyy elsewhere. Fields keep
accepting dd/mm/yyyy (``DATE_INPUT_FORMATS``) for links and older bookmarks.
"""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The phone's date picker."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    """The phone's month picker; submits ``yyyy-mm``, read by :class:`MonthField`."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, as the first day of it; accepts ``yyyy-mm`` (the picker) and ``mm/yyyy``."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y"]
    default_error_messages = {"invalid": "Tháng không hợp lệ: chọn tháng, ví dụ 12/2026."}
