"""The layout in docs/architecture.md, enforced: what each package may import, and size.

Every module's imports are read with `ast` (lazy imports inside functions included), so
a new dependency that crosses a line fails here, not in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lessonpack"
MAX_LINES = 300

# Shared modules at the top level that depend on nothing above them.
BASE = {"lessonpack", "lessonpack.errors", "lessonpack.diagnostics", "lessonpack.safe_io",
        "lessonpack.resources", "lessonpack.xmltext", "lessonpack.processes", "lessonpack.cache"}

# unit (a package, or a top-level module) -> the units it may import besides BASE and itself.
ALLOWED: dict[str, set[str]] = {
    "lessonpack.errors": set(),
    "lessonpack.diagnostics": set(),
    "lessonpack.safe_io": set(),
    "lessonpack.resources": set(),
    "lessonpack.xmltext": set(),
    "lessonpack.processes": set(),
    "lessonpack.cache": set(),
    "lessonpack.output": set(),
    "lessonpack.office": set(),
    "lessonpack.content": set(),
    "lessonpack.school": {"lessonpack.content"},
    "lessonpack.rendering": {"lessonpack.content", "lessonpack.school"},
    # The writers see only the document model: never templates, content or settings.
    "lessonpack.writers": {"lessonpack.rendering.document"},
    "lessonpack.check": {"lessonpack.content", "lessonpack.writers"},
    "lessonpack.pack": {"lessonpack.content", "lessonpack.school", "lessonpack.rendering",
                        "lessonpack.writers", "lessonpack.output"},
    "lessonpack.main": {"lessonpack.content", "lessonpack.school", "lessonpack.rendering",
                        "lessonpack.pack", "lessonpack.output", "lessonpack.check"},
    "lessonpack.batch": {"lessonpack.main", "lessonpack.pack", "lessonpack.output", "lessonpack.content",
                         "lessonpack.school", "lessonpack.rendering"},
    "lessonpack.web": {"lessonpack.main", "lessonpack.pack", "lessonpack.content", "lessonpack.school",
                       "lessonpack.rendering", "lessonpack.writers.html"},
    # The commands parse options and call the library; they never reach past it into
    # the writers or the content loader.
    "lessonpack.commands": {"lessonpack.main", "lessonpack.pack", "lessonpack.batch", "lessonpack.web",
                            "lessonpack.school.config", "lessonpack.school.models",
                            "lessonpack.rendering.context", "lessonpack.office"},
    "lessonpack.__main__": {"lessonpack.commands.cli"},
}

# Modules allowed over MAX_LINES, each with its reason. Keep this empty.
LONG: dict[str, str] = {}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "lessonpack")
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; the layout uses absolute ones"
            if node.module and node.module.split(".")[0] == "lessonpack":
                found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _permitted(target: str, allowed: set[str]) -> bool:
    return any(target == a or target.startswith(a + ".") for a in allowed)


def test_every_unit_has_a_rule():
    units = {_unit(_name(p)) for p in _modules()}
    assert units <= set(ALLOWED) | {"lessonpack"}, units - set(ALLOWED)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layout(path: Path):
    module = _name(path)
    unit = _unit(module)
    allowed = ALLOWED.get(unit, set()) | {unit} | BASE
    wrong = sorted(t for t in _imports(path)
                   if not _permitted(t, allowed) and t != "lessonpack.__version__")
    assert not wrong, f"{module} may not import {wrong}; see docs/architecture.md"


def test_writers_never_see_templates_or_content():
    for path in (PACKAGE / "writers").rglob("*.py"):
        for target in _imports(path):
            assert not target.startswith(("lessonpack.rendering.templating", "lessonpack.content",
                                          "lessonpack.school", "lessonpack.rendering.context")), (
                f"{path.name} imports {target}")


def test_nothing_imports_the_commands():
    for path in _modules():
        if _unit(_name(path)) in ("lessonpack.commands", "lessonpack.__main__"):
            continue
        assert not any(t.startswith("lessonpack.commands") for t in _imports(path)), path


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_short(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    name = str(path.relative_to(PACKAGE))
    if name in LONG:
        return
    assert lines <= MAX_LINES, f"{name} has {lines} lines (limit {MAX_LINES}); split it"


def test_long_exceptions_are_still_needed():
    for name in LONG:
        path = PACKAGE / name
        assert path.exists(), f"{name} no longer exists: drop it from LONG"
        assert len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES, (
            f"{name} is short now: drop it from LONG")
