"""Issue 10, items 1, 7, 8 and 9 (templates): a school's template cannot hang the run,
exhaust memory, read a file outside its folder, or end in a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonpack.errors import TemplateError
from lessonpack.pack import DOCUMENTS, SLIDES, Library, build_pack
from lessonpack.rendering import sandbox
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.templating import Templates
from lessonpack.resources import data_dir

BUILTIN = data_dir("templates")


def render(tmp_path: Path, source: str, name: str = "slides.md.j2", **context) -> str:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(source, encoding="utf-8")
    return Templates(BUILTIN, [folder]).render(name, context)


@pytest.mark.parametrize(("source", "why"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "longer than"),
    ("{% set x = range(100000)|list %}{% for i in x %}{% for j in x %}{% endfor %}{% endfor %}",
     "longer than"),
    ("{{ lipsum(n=2000000) }}", "too large"),
    ("{{ lipsum(n=40, max=1000) }}", "lipsum"),
    ("{{ 'x' * 2000000000 }}", "repetition"),
    ("{% set s = 'x' * 900000 %}{{ s ~ s }}", r"join \(~\)"),
    ("{% set s = 'x' * 900000 %}{% for i in range(100000) %}{{ s }}{% endfor %}", "in all"),
    ("{{ 'x'.center(2000000000) }}", "too large"),
    ("{{ 'x'|center(2000000000) }}", "too large"),
    ("{{ '%2000000000d'|format(1) }}", "width"),
    ("{{ 9 ** 99999 }}", "bits"),
    ("{% set ns = namespace(x=3) %}{% for i in range(64) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
     "bits"),
    ("{% set x = ['y' * 900000] %}{% for i in range(100) %}{% set _ = x.extend(x) %}{% endfor %}",
     "too long"),
    ("{% for i in range(100000) %}" + "x" * 30 + "{% endfor %}", "wrote more than"),
])
def test_runaway_templates_stop_within_the_budget(tmp_path, monkeypatch, source, why):
    monkeypatch.setattr(sandbox, "TIME_BUDGET", 2.0)
    started = time.monotonic()
    with pytest.raises(TemplateError, match=why) as caught:
        render(tmp_path, source)
    assert time.monotonic() - started < 10
    assert "slides.md.j2" in str(caught.value)


@pytest.mark.parametrize(("source", "line", "what"), [
    ("ok\n{{ 1 // 0 }}\n", 2, "division"),
    ("a\nb\n{{ '%s %s'|format(1) }}\n", 3, "not enough arguments"),
    ("{% macro m() %}{{ m() }}{% endmacro %}\n{{ m() }}\n", 1, "calls itself"),
    ("{{ range(10**9)|list }}\n", 1, "too large"),
])
def test_runtime_errors_name_the_template_and_line(tmp_path, source, line, what):
    with pytest.raises(TemplateError, match=what) as caught:
        render(tmp_path, source)
    message = str(caught.value)
    assert f"mine/slides.md.j2, line {line}" in message and "\n" not in message


def test_an_include_that_links_out_of_the_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE DATA")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "leak.txt").symlink_to(secret)
    with pytest.raises(TemplateError, match="outside") as caught:
        render(tmp_path, "{% include 'leak.txt' %}")
    assert "PRIVATE DATA" not in str(caught.value)


def test_a_template_that_is_itself_a_link_out_is_refused(tmp_path):
    (tmp_path / "elsewhere.j2").write_text("PRIVATE {{ 1 }}")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "slides.md.j2").symlink_to(tmp_path / "elsewhere.j2")
    with pytest.raises(TemplateError, match="outside"):
        Templates(BUILTIN, [tmp_path / "mine"]).render("slides.md.j2", {})


def test_a_link_inside_the_folder_is_fine(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "real.j2").write_text("hello")
    (tmp_path / "mine" / "alias.j2").symlink_to(tmp_path / "mine" / "real.j2")
    assert render(tmp_path, "{% include 'alias.j2' %}") == "hello"


def test_parent_folder_names_are_refused(tmp_path):
    with pytest.raises(TemplateError, match="not found"):
        render(tmp_path, "{% include '../secret.txt' %}")


def test_a_fifo_template_is_refused(tmp_path):
    import os

    (tmp_path / "mine").mkdir()
    os.mkfifo(tmp_path / "mine" / "slides.md.j2")
    with pytest.raises(TemplateError, match="pipe"):
        Templates(BUILTIN, [tmp_path / "mine"]).render("slides.md.j2", {})


def test_root_as_the_template_folder_does_not_claim_the_built_in_templates():
    library = Library.load(template_dirs=[Path("/")])
    files = build_pack(library, PackRequest(key_stage="ks3", force=None))
    manifest = json.loads(files["manifest.json"])
    names = {SLIDES[1], *(t for t, _ in DOCUMENTS.values())}
    assert manifest["templates"] == dict.fromkeys(sorted(names), "built-in")


def test_the_built_in_templates_render_well_within_the_budget(library):
    started = time.monotonic()
    build_pack(library, PackRequest(key_stage="ks4", force=None))
    assert time.monotonic() - started < sandbox.TIME_BUDGET / 5


TOKENS = [*"{}%#()[]'\"*~+-/.|_ axyz0123456789\n", "{{", "}}", "{%", "%}", " for ", " in ",
          "range(", " endfor ", " if ", " endif ", "lipsum(", " * ", " ** ", "macro ",
          "endmacro", " set ", "10**9"]


@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
@settings(max_examples=150, deadline=None)
def test_any_template_text_renders_or_fails_with_one_line(tmp_path_factory, source):
    folder = tmp_path_factory.mktemp("t")
    (folder / "t.j2").write_text(source, encoding="utf-8")
    try:
        Templates(BUILTIN, [folder]).render("t.j2", {})
    except TemplateError as exc:
        assert "\n" not in str(exc).strip() or "syntax" in str(exc)
