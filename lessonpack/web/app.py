"""The web page's app: its routes, and the guards and the workers around them.

Every visitor's pack is made from what their own request carries (the form, and the
logo as data): the server keeps nothing between requests.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from lessonpack.pack import Library
from lessonpack.rendering.i18n import N_
from lessonpack.school.colours import readable_accent
from lessonpack.school.models import MAX_LOGO_BYTES
from lessonpack.web import pages
from lessonpack.web.guards import BodyLimit, SecurityHeaders
from lessonpack.web.language import PageLanguage, of_scope, page_language
from lessonpack.web.language import gettext as _
from lessonpack.web.ratelimit import BuildLimit
from lessonpack.web.server import CONCURRENT_REQUESTS, ConnectionLimit
from lessonpack.web.workers import Busy, TooSlow, Workers

HERE = Path(__file__).resolve().parent
log = logging.getLogger("lessonpack.web")
# A logo may arrive twice (a new file, and the one kept from before as base64): room for both.
MAX_BODY = 2 * MAX_LOGO_BYTES + MAX_LOGO_BYTES // 2 + 512 * 1024
MESSAGES = {
    400: (N_("The request could not be read"), N_("Go back to the form and try again.")),
    404: (N_("Page not found"), N_("There is no page at this address.")),
    405: (N_("Not allowed"), N_("This address does not accept that kind of request.")),
    413: (N_("Too large"), N_("What was sent is too large. A logo must be under 5 MB.")),
    415: (N_("Not a form"), N_("This address accepts the page's own form only.")),
    429: (N_("Too many packs at once"), N_("Too many packs were made from your address in the last "
                                    "minute. Wait a minute, then try again.")),
    500: (N_("Something went wrong"), N_("Something went wrong on our side. Try again; if it happens "
                                  "again, tell whoever runs this page.")),
    503: (N_("Busy"), N_("The server is busy making other packs. Try again in a few seconds.")),
    504: (N_("Too slow"), N_("Making the pack took too long and was stopped. Try again in a minute, "
                      "perhaps with fewer key stages.")),
}


@dataclass(frozen=True)
class Config:
    jobs: int = 2  # worker processes building packs
    queue: int = 64  # packs that may wait for a worker before requests are refused
    timeout: float = 30.0  # seconds a pack may take
    # Pack builds (previews and zips) a minute. A DSL makes about three (a preview or two,
    # then the zip), so 300 from one address lets 60 people behind one school or county
    # address all finish within a minute; the total bounds what all addresses together
    # may ask of the workers. 0 turns a limit off.
    rate: int = 300
    total: int = 1200
    lessons: Path | None = None


templates = pages.templates


def error_response(status: int, headers: dict[str, str] | None = None,
                   scope: Scope | None = None) -> HTMLResponse:
    """The error page, in the page's language (the request's own, when it is given)."""
    title, message = MESSAGES.get(status, MESSAGES[500])
    token = page_language.set(of_scope(scope)) if scope is not None else None
    try:
        body = templates.get_template("error.html").render(
            status=status, title=_(title), message=_(message), page_lang=page_language.get())
    finally:
        if token is not None:
            page_language.reset(token)
    return HTMLResponse(body, status_code=status, headers=headers)


async def refuse(scope: Scope, receive: Receive, send: Send, status: int,
                 headers: dict[str, str]) -> None:
    await error_response(status, headers, scope)(scope, receive, send)


async def accent_css(request: Request) -> Response:
    colour = request.query_params.get("c", "")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
        raise HTTPException(404)
    accent = readable_accent(f"#{colour}")[0]
    css = (f".preview {{ --accent: {accent}; }}\n")
    return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=86400"})


async def health(_: Request) -> Response:
    return PlainTextResponse("ok")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, dict(exc.headers or {}), request.scope)


async def busy(request: Request, exc: Exception) -> Response:
    return error_response(503, {"retry-after": "5"}, request.scope)


async def too_slow(request: Request, exc: Exception) -> Response:
    return error_response(504, scope=request.scope)


async def client_gone(request: Request, exc: Exception) -> Response:
    """A visitor who closed the page mid-upload: one line in the log, not a traceback."""
    client = request.client.host if request.client else "a client"
    log.warning("%s %s: %s went away before sending everything", request.method,
             request.url.path, client)
    return Response(status_code=400)  # nobody is there to read it


async def server_error(request: Request, exc: Exception) -> Response:
    return error_response(500, scope=request.scope)  # never the traceback: that stays in the server's log


def create_app(config: Config | None = None) -> Any:
    config = config or Config()
    workers = Workers(config.jobs, config.queue, config.timeout, config.lessons)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.library = Library.load(lessons=config.lessons)
        app.state.workers = workers
        await workers.start()
        try:
            yield
        finally:
            workers.stop()

    app = Starlette(
        routes=[
            Route("/", pages.home, methods=["GET"]),
            Route("/edit", pages.edit, methods=["POST"]),
            Route("/check", pages.check, methods=["POST"]),
            Route("/preview", pages.preview, methods=["POST"]),
            Route("/done", pages.done, methods=["POST"]),
            Route("/download", pages.download, methods=["POST"]),
            Route("/load", pages.load, methods=["POST"]),
            Route("/accent.css", accent_css, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[Middleware(PageLanguage),
                    Middleware(ConnectionLimit, limit=CONCURRENT_REQUESTS, refuse=refuse),
                    Middleware(BuildLimit, per_client=config.rate, total=config.total, refuse=refuse),
                    Middleware(BodyLimit, limit=MAX_BODY, refuse=refuse)],
        exception_handlers={HTTPException: http_error, Busy: busy, TooSlow: too_slow,
                            ClientDisconnect: client_gone, Exception: server_error},
        lifespan=lifespan,
    )
    return SecurityHeaders(app)
