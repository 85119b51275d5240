"""Jinja's sandbox, bounded: a template from a school or a force cannot hang, exhaust memory
or read a file outside its folder.

Jinja's SandboxedEnvironment stops templates reaching Python internals, but not
`{% for i in range(100000) %}{% for j in range(100000) %}`, `lipsum(n=2000000)` or
`'x' * 2000000000`. Here every call, filter, test, arithmetic operator and `~` goes
through a hook that

- checks a wall-clock deadline (a render has `TIME_BUDGET` seconds; in the main thread a
  timer signal also stops loops that call nothing),
- refuses, before computing it, any value longer than `MAX_VALUE` characters or items, and
- counts every value made against `MAX_WORK`, so many medium values cannot add up either.

The output of one render is capped at `MAX_OUTPUT` characters.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, cast

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import generate_lorem_ipsum

TIME_BUDGET = 10.0  # seconds per document; the built-in templates take ~20 ms
MAX_VALUE = 1_000_000  # characters or items in any one value
MAX_WORK = 50_000_000  # characters and items made, summed, per render
MAX_OUTPUT = 2_000_000  # characters of Markdown per document (the built-in: ~30,000)
MAX_BITS = 100_000  # the largest number a template may make (~30,000 digits)
# A width or precision of 10,000 or more, in %-formats and str.format alike.
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{5,})|%[-#0 +]*\d*\.(\*|\d{5,})|\{[^}]*:[^}]*\d{5,}")
_CONTAINERS = (list, tuple, dict, set, frozenset)


class RenderLimit(SecurityError):
    """A template went over its time or size budget."""


class _Budget:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.work = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"took longer than {self.seconds:g} s; is there a runaway loop?")

    def made(self, value: Any) -> Any:
        size = _size(value)
        if size > MAX_VALUE:
            raise RenderLimit(f"a value of {size:,} characters or items; the limit is {MAX_VALUE:,}")
        self.work += size
        if self.work > MAX_WORK:
            raise RenderLimit(f"made more than {MAX_WORK:,} characters of text in all")
        return value


_budget: ContextVar[_Budget | None] = ContextVar("render_budget", default=None)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict | set) else 0


def expanded(value: Any, limit: int = MAX_VALUE) -> int:
    """The characters and items `value` holds once written out in full, counted up to just
    past `limit`. A list repeated inside itself is small in memory but not when printed,
    joined, summed or given to `tojson`: [[[x] * 100] * 100] * 100 is a million items."""
    total, todo = 0, [value]
    while todo and total <= limit:
        item = todo.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, _CONTAINERS):
            total += len(item)
            todo.extend(item.items() if isinstance(item, dict) else item)
    return total


def _check_expanded(values: Any) -> None:
    for value in values:
        if isinstance(value, _CONTAINERS) and expanded(value) > MAX_VALUE:
            raise RenderLimit(f"a value too long once written out: it expands to more than "
                              f"{MAX_VALUE:,} characters or items (a list repeated inside itself?)")


def _tick() -> _Budget | None:
    budget = _budget.get()
    if budget is not None:
        budget.tick()
    return budget


def _ints(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _precheck(func: Any, args: tuple, kwargs: dict) -> None:
    """Refuse a call whose result would be huge, before it is made."""
    values = [*args, *kwargs.values()]
    _check_expanded(values)
    # '{:>99999999}'.format(x): the format is the method's owner (Jinja's sandbox wraps
    # str.format, keeping the method as __wrapped__).
    owner = getattr(getattr(func, "__wrapped__", func), "__self__", None)
    for value in [*values, *([owner] if isinstance(owner, str) else [])]:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
            raise RenderLimit(f"the number {value} is too large here")
        if isinstance(value, str) and _WIDE_FORMAT.search(value):
            raise RenderLimit("a format with a width of 10,000 or more")
    name = getattr(func, "__name__", "")
    summed = next((v for v in values if isinstance(v, _CONTAINERS)), None)  # after the env
    if name in ("sum", "do_sum") and summed is not None:
        # Adding lists or strings copies the total so far at every step: quadratic.
        items = list(summed)
        if any(isinstance(i, str | list | tuple) for i in items[:1000]) and (
                len(items) * expanded(items, 2 * MAX_WORK // max(len(items), 1)) // 2 > MAX_WORK):
            raise RenderLimit("a sum of lists or text whose making would take too long")
    if name in ("replace", "do_replace") and len(values) >= 3:
        text, old, new = (str(v) for v in values[:3])
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * len(new) > MAX_VALUE:
            raise RenderLimit("a replace() whose result would be too long")
    if name in ("join", "do_join", "extend", "append"):
        self_obj = getattr(func, "__self__", None)
        total = sum(_size(v) for v in [self_obj, *values] if isinstance(v, str | list | tuple))
        listed: Sequence[object] = next((v for v in values if isinstance(v, list | tuple)), ())
        total += sum(len(str(item)) for item in listed if isinstance(item, str | int | float))
        if total > MAX_VALUE:
            raise RenderLimit("a join or list whose result would be too long")


def _guarded(func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        budget = _tick()
        _precheck(func, args, kwargs)
        result = func(*args, **kwargs)
        return budget.made(result) if budget is not None else result
    return wrapper


def _counted(finalize: Callable) -> Callable:
    # Every printed value is kept until the document is assembled: count it, so that
    # printing one long value 100,000 times stops too.
    @functools.wraps(finalize)
    def wrapper(value: Any) -> Any:
        budget = _tick()
        if budget is not None and isinstance(value, str):
            budget.made(value)
        _check_expanded((value,))  # printed, a container is written out in full
        return finalize(value)
    return wrapper


def _range(*args: int) -> Iterator[int]:
    # Jinja's own safe_range caps the length (100,000); this also checks the clock.
    for n, value in enumerate(range(*args)):
        if n % 1000 == 0:
            _tick()
        if n >= 100_000:
            raise RenderLimit("range() of more than 100,000 numbers")
        yield value


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    if n > 50 or max > 200 or min > max:
        raise RenderLimit("lipsum() of more than 50 paragraphs of 200 words")
    return generate_lorem_ipsum(n, html, min, max)


class _Generator(CodeGenerator):
    """`a ~ b` joins through the environment, so that its length is checked too."""

    def visit_Concat(self, node: Any, frame: Any) -> None:  # noqa: N802 - Jinja's visitor name
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(SandboxedEnvironment):
    code_generator_class = _Generator
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _range
        self.globals["lipsum"] = _lipsum
        self.filters = {name: _guarded(f) for name, f in self.filters.items()}
        # jinja2 infers its tests' type from a dict of plain functions ("function"), which
        # mypy will not take as a Callable: each is one.
        self.tests = {name: _guarded(cast(Callable[..., Any], t)) for name, t in self.tests.items()}
        if self.finalize is not None:
            self.finalize = _counted(self.finalize)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget = _tick()
        _precheck(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return budget.made(result) if budget is not None else result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = _tick()
        if operator in ("*", "**") and _ints(left, right):
            # Numbers are bounded by their size in bits: 9 ** 99999 or a value squared in a
            # loop would otherwise run for hours.
            bits = left.bit_length() * (right if operator == "**" else 1) + (
                right.bit_length() if operator == "*" else 0)
            if abs(left) > 1 and bits > MAX_BITS:
                raise RenderLimit(f"a number of more than {MAX_BITS:,} bits")
        if operator == "*":
            count = right if isinstance(left, str | list | tuple) else left
            item = left if isinstance(left, str | list | tuple) else right
            if isinstance(count, int) and _size(item) * count > MAX_VALUE:
                raise RenderLimit("a repetition (*) whose result would be too long")
        if operator == "%" and isinstance(left, str):
            _precheck(None, (left, right), {})
        if operator == "+" and _size(left) + _size(right) > MAX_VALUE:
            raise RenderLimit("a sum (+) whose result would be too long")
        result = super().call_binop(context, operator, left, right)
        return budget.made(result) if budget is not None else result

    def bounded_concat(self, values: tuple) -> str:
        budget = _tick()
        _check_expanded(values)
        parts = [str(v) for v in values]
        if sum(map(len, parts)) > MAX_VALUE:
            raise RenderLimit("a join (~) whose result would be too long")
        result = "".join(parts)
        return budget.made(result) if budget is not None else result


def render_bounded(template: jinja2.Template, context: Any, seconds: float | None = None) -> str:
    """Render with a time budget and an output cap (RenderLimit when either is exceeded)."""
    budget = _Budget(TIME_BUDGET if seconds is None else seconds)
    token = _budget.set(budget)
    out: list[str] = []
    length = 0
    try:
        with _alarm(budget):
            for piece in template.generate(context):
                length += len(piece)
                if length > MAX_OUTPUT:
                    raise RenderLimit(f"wrote more than {MAX_OUTPUT:,} characters")
                if len(out) % 256 == 0:
                    budget.tick()
                out.append(piece)
    finally:
        _budget.reset(token)
    return "".join(out)


@contextlib.contextmanager
def _alarm(budget: _Budget) -> Iterator[None]:
    """A timer signal, for loops that call nothing the hooks can see (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        budget.tick()  # raises once the deadline has passed
        signal.setitimer(signal.ITIMER_REAL, 0.5)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, budget.seconds + 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
