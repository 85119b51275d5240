"""The command line: parse options, call the library, report. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import __version__
from .context import PackRequest, long_date
from .errors import LessonpackError
from .main import Choices, find_force, library_for, run_generate, write_school_template
from .pack import Library
from .school import School
from .school_config import Settings, load_school_file

KEY_STAGE_CHOICES = ["ks2", "ks3", "ks4", "ks5", "all"]


class Lessonpack(click.Group):
    """Catches the library's errors once and shows them as one line, no traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LessonpackError as exc:
            click.secho(f"Error: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing half-written was left behind.", err=True)
            ctx.exit(130)
        except OSError as exc:
            click.secho(f"Error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
                        err=True, fg="red")
            ctx.exit(1)


@click.group(cls=Lessonpack, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lessonpack")
def cli() -> None:
    """Make safeguarding lesson packs on sextortion for UK schools.

    A pack is a slide deck with speaker notes, a pupil worksheet and its answers,
    a letter to parents and carers, and a lesson plan, for one key stage.

    \b
    Examples:
      lessonpack generate                       KS3 pack, national contacts, into output/
      lessonpack generate -k ks4 --force hampshire
      lessonpack forces                         the police forces it knows
    """


SCHOOL_OPTION = click.option(
    "--school", "school_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Your school's settings (see 'lessonpack init'). Example: --school school.toml",
)


@cli.command()
@click.option(
    "--key-stage", "-k", "key_stages", multiple=True,
    type=click.Choice(KEY_STAGE_CHOICES, case_sensitive=False),
    help="Key stage to make a pack for; repeat it for several, or 'all' "
    "(default: the school file's, else ks3). Example: -k ks3 -k ks4",
)
@click.option(
    "--force", "force_slug", metavar="SLUG",
    help="Police force whose contacts the pack gives (see 'lessonpack forces'). "
    "Without it, national contacts are used. Example: --force hampshire",
)
@SCHOOL_OPTION
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
    show_default=True, help="Folder to write packs into. Example: --out ~/Desktop/packs",
)
@click.option("--overwrite", is_flag=True, help="Replace packs that already exist.")
@click.option(
    "--date", "lesson_date", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date printed on the parent letter, YYYY-MM-DD (default: today). Example: --date 2026-12-01",
)
@click.option(
    "--minutes", type=click.IntRange(20, 180),
    help="Lesson length (default: the school file's, else 60); the plan's timings are rescaled "
    "to add up to it. Example: --minutes 50",
)
def generate(key_stages: tuple[str, ...], force_slug: str | None, school_file: Path | None,
             out: Path, overwrite: bool, lesson_date: dt.datetime | None,
             minutes: int | None) -> None:
    """Make a lesson pack for each key stage asked for.

    \b
    Writes OUT/<school>/<key stage>/ with slides.pptx, worksheet.docx,
    worksheet-answers.docx, parent-letter.docx, lesson-plan.docx and manifest.json.
    Options given here override the school file's settings.

    \b
    Examples:
      lessonpack generate
      lessonpack generate --key-stage ks2 --key-stage ks3 --force northumbria
      lessonpack generate --school school.toml --out packs
      lessonpack generate -k all --out packs --date 2027-01-15 --overwrite
    """
    settings = load_school_file(school_file) if school_file else None
    for warning in settings.warnings if settings else []:
        click.secho(f"Warning: {warning}", err=True, fg="yellow")
    library = load_library(settings)
    choice = Choices.merge(settings, key_stages, force_slug, minutes)
    force = find_force(library.content, choice.force) if choice.force else None
    day = lesson_date.date() if lesson_date else dt.date.today()
    requests = [
        PackRequest(key_stage=ks, force=force, lesson_date=day, minutes=choice.minutes,
                    school=settings.school if settings else School())
        for ks in choice.key_stages
    ]
    for path in run_generate(library, requests, out, overwrite):
        click.echo(f"wrote {path}")
    click.echo(f"Help-route details were last reviewed on {long_date(library.content.reviewed)}: "
               "check them before you teach.")
    click.echo("Reminder: your designated safeguarding lead (DSL) must know before this lesson "
               "is taught.")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("school.toml"))
def init(path: Path) -> None:
    """Write a commented school.toml that explains every setting.

    \b
    Examples:
      lessonpack init                      writes ./school.toml
      lessonpack init settings/ours.toml
    """
    write_school_template(path)
    click.echo(f"wrote {path}")
    click.echo(f"Next: edit it, then run 'lessonpack check --school {path}' and "
               f"'lessonpack generate --school {path}'.")


@cli.command()
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


def load_library(settings: Settings | None = None) -> Library:
    """The library for these settings; LESSONPACK_LESSONS swaps the built-in content
    for an edited copy (for content editors)."""
    lessons = os.environ.get("LESSONPACK_LESSONS")
    return library_for(settings, Path(lessons) if lessons else None)


from .cli_batch import batch  # noqa: E402

cli.add_command(batch)


def main() -> None:
    cli(prog_name="lessonpack")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
