"""A batch's settings and each pack's result, with the fingerprints that let a run resume."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessonpack import __version__
from lessonpack.content.routes import Force
from lessonpack.content.rules import dump
from lessonpack.pack import Library
from lessonpack.rendering.context import PackRequest
from lessonpack.resources import data_dir


@dataclass(frozen=True)
class Settings:
    """What every pack in a run shares; sent to each worker process once."""

    out: Path
    force: Force
    lesson_date: dt.date
    minutes: int = 60
    overwrite: bool = False
    zip: bool = False
    library_sha256: str = ""  # lessonpack version, content and templates: see library_fingerprint
    lessons: Path | None = None  # content folder, when not the built-in one
    inputs: tuple[Path, ...] = ()  # the schools file, force file...: never to be written over


@dataclass
class PackResult:
    line: int
    name: str
    urn: str
    slug: str
    key_stage: str
    status: str  # "ok", "skipped" (already complete and current) or "failed"
    reason: str = ""
    files: list[dict[str, Any]] = field(default_factory=list)
    zip: dict[str, Any] | None = None

    @property
    def folder(self) -> str:
        return f"{self.slug}/{self.key_stage}" if self.status != "failed" else ""


def library_fingerprint(library: Library) -> str:
    """What, besides the row, decides a pack's bytes: the version, content and templates."""
    digest = hashlib.sha256(f"{__version__}\0{library.content.fingerprint}\0".encode())
    for directory in [*library.template_dirs, data_dir("templates")]:
        for path in sorted(p for p in Path(directory).rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprints(settings: Settings, requests: list[PackRequest]) -> list[str]:
    """Each pack's complete inputs: a changed DSL phone or force contact means a rebuild.

    Every field of the request counts, so that one added later is covered too. For one
    school's key stages, the school and force they share are dumped (and the logo read
    and hashed) once, not once a pack.
    """
    dumped: dict[int, Any] = {}  # id → the model's record; the requests keep the models alive
    fingerprints = []
    for request in requests:
        record: dict[str, Any] = {"library": settings.library_sha256,
                                  "epoch": os.environ.get("SOURCE_DATE_EPOCH")}
        for item in dataclasses.fields(request):
            value = getattr(request, item.name)
            if dataclasses.is_dataclass(value):
                if id(value) not in dumped:
                    dumped[id(value)] = dump(value)  # a logo dumps as its bytes' digest
                value = dumped[id(value)]
            elif isinstance(value, dt.date):
                value = value.isoformat()
            record[item.name] = value
        fingerprints.append(hashlib.sha256(
            json.dumps(record, sort_keys=True, default=str).encode()).hexdigest())
    return fingerprints

