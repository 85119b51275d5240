"""The command line: parse options, call the library, report. Nothing else lives here."""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import click

from lessonpack import __version__
from lessonpack.errors import LessonpackError, ReferenceWarning

# Each command's module is imported only when that command runs (click's lazy-group
# pattern): `generate` does not pay for batch, the web server or spreadsheets.
COMMANDS = {
    "generate": "lessonpack.commands.generate:generate",
    "check": "lessonpack.commands.check:check",
    "init": "lessonpack.commands.init:init",
    "forces": "lessonpack.commands.forces:forces",
    "preview": "lessonpack.commands.preview:preview_command",
    "batch": "lessonpack.commands.batch:batch",
    "index": "lessonpack.commands.index:index",
    "serve": "lessonpack.commands.serve:serve",
}


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
        except Exception as exc:
            # A program the library ran without wrapping its failure. Only a run that has
            # imported subprocess can meet one, so `generate` need not import it here.
            subprocess = sys.modules.get("subprocess")
            if subprocess is None or not isinstance(exc, subprocess.SubprocessError):
                raise
            click.secho(f"Error: {_program_failure(exc)}", err=True, fg="red")
            ctx.exit(1)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return super().get_command(ctx, name)
        module, _, attr = COMMANDS[name].partition(":")
        return getattr(importlib.import_module(module), attr)


def _program_failure(exc: Exception) -> str:
    """One line for a program that failed or hung: its name and the last line it printed."""
    import subprocess

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


def main() -> None:
    cli(prog_name="lessonpack")


if __name__ == "__main__":  # pragma: no cover
    main()
