"""How fast one pack is: a cold start of the whole command beside pandoc making the same
five files from Markdown (alternating runs, medians), and per pack in a warm process.

    python benchmarks/single_pack.py [--runs 7]

Prints a Markdown table (the README quotes it). Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PANDOC_FILES = {"slides.pptx": "slides.md.j2", "worksheet.docx": "worksheet.md.j2",
                "parent-letter.docx": "parent-letter.md.j2", "lesson-plan.docx": "lesson-plan.md.j2",
                "worksheet-answers.docx": "worksheet.md.j2"}


def markdown_sources(folder: Path) -> dict[str, Path]:
    """The pack's five documents as plain Markdown (our templates, values filled in),
    for pandoc to convert: the same content, pandoc's own writers."""
    from lessonpack.context import PackRequest, build_context
    from lessonpack.pack import Library

    library = Library.load()
    context = build_context(library.content, PackRequest(
        key_stage="ks3", force=library.content.forces_by_slug["hampshire"]))
    context["slides_for_step"] = {}
    sources = {}
    for name, template in PANDOC_FILES.items():
        extra = {"answers": name == "worksheet-answers.docx"} if "worksheet" in name else {}
        rendered = library.templates.render(template, {**context, **extra})
        sources[name] = folder / (Path(name).stem + ".md")
        sources[name].write_text(rendered.fill(rendered), encoding="utf-8")
    return sources


def cold_runs(runs: int) -> tuple[list[float], list[float], float]:
    """A fresh process each time, as a teacher runs it, alternating with pandoc making the
    same five files (five pandoc processes, as pandoc writes one file per run). Python's
    bytecode cache is allowed (an installed tool has one): PYTHONDONTWRITEBYTECODE is
    dropped and one unmeasured run of each writes the caches first."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    pandoc = shutil.which("pandoc")
    ours, theirs, peak = [], [], 0.0
    with tempfile.TemporaryDirectory() as md:
        sources = markdown_sources(Path(md)) if pandoc else {}
        for index in range(runs + 1):
            with tempfile.TemporaryDirectory() as out:
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "lessonpack.cli", "generate", "-k", "ks3", "--force",
                     "hampshire", "--out", out],
                    check=True, capture_output=True, env=env,
                )
                if index:
                    ours.append(time.perf_counter() - start)
                peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
                if pandoc:
                    start = time.perf_counter()
                    for name, source in sources.items():
                        subprocess.run([pandoc, str(source), "-o", str(Path(out) / name)],
                                       check=True, capture_output=True)
                    if index:
                        theirs.append(time.perf_counter() - start)
    return ours, theirs, peak


def warm_runs(runs: int) -> tuple[float, float, float]:
    from lessonpack.context import PackRequest
    from lessonpack.pack import Library, build_pack

    start = time.perf_counter()
    library = Library.load()
    load = time.perf_counter() - start
    force = library.content.forces_by_slug["hampshire"]
    build_pack(library, PackRequest(key_stage="ks3", force=force))  # warm the caches
    times = []
    for i in range(runs):
        ks = ("ks2", "ks3", "ks4", "ks5")[i % 4]
        start = time.perf_counter()
        build_pack(library, PackRequest(key_stage=ks, force=force))
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return load, statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    cold, pandoc, cold_peak = cold_runs(args.runs)
    load, per_pack, warm_peak = warm_runs(args.runs * 4)
    print("| measure | result |")
    print("|---|---|")
    print(f"| cold single KS3 pack, whole command (median of {args.runs}) | "
          f"{statistics.median(cold):.2f} s (min {min(cold):.2f} s) |")
    if pandoc:
        print(f"| pandoc, the same five files from Markdown (median of {args.runs}, alternating) | "
              f"{statistics.median(pandoc):.2f} s (min {min(pandoc):.2f} s) |")
        print(f"| lessonpack vs pandoc | {statistics.median(pandoc) / statistics.median(cold):.1f}× "
              "faster |")
    print(f"| loading content, templates and themes once | {load * 1000:.0f} ms |")
    print(f"| one pack in a warm process (median of {args.runs * 4}, KS2–KS5) | "
          f"{per_pack * 1000:.0f} ms |")
    print(f"| peak memory, cold command | {cold_peak:.0f} MB |")
    print(f"| peak memory, warm process | {warm_peak:.0f} MB |")
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} cores, {sys.platform}")


if __name__ == "__main__":
    main()
