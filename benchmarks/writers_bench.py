"""CPU time of the Office writers per pack, and a record of what they write.

    python benchmarks/writers_bench.py [--rounds 50] [--repeats 3]
    python benchmarks/writers_bench.py --record parts.pickle   # before a change
    python benchmarks/writers_bench.py --check parts.pickle    # after it: every part identical

(To record from an older commit: `git worktree add /tmp/old <commit>` and run this script with
PYTHONPATH=/tmp/old, so that it imports the older lessonpack.)

Times `write_pptx` and `write_docx` (all five documents) on models rendered once, in a warm
process, with CPU time (process_time: the machine may be shared), the best of `--repeats`
runs of `--rounds` rounds. The packs: the national pack for each key stage, the Hampshire
KS3 pack, and a KS3 pack for a full school (logo, brand colour, deputy DSL, five local
routes, large print). `--record`/`--check` keep every zip part's decompressed bytes, so a
speed-up can be shown to change nothing a file holds. Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import pickle
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lessonpack.pack import Library, PackModels, render_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.school.config import load_school_file
from lessonpack.writers.docx import write_docx
from lessonpack.writers.pptx import write_pptx

# The repository, last: tests/ holds the full school, and lessonpack itself must still
# come first from PYTHONPATH when recording from an older commit.
sys.path.append(str(Path(__file__).resolve().parents[1]))
from tests.full_school import write_full_school  # noqa: E402

DAY = dt.date(2026, 12, 1)


def full_school(folder: Path):
    """The full school of tests/test_schema.py: a wide logo, a brand colour, five routes."""
    return load_school_file(write_full_school(folder)).school


def packs(library: Library, folder: Path) -> dict[str, PackModels]:
    hampshire = library.content.forces_by_slug["hampshire"]
    requests = {f"national-{ks}": PackRequest(key_stage=ks, force=None, lesson_date=DAY)
                for ks in ("ks2", "ks3", "ks4", "ks5")}
    requests["hampshire-ks3"] = PackRequest(key_stage="ks3", force=hampshire, lesson_date=DAY)
    requests["school-ks3-large"] = PackRequest(key_stage="ks3", force=hampshire, lesson_date=DAY,
                                               school=full_school(folder), large_print=True)
    return {name: render_pack(library, request) for name, request in requests.items()}


def write_all(library: Library, models: PackModels) -> dict[str, bytes]:
    files = {"slides.pptx": write_pptx(models.deck, library.pptx_theme, models.deck_meta)}
    for filename, (document, meta) in models.documents.items():
        files[filename] = write_docx(document, library.docx_theme, meta)
    return files


def parts(files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """Every file's zip parts, decompressed, in zip order."""
    out = {}
    for name, data in files.items():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None, name
            out[name] = {info.filename: archive.read(info) for info in archive.infolist()}
    return out


def batch_like(library: Library, schools: int) -> tuple[float, float]:
    """(pptx, docx) CPU milliseconds a pack when every pack is a different school, key
    stages in turn, as in a batch: what caches keyed by content gain there, not only when
    one pack is written again. A first, unmeasured batch of other schools warms up."""
    from lessonpack.school.models import School

    hampshire = library.content.forces_by_slug["hampshire"]
    stages = ("ks2", "ks3", "ks4", "ks5")

    def render(n: int) -> PackModels:
        return render_pack(library, PackRequest(
            key_stage=stages[n % 4], force=hampshire, lesson_date=DAY,
            school=School(name=f"School number {n}", colour=f"#{(n * 7919) % 0xAAAAAA:06X}")))

    for n in range(10**6, 10**6 + schools):
        write_all(library, render(n))
    pptx = docx = 0.0
    for n in range(schools):  # one pack's models at a time, as a batch holds them
        models = render(n)
        start = time.process_time()
        write_pptx(models.deck, library.pptx_theme, models.deck_meta)
        middle = time.process_time()
        for document, meta in models.documents.values():
            write_docx(document, library.docx_theme, meta)
        pptx += middle - start
        docx += time.process_time() - middle
    return pptx / schools * 1000, docx / schools * 1000


def count(parts_of: dict) -> int:
    return sum(len(p) for f in parts_of.values() for p in f.values())


def same(expected: dict, record: dict) -> bool:
    """Every part byte-identical, in the same order; says whether the zips are, too (they
    may differ only if compression changes)."""
    old, new = expected["parts"], record["parts"]
    names = {(pack, file, part) for side in (old, new) for pack in side for file in side[pack]
             for part in side[pack][file]}
    differ = sorted("/".join(n) for n in names
                    if old.get(n[0], {}).get(n[1], {}).get(n[2]) != new.get(n[0], {}).get(n[1], {}).get(n[2]))
    orders = [f"{pack}/{file}" for pack in old for file in old[pack]
              if list(old[pack][file]) != list(new.get(pack, {}).get(file, {}))]
    if differ or orders:
        print(f"DIFFERENT parts: {differ[:20]} order: {orders[:20]}")
        return False
    rezipped = [f for f in record["files"] if record["files"][f] != expected["files"].get(f)]
    zips = f"files differ only as zips: {rezipped}" if rezipped else "and every file byte-identical"
    print(f"identical: all {count(old)} parts of {len(expected['files'])} files, {zips}")
    return True


def cpu_per_pack(library: Library, models: PackModels, rounds: int, repeats: int) -> tuple[float, float]:
    """(pptx, docx) CPU milliseconds for one pack, the best of `repeats`."""
    best_pptx = best_docx = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(rounds):
            write_pptx(models.deck, library.pptx_theme, models.deck_meta)
        middle = time.process_time()
        for _ in range(rounds):
            for document, meta in models.documents.values():
                write_docx(document, library.docx_theme, meta)
        end = time.process_time()
        best_pptx = min(best_pptx, (middle - start) / rounds * 1000)
        best_docx = min(best_docx, (end - middle) / rounds * 1000)
    return best_pptx, best_docx


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--schools", type=int, default=200,
                        help="packs of different schools for the batch-like figure (0: skip)")
    parser.add_argument("--record", type=Path, help="save every part's bytes here")
    parser.add_argument("--check", type=Path, help="compare every part's bytes with this record")
    args = parser.parse_args()
    library = Library.load()
    with tempfile.TemporaryDirectory() as tmp:
        all_models = packs(library, Path(tmp))
    files = {name: write_all(library, models) for name, models in all_models.items()}
    for name, models in all_models.items():  # the same models twice: the same bytes
        assert write_all(library, models) == files[name], f"{name} is not deterministic"
    record = {"parts": {name: parts(written) for name, written in files.items()},
              "files": {f"{name}/{file}": hashlib.sha256(data).hexdigest()
                        for name, written in files.items() for file, data in written.items()}}
    if args.record:
        args.record.write_bytes(pickle.dumps(record))
        print(f"recorded {count(record['parts'])} parts of {len(record['files'])} files to {args.record}")
    if args.check and not same(pickle.loads(args.check.read_bytes()), record):
        return 1
    print("| pack | pptx ms | docx ms (5 files) | writers ms |")
    print("|---|---:|---:|---:|")
    for name, models in all_models.items():
        pptx, docx = cpu_per_pack(library, models, args.rounds, args.repeats)
        print(f"| {name} | {pptx:.2f} | {docx:.2f} | {pptx + docx:.2f} |")
    if args.schools:
        pptx, docx = batch_like(library, args.schools)
        print(f"| {args.schools} schools, KS2–KS5 in turn | {pptx:.2f} | {docx:.2f} | {pptx + docx:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
