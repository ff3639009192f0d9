"""The client's address: one function for the login throttle, the audit trail and sessions.

Behind `PROXY_COUNT` reverse proxies, each proxy appends the address it was called from to
X-Forwarded-For, so the entry the outermost trusted proxy wrote is the PROXY_COUNT-th from
the right; everything to its left was written by the client and proves nothing. With no
proxy (0, the default) the header is ignored altogether and the peer address is the client.
The application's port must then be reachable only through the proxies (`dangvu serve`
listens on 127.0.0.1 unless told otherwise).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    """An IP address written by a proxy, normalised; a port some proxies add is dropped."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:4711
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:4711
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address the trusted proxies say the request came from (the peer without one).

    A chain shorter than PROXY_COUNT, or an entry that is not an address, means the request
    did not pass through the proxies as configured: the peer address is used, never a
    client-written entry."""
    peer = str(request.META.get("REMOTE_ADDR") or "")
    hops: int = settings.PROXY_COUNT
    if hops <= 0:
        return peer
    chain = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if len(chain) < hops:
        return peer
    return _address(chain[-hops]) or peer
