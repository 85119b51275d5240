"""A file's language, for packs in a language other than English: every run's proofing
language and the core properties' `dc:language`, so that Word and PowerPoint check the
spelling of a Welsh pack in Welsh.

English packs never come here: their parts are written once with `en-GB` and cached,
and stay byte for byte what they were. A pack in another language is relabelled after
it is built, part by part, so the writers' caches (shared with English packs) are never
touched.
"""

from __future__ import annotations

import zlib

from lxml import etree

from lessonpack.writers.docx_reference import RPR_ORDER
from lessonpack.writers.opc import ZipEntry
from lessonpack.writers.oxml import el, insert_in_order, parse, qn, serialise

ENGLISH = "en-GB"
_DRAWING_PROPS = ("a:rPr", "a:endParaRPr", "a:defRPr")


def relabel(entries: list[ZipEntry], language: str,
            later: tuple[str, int] | None = None) -> list[ZipEntry]:
    """`entries` with every XML part's language set to `language` (a BCP 47 tag).

    `later` (language, breaks): a bilingual document, whose runs after its `breaks`+1'th
    page break are in that language (the English half after the Welsh)."""
    if language == ENGLISH and later is None:
        return entries
    out = []
    for entry in entries:
        name = entry.name.decode()
        if not name.endswith(".xml"):
            out.append(entry)
            continue
        xml = zlib.decompress(entry.data, -15)
        changed = relabel_xml(parse(xml, name), language, later)
        out.append(ZipEntry.of(name, serialise(changed)) if changed is not None else entry)
    return out


def relabel_xml(root: etree._Element, language: str,
                later: tuple[str, int] | None = None) -> etree._Element | None:
    """`root` with its language set, or None when it holds no text properties."""
    changed = False
    if root.tag == qn("cp:coreProperties"):
        for node in root.iter(qn("dc:language")):
            node.text = language
            changed = True
    for tag in _DRAWING_PROPS:
        for node in root.iter(qn(tag)):
            node.set("lang", language)
            changed = True
    for run in root.iter(qn("a:r")):
        if run.find(qn("a:rPr")) is None:
            run.insert(0, el("a:rPr", {"lang": language}))
            changed = True
    w_lang = qn("w:lang")
    breaks, page = 0, qn("w:br")
    for run in root.iter(qn("w:r")):
        if later and any(br.get(qn("w:type")) == "page" for br in run.iter(page)):
            breaks += 1
        _word_lang(run, later[0] if later and breaks > later[1] else language)
        changed = True
    for rpr in root.iter(qn("w:rPr")):
        if rpr.getparent().tag == qn("w:r"):
            continue  # a run's own: set above, in its half's language
        lang = rpr.find(w_lang)
        if lang is not None:
            lang.set(qn("w:val"), language)
            changed = True
    defaults = root.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = etree.SubElement(defaults, qn("w:rPrDefault"))
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(rpr_default, qn("w:rPr"))
        if rpr.find(w_lang) is None:
            insert_in_order(rpr, el("w:lang", {"w:val": language}), RPR_ORDER)
        changed = True
    return root if changed else None


def _word_lang(run: etree._Element, language: str) -> None:
    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        rpr = el("w:rPr")
        run.insert(0, rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        insert_in_order(rpr, el("w:lang", {"w:val": language}), RPR_ORDER)
    else:
        lang.set(qn("w:val"), language)
