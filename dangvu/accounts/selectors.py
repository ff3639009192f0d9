"""Reads of accounts, roles and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auditlog.models import LogEntry
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from dangvu.accounts import grants
from dangvu.accounts.models import (
    GrantEvent,
    GrantEventKind,
    GrantRequest,
    GrantStatus,
    Role,
    User,
    UserSession,
)
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.accounts.signin import has_device
from dangvu.core.errors import DomainError
from dangvu.lib.numbers import MAX_ID, int_or_none
from dangvu.units.models import UnitVersion


@dataclass
class RoleSummary:
    role: Role
    unit_name: str
    active: bool
    revocable: bool = False  # by the actor looking (account pages only)


def _unit_names(roles: list[Role]) -> dict[int, str]:
    names: dict[int, str] = {}
    for version in UnitVersion.objects.filter(unit_id__in={r.unit_id for r in roles}).order_by(
        "valid_from"
    ):
        names[version.unit_id] = version.name  # the latest name wins
    return names


def role_summaries(*, user: User, actor: User | None = None) -> list[RoleSummary]:
    """The user's roles; with `actor`, whether the actor may end each of them."""
    roles = list(
        Role.objects.filter(user=user).select_related("unit", "grant_request").order_by("-valid_to")
    )
    names = _unit_names(roles)
    now = today()
    summaries = []
    for role in roles:
        active = role.is_active_on(now)
        revocable = active and actor is not None and grants.may_revoke(actor=actor, role=role)
        summaries.append(
            RoleSummary(role, names.get(role.unit_id, role.unit.code), active, revocable)
        )
    return summaries


def accounts_visible(*, actor: User, query: str = "") -> QuerySet[User]:
    """Accounts an administrator sees (all); an organisation officer, or a holder of a
    guarded department (who grants it): those holding a role, or asked a role for, inside
    the subtree they manage accounts for or hold that department over."""
    scope = scope_for(actor)
    qs = User.objects.all()
    if not actor.is_superuser:
        reach = scope.version_ever_filter(Capability.MANAGE_ACCOUNTS) | scope.version_ever_filter(
            Capability.DISCIPLINE
        )
        reached = UnitVersion.objects.filter(reach, unit_id=OuterRef("unit_id"))
        roles = Role.objects.filter(Exists(reached), user_id=OuterRef("pk"))
        asked = GrantRequest.objects.filter(Exists(reached), user_id=OuterRef("pk"))
        qs = qs.filter(Exists(roles) | Exists(asked), is_superuser=False)
    if query.strip():
        qs = qs.filter(Q(username__icontains=query.strip()) | Q(full_name__icontains=query.strip()))
    return qs.order_by("username")


def account_for(*, actor: User, user_id: int) -> User:
    account = accounts_visible(actor=actor).filter(pk=user_id).first()
    if account is None:
        raise Http404("Không tìm thấy tài khoản.")
    return account


def role_for(*, actor: User, account: User, role_id: int) -> Role:
    """A role of an account the actor sees, at a unit the actor manages accounts for or
    holds a guarded department over (whether the actor may end it: the grant policy's)."""
    role = Role.objects.filter(pk=role_id, user=account).select_related("user", "unit").first()
    scope = scope_for(actor)
    if role is None or not (
        actor.is_superuser
        or scope.units(Capability.MANAGE_ACCOUNTS).filter(pk=role.unit_id).exists()
        or scope.units(Capability.DISCIPLINE).filter(pk=role.unit_id).exists()
    ):
        raise Http404("Không tìm thấy vai trò.")
    return role


# -- grants of the guarded departments (inspection, leadership) -------------------------


def account_requests(*, account: User) -> QuerySet[GrantRequest]:
    """The grant requests made for an account, newest first (its account page)."""
    return GrantRequest.objects.filter(user=account).select_related(
        "unit", "requested_by", "decided_by"
    )


@dataclass
class GrantReview:
    """What a holder of a guarded department sees of the grants of those departments."""

    to_decide: list[GrantRequest]  # pending, and the actor may confirm or refuse them
    unconfirmed: list[GrantRequest]  # every grant made without confirmation
    refusals: list[GrantEvent]  # refused attempts at a guarded department, latest first


def may_review_grants(*, actor: User) -> bool:
    """Holders of a guarded department in force today review its grants."""
    return bool(grants.held_departments(actor))


def grant_review(*, actor: User) -> GrantReview:
    if not may_review_grants(actor=actor):
        raise Http404()
    related = ("user", "unit", "requested_by", "decided_by", "role")
    pending = GrantRequest.objects.filter(status=GrantStatus.PENDING).select_related(*related)
    to_decide = [r for r in pending if _decides(actor, r)]
    unconfirmed = list(
        GrantRequest.objects.filter(without_confirmation=True).select_related(*related)
    )
    refusals = list(
        GrantEvent.objects.filter(
            kind=GrantEventKind.REFUSED, department__in=grants.GUARDED
        ).select_related("actor", "unit")[:100]
    )
    return GrantReview(to_decide, unconfirmed, refusals)


def _decides(actor: User, request: GrantRequest) -> bool:
    try:
        grants.check_confirmer(actor=actor, request=request)
    except DomainError:
        return False
    return True


def grant_hands_over(*, actor: User, account: User) -> bool:
    """Whether a grant `actor` makes on `account`'s page may hand the account over: she
    holds a guarded department (which she grants herself) and the account holds no guarded
    role that was vouched for (`grants.handover_due`)."""
    return (
        account.pk != actor.pk
        and bool(grants.held_departments(actor))
        and grants.handover_due(account)
    )


@dataclass
class AccountFacts:
    """What a holder sees of an account before confirming a guarded role for it: the
    person it is linked to, and whether someone already uses it."""

    account: User
    roles: list[RoleSummary]
    enrolled: bool  # two-factor sign-in set up (a phone, whose?)
    sessions: int  # signed-in sessions now


def grant_account_facts(*, account: User) -> AccountFacts:
    return AccountFacts(
        account=account,
        roles=role_summaries(user=account),
        enrolled=has_device(account),
        sessions=UserSession.objects.filter(user=account).count(),
    )


def grant_request_for(*, actor: User, request_id: int) -> GrantRequest:
    """A pending request the actor may confirm or refuse, else 404."""
    request = (
        GrantRequest.objects.filter(pk=request_id, status=GrantStatus.PENDING)
        .select_related("user", "user__member", "unit", "requested_by", "role")
        .first()
    )
    if request is None or not _decides(actor, request):
        raise Http404("Không tìm thấy đề nghị.")
    return request


def audit_entries(
    *,
    actor: User,
    model: str = "",
    object_pk: str = "",
    user_id: str = "",
    since: date | None = None,
) -> QuerySet[LogEntry]:
    """The audit trail, for administrators only."""
    if not actor.is_superuser:
        raise Http404()
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if model:
        qs = qs.filter(content_type__model=model)
    if object_pk:
        qs = qs.filter(object_pk=object_pk)
    if int_or_none(user_id, low=1, high=MAX_ID) is not None:
        qs = qs.filter(actor_id=int(user_id))
    if since:
        qs = qs.filter(timestamp__date__gte=since)
    return qs
