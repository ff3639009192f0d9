from datetime import date

from django import forms

from dangvu.core.widgets import DateInput, MonthField


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput)
    month = MonthField()


def test_the_date_picker_shows_iso_and_accepts_both_spellings() -> None:
    html = str(_Form(initial={"day": date(2026, 12, 7), "month": date(2026, 12, 1)}))
    assert 'type="date"' in html and 'value="2026-12-07"' in html
    assert 'type="month"' in html and 'value="2026-12"' in html
    for day, month in (("2026-12-07", "2026-12"), ("07/12/2026", "12/2026")):
        form = _Form({"day": day, "month": month})
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"day": date(2026, 12, 7), "month": date(2026, 12, 1)}


def test_a_bad_month_gets_a_vietnamese_message() -> None:
    form = _Form({"day": "2026-12-07", "month": "2026-13"})
    assert not form.is_valid()
    assert form.errors["month"] == ["Tháng không hợp lệ: chọn tháng, ví dụ 12/2026."]
