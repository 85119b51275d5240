"""Packs are built in worker processes, never in the thread that answers requests.

A bounded pool: at most `jobs` packs are built at once (one per process) and at most
`queue` wait; beyond that a request is refused at once (503) rather than piling up
memory. A job that runs past its time is abandoned and the visitor told (504).
Each worker loads the lessons and templates once, as `lessonpack batch` does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import multiprocessing
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonpack.content.rules import validate
from lessonpack.errors import Busy, TooSlow
from lessonpack.pack import SLIDES, Library, build_pack, build_time, render_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.school.models import School
from lessonpack.school.sections import SchoolFile
from lessonpack.writers.html import deck_html, document_html

_library: Library | None = None
log = logging.getLogger("lessonpack.web")


@dataclass(frozen=True)
class Job:
    """Everything a worker needs for one visitor's pack: plain, picklable data."""

    settings: dict[str, Any]  # SchoolFile as JSON data
    large_print: bool
    lesson_date: dt.date
    logo: bytes | None = None
    logo_ext: str = "png"
    toml: str = ""


def _start(lessons: Path | None) -> None:
    global _library
    _library = Library.load(lessons=lessons)


def _ready() -> bool:
    return _library is not None


def _requests(job: Job, logo: Path | None) -> list[PackRequest]:
    assert _library is not None, "worker not started"
    settings = SchoolFile.model_validate(job.settings)
    s = settings.school
    school = validate(School, dict(
        name=s.name, address=s.address, urn=s.urn, website=s.website, logo=logo, colour=s.colour,
        dsl=settings.dsl, deputy_dsl=settings.deputy_dsl, signatory=settings.signatory,
        help_routes=settings.help_routes))
    force = _library.content.forces_by_slug[settings.lesson.force] if settings.lesson.force else None
    return [PackRequest(key_stage=ks, force=force, school=school, lesson_date=job.lesson_date,
                        minutes=settings.lesson.minutes, large_print=job.large_print,
                        nation=settings.school.nation, language=settings.school.language)
            for ks in settings.lesson.key_stages]


def _with_logo(job: Job, build):
    """Run `build(requests)` with the logo in a private temporary folder, removed after.

    The models read a logo from a path; the folder's name is random and the file's name
    fixed, so nothing a visitor typed names a file.
    """
    if job.logo is None:
        return build(_requests(job, None))
    with tempfile.TemporaryDirectory(prefix="lessonpack-web-") as folder:
        path = Path(folder) / f"logo.{job.logo_ext}"
        path.write_bytes(job.logo)
        return build(_requests(job, path))


def preview_job(job: Job, key_stage: str) -> list[tuple[str, str]]:
    """Each document of one key stage's pack as HTML, in pack order: (file name, HTML)."""
    def build(requests: list[PackRequest]) -> list[tuple[str, str]]:
        assert _library is not None
        request = next(r for r in requests if r.key_stage == key_stage)
        models = render_pack(_library, request)
        out = [(SLIDES[0], deck_html(models.deck, models.deck_meta))]
        out += [(name, document_html(doc, meta)) for name, (doc, meta) in models.documents.items()]
        return out

    return _with_logo(job, build)


def zip_job(job: Job) -> bytes:
    """One zip: a folder of pack files per key stage, school.toml, and the logo if any."""
    def build(requests: list[PackRequest]) -> bytes:
        assert _library is not None
        when = max(build_time(requests[0]), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            def add(name: str, data: bytes) -> None:
                entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
                entry.external_attr = 0o644 << 16
                # Office files are zips already: storing them saves time and loses nothing.
                entry.compress_type = (zipfile.ZIP_STORED if name.endswith((".pptx", ".docx"))
                                       else zipfile.ZIP_DEFLATED)
                archive.writestr(entry, data)

            for request in requests:
                for name, data in build_pack(_library, request).items():
                    add(f"{request.key_stage}/{name}", data)
            add("school.toml", job.toml.encode())
            if job.logo is not None:
                add(f"logo.{job.logo_ext}", job.logo)
        return out.getvalue()

    return _with_logo(job, build)


class Workers:
    """The pool, with a bound on waiting work, a time limit per job, and healing: a worker
    killed (by the out-of-memory killer, say) breaks the whole pool, so the pool is
    replaced and the job tried once more; if it breaks that one too, the visitor is told
    to try again (503), and the next visitor finds a fresh pool."""

    def __init__(self, jobs: int, queue: int, timeout: float, lessons: Path | None = None) -> None:
        self.jobs, self.limit, self.timeout = jobs, jobs + queue, timeout
        self.lessons = lessons
        self.pending = 0
        self.pool: ProcessPoolExecutor | None = None
        self.replaced = 0  # pools replaced since start, for the log and the tests
        self._replacing: asyncio.Lock | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        # "spawn": a fresh interpreter per worker, never a fork of a running event loop.
        return ProcessPoolExecutor(max_workers=self.jobs,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start, initargs=(self.lessons,))

    async def start(self) -> None:
        self._replacing = asyncio.Lock()
        self.pool = self._new_pool()
        loop = asyncio.get_running_loop()
        # Warm every worker before the first visitor: the first pack is then fast too.
        await asyncio.gather(*(loop.run_in_executor(self.pool, _ready) for _ in range(self.jobs)))

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    async def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for a broken one, once, however many requests found it broken."""
        assert self._replacing is not None
        async with self._replacing:
            if self.pool is not broken:
                return  # another request has replaced it already
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()
            self.replaced += 1
            log.warning("a pack worker died; its pool was replaced (%d so far)", self.replaced)

    async def run(self, function, *args) -> Any:
        if self.pool is None:
            raise RuntimeError("workers not started")
        if self.pending >= self.limit:
            raise Busy
        self.pending += 1
        try:
            for _attempt in range(2):
                pool = self.pool
                try:
                    future = pool.submit(function, *args)
                    return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
                except BrokenProcessPool:
                    await self._replace(pool)
                except TimeoutError:
                    future.cancel()  # if it has not started; a running job finishes and is dropped
                    raise TooSlow from None
            raise Busy  # the job broke a fresh pool too: the visitor may try again
        finally:
            self.pending -= 1
