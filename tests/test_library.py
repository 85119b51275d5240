"""The library owns the one cache: a new library starts empty, a library sent to another
process is loaded there again from its sources, what schools share is one declared key,
and the disk cache is keyed by every installed file, bounded, and written whole."""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import shutil
import zipfile
from pathlib import Path

import pytest

from lessonpack import cache
from lessonpack.main import make_pack
from lessonpack.pack import Library, zip_files
from lessonpack.rendering.context import PackRequest
from lessonpack.resources import data_dir
from lessonpack.school.models import Person, School

DAY = dt.date(2026, 12, 1)


def test_a_new_library_starts_with_an_empty_cache_of_its_own(library):
    make_pack(library, PackRequest(key_stage="ks2", force=None, lesson_date=DAY))
    fresh = Library.load()
    assert fresh.cache is not library.cache and library.cache.tables
    assert not any(fresh.cache.tables.get(name) for name in ("contexts", "docx-blocks", "pptx-notes"))


def test_schools_of_one_shared_key_share_the_context_and_keep_their_own_values():
    library = Library.load()
    force = library.content.forces_by_slug["hampshire"]
    keys = set()
    for name in ("Alpha School", "Beta School", "Gamma School"):
        request = PackRequest(key_stage="ks4", force=force, lesson_date=DAY,
                              school=School(name=name, dsl=Person(name=f"Ms {name}")))
        keys.add(library.shared_key(request))
        files = make_pack(library, request)
        with zipfile.ZipFile(io.BytesIO(files["parent-letter.docx"])) as archive:
            letter = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("word/"))
        assert name.encode() in letter and f"Ms {name}".encode() in letter
    (key,) = keys  # three schools, one key
    assert (key.key_stage, key.force, key.nation, key.minutes, key.large_print) == (
        "ks4", "hampshire", "england", 60, False)
    assert len(key.references) == 2 and all(len(d) == 64 for d in key.references)
    assert len(library.cache.tables["contexts"]) == 1
    other = PackRequest(key_stage="ks4", force=force, lesson_date=DAY, minutes=50)
    assert library.shared_key(other) != key


def test_a_library_sent_to_another_process_is_loaded_again_from_its_sources(tmp_path):
    mine = tmp_path / "templates"
    mine.mkdir()
    shutil.copy(data_dir("templates") / "support-card.md.j2", mine / "support-card.md.j2")
    library = Library.load(template_dirs=[mine], exclude=["ks2-your-fault"])
    again = pickle.loads(pickle.dumps(library))
    assert again.source == library.source and again.template_dirs == (mine,)
    assert again.cache is not library.cache and again.content == library.content
    request = PackRequest(key_stage="ks3", force=None, lesson_date=DAY)
    assert make_pack(again, request) == make_pack(library, request)


def test_the_code_key_covers_every_module_found_by_walking_the_package(tmp_path, monkeypatch):
    package = tmp_path / "lessonpack"
    shutil.copytree(Path(cache.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    monkeypatch.setattr(cache, "_PACKAGE", package)
    before = cache.code_key()
    loader = package / "content" / "yamlfile.py"  # the module a hand-kept list once left out
    loader.write_text(loader.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert cache.code_key() != before
    (package / "new_module.py").write_text("X = 1\n", encoding="utf-8")
    assert len({before, cache.code_key()}) == 2


def test_the_code_key_names_the_dependencies_versions():
    names = dict(cache.dependency_versions())
    assert {"pydantic", "pyyaml", "jinja2", "markdown_it_py", "mdit_py_plugins", "lxml"} <= set(names)
    import jinja2
    import pydantic

    assert names["jinja2"] == jinja2.__version__ and names["pydantic"] == pydantic.VERSION


def test_the_disk_cache_is_bounded_and_the_oldest_go_first(tmp_path):
    for i in range(10):
        entry = tmp_path / f"parsed-{i}.pickle"
        entry.write_bytes(b"x" * 1000)
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    cache.prune(tmp_path, max_bytes=4500)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"parsed-{i}.pickle" for i in range(6, 10)]


def test_entries_are_written_whole_and_refused_in_a_folder_others_may_write(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.DIR_ENV, str(tmp_path / "mine"))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    store = cache.PackCache()
    store.save("parsed", "k", {"a": 1})
    assert store.load("parsed", "k", dict) == {"a": 1}
    assert not list((tmp_path / "mine").glob("*.tmp"))
    (tmp_path / "mine" / "parsed-k.pickle").write_bytes(b"\x80\x05garbage")
    assert store.load("parsed", "k", dict) is None  # damaged: made again, never trusted
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv(cache.DIR_ENV, str(shared))
    refused = cache.PackCache()
    refused.save("parsed", "k", {"a": 1})
    assert refused.folder() is None and not list(shared.iterdir())


@pytest.mark.parametrize("when", [dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
                                  dt.datetime(1970, 1, 1, tzinfo=dt.UTC)])
def test_the_one_zip_writer_stores_office_files_and_reads_back_everywhere(when):
    files = [("ks3/slides.pptx", b"PK\x03\x04 an office file"), ("ks3/manifest.json", b'{"a": 1}' * 50),
             ("school.toml", b"[school]\nname = \"Ysgol Gymraeg\"\n"), ("logo.png", b"\x89PNG")]
    data = zip_files(files, when)
    assert zip_files(files, when) == data  # the same files and time, the same bytes
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == files
        methods = {i.filename: i.compress_type for i in archive.infolist()}
        assert methods["ks3/slides.pptx"] == methods["logo.png"] == zipfile.ZIP_STORED
        assert methods["ks3/manifest.json"] == zipfile.ZIP_DEFLATED
        assert {i.external_attr >> 16 for i in archive.infolist()} == {0o644}
        assert {i.date_time for i in archive.infolist()} == {
            max(when.replace(tzinfo=None), dt.datetime(1980, 1, 1)).timetuple()[:6]}


def test_a_models_kept_hash_is_never_pickled_and_equal_values_hash_alike():
    from lessonpack.rendering.document import Paragraph, Span, Table

    made = Table(((Span("a"),),), (((Span("b", bold=True),),),))
    again = Table(((Span("a"),),), (((Span("b", bold=True),),),))
    assert made == again and hash(made) == hash(again) and made is not again
    assert "_hash" not in pickle.loads(pickle.dumps(made)).__dict__
    assert Paragraph((Span("a"),)) != made and {made: 1}[again] == 1


def test_a_vanished_template_folder_means_compiling_not_a_crash(tmp_path, monkeypatch):
    from lessonpack.rendering.templating import Templates

    monkeypatch.setenv(cache.DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.md.j2").write_text("# {{ 1 + 2 }}\n", encoding="utf-8")
    templates = Templates(tmp_path / "t", cache=cache.PackCache())
    for folder in (tmp_path / "cache").glob("templates-*"):
        shutil.rmtree(folder)  # another version sharing the folder removed it
    assert templates.render("a.md.j2", {}) == "# 3\n"


@pytest.mark.parametrize("key_stage", ["ks2", "ks3", "ks4", "ks5"])
def test_every_value_is_filled_in_whatever_block_holds_it(library, key_stage):
    """Filled blocks are kept by the values that went into them: every block of every
    kind (cards, tables, pocket cards) must have had its values put in, in the first pack
    and in the next school's, never a placeholder left."""
    from lessonpack.pack import render_pack
    from lessonpack.rendering.fill import _texts

    for name in ("Alpha School", "Beta School"):
        models = render_pack(library, PackRequest(key_stage=key_stage, force=None, lesson_date=DAY,
                                                  school=School(name=name, dsl=Person(name=f"Ms {name}"))))
        texts = [t for slide in models.deck.slides for t in _texts(slide)]
        texts += [t for document, _ in models.documents.values() for t in _texts(document)]
        assert texts and not [t for t in texts if "\ue000" in t or "\ue001" in t]
        card = models.documents["support-card.docx"][0]
        assert any(f"Ms {name}" in t for t in _texts(card))
