"""How fast `lessonpack batch` is, and how much memory it needs, as the school count grows.

    python benchmarks/batch_bench.py                       # N = 100 and 1000, --jobs 1 and 2
    python benchmarks/batch_bench.py --sizes 100 --jobs 2  # a quick look
    python benchmarks/batch_bench.py --stub-build          # the batch's own cost per pack

Builds a CSV of N synthetic schools (accents, apostrophes, Welsh names, very long names,
a DSL with a phone and email each) and runs `lessonpack batch` for one key stage. Each
configuration runs in a fresh Python process, so that its peak memory is its own: the
parent's from RUSAGE_SELF, the worker processes' from RUSAGE_CHILDREN (the largest one).
The time is the batch command itself, without Python's start-up and imports.

With --stub-build, every pack is the same one, built once before the run: what is left is
the batch's own work per pack (reading rows, locks, writing the files, the index, the
workers' traffic). The workers inherit the stub by fork, Linux's default start method.

If pandoc is on PATH, it also times pandoc making the same deck, worksheet and letter
from the same Markdown, for a sample of the schools, in the same run.

Prints a Markdown table (docs/benchmarks.md quotes it). Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATE = "2026-12-01"
FORCE = "northumbria"

SAINTS = ["St Mary's", "St Thérèse's", "Our Lady & St Joseph's", "St Aidan's", "St Cuthbert's",
          "Holy Trinity", "St Brigid's", "St Æthelwold's", "St Öswald's"]
PLACES = ["Ashington", "Blaydon", "Cramlington", "Gateshead", "Hexham", "Jarrow", "Morpeth",
          "Ponteland", "Tynemouth", "Whitley Bay", "Bro Morgannwg", "Llanfairpwllgwyngyll",
          "Saint-Étienne Lane", "Łódź Road", "Brontë Park"]
KINDS = ["Academy", "Catholic Primary School", "C of E Voluntary Aided School", "High School",
         "Community College", "Free School", "School & Sixth Form"]
FIRST = ["Siân", "Zoë", "Seán", "Aoife", "Chloé", "Priya", "Tomasz", "Olamide", "Ruairí"]
LAST = ["O'Connor", "Ní Bhriain", "Brontë", "Kowalczyk", "Adeyemi", "D'Souza", "MacLeòid"]


def school_name(rng: random.Random, i: int) -> str:
    place = PLACES[i % len(PLACES)]
    pattern = i % 5
    if pattern == 0:
        return f"{rng.choice(SAINTS)} {rng.choice(KINDS)}, {place} ({i})"
    if pattern == 1:
        return f"Ysgol Gymraeg {place} {i}"
    if pattern == 2:
        return f"École Française de {place} {i}"
    if pattern == 3:  # long enough to need a smaller title and a wrapped footer
        return (f"The Archbishop of York's Church of England Multi-Academy Trust {place} "
                f"Secondary School and Sixth Form College for the Arts and Sciences {i}")
    return f"{place} {rng.choice(KINDS)} {i}"


def write_schools(path: Path, n: int, key_stage: str) -> None:
    rng = random.Random(n)  # the same CSV for the same N
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "key_stages", "urn", "dsl_name", "dsl_email", "dsl_phone",
                         "website", "address"])
        for i in range(n):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            writer.writerow([
                school_name(rng, i), key_stage, 100000 + i, f"{first} {last}",
                f"dsl{i}@school{i}.example.org", f"0191 496 0{i % 1000:03d}",
                f"https://school{i}.example.org", f"{i} High Street; {PLACES[i % len(PLACES)]}",
            ])


# --- one configuration, in its own process ------------------------------------------------


def stub_build_pack(key_stage: str) -> None:
    """Make build_pack return one pack, built here once: the workers (forked) inherit it."""
    import datetime as dt

    from lessonpack.batch import row
    from lessonpack.pack import Library, build_pack
    from lessonpack.rendering.context import PackRequest
    from lessonpack.school.models import School

    library = Library.load()
    built = build_pack(library, PackRequest(
        key_stage=key_stage, force=library.content.forces_by_slug[FORCE],
        school=School(name="Stub School"), lesson_date=dt.date.fromisoformat(DATE)))
    row.build_pack = lambda _library, _request: dict(built)


def child(schools: str, out: str, jobs: int, result: str, stub: str) -> None:
    from lessonpack.commands.cli import cli

    if stub:
        stub_build_pack(stub)

    args = ["batch", "--force", FORCE, "--schools", schools, "--out", out, "--date", DATE,
            "--jobs", str(jobs)]
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        start = time.perf_counter()
        code = cli.main(args, prog_name="lessonpack", standalone_mode=False)
        seconds = time.perf_counter() - start
    # Memory first: reading the index back below is the benchmark's work, not the batch's.
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    summary = json.loads((Path(out) / "index.json").read_text())["summary"]
    Path(result).write_text(json.dumps({
        "cpu_seconds": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
        "parent_cpu_seconds": own.ru_utime + own.ru_stime,
        "seconds": seconds,
        "exit": code or 0,
        "summary": summary,
        "parent_mb": own.ru_maxrss / 1024,
        "workers_mb": workers.ru_maxrss / 1024,
    }))


def run_config(schools: Path, jobs: int, work: Path, stub: bool, key_stage: str) -> dict:
    # A folder of its own for each run, nothing deleted until the end: on a file system
    # that searches recently deleted inodes for every new file (ext4 without a journal,
    # as here), deleting one run's packs slows the next run's for half a minute.
    out, result = work / f"out-{schools.stem}-{jobs}", work / f"result-{schools.stem}-{jobs}.json"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, __file__, "--child", str(schools), str(out), str(jobs),
                    str(result), key_stage if stub else ""], check=True)
    data = json.loads(result.read_text())
    data["disk_mb"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    shutil.rmtree(out, ignore_errors=True)
    return data


def busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (Linux), to see who else was running."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


# --- pandoc, for comparison -----------------------------------------------------------------


def pandoc_seconds(sample: int, key_stage: str, work: Path) -> float | None:
    """Seconds pandoc takes per school for the deck, worksheet and letter, or None."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None
    import datetime as dt

    from lessonpack.pack import Library, render_pack
    from lessonpack.rendering.context import PackRequest
    from lessonpack.school.models import Person, School

    library = Library.load()
    force = library.content.forces_by_slug[FORCE]
    rng = random.Random(sample)
    jobs = []
    for i in range(sample):
        school = School(name=school_name(rng, i), dsl=Person(name="Siân O'Connor",
                                                               phone="0191 496 0000"))
        request = PackRequest(key_stage=key_stage, force=force, school=school,
                              lesson_date=dt.date.fromisoformat(DATE))
        models = render_pack(library, request)
        for template, extra, target in (("slides.md.j2", {}, "slides.pptx"),
                                        ("worksheet.md.j2", {"answers": False}, "worksheet.docx"),
                                        ("parent-letter.md.j2", {}, "parent-letter.docx")):
            rendered = library.templates.render(template, models.template_data(**extra))
            # Plain Markdown with the values put back; "::: notes close" → pandoc's "::: notes".
            text = re.sub(r"^(:::+ \w+).*$", r"\1", rendered.fill(str(rendered)), flags=re.M)
            source = work / f"pandoc-{i}-{target}.md"
            source.write_text(text, encoding="utf-8")
            jobs.append((source, work / f"pandoc-{i}-{target}"))
    start = time.perf_counter()
    for source, target in jobs:
        subprocess.run([pandoc, str(source), "-o", str(target)], check=True, capture_output=True)
    return (time.perf_counter() - start) / sample


# --- the report -----------------------------------------------------------------------------


def _others(r: dict) -> str:
    return "n/a" if r["others"] is None else f"{max(r['others'], 0):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--key-stage", default="ks3")
    parser.add_argument("--pandoc-sample", type=int, default=20)
    parser.add_argument("--stub-build", action="store_true",
                        help="time the batch without building packs: each is one pack built once")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        schools, out, jobs, result, stub = args.child
        child(schools, out, int(jobs), result, stub)
        return

    rows = []
    with tempfile.TemporaryDirectory(prefix="lessonpack-bench-") as tmp:
        work = Path(tmp)
        for n in args.sizes:
            schools = work / f"schools-{n}.csv"
            write_schools(schools, n, args.key_stage)
            for jobs in args.jobs:
                print(f"running N={n} --jobs {jobs} ...", file=sys.stderr, flush=True)
                busy = busy_seconds()
                result = run_config(schools, jobs, work, args.stub_build, args.key_stage)
                result["others"] = busy_seconds() - busy - result["cpu_seconds"] if busy else None
                rows.append((n, jobs, result))
        pandoc = None if args.stub_build else pandoc_seconds(
            min(args.pandoc_sample, max(args.sizes)), args.key_stage, work)

    stubbed = " with build_pack stubbed (the batch's own work only)" if args.stub_build else ""
    print(f"`lessonpack batch --force {FORCE}`, one key stage ({args.key_stage}) per school"
          f"{stubbed}; {os.cpu_count()} CPUs, Python {sys.version.split()[0]}.\n")
    print("| schools | --jobs | packs ok | seconds | packs/s | CPU ms per pack | parent CPU ms "
          "per pack | parent peak RSS | largest worker peak RSS | output | other CPU s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, jobs, r in rows:
        ok = r["summary"]["ok"] + r["summary"]["skipped"]
        workers = f"{r['workers_mb']:.0f} MB" if jobs > 1 else "(in-process)"
        print(f"| {n} | {jobs} | {ok} | {r['seconds']:.1f} | {n / r['seconds']:.1f} | "
              f"{r['cpu_seconds'] / n * 1000:.1f} | {r['parent_cpu_seconds'] / n * 1000:.1f} | "
              f"{r['parent_mb']:.0f} MB | {workers} | {r['disk_mb']:.0f} MB | {_others(r)} |")
    print("\n'other CPU s': CPU time other processes used during the run. Well above 0, they "
          "shared the CPUs and the figures are low.")
    if args.stub_build:
        return
    if pandoc is None:
        print("\npandoc: not installed, so no comparison was made "
              "(install pandoc and run again to add it).")
        return
    # Against one process (--jobs 1) where that was run, else the fewest jobs that were.
    fewest = min(j for _, j, _ in rows)
    per_pack = min(r["seconds"] / n for n, j, r in rows if j == fewest)
    print(f"\npandoc, same run: {pandoc:.2f} s per school for the deck, worksheet and letter "
          f"(3 files, one process each), against lessonpack's {per_pack:.3f} s per pack "
          f"for all six documents and the manifest with --jobs {fewest}"
          f"{'' if fewest == 1 else ' (seconds for the run / packs)'}.")


if __name__ == "__main__":
    main()
