"""Reads of accounts, roles and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auditlog.models import LogEntry
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import Role, User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.lib.numbers import MAX_ID, int_or_none
from dangvu.units.models import UnitVersion


@dataclass
class RoleSummary:
    role: Role
    unit_name: str
    active: bool


def _unit_names(roles: list[Role]) -> dict[int, str]:
    names: dict[int, str] = {}
    for version in UnitVersion.objects.filter(unit_id__in={r.unit_id for r in roles}).order_by(
        "valid_from"
    ):
        names[version.unit_id] = version.name  # the latest name wins
    return names


def role_summaries(*, user: User) -> list[RoleSummary]:
    roles = list(Role.objects.filter(user=user).select_related("unit").order_by("-valid_to"))
    names = _unit_names(roles)
    now = today()
    return [RoleSummary(r, names.get(r.unit_id, r.unit.code), r.is_active_on(now)) for r in roles]


def accounts_visible(*, actor: User, query: str = "") -> QuerySet[User]:
    """Accounts an administrator sees (all), or an organisation officer: those holding a
    role inside the subtree they manage accounts for."""
    scope = scope_for(actor)
    qs = User.objects.all()
    if not actor.is_superuser:
        reached = UnitVersion.objects.filter(
            scope.version_ever_filter(Capability.MANAGE_ACCOUNTS), unit_id=OuterRef("unit_id")
        )
        roles = Role.objects.filter(Exists(reached), user_id=OuterRef("pk"))
        qs = qs.filter(Exists(roles), is_superuser=False)
    if query.strip():
        qs = qs.filter(Q(username__icontains=query.strip()) | Q(full_name__icontains=query.strip()))
    return qs.order_by("username")


def account_for(*, actor: User, user_id: int) -> User:
    account = accounts_visible(actor=actor).filter(pk=user_id).first()
    if account is None:
        raise Http404("Không tìm thấy tài khoản.")
    return account


def role_for(*, actor: User, account: User, role_id: int) -> Role:
    role = Role.objects.filter(pk=role_id, user=account).first()
    if role is None or not (
        actor.is_superuser
        or scope_for(actor).units(Capability.MANAGE_ACCOUNTS).filter(pk=role.unit_id).exists()
    ):
        raise Http404("Không tìm thấy vai trò.")
    return role


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
