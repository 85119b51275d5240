"""What many test files share: running the command line as a user types it, and waiting."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from click.testing import CliRunner, Result

from lessonpack.commands.cli import cli

T = TypeVar("T")


def lessonpack(*args: str | Path, env: Mapping[str, str | None] | None = None,
               input: str | None = None) -> Result:
    """`lessonpack ARGS` in this process. An exception the command line does not turn into
    its one-line message is raised, not caught: a traceback fails the test."""
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, input=input,
                              catch_exceptions=False)


def poll(check: Callable[[], T | None], timeout: float, every: float = 0.02) -> T | None:
    """What `check` gives once it is true, asking every `every` seconds; None at the deadline.
    Tests wait for the thing itself (a file, a process, a page), never for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found or None
        time.sleep(every)


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 30.0) -> T:
    """`poll`, failing the test with `what` if the deadline passes first."""
    found = poll(check, timeout)
    if not found:
        raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
    return found
