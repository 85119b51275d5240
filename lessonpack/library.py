"""The library: content, templates and reference documents, loaded once, and the one
cache of what packs share (lessonpack/cache.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lessonpack.cache import PackCache, SharedKey
from lessonpack.content.cache import load_content_cached
from lessonpack.content.lessons import Content
from lessonpack.rendering import i18n
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.templating import Templates
from lessonpack.resources import data_dir
from lessonpack.safe_io import read_zip_input
from lessonpack.writers.docx import DocxTheme
from lessonpack.writers.pptx import PptxTheme


@dataclass(frozen=True)
class LibrarySource:
    """What a library was loaded from: enough to load the same library again elsewhere."""

    lessons: Path | None = None
    template_dirs: tuple[Path, ...] = ()
    reference_pptx: Path | None = None
    reference_docx: Path | None = None
    extra_content: Path | None = None
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Library:
    """Content, templates and reference documents, loaded once, and the one cache of what
    packs share (lessonpack/cache.py): a new library starts with an empty cache."""

    content: Content
    templates: Templates
    pptx_theme: PptxTheme
    docx_theme: DocxTheme
    cache: PackCache
    source: LibrarySource = LibrarySource()

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return self.source.template_dirs

    def __reduce__(self) -> tuple:
        # Sent to another process (a batch worker started by "spawn"), a library is loaded
        # there again from the same sources, with a cache of its own.
        return (_load_from, (self.source,))

    @classmethod
    def load(
        cls,
        lessons: Path | None = None,
        template_dirs: list[Path] | None = None,
        reference_pptx: Path | None = None,
        reference_docx: Path | None = None,
        extra_content: Path | None = None,
        exclude: list[str] | None = None,
    ) -> Library:
        builtin = data_dir("templates")
        cache = PackCache()
        content = load_content_cached(
            cache, lessons or data_dir("lessons"),
            extra_files=[extra_content] if extra_content else None,
            exclude=exclude,
        )
        return cls(
            content=content,
            templates=Templates(builtin, template_dirs, trusted=True, cache=cache),  # our own folder
            pptx_theme=_theme(PptxTheme, reference_pptx, builtin / "theme" / "reference.pptx", cache),
            docx_theme=_theme(DocxTheme, reference_docx, builtin / "theme" / "reference.docx", cache),
            cache=cache,
            source=LibrarySource(lessons, tuple(template_dirs or ()), reference_pptx, reference_docx,
                                 extra_content, tuple(exclude or ())),
        )

    def shared_key(self, request: PackRequest) -> SharedKey:
        """What `request` shares with every other school's pack (lessonpack/cache.py)."""
        return SharedKey(
            key_stage=request.key_stage, force=request.force.slug if request.force else None,
            nation=request.nation_id, minutes=request.minutes, large_print=request.large_print,
            language=i18n.LANGUAGES.get(request.language, request.language),
            references=(self.pptx_theme.digest, self.docx_theme.digest))


def _load_from(source: LibrarySource) -> Library:
    return Library.load(source.lessons, list(source.template_dirs), source.reference_pptx,
                        source.reference_docx, source.extra_content, list(source.exclude))


def _theme(kind: type, given: Path | None, builtin: Path, cache: PackCache):
    # A school's reference document is read within its cap and checked as a zip before
    # anything unpacks it; the theme keeps these bytes.
    data = read_zip_input(given, "reference document") if given is not None else None
    return kind(given or builtin, data, cache)
