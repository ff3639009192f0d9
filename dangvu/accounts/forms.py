"""Forms for login, accounts and roles (Vietnamese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from dangvu.accounts.models import Department, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "Tên đăng nhập hoặc số thẻ đảng viên"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})

    def clean(self) -> dict[str, object]:
        # A member may log in with their card number; throttling then counts the account.
        login = self.cleaned_data.get("username")
        if login and not User.objects.filter(username=login).exists():
            account = User.objects.filter(member__card_number=login.upper()).first()
            if account is not None:
                self.cleaned_data["username"] = account.username
        return super().clean()


class RoleForm(forms.Form):
    unit_code = forms.CharField(label="Mã đơn vị", max_length=40)
    department = forms.ChoiceField(label="Bộ phận", choices=Department.choices)
    title = forms.CharField(label="Chức danh", max_length=120, required=False)
    valid_from = forms.DateField(label="Từ ngày", required=False)

    def __init__(self, *args: Any, departments: list[str] | None = None, **kwargs: Any) -> None:
        """`departments`: those the actor may grant (the grant policy's); all by default."""
        super().__init__(*args, **kwargs)
        if departments is not None:
            field = self.fields["department"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, label) for v, label in Department.choices if v in departments]


class AccountForm(RoleForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=120, required=False)
    password = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput, min_length=8)
    member_card = forms.CharField(
        label="Số thẻ đảng viên (nếu tài khoản của một đảng viên)", max_length=20, required=False
    )
    field_order = [
        "username",
        "full_name",
        "password",
        "member_card",
        "unit_code",
        "department",
        "title",
        "valid_from",
    ]
