"""Signing in, step by step: password, then the two-factor code, a new password, enrolment.

Who needs two-factor sign-in (`two_factor_required`): an administrator, and anyone whose
roles reach inspection and discipline records (Capability.DISCIPLINE), accounts
(MANAGE_ACCOUNTS) or a whole province (a role at a root unit). Everyone else may turn it
on. The demo relaxes the requirement (settings.TWO_FACTOR_REQUIRED).

A correct password does not sign anyone in by itself. It opens a *pending* sign-in, kept in
the anonymous session for PENDING_SECONDS, and the steps that remain follow in this order:
the code of an enrolled device (or a recovery code); a new password, if the one typed was a
one-time password set by an officer; enrolment, if two-factor sign-in is required and not
set up. Only when none remains does `complete` call Django's `login`, so no session is ever
signed in (not even for the JSON API, which does not run the pages' middleware) without the
code of a user who has a device. A signed-in session carries `otp_device_id` (django-otp's
key) when it was verified with a device.

`SignInMiddleware` holds the pages to the same rules for a session signed in some other way
(Django's admin, `force_login`, a role granted since): it turns such a session back into a
pending sign-in at the step it misses.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, login, logout
from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for

if TYPE_CHECKING:
    from dangvu.accounts.models import User

PENDING_KEY = "dangvu_signin"
PENDING_SECONDS = 10 * 60
MAX_CODE_FAILURES = 5

CODE, PASSWORD, ENROL = "code", "password", "enrol"


def two_factor_required(user: User) -> bool:
    """Whether the account must sign in with a second factor (see the module docstring)."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    scope = scope_for(user)
    return (
        user.is_superuser
        or scope.can(Capability.DISCIPLINE)
        or scope.can(Capability.MANAGE_ACCOUNTS)
        or any(reach.path.strip("/").count("/") == 0 for reach in scope.reaches)
    )


def has_device(user: User) -> bool:
    """Two-factor sign-in is set up: a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


@dataclass
class Pending:
    """A sign-in whose password was right, waiting for its remaining steps."""

    user: int
    backend: str
    next: str
    at: float
    device: str = ""  # persistent id of the device whose code was given
    failures: int = 0
    # The password it was begun with (Django's session hash of it): a pending sign-in dies
    # when the password is replaced (a reset, an account handed over), so nobody who typed
    # the old one goes on to choose the new password the one-time one asks for.
    password: str = ""


def begin(request: HttpRequest, user: User, *, backend: str, next_url: str) -> Pending:
    """Open a pending sign-in after the right password, under a new session key: the
    steps that follow (a new password, enrolment) act as the user, so they must not run
    in a session someone else planted and still holds the key of (session fixation;
    Django's `login` does the same, but only at the end)."""
    pending = Pending(
        user=user.pk,
        backend=backend,
        next=next_url,
        at=time.time(),
        password=user.get_session_auth_hash(),
    )
    request.session.cycle_key()
    rotate_token(request)
    save(request, pending)
    return pending


def save(request: HttpRequest, pending: Pending) -> None:
    request.session[PENDING_KEY] = asdict(pending)


def forget(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_of(request: HttpRequest) -> tuple[Pending, User] | None:
    """The pending sign-in of this browser and its user, unless expired or gone."""
    from dangvu.accounts.models import User

    raw = request.session.get(PENDING_KEY)
    if not isinstance(raw, dict):
        return None
    try:
        pending = Pending(**raw)
    except TypeError:
        forget(request)
        return None
    user = User.objects.filter(pk=pending.user, is_active=True).first()
    if (
        user is None
        or time.time() - pending.at > PENDING_SECONDS
        or not constant_time_compare(pending.password, user.get_session_auth_hash())
    ):
        forget(request)
        return None
    return pending, user


def password_changed(request: HttpRequest, user: User, pending: Pending) -> None:
    """The user chose their own password at a step: the pending sign-in goes on with it."""
    pending.password = user.get_session_auth_hash()
    save(request, pending)


def next_step(user: User, pending: Pending) -> str | None:
    """The first step still missing, or None when the user may be signed in."""
    enrolled = has_device(user)
    if enrolled and not pending.device:
        return CODE
    if user.must_change_password:
        return PASSWORD
    if not enrolled and two_factor_required(user):
        return ENROL
    return None


def complete(request: HttpRequest, user: User, pending: Pending) -> None:
    """Sign the user in (a new session key), marked verified when a device gave a code."""
    device = Device.from_persistent_id(pending.device) if pending.device else None
    forget(request)
    login(request, user, backend=pending.backend)
    if device is not None:
        otp_login(request, device)


def resume(request: HttpRequest, user: User) -> str | None:
    """For a signed-in session that misses a step: sign it out into a pending sign-in and
    return the step; None when the session may stay as it is."""
    pending = Pending(
        user=user.pk,
        backend=str(request.session.get(BACKEND_SESSION_KEY, settings.AUTHENTICATION_BACKENDS[-1])),
        next=request.get_full_path() if request.method == "GET" else "",
        at=time.time(),
        device=str(request.session.get(DEVICE_ID_SESSION_KEY, "")),
        password=user.get_session_auth_hash(),
    )
    if user.must_change_password:
        step = PASSWORD
    elif pending.device or not two_factor_required(user):
        return None
    else:
        step = CODE if has_device(user) else ENROL
    logout(request)
    save(request, pending)
    return step
