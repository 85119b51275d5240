"""Rendered Markdown → the document model, parsing each distinct text once.

A rendered template holds placeholders, not values, so packs for different schools, and
runs on different days, usually share their Markdown exactly. Its parse (a pattern, see
fill.py) is kept in memory for the process and, like the validated content, in the
user's cache folder for the next run, keyed by the text and the parser's own source, so
a cold `generate` need not load markdown-it at all. Text that cannot be keyed safely (a
template whose own text holds a placeholder character) is parsed every time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import pickle
from functools import lru_cache
from pathlib import Path
from typing import cast

from lessonpack import __version__
from lessonpack.content.cache import cache_dir, prune, store
from lessonpack.rendering.document import Deck, Document
from lessonpack.rendering.fill import fill_deck, fill_document
from lessonpack.rendering.markup import deck_pattern, document_pattern
from lessonpack.rendering.templating import Rendered

KEEP_PARSED = 256  # entries: every document of every key stage, nation and length, twice
_HERE = Path(__file__).resolve().parent


def parse_document(source: Rendered, name: str) -> Document:
    text = source.canonical()
    if text is None:
        return fill_document(document_pattern(str(source), name), source.fill, name)
    # _pattern gives what `kind` names: a Document here, a Deck below.
    return fill_document(cast(Document, _pattern("document", text, name)), source.fill_canonical,
                         name, source.values)


def parse_deck(source: Rendered, name: str) -> Deck:
    text = source.canonical()
    if text is None:
        return fill_deck(deck_pattern(str(source), name), source.fill, name)
    return fill_deck(cast(Deck, _pattern("deck", text, name)), source.fill_canonical, name,
                     source.values)


@lru_cache(maxsize=64)
def _pattern(kind: str, text: str, name: str) -> Deck | Document:
    parse = deck_pattern if kind == "deck" else document_pattern
    folder = cache_dir()
    if folder is None:
        return parse(text, name)
    entry = folder / f"parsed-{_key(kind, text, name)}.pickle"
    try:
        cached = pickle.loads(entry.read_bytes())
        if isinstance(cached, Deck if kind == "deck" else Document):
            return cached
    except Exception:  # noqa: BLE001 - a missing or damaged entry is parsed again
        pass
    pattern = parse(text, name)  # a template error is raised here, and nothing is kept
    store(entry, pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL))
    prune(folder, "parsed-*.pickle", keep=KEEP_PARSED)
    return pattern


@lru_cache(maxsize=1)
def _parser_source() -> bytes:
    # An edit to the parser or the model, or another markdown-it-py (its package's
    # __init__.py carries the version), makes every kept parse miss. Found, not imported:
    # importing markdown-it is what a hit saves.
    sources = [_HERE / module for module in ("markup.py", "fill.py", "document.py")]
    for package in ("markdown_it", "mdit_py_plugins"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            sources.append(Path(spec.origin))
    return b"".join(path.read_bytes() for path in sources)


def _key(kind: str, text: str, name: str) -> str:
    digest = hashlib.sha256(f"{__version__}\0{kind}\0{name}\0".encode())
    digest.update(_parser_source())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
