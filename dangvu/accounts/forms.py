"""Forms for login, accounts and roles (Vietnamese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from dangvu.accounts.models import Department, User
from dangvu.core.widgets import DateInput


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


class CodeForm(forms.Form):
    """A code of the authenticator app (six digits), or with `recovery` a recovery code."""

    code = forms.CharField(label="Mã xác thực", max_length=40)

    def __init__(self, *args: object, recovery: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["code"]
        field.widget.attrs.update({"autocomplete": "one-time-code", "autofocus": True})
        if recovery:
            field.label = "Mã xác thực (6 chữ số) hoặc mã khôi phục"
        else:
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})


PASSWORDS_DIFFER = "Hai lần nhập mật khẩu mới không khớp."


class PasswordForm(forms.Form):
    """One's own new password, twice; the current one too unless just typed to sign in."""

    old_password = forms.CharField(
        label="Mật khẩu hiện tại",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label="Mật khẩu mới",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Ít nhất 8 ký tự, không quá phổ biến, không chỉ gồm chữ số.",
    )
    new_password2 = forms.CharField(
        label="Nhập lại mật khẩu mới",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, ask_old: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not ask_old:
            del self.fields["old_password"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", PASSWORDS_DIFFER)
        return data


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label="Mật khẩu tạm thời",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Người dùng phải đổi mật khẩu này ngay khi đăng nhập.",
    )
    remove_two_factor = forms.BooleanField(
        label="Tắt cả xác thực hai bước (người dùng mất điện thoại và mã khôi phục)",
        required=False,
    )


def handover_password_field(*, required: bool) -> forms.CharField:
    """The one-time password with which a holder hands an account over to the person a
    guarded role is for (`accounts/grants.handover_due`)."""
    return forms.CharField(
        label="Mật khẩu dùng một lần để trao tài khoản",
        strip=False,
        required=required,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Thay mật khẩu hiện tại của tài khoản; bạn trao tận tay cho người nhận vai trò, "
            "người đó phải đổi ngay khi đăng nhập."
        ),
    )


class RoleForm(forms.Form):
    unit_code = forms.CharField(label="Mã đơn vị", max_length=40)
    department = forms.ChoiceField(label="Bộ phận", choices=Department.choices)
    title = forms.CharField(label="Chức danh", max_length=120, required=False)
    valid_from = forms.DateField(label="Từ ngày", required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        departments: list[str] | None = None,
        handover: bool = False,
        **kwargs: Any,
    ) -> None:
        """`departments`: those the actor may grant (the grant policy's); all by default.
        `handover`: the actor holds a guarded department, whose grant hands the account
        over with a one-time password (used only then)."""
        super().__init__(*args, **kwargs)
        if departments is not None:
            field = self.fields["department"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, label) for v, label in Department.choices if v in departments]
        if handover:
            self.fields["handover_password"] = handover_password_field(required=False)


class GrantConfirmForm(forms.Form):
    """A holder's confirmation of a grant of her department: the one-time password of the
    hand-over, when one is due."""

    def __init__(self, *args: Any, handover: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if handover:
            self.fields["handover_password"] = handover_password_field(required=True)


class AccountForm(RoleForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=120, required=False)
    password = forms.CharField(
        label="Mật khẩu tạm thời",
        widget=forms.PasswordInput,
        min_length=8,
        help_text="Người dùng phải đổi mật khẩu này ngay lần đăng nhập đầu tiên.",
    )
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
