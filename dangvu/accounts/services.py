"""Every write to accounts and roles."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dangvu.accounts.models import Department, Role, User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core.effective import END_OF_TIME
from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.units.models import Unit

USERNAME_TAKEN = "Tên đăng nhập {username} đã được dùng."
USERNAME_INVALID = "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các ký tự . _ -"
MEMBER_TAKEN = "Đảng viên {name} đã có tài khoản {username}."
OUT_OF_SCOPE = "Bạn không có quyền cấp vai trò tại đơn vị này."
ROLE_ENDED = "Vai trò này đã kết thúc."
MEMBER_ROLE_NEEDS_MEMBER = "Vai trò đảng viên cần gắn tài khoản với một đảng viên."


def _check_grantor(actor: User | None, unit: Unit, day: date) -> None:
    if actor is None or actor.is_superuser:
        return
    if not scope_for(actor).reaches_unit_on(Capability.MANAGE_ACCOUNTS, unit, day):
        raise DomainError(OUT_OF_SCOPE)


@transaction.atomic
def account_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    member: Member | None = None,
    is_admin: bool = False,
    actor: User | None = None,
    check_password: bool = True,
) -> User:
    """Create a login. Only an administrator (or the CLI) creates administrators. The
    password an officer (`actor`) sets is a one-time one, changed at the first sign-in."""
    username = username.strip()
    if not username or not all(ch.isascii() and (ch.isalnum() or ch in "._-@") for ch in username):
        raise DomainError(USERNAME_INVALID)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(USERNAME_TAKEN.format(username=username))
    if member is not None and User.objects.filter(member=member).exists():
        other = User.objects.get(member=member)
        raise DomainError(MEMBER_TAKEN.format(name=member.full_name, username=other.username))
    if is_admin and actor is not None and not actor.is_superuser:
        raise DomainError(OUT_OF_SCOPE)
    user = User(
        username=username,
        full_name=" ".join(full_name.split()) or (member.full_name if member else ""),
        member=member,
        is_superuser=is_admin,
        is_staff=is_admin,
        must_change_password=actor is not None,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from error
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def role_grant(
    *,
    user: User,
    unit: Unit,
    department: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    title: str = "",
    actor: User | None = None,
) -> Role:
    """Grant `department` at `unit` (reaching its subtree) from valid_from."""
    start = valid_from or today()
    _check_grantor(actor, unit, start)
    if department == Department.MEMBER and user.member_id is None:
        raise DomainError(MEMBER_ROLE_NEEDS_MEMBER)
    return Role.objects.create(
        user=user,
        unit=unit,
        department=department,
        title=title.strip(),
        valid_from=start,
        valid_to=valid_to or END_OF_TIME,
        granted_by=actor,
    )


@transaction.atomic
def role_revoke(*, role: Role, effective_on: date | None = None, actor: User | None = None) -> Role:
    """End a role from effective_on (default today); the history of who held it stays."""
    day = effective_on or today()
    # Check the grantor on a day the role and its unit both existed: a unit merged away
    # or dissolved reaches nobody after it ended, yet its open roles must stay revocable.
    last = min(role.valid_to, role.unit.dissolved_on) - timedelta(days=1)
    _check_grantor(actor, role.unit, max(role.valid_from, min(day, last)))
    if role.valid_to <= day:
        raise DomainError(ROLE_ENDED)
    if role.valid_from >= day:
        # It never took effect; the audit trail keeps the deleted row.
        role.delete()
        return role
    role.valid_to = day
    role.save(update_fields=["valid_to"])
    return role
