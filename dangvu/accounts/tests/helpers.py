"""Codes of an authenticator app, as a phone would show them, for the sign-in tests."""

from __future__ import annotations

import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code(device_or_secret: TOTPDevice | str, *, steps_ahead: int = 0) -> str:
    """The app's six digits now (or `steps_ahead` periods of 30 s later: a code not yet
    used, since each code signs in once)."""
    if isinstance(device_or_secret, TOTPDevice):
        key = device_or_secret.bin_key
    else:
        text = "".join(device_or_secret.split()).upper()
        key = b32decode(text + "=" * (-len(text) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"
