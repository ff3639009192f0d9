"""Signing in and out, one's own password, two-factor sign-in and sessions, and the
officer's password reset. Thin: parse, call, render (the steps: dangvu.accounts.signin)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import selectors, selectors_signin, services_signin, signin
from dangvu.accounts.decorators import requires_any
from dangvu.accounts.forms import CodeForm, LoginForm, PasswordForm, PasswordResetForm
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.middleware import STEP_URLS
from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.core.errors import DomainError

EXPIRED = "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."
TOO_MANY_CODES = "Nhập sai mã quá nhiều lần. Vui lòng đăng nhập lại."
RECOVERY_USED = "Bạn vừa dùng một mã khôi phục; còn {left} mã. Hãy tạo mã mới khi sắp hết."
PASSWORD_CHANGED = "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được đăng xuất."
TWO_FACTOR_OFF = "Đã tắt xác thực hai bước."
OTHERS_ENDED = "Đã đăng xuất {n} phiên khác."
RESET_DONE = "Đã đặt mật khẩu tạm thời cho {username}. Người dùng phải đổi mật khẩu khi đăng nhập."


# -- signing in ----------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The password step: a right password opens a pending sign-in (dangvu.accounts.signin)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.get_user()
        pending = signin.begin(
            self.request, user, backend=user.backend, next_url=self.get_success_url()
        )
        return _advance(self.request, user, pending)


@login_not_required  # signing out an anonymous visitor does nothing and harms no one
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def _advance(request: HttpRequest, user: User, pending: signin.Pending) -> HttpResponse:
    """The next step of a pending sign-in, or the signed-in user's first page."""
    step = signin.next_step(user, pending)
    if step is not None:
        signin.save(request, pending)
        return redirect(STEP_URLS[step])
    signin.complete(request, user, pending)
    return redirect(pending.next or settings.LOGIN_REDIRECT_URL)


PendingView = Callable[[HttpRequest, signin.Pending, User], HttpResponse]


def pending_step(step: str) -> Callable[[PendingView], Callable[[HttpRequest], HttpResponse]]:
    """A page of one step of a pending sign-in: only when that step is the one due."""

    def decorator(view: PendingView) -> Callable[[HttpRequest], HttpResponse]:
        @login_not_required
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            if request.user.is_authenticated:
                return redirect(settings.LOGIN_REDIRECT_URL)
            state = signin.pending_of(request)
            if state is None:
                messages.warning(request, EXPIRED)
                return redirect("accounts:login")
            pending, user = state
            due = signin.next_step(user, pending)
            if due != step:
                return _advance(request, user, pending)
            return view(request, pending, user)

        return wrapper

    return decorator


@pending_step(signin.CODE)
def signin_code(request: HttpRequest, pending: signin.Pending, user: User) -> HttpResponse:
    form = CodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        device = services_signin.two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            pending.device = device.persistent_id
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, RECOVERY_USED.format(left=left))
            return _advance(request, user, pending)
        pending.failures += 1
        if pending.failures >= signin.MAX_CODE_FAILURES:
            signin.forget(request)
            messages.error(request, TOO_MANY_CODES)
            return redirect("accounts:login")
        signin.save(request, pending)
        form.add_error("code", services_signin.WRONG_CODE)
    return render(request, "accounts/signin_code.html", {"form": form, "account": user})


@pending_step(signin.PASSWORD)
def signin_password(request: HttpRequest, pending: signin.Pending, user: User) -> HttpResponse:
    form = PasswordForm(request.POST or None, ask_old=False)
    if request.method == "POST" and form.is_valid():
        try:
            services_signin.password_change(
                user=user, new_password=form.cleaned_data["new_password1"]
            )
        except DomainError as error:
            form.add_error("new_password1", error.message)
        else:
            signin.password_changed(request, user, pending)
            return _advance(request, user, pending)
    return render(
        request, "accounts/password_form.html", {"form": form, "account": user, "first": True}
    )


@pending_step(signin.ENROL)
def signin_enrol(request: HttpRequest, pending: signin.Pending, user: User) -> HttpResponse:
    device = services_signin.enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services_signin.enrolment_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            pending.device = device.persistent_id
            response = _advance(request, user, pending)
            return _recovery_codes_page(request, codes, response["Location"])
    return _enrolment_page(request, user, device, form, first=True)


def _enrolment_page(
    request: HttpRequest, user: User, device: TOTPDevice, form: CodeForm, *, first: bool
) -> HttpResponse:
    secret = selectors_signin.secret_of(device)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "account": user,
            "first": first,
            "qr": mark_safe(qr),  # segno's SVG of our own otpauth address
            "secret": secret,
            "required": signin.two_factor_required(user),
        },
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str], continue_url: str) -> HttpResponse:
    """The codes, shown this once (the page answers the POST; nothing shows them again)."""
    response = render(
        request, "accounts/recovery_codes.html", {"codes": codes, "continue_url": continue_url}
    )
    response["Cache-Control"] = "no-store"
    return response


def _duration(value: timedelta) -> str:
    """A duration in Vietnamese words: "15 phút", "1 giờ 30 phút", "2 ngày"."""
    seconds = max(0, int(value.total_seconds()))
    if seconds < 60:
        return f"{seconds} giây"
    days, rest = divmod(seconds // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "ngày"), (hours, "giờ"), (minutes, "phút")]
    return " ".join(f"{n} {unit}" for n, unit in parts if n)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' lock-out answer (AXES_LOCKOUT_CALLABLE), with the wait in words."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "accounts/locked_out.html",
        {"cooloff": _duration(cool_off) if cool_off else ""},
        status=429,
    )


# -- one's own account ---------------------------------------------------------------------


@require_GET
def me(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/me.html",
        {
            "enrolled": signin.has_device(user),
            "required": signin.two_factor_required(user),
            "sessions": selectors_signin.sessions_of(user=user).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordForm(request.POST or None, ask_old=True)
    if request.method == "POST" and form.is_valid():
        try:
            services_signin.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                keep_session=request.session.session_key,
            )
        except DomainError as error:
            field = "old_password" if error.message == services_signin.OLD_PASSWORD_WRONG else None
            form.add_error(field or "new_password1", error.message)
        else:
            # This session stays signed in under the new password.
            update_session_auth_hash(request, request.user)
            messages.success(request, PASSWORD_CHANGED)
            return redirect("accounts:me")
    return render(request, "accounts/password_form.html", {"form": form, "account": request.user})


@require_http_methods(["GET", "POST"])
def two_factor(request: AuthedRequest) -> HttpResponse:
    """Set up the authenticator app (or a new phone), or see and manage it."""
    user = request.user
    enrolled = signin.has_device(user)
    if request.method == "GET" and enrolled and "moi" not in request.GET:
        return render(
            request,
            "accounts/two_factor.html",
            {
                "device": selectors_signin.device_of(user=user),
                "codes_left": selectors_signin.recovery_codes_left(user=user),
                "required": signin.two_factor_required(user),
                "form": CodeForm(recovery=True),
                "app_form": CodeForm(auto_id="renew_%s"),
            },
        )
    device = services_signin.enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services_signin.enrolment_confirm(
                user=user,
                device=device,
                code=form.cleaned_data["code"],
                keep_session=request.session.session_key,
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            return _recovery_codes_page(request, codes, reverse("accounts:me"))
    return _enrolment_page(request, user, device, form, first=False)


@require_POST
def two_factor_disable(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST, recovery=True)
    try:
        if not form.is_valid():
            raise DomainError(services_signin.WRONG_CODE)
        services_signin.two_factor_disable(user=request.user, code=form.cleaned_data["code"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:two_factor")
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    messages.success(request, TWO_FACTOR_OFF)
    return redirect("accounts:me")


@require_POST
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(services_signin.WRONG_CODE)
        codes = services_signin.recovery_codes_renew(
            user=request.user, code=form.cleaned_data["code"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:two_factor")
    return _recovery_codes_page(request, codes, reverse("accounts:two_factor"))


@require_GET
def sessions(request: AuthedRequest) -> HttpResponse:
    rows = selectors_signin.session_rows(
        user=request.user, current=request.session.session_key or ""
    )
    return render(request, "accounts/sessions.html", {"rows": rows})


@require_POST
def sessions_end_others(request: AuthedRequest) -> HttpResponse:
    ended = services_signin.sessions_end(user=request.user, keep=request.session.session_key)
    messages.success(request, OTHERS_ENDED.format(n=ended))
    return redirect("accounts:sessions")


# -- the officer's reset -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires_any(Capability.MANAGE_ACCOUNTS, Capability.DISCIPLINE)
def password_reset(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Set a one-time password for an account one manages (and end its sessions)."""
    account = selectors.account_for(actor=request.user, user_id=user_id)
    if account.pk == request.user.pk:
        return redirect("accounts:password_change")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_signin.password_reset(
                account=account,
                password=form.cleaned_data["password"],
                remove_two_factor=form.cleaned_data["remove_two_factor"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, RESET_DONE.format(username=account.username))
            return redirect("accounts:detail", user_id=account.pk)
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form, "account": account, "enrolled": signin.has_device(account)},
    )
