"""A token bucket per client, in process: enough to stop one client from starving the others.

A client is the API key when a request carries the right one (`X-API-Key`, compared in constant time), its
address otherwise: a wrong key does not open a fresh bucket. Each client may burst up to `per_minute`
requests (`ACV_RATE_LIMIT_PER_MINUTE`, 600 by default, 0 = no limit) and then gets `per_minute / 60` new tokens
a second. `/health` is exempt so that monitoring never trips it. The address is the peer's, unless the peer is
a trusted proxy (`ACV_TRUSTED_PROXIES`, none by default; see `search_api/proxies.py`), whose X-Forwarded-For
is then believed; without one listed, every client behind a proxy shares the proxy's address.
"""

from __future__ import annotations

import hmac
import math
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from search_api.errors import error_response

EXEMPT_PATHS = frozenset({"/health"})
_MAX_CLIENTS = 10_000


class TokenBucket:
    """Buckets keyed by client; `take` says whether a request may go on and, if not, when to retry."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """0.0 when allowed; otherwise the seconds to wait for the next token."""
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > _MAX_CLIENTS:
                self._forget_full(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop clients whose bucket has refilled: they are indistinguishable from new ones."""
        for key, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * self.rate >= self.capacity:
                del self._buckets[key]


class RateLimitMiddleware:
    """429 with the common error shape and a `Retry-After` header when a client's bucket is empty."""

    def __init__(self, app: ASGIApp, per_minute: int, api_key: str | None = None) -> None:
        self.app = app
        self.bucket = TokenBucket(per_minute) if per_minute > 0 else None
        self.api_key = api_key.encode("utf-8") if api_key else None

    def client_key(self, scope: Scope) -> str:
        """The bucket of a request: its API key when it is the right one, its address otherwise."""
        if self.api_key is not None:
            for name, value in scope.get("headers") or []:
                if name == b"x-api-key":
                    if hmac.compare_digest(value, self.api_key):
                        return "cle-api"
                    break
        client = scope.get("client")
        return f"ip:{client[0]}" if client else "inconnu"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.bucket is None or scope["type"] != "http" or scope.get("path") in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        wait = self.bucket.take(self.client_key(scope))
        if wait > 0:
            retry = max(1, math.ceil(wait))
            response = error_response(
                429, "trop_de_requetes",
                f"Trop de requêtes : réessayez dans {retry} s.",
                {"limit_per_minute": int(self.bucket.capacity), "retry_after_s": retry},
                {"Retry-After": str(retry)},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
