"""Forms for members (Vietnamese labels)."""

from __future__ import annotations

from typing import Any

from django import forms

from dangvu.accounts.models import User
from dangvu.core.widgets import DateInput
from dangvu.members.models import Gender, ManagementLevel
from dangvu.units.widgets import UnitPickField


class MemberForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    birth_date = forms.DateField(label="Ngày sinh", widget=DateInput())
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    joined_on = forms.DateField(label="Ngày vào Đảng", widget=DateInput())
    full_member_on = forms.DateField(
        label="Ngày chính thức (để trống nếu dự bị)", required=False, widget=DateInput()
    )
    management_level = forms.ChoiceField(
        label="Diện quản lý", choices=[("", "—"), *ManagementLevel.choices], required=False
    )
    is_committee_member = forms.BooleanField(label="Cấp ủy viên", required=False)
    is_exempt = forms.BooleanField(label="Miễn sinh hoạt", required=False)


class NewMemberForm(MemberForm):
    card_number = forms.CharField(label="Số thẻ đảng viên", max_length=20)
    active_from = forms.DateField(
        label="Sinh hoạt tại chi bộ từ ngày (để trống: ngày vào Đảng)",
        required=False,
        widget=DateInput(),
    )
    field_order = ["card_number", "full_name"]


class TransferForm(forms.Form):
    to_cell_code = UnitPickField(label="Chi bộ chuyển đến", unknown_codes_to_view=True)
    effective_on = forms.DateField(label="Ngày chuyển sinh hoạt", widget=DateInput())

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # With the user, the cell shows by name and a name typed without the script is read.
        unit_field = self.fields["to_cell_code"]
        assert isinstance(unit_field, UnitPickField)
        unit_field.bind(user)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="Ngày ra khỏi Đảng", widget=DateInput())
