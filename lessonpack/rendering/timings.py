"""Fitting a lesson's steps to its length, and its text to slides."""

from __future__ import annotations

from lessonpack.content.lessons import LESSON_MINUTES, LessonStep
from lessonpack.errors import LessonpackError

SLIDE_WORDS = 40  # about the most a slide should carry (titles and footers aside)


def scale_minutes(minutes: list[int], total: int) -> list[int]:
    """Rescale step timings to `total` so that they still add up exactly.

    Largest-remainder rounding; every step keeps at least one minute.
    """
    if total < len(minutes):
        raise ValueError(f"a {total}-minute lesson cannot hold {len(minutes)} steps")
    base = sum(minutes)
    exact = [m * total / base for m in minutes]
    scaled = [max(1, int(x)) for x in exact]
    order = sorted(range(len(minutes)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(scaled) < total:
        scaled[order[i % len(order)]] += 1
        i += 1
    while sum(scaled) > total:
        j = max((k for k in range(len(scaled)) if scaled[k] > 1), key=lambda k: scaled[k])
        scaled[j] -= 1
    return scaled


def fit_minutes(steps: list[LessonStep], total: int) -> list[int]:
    """Each step's minutes in a `total`-minute lesson.

    Longer lessons stretch every step in proportion. Shorter ones take time from the
    steps that can give it, in their `cut` order (the first step cut goes down to its
    shortest, or out, before the next one shrinks), so the core steps keep their time
    rather than every step being squeezed.
    """
    base = [s.minutes for s in steps]
    if total >= LESSON_MINUTES:
        return scale_minutes(base, total)
    shortest = sum(s.shortest for s in steps)
    if total < shortest:
        raise LessonpackError(
            f"a {total}-minute lesson is too short for this lesson: it needs at least "
            f"{shortest} minutes; use --minutes {shortest} or more")
    minutes = list(base)
    to_cut = LESSON_MINUTES - total
    order = sorted((i for i, s in enumerate(steps) if s.cut is not None),
                   key=lambda i: (steps[i].cut, -i))
    for i in order:
        take = min(to_cut, minutes[i] - steps[i].shortest)
        minutes[i] -= take
        to_cut -= take
        if not to_cut:
            break
    return minutes


def slide_chunks(paragraphs: list[str], limit: int = SLIDE_WORDS) -> list[list[str]]:
    """Paragraphs grouped, in order, into slides of at most about `limit` words: a long
    story is split into steps rather than set in smaller type."""
    chunks: list[list[str]] = []
    words = 0
    for paragraph in paragraphs:
        count = len(paragraph.split())
        if chunks and words + count <= limit:
            chunks[-1].append(paragraph)
            words += count
        else:
            chunks.append([paragraph])
            words = count
    return chunks
