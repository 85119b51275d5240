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
    # The library: content, templates, themes and the one cache, loaded once.
    "lessonpack.library": {"lessonpack.content", "lessonpack.rendering", "lessonpack.writers"},
    "lessonpack.pack": {"lessonpack.content", "lessonpack.school", "lessonpack.rendering",
                        "lessonpack.writers", "lessonpack.output", "lessonpack.bilingual",
                        "lessonpack.library"},
    # The English and Welsh pack: two packs' documents, the letter and card merged.
    "lessonpack.bilingual": {"lessonpack.pack", "lessonpack.rendering", "lessonpack.writers"},
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


# --- One cache, owned by the library (lessonpack/cache.py) -----------------------------
# A module-level cache is a module-level name that code writes to (or a memoising
# decorator): pack content remembered there outlives the library and is shared between
# libraries, so a test cannot get a fresh state by making a new one. What packs share is
# kept in the library's PackCache instead, through `@memoized`. Each exception, and why it
# is not pack content:
NOT_PACK_CONTENT: dict[tuple[str, str], str] = {
    ("writers/oxml.py", "_QN"): "XML names ('w:p' → Clark notation): a fixed vocabulary, not content",
    ("content/rules.py", "_adapter"): "pydantic's compiled validator of each model type",
    ("content/lessons.py", "forces_by_slug"): "an index of the immutable Content it is on",
    ("content/lessons.py", "sources_by_id"): "an index of the immutable Content it is on",
    ("content/lessons.py", "routes_by_id"): "an index of the immutable Content it is on",
    ("check/pack.py", "_phrase_pattern"): "`check`: the regex of a phrase from its word lists",
    ("check/pack.py", "_contact_pattern"): "`check`: the regex of a help line's number",
    ("check/reading.py", "_hyphenator"): "`check`: pyphen's dictionary",
    ("check/reading.py", "syllables"): "`check`: a word's syllable count, for reading levels",
    ("check/reading.py", "welsh_word_syllables"): "`check`: a Welsh word's syllable count",
    ("batch/run.py", "_worker"): "a batch worker process's library (which owns the cache)",
    ("web/workers.py", "_library"): "a web worker process's library (which owns the cache)",
}
MEMOISERS = {"lru_cache", "cache", "cached_property"}
MUTATORS = {"append", "extend", "update", "setdefault", "pop", "popitem", "clear", "add",
            "discard", "remove", "insert"}


def _called(node: ast.AST) -> str | None:
    node = node.func if isinstance(node, ast.Call) else node
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _module_caches(path: Path) -> set[str]:
    """Names a module keeps state of pack content in: memoised functions, module-level
    names assigned a memoiser, and module-level names that any function writes to."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    found: set[str] = set()
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name):
                top.add(target.id)
                value = node.value
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Call) \
                        and _called(value.func) in MEMOISERS:
                    found.add(target.id)  # e.g. _f = lru_cache(maxsize=8)(f)
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if any(_called(d) in MEMOISERS for d in node.decorator_list):
            found.add(node.name)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Global):
                found.update(inner.names)
            elif isinstance(inner, ast.Assign | ast.AugAssign | ast.Delete):
                targets = inner.targets if isinstance(inner, ast.Assign | ast.Delete) else [inner.target]
                found.update(t.value.id for t in targets if isinstance(t, ast.Subscript)
                             and isinstance(t.value, ast.Name) and t.value.id in top)
            elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                    and isinstance(inner.func.value, ast.Name) and inner.func.value.id in top \
                    and inner.func.attr in MUTATORS:
                found.add(inner.func.value.id)
    return found


@pytest.mark.parametrize("path", [p for p in _modules() if p.name != "cache.py" or p.parent != PACKAGE],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_keeps_a_cache_of_its_own(path: Path):
    name = str(path.relative_to(PACKAGE))
    caches = {c for c in _module_caches(path) if (name, c) not in NOT_PACK_CONTENT}
    assert not caches, (f"{name} keeps {sorted(caches)} at module level; remember pack content "
                        "in the library's cache with lessonpack.cache.memoized")


def test_the_exceptions_are_still_there():
    for name, cache in NOT_PACK_CONTENT:
        assert cache in _module_caches(PACKAGE / name), f"{name}: {cache} is gone; drop it"


def test_the_checker_finds_a_module_level_cache(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from functools import lru_cache\n_SEEN = {}\n_OTHER: list = []\n"
                      "def f(x):\n    _SEEN[x] = 1\n    _OTHER.append(x)\n"
                      "@lru_cache(maxsize=4)\ndef g(x):\n    return x\n"
                      "h = lru_cache(maxsize=2)(g)\nCONSTANT = {'a': 1}\n", encoding="utf-8")
    assert _module_caches(sample) == {"_SEEN", "_OTHER", "g", "h"}


# --- A pack in two phases ----------------------------------------------------------------
def test_the_two_phases_types():
    """Phase 1 makes a DeckPlan from the frozen context; phase 2 takes both, and nothing
    it is given can be changed."""
    import dataclasses
    import typing

    from lessonpack import pack
    from lessonpack.rendering.deck_plan import DeckPlan
    from lessonpack.rendering.document import Deck, Slide
    from lessonpack.rendering.template_data import PackContext

    first = typing.get_type_hints(pack.plan_pack_deck)
    second = typing.get_type_hints(pack.render_documents)
    assert first["context"] is PackContext and first["return"] is DeckPlan
    assert second["context"] is PackContext and second["plan"] is DeckPlan
    for kind in (PackContext, DeckPlan, Deck, Slide, pack.PackModels, pack.Library):
        assert dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen, kind  # type: ignore[attr-defined]
    assert "slides_for_step" not in {f.name for f in dataclasses.fields(PackContext)}


def test_a_pack_s_plan_and_context_cannot_be_changed(library):
    import dataclasses
    from types import MappingProxyType

    from lessonpack.pack import render_pack
    from lessonpack.rendering.context import PackRequest

    models = render_pack(library, PackRequest(key_stage="ks3", force=None))
    assert isinstance(models.plan.slides_for_step, MappingProxyType)
    assert models.plan.slides_for_step["extension"] and len(models.plan.slides_for_step) > 5
    for thing, attr in ((models.context, "minutes"), (models.plan, "deck"), (models.deck.slides[0], "notes")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, attr, None)
