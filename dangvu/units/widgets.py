"""The unit picker: a search box that finds units by name and fills in the chosen unit's code.

Three ways to use it, all rendering `units/picker.html` (a labelled box, the units found
below it as buttons, `units/static/units/picker.js`, which the page's Content-Security-Policy
allows as a file of this site):

- a Django form: `UnitPickField` (a CharField of unit codes with the `UnitPicker` widget);
  call `form.fields["unit_code"].bind(user, day=...)` in the form's `__init__` to show the
  chosen unit by name and to read a name typed without the script. `cleaned_data` holds
  the code.
- a plain template form: `{% load unit_picker %}{% unit_picker "co_quan" "Cơ quan tiến hành"
  value=posted.co_quan required=True %}`; the view reads the field with
  `units.selectors.unit_picked(user=..., text=request.POST["co_quan"], day=...)`, which
  takes a code as it is (the view still asks its reach question, e.g. `Scope.unit_typed`).
- the search itself: `GET units:pick ?q=...&ngay=dd/mm/yyyy[&ca_cu=0][&quyen=<capability>]`
  answers the fragment `units/_picks.html`: at most `selectors.PICK_LIMIT` units in the
  user's reach (for `quyen`, the reach of that capability: the units the form writes; the
  view still checks the unit it receives). `ca_cu=0` leaves out units ended by the day.

Every entry point takes `cap` (the capability whose reach is searched; VIEW_UNITS by default)
and `include_ended` (`ended` in the tag).

With the script, choosing a unit puts its code in a hidden input under the field's name and
takes the name off the box; typing again gives the name back to the box. Without it, the
box is sent as typed: a code, the label the picker shows, or a name only one unit bears.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.urls import reverse

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import today
from dangvu.core.errors import DomainError
from dangvu.lib.dates import format_date
from dangvu.units import selectors

#: What a unit code looks like (upper-case letters, digits, dots, "-" and "_").
CODE_SHAPED = re.compile(r"[A-Z0-9][A-Z0-9_-]*(\.[A-Z0-9_-]+)*")

HELP = "Gõ vài chữ của tên đơn vị rồi chọn trong danh sách (gõ mã đơn vị cũng được)."


def picker_context(
    *,
    user: User | None,
    name: str,
    value: object = "",
    label: str = "",
    day: date | None = None,
    include_ended: bool = True,
    cap: Capability = Capability.VIEW_UNITS,
    widget_id: str | None = None,
    required: bool = False,
    show_label: bool = True,
    help_text: str = HELP,
) -> dict[str, Any]:
    """What `units/picker.html` renders: the box shows the unit of `value` (a code) by its
    label when the user reaches it, otherwise the text as it came."""
    day = day or today()
    text = "" if value is None else str(value).strip()
    code = ""
    if text and user is not None and user.is_authenticated:
        pick = selectors.unit_pick(
            user=user, code=text, day=day, cap=cap, include_ended=include_ended
        )
        if pick is not None:
            code, text = pick.code, pick.text
    url = f"{reverse('units:pick')}?ngay={format_date(day)}"
    if not include_ended:
        url += "&ca_cu=0"
    if cap != Capability.VIEW_UNITS:
        url += f"&quyen={cap.value}"
    return {
        "box": widget_id or f"id_{name}",  # the box's HTML id
        "name": name,
        "label": label,
        "text": text,
        "code": code,
        "url": url,
        "required": required,
        "show_label": show_label,
        "help": help_text,
    }


class UnitPicker(forms.Widget):
    """The picker as a form widget (the form's own label names the field)."""

    template_name = "units/widgets/unit_picker.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        include_ended: bool = True,
        cap: Capability = Capability.VIEW_UNITS,
        help_text: str = HELP,
    ) -> None:
        super().__init__(attrs)
        self.include_ended = include_ended
        self.cap = cap
        self.help_text = help_text
        self.user: User | None = None
        self.day: date | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        context["picker"] = picker_context(
            user=self.user,
            name=name,
            value=value,
            day=self.day,
            include_ended=self.include_ended,
            cap=self.cap,
            widget_id=attrs.get("id"),
            required=bool(attrs.get("required")),
            show_label=False,
            help_text=self.help_text,
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class UnitPickField(forms.CharField):
    """A unit code, chosen with the picker. Bound to a user (`bind`), a name typed without
    the script is read too (`selectors.unit_picked`); `cleaned_data` holds a code, whose
    reach the view still checks (`Scope.writable_unit`, `unit_typed`). With
    `unknown_codes_to_view`, a code-shaped text that names no unit is left as typed, so that
    the view's own check answers it with its usual message; otherwise the field does."""

    widget = UnitPicker

    def __init__(
        self,
        *,
        include_ended: bool = True,
        cap: Capability = Capability.VIEW_UNITS,
        unknown_codes_to_view: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", UnitPicker(include_ended=include_ended, cap=cap))
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.user: User | None = None
        self.day: date | None = None
        self.include_ended = include_ended
        self.cap = cap
        self.unknown_codes_to_view = unknown_codes_to_view

    def bind(self, user: User | None, *, day: date | None = None) -> None:
        self.user = user
        self.day = day
        if isinstance(self.widget, UnitPicker):
            self.widget.user = user
            self.widget.day = day

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if not text or self.user is None:
            return text.strip()
        try:
            unit = selectors.unit_picked(
                user=self.user,
                text=text,
                day=self.day or today(),
                cap=self.cap,
                include_ended=self.include_ended,
            )
        except DomainError as error:
            if self.unknown_codes_to_view and CODE_SHAPED.fullmatch(text.strip()):
                return text.strip()
            raise forms.ValidationError(error.message) from error
        return unit.code
