"""`lessonpack forces`: the police forces lessonpack knows."""

from __future__ import annotations

import click

from lessonpack.commands.options import load_library
from lessonpack.errors import LessonpackError


@click.command()
@click.argument("search", required=False)
def forces(search: str | None) -> None:
    """List the police forces lessonpack knows, with their slugs and nations.

    \b
    Examples:
      lessonpack forces
      lessonpack forces york        forces whose name or slug contains "york"
    """
    content = load_library().content
    rows = [
        f for f in content.forces
        if not search or search.lower() in f"{f.slug} {f.name}".lower()
    ]
    if not rows:
        raise LessonpackError(f"no force matches {search!r}; run 'lessonpack forces' for all")
    width = max(len(f.slug) for f in rows)
    for f in rows:
        click.echo(f"{f.slug:<{width}}  {f.name} ({f.nation.replace('-', ' ').title()})")
