"""The run: rows through a pool of worker processes, results reported as they finish, Ctrl-C handled."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from lessonpack.batch.results import (
    PackResult,
    Settings,
)
from lessonpack.batch.row import (
    _reason,
    _with_error,
    failed_results,
    remove_old_zip,
    run_row,
    zip_leftovers_by_school,
)
from lessonpack.batch.schools import (
    RowPlan,
)
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.errors import InterruptedRun
from lessonpack.output import check_not_inputs
from lessonpack.pack import Library, check_date
from lessonpack.processes import die_with_parent, terminate_as_interrupt

OnResults = Callable[[list[PackResult]], None]
_worker: tuple[Library, Settings, Any] | None = None




def run_batch(library: Library, settings: Settings, plans: list[RowPlan], jobs: int,
              on_results: OnResults) -> list[PackResult]:
    """Build every good row, report bad ones, and return every result in CSV order.

    `on_results` is called (in this process) as each row finishes, for progress.
    Interrupted (Ctrl-C, SIGTERM), it says how many packs were made and how many not.
    """
    check_date(settings.lesson_date)
    logos = [p.school.logo.source for p in plans if p.school and p.school.logo and p.school.logo.source]
    check_not_inputs(_outputs(settings, plans), [*settings.inputs, *logos])
    results: list[PackResult] = []

    def report(batch: list[PackResult]) -> None:
        results.extend(batch)
        on_results(batch)

    for plan in plans:
        if plan.school is None:
            if settings.zip and plan.slug:
                remove_old_zip(settings.out, plan.slug)  # as in run_row
            report(failed_results(plan))
    zips = zip_leftovers_by_school(settings.out)  # listed once, not once a school
    todo = [(p, tuple(zips.get(p.slug, ()))) for p in plans if p.school is not None]
    try:
        with terminate_as_interrupt():
            if jobs <= 1 or len(todo) <= 1:
                for plan, leftovers in todo:
                    report(run_row(library, settings, plan, leftovers))
            else:
                _run_in_pool(library, settings, todo, min(jobs, len(todo)), report)
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


Task = tuple[RowPlan, tuple[str, ...]]  # a row, and its school's half-written zips in out
CHUNK = 8  # rows a task: eight times fewer round trips, and progress still several times a second


def _chunks(todo: list[Task], jobs: int) -> list[list[Task]]:
    # Small runs get one row a task, so that both workers have work to the end.
    size = max(1, min(CHUNK, len(todo) // (jobs * 4)))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _run_in_pool(library: Library, settings: Settings, todo: list[Task], jobs: int,
                 report: OnResults) -> None:
    context = multiprocessing.get_context()
    stop = context.Event()  # set on Ctrl-C: rows already queued to a worker are then skipped
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(library, settings, stop, os.getpid())) as pool:
        futures = {pool.submit(_work, chunk): chunk for chunk in _chunks(todo, jobs)}
        reported = set()
        try:
            for future in as_completed(futures):
                reported.add(future)
                report(_outcome(future, futures[future]))
        except BaseException:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)  # running rows finish their rename
            # Rows that finished meanwhile are complete on disk: the report counts them.
            for future in futures:
                if (future not in reported and future.done() and not future.cancelled()
                        and future.exception() is None):
                    report(future.result())
            raise


def _outcome(future: Any, chunk: list[Task]) -> list[PackResult]:
    try:
        return future.result()
    except BrokenProcessPool:
        # A worker was killed (out of memory, say): its rows and those not yet started
        # fail, and running the same command again builds just those.
        reason = "a worker process stopped unexpectedly; run the same command again to finish"
    except Exception as exc:  # noqa: BLE001 - e.g. a row that cannot be sent to a worker
        reason = _reason(exc)
    return [r for plan, _ in chunk for r in failed_results(_with_error(plan, reason))]


def _start_worker(library: Library, settings: Settings, stop: Any, parent: int) -> None:
    # Ctrl-C is the parent's to handle: it lets running rows finish and stops the rest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    global _worker
    # The library run_batch was given: inherited as it is (fork), or loaded again from the
    # same sources (spawn, see Library.__reduce__); never one of its own.
    _worker = (library, settings, stop)


def _work(chunk: list[Task]) -> list[PackResult]:
    assert _worker is not None, "worker not initialised"
    library, settings, stop = _worker
    results: list[PackResult] = []
    for plan, zip_leftovers in chunk:
        if stop.is_set():
            break
        results += run_row(library, settings, plan, zip_leftovers)
    return results
