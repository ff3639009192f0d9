"""Django's database sessions, loaded with one hand-written query (every request of a
signed-in user loads its session; see dangvu.core.rawsql)."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from dangvu.core import rawsql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key is not None:
            with rawsql.cursor() as cursor:
                cursor.execute(
                    f"SELECT session_data FROM {rawsql.table(Session)} "
                    "WHERE session_key = %s AND expire_date > %s",
                    [key, rawsql.prep(Session, "expire_date", timezone.now())],
                )
                row = cursor.fetchone()
            if row is not None:
                return Session(session_key=key, session_data=row[0])
        self._session_key = None
        return None
