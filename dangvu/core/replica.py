"""Read replicas: reports, dashboards and exports read from a PostgreSQL streaming replica.

With `DANGVU_REPLICA_URL` set, settings add the database alias `replica`. Nothing reads from
it unless asked: the reading views and the export and report services opt in with
`reads_from_replica()` (a decorator or a context manager), and even then a read goes to the
replica only when all of these hold:

- it is not inside a transaction on the primary (a read inside a write path sees that
  path's own uncommitted rows, and a `select_for_update` must lock the primary's row);
- the request is safe (GET, HEAD, OPTIONS): a POST's view is a write path as a whole;
- the browser has not written in the last `DANGVU_REPLICA_STICKY` seconds (read your own
  writes, below);
- the replica is up and its replay is no more than `DANGVU_REPLICA_MAX_LAG` seconds behind
  (checked with one cheap query at most every `DANGVU_REPLICA_CHECK_INTERVAL` seconds per
  process and cached; a fall back to the primary is logged when it starts, then at most once
  a minute while it lasts, and when the replica is back).

Writes always go to the primary (`db_for_write`), and the quick assessment and its token API
never opt in. Migrations run on the primary only.

Read your own writes: `ReadYourWritesMiddleware` answers every unsafe request (POST, PUT,
PATCH, DELETE: whatever it wrote, if anything) with a short signed cookie, `dangvu_wrote`,
that lives `DANGVU_REPLICA_STICKY` seconds (default 5); while a request carries it, that
browser reads from the primary. A cookie rather than the session: no session write per
request, it works the same behind several app servers, and it costs nothing when the
browser has not written. It is per browser, which is where a user looks for what they just
did. Work outside a request (the CLI, a job) opts in without it: it gets the lag bound only.

If the replica goes away in the middle of a decorated call (its queries fail and a fresh
check confirms it is down), the call is run again on the primary: the user gets the page,
and the log says why.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("dangvu.replica")

REPLICA = "replica"
COOKIE = "dangvu_wrote"
COOKIE_SALT = "dangvu.core.replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: While the primary stands in for the replica, the log repeats it at most this often.
LOG_EVERY_S = 60.0
#: Tables read on every request by the middleware stack, before any view: the primary's.
PRIMARY_ONLY = frozenset(
    {
        "accounts.usersession",
        "django_cache.cacheentry",  # the shared cache (Django's database cache asks the router)
        "jobs.job",  # a job's state is read while its worker writes it
        "django_tasks_db.dbtaskresult",  # the queue
    }
)

# Whether it is a standby, and its lag in seconds: 0 when it is streaming from the primary
# and has replayed all it received, else the age of the last transaction it replayed (NULL:
# none yet). A standby whose WAL receiver is gone (a network split, the primary unreachable)
# has replayed all it received, and that is old: it is judged by the replay's age.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN (SELECT pid FROM pg_stat_wal_receiver) IS NOT NULL
                 AND pg_last_wal_receive_lsn() IS NOT NULL
                 AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())
       END
"""


class _Call:
    """One opted-in call: whether any of its reads went to the replica."""

    used = False


_wanted: ContextVar[_Call | None] = ContextVar("dangvu_replica_wanted", default=None)
_pinned: ContextVar[bool] = ContextVar("dangvu_replica_pinned", default=False)

F = TypeVar("F", bound=Callable[..., Any])


def configured() -> bool:
    return REPLICA in connections.settings


def max_lag() -> float:
    return float(getattr(settings, "REPLICA_MAX_LAG", 10))


def sticky_seconds() -> int:
    return int(getattr(settings, "REPLICA_STICKY", 5))


def check_interval() -> float:
    return float(getattr(settings, "REPLICA_CHECK_INTERVAL", 3))


# -- the replica's health ------------------------------------------------------------------


@dataclass
class Health:
    usable: bool = False
    reason: str = "not checked yet"
    checked_at: float = float("-inf")
    last_logged: float = float("-inf")
    #: What the log last said: "ok" or "fallback" (a change is always logged).
    logged_state: str = "ok"


_health = Health()
_health_lock = threading.Lock()


def probe() -> tuple[bool, str]:
    """One query on the replica: (usable, why not)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as error:
        with suppress(DatabaseError):  # already broken: the next use opens a new one
            connections[REPLICA].close()
        text = str(error).strip()
        return False, f"the replica is unreachable ({text.splitlines()[0] if text else error!r})"
    if not in_recovery:
        # A promoted standby is a second primary: reading from it would miss new writes.
        return False, "the replica is not in recovery (promoted?)"
    if lag is None:
        return False, "the replica has not replayed a transaction yet"
    if float(lag) > max_lag():
        return False, f"the replica is {float(lag):.1f} s behind (at most {max_lag():g} s)"
    return True, ""


def _record(usable: bool, reason: str, now: float) -> None:
    """Keep the result and log a change, or a lasting fall back once per LOG_EVERY_S."""
    _health.usable, _health.reason, _health.checked_at = usable, reason, now
    if usable:
        if _health.logged_state != "ok":
            log.warning("Read replica back in use: reports and exports read from it again")
            _health.logged_state = "ok"
        return
    if _health.logged_state != "fallback" or now - _health.last_logged >= LOG_EVERY_S:
        log.warning("Read replica not used, reading from the primary: %s", reason)
        _health.logged_state, _health.last_logged = "fallback", now


def replica_usable(*, fresh: bool = False) -> bool:
    """Whether the replica may serve reads now (cached `check_interval()` seconds per
    process; a thread that finds another one checking uses the last answer)."""
    now = time.monotonic()
    if not fresh and now - _health.checked_at < check_interval():
        return _health.usable
    if not _health_lock.acquire(blocking=fresh):
        return _health.usable
    try:
        if not fresh and now - _health.checked_at < check_interval():
            return _health.usable
        usable, reason = probe()
        _record(usable, reason, time.monotonic())
        return usable
    finally:
        _health_lock.release()


def forget_health() -> None:
    """Check again at the next read (tests; a new replica)."""
    with _health_lock:
        _health.checked_at = float("-inf")


# -- the opt-in ----------------------------------------------------------------------------


def use_replica() -> bool:
    """Whether a read asked for now goes to the replica."""
    call = _wanted.get()
    if (
        call is None
        or _pinned.get()
        or not configured()
        or connections[DEFAULT_DB_ALIAS].in_atomic_block
        or not replica_usable()
    ):
        return False
    call.used = True
    return True


@contextmanager
def _wanting() -> Iterator[_Call]:
    call = _Call()
    token = _wanted.set(call)
    try:
        yield call
    finally:
        _wanted.reset(token)


class reads_from_replica:  # a phrase: `with reads_from_replica():`
    """Reads inside may go to the replica (see the module's rules).

    As a decorator (`@reads_from_replica()`), a call whose reads on the replica fail (it
    went away, or PostgreSQL cancelled a query in conflict with the replay) is run again on
    the primary; as a context manager it only marks the reads inside.
    """

    def __enter__(self) -> None:
        self._cm = _wanting()
        self._cm.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._cm.__exit__(*exc)

    def __call__(self, func: F) -> F:
        @wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if _wanted.get() is not None or not configured():
                return func(*args, **kwargs)
            with _wanting() as call:
                try:
                    return func(*args, **kwargs)
                except DatabaseError as error:
                    if not call.used:
                        raise  # the primary's error, not the replica's
                    if replica_usable(fresh=True):  # else the check has logged why
                        log.warning("A read on the replica failed, the primary answers: %s", error)
            with _pinning():
                return func(*args, **kwargs)

        return cast(F, inner)


@contextmanager
def _pinning() -> Iterator[None]:
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


#: For reads that must never be stale, whatever the caller opted in to (the user's roles).
on_primary = _pinning


# -- the router and the middleware -----------------------------------------------------------


class ReplicaRouter:
    """Reads to the replica where `use_replica()` says so; everything else to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        # Django's database cache passes a stand-in model whose options have no label_lower.
        meta = model._meta
        if f"{meta.app_label}.{meta.model_name}" in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        return REPLICA if use_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read there may point at one
        # written here.
        known = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in known and obj2._state.db in known:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


class ReadYourWritesMiddleware:
    """Safe requests of a browser that wrote in the last few seconds, and every unsafe
    request, read from the primary; an unsafe request leaves the cookie that says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        unsafe = request.method not in SAFE_METHODS
        token = _pinned.set(unsafe or self.wrote_recently(request))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if unsafe:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=COOKIE_SALT,
                max_age=sticky_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def wrote_recently(request: HttpRequest) -> bool:
        if COOKIE not in request.COOKIES:
            return False
        try:
            request.get_signed_cookie(COOKIE, salt=COOKIE_SALT, max_age=sticky_seconds())
        except (KeyError, signing.BadSignature):
            return False
        return True
