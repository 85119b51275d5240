"""What stands between the internet and the pages: headers, a body cap and a rate limit.

Plain ASGI middleware, so that they apply to every response, error pages included.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    # Scripts and styles from this site only, never inline; images may be the visitor's
    # own logo as a data: address. No frames, no plug-ins, forms post back here only.
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in SECURITY_HEADERS if h[0] not in names)]
                if b"cache-control" not in names:
                    # Pages hold a school's details: no shared cache keeps them.
                    message["headers"].append((b"cache-control", b"no-store"))
            await send(message)

        await self.app(scope, receive, with_headers)


Refuse = Callable[[Scope, Receive, Send, int, dict[str, str]], Awaitable[None]]


class BodyLimit:
    """Refuse a request body over `limit` bytes: at once if it says its length, else as
    soon as it passes the limit while being read."""

    def __init__(self, app: ASGIApp, limit: int, refuse: Refuse) -> None:
        self.app, self.limit, self.refuse = app, limit, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await self.refuse(scope, receive, send, 400, {})
                return
            if int(length) > self.limit:
                await self.refuse(scope, receive, send, 413, {"connection": "close"})
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413)
            return message

        await self.app(scope, counted, send)


class TokenBucket:
    """Per-client token buckets, in memory only: `rate` requests a minute, bursts of `burst`.

    The client's address is the only thing held, for as long as its bucket is not full
    again, and never written anywhere; at most `clients` are held at once.
    """

    def __init__(self, rate: float, burst: int, clients: int = 10_000) -> None:
        self.per_second, self.burst, self.clients = rate / 60, burst, clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float | None = None) -> float:
        """0 if the request may go ahead, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        tokens, then = self.buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
        if tokens >= 1:
            tokens -= 1
            wait = 0.0
        else:
            wait = (1 - tokens) / self.per_second
        if tokens < self.burst:
            self.buckets[client] = (tokens, now)
            while len(self.buckets) > self.clients:
                self.buckets.popitem(last=False)  # the longest idle: nearly full again
        return wait


class RateLimit:
    """429 with Retry-After once a client has spent its tokens; static files are free."""

    def __init__(self, app: ASGIApp, bucket: TokenBucket | None, refuse: Refuse) -> None:
        self.app, self.bucket, self.refuse = app, bucket, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.bucket is not None and not _free(scope):
            client: Any = scope.get("client") or ("unknown", 0)
            wait = self.bucket.take(str(client[0]))
            if wait > 0:
                await self.refuse(scope, receive, send, 429, {"retry-after": str(int(wait) + 1)})
                return
        await self.app(scope, receive, send)


def _free(scope: Scope) -> bool:
    return scope["path"].startswith("/static/") or scope["path"] in ("/health", "/accent.css")
