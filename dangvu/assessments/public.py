"""The address phones open: what a QR code encodes and a printed link carries.

Behind a proxy, or when the demo is served to a hall from a laptop, the address the
server sees (127.0.0.1) is not one a phone can open: `DANGVU_PUBLIC_URL` names the one it
can. Without it, the request's own address is used."""

from __future__ import annotations

import socket
from contextlib import suppress

from django.conf import settings
from django.http import HttpRequest


def public_url(request: HttpRequest, path: str) -> str:
    """The absolute address of ``path`` (starting with "/") as a phone should open it."""
    base = str(getattr(settings, "DANGVU_PUBLIC_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


#: Addresses a server listens on that no phone can open: every interface of the machine.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def lan_address() -> str:
    """This machine's address on its local network: the source address the system would
    use to reach another network (a UDP socket's connect sends nothing), else the host
    name's address, else 127.0.0.1."""
    for probe in (("8.8.8.8", 80), ("10.255.255.255", 1)):
        with suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.connect(probe)
            address = str(udp.getsockname()[0])
            if _reachable(address):
                return address
    with suppress(OSError):
        address = socket.gethostbyname(socket.gethostname())
        if _reachable(address):
            return address
    return "127.0.0.1"


def _reachable(address: str) -> bool:
    """An address another machine could use: not loopback, not the wildcard."""
    return bool(address) and not address.startswith("127.") and address != "0.0.0.0"


def served_url(host: str, port: int) -> str:
    """The address to open for a server listening on ``host``:``port``; a server on every
    interface (0.0.0.0) is opened, from the phones on the same network, at the LAN address."""
    shown = lan_address() if host in WILDCARD_HOSTS else host
    if ":" in shown:  # an IPv6 address
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"
