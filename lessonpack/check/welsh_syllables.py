"""Syllables in a Welsh word, from its spelling: Welsh spelling is close to how it sounds.

pyphen ships no Welsh dictionary, and TeX's Welsh hyphenation patterns (hyph-cy, 1996)
mark where a line may break, not every syllable: read through pyphen they counted 213
(left=right=1) or 250 (TeX's own 2 and 3) of 358 hand-counted words right, where these
rules count 357, and all 117 of a list counted after the rules were written
(`tests/data/welsh_syllables*.txt`, `tests/test_welsh_reading.py`).

A syllable is a vowel or a diphthong. Welsh has seven vowels, a e i o u w y, each with
or without a circumflex (ŵ, ŷ, â) or another accent; a diaeresis (copïo) marks a vowel
that is a syllable of its own. Before another vowel, i is a consonant (iaith, lluniau,
costio) and so is a w that starts a vowel group (wedi, gwers, dweud), or comes between
g and l, n or r at the start of a word (gwneud, gwlad, wraig). The prefix di- before a
vowel keeps its own syllable (diogel, diolch).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

VOWELS = "aeiouwy"
DIPHTHONGS = frozenset({"ae", "ai", "au", "aw", "ei", "eu", "ew", "ey", "iw", "oe", "oi", "ou",
                        "ow", "uw", "wy", "yw"})
_DIAERESIS = "\u0308"
_VOWEL_RUN = re.compile(f"[{VOWELS}]+")
_CONSONANT_W = re.compile(f"^(g?)w(?=[lnr][{VOWELS}])")  # gwneud, wneud, gwlad, wraig
_PREFIX_DI = re.compile("^(d|dd)i(?=[aeou])")  # di-ogel, ddi-ogel, di-olch


def _letters(word: str) -> tuple[str, frozenset[int]]:
    """The word's base letters, lower case, and where a diaeresis stood (ï → i at i)."""
    bases: list[str] = []
    marked: set[int] = set()
    for char in word.lower():
        parts = unicodedata.normalize("NFD", char)
        if _DIAERESIS in parts[1:]:
            marked.add(len(bases))
        bases.append(parts[0])
    return "".join(bases), frozenset(marked)


@lru_cache(maxsize=65536)
def welsh_syllables(word: str) -> int:
    """Syllables in one Welsh word (letters only; at least 1)."""
    letters, marked = _letters(word)
    # A consonant w, or the prefix's i (counted here), becomes a mark that is no vowel, so
    # that every other letter keeps its place for the diaeresis.
    letters = _CONSONANT_W.sub(r"\1·", letters)
    count = 0
    if _PREFIX_DI.match(letters):
        count, letters = 1, _PREFIX_DI.sub(r"\1·", letters)
    for match in _VOWEL_RUN.finditer(letters):
        count += _nuclei(match.group(), match.start(), marked)
    return max(1, count)


def _nuclei(run: str, start: int, marked: frozenset[int]) -> int:
    """Syllables in one group of vowels that stand together (start: where it begins)."""
    position = 1 if len(run) > 1 and run[0] == "w" and start not in marked else 0
    count = 0
    while position < len(run):
        pair = run[position:position + 2]
        separate = {start + position, start + position + 1} & marked
        if pair in DIPHTHONGS and not separate and not (
                pair == "iw" and position + 2 < len(run)):  # gwir-iwyd: i, then wy
            position += 2
        elif run[position] == "i" and position + 1 < len(run) and start + position not in marked:
            position += 1  # a consonant: lluniau, costio
            continue
        else:
            position += 1
        count += 1
    return count
