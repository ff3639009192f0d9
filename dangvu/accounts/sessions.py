"""Database sessions that know their user, loaded with one hand-written query (every
request of a signed-in user loads its session; see dangvu.core.rawsql).

A session row (`accounts.UserSession`) holds Django's three columns plus its user (for the
page of one's sessions and "sign out everywhere"), the browser and address it was used
from, when it began and when it was last seen. Loading reads one more column than Django
would; `last_seen` is written at most once every TOUCH_EVERY, and only by the pages
(`SignInMiddleware` calls `touch`): the JSON API reads a session and never writes it for
that, so the assessment's bursts cost what they cost before.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, router, transaction
from django.utils import timezone

from dangvu.accounts.models import UserSession
from dangvu.core import rawsql

TOUCH_EVERY = timedelta(minutes=5)

_LOADED = rawsql.Columns((UserSession, "s", ["session_data", "last_seen"]))


def _user_id(data: dict[str, Any]) -> int | None:
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(db.SessionStore):
    #: (user agent, address) of the current request; set by SignInMiddleware on the pages.
    client: tuple[str, str | None] | None = None
    #: when the loaded session was last seen (None until loaded, or when there is none)
    last_seen: datetime | None = None

    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def _get_session_from_db(self) -> UserSession | None:
        key = self.session_key
        if key is not None:
            with rawsql.cursor() as cursor:
                cursor.execute(
                    f"SELECT {_LOADED.sql()} FROM {rawsql.table(UserSession)} s "
                    "WHERE s.session_key = %s AND s.expire_date > %s",
                    [key, rawsql.prep(UserSession, "expire_date", timezone.now())],
                )
                row = cursor.fetchone()
            if row is not None:
                data, self.last_seen = _LOADED.values(row)
                return UserSession(session_key=key, session_data=data)
        self._session_key = None
        return None

    def create_model_instance(self, data: dict[str, Any]) -> UserSession:
        session = super().create_model_instance(data)
        assert isinstance(session, UserSession)
        session.user_id = _user_id(data)
        session.last_seen = timezone.now()
        if self.client is not None:
            session.user_agent, session.address = self.client
        return session

    def save(self, must_create: bool = False) -> None:
        """Django's save, except that an update writes only what a request may change: the
        data, expiry, user and last seen (and the client when known), never when it began."""
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        session = self.create_model_instance(data)
        fields = None
        if not must_create:
            fields = ["session_data", "expire_date", "user", "last_seen"]
            if self.client is not None:
                fields += ["user_agent", "address"]
        using = router.db_for_write(UserSession, instance=session)
        try:
            with transaction.atomic(using=using):
                session.save(force_insert=must_create, update_fields=fields, using=using)
        except IntegrityError as error:
            if must_create:
                raise CreateError from error
            raise
        except DatabaseError as error:
            if not must_create:
                raise UpdateError from error
            raise
        self.last_seen = session.last_seen

    def touch(self) -> None:
        """Record that the loaded session is in use, if last recorded TOUCH_EVERY ago or more
        (a session saved in this request records it anyway)."""
        if self.last_seen is None or self.session_key is None or self.modified:
            return
        now = timezone.now()
        if now - self.last_seen < TOUCH_EVERY:
            return
        changes: dict[str, Any] = {"last_seen": now}
        if self.client is not None:
            changes["user_agent"], changes["address"] = self.client
        UserSession.objects.filter(session_key=self.session_key).update(**changes)
        self.last_seen = now
