"""Who may give whom which access: the grant policy, in one place.

Every path that creates, widens, extends or ends a role goes through the services of
`accounts/services.py`, which ask this module; pages ask it what to offer. It only reads.

1. Nobody grants themselves a role: a grant to oneself would widen or extend one's own
   reach. Ending one's own role only narrows it and is allowed.
2. The administrator never holds a guarded department: the administrator never reads cases.
3. The ordinary departments (organisation, propaganda, office, front, secretary, member) are
   granted by whoever manages accounts (`MANAGE_ACCOUNTS`) over the unit through a role in
   force today, and on the role's first day when it starts earlier (nobody hands out a past
   they did not reach), or by the administrator.
4. The guarded departments — those carrying `DISCIPLINE`: inspection and leadership — are
   granted directly only by a holder of that same department whose role, in force today,
   reaches the unit. The administrator or an account manager over the unit may only ask:
   the request waits for a holder's confirmation (`GrantRequest`). The confirmers are the
   holders of the department at or above the unit today; when there are none, every holder
   of the department, so that a second key is needed as soon as anyone holds it. Neither the
   account concerned nor the one who asked confirms. When nobody could confirm and nobody
   ever held the department (a fresh installation), the role is made at once and flagged as
   granted without confirmation; once someone has held it, a request waits for a holder
   even when none stands today (ending every holder's role opens nothing).
5. A role is ended by whoever manages accounts over its unit, by a holder of its guarded
   department reaching its unit, or by the administrator.
6. A guarded role takes effect for a person, not for whoever holds the account's password:
   whoever creates an account knows its one-time password, and could sign in first and
   enrol her own phone. So when a holder grants a guarded role directly, or confirms a
   request for one (or the operator grants one on the server), the account is handed over
   (`handover_due`): a one-time password the holder sets replaces its password, its
   two-factor devices are removed and its sessions end; the holder gives the password to
   the person, who sets their own and enrols their own phone at the first sign-in. Not
   when the account already holds a guarded role, not ended, that someone stood behind
   (granted by a holder, confirmed, or made by the system): it was handed over then, and
   since only a holder may reset it (`services_signin._reset_refusal`), it stayed with
   its person.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from dangvu.accounts.models import (
    Department,
    GrantEvent,
    GrantEventKind,
    GrantRequest,
    GrantStatus,
    Role,
    User,
)
from dangvu.accounts.permissions import DEPARTMENT_CAPABILITIES, Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core.effective import active_on
from dangvu.core.errors import DomainError
from dangvu.units.models import UnitVersion

if TYPE_CHECKING:
    from dangvu.units.models import Unit

#: The departments whose roles read inspection and discipline records.
GUARDED: frozenset[str] = frozenset(
    department
    for department, caps in DEPARTMENT_CAPABILITIES.items()
    if Capability.DISCIPLINE in caps
)

SELF_GRANT = "Không ai được tự cấp, mở rộng hay gia hạn vai trò của chính mình."
ADMIN_GUARDED = (
    "Tài khoản quản trị không giữ vai trò {department}: quản trị hệ thống không đọc hồ sơ "
    "kiểm tra, kỷ luật."
)
OUT_OF_SCOPE = "Bạn không có quyền cấp vai trò tại đơn vị này."
NOT_YOUR_DEPARTMENT = "Bạn không có quyền cấp vai trò {department}."
UNIT_GONE = "Đơn vị {code} không còn tồn tại hôm nay; không thể đề nghị cấp vai trò tại đó."
ALREADY_DECIDED = "Đề nghị này đã được xử lý."
OWN_REQUEST = "Không ai được tự xác nhận việc cấp vai trò cho chính mình hoặc do mình đề nghị."
NOT_A_CONFIRMER = (
    "Chỉ người đang giữ vai trò {department} ở đơn vị này hoặc cấp trên mới xác nhận được."
)


class Route(StrEnum):
    """How a grant the policy allows takes effect."""

    GRANT = "grant"  # now, by the actor's own right
    REQUEST = "request"  # when a holder of the department confirms it
    UNCONFIRMED = "unconfirmed"  # now, flagged: nobody could confirm it


def department_label(department: str) -> str:
    return str(Department(department).label) if department in Department.values else department


def _path_on(unit: Unit, day: date) -> str | None:
    return (
        UnitVersion.objects.filter(active_on(day), unit=unit).values_list("path", flat=True).first()
    )


def unit_path_today(unit: Unit) -> str | None:
    """The unit's path in the tree today; None when it no longer (or not yet) exists."""
    return _path_on(unit, today())


def holds(actor: User, department: str, unit: Unit, day: date) -> bool:
    """`actor` holds `department` through a role covering `day` that reaches `unit` then."""
    paths = [
        r.path for r in scope_for(actor).reaches if r.department == department and r.covers(day)
    ]
    if not paths:
        return False
    unit_path = _path_on(unit, day)
    return unit_path is not None and any(unit_path.startswith(p) for p in paths)


def manages(actor: User, unit: Unit, day: date) -> bool:
    """`actor` manages accounts over `unit` on `day` (the administrator: always)."""
    return actor.is_superuser or scope_for(actor).reaches_unit_on(
        Capability.MANAGE_ACCOUNTS, unit, day
    )


def _days(start: date) -> list[date]:
    """Today, and the role's first day when it starts earlier."""
    now = today()
    return [now, start] if start < now else [now]


def confirmers(*, unit: Unit, department: str, excluding: set[int | None]) -> QuerySet[User]:
    """Who may confirm a grant of guarded `department` at `unit`: the holders at or above
    the unit today, or, when there are none, every holder of the department today."""
    now = today()
    unit_exists = UnitVersion.objects.filter(active_on(now), unit_id=OuterRef("unit_id"))
    holders = Role.objects.filter(
        active_on(now),
        Exists(unit_exists),
        department=department,
        user__is_active=True,
        user__is_superuser=False,
    ).exclude(user_id__in={pk for pk in excluding if pk is not None})
    path = _path_on(unit, now)
    if path is not None:
        above = holders.filter(unit_id__in=[int(p) for p in path.strip("/").split("/") if p])
        if above.exists():
            holders = above
    return User.objects.filter(pk__in=holders.values("user_id"))


def grant_route(
    *, actor: User, user: User | None, unit: Unit, department: str, start: date
) -> Route:
    """How `actor` may grant `department` at `unit` from `start` to `user` (None: an
    account being created), or a DomainError saying why not."""
    if user is not None and user.pk == actor.pk:
        raise DomainError(SELF_GRANT)
    days = _days(start)
    if department not in GUARDED:
        if all(manages(actor, unit, day) for day in days):
            return Route.GRANT
        if not actor.is_superuser and not scope_for(actor).can(Capability.MANAGE_ACCOUNTS):
            raise DomainError(NOT_YOUR_DEPARTMENT.format(department=department_label(department)))
        raise DomainError(OUT_OF_SCOPE)
    if user is not None and user.is_superuser:
        raise DomainError(ADMIN_GUARDED.format(department=department_label(department)))
    if all(holds(actor, department, unit, day) for day in days):
        return Route.GRANT
    if not all(manages(actor, unit, day) for day in days):
        if department in held_departments(actor) or scope_for(actor).can(
            Capability.MANAGE_ACCOUNTS
        ):
            raise DomainError(OUT_OF_SCOPE)
        raise DomainError(NOT_YOUR_DEPARTMENT.format(department=department_label(department)))
    if _path_on(unit, today()) is None:
        raise DomainError(UNIT_GONE.format(code=unit.code))
    excluding = {actor.pk, user.pk if user is not None else None}
    if confirmers(unit=unit, department=department, excluding=excluding).exists():
        return Route.REQUEST
    if ever_held(department):
        return Route.REQUEST  # waits for a holder: ending the holders' roles opens nothing
    return Route.UNCONFIRMED


def ever_held(department: str) -> bool:
    """Someone has held `department` in this installation (a role of it, even ended, or a
    grant of it in the grant log): it is no fresh installation any more. Whoever may end
    roles (the administrator, an account manager) could otherwise end every holder's role
    and then grant the department without confirmation."""
    granted = (
        GrantEventKind.GRANTED,
        GrantEventKind.GRANTED_UNCONFIRMED,
        GrantEventKind.CONFIRMED,
        GrantEventKind.OPERATOR_GRANTED,
    )
    return (
        Role.objects.filter(department=department).exists()
        or GrantEvent.objects.filter(department=department, kind__in=granted).exists()
    )


def handover_due(user: User) -> bool:
    """A guarded role taking effect for `user` hands the account over to the person (rule
    6): unless the account holds a guarded role, not ended, that was vouched for — one
    not waiting as a grant made without confirmation."""
    vouched = (
        Role.objects.filter(user=user, department__in=GUARDED)
        .valid_after(today())
        .exclude(grant_request__status=GrantStatus.PENDING)
        .exists()
    )
    return not vouched


def check_confirmer(*, actor: User, request: GrantRequest) -> None:
    """Raise unless `actor` may confirm or refuse the pending `request`."""
    if request.status != GrantStatus.PENDING:
        raise DomainError(ALREADY_DECIDED)
    if actor.pk in (request.user_id, request.requested_by_id):
        raise DomainError(OWN_REQUEST)
    excluding = {request.user_id, request.requested_by_id}
    able = confirmers(unit=request.unit, department=request.department, excluding=excluding)
    if not able.filter(pk=actor.pk).exists():
        raise DomainError(NOT_A_CONFIRMER.format(department=department_label(request.department)))


def revoke_check_day(role: Role, day: date) -> date:
    """The day the right to end `role` is judged: `day`, or the role's (or its unit's)
    last day when it ended sooner — a unit merged away reaches nobody after it ended, yet
    its open roles must stay revocable."""
    last = min(role.valid_to, role.unit.dissolved_on) - timedelta(days=1)
    return max(role.valid_from, min(day, last))


def check_revoker(*, actor: User, role: Role, day: date) -> None:
    """Raise unless `actor` may end `role` from `day`."""
    judged = revoke_check_day(role, day)
    if manages(actor, role.unit, judged):
        return
    if role.department in GUARDED and holds(actor, role.department, role.unit, judged):
        return
    raise DomainError(OUT_OF_SCOPE)


def may_revoke(*, actor: User, role: Role) -> bool:
    try:
        check_revoker(actor=actor, role=role, day=today())
    except DomainError:
        return False
    return True


def held_departments(actor: User) -> set[str]:
    """The guarded departments `actor` holds through a role in force today."""
    now = today()
    return {
        r.department for r in scope_for(actor).reaches if r.department in GUARDED and r.covers(now)
    }


def grantable_departments(actor: User) -> list[str]:
    """The departments `actor` may grant (or ask for) somewhere: what the role form offers."""
    if actor.is_superuser or scope_for(actor).can(Capability.MANAGE_ACCOUNTS):
        return list(Department.values)
    held = held_departments(actor)
    return [d for d in Department.values if d in held]
