"""The summary report form: heading, signature, recipients and the narrative sections."""

from __future__ import annotations

from django import forms

from dangvu.core.widgets import DateInput
from dangvu.reports.models import SECTIONS


class SummaryForm(forms.Form):
    title = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 3}))
    superior = forms.CharField(label="Cơ quan cấp trên (dòng 1)", max_length=120, required=False)
    issuer = forms.CharField(label="Cơ quan ban hành (dòng 2)", max_length=120)
    number = forms.CharField(label="Số", max_length=20, required=False)
    symbol = forms.CharField(label="Ký hiệu", max_length=30, initial="BC/TU")
    place = forms.CharField(label="Địa danh", max_length=60)
    issued_on = forms.DateField(
        label="Ngày ban hành (để trống nếu chưa ký)", required=False, widget=DateInput()
    )
    signer_role = forms.CharField(label="Thẩm quyền ký", max_length=60, initial="T/M BAN THƯỜNG VỤ")
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=60, initial="BÍ THƯ")
    signer_name = forms.CharField(label="Họ tên người ký", max_length=80, required=False)
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    section_iv_title = forms.CharField(
        label="Tiêu đề mục IV", max_length=200, initial="NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, label in SECTIONS:
            self.fields[f"s__{key}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 6, "placeholder": "Mỗi đoạn văn cách nhau một dòng trống."}
                ),
            )

    def narrative(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"s__{key}", "") for key, _ in SECTIONS}
