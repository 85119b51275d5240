"""A reference document gives looks only: styles, layouts, masters, theme, fonts, page set-up.

A school's reference .docx or .pptx is often a real document someone worked in: it may
hold comments ("… about pupil X", by "Head"), custom properties, the people who commented,
a thumbnail of its first page, an attached template at an outside address, macros or
embedded objects. None of that belongs in a pack sent to parents. Parts are kept only if
an allow-listed relationship reaches them; every other relationship is dropped, with the
markup that used it, and what was found is said (by `check`, and once per run).
"""

from __future__ import annotations

from lxml import etree

from lessonpack.writers.opc import RT, Package, rels_name
from lessonpack.writers.oxml import NS, parse, qn, serialise

# Relationship types (the last segment of the type URI) a pack takes from a reference.
# Slides and notes slides are followed here and dropped by the deck reader itself.
ALLOWED = frozenset({
    "officeDocument", "styles", "stylesWithEffects", "numbering", "settings", "fontTable",
    "theme", "themeOverride", "header", "footer", "image", "font", "slideMaster",
    "slideLayout", "notesMaster", "presProps", "viewProps", "tableStyles", "slide", "notesSlide",
})
# Dropped without a word: every Office file has them, and lessonpack writes its own.
SILENT = frozenset({"core-properties", "extended-properties", "webSettings", "printerSettings",
                    "customXml", "customXmlProps", "handoutMaster", "glossaryDocument"})
WORDS = {
    "comments": "comments", "commentsExtended": "comments", "commentsIds": "comments",
    "commentsExtensible": "comments", "commentAuthors": "comment authors", "people": "people",
    "custom-properties": "custom document properties", "thumbnail": "a thumbnail picture",
    "attachedTemplate": "an attached template", "vbaProject": "macros",
    "wordVbaData": "macros", "oleObject": "embedded objects", "package": "embedded objects",
    "control": "embedded objects", "activeXControlBinary": "embedded objects",
    "hyperlink": "links to outside addresses", "footnotes": "footnotes", "endnotes": "endnotes",
    "tags": "tags",
}
# What a settings part may carry about the document it came from: never a pack's.
PRIVATE_SETTINGS = ("w:attachedTemplate", "w:docVars", "w:mailMerge", "w:rsids",
                    "w:documentProtection", "w:writeProtection", "w:footnotePr", "w:endnotePr")
_R = NS["r"]


def sanitise(pkg: Package) -> list[str]:
    """Drop from `pkg.parts` everything a pack must not carry; say what, once each."""
    found: dict[str, None] = {}
    kept, dropped = _walk(pkg, found)
    for name in list(pkg.parts):
        if name not in kept and not name.endswith(".rels") and name != "[Content_Types].xml":
            del pkg.parts[name]
    for source in ["", *kept]:
        rels = rels_name(source) if source else "_rels/.rels"
        if rels in pkg.parts:
            pkg.parts[rels] = _kept_rels(pkg, rels, kept)
        if source and dropped.get(source) and source.endswith(".xml"):
            pkg.parts[source] = _without_references(pkg, source, dropped[source])
    for name in [n for n in pkg.parts if n.endswith(".rels")]:
        owner = _owner(name)
        if owner is not None and owner not in kept:
            del pkg.parts[name]
    for settings in (t for s in kept for t in pkg.related(s, "settings")):
        pkg.parts[settings] = _clean_settings(pkg, settings)
    pkg.overrides = {n: kind for n, kind in pkg.overrides.items() if n in pkg.parts}
    return list(found)


def _walk(pkg: Package, found: dict[str, None]) -> tuple[set[str], dict[str, set[str]]]:
    kept: set[str] = set()
    dropped: dict[str, set[str]] = {}
    todo = [""]
    while todo:
        source = todo.pop()
        for rel in pkg.rels(source):
            if rel.external or rel.type not in ALLOWED:
                dropped.setdefault(source, set()).add(rel.rid)
                if rel.type not in SILENT:
                    word = WORDS.get(rel.type, f"{rel.type} parts")
                    found[f"{word} ({rel.target})" if rel.external and rel.type != "hyperlink"
                          else word] = None
                continue
            if rel.target in pkg.parts and rel.target not in kept:
                kept.add(rel.target)
                todo.append(rel.target)
    return kept, dropped


def _owner(rels: str) -> str | None:
    """The part a relationships part belongs to ("" for the package's own)."""
    if rels == "_rels/.rels":
        return None
    folder, _, name = rels.rpartition("/")
    parent = folder.removesuffix("_rels").rstrip("/")
    return f"{parent}/{name.removesuffix('.rels')}".lstrip("/")


def _kept_rels(pkg: Package, name: str, kept: set[str]) -> bytes:
    root = parse(pkg.parts[name], f"{pkg.path.name}: {name}")
    source = _owner(name)
    targets = {r.rid: r for r in pkg.rels(source or "")}
    for rel in list(root):
        info = targets.get(rel.get("Id", ""))
        if info is None or info.external or info.type not in ALLOWED or info.target not in kept:
            root.remove(rel)
    if source is None:  # the package's own: its document, and the core properties we write
        etree.SubElement(root, qn("pr:Relationship"), Id="rIdCore", Target="docProps/core.xml",
                         Type="http://schemas.openxmlformats.org/package/2006/relationships/"
                              "metadata/core-properties")
    return serialise(root)


def _without_references(pkg: Package, name: str, rids: set[str]) -> bytes:
    """The part without the markup that used a dropped relationship: a hyperlink keeps
    its text, a comment mark or an embedded object goes."""
    root = parse(pkg.parts[name], f"{pkg.path.name}: {name}")
    for element in list(root.iter()):
        if not any(k.startswith(f"{{{_R}}}") and v in rids for k, v in element.attrib.items()):
            continue
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag == qn("w:hyperlink"):
            for child in list(element):
                element.addprevious(child)
        parent.remove(element)
    return serialise(root)


def _clean_settings(pkg: Package, name: str) -> bytes:
    root = parse(pkg.parts[name], f"{pkg.path.name}: {name}")
    for tag in PRIVATE_SETTINGS:
        for element in root.findall(qn(tag)):
            root.remove(element)
    return serialise(root)


__all__ = ["ALLOWED", "RT", "sanitise"]
