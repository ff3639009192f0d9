"""Template context shared by every page: the navigation the user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "nav": {
            "units": scope.can(Capability.VIEW_UNITS),
            "members": scope.can(Capability.VIEW_MEMBERS),
            "exchange": any(
                scope.can(c)
                for c in (Capability.EXCHANGE, Capability.DISCIPLINE, Capability.SUPERVISION)
            ),
            "reports": scope.can(Capability.VIEW_REPORTS),
            "study": scope.can(Capability.VIEW_REPORTS),
            "reviews": scope.can(Capability.VIEW_MEMBERS),
            "supervision": scope.can(Capability.SUPERVISION) or scope.can(Capability.VIEW_REPORTS),
            "inspection": scope.can(Capability.DISCIPLINE),
            # Holders of inspection or leadership grant (and confirm grants of) their own.
            "accounts": scope.can(Capability.MANAGE_ACCOUNTS) or scope.can(Capability.DISCIPLINE),
            "audit": scope.is_admin,
            "own_record": user.member_id is not None,
        }
    }
