"""Forms of study sessions and training."""

from __future__ import annotations

from typing import Any

from django import forms

from dangvu.accounts.models import User
from dangvu.core.widgets import DateInput
from dangvu.study.models import SessionForm, TheoryLevel, TrainingKind
from dangvu.units.widgets import UnitPickField


def _bind_unit(form: forms.Form, user: User | None) -> None:
    """With the user, the unit shows by name and a name typed without the script is read."""
    unit_field = form.fields["unit_code"]
    assert isinstance(unit_field, UnitPickField)
    unit_field.bind(user)


class SessionCreateForm(forms.Form):
    title = forms.CharField(label="Tên hội nghị", max_length=300)
    unit_code = UnitPickField(label="Đơn vị tổ chức", unknown_codes_to_view=True)
    held_on = forms.DateField(label="Ngày tổ chức", widget=DateInput())
    form = forms.ChoiceField(label="Hình thức", choices=SessionForm.choices)
    speaker = forms.CharField(label="Báo cáo viên", max_length=160, required=False)
    documents = forms.TypedMultipleChoiceField(label="Văn bản học tập", coerce=int)
    site_codes = forms.CharField(
        label="Mã các điểm cầu (cách nhau bởi dấu phẩy; để trống: chỉ điểm cầu chính)",
        max_length=4000,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        documents: list[tuple[int, str]],
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = documents  # type: ignore[attr-defined]
        _bind_unit(self, user)


class TrainingForm(forms.Form):
    title = forms.CharField(label="Tên lớp", max_length=300)
    unit_code = UnitPickField(label="Đơn vị tổ chức", unknown_codes_to_view=True)
    kind = forms.ChoiceField(label="Loại lớp", choices=TrainingKind.choices)
    start_on = forms.DateField(label="Ngày khai giảng", widget=DateInput())
    end_on = forms.DateField(label="Ngày bế giảng", widget=DateInput())
    cards = forms.CharField(
        label="Số thẻ đảng viên của học viên (mỗi dòng hoặc dấu phẩy)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bind_unit(self, user)


class TheoryForm(forms.Form):
    card_number = forms.CharField(label="Số thẻ đảng viên", max_length=20)
    level = forms.ChoiceField(label="Trình độ", choices=TheoryLevel.choices)
    completed_on = forms.DateField(label="Ngày tốt nghiệp", widget=DateInput())
    institution = forms.CharField(label="Cơ sở đào tạo", max_length=200, required=False)
