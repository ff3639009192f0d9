"""Forms of the question bank and of an assessment."""

from __future__ import annotations

from django import forms

from dangvu.assessments.models import QuestionKind

LETTERS = "ABCDEFGH"


class QuestionForm(forms.Form):
    section = forms.TypedChoiceField(
        label="Phần, mục của văn bản", coerce=int, required=False, empty_value=None
    )
    kind = forms.ChoiceField(label="Loại câu hỏi", choices=QuestionKind.choices)
    text = forms.CharField(label="Câu hỏi", widget=forms.Textarea(attrs={"rows": 3}))
    correct = forms.CharField(label="Đáp án đúng (ví dụ A, hoặc A,C)", max_length=20)

    def __init__(
        self,
        *args: object,
        sections: list[tuple[int, str]],
        editing: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["section"].choices = [("", "—"), *sections]  # type: ignore[attr-defined]
        if editing:
            self.fields["active"] = forms.BooleanField(
                label="Đang dùng (bỏ chọn để không rút câu này vào các bài kiểm tra mới)",
                required=False,
            )
        for letter in LETTERS[:6]:
            self.fields[f"option_{letter}"] = forms.CharField(
                label=f"Phương án {letter}", max_length=500, required=False
            )

    def options(self) -> list[tuple[str, bool]]:
        right = {
            c.strip().upper()
            for c in self.cleaned_data["correct"].replace(";", ",").split(",")
            if c.strip()
        }
        out = []
        for letter in LETTERS[:6]:
            text = self.cleaned_data.get(f"option_{letter}", "").strip()
            if text:
                out.append((text, letter in right))
        return out


class AssessmentForm(forms.Form):
    title = forms.CharField(label="Tên bài kiểm tra", max_length=300)
    document = forms.TypedChoiceField(label="Văn bản", coerce=int)
    session = forms.TypedChoiceField(
        label="Hội nghị học tập (để trống: toàn bộ đảng viên của đơn vị)",
        coerce=int,
        required=False,
        empty_value=None,
    )
    unit_code = forms.CharField(label="Mã đơn vị tổ chức", max_length=40)
    question_count = forms.IntegerField(
        label="Số câu hỏi mỗi người", min_value=1, max_value=100, initial=10
    )
    time_limit_minutes = forms.IntegerField(
        label="Thời gian làm bài (phút)", min_value=1, max_value=600, initial=15
    )
    opens_at = forms.DateTimeField(label="Mở từ (dd/mm/yyyy hh:mm)")
    closes_at = forms.DateTimeField(label="Đóng lúc (dd/mm/yyyy hh:mm)")
    pass_mark = forms.IntegerField(label="Điểm đạt (%)", min_value=0, max_value=100, initial=50)
    show_score = forms.BooleanField(label="Cho xem điểm khi nộp", required=False, initial=True)
    show_answers = forms.BooleanField(label="Cho xem đáp án khi nộp", required=False)

    def __init__(
        self,
        *args: object,
        documents: list[tuple[int, str]],
        sessions: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["document"].choices = documents  # type: ignore[attr-defined]
        self.fields["session"].choices = [("", "—"), *sessions]  # type: ignore[attr-defined]
