"""Many packs: a CSV of schools → one pack per school and key stage, and an index of them.

The steps, each testable on its own:

    read_schools     the school list → rows (lessonpack.batch.schools; whole-file problems exit 2)
    plan_rows        rows → a School, folder name and key stages per row (lessonpack.batch.schools)
    shard_of         the K-th of N contiguous parts of the rows (lessonpack.batch.schools)
    run_batch        build and write the packs, in this process or in a pool of them
    write_index      index.csv and index.json: what was made, with every file's SHA-256

A bad row never stops the run: it becomes a `failed` entry in the index. A run that is
interrupted and started again skips the packs that are already complete and current.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import signal
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lessonpack import __version__
from lessonpack.batch.schools import (
    COLUMNS,
    REQUIRED_COLUMNS,
    BatchInputError,
    Row,
    RowPlan,
    SchoolsFile,
    assign_slugs,
    parse_key_stages,
    parse_shard,
    plan_rows,
    read_schools,
    school_from_row,
    shard_of,
)
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.content.routes import Force
from lessonpack.errors import LessonpackError
from lessonpack.output import (
    InterruptedRun,
    check_not_inputs,
    lstat_mode,
    recover,
    remove_tree,
    school_lock,
    writer_alive,
)
from lessonpack.pack import PACK_FILES, Library, build_pack, build_time, check_date, pack_dir, write_pack
from lessonpack.processes import die_with_parent, terminate_as_interrupt
from lessonpack.rendering.context import PackRequest
from lessonpack.resources import data_dir
from lessonpack.safe_io import read_input
from lessonpack.school.logo import logo_bytes

__all__ = [  # the reading and planning live in lessonpack.batch.schools; named here as before
    "COLUMNS", "REQUIRED_COLUMNS", "BatchInputError", "Row", "RowPlan", "SchoolsFile",
    "assign_slugs", "parse_key_stages", "parse_shard", "plan_rows", "read_schools",
    "school_from_row", "shard_of",
]

# --- building -------------------------------------------------------------------------


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


def inputs_fingerprint(settings: Settings, request: PackRequest) -> str:
    """A pack's complete inputs: a changed DSL phone or force contact means a rebuild.

    Every field of the request counts, so that one added later is covered too.
    """
    record: dict[str, Any] = {"library": settings.library_sha256,
                              "epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    for item in dataclasses.fields(request):
        value = getattr(request, item.name)
        if isinstance(value, BaseModel):
            value = _with_logo_digest(value.model_dump(mode="json"))
        elif isinstance(value, dt.date):
            value = value.isoformat()
        record[item.name] = value
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def _with_logo_digest(record: dict) -> dict:
    # The logo's bytes, not its path, decide the pack.
    if record.get("logo"):
        record["logo"] = hashlib.sha256(logo_bytes(Path(record["logo"]))).hexdigest()
    return record


def run_row(library: Library, settings: Settings, plan: RowPlan) -> list[PackResult]:
    """Every pack of one school (and its zip); a failure is recorded, never raised."""
    assert plan.school is not None
    try:
        with school_lock(settings.out, plan.slug):
            return _run_locked(library, settings, plan)
    except (OSError, LessonpackError) as exc:  # a linked or unwritable school folder
        return failed_results(_with_error(plan, _reason(exc)))


def _run_locked(library: Library, settings: Settings, plan: RowPlan) -> list[PackResult]:
    clean_stale(settings.out, plan.slug)
    results = [_one_pack(library, settings, plan, ks) for ks in plan.key_stages]
    if settings.zip and any(r.status == "failed" for r in results):
        # An older zip would not match the packs any more; better none than a wrong one.
        (settings.out / f"{plan.slug}.zip").unlink(missing_ok=True)
    elif settings.zip:
        try:
            zipped = write_zip(settings.out, plan.slug, plan.key_stages,
                               build_time(_request(settings, plan, plan.key_stages[0])))
        except (OSError, LessonpackError, ValueError) as exc:
            for r in results:
                r.status, r.reason = "failed", f"zip: {_reason(exc)}"
        else:
            for r in results:
                r.zip = zipped
    return results


def _request(settings: Settings, plan: RowPlan, key_stage: str) -> PackRequest:
    assert plan.school is not None
    return PackRequest(key_stage=key_stage, force=settings.force, school=plan.school,
                       lesson_date=settings.lesson_date, minutes=settings.minutes)


def _one_pack(library: Library, settings: Settings, plan: RowPlan, ks: str) -> PackResult:
    result = PackResult(plan.line, plan.name, plan.urn, plan.slug, ks, "ok")
    try:
        request = _request(settings, plan, ks)
        target = pack_dir(settings.out, plan.slug, ks)
        fingerprint = inputs_fingerprint(settings, request)
        if not settings.overwrite:
            current = current_pack(target, request, fingerprint)
            if current is not None:
                result.status, result.files = "skipped", current
                return result
        files = build_pack(library, request)
        files["manifest.json"] = _with_batch_record(files["manifest.json"], fingerprint)
        # Whatever is there is incomplete, stale or to be replaced: write_pack swaps it
        # for the new pack in one rename.
        write_pack(files, target, overwrite=True)
        result.files = [_file_entry(name, data) for name, data in files.items()]
    except Exception as exc:  # noqa: BLE001 - one bad pack must not stop the others
        result.status, result.reason = "failed", _reason(exc)
    return result


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LessonpackError | ValueError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return f"{type(exc).__name__}: {exc}"  # a bug: name it so that it can be reported


def _file_entry(name: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _with_batch_record(manifest: bytes, fingerprint: str) -> bytes:
    # The manifest's own `inputs` name the school but not its DSL, logo or the force's
    # contacts; the fingerprint covers them all, so a resumed run can trust a match.
    data = json.loads(manifest)
    data["batch"] = {"inputs_sha256": fingerprint}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def current_pack(target: Path, request: PackRequest, fingerprint: str) -> list[dict] | None:
    """The pack's file entries if it is complete and made from these inputs, else None."""
    expected = {
        "key_stage": request.key_stage,
        "force": request.force.slug if request.force else None,
        "school": request.school.name,
        "date": request.lesson_date.isoformat(),
    }
    documents = [name for name in PACK_FILES if name != "manifest.json"]
    try:
        manifest_bytes = read_input(target / "manifest.json", "pack file", follow=False)
        manifest = json.loads(manifest_bytes)
        inputs = manifest["inputs"]
        listed = {f["name"]: f["sha256"] for f in manifest["files"]}
        if (any(inputs.get(k) != v for k, v in expected.items())
                or manifest.get("batch", {}).get("inputs_sha256") != fingerprint
                or set(listed) != set(documents)):
            return None
        entries = []
        for name in documents:
            data = read_input(target / name, "pack file", follow=False)
            if hashlib.sha256(data).hexdigest() != listed[name]:
                return None
            entries.append(_file_entry(name, data))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable or not a manifest: not a pack to keep
    return [*entries, _file_entry("manifest.json", manifest_bytes)]


def clean_stale(out: Path, slug: str) -> None:
    """Recover or remove what a killed run left half-made for this school.

    An old pack set aside by an interrupted --overwrite is put back if its new one never
    arrived. Only this school's own paths, and never through a link: another shard may be
    writing other schools next door, and `out/<school>` may be a link planted elsewhere.
    """
    folder = out / slug
    if not stat.S_ISDIR(lstat_mode(folder)):
        return
    for ks in KEY_STAGE_IDS:
        recover(folder / ks)
    for leftover in [*folder.glob(".*.partial-*"), *folder.glob(".*.old-*")]:
        remove_tree(leftover)
    for leftover in out.glob(f".{slug}.zip.partial-*"):
        remove_tree(leftover)


def write_zip(out: Path, slug: str, key_stages: Iterable[str], when: dt.datetime) -> dict[str, Any]:
    """<out>/<slug>.zip with the school's packs, byte-identical for the same packs and time."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=when.tzinfo)).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for ks in key_stages:
            for name in PACK_FILES:
                entry = zipfile.ZipInfo(f"{slug}/{ks}/{name}", date_time=stamp)
                entry.external_attr = 0o644 << 16
                entry.create_system = 3
                # Office files are zips already: storing them saves time and loses nothing.
                entry.compress_type = zipfile.ZIP_DEFLATED if name.endswith(".json") else (
                    zipfile.ZIP_STORED)
                archive.writestr(entry, (out / slug / ks / name).read_bytes())
    data = buffer.getvalue()
    atomic_write(out / f"{slug}.zip", data)
    return {"name": f"{slug}.zip", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.partial-{os.getpid()}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)  # mkstemp's 0600 would hide the file from colleagues
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --- running --------------------------------------------------------------------------

OnResults = Callable[[list[PackResult]], None]
_worker: tuple[Library, Settings, Any] | None = None


def failed_results(plan: RowPlan) -> list[PackResult]:
    """Index entries for a row that cannot be built: one per key stage it asked for."""
    reason = plan.error or "failed"
    return [PackResult(plan.line, plan.name, plan.urn, plan.slug, ks, "failed", reason)
            for ks in plan.key_stages or ("",)]


def run_batch(library: Library, settings: Settings, plans: list[RowPlan], jobs: int,
              on_results: OnResults) -> list[PackResult]:
    """Build every good row, report bad ones, and return every result in CSV order.

    `on_results` is called (in this process) as each row finishes, for progress.
    Interrupted (Ctrl-C, SIGTERM), it says how many packs were made and how many not.
    """
    check_date(settings.lesson_date)
    logos = [p.school.logo for p in plans if p.school is not None and p.school.logo]
    check_not_inputs(_outputs(settings, plans), [*settings.inputs, *logos])
    results: list[PackResult] = []

    def report(batch: list[PackResult]) -> None:
        results.extend(batch)
        on_results(batch)

    for plan in plans:
        if plan.school is None:
            if settings.zip and plan.slug:
                (settings.out / f"{plan.slug}.zip").unlink(missing_ok=True)  # as in run_row
            report(failed_results(plan))
    todo = [p for p in plans if p.school is not None]
    try:
        with terminate_as_interrupt():
            if jobs <= 1 or len(todo) <= 1:
                for plan in todo:
                    report(run_row(library, settings, plan))
            else:
                _run_in_pool(settings, todo, min(jobs, len(todo)), report)
    except KeyboardInterrupt:
        raise InterruptedRun(_interrupted(results, plans)) from None
    order = {ks: i for i, ks in enumerate(("", *KEY_STAGE_IDS))}
    return sorted(results, key=lambda r: (r.line, order.get(r.key_stage, 99)))


def _outputs(settings: Settings, plans: list[RowPlan]) -> list[Path]:
    out = settings.out
    paths = [out / f"{stem}.{ext}" for stem in ("index",) for ext in ("csv", "json")]
    paths += out.glob("index-*-of-*.*") if out.is_dir() else []
    for plan in plans:
        if plan.slug:
            paths += [out / plan.slug / ks for ks in plan.key_stages] + [out / f"{plan.slug}.zip"]
    return paths


def _interrupted(results: list[PackResult], plans: list[RowPlan]) -> str:
    made = [f"{r.slug}/{r.key_stage}" for r in results if r.status != "failed"]
    wanted = sum(max(1, len(p.key_stages)) for p in plans)
    shown = ", ".join(made[:20]) + (f" and {len(made) - 20} more" if len(made) > 20 else "")
    return (f"Interrupted: {len(made)} of {wanted} packs are complete"
            f"{': ' + shown if made else ''}; the other {wanted - len(made)} were not written "
            "(no half-written pack is left). Run the same command again to finish: "
            "complete packs are kept.")


def _run_in_pool(settings: Settings, todo: list[RowPlan], jobs: int, report: OnResults) -> None:
    context = multiprocessing.get_context()
    stop = context.Event()  # set on Ctrl-C: rows already queued to a worker are then skipped
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(settings, stop, os.getpid())) as pool:
        futures = {pool.submit(_work, plan): plan for plan in todo}
        try:
            for future in as_completed(futures):
                report(_outcome(future, futures[future]))
        except BaseException:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)  # running rows finish their rename
            raise


def _outcome(future: Any, plan: RowPlan) -> list[PackResult]:
    try:
        return future.result()
    except BrokenProcessPool:
        # A worker was killed (out of memory, say): its rows and those not yet started
        # fail, and running the same command again builds just those.
        reason = "a worker process stopped unexpectedly; run the same command again to finish"
    except Exception as exc:  # noqa: BLE001 - e.g. a row that cannot be sent to a worker
        reason = _reason(exc)
    return failed_results(_with_error(plan, reason))


def _with_error(plan: RowPlan, error: str) -> RowPlan:
    return RowPlan(plan.line, plan.name, plan.urn, plan.slug, plan.key_stages, None, error)


def _start_worker(settings: Settings, stop: Any, parent: int) -> None:
    # Ctrl-C is the parent's to handle: it lets running rows finish and stops the rest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    global _worker
    library = Library.load(lessons=settings.lessons)  # once per process, not once per pack
    _worker = (library, settings, stop)


def _work(plan: RowPlan) -> list[PackResult]:
    assert _worker is not None, "worker not initialised"
    library, settings, stop = _worker
    if stop.is_set():
        return []
    return run_row(library, settings, plan)


# --- the index ------------------------------------------------------------------------


def index_name(shard: tuple[int, int] | None) -> str:
    return f"index-{shard[0]}-of-{shard[1]}" if shard else "index"


def write_index(out: Path, results: list[PackResult], meta: dict[str, Any],
                shard: tuple[int, int] | None) -> tuple[Path, Path]:
    """index.csv (one line per pack, a SHA-256 column per file) and index.json; atomically."""
    stem = index_name(shard)
    for leftover in out.glob(f".{stem}.*.partial-*"):
        if not writer_alive(leftover.name):  # another run may be writing its index now
            remove_tree(leftover)
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    document = {**meta, "summary": {"packs": len(results), **counts},
                "packs": [_json_entry(r) for r in results]}
    json_path, csv_path = out / f"{stem}.json", out / f"{stem}.csv"
    atomic_write(json_path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
    atomic_write(csv_path, _csv_index(results))
    return csv_path, json_path


def _json_entry(r: PackResult) -> dict[str, Any]:
    return {"row": r.line, "school": r.name, "urn": r.urn or None, "slug": r.slug or None,
            "key_stage": r.key_stage or None, "status": r.status, "reason": r.reason or None,
            "folder": r.folder or None, "files": r.files, "zip": r.zip}


INDEX_COLUMNS = ("row", "school", "urn", "slug", "key_stage", "status", "reason", "folder",
                 *(f"{name} sha256" for name in PACK_FILES), "zip", "zip sha256")


def _csv_index(results: list[PackResult]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INDEX_COLUMNS)
    for r in results:
        digests = {f["name"]: f["sha256"] for f in r.files}
        writer.writerow([excel_text(cell) for cell in [
            r.line, r.name, r.urn, r.slug, r.key_stage, r.status, r.reason, r.folder,
            *(digests.get(name, "") for name in PACK_FILES),
            r.zip["name"] if r.zip else "", r.zip["sha256"] if r.zip else "",
        ]])
    # With a BOM, as Excel needs to read accented names as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_text(cell: object) -> object:
    """A cell Excel shows as text: one that could start a formula gets a leading quote.

    A school name such as "=HYPERLINK(...)" must not run when the index is opened (CSV
    injection; OWASP's advice). index.json keeps the value as it was.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell
