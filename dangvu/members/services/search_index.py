"""The member search entries (`MemberSearchEntry`, PostgreSQL only).

Database triggers keep them in step with members, memberships and unit versions, whatever
writes them (services, bulk imports with COPY, reorganisations that rewrite paths): nothing
needs to call these functions for the search to stay right. They rebuild the entries from
the records — after a restore that bypassed triggers (`session_replication_role`), say —
and let tests compare the kept entries with a rebuild. SQLite has no entries: both do
nothing there."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection


def refresh(member_ids: Iterable[int]) -> None:
    """Recompute the entries of these members from their memberships."""
    if connection.vendor != "postgresql":
        return
    ids = sorted(set(member_ids))
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT members_search_refresh(%s::bigint[])", [ids])


def rebuild() -> None:
    """Recompute every entry from the records (one set-based statement)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT members_search_rebuild()")
        cursor.execute("ANALYZE members_membersearchentry")
