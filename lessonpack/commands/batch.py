"""`lessonpack batch`: a pack per school and key stage from a school list, and `lessonpack index`:
one index for packs made in shards. Parses options and reports; the work is in lessonpack.batch.run,
lessonpack.batch.schools and lessonpack.batch.index."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from lessonpack import __version__
from lessonpack.batch.force_file import load_force_file
from lessonpack.batch.index_files import check_index_replaceable, write_index
from lessonpack.batch.results import PackResult, Settings, library_fingerprint
from lessonpack.batch.run import run_batch
from lessonpack.batch.schools import plan_rows, read_schools, shard_of
from lessonpack.batch.schools.shards import parse_shard
from lessonpack.batch.schools.summary import dry_run_table
from lessonpack.main import find_force
from lessonpack.pack import Library
from lessonpack.rendering.context import long_date

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # the type click.progressbar returns


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.option(
    "--schools", "schools_csv", required=True, metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The schools: a workbook (.xlsx, .xls, .ods) or a CSV (UTF-8, UTF-16 or Windows-1252), one "
    "row per school: name, key_stages (e.g. ks3;ks4 or all), and optionally urn, dsl_name, dsl_email, "
    "dsl_phone, logo (relative to the file), website, address. Or a nation's published list as "
    "downloaded: the DfE register (edubasealldataYYYYMMDD.csv, or its zip), the Welsh Government's "
    "address list of schools, Scotland's school contact details, NI's institution search export.",
)
@click.option("--sheet", metavar="NAME",
              help="The workbook's sheet to read (default: the first; every sheet of a nation's list).")
@click.option("--la", "areas", multiple=True, metavar="NAME",
              help="Only schools in this local authority (a column LA, Local Authority or LA (name)); "
              "repeat it for several. With the DfE register the default is the force's area; "
              "'--la all' takes every school.")
@click.option("--keep-going", is_flag=True,
              help="Make the packs of the other local authorities when an --la name has no "
              "schools in the file (a typo, or an authority the file does not cover).")
@click.option("--dry-run", is_flag=True,
              help="Read and check the file, then print how many schools and packs a run would "
              "make, by local authority and key stage. Writes nothing.")
@click.option("--force", "force_slug", metavar="SLUG",
              help="The police force (see 'lessonpack forces'). Example: --force northumbria")
@click.option(
    "--force-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="YAML",
    help="The force's own contacts, schools-team email, logo and closing slide, over the "
    "catalogue's (or a new force). Works without --force.",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("packs"),
              show_default=True, help="Folder for the packs, the zips and the index.")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="Packs built in parallel processes [default: the number of cores].")
@click.option("--zip", "make_zip", is_flag=True, help="Also write OUT/<school>.zip for each school.")
@click.option("--shard", callback=_shard, metavar="K/N|auto",
              help="Do only the K-th of N equal parts of the rows, e.g. to spread a run over "
              "machines; 'auto' reads a Kubernetes Indexed Job's JOB_COMPLETION_INDEX and "
              "JOB_COMPLETIONS. Example: --shard 2/4")
@click.option(
    "--date", "lesson_date", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date on the letters, YYYY-MM-DD (default: today). Give it to resume a run on "
    "another day, and for byte-identical files.",
)
@click.option("--minutes", type=click.IntRange(20, 180), default=60, show_default=True,
              help="Lesson length.")
@click.option("--overwrite", is_flag=True,
              help="Rebuild every pack, even those already complete and current.")
def batch(schools_csv: Path, sheet: str | None, areas: tuple[str, ...], keep_going: bool, dry_run: bool,
          force_slug: str | None, force_file: Path | None, out: Path,
          jobs: int | None, make_zip: bool, shard: tuple[int, int] | None,
          lesson_date: dt.datetime | None, minutes: int, overwrite: bool) -> None:
    """Make a pack for every school and key stage in a school list, for one police force.

    \b
    Writes OUT/<school>/<key stage>/ (as 'generate' does) and OUT/index.csv and
    OUT/index.json: every pack, its status and each file's SHA-256. A bad row is
    reported and skipped; the exit status is 1 if any row failed. Run the same
    command again after an interruption: complete packs are kept, the rest are made.

    \b
    Examples:
      lessonpack batch --force northumbria --schools schools.csv --out packs
      lessonpack batch --force-file force.yaml --schools schools.csv --zip --date 2027-01-15
      lessonpack batch --force kent --schools all.csv --shard 1/4 --jobs 2
      lessonpack batch --force kent --schools edubasealldata20261101.csv --dry-run
      lessonpack batch --force met --schools schools.xlsx --sheet "Secondary"
      lessonpack batch --force south-wales --schools address-list-of-schools.ods --dry-run
    """
    if not force_slug and not force_file:
        raise click.UsageError("name the force with --force SLUG or --force-file YAML "
                               "(see 'lessonpack forces')")
    lessons = os.environ.get("LESSONPACK_LESSONS")  # as the other commands: for content editors
    library = Library.load(lessons=Path(lessons) if lessons else None)
    content = library.content
    force = (load_force_file(force_file, content, force_slug) if force_file
             else find_force(content, force_slug or ""))
    schools = read_schools(schools_csv, sheet, areas, force.local_authorities, force.name,
                           force.nation, keep_going)
    for note in schools.notes:
        click.echo(f"Note: {note}", err=True)
    for warning in schools.warnings:
        click.secho(f"Warning: {warning}", err=True, fg="yellow")
    plans = plan_rows(schools)
    if shard:
        plans = shard_of(plans, *shard)
    if dry_run:
        for line in dry_run_table(plans, schools.left_out):
            click.echo(line)
        click.get_current_context().exit(1 if any(p.school is None for p in plans) else 0)
    day = lesson_date.date() if lesson_date else dt.date.today()
    settings = Settings(out=out, force=force, lesson_date=day, minutes=minutes,
                        overwrite=overwrite, zip=make_zip,
                        library_sha256=library_fingerprint(library),
                        lessons=Path(lessons) if lessons else None,
                        inputs=tuple(p for p in (schools_csv, force_file) if p))
    out.mkdir(parents=True, exist_ok=True)
    check_index_replaceable(out, shard, settings.inputs)
    total = sum(max(1, len(p.key_stages)) for p in plans)
    progress = Progress(total, tty=sys.stdout.isatty())
    try:
        with progress:
            results = run_batch(library, settings, plans, jobs or _cores(), progress.update)
    except KeyboardInterrupt:
        click.echo("Run the same command again to finish: complete packs are kept.", err=True)
        raise
    meta = {"lessonpack": __version__, "force": force.slug, "date": day.isoformat(),
            "minutes": minutes, "schools": schools_csv.name,
            "shard": f"{shard[0]}/{shard[1]}" if shard else None}
    csv_path, _ = write_index(out, results, meta, shard)
    _summary(results, csv_path, progress, library)
    if any(r.status == "failed" for r in results):
        click.get_current_context().exit(1)


def _cores() -> int:
    # The CPUs this process may use (a container or taskset may allow fewer than the machine has).
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class Progress:
    """A bar on a terminal; elsewhere (a log, CI) one plain line per pack."""

    def __init__(self, total: int, tty: bool) -> None:
        self.total, self.tty = total, tty
        self.done = self.failed = 0
        self.started = time.monotonic()
        self._bar: ProgressBar[PackResult] | None = None

    def __enter__(self) -> Progress:
        if self.tty:
            self._bar = click.progressbar(length=self.total, label="Packs", show_pos=True,
                                          show_eta=True, item_show_func=self._status)
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)

    def _status(self, _item: object) -> str:
        return f"{self.failed} failed · {self.rate:.1f} packs/s"

    def update(self, results: list[PackResult]) -> None:
        for r in results:
            self.done += 1
            self.failed += r.status == "failed"
            if self._bar is None:
                click.echo(f"[{self.done}/{self.total}] {_line(r)}")
        if self._bar is not None:
            self._bar.update(len(results), current_item=results[-1] if results else None)


def _line(r: PackResult) -> str:
    if r.status == "failed":
        return f"failed  row {r.line}: {r.name or '(no name)'} {r.key_stage}: {r.reason}".replace(
            " :", ":")
    return f"{r.status}  {r.name} {r.key_stage}"


def _summary(results: list[PackResult], index: Path, progress: Progress, library: Library) -> None:
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    if progress.tty and counts["failed"]:
        for r in results:
            if r.status == "failed":
                click.secho(_line(r), err=True, fg="red")
    failed_rows = sorted({r.line for r in results if r.status == "failed"})
    word = "row" if len(failed_rows) == 1 else "rows"
    rows = f" ({word} {', '.join(map(str, failed_rows))})" if failed_rows else ""
    click.echo(f"{len(results)} packs: {counts['ok']} made, {counts['skipped']} already complete, "
               f"{counts['failed']} failed{rows}, at {progress.rate:.1f} packs/s. Index: {index}")
    click.echo(f"Help-route details were last reviewed on {long_date(library.content.reviewed)}: "
               "check them before the packs are sent.")
