"""Shards: the K-th of N parts of a run, from `--shard K/N` or a scheduler's environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

MAX_SHARDS = 10_000  # more machines than schools in England: a typo, not a plan
AUTO = "auto"


def parse_shard(text: str, environ: Mapping[str, str] | None = None) -> tuple[int, int]:
    """'2/5' → (2, 5); 'auto' → from a Kubernetes Indexed Job; ValueError unless 1 <= K <= N."""
    if text.strip().lower() == AUTO:
        return auto_shard(os.environ if environ is None else environ)
    match = re.fullmatch(r"\s*([0-9]+)\s*/\s*([0-9]+)\s*", text)
    if not match:
        raise ValueError(f"{text[:40]!r} is not K/N (for example 2/5) or 'auto'")
    return _checked(_number(match[1]), _number(match[2]), f"{match[1][:12]}/{match[2][:12]}")


def _number(digits: str) -> int:
    # A 250-digit count is refused here, before any school is read or built.
    return int(digits) if len(digits) <= 9 else MAX_SHARDS + 1


def auto_shard(environ: Mapping[str, str]) -> tuple[int, int]:
    """A Kubernetes Indexed Job's JOB_COMPLETION_INDEX (0-based) of JOB_COMPLETIONS."""
    values = {}
    for name in ("JOB_COMPLETION_INDEX", "JOB_COMPLETIONS"):
        value = environ.get(name, "").strip()
        if not value:
            raise ValueError(f"auto: {name} is not set; in a Kubernetes Indexed Job set "
                             "JOB_COMPLETIONS to the Job's completions, or give --shard K/N")
        if not re.fullmatch(r"[0-9]+", value):
            raise ValueError(f"auto: {name}={value[:40]!r} is not a whole number")
        values[name] = _number(value)
    k, n = values["JOB_COMPLETION_INDEX"] + 1, values["JOB_COMPLETIONS"]
    return _checked(k, n, f"auto (index {k - 1} of {n})")


def _checked(k: int, n: int, what: str) -> tuple[int, int]:
    if not 1 <= n <= MAX_SHARDS:
        raise ValueError(f"{what}: N must be between 1 and {MAX_SHARDS:,}")
    if not 1 <= k <= n:
        raise ValueError(f"{what}: K must be between 1 and N")
    return k, n


def shard_of(items: Sequence, k: int, n: int) -> list:
    """The K-th of N contiguous, near-equal parts: every item lands in exactly one part."""
    total = len(items)
    return list(items[(k - 1) * total // n : k * total // n])
