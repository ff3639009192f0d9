"""`{% unit_picker "co_quan" "Cơ quan tiến hành" value=posted.co_quan %}`: the unit picker
in a plain template form (units/widgets.py says how the view reads the field)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from dangvu.accounts.permissions import Capability
from dangvu.units.widgets import HELP, picker_context

register = template.Library()


@register.inclusion_tag("units/picker.html", takes_context=True)
def unit_picker(
    context: template.Context,
    name: str,
    label: str,
    value: object = "",
    *,
    required: bool = False,
    day: date | None = None,
    ended: bool = True,
    cap: str = Capability.VIEW_UNITS.value,
    help_text: str = HELP,
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "picker": picker_context(
            user=user,
            name=name,
            label=label,
            value=value,
            day=day,
            include_ended=ended,
            cap=Capability(cap),
            required=required,
            help_text=help_text,
        )
    }
