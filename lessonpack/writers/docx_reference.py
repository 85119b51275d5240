"""What a document needs from a reference .docx, read with zipfile and lxml, once per process."""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from lessonpack.cache import memoized
from lessonpack.errors import ReferenceDocumentError
from lessonpack.writers.opc import Package, ZipEntry, rels_name
from lessonpack.writers.oxml import el, insert_in_order, qn, serialise
from lessonpack.writers.sanitise import sanitise

CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# Word stores these built-in style names in lower case and shows them capitalised.
_LOWER_NAMES = {"caption", "footer", "header", "title"}
LARGE_PRINT_SIZES = {"Normal": 16, "Heading 1": 24, "Heading 2": 20, "Heading 3": 18, "Title": 28}
LARGE_PRINT_SPACED = ("List Bullet", "List Bullet 2", "List Paragraph", "Answer Line")
STYLE_ORDER = ("w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
               "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
               "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
               "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")
RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
             "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
             "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
             "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
             "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
             "w:specVanish", "w:oMath", "w:rPrChange")
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
             "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
             "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
             "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
             "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
             "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
             "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
SECT_ORDER = ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
              "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
              "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
              "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
WIDE_MARGIN = 1417  # 2.5 cm in twentieths of a point


@dataclass(eq=False)  # one per reference file and process: the same object is the same reference
class DocumentReference:
    path: Path
    part: str  # "word/document.xml"
    document: etree._Element  # the body emptied, its section properties kept
    rels: list[tuple[str, str, str]]  # (id, type, target relative to the part)
    shared: list[ZipEntry]
    defaults: dict[str, str]
    overrides: dict[str, str]
    styles_part: str | None
    styles: etree._Element | None
    style_ids: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)  # part names already in use

    def new_document(self) -> etree._Element:
        return copy.deepcopy(self.document)



@memoized("docx-styles", 8)
def styles_xml(ref: DocumentReference) -> bytes | None:
    return serialise(ref.styles) if ref.styles is not None else None


@memoized("docx-large-print-styles", 8)
def large_print_styles(ref: DocumentReference) -> bytes | None:
    """RNIB-style large print: at least 16 pt sans-serif and 1.5 line spacing."""
    if ref.styles is None:
        return None
    styles = copy.deepcopy(ref.styles)
    by_name = {_ui_name(s): s for s in styles.iter(qn("w:style"))}
    for name in (*LARGE_PRINT_SIZES, *LARGE_PRINT_SPACED):
        style = by_name.get(name)
        if style is None:
            continue
        ppr = style.find(qn("w:pPr"))
        if ppr is None:
            ppr = el("w:pPr")
            insert_in_order(style, ppr, STYLE_ORDER)
        spacing = ppr.find(qn("w:spacing"))
        if spacing is None:
            spacing = el("w:spacing")
            insert_in_order(ppr, spacing, PPR_ORDER)
        spacing.set(qn("w:line"), "360")
        spacing.set(qn("w:lineRule"), "auto")
        if name in LARGE_PRINT_SIZES:
            rpr = style.find(qn("w:rPr"))
            if rpr is None:
                rpr = el("w:rPr")
                insert_in_order(style, rpr, STYLE_ORDER)
            insert_in_order(rpr, el("w:rFonts", {"w:ascii": "Arial", "w:hAnsi": "Arial"}), RPR_ORDER)
            insert_in_order(rpr, el("w:sz", {"w:val": LARGE_PRINT_SIZES[name] * 2}), RPR_ORDER)
    return serialise(styles)


def _ui_name(style: etree._Element) -> str:
    name_el = style.find(qn("w:name"))
    name = name_el.get(qn("w:val"), "") if name_el is not None else ""
    return name.capitalize() if name in _LOWER_NAMES or name.startswith("heading ") else name


def read_reference(path: Path, data: bytes) -> DocumentReference:
    pkg = Package(path, data)
    sanitise(pkg)  # looks only: no comments, properties, templates or objects of its own
    part = pkg.main_part("word", "a Word document", "a PowerPoint deck or another file")
    document = pkg.xml(part)
    body = document.find(qn("w:body"))
    if body is None:
        raise ReferenceDocumentError(f"{path.name}: {part} has no body")
    for child in list(body):  # a reference document's own text is not ours to keep
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if body.find(qn("w:sectPr")) is None:
        body.append(el("w:sectPr"))
    styles_part = next(iter(pkg.related(part, "styles")), None)
    styles = pkg.xml(styles_part) if styles_part else None
    kept = pkg.reachable(skip=())
    folder = posixpath.dirname(part)
    rels = [(r.rid, r.type, r.target if r.external else posixpath.relpath(r.target, folder))
            for r in pkg.rels(part) if r.external or r.target in pkg.parts]
    per_document = {"[Content_Types].xml", part, rels_name(part), "docProps/core.xml", styles_part}
    reference = DocumentReference(
        path, part, document, rels,
        [ZipEntry.of(name, pkg.parts[name]) for name in kept if name not in per_document],
        dict(pkg.defaults),
        {name: kind for name, kind in pkg.overrides.items() if name in kept},
        styles_part, styles, taken=set(pkg.parts),
    )
    if styles is not None:
        for style in styles.iter(qn("w:style")):
            reference.style_ids.setdefault(_ui_name(style), style.get(qn("w:styleId"), ""))
    reference.defaults.setdefault("rels", "application/vnd.openxmlformats-package.relationships+xml")
    reference.defaults.setdefault("xml", "application/xml")
    return reference
