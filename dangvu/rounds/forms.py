"""The launch form of a round: parse what the office typed; `services.round_launch` judges."""

from __future__ import annotations

from typing import Any

from django import forms

from dangvu.core.widgets import DateInput
from dangvu.reports.models import SECTIONS
from dangvu.rounds.models import Reporters

OUTLINE_HELP = (
    "Mỗi dòng là tiêu đề một mục của báo cáo. Các mục mẫu khớp với báo cáo sơ kết của cấp ủy; "
    "có thể sửa, xóa hoặc thêm dòng."
)


def outline_text() -> str:
    return "\n".join(title for _, title in SECTIONS)


def outline_rows(text: str) -> list[tuple[str, str]]:
    """One section a non-empty line; a line equal to a heading of the committee's report
    keeps its key (the units' texts then map onto its sections), others are m1, m2…"""
    known = {" ".join(title.split()).casefold(): key for key, title in SECTIONS}
    rows, extra = [], 0
    for line in text.splitlines():
        title = " ".join(line.split())
        if not title:
            continue
        key = known.get(title.casefold())
        if key is None:
            extra += 1
            key = f"m{extra}"
        rows.append((key, title))
    return rows


class LaunchForm(forms.Form):
    unit = forms.TypedChoiceField(label="Đơn vị phát động", coerce=int)
    programme = forms.TypedChoiceField(label="Đề án", coerce=int)
    title = forms.CharField(label="Tên đợt báo cáo", max_length=300)
    deadline = forms.DateField(label="Hạn nộp báo cáo", widget=DateInput())
    outline = forms.CharField(
        label="Đề cương (các mục của báo cáo)",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=OUTLINE_HELP,
    )
    reporters = forms.ChoiceField(
        label="Đơn vị phải báo cáo",
        choices=Reporters.choices,
        initial=Reporters.DIRECT,
        widget=forms.RadioSelect,
    )
    chosen = forms.CharField(
        label="Danh sách đơn vị (khi chọn “Danh sách đơn vị chọn”)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một đơn vị, ghi tên như trên cây tổ chức, ví dụ: Huyện ủy Cư Jút.",
    )
    instructions = forms.CharField(
        label="Hướng dẫn cho đơn vị (không bắt buộc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        units: list[tuple[int, str]],
        programmes: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["programme"].choices = programmes  # type: ignore[attr-defined]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = units[0][0]
        self.fields["deadline"].error_messages["invalid"] = "Ngày không hợp lệ: chọn một ngày."
        for name in ("title", "deadline", "outline"):
            self.fields[name].error_messages["required"] = "Cần điền mục này."

    def clean_outline(self) -> list[tuple[str, str]]:
        rows = outline_rows(self.cleaned_data["outline"])
        if not rows:
            raise forms.ValidationError("Đề cương cần ít nhất một mục.")
        return rows
