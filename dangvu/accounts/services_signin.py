"""Every write of signing in: passwords, two-factor devices and recovery codes, sessions.

The audit trail records them through the models registered with auditlog: a password
change as `password_changed_at` (and `must_change_password`) of the account, a device
added or removed as the device (never its key), with the acting user and address.
"""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import grants
from dangvu.accounts.models import GrantRequest, GrantStatus, Role, User, UserSession
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.accounts.signin import has_device, two_factor_required
from dangvu.core.errors import DomainError

OLD_PASSWORD_WRONG = "Mật khẩu hiện tại không đúng."
SAME_PASSWORD = "Mật khẩu mới phải khác mật khẩu cũ."
WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Chờ vài giây rồi thử lại."
NOT_ENROLLED = "Tài khoản chưa bật xác thực hai bước."
STILL_REQUIRED = "Tài khoản của bạn bắt buộc đăng nhập hai bước nên không thể tắt."
RESET_SELF = "Mật khẩu của chính bạn được đổi ở trang Tài khoản của tôi."
RESET_OUT_OF_REACH = (
    "Tài khoản này có vai trò ngoài phạm vi bạn quản lý; "
    "chỉ quản trị hệ thống đặt lại được mật khẩu của tài khoản này."
)
RESET_GUARDED = (
    "Tài khoản này giữ vai trò {department}: chỉ người đang giữ vai trò đó ở đơn vị này "
    "hoặc cấp trên mới đặt lại được mật khẩu (người vận hành máy chủ: lệnh "
    "dangvu manage changepassword)."
)
RESET_KEEPS_TWO_FACTOR = (
    "Tài khoản này xem được hồ sơ kiểm tra, kỷ luật nên không thể tắt xác thực hai bước "
    "từ đây; người vận hành máy chủ cấp một mã khôi phục bằng lệnh "
    "dangvu manage addstatictoken, kèm tên đăng nhập của tài khoản."
)

RECOVERY_CODES = 10
#: One-time passwords made by dangvu (the operator's emergency grant): read aloud or copied
#: by hand, so no look-alike letters or digits.
_ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"

_TOTP_CODE = re.compile(r"[0-9]{6}")
_RECOVERY_CODE = re.compile(r"[a-z0-9]{1,16}")


def _validate(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error


def sessions_end(*, user: User, keep: str | None = None) -> int:
    """Sign the user out of every session but `keep` (the current one); how many ended."""
    ended, _ = UserSession.objects.filter(Q(user=user) & ~Q(session_key=keep or "")).delete()
    return ended


@transaction.atomic
def password_change(
    *,
    user: User,
    new_password: str,
    old_password: str | None = None,
    keep_session: str | None = None,
) -> None:
    """The user sets their own password (giving the current one, unless they just did so to
    sign in) and every other session of theirs ends."""
    if old_password is not None and not user.check_password(old_password):
        raise DomainError(OLD_PASSWORD_WRONG)
    if user.check_password(new_password):
        raise DomainError(SAME_PASSWORD)
    _validate(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    sessions_end(user=user, keep=keep_session)


def _reset_refusal(actor: User, account: User) -> str | None:
    """Why `actor` may not reset `account`'s password, or None. A reset is a way into the
    account, so it asks what granting the account's roles directly would ask (the grant
    policy, `accounts/grants.py`): an ordinary role (current or future: on its days from
    today; an ended one: at some time) inside the subtrees the actor manages accounts for,
    or any for the administrator; a guarded one (inspection, leadership) not yet ended only
    by a holder of that department reaching its unit — never the administrator or an
    account manager, who could otherwise open an inspector's account and read its cases.
    A pending request for a guarded role counts as that role: the password would open it
    on the day a holder confirms."""
    if account.is_superuser and not actor.is_superuser:
        return RESET_OUT_OF_REACH
    day = today()
    scope = scope_for(actor)
    roles = list(Role.objects.filter(user=account).select_related("unit"))
    asked = GrantRequest.objects.filter(user=account, status=GrantStatus.PENDING)
    guarded = [
        (r.department, r.unit, max(day, r.valid_from))
        for r in roles
        if r.department in grants.GUARDED and r.valid_to > day
    ] + [
        (r.department, r.unit, max(day, r.valid_from))
        for r in asked.select_related("unit")
        if r.department in grants.GUARDED and r.valid_to > day
    ]
    for department, unit, on in guarded:
        if not grants.holds(actor, department, unit, on):
            return RESET_GUARDED.format(department=grants.department_label(department))
    if actor.is_superuser:
        return None
    ever = set(
        scope.units(Capability.MANAGE_ACCOUNTS)
        .filter(pk__in={r.unit_id for r in roles})
        .values_list("pk", flat=True)
    )
    for role in roles:
        if role.valid_to <= day:
            reachable = role.unit_id in ever
        elif role.department in grants.GUARDED:
            reachable = True  # judged above
        else:
            on = max(day, role.valid_from)
            reachable = scope.reaches_unit_on(Capability.MANAGE_ACCOUNTS, role.unit, on)
        if not reachable:
            return RESET_OUT_OF_REACH
    return None


@transaction.atomic
def password_reset(
    *, account: User, password: str, actor: User, remove_two_factor: bool = False
) -> None:
    """An officer sets a one-time password, to be changed at the next sign-in, and ends
    every session of the account; optionally removes its two-factor devices (a lost phone),
    except for an account that reaches discipline records."""
    if actor.pk == account.pk:
        raise DomainError(RESET_SELF)
    refusal = _reset_refusal(actor, account)
    if refusal is not None:
        raise DomainError(refusal)
    if remove_two_factor and scope_for(account).can(Capability.DISCIPLINE):
        raise DomainError(RESET_KEEPS_TWO_FACTOR)
    _validate(password, account)
    account.set_password(password)
    account.must_change_password = True
    account.password_changed_at = timezone.now()
    account.save(update_fields=["password", "must_change_password", "password_changed_at"])
    if remove_two_factor:
        _devices_remove(account)
    sessions_end(user=account)


def _devices_remove(user: User) -> int:
    # One by one, so that the audit trail records each device removed.
    devices = [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]
    for device in devices:
        device.delete()
    return len(devices)


def one_time_password() -> str:
    """A random one-time password, four groups of four (about 79 bits)."""
    chars = "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def credentials_hand_over(*, user: User, password: str) -> tuple[int, int]:
    """Hand the account to the person a guarded role is for (`grants.handover_due`): the
    one-time password set by the holder who grants or confirms replaces its password (to
    be changed at the next sign-in), its two-factor devices are removed and every session
    ends, so whoever created the account or asked for the role no longer controls it. A
    sign-in already begun with the old password dies with it (`signin.pending_of`).
    Returns the devices removed and the sessions ended (the grant service logs them)."""
    _validate(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    return _devices_remove(user), sessions_end(user=user)


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: the authenticator app's six digits, or a recovery
    code (used up). django-otp throttles each device after a failure (1, 2, 4... seconds)
    and refuses a code already used."""
    token = "".join(code.split()).replace("-", "").lower()
    if _TOTP_CODE.fullmatch(token):
        devices: list[Device] = list(
            TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update()
        )
    elif _RECOVERY_CODE.fullmatch(token):
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True).select_for_update())
    else:
        return None
    for device in devices:
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """A new secret for the user's authenticator app, unconfirmed until a first code
    (the same one while the user has not confirmed it, so reloading the page keeps it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    for device in StaticDevice.objects.filter(user=user):
        device.delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrolment_confirm(
    *, user: User, device: TOTPDevice, code: str, keep_session: str | None = None
) -> list[str]:
    """Confirm the new app by its first code: it replaces any earlier app, ten new
    recovery codes replace the old ones (returned, to be shown once) and every other
    session of the user ends."""
    token = "".join(code.split())
    with transaction.atomic():  # a wrong code counts for the throttle: committed
        locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user).first()
        verified = (
            locked is not None
            and not locked.confirmed
            and bool(_TOTP_CODE.fullmatch(token))
            and locked.verify_token(token)
        )
    if not verified or locked is None:
        raise DomainError(WRONG_CODE)
    with transaction.atomic():
        for other in TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk):
            other.delete()
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        sessions_end(user=user, keep=keep_session)
    return codes


def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """Ten new recovery codes in place of the old ones, on a code of the user's app."""
    device = two_factor_verify(user=user, code=code)  # commits the throttle on failure
    if not isinstance(device, TOTPDevice):
        raise DomainError(WRONG_CODE)
    with transaction.atomic():
        return _new_recovery_codes(user)


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn two-factor sign-in off, on a code of the app or a recovery code; refused to an
    account that must have it."""
    if not has_device(user):
        raise DomainError(NOT_ENROLLED)
    if two_factor_required(user):
        raise DomainError(STILL_REQUIRED)
    if two_factor_verify(user=user, code=code) is None:  # commits the throttle on failure
        raise DomainError(WRONG_CODE)
    with transaction.atomic():
        _devices_remove(user)
