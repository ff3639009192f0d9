"""Forms for reorganising the tree. Labels and messages in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.units.models import UnitKind
from dangvu.units.widgets import UnitPickField


class ChangeForm(forms.Form):
    effective_on = forms.DateField(label="Ngày hiệu lực (dd/mm/yyyy)")
    decision = forms.CharField(label="Số quyết định", max_length=120, required=False)
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, UnitPickField):
                field.bind(user)


class CreateForm(ChangeForm):
    code = forms.CharField(label="Mã đơn vị", max_length=40)
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    kind = forms.ChoiceField(label="Loại đơn vị", choices=UnitKind.choices)
    field_order = ["code", "name", "kind", "effective_on", "decision", "note"]


class RenameForm(ChangeForm):
    name = forms.CharField(label="Tên mới", max_length=255)
    kind = forms.ChoiceField(label="Loại đơn vị", choices=UnitKind.choices)
    field_order = ["name", "kind", "effective_on", "decision", "note"]


class MoveForm(ChangeForm):
    parent_code = UnitPickField(
        label="Đơn vị cấp trên mới", cap=Capability.REORGANISE, include_ended=False
    )
    field_order = ["parent_code", "effective_on", "decision", "note"]


class MergeForm(ChangeForm):
    source_codes = forms.CharField(
        label="Mã các đơn vị sáp nhập vào đơn vị này (cách nhau bởi dấu phẩy)", max_length=2000
    )
    field_order = ["source_codes", "effective_on", "decision", "note"]


class DissolveForm(ChangeForm):
    successor_code = UnitPickField(
        label="Đơn vị kế thừa (nếu có)",
        cap=Capability.REORGANISE,
        include_ended=False,
        required=False,
    )
    field_order = ["successor_code", "effective_on", "decision", "note"]


class SplitForm(ChangeForm):
    """Up to five new units; each sub-unit and member is assigned to one of them."""

    PARTS = 5

    def __init__(self, *args: object, children: list, members: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(1, self.PARTS + 1):
            required = i <= 2
            self.fields[f"part{i}_code"] = forms.CharField(
                label=f"Đơn vị mới {i}: mã", max_length=40, required=required
            )
            self.fields[f"part{i}_name"] = forms.CharField(
                label=f"Đơn vị mới {i}: tên", max_length=255, required=required
            )
            self.fields[f"part{i}_kind"] = forms.ChoiceField(
                label=f"Đơn vị mới {i}: loại", choices=UnitKind.choices, required=required
            )
        choices = [(str(i), f"Đơn vị mới {i}") for i in range(1, self.PARTS + 1)]
        for child in children:
            self.fields[f"child_{child.unit_id}"] = forms.ChoiceField(
                label=child.name, choices=choices
            )
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.full_name, choices=choices
            )

    def parts(self) -> list[tuple[int, str, str, str]]:
        data = self.cleaned_data
        return [
            (i, data[f"part{i}_code"], data[f"part{i}_name"], data[f"part{i}_kind"])
            for i in range(1, self.PARTS + 1)
            if data.get(f"part{i}_code")
        ]

    def assignments(self, prefix: str) -> dict[int, int]:
        return {
            int(name.removeprefix(prefix)): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }
