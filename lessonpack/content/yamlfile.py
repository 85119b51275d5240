"""YAML loading that remembers the line of every value, for error messages.

YAML from a school or a force is not trusted: nesting, aliases and the size a document
expands to are limited before anything is built from it ("billion laughs"), and a key
given twice is an error rather than a silently dropped value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lessonpack.diagnostics import Diagnostic, shown
from lessonpack.errors import ContentError, LessonpackError

try:  # libyaml is several times faster; fall back where it is not built in
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

LineMap = dict[tuple[Any, ...], int]
MAX_DEPTH = 50  # lesson content nests 5 deep
MAX_ALIASES = 100
MAX_NODES = 200_000  # after aliases are expanded; the built-in content has ~5,000

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def load_yaml_with_lines(path: Path, raw: bytes) -> tuple[Any, LineMap]:
    """Parse `raw` once, returning the data and a map from key path to line number."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        _check_shape(path, text)  # before composing: composing recurses once per level
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_size(path, node)
            try:
                data = loader.construct_document(node) if node is not None else None
            except (ValueError, TypeError, AttributeError, OverflowError) as exc:
                # A date, number or timestamp that is not one ("2026-13-45", !!float abc, a
                # 5,000-digit number): PyYAML raises plain Python errors with no line.
                raise _bad_scalar(path, loader, node, exc) from None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(f"{path}: {line}{problem}") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: invalid YAML: {exc}") from None
    except RecursionError:  # pragma: no cover - _check_shape stops this first
        raise ContentError(f"{path}: nested too deeply") from None
    lines: LineMap = {}
    if node is not None:
        _walk(path, node, (), lines)
    return data, lines


def _line(event: yaml.Event | yaml.Node) -> int:
    # The parser marks every event and node it makes; the stubs allow None for hand-made ones.
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def _error(path: Path, line: int, message: str) -> LessonpackError:
    return ContentError.of([Diagnostic("error", str(path), message, line)])


_TYPED = {"tag:yaml.org,2002:" + t: t for t in ("int", "float", "timestamp", "binary", "bool")}


def _bad_scalar(path: Path, loader: Any, root: yaml.Node, exc: BaseException) -> LessonpackError:
    """The first typed value that cannot be made, by its line; else the error itself."""
    todo, seen = [root], set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(reversed(node.value))
        elif node.tag in _TYPED:
            try:
                loader.yaml_constructors[node.tag](loader, node)
            except (ValueError, TypeError, AttributeError, OverflowError, yaml.YAMLError):
                return _error(path, _line(node), f"{shown(node.value, 40)} is not a valid "
                                                 f"{_TYPED[node.tag]}; put it in quotes if it is text")
    return ContentError(f"{path}: a value cannot be read ({' '.join(str(exc).split())[:100]})")


def _check_shape(path: Path, text: str) -> None:
    """Nesting depth and alias count, from the event stream (which does not recurse)."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise _error(path, _line(event), f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, _CLOSE):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _error(path, _line(event), f"more than {MAX_ALIASES} aliases (*name)")


def _check_size(path: Path, root: yaml.Node) -> None:
    """How many values the document holds once every alias is expanded, without expanding it."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = 1  # a node that contains itself counts once
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        sizes[id(node)] = total
        return total

    if size(root) > MAX_NODES:
        raise ContentError(f"{path}: expands to more than {MAX_NODES:,} values through its "
                           "aliases (*name); refused")


def _walk(source: Path, node: yaml.Node, path: tuple[Any, ...], lines: LineMap,
          seen: frozenset[int] = frozenset()) -> None:
    lines[path] = node.start_mark.line + 1
    if id(node) in seen:
        return  # a recursive alias: its lines are already known
    seen = seen | {id(node)}
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key, line = key_node.value, key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key != "<<":
                if key in keys:
                    raise _error(source, line, f"key {key!r} given twice (first on line "
                                               f"{keys[key]}); keep one")
                keys[key] = line
            _walk(source, value_node, (*path, key), lines, seen)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(source, item, (*path, index), lines, seen)
