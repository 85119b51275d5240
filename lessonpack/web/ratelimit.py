"""Rate limits on pack builds only, per client and in total, with the `limits` library.

A school, and often a whole county's schools, reach the internet through one address,
so the limit is on what costs the server (building a pack), never on loading a page:
a DSL network meeting of 60 opening the page together must all get it. Counts are held
in memory only, each for as long as its window, and never written anywhere.
"""

from __future__ import annotations

import time
from typing import Any

from limits import RateLimitItemPerMinute, storage, strategies
from starlette.types import ASGIApp, Receive, Scope, Send

from lessonpack.web.guards import Refuse

BUILDS = ("/preview", "/download")  # the routes that make a pack in a worker


class BuildLimit:
    """429 with Retry-After once one client, or all together, pass their builds a minute.

    `per_client` and `total` are builds a minute; 0 turns that limit off.
    """

    def __init__(self, app: ASGIApp, per_client: int, total: int, refuse: Refuse) -> None:
        self.app, self.refuse = app, refuse
        self.client = RateLimitItemPerMinute(per_client) if per_client > 0 else None
        self.total = RateLimitItemPerMinute(total) if total > 0 else None
        # A moving window: no burst at a window's edge lets twice the rate through.
        self.limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def _wait(self, client: str) -> float:
        """0 if a build may go ahead (and count it), else the seconds until one may."""
        checks = [(item, key) for item, key in ((self.total, "all"), (self.client, client)) if item]
        for item, key in checks:
            if not self.limiter.test(item, key):
                reset = self.limiter.get_window_stats(item, key).reset_time
                return max(1.0, reset - time.time())
        for item, key in checks:
            self.limiter.hit(item, key)
        return 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in BUILDS:
            client: Any = scope.get("client") or ("unknown", 0)
            wait = self._wait(str(client[0]))
            if wait > 0:
                await self.refuse(scope, receive, send, 429, {"retry-after": str(int(wait) + 1)})
                return
        await self.app(scope, receive, send)
