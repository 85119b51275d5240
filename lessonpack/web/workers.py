"""Packs are built in worker processes, never in the thread that answers requests.

A bounded pool: at most `jobs` packs are built at once (one per process) and at most
`queue` wait; beyond that a request is refused at once (503) rather than piling up
memory. A job that runs past its time is abandoned and the visitor told (504).
Each worker loads the lessons and templates once, as `lessonpack batch` does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonpack.errors import Busy, TooSlow
from lessonpack.main import make_pack, preview_both, preview_pack
from lessonpack.pack import BOTH, LETTER_BOTH, SLIDES, Library, build_time, zip_files
from lessonpack.rendering.context import PackRequest
from lessonpack.school.build import build_school, school_fields
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


def _requests(job: Job) -> list[PackRequest]:
    assert _library is not None, "worker not started"
    settings = SchoolFile.model_validate(job.settings)
    # The upload's bytes go into the School as they are: no file is written to read back.
    school = build_school(school_fields(settings, job.logo))
    force = _library.content.forces_by_slug[settings.lesson.force] if settings.lesson.force else None
    return [PackRequest(key_stage=ks, force=force, school=school, lesson_date=job.lesson_date,
                        minutes=settings.lesson.minutes, large_print=job.large_print,
                        nation=settings.school.nation, language=settings.school.language)
            for ks in settings.lesson.key_stages]


def preview_job(job: Job, key_stage: str) -> list[tuple[str, str]]:
    """Each document of one key stage's pack as HTML, in pack order: (file name, HTML)."""
    assert _library is not None
    request = next(r for r in _requests(job) if r.key_stage == key_stage)
    if request.language in (BOTH, LETTER_BOTH):
        # Both languages: the zip's own files, the Welsh copies and the bilingual letter.
        _, parts = preview_both(_library, request)
        return [(name, deck_html(model, meta) if name.endswith(".pptx") else document_html(model, meta))
                for name, model, meta in parts]
    models = preview_pack(_library, request)
    out = [(SLIDES[0], deck_html(models.deck, models.deck_meta))]
    out += [(name, document_html(doc, meta)) for name, (doc, meta) in models.documents.items()]
    return out


def zip_job(job: Job) -> bytes:
    """One zip: a folder of pack files per key stage, school.toml, and the logo if any."""
    assert _library is not None
    requests = _requests(job)
    files = [(f"{request.key_stage}/{name}", data)
             for request in requests for name, data in make_pack(_library, request).items()]
    files.append(("school.toml", job.toml.encode()))
    if job.logo is not None:
        files.append((f"logo.{job.logo_ext}", job.logo))
    return zip_files(files, build_time(requests[0]))


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
