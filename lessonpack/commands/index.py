"""`lessonpack index`: one index from the packs on disk."""

from __future__ import annotations

from pathlib import Path

import click

from lessonpack.batch.index_files import write_index
from lessonpack.commands.batch import _line


@click.command("index")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def index(folder: Path) -> None:
    """Rebuild FOLDER/index.csv and index.json from the packs on disk.

    \b
    Merges the index-K-of-N.json of every shard (for each row, its URN and failures),
    and checks each pack's files against the SHA-256 its manifest.json gives. The exit
    status is 1 if any pack failed, is missing or has changed.

    \b
    Example:
      lessonpack index packs/
    """
    from lessonpack.batch.index import rebuild_index
    from lessonpack.batch.index_files import check_index_replaceable

    results, meta = rebuild_index(folder)  # says first what is wrong with an index it reads
    check_index_replaceable(folder, None)
    csv_path, _ = write_index(folder, results, meta, None)
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "failed")}
    for r in results:
        if r.status == "failed":
            click.secho(_line(r), err=True, fg="red")
    sources = ", ".join(meta["merged"]) or "no index: manifests only"
    click.echo(f"{len(results)} packs ({sources}): {counts['ok']} ok, {counts['failed']} failed. "
               f"Index: {csv_path}")
    if counts["failed"]:
        click.get_current_context().exit(1)
