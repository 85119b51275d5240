"""One row of the plan → its packs: current ones skipped (resume), stale ones cleaned, the school's zip."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lessonpack.batch.results import (
    PackResult,
    Settings,
    inputs_fingerprints,
)
from lessonpack.batch.schools import (
    RowPlan,
)
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.errors import LessonpackError, OutputError
from lessonpack.main import make_pack
from lessonpack.output import (
    hidden_names,
    recover,
    remove_tree,
    school_lock,
)
from lessonpack.pack import BOTH, PACK_FILES, Library, build_time, pack_dir, pack_files, write_pack, zip_files
from lessonpack.rendering.context import PackRequest
from lessonpack.safe_io import read_input


def run_row(library: Library, settings: Settings, plan: RowPlan,
            zip_leftovers: Iterable[str] = ()) -> list[PackResult]:
    """Every pack of one school (and its zip); a failure is recorded, never raised.

    `zip_leftovers`: this school's half-written zips in `out`, from `zip_leftovers_by_school`.
    """
    assert plan.school is not None
    try:
        with school_lock(settings.out, plan.slug):
            return _run_locked(library, settings, plan, zip_leftovers)
    except (OSError, LessonpackError) as exc:  # a linked or unwritable school folder
        return failed_results(_with_error(plan, _reason(exc)))


def _run_locked(library: Library, settings: Settings, plan: RowPlan,
                zip_leftovers: Iterable[str]) -> list[PackResult]:
    clean_stale(settings.out, plan.slug, zip_leftovers)
    requests = [_request(settings, plan, ks) for ks in plan.key_stages]
    fingerprints = inputs_fingerprints(settings, requests)
    results = [_one_pack(library, settings, plan, request, fingerprint)
               for request, fingerprint in zip(requests, fingerprints, strict=True)]
    if settings.zip and any(r.status == "failed" for r in results):
        remove_old_zip(settings.out, plan.slug)
    elif settings.zip:
        try:
            check_zip_replaceable(settings.out / f"{plan.slug}.zip", plan.slug)
            zipped = write_zip(settings.out, plan.slug, plan.key_stages, build_time(requests[0]),
                               pack_files(plan.language))
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
                       lesson_date=settings.lesson_date, minutes=settings.minutes,
                       language=plan.language)


def _one_pack(library: Library, settings: Settings, plan: RowPlan, request: PackRequest,
              fingerprint: str) -> PackResult:
    result = PackResult(plan.line, plan.name, plan.urn, plan.slug, request.key_stage, "ok")
    try:
        target = pack_dir(settings.out, plan.slug, request.key_stage)
        if not settings.overwrite:
            current = current_pack(target, request, fingerprint)
            if current is not None:
                result.status, result.files = "skipped", current
                return result
        files = make_pack(library, request)
        files["manifest.json"], result.files = _with_batch_record(files, fingerprint)
        # Whatever is there is incomplete, stale or to be replaced: write_pack swaps it
        # for the new pack in one rename.
        write_pack(files, target, overwrite=True)
    except Exception as exc:  # noqa: BLE001 - one bad pack must not stop the others
        result.status, result.reason, result.files = "failed", _reason(exc), []
    return result


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LessonpackError | ValueError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return f"{type(exc).__name__}: {exc}"  # a bug: name it so that it can be reported


def _file_entry(name: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _with_batch_record(files: dict[str, bytes], fingerprint: str) -> tuple[bytes, list[dict]]:
    """The manifest with the batch's record, and the index's entry for each file.

    The manifest's own `inputs` name the school but not its DSL, logo or the force's
    contacts; the fingerprint covers them all, so a resumed run can trust a match.
    """
    data = json.loads(files["manifest.json"])
    manifest = _add_record(files["manifest.json"], {"inputs_sha256": fingerprint})
    if manifest is None:
        data["batch"] = {"inputs_sha256": fingerprint}
        manifest = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    # build_pack has just hashed these same bytes for the manifest: no need to again.
    listed = {f["name"]: f for f in data["files"]}
    entries = [listed[name] if name in listed and listed[name]["bytes"] == len(payload)
               else _file_entry(name, payload)
               for name, payload in files.items() if name != "manifest.json"]
    return manifest, [*entries, _file_entry("manifest.json", manifest)]


def _add_record(manifest: bytes, record: dict[str, str]) -> bytes | None:
    """The manifest with `"batch": record` as its last key, as json.dumps(indent=2) writes
    it, without encoding the whole manifest again (Python's indenting encoder is slow);
    None if the manifest is not laid out so, or has a "batch" key already."""
    if not manifest.endswith(b"\n}\n") or b'\n  "batch": ' in manifest:
        return None  # a top-level key is the only thing that starts a line so
    entry = json.dumps({"batch": record}, indent=2, ensure_ascii=False)[1:]  # '\n  "batch"...}'
    return manifest[:-3] + b"," + entry.encode() + b"\n"


def current_pack(target: Path, request: PackRequest, fingerprint: str) -> list[dict] | None:
    """The pack's file entries if it is complete and made from these inputs, else None."""
    expected = {
        "key_stage": request.key_stage,
        "force": request.force.slug if request.force else None,
        "school": request.school.name,
        "date": request.lesson_date.isoformat(),
        **({"language": request.language} if request.language != "en" else {}),
    }
    documents = [name for name in pack_files(request.language) if name != "manifest.json"]
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


def clean_stale(out: Path, slug: str, zip_leftovers: Iterable[str] = ()) -> None:
    """Recover or remove what a killed run left half-made for this school.

    An old pack set aside by an interrupted --overwrite is put back if its new one never
    arrived. Only this school's own paths, and never through a link: another shard may be
    writing other schools next door, and `out/<school>` may be a link planted elsewhere.
    `zip_leftovers` are the names of this school's half-written zips in `out`
    (`zip_leftovers_by_school`): listing `out`, with a pack per school, for every school
    would make a run's time grow with the square of its size.
    """
    folder = out / slug
    names = hidden_names(folder)  # one listing; usually empty, as leftovers are rare
    if names:
        for ks in KEY_STAGE_IDS:
            recover(folder / ks, names)
        for leftover in hidden_names(folder):  # again: recover may have put a pack back
            if ".partial-" in leftover[1:] or ".old-" in leftover[1:]:
                remove_tree(folder / leftover)
    for leftover in zip_leftovers:
        remove_tree(out / leftover)


ZIP_PARTIAL = ".zip.partial-"


def zip_leftovers_by_school(out: Path) -> dict[str, list[str]]:
    """Half-written zips in `out` (`.<slug>.zip.partial-*`), by school: one listing per run."""
    found: dict[str, list[str]] = {}
    for name in hidden_names(out, follow=True):
        slug, marker, _ = name[1:].partition(ZIP_PARTIAL)
        if marker:
            found.setdefault(slug, []).append(name)
    return found


def remove_old_zip(out: Path, slug: str) -> None:
    """An older zip would not match the school's packs any more: better none than a wrong
    one. A file of the user's own by that name is theirs to keep."""
    with contextlib.suppress(OutputError):
        check_zip_replaceable(out / f"{slug}.zip", slug)
        (out / f"{slug}.zip").unlink(missing_ok=True)


def check_zip_replaceable(path: Path, slug: str) -> None:
    """Refuse to replace `path` unless it is a zip of this school's packs, as write_zip
    makes them: nothing in `--out` that lessonpack did not write is ever replaced."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path} is not a zip lessonpack made (a link or not a file); "
                          "move it, or choose another --out")
    known = set(PACK_FILES) | set(pack_files(BOTH))
    try:
        with zipfile.ZipFile(path) as existing:
            names = existing.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        names = []
    parts = [name.split("/") for name in names]
    if not parts or any(len(p) != 3 or p[0] != slug or p[1] not in KEY_STAGE_IDS or p[2] not in known
                        for p in parts):
        raise OutputError(f"{path} is not a zip of {slug}'s packs that lessonpack made; "
                          "move it, or choose another --out")


def write_zip(out: Path, slug: str, key_stages: Iterable[str], when: dt.datetime,
              names: Iterable[str] = PACK_FILES) -> dict[str, Any]:
    """<out>/<slug>.zip with the school's packs, byte-identical for the same packs and time."""
    data = zip_files(((f"{slug}/{ks}/{name}", (out / slug / ks / name).read_bytes())
                      for ks in key_stages for name in names), when)
    atomic_write(out / f"{slug}.zip", data)
    return {"name": f"{slug}.zip", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file.

    `data` may come in pieces (an index of thousands of schools is written as it is
    encoded, rather than held whole in memory first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.partial-{os.getpid()}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                stream.writelines(data)
        os.chmod(temp, 0o644)  # mkstemp's 0600 would hide the file from colleagues
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def failed_results(plan: RowPlan) -> list[PackResult]:
    """Index entries for a row that cannot be built: one per key stage it asked for."""
    reason = plan.error or "failed"
    if plan.sheet:  # a row number alone does not say which of a workbook's sheets it is on
        reason = f"sheet {plan.sheet!r}: {reason}"
    return [PackResult(plan.line, plan.name, plan.urn, plan.slug, ks, "failed", reason)
            for ks in plan.key_stages or ("",)]


def _with_error(plan: RowPlan, error: str) -> RowPlan:
    return RowPlan(plan.line, plan.name, plan.urn, plan.slug, plan.key_stages, None, error)
