"""`lessonpack init`: a commented school.toml."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lessonpack.commands.options import LANGUAGE_OPTION, NATION_OPTION, load_library
from lessonpack.main import write_school_template


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("school.toml"))
@NATION_OPTION
@LANGUAGE_OPTION
def init(path: Path, nation: str | None, language: str | None) -> None:
    """Write a commented school.toml that explains every setting.

    \b
    Examples:
      lessonpack init                      writes ./school.toml
      lessonpack init settings/ours.toml
      lessonpack init --nation scotland    in Scotland's words, with nation = "scotland"
      lessonpack init --nation wales       asks which language the packs are in
    """
    content = load_library().content
    example = next((f for f in content.forces if f.nation == nation), None) if nation else None
    if nation == "wales" and language is None and _interactive():
        language = click.prompt(
            "Which language are the packs in? en (English), cy (Cymraeg) or en+cy (both, the "
            "letter and support card bilingual)", type=click.Choice(["en", "cy", "en+cy"]),
            default="en+cy")
    write_school_template(path, content.nation(nation) if nation else None, example, language)
    click.echo(f"wrote {path}")
    click.echo(f"Next: edit it, then run 'lessonpack check --school {path}' and "
               f"'lessonpack generate --school {path}'.")


def _interactive() -> bool:
    # A script or a pipe gets the commented default; a person at a terminal is asked.
    return sys.stdin.isatty()
