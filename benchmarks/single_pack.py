"""How fast one pack is, side by side with pandoc in one run:

- a cold start of the whole command (a fresh process, as a teacher runs it), with the
  content and template cache filled by an earlier run and with it turned off, alternating
  with pandoc making the same six documents from the same Markdown (medians);
- one pack in a warm process (what `batch` and the web server pay per pack);
- the batch rate for 1,000 schools with `--jobs 2` (benchmarks/batch_bench.py).

    python benchmarks/single_pack.py [--runs 7] [--batch 1000]   # --batch 0 skips the batch

Prints a Markdown table (docs/benchmarks.md quotes it). Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEY_STAGE, FORCE = "ks3", "hampshire"


def markdown_sources(folder: Path) -> dict[str, Path]:
    """The pack's six documents as plain Markdown (our templates, values filled in), for
    pandoc to convert: the same content, pandoc's own writers."""
    from lessonpack.pack import DOCUMENTS, SLIDES, Library, render_pack
    from lessonpack.rendering.context import PackRequest

    library = Library.load()
    request = PackRequest(key_stage=KEY_STAGE, force=library.content.forces_by_slug[FORCE])
    models = render_pack(library, request)
    sources = {}
    for name, (template, extra) in {SLIDES[0]: (SLIDES[1], {}), **DOCUMENTS}.items():
        rendered = library.templates.render(template, models.template_data(**extra))
        # "::: notes close" → pandoc's "::: notes"; the values put back.
        text = re.sub(r"^(:::+ \w+).*$", r"\1", rendered.fill(str(rendered)), flags=re.M)
        sources[name] = folder / (Path(name).stem + ".md")
        sources[name].write_text(text, encoding="utf-8")
    return sources


def _timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def cold_runs(runs: int) -> dict[str, list[float]]:
    """A fresh process each time, alternating: lessonpack with its cache filled, lessonpack
    with the cache off, and pandoc making the same six files (six pandoc processes, as
    pandoc writes one file per run). Python's bytecode cache is allowed (an installed tool
    has one); one unmeasured round writes the caches first."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    pandoc = shutil.which("pandoc")
    times: dict[str, list[float]] = {"cached": [], "uncached": [], "pandoc": []}
    with tempfile.TemporaryDirectory() as md, tempfile.TemporaryDirectory() as cache:
        cached_env = {**env, "LESSONPACK_CACHE_DIR": cache}
        uncached_env = {**env, "LESSONPACK_NO_CACHE": "1"}
        sources = markdown_sources(Path(md)) if pandoc else {}
        for index in range(runs + 1):
            with tempfile.TemporaryDirectory() as out:
                ours = [sys.executable, "-m", "lessonpack.commands.cli", "generate", "-k", KEY_STAGE,
                        "--force", FORCE, "--out", out, "--overwrite"]
                for kind in ("cached", "uncached", "pandoc"):
                    if kind == "pandoc":
                        if not pandoc:
                            continue
                        seconds = sum(_timed([pandoc, str(source), "-o", str(Path(out) / name)])
                                      for name, source in sources.items())
                    else:
                        seconds = _timed(ours, cached_env if kind == "cached" else uncached_env)
                    if index:
                        times[kind].append(seconds)
    times["peak_mb"] = [resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]
    return times


def warm_runs(runs: int) -> tuple[float, float, float, float]:
    """Load once; then the median pack when the same packs recur (KS2–KS5 in turn), and
    when every pack is for a different school (its own name, colour and DSL), as in a
    batch or on the web server, where per-process caches help less."""
    from lessonpack.pack import Library, build_pack
    from lessonpack.rendering.context import PackRequest
    from lessonpack.school.models import Person, School

    start = time.perf_counter()
    library = Library.load()
    load = time.perf_counter() - start
    force = library.content.forces_by_slug[FORCE]
    for ks in ("ks2", "ks3", "ks4", "ks5"):  # warm the per-process caches
        build_pack(library, PackRequest(key_stage=ks, force=force))
    times = []
    for i in range(runs):
        ks = ("ks2", "ks3", "ks4", "ks5")[i % 4]
        start = time.perf_counter()
        build_pack(library, PackRequest(key_stage=ks, force=force))
        times.append(time.perf_counter() - start)
    schools = []
    for i in range(runs):
        ks = ("ks2", "ks3", "ks4", "ks5")[i % 4]
        school = School(name=f"St Aidan's School {i}", colour=f"#{(i * 2654435761) % 0xFFFFFF:06X}",
                        address=[f"{i} High Street", "Hexham"],
                        dsl=Person(name=f"Ms Teacher {i}", phone="0191 496 0000"))
        start = time.perf_counter()
        build_pack(library, PackRequest(key_stage=ks, force=force, school=school))
        schools.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return load, statistics.median(times), statistics.median(schools), peak


def batch_rate(schools: int) -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    import batch_bench

    with tempfile.TemporaryDirectory(prefix="lessonpack-bench-") as tmp:
        csv = Path(tmp) / "schools.csv"
        batch_bench.write_schools(csv, schools, KEY_STAGE)
        return batch_bench.run_config(csv, 2, Path(tmp), stub=False, key_stage=KEY_STAGE)


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s (min {min(values):.3f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=1000, help="schools in the batch run (0: skip)")
    args = parser.parse_args()
    cold = cold_runs(args.runs)
    load, per_pack, per_school, warm_peak = warm_runs(args.runs * 4)
    n = args.runs
    print("| measure | result |")
    print("|---|---|")
    print(f"| cold single {KEY_STAGE.upper()} pack, whole command, cache filled (median of {n}) | "
          f"{_median(cold['cached'])} |")
    print(f"| cold single {KEY_STAGE.upper()} pack, cache off (`LESSONPACK_NO_CACHE=1`) | "
          f"{_median(cold['uncached'])} |")
    if cold["pandoc"]:
        print(f"| pandoc, the same six documents from Markdown (median of {n}, alternating) | "
              f"{_median(cold['pandoc'])} |")
        ratio = statistics.median(cold["pandoc"]) / statistics.median(cold["cached"])
        print(f"| pandoc's time ÷ lessonpack's (cache filled) | {ratio:.2f}× |")
    print(f"| loading content, templates and themes once | {load * 1000:.0f} ms |")
    print(f"| one pack in a warm process, the same packs again (median of {n * 4}, KS2–KS5) | "
          f"{per_pack * 1000:.1f} ms |")
    print(f"| one pack in a warm process, a different school each time (median of {n * 4}) | "
          f"{per_school * 1000:.1f} ms |")
    print(f"| peak memory, cold command | {cold['peak_mb'][0]:.0f} MB |")
    print(f"| peak memory, warm process | {warm_peak:.0f} MB |")
    if args.batch:
        r = batch_rate(args.batch)
        print(f"| batch, {args.batch} schools, `--jobs 2` | {args.batch / r['seconds']:.1f} packs/s "
              f"({r['seconds']:.1f} s; parent {r['parent_mb']:.0f} MB, largest worker "
              f"{r['workers_mb']:.0f} MB) |")
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} cores, {sys.platform}")


if __name__ == "__main__":
    main()
