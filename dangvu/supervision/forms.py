from __future__ import annotations

from django import forms

from dangvu.core.widgets import DateInput
from dangvu.supervision.models import FrontLevel, FrontOrganisation


class SupervisionForm(forms.Form):
    code = forms.CharField(label="Mã cuộc giám sát", max_length=40)
    held_on = forms.DateField(label="Ngày giám sát", widget=DateInput())
    level = forms.ChoiceField(label="Cấp chủ trì", choices=FrontLevel.choices)
    organisation = forms.ChoiceField(label="Tổ chức chủ trì", choices=FrontOrganisation.choices)
    unit_code = forms.CharField(label="Mã đơn vị nơi ghi nhận", max_length=60)
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
