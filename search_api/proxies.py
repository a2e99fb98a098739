"""Which client sent a request, and under which address the API is reached, when a reverse proxy may be in front.

Forwarded headers (X-Forwarded-For, X-Forwarded-Proto) and the Host header are believed only from a peer listed
in `ACV_TRUSTED_PROXIES` (none by default): any client can write them, and believing them from anyone let a
client pick its own rate-limit bucket and the host written into feed links. The header parsing itself is
uvicorn's `ProxyHeadersMiddleware`; this module only records, before it rewrites the client, whether the peer
was a trusted proxy, and builds the public base address of links.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from acv.settings import Settings

VIA_PROXY = "acv_via_trusted_proxy"  # key in the ASGI scope's state

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(value: str) -> list[Network]:
    """The networks of a comma-separated list of addresses or CIDR blocks (blank entries ignored)."""
    return [ipaddress.ip_network(item.strip(), strict=False) for item in value.split(",") if item.strip()]


def is_trusted(peer: str | None, networks: Iterable[Network]) -> bool:
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:  # a Unix socket path, a test client's name: not an address a proxy is listed by
        return False
    return any(address in net for net in networks)


class TrustedPeerMiddleware:
    """Marks in the scope whether the connecting peer is a trusted proxy (before the client is rewritten)."""

    def __init__(self, app: ASGIApp, trusted: str) -> None:
        self.app = app
        self.networks = parse_trusted(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            scope.setdefault("state", {})[VIA_PROXY] = is_trusted(client[0] if client else None, self.networks)
        await self.app(scope, receive, send)


def via_trusted_proxy(request: Request) -> bool:
    return bool(request.scope.get("state", {}).get(VIA_PROXY))


def public_base(request: Request, settings: Settings) -> str:
    """The base of absolute links: ACV_PUBLIC_URL, else the request's address if a trusted proxy sent it, else
    the configured host and port. A Host header from anyone else is never written into a response."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    if via_trusted_proxy(request):
        return str(request.base_url).rstrip("/")
    host = settings.host if settings.host not in ("", "0.0.0.0", "::") else "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"
