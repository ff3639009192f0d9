"""Every write to accounts and roles.

Who may grant, request, confirm or end a role is decided by `accounts/grants.py`; every
service here asks it first and writes a `GrantEvent` for what it did. A refusal is written
*before* the service's transaction opens, so the refused write rolls back and the record of
the attempt stays. For that reason no caller wraps these services in a transaction of its
own (an account with its first role is one service, `account_create_with_role`).
`actor=None` is the system itself (the demo builder, the test world, the command line):
the policy does not apply to it; every page passes the signed-in user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.accounts import grants, services_signin
from dangvu.accounts.grants import OUT_OF_SCOPE, Route, department_label
from dangvu.accounts.models import (
    Department,
    GrantEvent,
    GrantEventKind,
    GrantRequest,
    GrantStatus,
    Role,
    User,
)
from dangvu.accounts.scope import today
from dangvu.core.effective import END_OF_TIME
from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.units.models import Unit

USERNAME_TAKEN = "Tên đăng nhập {username} đã được dùng."
USERNAME_INVALID = "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các ký tự . _ -"
MEMBER_TAKEN = "Đảng viên {name} đã có tài khoản {username}."
ROLE_ENDED = "Vai trò này đã kết thúc."
MEMBER_ROLE_NEEDS_MEMBER = "Vai trò đảng viên cần gắn tài khoản với một đảng viên."
REQUEST_PENDING = "Đã có đề nghị cấp vai trò {department} tại đơn vị này đang chờ xác nhận."

GRANTED = "Đã cấp vai trò."
REQUESTED = (
    "Đã gửi đề nghị cấp vai trò {department}. Vai trò chỉ có hiệu lực khi người đang giữ vai "
    "trò {department} ở đơn vị này hoặc cấp trên xác nhận."
)
GRANTED_UNCONFIRMED = (
    "Đã cấp vai trò {department} không qua xác nhận, vì chưa có ai giữ vai trò này để xác "
    "nhận. Việc cấp được ghi lại và hiện cho mọi người giữ vai trò kiểm tra, lãnh đạo."
)
CONFIRMED = "Đã xác nhận: vai trò có hiệu lực."
HANDOVER_PASSWORD_NEEDED = (
    "Hãy đặt mật khẩu dùng một lần để trao tài khoản cho người nhận vai trò {department}."
)
HANDED_OVER = (
    "Đã trao tài khoản {username}: mật khẩu cũ được thay bằng mật khẩu dùng một lần bạn vừa "
    "đặt, các thiết bị xác thực hai bước cũ đã bị gỡ, mọi phiên đăng nhập đã kết thúc. Hãy "
    "trao tận tay mật khẩu này cho người nhận vai trò; khi đăng nhập, người đó đặt mật khẩu "
    "riêng và bật xác thực hai bước trên điện thoại của mình."
)
HANDOVER_LOG = "Gỡ {devices} thiết bị xác thực hai bước, kết thúc {sessions} phiên đăng nhập."

#: The operator's emergency grant on the server (`dangvu grant`).
OPERATOR = "Người vận hành máy chủ (lệnh dangvu grant)"
OPERATOR_GUARDED_ONLY = (
    "Lệnh dangvu grant chỉ cấp vai trò Kiểm tra hoặc Lãnh đạo; các vai trò khác do quản trị "
    "hệ thống cấp ở trang Tài khoản."
)
OPERATOR_INACTIVE = "Tài khoản {username} đã bị khóa."
OPERATOR_REASON_NEEDED = "Cần ghi lý do cấp (--reason): việc cấp được ghi vào nhật ký cấp quyền."
OPERATOR_HOLDERS_STAND = (
    "Đang có người giữ vai trò {department} xác nhận được việc cấp này ({names}): quản trị hệ "
    "thống hoặc Ban Tổ chức đề nghị cấp ở trang Tài khoản và người đó xác nhận. Lệnh này chỉ "
    "dùng khi không còn ai xác nhận được."
)
DECLINED = "Đã từ chối đề nghị: không cấp vai trò."
UNCONFIRMED_KEPT = "Đã xác nhận việc cấp vai trò."
UNCONFIRMED_ENDED = "Đã từ chối: vai trò được cấp không qua xác nhận đã chấm dứt."


@dataclass(frozen=True)
class GrantResult:
    """What a grant did: a role made now, a request waiting for confirmation, or both
    (a role made now without the confirmation nobody could give)."""

    role: Role | None
    request: GrantRequest | None
    department: str
    handed_over: bool = False  # the account was handed over (a one-time password set)

    @property
    def message(self) -> str:
        label = department_label(self.department)
        if self.role is None:
            return REQUESTED.format(department=label)
        if self.request is not None:
            return GRANTED_UNCONFIRMED.format(department=label)
        return GRANTED


@dataclass(frozen=True)
class _Subject:
    """Whom and what a grant log line is about."""

    username: str
    department: str
    user: User | None = None
    unit: Unit | None = None
    valid_from: date | None = None

    @classmethod
    def of_role(cls, role: Role) -> _Subject:
        return cls(role.user.username, role.department, role.user, role.unit, role.valid_from)

    @classmethod
    def of_request(cls, request: GrantRequest) -> _Subject:
        return cls(
            request.user.username,
            request.department,
            request.user,
            request.unit,
            request.valid_from,
        )


def _log(
    kind: str,
    subject: _Subject,
    *,
    actor: User | None,
    role: Role | None = None,
    request: GrantRequest | None = None,
    message: str = "",
) -> GrantEvent:
    return GrantEvent.objects.create(
        kind=kind,
        actor=actor,
        user=subject.user,
        username=subject.username,
        unit=subject.unit,
        department=subject.department,
        valid_from=subject.valid_from,
        role=role,
        request=request,
        message=message[:300],
    )


def _refused(
    error: DomainError,
    subject: _Subject,
    *,
    actor: User | None,
    role: Role | None = None,
    request: GrantRequest | None = None,
) -> DomainError:
    """Record a refused attempt in a transaction of its own, before (and apart from) the
    write's, and hand the error back to raise."""
    with transaction.atomic():
        _log(
            GrantEventKind.REFUSED,
            subject,
            actor=actor,
            role=role,
            request=request,
            message=error.message,
        )
    return error


def _judge_grant(
    *,
    actor: User | None,
    user: User | None,
    username: str,
    unit: Unit,
    department: str,
    start: date,
) -> Route:
    if actor is None:
        return Route.GRANT
    try:
        return grants.grant_route(
            actor=actor, user=user, unit=unit, department=department, start=start
        )
    except DomainError as error:
        subject = _Subject(username, department, user, unit, start)
        raise _refused(error, subject, actor=actor) from None


def _account_create(
    *,
    username: str,
    password: str,
    full_name: str,
    member: Member | None,
    is_admin: bool,
    actor: User | None,
    check_password: bool,
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
    """Create a login. Only an administrator (or the CLI) creates administrators."""
    return _account_create(
        username=username,
        password=password,
        full_name=full_name,
        member=member,
        is_admin=is_admin,
        actor=actor,
        check_password=check_password,
    )


def account_create_with_role(
    *,
    username: str,
    password: str,
    unit: Unit,
    department: str,
    full_name: str = "",
    member: Member | None = None,
    title: str = "",
    valid_from: date | None = None,
    actor: User | None = None,
    check_password: bool = True,
) -> tuple[User, GrantResult]:
    """Create a login with its first role, or nothing: a refused role must not leave a
    role-less account behind (and its username taken). The grant policy is asked before
    anything is written, so its refusal is recorded and nothing else is."""
    start = valid_from or today()
    route = _judge_grant(
        actor=actor,
        user=None,
        username=username.strip(),
        unit=unit,
        department=department,
        start=start,
    )
    with transaction.atomic():
        user = _account_create(
            username=username,
            password=password,
            full_name=full_name,
            member=member,
            is_admin=False,
            actor=actor,
            check_password=check_password,
        )
        result = _grant(
            route=route,
            user=user,
            unit=unit,
            department=department,
            start=start,
            valid_to=None,
            title=title,
            actor=actor,
            handover_password=password,  # a holder creating it: she sets its one password
        )
    return user, result


def role_grant(
    *,
    user: User,
    unit: Unit,
    department: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    title: str = "",
    actor: User | None = None,
    handover_password: str = "",
) -> GrantResult:
    """Grant `department` at `unit` (reaching its subtree) from valid_from, as the grant
    policy allows `actor`: now, or as a request a holder of the department confirms. A
    holder granting her guarded department hands the account over with the one-time
    `handover_password` she sets (`grants.handover_due`); anyone else's is never used."""
    start = valid_from or today()
    route = _judge_grant(
        actor=actor,
        user=user,
        username=user.username,
        unit=unit,
        department=department,
        start=start,
    )
    with transaction.atomic():
        return _grant(
            route=route,
            user=user,
            unit=unit,
            department=department,
            start=start,
            valid_to=valid_to,
            title=title,
            actor=actor,
            handover_password=handover_password,
        )


def _grant(
    *,
    route: Route,
    user: User,
    unit: Unit,
    department: str,
    start: date,
    valid_to: date | None,
    title: str,
    actor: User | None,
    handover_password: str = "",
) -> GrantResult:
    if department == Department.MEMBER and user.member_id is None:
        raise DomainError(MEMBER_ROLE_NEEDS_MEMBER)
    subject = _Subject(user.username, department, user, unit, start)
    # A holder's own grant of her guarded department hands the account over (the system's,
    # actor None, does not; a grant made without confirmation is handed over by the holder
    # who later confirms it).
    hand_over = (
        route is Route.GRANT
        and actor is not None
        and department in grants.GUARDED
        and grants.handover_due(user)
    )
    if hand_over and not handover_password:
        raise DomainError(HANDOVER_PASSWORD_NEEDED.format(department=department_label(department)))
    request = None
    if route is not Route.GRANT:
        pending = GrantRequest.objects.filter(
            user=user, unit=unit, department=department, status=GrantStatus.PENDING
        )
        if pending.exists():
            raise DomainError(REQUEST_PENDING.format(department=department_label(department)))
        request = GrantRequest.objects.create(
            user=user,
            unit=unit,
            department=department,
            title=title.strip(),
            valid_from=start,
            valid_to=valid_to or END_OF_TIME,
            requested_by=actor,
            without_confirmation=route is Route.UNCONFIRMED,
        )
        if route is Route.REQUEST:
            _log(GrantEventKind.REQUESTED, subject, actor=actor, request=request)
            return GrantResult(role=None, request=request, department=department)
    role = Role.objects.create(
        user=user,
        unit=unit,
        department=department,
        title=title.strip(),
        valid_from=start,
        valid_to=valid_to or END_OF_TIME,
        granted_by=actor,
    )
    kind = GrantEventKind.GRANTED
    if request is not None:
        request.role = role
        request.save(update_fields=["role"])
        kind = GrantEventKind.GRANTED_UNCONFIRMED
    _log(kind, subject, actor=actor, role=role, request=request)
    if hand_over:
        _hand_over(subject, password=handover_password, actor=actor, role=role, request=request)
    return GrantResult(role=role, request=request, department=department, handed_over=hand_over)


def _hand_over(
    subject: _Subject,
    *,
    password: str,
    actor: User | None,
    role: Role,
    request: GrantRequest | None = None,
    message: str = "",
) -> None:
    """Hand the account to the person the guarded role is for, in the grant's transaction
    (a password the validators refuse undoes the grant), and log it."""
    assert subject.user is not None
    devices, sessions = services_signin.credentials_hand_over(user=subject.user, password=password)
    note = HANDOVER_LOG.format(devices=devices, sessions=sessions)
    _log(
        GrantEventKind.HANDED_OVER,
        subject,
        actor=actor,
        role=role,
        request=request,
        message=f"{message} {note}".strip(),
    )


def role_revoke(*, role: Role, effective_on: date | None = None, actor: User | None = None) -> Role:
    """End a role from effective_on (default today); the history of who held it stays.
    Ending one's own role is allowed: it only narrows one's reach."""
    day = effective_on or today()
    if actor is not None:
        try:
            grants.check_revoker(actor=actor, role=role, day=day)
        except DomainError as error:
            raise _refused(error, _Subject.of_role(role), actor=actor, role=role) from None
    with transaction.atomic():
        return _end(role=role, day=day, actor=actor)


def _end(*, role: Role, day: date, actor: User | None) -> Role:
    if role.valid_to <= day:
        raise DomainError(ROLE_ENDED)
    _log(
        GrantEventKind.REVOKED,
        _Subject.of_role(role),
        actor=actor,
        role=None if role.valid_from >= day else role,
        message=f"Từ ngày {day:%d/%m/%Y}",
    )
    if role.valid_from >= day:
        # It never took effect; the audit trail keeps the deleted row.
        role.delete()
        return role
    role.valid_to = day
    role.save(update_fields=["valid_to"])
    return role


def _judge_decision(*, actor: User, request: GrantRequest) -> None:
    try:
        grants.check_confirmer(actor=actor, request=request)
    except DomainError as error:
        raise _refused(error, _Subject.of_request(request), actor=actor, request=request) from None


def _locked(request: GrantRequest) -> GrantRequest:
    locked = GrantRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != GrantStatus.PENDING:
        raise DomainError(grants.ALREADY_DECIDED)
    return locked


def grant_request_confirm(
    *, request: GrantRequest, actor: User, handover_password: str = ""
) -> GrantResult:
    """A holder of the department confirms a request: the role takes effect (or, for a
    role granted without confirmation, it stays, now confirmed), and the account is handed
    to the person with the one-time `handover_password` the holder sets — unless it already
    holds a guarded role someone stood behind (`grants.handover_due`)."""
    _judge_decision(actor=actor, request=request)
    hand_over = grants.handover_due(request.user)
    if hand_over and not handover_password:
        raise DomainError(
            HANDOVER_PASSWORD_NEEDED.format(department=department_label(request.department))
        )
    with transaction.atomic():
        request = _locked(request)
        role = request.role
        if role is None:
            role = Role.objects.create(
                user=request.user,
                unit=request.unit,
                department=request.department,
                title=request.title,
                valid_from=request.valid_from,
                valid_to=request.valid_to,
                granted_by=request.requested_by,
            )
            request.role = role
        request.status = GrantStatus.CONFIRMED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["role", "status", "decided_by", "decided_at"])
        subject = _Subject.of_request(request)
        _log(GrantEventKind.CONFIRMED, subject, actor=actor, role=role, request=request)
        if hand_over:
            _hand_over(subject, password=handover_password, actor=actor, role=role, request=request)
        return GrantResult(
            role=role, request=request, department=request.department, handed_over=hand_over
        )


def grant_request_decline(*, request: GrantRequest, actor: User) -> GrantRequest:
    """A holder of the department refuses a request: no role is made (and a role granted
    without confirmation ends today)."""
    _judge_decision(actor=actor, request=request)
    with transaction.atomic():
        request = _locked(request)
        role = request.role
        request.status = GrantStatus.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        _log(
            GrantEventKind.DECLINED,
            _Subject.of_request(request),
            actor=actor,
            role=role,
            request=request,
        )
        if role is not None and role.valid_to > today():
            _end(role=role, day=today(), actor=actor)
        return request


@dataclass(frozen=True)
class OperatorGrant:
    """What the operator's emergency grant did: the role, its request (flagged "granted
    without confirmation"), and the one-time password to hand over, None when the account
    was not handed over (it holds a guarded role someone vouched for)."""

    role: Role
    request: GrantRequest
    password: str | None


def _operator_refusal(*, user: User, unit: Unit, department: str, reason: str) -> str | None:
    if department not in grants.GUARDED:
        return OPERATOR_GUARDED_ONLY
    if user.is_superuser:
        return grants.ADMIN_GUARDED.format(department=department_label(department))
    if not user.is_active:
        return OPERATOR_INACTIVE.format(username=user.username)
    if not reason.strip():
        return OPERATOR_REASON_NEEDED
    if grants.unit_path_today(unit) is None:
        return grants.UNIT_GONE.format(code=unit.code)
    able = grants.confirmers(unit=unit, department=department, excluding={user.pk})
    if able.exists():
        names = ", ".join(sorted(able.values_list("username", flat=True))[:5])
        return OPERATOR_HOLDERS_STAND.format(department=department_label(department), names=names)
    return None


def role_grant_by_operator(
    *, user: User, unit: Unit, department: str, reason: str, valid_from: date | None = None
) -> OperatorGrant:
    """The operator on the server grants a guarded department when nobody could confirm
    it (every holder has left): the break-glass the grant policy has no page for. Refused
    for anything else (another department, an administrator's or a locked account, no
    reason, a unit gone, or while a holder who could confirm stands). The role is made at
    once and flagged as granted without confirmation, so that every later holder sees it
    and may confirm or end it; a request waiting for that grant is taken over. The account
    is handed over with a one-time password made here and returned to be shown once. The
    grant log records it as the command line's act, with the reason."""
    start = valid_from or today()
    refusal = _operator_refusal(user=user, unit=unit, department=department, reason=reason)
    if refusal is not None:
        subject = _Subject(user.username, department, user, unit, start)
        _refused(DomainError(f"{OPERATOR}: {refusal}"), subject, actor=None)
        raise DomainError(refusal)
    note = f"{OPERATOR}: {' '.join(reason.split())}"
    hand_over = grants.handover_due(user)
    password = services_signin.one_time_password() if hand_over else None
    with transaction.atomic():
        role = Role.objects.create(
            user=user,
            unit=unit,
            department=department,
            valid_from=start,
            valid_to=END_OF_TIME,
        )
        request = (
            GrantRequest.objects.select_for_update()
            .filter(
                user=user,
                unit=unit,
                department=department,
                status=GrantStatus.PENDING,
                role=None,
            )
            .first()
        )
        if request is None:
            request = GrantRequest(
                user=user, unit=unit, department=department, valid_to=END_OF_TIME
            )
        request.valid_from = start
        request.role = role
        request.without_confirmation = True
        request.by_operator = True
        request.reason = " ".join(reason.split())[:300]
        request.save()
        subject = _Subject(user.username, department, user, unit, start)
        _log(
            GrantEventKind.OPERATOR_GRANTED,
            subject,
            actor=None,
            role=role,
            request=request,
            message=note,
        )
        if password is not None:
            _hand_over(
                subject,
                password=password,
                actor=None,
                role=role,
                request=request,
                message=f"{OPERATOR}.",
            )
    return OperatorGrant(role=role, request=request, password=password)


@dataclass(frozen=True)
class RoleSpec:
    """A role to grant with a new account: `department` at `unit` from `valid_from`."""

    unit: Unit
    department: str
    valid_from: date
    title: str = ""


@dataclass(frozen=True)
class AccountSpec:
    """A login to create (with its roles) in `accounts_create`."""

    username: str
    password: str
    full_name: str = ""
    member: Member | None = None
    is_admin: bool = False
    roles: tuple[RoleSpec, ...] = ()


@transaction.atomic
def accounts_create(
    *, accounts: Sequence[AccountSpec], actor: User | None = None, check_password: bool = True
) -> list[User]:
    """Create many logins with their roles (the demo's accounts), each through the same
    rules as `account_create` and `role_grant`; all or nothing."""
    users = []
    for spec in accounts:
        user = account_create(
            username=spec.username,
            password=spec.password,
            full_name=spec.full_name,
            member=spec.member,
            is_admin=spec.is_admin,
            actor=actor,
            check_password=check_password,
        )
        for role in spec.roles:
            role_grant(
                user=user,
                unit=role.unit,
                department=role.department,
                title=role.title,
                valid_from=role.valid_from,
                actor=actor,
            )
        users.append(user)
    return users
