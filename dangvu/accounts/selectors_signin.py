"""Reads of one's own sign-in: the authenticator app, recovery codes left, sessions."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.models import User, UserSession

# (marker in the User-Agent, name shown), the first match wins: order matters.
BROWSERS = [
    ("coc_coc_browser", "Cốc Cốc"),
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Zalo", "Zalo"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def secret_of(device: TOTPDevice) -> str:
    """The app's secret as typed into an authenticator by hand: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def device_of(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def sessions_of(*, user: User) -> QuerySet[UserSession]:
    """The user's own sessions that have not expired, the latest seen first."""
    return UserSession.objects.filter(user=user, expire_date__gt=timezone.now()).order_by(
        "-last_seen", "-created_at"
    )


def describe_agent(agent: str) -> str:
    """ "Chrome trên Android" from a User-Agent string (enough to recognise one's devices)."""
    browser = next((name for mark, name in BROWSERS if mark in agent), "")
    system = next((name for mark, name in SYSTEMS if mark in agent), "")
    if browser and system:
        return f"{browser} trên {system}"
    return browser or system or "Trình duyệt không rõ"


@dataclass(frozen=True)
class SessionRow:
    device: str
    user_agent: str
    address: str
    created_at: datetime
    last_seen: datetime
    current: bool


def session_rows(*, user: User, current: str) -> list[SessionRow]:
    return [
        SessionRow(
            device=describe_agent(s.user_agent),
            user_agent=s.user_agent,
            address=s.address or "",
            created_at=s.created_at,
            last_seen=s.last_seen,
            current=s.session_key == current,
        )
        for s in sessions_of(user=user)
    ]
