"""`lessonpack preview`: a contact sheet of a written pack."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("preview")
@click.argument("pack", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PNG (default: PACK/preview.png). Example: --out ks3.png")
def preview_command(pack: Path, out: Path | None) -> None:
    """Write a contact sheet of a pack: every slide and the first page of each document.

    \b
    Small enough to email, so a DSL can approve a pack without opening five files.
    Needs LibreOffice and poppler-utils.

    \b
    Examples:
      lessonpack preview output/school/ks3
      lessonpack preview output/school/ks3 --out ks3-preview.png
    """
    from lessonpack import office

    click.echo(f"wrote {office.preview(pack, out)}")
