"""The per-user cache of validated content and compiled templates: a hit makes the same
pack, any edit misses, a damaged entry is rebuilt, racing processes leave whole files."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessonpack import cache
from lessonpack.content import cache as content_cache
from lessonpack.content.lessons import Content
from lessonpack.errors import ContentError
from lessonpack.pack import Library, build_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.templating import Templates
from lessonpack.resources import data_dir


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    return folder


@pytest.fixture
def lessons(tmp_path) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(data_dir("lessons"), folder)
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("content-*.pickle"))


def no_loading(*args, **kwargs):
    raise AssertionError("the content was parsed and validated again, not read from the cache")


def pack(library: Library) -> dict[str, bytes]:
    force = library.content.forces_by_slug["hampshire"]
    return build_pack(library, PackRequest(key_stage="ks3", force=force))


def test_a_hit_makes_the_same_pack_without_validating(cache_home, monkeypatch):
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    uncached = Library.load()
    assert not cache_home.exists()
    monkeypatch.delenv(cache.DISABLE_ENV)
    first = Library.load()
    assert len(entries(cache_home)) == 1
    monkeypatch.setattr(content_cache, "load_content", no_loading)
    second = Library.load()
    assert second.content == first.content == uncached.content
    assert pack(second) == pack(first) == pack(uncached)


def test_editing_a_lessons_file_misses(cache_home, lessons):
    before = Library.load(lessons=lessons).content
    path = lessons / "lessons.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n# an edit a reviewer made\n", encoding="utf-8")
    after = Library.load(lessons=lessons).content
    assert after.fingerprint != before.fingerprint
    assert len(entries(cache_home)) == 2
    # A change that breaks the content is reported, not hidden by the earlier good entry.
    path.write_text(text + "\nnot_a_section: 1\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not_a_section"):
        Library.load(lessons=lessons)


def test_a_changed_value_is_seen(cache_home, lessons):
    Library.load(lessons=lessons)
    meta = lessons / "meta.yaml"
    old = Library.load(lessons=lessons).content.meta.version
    text = meta.read_text(encoding="utf-8")
    assert f'version: "{old}"' in text
    meta.write_text(text.replace(f'version: "{old}"', 'version: "99.9.9"', 1), encoding="utf-8")
    assert Library.load(lessons=lessons).content.meta.version == "99.9.9"


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05\x95garbage", "truncate"])
def test_a_damaged_entry_is_ignored_and_rebuilt(cache_home, monkeypatch, damage):
    good = Library.load().content
    (entry,) = entries(cache_home)
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2] if damage == "truncate" else damage)
    assert Library.load().content == good
    assert entry.read_bytes() == whole  # rebuilt
    monkeypatch.setattr(content_cache, "load_content", no_loading)
    assert Library.load().content == good


def test_an_entry_for_other_content_is_not_used(cache_home, monkeypatch):
    """An entry whose fingerprint is not the files' (put there by hand, or another tool)
    is not trusted."""
    good = Library.load().content
    (entry,) = entries(cache_home)
    entry.write_bytes(cache.pickle.dumps(dataclasses.replace(good, fingerprint="0" * 64)))
    assert Library.load().content.fingerprint == good.fingerprint


RACER = """
import sys
from lessonpack.pack import Library
print(Library.load().content.fingerprint)
"""


def test_racing_processes_leave_a_whole_entry(cache_home):
    for _ in range(3):
        shutil.rmtree(cache_home, ignore_errors=True)
        racers = [subprocess.Popen([sys.executable, "-c", RACER], stdout=subprocess.PIPE, text=True)
                  for _ in range(4)]
        printed = {racer.communicate(timeout=120)[0].strip() for racer in racers}
        assert all(racer.returncode == 0 for racer in racers)
        assert len(printed) == 1
        (entry,) = entries(cache_home)
        assert isinstance(cache.pickle.loads(entry.read_bytes()), Content)
        assert not list(cache_home.glob("*.tmp"))


GENERATE = """
import sys
from lessonpack.commands.cli import main
sys.argv = ["lessonpack", "generate", "-k", "ks3", "--out", sys.argv[1], "--overwrite"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print("loaded:" + ",".join(m for m in ("phonenumbers", "pptx", "docx", "pyphen") if m in sys.modules))
"""


def test_a_cold_generate_from_the_cache_imports_no_phone_checker(cache_home, tmp_path):
    def loaded() -> str:
        return subprocess.run([sys.executable, "-c", GENERATE, str(tmp_path / "out")], check=True,
                              capture_output=True, text=True).stdout.split("loaded:")[-1].strip()
    assert "phonenumbers" in loaded()  # the first run validates every help line's number
    assert loaded() == ""  # from the cache: no phonenumbers, and never python-pptx or -docx


def test_caching_can_be_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    Library.load()
    assert not cache_home.exists()


def test_an_unusable_cache_folder_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.DIR_ENV, str(blocker / "cache"))
    assert cache.cache_dir() is None
    assert Library.load().content.forces_by_slug


def test_a_folder_others_may_write_is_not_trusted(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(cache.DIR_ENV, str(shared))
    assert cache.cache_dir() is None
    Library.load()
    assert not list(shared.iterdir())
    shared.chmod(0o700)
    assert cache.cache_dir() == shared.resolve()


def test_never_caches_inside_the_package(monkeypatch):
    monkeypatch.setenv(cache.DIR_ENV, str(Path(cache.__file__).parent / "cache-here"))
    assert cache.cache_dir() is None
    assert not (Path(cache.__file__).parent / "cache-here").exists()


def test_compiled_templates_follow_their_source(cache_home, tmp_path):
    mine = tmp_path / "templates"
    mine.mkdir()
    template = mine / "worksheet.md.j2"
    template.write_text("# First {{ 1 + 1 }}\n", encoding="utf-8")
    assert Templates(data_dir("templates"), [mine]).render("worksheet.md.j2", {}) == "# First 2\n"
    assert any(cache_home.glob("templates-*/*"))  # compiled code was stored
    template.write_text("# Second {{ 2 + 2 }}\n", encoding="utf-8")
    assert Templates(data_dir("templates"), [mine]).render("worksheet.md.j2", {}) == "# Second 4\n"
