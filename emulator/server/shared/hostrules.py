"""Who may talk to ``serve``: the Host and Origin rule, written once for every face.

``serve`` runs next to a browser.  A web page can make the browser send requests to
127.0.0.1 (cross-site requests) or, through DNS rebinding, to a name it controls that
resolves to 127.0.0.1.  Both are stopped here: the ``Host`` header must be a loopback
name or address, or a host the operator allowed (``--allow-host``), and a request that
carries an ``Origin`` must come from such a host too.  The vendor SDKs send no Origin
and the Host of the endpoint they were given, so they are never affected.

The rule is an aiohttp middleware on the root application, so it covers every path
(MNS, Tencent, control); each face answers a refusal in its own format through ``deny``.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web

log = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# Vendor names an SDK sends as Host while its connection goes to serve's address:
# cos-python-sdk-v5 with CosConfig(IP="127.0.0.1", Port=…) keeps "Host: <bucket>.cos.<region>.myqcloud.com".
# A page cannot make a browser use them against this machine (the vendor's DNS does not point here).
VENDOR_HOSTS = re.compile(r"[a-z0-9][a-z0-9-]*\.cos\.[a-z0-9-]+\.(myqcloud\.com|tencentcos\.cn)\Z")

Deny = Callable[[web.Request, str], web.StreamResponse]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def host_name(value: str) -> str:
    """``Host``-header value → lower-case name or address, without port or brackets."""
    value = value.strip().lower()
    if value.startswith("["):                       # [::1]:9100
        return value[1:value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:                       # name:port (a bare IPv6 has several colons)
        value = value.partition(":")[0]
    return value.rstrip(".")


def is_loopback(name: str) -> bool:
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class HostRules:
    """Loopback always; ``allowed``: more names/addresses (``*``: any host, deliberately)."""

    allowed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, hosts: Iterable[str] = ()) -> HostRules:
        return cls(frozenset(host_name(h) for h in hosts if h.strip()))

    def allows(self, name: str, *, vendor: bool = True) -> bool:
        """``vendor``: also the vendor names SDKs send as Host (never as Origin: pages are
        served from those names, so a page there must not reach this server)."""
        return ("*" in self.allowed or is_loopback(name) or name in self.allowed
                or (vendor and bool(VENDOR_HOSTS.match(name))))

    def refusal(self, host: str | None, origin: str | None) -> str | None:
        """Why the request is refused, or None."""
        if host is not None and not self.allows(host_name(host)):
            return (f"Host {host[:100]!r} is not a loopback name or address; start serve with "
                    f"--allow-host {host_name(host)[:100]} to accept it")
        if origin is not None:
            parts = urlsplit(origin.strip())
            name = (parts.hostname or "") if parts.scheme in ("http", "https") else ""
            if not name or not self.allows(name, vendor=False):
                return f"cross-origin request from {origin[:100]!r} refused"
        return None


def host_guard(rules: HostRules, deny: Deny) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """The middleware: refuse with ``deny(request, reason)``, log once per distinct reason."""
    logged: set[str] = set()

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = rules.refusal(request.headers.get("Host"), request.headers.get("Origin"))
        if reason is None:
            return await handler(request)
        if reason not in logged and len(logged) < 100:
            logged.add(reason)
            log.warning("refused %s %s: %s", request.method, request.path[:100], reason)
        return deny(request, reason)

    return guard
