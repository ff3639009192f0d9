"""Forms of the document registry."""

from __future__ import annotations

from django import forms

from dangvu.core.widgets import DateInput
from dangvu.documents.symbols import TYPES


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
    unit_code = forms.CharField(
        label="Mã cấp ủy quản lý văn bản (để trống: đơn vị bạn phụ trách học tập)",
        max_length=40,
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
