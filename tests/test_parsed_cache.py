"""Parsed Markdown kept between packs and runs: the same pack whether parsed or reused,
each school's own values in it, any edit a miss, and nothing a template can forge.

Also: lessonpack's own templates run outside the sandbox only when nothing else does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonpack import cache
from lessonpack.errors import TemplateError
from lessonpack.pack import Library, build_pack, render_pack
from lessonpack.rendering import parsed
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.document import Paragraph, plain
from lessonpack.rendering.templating import Templates
from lessonpack.school.models import School
from lessonpack.xmltext import clean_text


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    return folder


def kept(folder: Path) -> list[Path]:
    return sorted(folder.glob("parsed-*.pickle"))


def request(library: Library, key_stage: str = "ks3", school: School | None = None) -> PackRequest:
    return PackRequest(key_stage=key_stage, force=library.content.forces_by_slug["hampshire"],
                       school=school or School())


def letterhead(library: Library, req: PackRequest) -> str:
    document, _ = render_pack(library, req).documents["parent-letter.docx"]
    return " ".join(plain(b.spans) for b in document.letterhead if isinstance(b, Paragraph))


def test_a_pack_from_kept_parses_is_the_pack_parsed_afresh(cache_home, monkeypatch):
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    library = Library.load()
    fresh = build_pack(library, request(library))
    assert not cache_home.exists()
    monkeypatch.delenv(cache.DISABLE_ENV)
    library = Library.load()
    first = build_pack(library, request(library))
    assert len(kept(cache_home)) == 7  # the deck and six documents
    library = Library.load()  # a new library, as a new process: only the files remain
    monkeypatch.setattr(parsed, "deck_pattern", _no_parsing)
    monkeypatch.setattr(parsed, "document_pattern", _no_parsing)
    assert build_pack(library, request(library)) == first == fresh


def _no_parsing(*args, **kwargs):
    raise AssertionError("the Markdown was parsed again, not read from the cache")


def test_schools_share_a_parse_and_each_gets_its_own_values(cache_home):
    library = Library.load()
    ours = letterhead(library, request(library, school=School(name="St Aidan's *Academy*")))
    count = len(kept(cache_home))
    theirs = letterhead(library, request(library, school=School(name="Hexham [Priory] School")))
    assert len(kept(cache_home)) == count  # the same Markdown: no new parse
    assert "St Aidan's *Academy*" in ours and "Hexham" not in ours
    assert "Hexham [Priory] School" in theirs and "Aidan" not in theirs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60)
       .filter(lambda s: clean_text(s)))
def test_any_school_name_comes_back_as_written(cache_home, name):
    """Markdown, brackets, placeholder look-alikes: the name is text, whatever it holds."""
    library = Library.load()
    school = School(name=name)
    assert clean_text(school.name) in letterhead(library, request(library, school=school))


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_damaged_entry_is_parsed_again(cache_home, damage):
    library = Library.load()
    first = build_pack(library, request(library))
    for entry in kept(cache_home):
        entry.write_bytes(damage)
    library = Library.load()  # nothing remembered in memory: only the damaged files
    assert build_pack(library, request(library)) == first


def test_a_changed_template_is_parsed_again(cache_home, tmp_path):
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "t.md.j2").write_text("# One\n\nfirst {{ v }}\n", encoding="utf-8")
    templates = Templates(tmp_path / "none", [mine])
    first = parsed.parse_document(templates.render("t.md.j2", {"v": "x"}), "t.md.j2")
    (mine / "t.md.j2").write_text("# One\n\n- second {{ v }}\n", encoding="utf-8")
    second = parsed.parse_document(Templates(tmp_path / "none", [mine]).render("t.md.j2", {"v": "y"}),
                                   "t.md.j2")
    assert plain(first.blocks[1].spans) == "first x" and isinstance(first.blocks[1], Paragraph)
    assert plain(second.blocks[1].spans) == "second y" and not isinstance(second.blocks[1], Paragraph)
    assert len(kept(cache_home)) == 2


def test_placeholder_characters_in_a_template_are_text_and_never_kept(cache_home, tmp_path):
    """A template whose own text looks like a placeholder is parsed each time, and what it
    wrote stays text: it cannot print the value of another field."""
    (tmp_path / "t.md.j2").write_text("# T\n\n\ue0000\ue001 and {{ secret }}\n", encoding="utf-8")
    rendered = Templates(tmp_path).render("t.md.j2", {"secret": "the DSL's phone"})
    document = parsed.parse_document(rendered, "t.md.j2")
    assert plain(document.blocks[1].spans) == "\ue0000\ue001 and the DSL's phone"
    assert kept(cache_home) == []


def test_a_cold_run_from_the_cache_loads_no_parser_or_validator(cache_home, tmp_path):
    """The libraries that read and check input (a third of a cold start) load on a miss only."""
    script = ("import sys; from lessonpack.commands.cli import main; sys.argv = ['lessonpack', "
              f"'generate', '--out', {str(tmp_path / 'out')!r}, '--overwrite'];\n"
              "try: main()\nexcept SystemExit: pass\n"
              "print('loaded:' + ','.join(m for m in ('markdown_it', 'yaml', 'pydantic', 'pptx', 'docx') "
              "if m in sys.modules))")

    def loaded() -> str:
        out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                             text=True).stdout
        return out.split("loaded:")[-1].strip()
    assert loaded() == "markdown_it,yaml,pydantic"  # the first run parses and validates
    assert loaded() == ""  # the next reads the content and the parses from the cache


def test_lessonpacks_own_templates_run_unsandboxed_only_alone(tmp_path):
    assert not Library.load().templates.sandboxed
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "worksheet.md.j2").write_text("# {{ ''.__class__.__mro__[1].__subclasses__() }}\n",
                                          encoding="utf-8")
    library = Library.load(template_dirs=[mine])
    assert library.templates.sandboxed  # the built-in templates beside it are sandboxed too
    with pytest.raises(TemplateError, match="not allowed in a template"):
        build_pack(library, request(library))
    assert Templates(tmp_path).sandboxed  # a folder nobody vouched for


def test_a_schools_pack_after_many_others_is_the_pack_a_fresh_library_makes(cache_home):
    """The shared context, parses and built XML are reused from earlier packs when nothing
    in them changed: a school's pack must not depend on the schools before it."""
    import datetime as dt

    from lessonpack.school.models import Person

    from .test_writers_cache import digests

    library = Library.load()
    hampshire = library.content.forces_by_slug["hampshire"]
    day = dt.date(2026, 12, 1)
    for i in range(12):
        other = School(name=f"Other School {i}", colour="#F4C430", dsl=Person(name=f"Mr Other {i}"))
        build_pack(library, PackRequest(key_stage=("ks2", "ks3", "ks4")[i % 3], force=hampshire,
                                        school=other, lesson_date=day))
    school = School(name="Hilltop School", colour="#1D4F91", dsl=Person(name="Ms Rivera"))
    ours = PackRequest(key_stage="ks3", force=hampshire, school=school, lesson_date=day)
    warm = digests(build_pack(library, ours))
    fresh = Library.load()
    assert digests(build_pack(fresh, PackRequest(
        key_stage="ks3", force=fresh.content.forces_by_slug["hampshire"], school=school,
        lesson_date=day))) == warm and len(warm) > 100
    tables = library.cache.tables
    assert len(tables["contexts"]) == 3 and 0 < len(tables["docx-blocks"]) <= tables["docx-blocks"].maxsize
    assert len(fresh.cache.tables["contexts"]) == 1  # a new library remembers only its own


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_a_reused_block_is_exactly_what_filling_afresh_makes(cache_home, tmp_path, values):
    """Packs in a row whose values repeat, change or hold Markdown: each document equals
    the one made with nothing remembered from before."""
    from lessonpack.cache import PackCache

    (tmp_path / "t.md.j2").write_text(
        "# {{ v }}\n\nSame text, {{ same }}.\n\n- an item {{ v }}\n\n| a | b |\n|---|---|\n"
        "| {{ v }} | {{ same }} |\n\n::: lines {{ n }}\n:::\n", encoding="utf-8")
    templates = Templates(tmp_path)
    kept_between = PackCache()
    for value in values:
        context = {"v": value, "same": "always this", "n": "3"}
        remembered = parsed.parse_document(templates.render("t.md.j2", context), "t.md.j2", kept_between)
        afresh = parsed.parse_document(templates.render("t.md.j2", context), "t.md.j2", PackCache())
        assert remembered == afresh
