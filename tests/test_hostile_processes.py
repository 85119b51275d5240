"""Issue 10, items 2 and 9 (processes): batch workers die with their parent however it is
killed, a pipeline ends when the batch ends, and two identical runs at once agree."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from lessonpack import office
from tests.helpers import poll, wait_for

from .hostile import ENV

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc to find the workers")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_batch(folder: Path, rows: int, *extra: str) -> subprocess.Popen:
    csv = folder / "schools.csv"
    csv.write_text("name,key_stages\n" + "".join(f"School {n},ks3\n" for n in range(rows)))
    return subprocess.Popen(
        [sys.executable, "-m", "lessonpack.commands.cli", "batch", "--force", "kent", "--schools", str(csv),
         "--out", str(folder / "out"), "--date", "2026-12-01", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=ENV, text=True)


def wait_for_workers(proc: subprocess.Popen, count: int) -> list[int]:
    workers = poll(lambda: found if len(found := children(proc.pid)) >= count else None, 60)
    if workers is None:
        proc.kill()
        pytest.fail("the workers never started")
    return workers


def wait_gone(pids: list[int], seconds: float = 15) -> list[int]:
    poll(lambda: not any(alive(p) for p in pids), seconds)
    return [p for p in pids if alive(p)]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "term"])
def test_workers_die_with_their_parent_and_the_pipe_closes(tmp_path, sig):
    proc = start_batch(tmp_path, 300, "--jobs", "2")
    workers = wait_for_workers(proc, 2)
    # Into their rows: the first packs are written (of 300, so the run is far from over).
    wait_for("a first pack", lambda: list((tmp_path / "out").glob("*/ks3/manifest.json")), 120)
    os.kill(proc.pid, sig)
    try:  # EOF on stdout only once every process holding it has gone: `batch | cat` ends
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        pytest.fail("the batch's stdout stayed open after it was killed")
    left = wait_gone(workers)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers outlived their parent: {left}"
    if sig == signal.SIGTERM:
        assert proc.returncode == 130 and "Traceback" not in err
        assert "Interrupted:" in err and "were not written" in err
    index = tmp_path / "out" / "index.json"
    assert not index.exists()  # an interrupted run writes no index that claims to be complete
    assert not list((tmp_path / "out").rglob(".*.partial-*")) or sig == signal.SIGKILL


def test_two_identical_batches_at_once_leave_no_false_failure(tmp_path):
    runs = [start_batch(tmp_path, 6, "--jobs", "1") for _ in range(2)]
    outputs = [run.communicate(timeout=240) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "0 failed" in out
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    assert {p["status"] for p in index["packs"]} <= {"ok", "skipped"}
    assert index["summary"]["failed"] == 0 and index["summary"]["packs"] == 6


def test_a_killed_pdf_runs_profile_is_swept_next_time(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = Path(tempfile.gettempdir()) / f"lessonpack-lo-{dead.stdout.strip()}-abc123"
    (stale / "user").mkdir(parents=True)
    mine = Path(tempfile.mkdtemp(prefix=f"lessonpack-lo-{os.getpid()}-"))  # a live run's
    try:
        office.sweep_profiles()
        assert not stale.exists() and mine.exists()
    finally:
        mine.rmdir()
