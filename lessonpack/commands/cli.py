"""The command line: parse options, call the library, report. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import warnings
from pathlib import Path

import click

from lessonpack import __version__
from lessonpack.diagnostics import format_diagnostic
from lessonpack.errors import LessonpackError, ReferenceWarning
from lessonpack.main import (
    Choices,
    find_force,
    library_for,
    nation_mismatch,
    run_check,
    run_generate,
    write_school_template,
)
from lessonpack.pack import Library
from lessonpack.rendering.context import PackRequest, long_date
from lessonpack.school.config import Settings, load_school_file, read_school_file
from lessonpack.school.models import School

KEY_STAGE_CHOICES = ["ks2", "ks3", "ks4", "ks5", "all"]


class Lessonpack(click.Group):
    """Catches the library's errors once and shows them as one line, no traceback."""

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            warnings.simplefilter("always", ReferenceWarning)
            warnings.showwarning = _show_warning
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context):
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
        except subprocess.SubprocessError as exc:  # a program the library ran without wrapping it
            click.secho(f"Error: {_program_failure(exc)}", err=True, fg="red")
            ctx.exit(1)


def _program_failure(exc: subprocess.SubprocessError) -> str:
    """One line for a program that failed or hung: its name and the last line it printed."""
    command = getattr(exc, "cmd", None)
    name = Path(str(command[0] if isinstance(command, list | tuple) else command or "a program")).name
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"{name} took over {exc.timeout:g} s and was stopped"
    output = getattr(exc, "stderr", None) or getattr(exc, "output", None) or b""
    text = output.decode(errors="replace") if isinstance(output, bytes) else str(output)
    last = text.strip().splitlines()[-1:] or [""]
    code = getattr(exc, "returncode", None)
    return f"{name} failed (exit status {code})" + (f": {last[0]}" if last[0] else "")


def _show_warning(message, category, *_args, **_kwargs) -> None:
    """A reference document's warning as the CLI shows every warning: one yellow line."""
    click.secho(f"Warning: {message}", err=True, fg="yellow")


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
      lessonpack init                           a commented school.toml for your school
      lessonpack check --school school.toml     is it valid and safe to teach?
      lessonpack generate --school school.toml
      lessonpack batch --force northumbria --schools schools.csv --out packs
      lessonpack forces                         the police forces it knows
    Run 'lessonpack COMMAND --help' for each command's options.
    """


NATION_OPTION = click.option(
    "--nation", type=click.Choice(["england", "wales", "scotland", "northern-ireland"]),
    help="The UK nation the pack is for, when no force is given (a force's own nation "
    "wins): stage names, the safeguarding role, guidance, law and help routes. "
    "Example: --nation wales",
)
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
@NATION_OPTION
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
    show_default=True, help="Folder to write packs into. Example: --out ~/Desktop/packs",
)
@click.option("--overwrite", is_flag=True,
              help="Replace packs that already exist (otherwise they are kept). Example: --overwrite")
@click.option(
    "--date", "lesson_date", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date printed on the parent letter, YYYY-MM-DD (default: today). Example: --date 2026-12-01",
)
@click.option(
    "--minutes", type=click.IntRange(20, 180),
    help="Lesson length (default: the school file's, else 60); the plan's timings are rescaled "
    "to add up to it. Example: --minutes 50",
)
@click.option("--large-print", is_flag=True,
              help="Large-print worksheet and parent letter: 16 pt and up, 1.5 line spacing. "
              "Example: --large-print")
@click.option("--pdf", is_flag=True,
              help="Also write a PDF of every document beside it (needs LibreOffice). Example: --pdf")
@click.option("--preview", "make_preview", is_flag=True,
              help="Also write preview.png, a contact sheet of the pack (needs LibreOffice). "
              "Example: --preview")
def generate(key_stages: tuple[str, ...], force_slug: str | None, school_file: Path | None,
             nation: str | None, out: Path, overwrite: bool, lesson_date: dt.datetime | None,
             minutes: int | None, large_print: bool, pdf: bool, make_preview: bool) -> None:
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
    nation = nation or (settings.nation if settings else None)
    mismatch = nation_mismatch(library.content, force, nation)
    if mismatch:
        click.secho(f"Warning: {mismatch}", err=True, fg="yellow")
    nation_info = library.content.nation(force.nation if force else nation or "england")
    day = lesson_date.date() if lesson_date else dt.date.today()
    requests = [
        PackRequest(key_stage=ks, force=force, lesson_date=day, minutes=choice.minutes,
                    school=settings.school if settings else School(), large_print=large_print,
                    nation=nation)
        for ks in choice.key_stages
    ]
    written = run_generate(library, requests, out, overwrite)
    for path in written:
        click.echo(f"wrote {path}")
    packs = sorted({path.parent for path in written})
    if pdf or make_preview:
        from lessonpack import office  # LibreOffice helpers (and Pillow) only when asked for

        try:
            for pack in packs:
                if pdf:
                    for path in office.to_pdf([pack / name for name in office.DOCUMENT_ORDER]):
                        click.echo(f"wrote {path}")
                if make_preview:
                    click.echo(f"wrote {office.preview(pack)}")
        except office.MissingProgramError as exc:
            raise LessonpackError(f"{exc}. The other files were written.") from None
    click.echo(f"Help-route details were last reviewed on {long_date(library.content.reviewed)}: "
               "check them before you teach.")
    click.echo(f"Reminder: your {nation_info.role} must know before this lesson is taught.")


@cli.command()
@SCHOOL_OPTION
@click.option("--strict", is_flag=True,
              help="Fail on warnings too, not only on errors. Example: --strict")
def check(school_file: Path | None, strict: bool) -> None:
    """Check that a school's settings, content and templates make safe, accurate packs.

    \b
    Validates school.toml (every problem, with its line), custom content and templates;
    renders every document for every key stage the school teaches; and reports:
    invalid phone numbers or emails, victim-blaming wording, sexual words at KS2, a
    deck without its help-routes slide or DSL, a pack from KS3 up without a crisis
    line, and each pupil document's reading level against its key stage.
    Exit status 0 when clean, 1 when anything must be fixed (or, with --strict,
    when there are warnings).

    \b
    Examples:
      lessonpack check --school school.toml
      lessonpack check --school school.toml --strict
      lessonpack check                         the built-in content, every key stage
    """
    settings, found = read_school_file(school_file) if school_file else (None, None)
    if school_file and settings is None:  # nothing more can be checked without the settings
        for problem in found or []:
            click.secho(format_diagnostic(problem), fg="red" if problem.level == "error" else "yellow")
        click.echo("Fix these and run 'lessonpack check' again.")
        raise SystemExit(1)
    lessons = os.environ.get("LESSONPACK_LESSONS")
    report = run_check(settings, Path(lessons) if lessons else None, found)
    click.echo(f"Checked {school_file or 'the built-in content'}: "
               f"{', '.join(ks.upper() for ks in report.key_stages) or 'no key stage'}")
    for problem in report.problems:
        colour = "red" if problem.level == "error" else "yellow"
        click.secho(format_diagnostic(problem), fg=colour)
    if report.reading:
        click.echo("Reading level (Flesch-Kincaid grade, pupil-facing text):")
        library_ks = {ks.id: ks for ks in load_library(settings).content.key_stages}
        for ks, levels in report.reading.items():
            limit = library_ks[ks].max_reading_grade
            figures = ", ".join(f"{name} {grade:.1f}" for name, grade in levels.items())
            click.echo(f"  {ks.upper()}: {figures} (suits up to {limit:g})")
    errors, warnings = len(report.errors()), len(report.warnings())
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if errors or (strict and warnings):
        raise SystemExit(1)


@cli.command("preview")
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


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("school.toml"))
@NATION_OPTION
def init(path: Path, nation: str | None) -> None:
    """Write a commented school.toml that explains every setting.

    \b
    Examples:
      lessonpack init                      writes ./school.toml
      lessonpack init settings/ours.toml
      lessonpack init --nation scotland    in Scotland's words, with nation = "scotland"
    """
    content = load_library().content
    example = next((f for f in content.forces if f.nation == nation), None) if nation else None
    write_school_template(path, content.nation(nation) if nation else None, example)
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


from lessonpack.commands.batch import batch, index  # noqa: E402

cli.add_command(batch)
cli.add_command(index)

from lessonpack.web.serve import serve  # noqa: E402

cli.add_command(serve)


def main() -> None:
    cli(prog_name="lessonpack")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
