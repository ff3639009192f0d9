"""Forms of the document registry."""

from __future__ import annotations

from typing import Any

from django import forms

from dangvu.accounts.models import User
from dangvu.core.widgets import DateInput
from dangvu.documents.symbols import TYPES
from dangvu.units.widgets import UnitPickField


class DocumentForm(forms.Form):
    symbol = forms.CharField(
        label="Số, ký hiệu (ví dụ 05-ĐA/TU; để trống nếu văn bản không đánh số)",
        max_length=40,
        required=False,
    )
    type_code = forms.ChoiceField(
        label="Loại văn bản (khi không đánh số)", choices=list(TYPES.items()), required=False
    )
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200)
    title = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 2}))
    unit_code = UnitPickField(
        unknown_codes_to_view=True,
        label="Cấp ủy quản lý văn bản (để trống: đơn vị bạn phụ trách học tập)",
        required=False,
    )
    term = forms.CharField(label="Nhiệm kỳ (ví dụ 2020-2025)", max_length=20, required=False)
    key = forms.SlugField(label="Mã ngắn trong chỉ tiêu (nếu có)", max_length=40, required=False)
    sections = forms.CharField(
        label="Các phần, mục (mỗi dòng một phần)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    body = forms.CharField(
        label="Toàn văn", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # With the user, the unit shows by name and a name typed without the script is read.
        unit_field = self.fields["unit_code"]
        assert isinstance(unit_field, UnitPickField)
        unit_field.bind(user)
