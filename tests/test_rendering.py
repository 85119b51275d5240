"""Templates, Markdown and the writers: values stay text, files stay valid, output is stable."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from lessonpack.errors import LessonpackError, TemplateError
from lessonpack.pack import build_pack
from lessonpack.rendering.context import PackRequest, fit_minutes, scale_minutes
from lessonpack.rendering.document import Deck, ListItem, Paragraph, Slide, Span, Table
from lessonpack.rendering.parsed import parse_deck, parse_document
from lessonpack.rendering.templating import Templates
from lessonpack.school.models import School, slugify
from lessonpack.writers.docx import DocxTheme, write_docx
from lessonpack.writers.meta import DocMeta
from lessonpack.writers.pptx import PptxTheme, write_pptx
from lessonpack.writers.slide_layout import Geometry, line_count, paginate
from lessonpack.xmltext import clean_text

from .conftest import REPO, docx_text, slide_texts


@pytest.fixture()
def templates(tmp_path) -> Templates:
    (tmp_path / "doc.md.j2").write_text(
        "# {{ title }}\n\n- {{ item }}\n\n| A | B |\n|---|---|\n| {{ item }} | x |\n"
    )
    (tmp_path / "deck.md.j2").write_text(
        "## {{ title }}\n\n{{ item }}\n\n::: notes step-a\nSay {{ item }}\n:::\n"
    )
    return Templates(tmp_path)


def test_inserted_values_are_text_not_markup(templates):
    name = "St Mary's *C of E* <b>& # _x_ | [link](http://x) `code`"
    doc = parse_document(templates.render("doc.md.j2", {"title": name, "item": name}), "doc")
    heading, bullet, table = doc.blocks
    assert heading.spans == (Span(name),)
    assert bullet.spans == (Span(name),)
    assert isinstance(table, Table) and table.rows[0][0] == (Span(name),)


def test_template_markup_still_works(tmp_path):
    (tmp_path / "t.md.j2").write_text("## Title\n\n**Bold** and *italic* {{ v }}\n\n::: notes s\nn\n:::\n")
    deck = parse_deck(Templates(tmp_path).render("t.md.j2", {"v": "*plain*"}), "t")
    spans = deck.slides[0].blocks[0].spans
    assert Span("Bold", bold=True) in spans and Span("italic", italic=True) in spans
    assert spans[-1].text.endswith("*plain*") and not spans[-1].italic


def test_missing_variable_is_an_error_with_file_and_line(templates):
    with pytest.raises(TemplateError, match=r"doc\.md\.j2, line 1: unknown variable"):
        templates.render("doc.md.j2", {"item": "x"})


def test_none_never_prints_as_blank(templates):
    with pytest.raises(TemplateError, match="None"):
        templates.render("doc.md.j2", {"title": None, "item": "x"})


def test_sandbox_blocks_python_internals(tmp_path):
    (tmp_path / "evil.md.j2").write_text("{{ title.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(TemplateError, match="not allowed in a template"):
        Templates(tmp_path).render("evil.md.j2", {"title": "x"})


def test_syntax_error_names_the_template_line(tmp_path):
    (tmp_path / "bad.md.j2").write_text("ok\n\n{% for x in %}\n")
    with pytest.raises(TemplateError, match=r"bad\.md\.j2, line 3: syntax error"):
        Templates(tmp_path).render("bad.md.j2", {})


def test_user_template_folder_wins_over_builtin(tmp_path):
    builtin, custom = tmp_path / "builtin", tmp_path / "custom"
    builtin.mkdir()
    custom.mkdir()
    (builtin / "a.md.j2").write_text("builtin\n")
    (custom / "a.md.j2").write_text("custom\n")
    (builtin / "b.md.j2").write_text("builtin b\n")
    templates = Templates(builtin, [custom])
    assert templates.render("a.md.j2", {}).strip() == "custom"
    assert templates.render("b.md.j2", {}).strip() == "builtin b"


def test_a_slide_without_notes_is_refused(tmp_path):
    (tmp_path / "t.md.j2").write_text("## One\n\ntext\n")
    with pytest.raises(TemplateError, match="without speaker notes"):
        parse_deck(Templates(tmp_path).render("t.md.j2", {}), "t")


# Any text a school might type, including control characters, RTL, emoji and Markdown.
free_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300
).filter(lambda s: clean_text(s))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=free_text)
def test_any_text_round_trips_into_both_formats(templates, value):
    expected = clean_text(value)
    deck = parse_deck(templates.render("deck.md.j2", {"title": value, "item": value}), "deck")
    assert deck.slides[0].title == expected
    assert deck.slides[0].blocks[0] == Paragraph((Span(expected),))
    doc = parse_document(templates.render("doc.md.j2", {"title": value, "item": value}), "doc")
    assert doc.blocks[1] == ListItem((Span(expected),))
    meta = DocMeta(title=value[:50], subject="s", author="a", keywords="k",
                   when=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), footer=value[:40])
    pptx = write_pptx(paginate_deck(deck), pptx_theme(), meta)
    docx = write_docx(doc, docx_theme(), meta)
    assert expected in "\n".join("\n".join(s) for s in slide_texts_bytes(pptx))
    assert expected in docx_text(io.BytesIO(docx))


def pptx_theme() -> PptxTheme:
    return PptxTheme(REPO / "templates" / "theme" / "reference.pptx")


def docx_theme() -> DocxTheme:
    return DocxTheme(REPO / "templates" / "theme" / "reference.docx")


def paginate_deck(deck: Deck) -> Deck:
    return pptx_theme().paginate(deck)


def slide_texts_bytes(data: bytes) -> list:
    return slide_texts(io.BytesIO(data))


def test_long_lists_continue_on_a_new_slide():
    geometry = Geometry(width=800, height=380)
    items = [ListItem((Span(f"Point number {i} " + "with some words " * 4),)) for i in range(30)]
    deck = paginate(Deck("d", [Slide("Signs", items, notes="n", step="s")]), geometry)
    assert len(deck.slides) > 2
    assert deck.slides[1].title == "Signs (continued)" and deck.slides[1].continued
    assert [b for s in deck.slides for b in s.blocks] == items, "nothing lost or reordered"
    for slide in deck.slides:
        assert sum(geometry.block_height(b) for b in slide.blocks) <= geometry.height
        assert slide.notes.endswith("n")


def test_long_tables_repeat_their_header():
    geometry = Geometry(width=800, height=380)
    rows = tuple(((Span(f"Myth {i} " * 6),), (Span(f"Fact {i} " * 9),)) for i in range(12))
    table = Table(((Span("Myth"),), (Span("Fact"),)), rows)
    deck = paginate(Deck("d", [Slide("Myths", [table], notes="n", step="s")]), geometry)
    assert len(deck.slides) > 1
    assert all(s.blocks[0].header == table.header for s in deck.slides)
    assert sum(len(s.blocks[0].rows) for s in deck.slides) == 12


def test_line_count_wraps_words_and_long_words():
    assert line_count("short", 400, 20) == 1
    assert line_count("word " * 100, 400, 20) > 5
    assert line_count("x" * 500, 400, 20) > 5


@pytest.mark.parametrize("ks", ["ks2", "ks3", "ks4", "ks5"])
@pytest.mark.parametrize("total", [45, 50, 60, 75, 90, 120])
def test_fitted_timings_add_up(library, ks, total):
    steps = library.content.lesson(ks).steps
    fitted = fit_minutes(steps, total)
    assert sum(fitted) == total
    if total <= 60:  # shorter: no step below its shortest, and steps that never shrink keep time
        assert all(m >= s.shortest for m, s in zip(fitted, steps, strict=True))
        assert all(m == s.minutes for m, s in zip(fitted, steps, strict=True) if s.cut is None)
    else:
        assert all(m >= s.minutes for m, s in zip(fitted, steps, strict=True))
    assert fit_minutes(steps, 60) == [s.minutes for s in steps]
    assert scale_minutes([s.minutes for s in steps], total) if total >= 60 else True


def test_a_lesson_too_short_for_its_steps_is_one_clear_error(library):
    steps = library.content.lesson("ks3").steps
    with pytest.raises(LessonpackError, match="too short .* at least 44 minutes"):
        fit_minutes(steps, 20)


@pytest.mark.parametrize("name, slug", [
    ("../../etc", "etc"), ("St Mary's C of E", "st-mary-s-c-of-e"), ("Académie Ü", "academie-u"),
    ("مدرسة", ""), ("", ""),
])
def test_slugs_are_safe_folder_names(name, slug):
    assert slugify(name) == slug
    assert School(name=name).slug == (slug or "school") if name else True


def test_same_inputs_give_identical_bytes(library, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    request = PackRequest(key_stage="ks4", force=library.content.forces_by_slug["hampshire"],
                          lesson_date=dt.date(2026, 12, 1))
    first, second = build_pack(library, request), build_pack(library, request)
    assert first == second
    props = Presentation(io.BytesIO(first["slides.pptx"])).core_properties
    assert props.modified == dt.datetime(2026, 12, 1)
    with zipfile.ZipFile(io.BytesIO(first["worksheet.docx"])) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 12, 1, 0, 0, 0)}


def test_source_date_epoch_sets_every_timestamp(library, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    request = PackRequest(key_stage="ks3", force=None, lesson_date=dt.date(2026, 12, 1))
    files = build_pack(library, request)
    when = dt.datetime.fromtimestamp(1790000000, tz=dt.UTC).replace(tzinfo=None)
    created = Document(io.BytesIO(files["lesson-plan.docx"])).core_properties.created
    assert created.replace(tzinfo=None) == when
    with zipfile.ZipFile(io.BytesIO(files["slides.pptx"])) as z:
        assert {i.date_time for i in z.infolist()} == {when.timetuple()[:6]}
    assert build_pack(library, request) == files


def test_bad_source_date_epoch_is_a_clear_error(library, monkeypatch):
    from lessonpack.errors import LessonpackError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(LessonpackError, match="SOURCE_DATE_EPOCH"):
        build_pack(library, PackRequest(key_stage="ks3", force=None))


def test_school_name_with_odd_characters_reaches_every_document(library, tmp_path):
    name = "St Mary's *C of E* <Primary> & Nursery # 1 — مدرسة 🏫"
    files = build_pack(library, PackRequest(key_stage="ks3", force=None, school=School(name=name)))
    for filename, data in files.items():
        if filename.endswith(".docx"):
            path = tmp_path / filename
            path.write_bytes(data)
            assert name in docx_text(path), filename
    slides = "\n".join("\n".join(s) for s in slide_texts(io.BytesIO(files["slides.pptx"])))
    assert name in slides


def test_control_characters_in_a_school_name_are_refused():
    from pydantic import ValidationError

    from lessonpack.content.rules import validate

    with pytest.raises(ValidationError, match="control characters"):
        validate(School, {"name": "Bad\x07School"})


def test_reference_theme_exists_and_is_16_9():
    prs = Presentation(str(REPO / "templates" / "theme" / "reference.pptx"))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    section = Document(str(REPO / "templates" / "theme" / "reference.docx")).sections[0]
    assert round(section.page_width.cm, 1) == 21.0  # A4


def test_builtin_templates_are_markdown_files(library):
    names = {p.name for p in Path(REPO / "templates").glob("*.md.j2")}
    assert {"slides.md.j2", "worksheet.md.j2", "parent-letter.md.j2", "lesson-plan.md.j2"} <= names


def test_numbers_from_loops_stay_list_markers(tmp_path):
    (tmp_path / "t.md.j2").write_text("{% for x in xs %}\n{{ loop.index }}. {{ x }}\n{% endfor %}\n")
    blocks = parse_document(Templates(tmp_path).render("t.md.j2", {"xs": ["a", "b"]}), "t").blocks
    assert [(b.number, b.spans[0].text) for b in blocks] == [(1, "a"), (2, "b")]


def test_parent_letter_what_to_do_is_a_numbered_list(packs, library):
    doc = Document(str(packs[("ks3", None)] / "parent-letter.docx"))
    numbered = [p.text for p in doc.paragraphs if p.text[:3].rstrip("\t").rstrip(".").isdigit()]
    assert len(numbered) == len([a for a in library.content.parent_actions if "ks3" in a.key_stages])
    assert numbered[0].startswith("1.\t")
