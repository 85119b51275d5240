"""What uvicorn answers by itself, made to carry the page's security headers too.

The app's middleware (guards.SecurityHeaders) heads every answer the app gives. uvicorn
answers a few requests without ever calling the app: a request it cannot parse (a TLS
handshake sent to the plain port, a NUL in the request line) gets its own 400, and past
its concurrency limit its own 503. The first is answered here, by a protocol that adds the
headers; the second never happens, because `serve` sets no uvicorn concurrency limit:
`ConnectionLimit` below refuses inside the app instead, headers and all.
"""

from __future__ import annotations

import h11
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from lessonpack.web.guards import SECURITY_HEADERS, Refuse

CONCURRENT_REQUESTS = 1000  # requests being answered at once, past which they wait their turn


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, whose own 400 carries the security headers."""

    def send_400_response(self, msg: str) -> None:
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                   *SECURITY_HEADERS, (b"cache-control", b"no-store")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


class ConnectionLimit:
    """503 with Retry-After when `limit` requests are being answered already."""

    def __init__(self, app: ASGIApp, limit: int, refuse: Refuse) -> None:
        self.app, self.limit, self.refuse = app, limit, refuse
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            await self.refuse(scope, receive, send, 503, {"retry-after": "5"})
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1
