"""`lessonpack generate`: a pack for each key stage asked for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from lessonpack.commands.options import (
    KEY_STAGE_CHOICES,
    LANGUAGE_OPTION,
    NATION_OPTION,
    SCHOOL_OPTION,
    load_library,
)
from lessonpack.errors import LessonpackError
from lessonpack.main import Choices, find_force, nation_mismatch, run_generate
from lessonpack.rendering.context import Nation, PackRequest, long_date
from lessonpack.school.models import School


@click.command()
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
@LANGUAGE_OPTION
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
             nation: Nation | None, language: str | None, out: Path, overwrite: bool,
             lesson_date: dt.datetime | None, minutes: int | None, large_print: bool, pdf: bool,
             make_preview: bool) -> None:
    """Make a lesson pack for each key stage asked for.

    \b
    Writes OUT/<school>/<key stage>/ with slides.pptx, worksheet.docx,
    worksheet-answers.docx, parent-letter.docx, lesson-plan.docx, support-card.docx
    and manifest.json.
    Options given here override the school file's settings.

    \b
    Examples:
      lessonpack generate
      lessonpack generate --key-stage ks2 --key-stage ks3 --force northumbria
      lessonpack generate --school school.toml --out packs
      lessonpack generate -k all --out packs --date 2027-01-15 --overwrite
      lessonpack generate --force south-wales --language cy
    """
    settings = None
    if school_file:
        # Here, not at the top: reading school.toml needs pydantic, a run without one not.
        from lessonpack.school.config import load_school_file

        settings = load_school_file(school_file)
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
                    nation=nation, language=language or (settings.language if settings else "en"))
        for ks in choice.key_stages
    ]
    logo = settings.school.logo.source if settings and settings.school.logo else None
    inputs = [settings.path, logo, settings.extra_content, settings.template_dir,
              settings.reference_pptx, settings.reference_docx] if settings else []
    written = run_generate(library, requests, out, overwrite, [p for p in inputs if p])
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
