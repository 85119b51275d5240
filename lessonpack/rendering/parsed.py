"""Rendered Markdown → the document model, parsing each distinct text once.

A rendered template holds placeholders, not values, so packs for different schools, and
runs on different days, usually share their Markdown exactly. Its parse (a pattern, see
fill.py) is kept in the library's cache and, like the validated content, on disk for the
next run (lessonpack/cache.py: keyed by the text and the installed code, markdown-it-py's
version included), so a cold `generate` need not load markdown-it at all. Text that
cannot be keyed safely (a template whose own text holds a placeholder character) is
parsed every time.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import cast

from lessonpack.cache import PackCache
from lessonpack.rendering.document import Deck, Document
from lessonpack.rendering.fill import fill_deck, fill_document
from lessonpack.rendering.markup import deck_pattern, document_pattern
from lessonpack.rendering.templating import Rendered


def parse_document(source: Rendered, name: str, cache: PackCache | None = None) -> Document:
    text = source.canonical()
    if text is None:
        return fill_document(document_pattern(str(source), name), source.fill, name)
    with _using(cache):  # filled blocks are kept in the same cache as the parse
        # _pattern gives what `kind` names: a Document here, a Deck below.
        return fill_document(cast(Document, _pattern(cache, "document", text, name)),
                             source.fill_canonical, name, source.values)


def parse_deck(source: Rendered, name: str, cache: PackCache | None = None) -> Deck:
    text = source.canonical()
    if text is None:
        return fill_deck(deck_pattern(str(source), name), source.fill, name)
    with _using(cache):
        return fill_deck(cast(Deck, _pattern(cache, "deck", text, name)), source.fill_canonical,
                         name, source.values)


def _using(cache: PackCache | None) -> AbstractContextManager[object]:
    return cache.active() if cache is not None else nullcontext()


def _pattern(cache: PackCache | None, kind: str, text: str, name: str) -> Deck | Document:
    """The parse of `text`, from memory, from disk, or made (and then kept in both)."""
    if cache is None:
        return _on_disk(PackCache(), kind, text, name)
    return cache.remember("parsed", (kind, text, name), lambda: _on_disk(cache, kind, text, name), 64)


def _on_disk(cache: PackCache, kind: str, text: str, name: str) -> Deck | Document:
    parse = deck_pattern if kind == "deck" else document_pattern
    if cache.folder() is None:
        return parse(text, name)
    key = cache.disk_key(kind, name, text)
    found = cache.load("parsed", key, Deck if kind == "deck" else Document)
    if found is not None:
        return found
    pattern = parse(text, name)  # a template error is raised here, and nothing is kept
    cache.save("parsed", key, pattern)
    return pattern

