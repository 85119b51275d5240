"""Field rules for the models, written without importing pydantic.

The content and school models are plain frozen dataclasses: what the templates read, and
what a run served from the cache loads without importing pydantic (a third of a cold
start). pydantic validates them where data comes in (lessons/, school.toml, a schools
file, the web form), reading each field's type and the rules below from its annotation,
as in `Annotated[list[Text], length(1)]`; a model's checks across fields are its
`__post_init__`, which pydantic runs after the fields. Errors keep pydantic's own types
("too_short", "string_pattern_mismatch", ...), so messages read as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any, TypeVar, cast

# pydantic's settings for every model: a misspelt key fails loudly, never vanishes.
FORBID = {"extra": "forbid"}
Data = TypeVar("Data")


class Rule:
    """A check pydantic runs after its own type check of the field."""

    def __init__(self, check: Callable[..., Any], with_info: bool = False) -> None:
        self.check = check
        self.with_info = with_info

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        after = (core_schema.with_info_after_validator_function if self.with_info
                 else core_schema.no_info_after_validator_function)
        return after(self.check, handler(source))

    def __repr__(self) -> str:
        return f"Rule({getattr(self.check, '__name__', self.check)!r})"


class Convert:
    """A field that pydantic makes with `make` from whatever it is given (a path, bytes, the
    value itself), and dumps as `dump(value)`: for values pydantic has no schema of."""

    def __init__(self, make: Callable[[Any], Any], dump: Callable[[Any], Any]) -> None:
        self.make = make
        self.dump = dump

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            self.make, serialization=core_schema.plain_serializer_function_ser_schema(self.dump))


def _error(kind: str, message: str, **context: Any) -> Exception:
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(kind, message, context)


def length(minimum: int = 0, maximum: int | None = None) -> Rule:
    """At least `minimum` and at most `maximum` characters or items."""
    def check(value: Any) -> Any:
        size = len(value)
        text = isinstance(value, str)
        unit = "character" if text else "item"
        if size < minimum:
            raise _error("string_too_short" if text else "too_short",
                         f"{'String' if text else 'List'} should have at least {{min_length}} "
                         f"{unit}{'s' if minimum != 1 else ''}", min_length=minimum,
                         actual_length=size)
        if maximum is not None and size > maximum:
            raise _error("string_too_long" if text else "too_long",
                         f"{'String' if text else 'List'} should have at most {{max_length}} "
                         f"{unit}{'s' if maximum != 1 else ''}", max_length=maximum,
                         actual_length=size)
        return value
    return Rule(check)


def number(gt: int | None = None, ge: int | None = None, le: int | None = None) -> Rule:
    def check(value: int) -> int:
        if gt is not None and not value > gt:
            raise _error("greater_than", "Input should be greater than {gt}", gt=gt)
        if ge is not None and not value >= ge:
            raise _error("greater_than_equal", "Input should be greater than or equal to {ge}",
                         ge=ge)
        if le is not None and not value <= le:
            raise _error("less_than_equal", "Input should be less than or equal to {le}", le=le)
        return value
    return Rule(check)


def pattern(regex: str, max_length: int | None = None) -> Rule:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if max_length is not None and len(value) > max_length:
            raise _error("string_too_long", "String should have at most {max_length} characters",
                         max_length=max_length, actual_length=len(value))
        if not compiled.match(value):
            raise _error("string_pattern_mismatch", "String should match pattern '{pattern}'",
                         pattern=regex)
        return value
    return Rule(check)


def _stripped(value: str) -> str:
    value = value.strip()
    if not value:
        raise _error("string_too_short", "String should have at least {min_length} character",
                     min_length=1, actual_length=0)
    return value


STRIPPED = Rule(_stripped)  # white space trimmed, and something left


def validate(kind: type[Data], data: Any) -> Data:
    """`data` checked and made into `kind` (a model, or a list of them), or ValidationError."""
    # A class is hashable, but typeshed's type[...] does not say so to lru_cache: hence the casts.
    return _adapter(cast(Hashable, kind)).validate_python(data)


def dump(value: Any) -> Any:
    """A model as JSON-ready data (dates and paths as text)."""
    return _adapter(cast(Hashable, type(value))).dump_python(value, mode="json")


@cache
def _adapter(kind: Any) -> Any:
    # Building an adapter compiles the model's validator: once per model and process.
    from pydantic import TypeAdapter

    return TypeAdapter(kind)
