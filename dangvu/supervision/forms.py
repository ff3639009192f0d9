from __future__ import annotations

from typing import Any

from django import forms

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.core.widgets import DateInput
from dangvu.supervision.models import FrontLevel, FrontOrganisation
from dangvu.units.widgets import UnitPickField


class SupervisionForm(forms.Form):
    code = forms.CharField(label="Mã cuộc giám sát", max_length=40)
    held_on = forms.DateField(label="Ngày giám sát", widget=DateInput())
    level = forms.ChoiceField(label="Cấp chủ trì", choices=FrontLevel.choices)
    organisation = forms.ChoiceField(label="Tổ chức chủ trì", choices=FrontOrganisation.choices)
    unit_code = UnitPickField(label="Đơn vị nơi ghi nhận", cap=Capability.SUPERVISION)
    subject = forms.CharField(label="Nội dung giám sát", widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(
        label="Kết quả giám sát", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendations = forms.CharField(
        label="Kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label="Kết quả thực hiện kiến nghị",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    followed_up_on = forms.DateField(
        label="Ngày báo cáo thực hiện kiến nghị",
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # With the user, the unit shows by name and a name typed without the script is read.
        unit_field = self.fields["unit_code"]
        assert isinstance(unit_field, UnitPickField)
        unit_field.bind(user)
