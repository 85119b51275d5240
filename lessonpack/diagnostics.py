"""One kind of problem report for every input a user writes, and one way to print it.

school.toml, the school's own lessons/ content, force files, the schools CSV and
`lessonpack check` all report a `Diagnostic`: how bad it is, the file, the line, the
setting or column, and what to do. `str(d)` gives the one line a user sees:

    school.toml: line 12: dsl.phone: not a UK phone number: '0161 496 000'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """A problem in something the user wrote. `file` may be a file, or what was checked
    when there is no file ("ks3/slides.pptx", "lessons"); `line` and `key` are optional."""

    level: Level
    file: str
    message: str
    line: int | None = None
    key: str = ""

    @property
    def where(self) -> str:
        """File, line and key, as `file: line N: key`."""
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.key:
            parts.append(self.key)
        return ": ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def format_diagnostic(diagnostic: Diagnostic) -> str:
    """The line `lessonpack check` prints: `error: school.toml: line 3: dsl.phone: ...`."""
    return f"{diagnostic.level}: {diagnostic}"


def format_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """Errors as bare lines, warnings prefixed `warning: `: the text of an error raised for them."""
    return "\n".join(str(d) if d.level == "error" else format_diagnostic(d) for d in diagnostics)


def shown(value: object, limit: int = 60) -> str:
    """`value` quoted as in a message, cut to `limit` characters: a refused 120,000-character
    value must still give a one-line message a person can read."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(str(value)):,} characters)"


def line_of(lines: Mapping[tuple[Any, ...], int], loc: Sequence[Any]) -> int:
    """The line of the value at `loc`, or of its nearest parent the parser placed (else 1)."""
    loc = tuple(loc)
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def close_matches(word: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The `n` choices nearest `word` (difflib), best first."""
    import difflib  # only when a name is wrong: every error class imports this module

    return difflib.get_close_matches(str(word), list(choices), n=n, cutoff=cutoff)


def did_you_mean(word: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6,
                 quote: bool = True) -> str:
    """`did you mean 'x'?` (or `'x', 'y'` for several), or "" when nothing is close."""
    near = close_matches(word, choices, n=n, cutoff=cutoff)
    if not near:
        return ""
    return f"did you mean {', '.join(repr(w) if quote else w for w in near)}?"
