"""Django's model backend, reading the signed-in user with one hand-written query.

Every request of a signed-in user loads the user; in a join burst that is tens of
thousands of loads (see dangvu.core.rawsql for why the ORM is avoided on hot paths)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends

from dangvu.accounts.models import User
from dangvu.core import rawsql

_USER = rawsql.Columns((User, "u", [f.attname for f in User._meta.concrete_fields]))


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        with rawsql.cursor() as cursor:
            cursor.execute(
                f"SELECT {_USER.sql()} FROM {rawsql.table(User)} u WHERE u.id = %s", [pk]
            )
            row = cursor.fetchone()
        if row is None:
            return None
        (user,) = _USER.instances(row)
        assert isinstance(user, User)
        return user if self.user_can_authenticate(user) else None
