"""The pages, in the order a DSL meets them: the form, check your answers, the preview,
the confirmation with the download, and loading a school.toml back.

The server keeps nothing between requests: each page after the form carries what was
typed on in hidden fields, and every button that sends it back names where the visitor
was (an anchor in its formaction), so a page without JavaScript returns them there.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextvars
import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from lessonpack.content.models import NATION_IDS
from lessonpack.errors import TooSlow
from lessonpack.pack import BILINGUAL, BOTH, pack_files
from lessonpack.rendering.i18n import N_
from lessonpack.school.colours import readable_accent
from lessonpack.school.models import MAX_LOGO_BYTES, slugify
from lessonpack.school.sections import MAX_SCHOOL_FILE
from lessonpack.web import language, messages
from lessonpack.web.forms import ROUTE_FIELDS, FormState, Valid, read_form, target, validate
from lessonpack.web.language import PAGE_LANGUAGES
from lessonpack.web.schoolfile import settings_toml, state_from_settings
from lessonpack.web.uploads import UploadError, check_logo_bytes, read_school_toml
from lessonpack.web.workers import Job, preview_job, zip_job

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Reading and checking what a visitor sent (the form, a logo decoded in full, a school.toml)
# runs in these threads, never on the event loop that answers every other visitor, and
# within a time limit. A thread cannot be stopped, so each check is also bounded by its
# inputs' own limits (lengths, counts, a linear email rule); the limit is the backstop.
CHECK_SECONDS = 5.0
KEPT_LOGO_DAMAGED = N_("The logo kept from before was damaged: choose it again")
LOADED = N_("Loaded school.toml: check the details, then continue.")
_checks = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lessonpack-check")
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(language.gettext, language.ngettext, newstyle=True)  # type: ignore[attr-defined]


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
            state.errors["school.logo"] = language.gettext(KEPT_LOGO_DAMAGED)
            return None, "png"
    if data is None:
        return None, "png"
    try:
        return data, check_logo_bytes(data)
    except UploadError as exc:
        state.errors["school.logo"] = str(exc).rstrip(".")  # in the page's language already
        return None, "png"


async def off_loop(function: Any, *args: Any) -> Any:
    """`function(*args)` in a checking thread: TooSlow (504) past CHECK_SECONDS."""
    loop = asyncio.get_running_loop()
    try:
        # In the request's context: its page language, for the messages the check writes.
        context = contextvars.copy_context()
        return await asyncio.wait_for(loop.run_in_executor(_checks, context.run, function, *args),
                                      CHECK_SECONDS)
    except TimeoutError:
        raise TooSlow from None


def _state_of(form: FormData) -> tuple[FormState, str]:
    state = read_form(form)
    state.logo, ext = _logo(form, state)
    return state, ext


async def read_state(request: Request) -> tuple[FormState, FormData, str]:
    form = await form_of(request)
    state, ext = await off_loop(_state_of, form)
    return state, form, ext


# --- showing a page -------------------------------------------------------------------


def shown_names(content: Any) -> dict[str, Any]:
    """The key stages, nations and forces as the page names them: their Welsh from the
    content on a Welsh page, and a force with no Welsh name by its own."""
    key_stages = [language.localised(ks) for ks in content.key_stages]
    return {
        "key_stages": key_stages,
        "stage_short": {ks.id: ks.short for ks in key_stages},
        "nations": {n.id: language.localised_text(n) for n in content.nations},
        "force_names": {f.slug: language.localised_text(f) for f in content.forces},
    }


def render(request: Request, name: str, state: FormState, status: int = 200, **extra: Any) -> HTMLResponse:
    content = request.app.state.library.content
    logo = base64.b64encode(state.logo).decode() if state.logo else ""
    names = shown_names(content)
    context = {
        "state": state, "route_fields": ROUTE_FIELDS, **names,
        "forces_by_nation": [(names["nations"][n], [f for f in content.forces if f.nation == n])
                             for n in NATION_IDS],
        "forces": content.forces_by_slug, "target": target,
        "logo_b64": logo, "label": messages.label,
        "logo_type": "image/jpeg" if state.logo and state.logo.startswith(b"\xff\xd8") else "image/png",
        **extra,
    }
    chosen = language.page_language.get()  # PageLanguage set it from ?lang= or the cookie
    response = templates.TemplateResponse(request, name, {**context, "page_lang": chosen},
                                          status_code=status)
    if request.query_params.get("lang") in PAGE_LANGUAGES:
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def _edit_routes(state: FormState, action: str) -> bool:
    """Add or remove a help-route row (the buttons that work without JavaScript)."""
    if match := re.fullmatch(r"remove-route-(\d{1,3})", action):  # never a 5,000-digit int
        index = int(match[1])
        state.routes = [r for i, r in enumerate(state.routes) if i != index]
    elif action == "add-route":
        state.routes.append(dict.fromkeys(ROUTE_FIELDS, ""))
    else:
        return False
    state.blank_rows = sum(not any(r.values()) for r in state.routes)
    return True


async def _valid(request: Request, state: FormState) -> Valid | None:
    return await off_loop(validate, state, request.app.state.library.content)


def _job(valid: Valid, ext: str) -> Job:
    toml = settings_toml(valid.settings, f"logo.{ext}" if valid.logo else None)
    return Job(settings=valid.settings.model_dump(mode="json"), large_print=valid.large_print,
               lesson_date=dt.date.today(), logo=valid.logo, logo_ext=ext, toml=toml)


def zip_name(valid: Valid) -> str:
    """Named after the school, so that a DSL's downloads folder says whose pack it is."""
    school = slugify(valid.settings.school.name, 50) or "school"
    return f"{school}-sextortion-lessons-{'-'.join(valid.settings.lesson.key_stages)}.zip"


def zip_files(valid: Valid, ext: str) -> list[tuple[str, list[str]]]:
    """What the zip holds: each key stage's folder and its files, then the files beside them."""
    top = ["school.toml", *([f"logo.{ext}"] if valid.logo else [])]
    files = list(pack_files(valid.settings.school.language))
    return [*((f"{ks}/", files) for ks in valid.settings.lesson.key_stages), ("", top)]


# --- the pages ------------------------------------------------------------------------


async def home(request: Request) -> Response:
    return render(request, "form.html", FormState(values={"lesson.minutes": "60"}))


async def edit(request: Request) -> Response:
    """The form again, filled in: from "Change" on a later page, or to add or remove a route."""
    state, form, _ = await read_state(request)
    action = form.get("action")
    if isinstance(action, str):
        _edit_routes(state, action)
    # The notes of what the page changed, beside their fields; problems wait for Continue,
    # all but a kept logo's, which cannot wait.
    logo = state.errors.get("school.logo")
    await _valid(request, state)
    state.errors = {"school.logo": logo} if logo else {}
    return render(request, "form.html", state)


async def check(request: Request) -> Response:
    state, form, ext = await read_state(request)
    action = form.get("action")
    if isinstance(action, str) and _edit_routes(state, action):
        return render(request, "form.html", state)
    valid = await _valid(request, state)
    if valid is None:
        return render(request, "form.html", state, status=400)
    return render(request, "check.html", state, valid=valid)


async def preview(request: Request) -> Response:
    state, form, ext = await read_state(request)
    valid = await _valid(request, state)
    if valid is None:
        return render(request, "form.html", state, status=400)
    chosen = valid.settings.lesson.key_stages
    wanted = form.get("preview_ks")
    key_stage = wanted if isinstance(wanted, str) and wanted in chosen else chosen[0]
    documents = await request.app.state.workers.run(preview_job, _job(valid, ext), key_stage)
    accent = readable_accent(valid.settings.school.colour)[0].lstrip("#")
    # The files that are one document in both languages, for their titles.
    bilingual = BILINGUAL if valid.settings.school.language == BOTH else ()
    return render(request, "preview.html", state, valid=valid, documents=documents,
                  preview_ks=key_stage, accent=accent, bilingual=bilingual)


async def done(request: Request) -> Response:
    """The confirmation: what the zip holds and how to use school.toml next time; the
    download itself is one button here (pressed for the visitor when scripts run)."""
    state, _, ext = await read_state(request)
    valid = await _valid(request, state)
    if valid is None:
        return render(request, "form.html", state, status=400)
    return render(request, "done.html", state, valid=valid, zip_name=zip_name(valid),
                  files=zip_files(valid, ext))


async def download(request: Request) -> Response:
    state, _, ext = await read_state(request)
    valid = await _valid(request, state)
    if valid is None:
        return render(request, "form.html", state, status=400)
    data = await request.app.state.workers.run(zip_job, _job(valid, ext))
    return Response(data, media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="{zip_name(valid)}"'})


async def load(request: Request) -> Response:
    """Fill the form from a school.toml; if something is typed already, ask first."""
    typed, form, _ = await read_state(request)
    upload, kept = form.get("school_toml"), form.get("school_toml_text")
    if isinstance(upload, UploadFile) and upload.size:
        data = upload.file.read(MAX_SCHOOL_FILE + 1)  # read_school_toml refuses more
    elif isinstance(kept, str) and kept:
        data = kept.encode()
    else:
        typed.errors["school_toml"] = messages.say("rule", "no_file")
        return render(request, "form.html", typed, status=400)
    loaded = await off_loop(read_school_toml, data)
    if loaded.settings is None:
        typed.notices = loaded.notices
        typed.errors["school_toml"] = " ".join(loaded.problems)
        return render(request, "form.html", typed, status=400)
    if typed.typed() and form.get("load") != "replace":
        return render(request, "form.html", typed, pending_toml=data.decode("utf-8-sig"))
    content = request.app.state.library.content
    state = await off_loop(state_from_settings, loaded.settings, content)
    state.logo = typed.logo
    state.notices = [language.gettext(LOADED), *loaded.notices]
    force = state.value("lesson.force")
    if force and force not in content.forces_by_slug:
        state.errors["lesson.force"] = messages.say("rule", "force_unknown", value=force)
    return render(request, "form.html", state)
