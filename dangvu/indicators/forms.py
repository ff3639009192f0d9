"""The entry grid: one input per (entered indicator, key) for a unit and period."""

from __future__ import annotations

from django import forms

from dangvu.indicators.models import Indicator
from dangvu.indicators.selectors import Line


def field_name(code: str, key: str) -> str:
    return f"v__{code}__{key}"


class EntryGrid(forms.Form):
    """Built from the lines of a report: their current values are the initial ones."""

    def __init__(
        self, *args: object, lines: list[tuple[Line, list[tuple[str, str]]]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rows: list[tuple[Indicator, list[tuple[str, str, str]]]] = []
        for line, keys in lines:
            cells = []
            for key, label in keys:
                name = field_name(line.indicator.code, key)
                self.fields[name] = forms.CharField(required=False, label=label, max_length=20)
                cells.append((name, key, label))
            self.rows.append((line.indicator, cells))
