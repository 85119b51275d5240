"""The web page: routes, and the app that puts the guards and the workers around them.

Every visitor's pack is made from what their own request carries (the form, and the
logo as data): the server keeps nothing between requests.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import Receive, Scope, Send

from lessonpack.pack import Library
from lessonpack.school.colours import readable_accent
from lessonpack.school.models import MAX_LOGO_BYTES
from lessonpack.web.forms import ROUTE_FIELDS, FormState, read_form, state_from_settings, validate
from lessonpack.web.guards import BodyLimit, RateLimit, SecurityHeaders, TokenBucket
from lessonpack.web.uploads import UploadError, check_logo_bytes, read_school_toml
from lessonpack.web.workers import Busy, Job, TooSlow, Workers, preview_job, zip_job

HERE = Path(__file__).resolve().parent
# A logo may arrive twice (a new file, and the one kept from before as base64): room for both.
MAX_BODY = 2 * MAX_LOGO_BYTES + MAX_LOGO_BYTES // 2 + 512 * 1024
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
MESSAGES = {
    400: ("The request could not be read", "Go back to the form and try again."),
    404: ("Page not found", "There is no page at this address."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "What was sent is too large. A logo must be under 5 MB."),
    415: ("Not a form", "This address accepts the page's own form only."),
    429: ("Too many requests", "Too many requests came from your address in a short time. "
                               "Wait a minute, then try again."),
    500: ("Something went wrong", "Something went wrong on our side. Try again; if it happens "
                                  "again, tell whoever runs this page."),
    503: ("Busy", "The server is busy making other packs. Try again in a few seconds."),
    504: ("Too slow", "Making the pack took too long and was stopped. Try again in a minute, "
                      "perhaps with fewer key stages."),
}


@dataclass(frozen=True)
class Config:
    jobs: int = 2  # worker processes building packs
    queue: int = 64  # packs that may wait for a worker before requests are refused
    timeout: float = 30.0  # seconds a pack may take
    rate: float = 60.0  # requests a minute per client; 0 turns the limit off
    burst: int = 30
    lessons: Path | None = None


templates = Jinja2Templates(directory=HERE / "templates")


def error_response(status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    title, message = MESSAGES.get(status, MESSAGES[500])
    body = templates.get_template("error.html").render(status=status, title=title, message=message)
    return HTMLResponse(body, status_code=status, headers=headers)


async def refuse(scope: Scope, receive: Receive, send: Send, status: int,
                 headers: dict[str, str]) -> None:
    await error_response(status, headers)(scope, receive, send)


# --- reading a request ----------------------------------------------------------------


async def form_of(request: Request) -> FormData:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORM_TYPES:
        raise HTTPException(415)
    # The kept logo travels as base64 text: a part may be that large, no larger.
    return await request.form(max_files=2, max_fields=300, max_part_size=MAX_LOGO_BYTES * 3 // 2)


def _logo(form: FormData, state: FormState) -> tuple[bytes | None, str]:
    """The logo: a newly chosen file, else the one kept from before (checked again)."""
    upload = form.get("school.logo")
    kept = form.get("school.logo_kept")
    data: bytes | None = None
    if isinstance(upload, UploadFile) and upload.size:
        data = upload.file.read(MAX_LOGO_BYTES + 1)
    elif isinstance(kept, str) and kept and form.get("school.logo_remove") != "on":
        try:
            data = base64.b64decode(kept, validate=True)
        except (binascii.Error, ValueError):
            state.errors["school.logo"] = "The logo kept from before was damaged; choose it again."
            return None, "png"
    if data is None:
        return None, "png"
    try:
        return data, check_logo_bytes(data)
    except UploadError as exc:
        state.errors["school.logo"] = str(exc)
        return None, "png"


async def read_state(request: Request) -> tuple[FormState, FormData, str]:
    form = await form_of(request)
    state = read_form(form)
    state.logo, ext = _logo(form, state)
    return state, form, ext


# --- pages ----------------------------------------------------------------------------


def page(request: Request, state: FormState, status: int = 200, **extra: Any) -> HTMLResponse:
    content = request.app.state.library.content
    logo = base64.b64encode(state.logo).decode() if state.logo else ""
    context = {
        "state": state, "forces": content.forces, "key_stages": content.key_stages,
        "route_fields": ROUTE_FIELDS, "logo_b64": logo,
        "logo_type": "image/jpeg" if state.logo and state.logo.startswith(b"\xff\xd8") else "image/png",
        **extra,
    }
    return templates.TemplateResponse(request, "form.html", context, status_code=status)


async def home(request: Request) -> Response:
    return page(request, FormState())


def _edit_routes(state: FormState, action: str) -> bool:
    """Add or remove a help-route row (the buttons that work without JavaScript)."""
    if match := re.fullmatch(r"remove-route-(\d+)", action):
        index = int(match[1])
        state.routes = [r for i, r in enumerate(state.routes) if i != index]
    elif action != "add-route":
        return False
    if action == "add-route":
        state.routes.append(dict.fromkeys(ROUTE_FIELDS, ""))
    state.blank_rows = sum(not any(r.values()) for r in state.routes)
    return True


def _job(request: Request, state: FormState, ext: str) -> tuple[Job, Any] | None:
    valid = validate(state, request.app.state.library.content)
    if valid is None:
        return None
    toml = valid.toml(f"logo.{ext}" if valid.logo else None)
    job = Job(settings=valid.settings.model_dump(mode="json"), large_print=valid.large_print,
              lesson_date=dt.date.today(), logo=valid.logo, logo_ext=ext, toml=toml)
    return job, valid


async def preview(request: Request) -> Response:
    state, form, ext = await read_state(request)
    action = form.get("action")
    if isinstance(action, str) and _edit_routes(state, action):
        return page(request, state)
    made = _job(request, state, ext)
    if made is None:
        return page(request, state, status=400)
    job, valid = made
    chosen = valid.settings.lesson.key_stages
    wanted = form.get("preview_ks")
    key_stage = wanted if isinstance(wanted, str) and wanted in chosen else chosen[0]
    documents = await request.app.state.workers.run(preview_job, job, key_stage)
    accent = readable_accent(valid.settings.school.colour)[0].lstrip("#")
    return page(request, state, documents=documents, preview_ks=key_stage, accent=accent)


async def download(request: Request) -> Response:
    state, _, ext = await read_state(request)
    made = _job(request, state, ext)
    if made is None:
        return page(request, state, status=400)
    job, valid = made
    data = await request.app.state.workers.run(zip_job, job)
    name = "lessonpack-" + "-".join(valid.settings.lesson.key_stages) + ".zip"
    return Response(data, media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


async def load(request: Request) -> Response:
    form = await form_of(request)
    upload = form.get("school_toml")
    if not isinstance(upload, UploadFile) or not upload.size:
        state = FormState()
        state.errors["school_toml"] = "Choose a school.toml file to load."
        return page(request, state, status=400)
    loaded = read_school_toml(upload.file.read(2 * 1024 * 1024))
    if loaded.settings is None:
        state = replace(FormState(), notices=loaded.notices)
        state.errors["school_toml"] = " ".join(loaded.problems)
        return page(request, state, status=400)
    state = state_from_settings(loaded.settings, request.app.state.library.content)
    state.notices = ["Loaded school.toml: check the details, then preview.", *loaded.notices]
    return page(request, state)


async def accent_css(request: Request) -> Response:
    colour = request.query_params.get("c", "")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
        raise HTTPException(404)
    accent = readable_accent(f"#{colour}")[0]
    css = (f".preview {{ --accent: {accent}; }}\n")
    return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=86400"})


async def health(_: Request) -> Response:
    return PlainTextResponse("ok")


# --- errors ---------------------------------------------------------------------------


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, dict(exc.headers or {}))


async def busy(request: Request, exc: Exception) -> Response:
    return error_response(503, {"retry-after": "5"})


async def too_slow(request: Request, exc: Exception) -> Response:
    return error_response(504)


async def server_error(request: Request, exc: Exception) -> Response:
    return error_response(500)  # never the traceback: that stays in the server's log


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

    bucket = TokenBucket(config.rate, config.burst) if config.rate > 0 else None
    app = Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/preview", preview, methods=["POST"]),
            Route("/download", download, methods=["POST"]),
            Route("/load", load, methods=["POST"]),
            Route("/accent.css", accent_css, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[Middleware(RateLimit, bucket=bucket, refuse=refuse),
                    Middleware(BodyLimit, limit=MAX_BODY, refuse=refuse)],
        exception_handlers={HTTPException: http_error, Busy: busy, TooSlow: too_slow,
                            Exception: server_error},
        lifespan=lifespan,
    )
    return SecurityHeaders(app)
