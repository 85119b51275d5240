"""Issue 19 as LibreOffice draws it: how much of each timed slide its body text covers, no
blank or nearly blank page in any worksheet or large-print document, no word broken across
lines in a heading or a table's header, and the card sort and support cards on the pages
expected.

Word boxes come from poppler's `pdftotext -bbox` (poppler-utils, installed with
LibreOffice in CI); outside CI the tests skip without them, under CI=true they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from lessonpack.pack import build_pack, pack_dir, write_pack
from lessonpack.rendering.context import PackRequest

from .conftest import KEY_STAGES, to_pdf

SHEETS = ("worksheet.docx", "worksheet-answers.docx", "card-sort.docx", "support-card.docx")
LARGE = ("worksheet.docx", "parent-letter.docx")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but poppler's pdftotext is not installed")
        pytest.skip("poppler (pdftotext) is not installed")
    return found


def words(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Each page's width, height and words (x0, y0, x1, y1, text), y from the top."""
    out = subprocess.run([pdftotext(), "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        width, height = map(float, PAGE.search("<page " + chunk).groups())
        found = [(*map(float, m[:4]), m[4]) for m in WORD.findall(chunk)]
        pages.append((width, height, found))
    return pages


@pytest.fixture(scope="module")
def drawn(packs, library, tmp_path_factory):
    root = tmp_path_factory.mktemp("design-pdf")
    sources = {f"{ks}-slides": packs[(ks, None)] / "slides.pptx" for ks in KEY_STAGES}
    sources.update({f"{ks}-{doc.split('.')[0]}": packs[(ks, None)] / doc
                    for ks in KEY_STAGES for doc in SHEETS})
    for ks in KEY_STAGES:
        large = pack_dir(root / "large", "large", ks)
        write_pack(build_pack(library, PackRequest(key_stage=ks, force=None, large_print=True)), large,
                   overwrite=False)
        sources.update({f"{ks}-large-{doc.split('.')[0]}": large / doc for doc in LARGE})
    pdfs = to_pdf(sources, root / "out")
    return {name: (sources[name], pdf) for name, pdf in pdfs.items()}


def body_share(page) -> float:
    """The share of the slide that body text covers: the words' boxes below the title band
    and above the footer, over the slide's area."""
    width, height, found = page
    body = [w for w in found if w[1] > height * 0.2 and w[3] < height * 0.88]
    return sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1, _ in body) / (width * height)


def test_body_text_covers_the_slide(drawn):
    shares = []
    for ks in KEY_STAGES:
        source, pdf = drawn[f"{ks}-slides"]
        titles = [s.shapes.title.text_frame.text for s in Presentation(str(source)).slides]
        end = next(i for i, t in enumerate(titles) if t.startswith("Extension"))
        timed = [body_share(page) for page in words(pdf)[1:end]]
        assert min(timed) >= 0.05, (ks, [round(s, 3) for s in timed])
        shares += timed
    # Before issue 19: bullets at 22 pt in the top of the slide, a median of 8.6% (KS3).
    assert statistics.median(shares) >= 0.13, round(statistics.median(shares), 3)


def test_no_blank_or_nearly_blank_page_in_any_sheet_or_large_print_document(drawn):
    for name, (_, pdf) in drawn.items():
        if name.endswith("slides"):
            continue
        pages = words(pdf)
        for number, (_, height, found) in enumerate(pages, start=1):
            # Below the running header (the top 8% of the page).
            body = [w for w in found if w[1] > height * 0.08]
            last = number == len(pages)
            assert len(body) >= (8 if last else 25) or name.endswith("card-sort"), \
                f"{name} page {number} of {len(pages)}: {len(body)} words"


def test_no_heading_is_broken_mid_word(drawn):
    """A heading or a table's header LibreOffice had to break shows up as pieces that are
    not words ("Fals" over "e"): no piece drawn may be part of a heading's word without
    being a word of the document itself. (A web address in a narrow column may wrap.)"""
    from docx import Document

    def split(text: str) -> set[str]:
        bare = (w.strip(".,;:!?()\"'“”‘’*") for w in re.split(r"[\s/-]+", text))
        return {re.sub(r"[^\w]", "", w) for w in bare if "." not in w}  # a web address may wrap

    checked = 0
    for name, (source, pdf) in drawn.items():
        if source.suffix != ".docx":
            continue
        doc = Document(str(source))
        texts = [p.text for p in doc.paragraphs]
        texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        texts += [p.text for s in doc.sections for p in s.header.paragraphs]
        known = {w for text in texts for w in split(text)}
        addresses = [w for text in texts for w in text.split() if "." in w.strip(".,;:!?()")]
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
        headings += [c.text for t in doc.tables for c in t.rows[0].cells]
        heading_words = {w for text in headings for w in split(text) if len(w) > 2}
        checked += len(heading_words)
        for _, _, found in words(pdf):
            for *_, piece in found:
                if any(piece in address for address in addresses):
                    continue  # a piece of a web address, which may wrap in a narrow column
                piece = re.sub(r"[^\w]", "", piece)
                if piece and piece not in known:
                    assert not any(w.startswith(piece) or w.endswith(piece) for w in heading_words), \
                        f"{name}: {piece!r} is part of a heading's word broken across lines"
    assert checked > 100


def test_card_sort_and_support_cards_on_the_pages_expected(drawn, library):
    for ks in KEY_STAGES:
        myths = [m for m in library.content.myths if ks in m.key_stages]
        cards = words(drawn[f"{ks}-card-sort"][1])
        assert len(cards) == 2, f"{ks}: the cards on one page, the mat on the next"
        first = " ".join(w[4] for w in cards[0][2])
        assert all(m.statement.split()[-1] in first for m in myths)
        assert [w[4] for w in cards[1][2] if w[4] in ("Myth", "Fact", "Not", "sure")][-4:] == \
            ["Myth", "Fact", "Not", "sure"]
        support = words(drawn[f"{ks}-support-card"][1])
        assert len(support) == 2, f"{ks}: fronts on one page, backs on the next"
        front = " ".join(w[4] for w in support[0][2])
        back = " ".join(w[4] for w in support[1][2])
        assert front.count("never your fault") == 8 and back.count("0800 1111") == 8


# --- the support cards' fronts stay on their cards ----------------------------------------


def _front_text(document: bytes) -> str:
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(document)).read("word/document.xml"))
    cell = next(root.iter(f"{w}tc"))
    return " | ".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in cell.iter(f"{w}p"))


def _front_sizes(document: bytes) -> set[int]:
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(document)).read("word/document.xml"))
    return {int(sz.get(f"{w}val")) for sz in next(root.iter(f"{w}tc")).iter(f"{w}sz")}


def test_every_support_card_front_is_whole_on_its_card(library, tmp_path):
    """A row of cards has an exact height, so Word and LibreOffice hide what runs past it:
    every front's last words must be drawn, eight times on the first page, from the
    national default in each nation to a school that names itself and its lead with both
    contacts (set a size smaller), in English and Welsh."""
    from lessonpack.school.models import Person, School
    from lessonpack.writers.docx_pocket import FRONT_SIZES, ROOMY_CHARS

    gwent = library.content.forces_by_slug["gwent"]
    lead = Person(name="Ms R Patel", role="Designated Safeguarding Lead", phone="01234 567890",
                  email="safeguarding@oakfield.sch.uk")
    full = School(name="St Mary's *C of E* & <Friends> Academy", dsl=lead)
    variants = {
        **{f"{nation}-en": PackRequest(key_stage="ks3", force=None, nation=nation)
           for nation in ("england", "wales", "scotland", "northern-ireland")},
        "wales-cy": PackRequest(key_stage="ks3", force=gwent, language="cy"),
        # Just inside the full size: a school's name, and a lead with one contact.
        "near-limit-cy": PackRequest(key_stage="ks3", force=gwent, language="cy",
                                     school=School(name="Ysgol Gymraeg Bro Taf Uchaf")),
        "near-limit-en": PackRequest(key_stage="ks3", force=None, school=School(name="Oakfield Academy",
                                                                                dsl=lead)),
        "full-en": PackRequest(key_stage="ks2", force=gwent, school=full),
        "full-cy": PackRequest(key_stage="ks5", force=gwent, language="cy", school=full),
        "long-cy": PackRequest(key_stage="ks3", force=gwent, language="cy", school=School(
            name="Ysgol Gyfun Gymraeg Bro Morgannwg a’r Chweched Dosbarth", dsl=Person(
                name="Mrs Angharad Llywelyn-Jones", role="Pennaeth Cynorthwyol a Pherson Diogelu Dynodedig",
                phone="01234 567890", email="diogelu@ysgolbromorgannwg.cymru"))),
    }
    files, fronts = {}, {}
    for name, request in variants.items():
        card = build_pack(library, request)["support-card.docx"]
        fronts[name] = _front_text(card)
        files[name] = tmp_path / f"{name}.docx"
        files[name].write_bytes(card)
    chars = {name: len(text) - text.count(" | ") * 3 for name, text in fronts.items()}  # as the writer counts
    assert all(ROOMY_CHARS - 40 <= chars[n] <= ROOMY_CHARS for n in ("near-limit-cy", "near-limit-en")), chars
    assert chars["full-cy"] > ROOMY_CHARS and chars["full-en"] > ROOMY_CHARS, chars
    assert chars["long-cy"] > FRONT_SIZES[1][0], chars  # the smallest size is tried too
    # The national default's front is in 12 pt, as every sheet pupils keep.
    assert _front_sizes(build_pack(library, variants["england-en"])["support-card.docx"]) == {24, 32}
    for name, pdf in to_pdf(files, tmp_path / "pdf").items():
        pages = words(pdf)
        assert len(pages) == 2, f"{name}: fronts on one page, backs on the next"
        drawn = " ".join(w[4] for w in pages[0][2])
        ending = " ".join(fronts[name].split(" | ")[-1].split()[-3:])
        assert drawn.count(ending) == 8, f"{name}: a front runs off its card ({chars[name]} characters)"
