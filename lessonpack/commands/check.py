"""`lessonpack check`: are a school's settings, content and templates safe to teach?"""

from __future__ import annotations

import os
from pathlib import Path

import click

from lessonpack.commands.options import SCHOOL_OPTION, load_library
from lessonpack.diagnostics import format_diagnostic
from lessonpack.main import run_check
from lessonpack.school.config import read_school_file


@click.command()
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
        limits: dict[str, float] = {ks.id: ks.max_reading_grade
                                    for ks in load_library(settings).content.key_stages}
        for ks, levels in report.reading.items():
            limit = limits[ks]
            figures = ", ".join(f"{name} {grade:.1f}" for name, grade in levels.items())
            click.echo(f"  {ks.upper()}: {figures} (suits up to {limit:g})")
            if welsh := report.reading_welsh.get(ks):
                figures = ", ".join(f"{name} {grade:.1f}" for name, grade in welsh.items())
                click.echo(f"  {ks.upper()} Cymraeg: {figures} (Welsh syllables: "
                           "the same lesson reads higher in Welsh, see docs/welsh.md)")
    if report.welsh:
        click.echo("Welsh (Cymraeg):")
        for line in report.welsh:
            click.echo(f"  {line}")
    errors, warnings = len(report.errors()), len(report.warnings())
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if errors or (strict and warnings):
        raise SystemExit(1)
