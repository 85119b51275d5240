"""Reading level: Flesch-Kincaid grade of the pupil-facing text, syllables by pyphen (en_GB)
or, in Welsh, by Welsh spelling (`welsh_syllables`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from lessonpack.check.passages import Passage, passages
from lessonpack.check.problems import READING_DOCS, Problem
from lessonpack.check.welsh_syllables import welsh_syllables

if TYPE_CHECKING:
    import pyphen  # imported where it is used, so only `check` loads it


@dataclass(frozen=True)
class ReadingStats:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade level:
        0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59.
        """
        if not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    def __add__(self, other: ReadingStats) -> ReadingStats:
        return ReadingStats(self.words + other.words, self.sentences + other.sentences,
                            self.syllables + other.syllables)


# A sentence ends at ., ! or ? (with any closing quotes or brackets) before a space or the
# end. "www.iwf.org.uk" has no space after its dots, so it is not split; "e.g. this" is
# split, a small overcount that slide fragments dwarf anyway.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_URL_OR_EMAIL = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|\b\S+\.(?:uk|org|com|net)\b(?:/\S*)?",
                           re.IGNORECASE)
_LONGEST_WORD = 200  # longer is no word anyone reads: left out, like an address


def _without_addresses(text: str) -> str:
    """`text` less its web and email addresses, word by word: the pattern backtracks
    within a word, so a 40,000-letter "word" took seconds when matched as a whole."""
    return " ".join(_URL_OR_EMAIL.sub(" ", word) if len(word) <= _LONGEST_WORD else " "
                    for word in text.split())


_LETTERS = re.compile(r"[^\W\d_]+")
_APOSTROPHES = re.compile(r"['’]")


def text_stats(texts: Iterable[str], language: str = "en") -> ReadingStats:
    """Words, sentences and syllables in `texts`, each of which ends a sentence.

    Each text is a paragraph, bullet, table cell or title: slide text is mostly fragments
    without a full stop, and each one is read as a sentence of its own. Within a text,
    sentences end at ., ! or ?. A word is a space-separated token with at least one letter;
    web and email addresses are left out (they are read as contacts, not prose, and would
    count as one enormous word). Syllables: see `syllables`, or in Welsh ("cy")
    `welsh_syllables`.
    """
    count = welsh_word_syllables if language == "cy" else syllables
    total = ReadingStats(0, 0, 0)
    for text in texts:
        text = _without_addresses(text)
        for sentence in _SENTENCE_END.split(text):
            words = [w for w in sentence.split() if _LETTERS.search(w)]
            if words:
                total += ReadingStats(len(words), 1, sum(count(w) for w in words))
    return total


@cache
def _hyphenator() -> pyphen.Pyphen:
    # en_GB ships inside pyphen: no download, so this works offline. left=right=1 lets it
    # break off one-letter syllables ("o-ver"); pyphen's default of 2 never does, and so
    # reads 1.5 to 2.4 grades low. Measured against the CMU Pronouncing Dictionary, these
    # settings put each built-in document's grade within 0.5 of the dictionary's, and other
    # prose (CONTENT.md, the seed articles) within 1. Single words are rougher ("and" counts
    # two, "people" one), but errors cancel over a document, which is all that is scored.
    import pyphen

    return pyphen.Pyphen(lang="en_GB", left=1, right=1)


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables in one word: hyphenation points + 1 (en_GB, pyphen), at least 1.

    Apostrophes are dropped ("don't" is one syllable), and a word with hyphens, digits or
    slashes ("under-18s") is the sum of its parts.
    """
    parts = _LETTERS.findall(_APOSTROPHES.sub("", word.lower()))
    count = sum(len(_hyphenator().positions(part)) + 1 for part in parts)
    return max(1, count)


@lru_cache(maxsize=65536)
def welsh_word_syllables(word: str) -> int:
    """Syllables in one Welsh word, as `syllables` splits and sums its parts."""
    parts = _LETTERS.findall(_APOSTROPHES.sub(" ", word))  # ti'n, i'r: the word and its clitic
    return max(1, sum(welsh_syllables(part) for part in parts))


def reading_levels(files: Mapping[str, bytes], language: str = "en") -> dict[str, float]:
    """Flesch–Kincaid grade of each pupil-facing document present, rounded to 0.1.

    FK grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59, counted by
    `text_stats` over the slide titles and body text (not speaker notes or the running
    footer) and the worksheet (not its letterhead). A document that cannot be opened or
    has no words is left out.
    """
    levels: dict[str, float] = {}
    for name in READING_DOCS:
        if name not in files:
            continue
        try:
            found = passages(name, files[name])
        except Exception:  # check_pack reports the file as unreadable
            continue
        grade = _reading_level(found, language)
        if grade is not None:
            levels[name] = grade
    return levels


def _reading_level(found: Iterable[Passage], language: str = "en") -> float | None:
    stats = text_stats((p.text for p in found if p.reading), language)
    return round(stats.grade, 1) if stats.words else None


# ---------------------------------------------------------------------------
# The pack


def welsh_reading(key_stage: str, files: Mapping[str, bytes],
                  limit: float) -> tuple[dict[str, float], list[Problem]]:
    """The Welsh documents' reading levels in a Welsh or bilingual pack (slides.pptx, or
    slides.cy.pptx beside the English), and a warning for each above `limit`.

    Flesch-Kincaid was made for English; with Welsh syllables it reads the same lesson
    about three grades higher in Welsh (docs/welsh.md), so the English limit is a
    generous one for Welsh: read the figure beside the English twin's.
    """
    welsh = {name.replace(".cy.", "."): data for name, data in files.items()
             if ".cy." in name} or dict(files)
    levels = reading_levels(welsh, "cy")
    problems = [
        Problem("warning", f"{key_stage}/{name} (Cymraeg)",
                f"reading level {grade:.1f} (Flesch-Kincaid grade, Welsh syllables) is above "
                f"{limit:g}: use shorter sentences and words")
        for name, grade in levels.items() if grade > limit]
    return levels, problems
