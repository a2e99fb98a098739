"""A size limit on every request body but the upload's, enforced before and while it is read.

The JSON endpoints (POST /saved-searches…) take a few hundred bytes; without a limit a client could make the
server parse and store tens of megabytes. A declared `Content-Length` over the limit is refused before a byte
is read; a chunked body is counted as it arrives and refused when it passes the limit. The upload
(`POST /documents`) has its own, larger limit (`search_api/uploads.py`).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.errors import BodyTooLarge, body_too_large

MAX_JSON_BYTES = 64 * 1024
UPLOAD_ROUTES = frozenset({("POST", "/documents")})


class BodyLimitMiddleware:
    """413 in the common error shape for a body over `limit` bytes (uploads excepted)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_JSON_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope.get("method"), scope.get("path")) in UPLOAD_ROUTES:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await body_too_large(self.limit)(scope, receive, send)
            return
        read = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:  # raised outside a route (a middleware reading the body)
            if started:
                raise
            await body_too_large(self.limit)(scope, receive, send)
