"""The writers keep what recurs from pack to pack (built paragraphs, text bodies, notes,
relationships, compressed parts): what they write must not depend on what was written
before, text must still be cleaned, and the caches must be bounded."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lessonpack.pack import Library, build_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.document import Span
from lessonpack.school.models import School
from lessonpack.writers import docx, docx_blocks, drawingml, opc, oxml, pptx_slides, slide_layout
from lessonpack.xmltext import CONTROL

from .conftest import KEY_STAGES

DAY = dt.date(2026, 12, 1)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

def digests(files: dict[str, bytes]) -> dict[str, str]:
    out = {}
    for name, data in files.items():
        if not name.endswith((".pptx", ".docx")):  # the manifest is not a zip
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                out[f"{name}/{info.filename}"] = hashlib.sha256(archive.read(info)).hexdigest()
    return out


def test_a_pack_is_the_same_whatever_was_written_before(library):
    """Written after every key stage and a school with its own colour and logo-free
    large print, the KS3 pack holds exactly the parts a fresh library writes."""
    hampshire = library.content.forces_by_slug["hampshire"]
    for ks in KEY_STAGES:
        build_pack(library, PackRequest(key_stage=ks, force=None, lesson_date=DAY))
    build_pack(library, PackRequest(key_stage="ks3", force=hampshire, lesson_date=DAY, large_print=True,
                                    school=School(name="Other School", colour="#F4C430")))
    warm = digests(build_pack(library, PackRequest(key_stage="ks3", force=hampshire, lesson_date=DAY)))
    fresh = Library.load()
    assert digests(build_pack(fresh, PackRequest(
        key_stage="ks3", force=fresh.content.forces_by_slug["hampshire"], lesson_date=DAY))) == warm
    assert len(warm) > 100  # every part of six files, not an empty comparison


def test_packs_of_two_schools_keep_their_own_names_and_colours(library):
    """Cached bodies are keyed by what they hold: one school's name or colour never
    turns up in the next school's deck."""
    decks = {}
    for name, colour in (("Alpha School", "#C81E1E"), ("Beta School", "#1E6E1E")):
        request = PackRequest(key_stage="ks4", force=None, lesson_date=DAY,
                              school=School(name=name, colour=colour))
        with zipfile.ZipFile(io.BytesIO(build_pack(library, request)["slides.pptx"])) as archive:
            decks[name] = {n: etree.fromstring(archive.read(n)) for n in archive.namelist()
                           if n.startswith("ppt/slides/slide")}
    for name, other in (("Alpha School", "Beta School"), ("Beta School", "Alpha School")):
        texts = ["".join(t.text or "" for t in root.iter(f"{A}t")) for root in decks[name].values()]
        assert all(name in text for text in texts[1:])  # every content slide's footer
        assert not any(other in text for text in texts)
    colours = {name: {c.get("val") for root in slides.values() for c in root.iter(f"{A}srgbClr")}
               for name, slides in decks.items()}
    assert "C81E1E" in colours["Alpha School"] and "C81E1E" not in colours["Beta School"]
    assert "1E6E1E" in colours["Beta School"] and "1E6E1E" not in colours["Alpha School"]


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_paragraph_text_is_cleaned_and_every_copy_alike(text):
    """Whatever text a run holds, the paragraph (made from cached skeletons) carries it less
    the characters XML cannot, its tabs as Word's tab elements; two never share nodes."""
    para = docx_blocks._Para((Span(text, bold=True),))
    first, second = para.element(), para.element()
    assert first is not second and etree.tostring(first) == etree.tostring(second)
    xml = etree.tostring(first)
    assert etree.fromstring(xml) is not None  # well-formed
    kept = "".join(t.text or "" for t in first.iter(f"{W}t"))
    assert kept == CONTROL.sub("", text).replace("\t", "")
    assert len(list(first.iter(f"{W}tab"))) == text.count("\t")
    first.append(etree.Element("changed"))
    assert etree.tostring(para.element()) == xml  # a copy changed leaves the original alone


@given(st.text(max_size=60))
@settings(max_examples=100, deadline=None)
def test_slide_text_bodies_and_notes_drop_what_xml_cannot_carry(text):
    from lessonpack.rendering.document import Paragraph

    body = drawingml.text_body([Paragraph((Span(text),))], 22, "1F1F1F")
    assert "".join(t.text or "" for t in body.iter(f"{A}t")) == CONTROL.sub("", text)
    entry = pptx_slides.notes_slide("ppt/notesSlides/notesSlide1.xml", text)
    notes = etree.fromstring(zlib.decompress(entry.data, -15))  # well-formed
    assert "".join(t.text or "" for t in notes.iter(f"{A}t")) == CONTROL.sub("", text).replace("\n", "") \
        .replace("\v", "")


def test_every_cache_is_bounded(library):
    """Memory stays flat in a batch of thousands of schools: every table of the library's
    cache has a bound and stays within it."""
    build_pack(library, PackRequest(key_stage="ks3", force=None, lesson_date=DAY))
    assert len(library.cache.tables) > 10
    for name, table in library.cache.tables.items():
        assert 0 < len(table) <= table.maxsize <= 8192, name
    remembered = [oxml._prototype, opc.relationships_entry, opc.content_types_entry, opc.core_properties,
                  opc._deflate_small, opc._deflate_large, slide_layout.line_count,
                  pptx_slides.notes_slide, pptx_slides._content, docx._document, docx._page]
    assert {f.memo_name for f in remembered} | {"docx-blocks", "filled-blocks"} <= set(library.cache.tables)
    assert opc._deflate_large.memo_maxsize * opc._REUSE_LARGE_SIZE <= 16 * 2**20


@given(st.one_of(st.binary(max_size=3000),
                 st.text(alphabet="<w:p>ab \t", max_size=20000).map(str.encode)))
@settings(max_examples=150, deadline=None)
def test_a_small_window_compresses_to_the_stream_a_32k_window_makes(content):
    """Parts are compressed with a window only as large as they need: the same bytes in the
    zip as zipfile's 32 KiB window gives, and they decompress to the part."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    full = packer.compress(content) + packer.flush()
    crc, data = opc._deflate(content, 6)
    assert data == full and crc == zlib.crc32(content)
    assert zlib.decompress(data, -15) == content
