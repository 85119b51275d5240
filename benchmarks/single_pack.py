"""How fast one pack is: a cold start of the whole command, and per pack in a warm process.

    python benchmarks/single_pack.py [--runs 5]

Prints a Markdown table (the README quotes it). Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def cold_runs(runs: int) -> tuple[list[float], float]:
    """A fresh process each time, as a teacher runs it. Python's bytecode cache is allowed
    (an installed tool has one): PYTHONDONTWRITEBYTECODE is dropped and one unmeasured run
    writes the cache first."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times, peak = [], 0.0
    for index in range(runs + 1):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "lessonpack.cli", "generate", "-k", "ks3", "--force",
                 "hampshire", "--out", out],
                check=True, capture_output=True, env=env,
            )
            if index:
                times.append(time.perf_counter() - start)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return times, peak


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
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold, cold_peak = cold_runs(args.runs)
    load, per_pack, warm_peak = warm_runs(args.runs * 4)
    print("| measure | result |")
    print("|---|---|")
    print(f"| cold single KS3 pack, whole command (median of {args.runs}) | "
          f"{statistics.median(cold):.2f} s (min {min(cold):.2f} s) |")
    print(f"| loading content, templates and themes once | {load * 1000:.0f} ms |")
    print(f"| one pack in a warm process (median of {args.runs * 4}, KS2–KS5) | "
          f"{per_pack * 1000:.0f} ms |")
    print(f"| peak memory, cold command | {cold_peak:.0f} MB |")
    print(f"| peak memory, warm process | {warm_peak:.0f} MB |")
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} cores, {sys.platform}")


if __name__ == "__main__":
    main()
