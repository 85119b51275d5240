"""Load test of `lessonpack serve` on this machine: timings when warm, 50 packs at once,
and a room of 60 DSLs behind one address, each making a pack, under the default limits.

    python benchmarks/web_load.py [--concurrent 50] [--workers 2] [--key-stages ks3] [--room 60]

Starts the server on a free localhost port (rate limit off: every request comes from
one address here), measures the form page, a KS3 preview and a KS3 zip one at a time,
then sends N pack requests at once, each for a different school, and checks every zip:
each must hold the whole pack, made for its own school. Then it stops the server.
Memory is the resident size of the server and its worker processes, from /proc.

The room: a second server with the rate limits a host gets by default; 60 clients from
this one address (as a school's or a county's network reaches the internet) each load
the page, continue to check their answers, preview, confirm and download their own zip,
all at once. Every step must answer 200 and every zip be the school's own.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import socket
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lessonpack.pack import PACK_FILES  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def form(school: str, key_stages: list[str]) -> dict:
    return {"school.name": school, "dsl.name": "Ms A Example", "dsl.email": "dsl@example.sch.uk",
            "lesson.force": "hampshire", "lesson.key_stages": key_stages, "lesson.minutes": "60"}


def check_zip(data: bytes, school: str, key_stages: list[str]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        for ks in key_stages:
            assert {f"{ks}/{n}" for n in PACK_FILES} <= names, names
            manifest = json.loads(archive.read(f"{ks}/manifest.json"))
            assert manifest["inputs"]["school"] == school, (manifest["inputs"]["school"], school)
        assert "school.toml" in names


def timed(client: httpx.Client, method: str, url: str, runs: int, **kwargs) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.request(method, url, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


async def burst(url: str, n: int, key_stages: list[str]) -> tuple[list[float], float, list[int]]:
    limits = httpx.Limits(max_connections=n)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        async def one(i: int) -> tuple[float, int]:
            school = f"Load Test School {i}"
            start = time.perf_counter()
            response = await client.post("/download", data=form(school, key_stages))
            if response.status_code == 200:
                check_zip(response.content, school, key_stages)
            return (time.perf_counter() - start) * 1000, response.status_code

        start = time.perf_counter()
        results = await asyncio.gather(*(one(i) for i in range(n)))
        return [t for t, _ in results], time.perf_counter() - start, [s for _, s in results]


async def room(url: str, n: int) -> tuple[list[float], float, list[list[int]]]:
    """`n` DSLs from one address, at once, each taking the whole path to their zip."""
    limits = httpx.Limits(max_connections=n)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        async def one(i: int) -> tuple[float, list[int]]:
            school = f"Room School {i}"
            data = form(school, ["ks3"])
            start = time.perf_counter()
            statuses = [(await client.get("/")).status_code]
            for page in ("/check", "/preview", "/done", "/download"):
                response = await client.post(page, data=data)
                statuses.append(response.status_code)
            if response.status_code == 200:
                check_zip(response.content, school, ["ks3"])
            return (time.perf_counter() - start) * 1000, statuses

        start = time.perf_counter()
        results = await asyncio.gather(*(one(i) for i in range(n)))
        return [t for t, _ in results], time.perf_counter() - start, [s for _, s in results]


def start_server(port: int, workers: int, limited: bool) -> subprocess.Popen:
    limits = [] if limited else ["--rate-limit", "0", "--total-limit", "0"]
    return subprocess.Popen(
        [sys.executable, "-m", "lessonpack", "serve", "--port", str(port),
         "--no-browser", "--workers", str(workers), *limits],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(client: httpx.Client) -> None:
    for _ in range(300):
        try:
            if client.get("/health").text == "ok":
                return
        except httpx.TransportError:
            time.sleep(0.1)


def summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return (f"{name:<28} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
            f"max {times[-1]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--key-stages", default="ks3")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--room", type=int, default=60, help="DSLs behind one address (0: none)")
    args = parser.parse_args()
    key_stages = args.key_stages.split(",")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers, limited=False)
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            wait_until_up(client)
            idle = rss_mb(server.pid)
            print(f"server on {url}, {args.workers} pack workers; memory idle {idle:.0f} MB")
            timed(client, "POST", "/download", 3, data=form("Warm-up", key_stages))  # warm
            print(summary("form page (GET /)", timed(client, "GET", "/", args.runs)))
            print(summary("KS3 preview (POST)", timed(client, "POST", "/preview", args.runs,
                                                      data=form("Timing", ["ks3"]))))
            print(summary("KS3 zip (POST)", timed(client, "POST", "/download", args.runs,
                                                  data=form("Timing", ["ks3"]))))
        times, wall, statuses = asyncio.run(burst(url, args.concurrent, key_stages))
        ok = statuses.count(200)
        print(f"{args.concurrent} concurrent zips ({'+'.join(key_stages)}): {ok} ok, "
              f"others {sorted(set(statuses) - {200}) or 'none'}, all {wall:.2f} s, "
              f"{ok / wall:.1f} packs/s")
        print(summary("  each request", times))
        print(f"memory after the burst {rss_mb(server.pid):.0f} MB (server and workers)")
    finally:
        server.terminate()
        server.wait(timeout=10)
    if args.room:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(port, args.workers, limited=True)
        try:
            with httpx.Client(base_url=url, timeout=60) as client:
                wait_until_up(client)
            times, wall, paths = asyncio.run(room(url, args.room))
            whole = sum(p == [200] * 5 for p in paths)
            print(f"{args.room} DSLs behind one address, default limits: {whole} made their pack "
                  f"(page, check, preview, confirmation, zip), others "
                  f"{sorted({tuple(p) for p in paths if p != [200] * 5}) or 'none'}, all in {wall:.2f} s")
            print(summary("  each DSL's five requests", times))
        finally:
            server.terminate()
            server.wait(timeout=10)
        ok = ok if whole == args.room else -1
    if ok != args.concurrent:
        sys.exit(1)


if __name__ == "__main__":
    main()
