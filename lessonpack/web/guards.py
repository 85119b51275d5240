"""What stands between the internet and the pages: headers and a body cap.

Plain ASGI middleware, so that they apply to every response, error pages included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

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


DRAIN_LIMIT = 64 * 1024 * 1024  # past this a sender is cut off rather than listened to


async def drain(receive: Receive, limit: int) -> None:
    """Read and drop what a client is still sending after its refusal.

    A client that asked `Expect: 100-continue` is never sent "100 Continue" and sends
    nothing: this is not called for it. One that sends at once would see its upload cut
    off (a broken pipe, not the 413) if the server closed the connection under it, so
    the rest is read into nothing, up to `limit`, and the answer stands.
    """
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _draining(receive: Receive, send: Send) -> Send:
    """`send`, but the answer's end waits until what the client still sends is drained:
    the 413 goes out at once, and the connection closes only once it has been heard."""
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            await send({**message, "more_body": True})
            await drain(receive, DRAIN_LIMIT)
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return wrapped


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
                waiting = b"100-continue" in dict(scope["headers"]).get(b"expect", b"").lower()
                await self.refuse(scope, receive, send if waiting else _draining(receive, send),
                                  413, {"connection": "close"})
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
