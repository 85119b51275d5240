"""What a deck needs from a reference .pptx, read with zipfile and lxml, once per process.

Layouts are found by name ("Title Slide", "Title Only"), then by their layout type; a
deck without them is replaced by the built-in one, with a warning saying so. Whatever
the file holds, the result is a prototype or a ReferenceDocumentError, never a traceback.
"""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from lxml import etree

from lessonpack.errors import ReferenceDocumentError
from lessonpack.writers.opc import Package, ZipEntry, relationships, rels_name
from lessonpack.writers.oxml import insert_in_order, qn, serialise
from lessonpack.writers.sanitise import sanitise

# (layout name, layout type) for the title slide and content slides.
TITLE_SLIDE = ("Title Slide", "title")
TITLE_ONLY = ("Title Only", "titleOnly")
_TITLES = ("title", "ctrTitle")
_NOT_CLONED = ("dt", "ftr", "sldNum", "hdr")  # as PowerPoint: slides leave these to the master
PRESENTATION_ORDER = ("p:sldMasterIdLst", "p:notesMasterIdLst", "p:handoutMasterIdLst", "p:sldIdLst",
                      "p:sldSz", "p:notesSz", "p:smartTags", "p:embeddedFontLst", "p:custShowLst",
                      "p:photoAlbum", "p:custDataLst", "p:kinsoku", "p:defaultTextStyle",
                      "p:modifyVerifier", "p:extLst")
CT_PML = "application/vnd.openxmlformats-officedocument.presentationml."
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"


@dataclass(frozen=True)
class Placeholder:
    kind: str  # the ph type: "title", "ctrTitle", "subTitle", "body", "obj", …
    idx: int
    attrs: tuple[tuple[str, str], ...]  # the ph element's attributes, copied to the slide
    left: int
    top: int
    width: int
    height: int

    @property
    def is_title(self) -> bool:
        return self.kind in _TITLES


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key for every slide, kept cheap
class Layout:
    name: str
    kind: str
    part: str  # "ppt/slideLayouts/slideLayout1.xml"
    placeholders: tuple[Placeholder, ...]

    @property
    def title(self) -> Placeholder | None:
        return next((ph for ph in self.placeholders if ph.is_title), None)

    @property
    def subtitle(self) -> Placeholder | None:
        return next((ph for ph in self.placeholders if not ph.is_title and ph.idx == 1), None)


@dataclass(eq=False)  # one per reference file and process: the same object is the same reference
class DeckReference:
    """A reference deck's layouts and the parts every deck made from it shares."""

    path: Path
    title_slide: Layout
    title_only: Layout
    slide_size: tuple[int, int]
    shared: list[ZipEntry]
    presentation: etree._Element  # sldIdLst empty
    presentation_part: str
    rels: list[tuple[str, str, str]]  # the presentation's rels, without slides
    defaults: dict[str, str]
    overrides: dict[str, str]
    notes_master: str
    warnings: list[str] = field(default_factory=list)


def read_layouts(pkg: Package) -> tuple[str, list[Layout], tuple[int, int]]:
    """The presentation part, every layout of every master, and the slide size."""
    main = [pkg.main_part("presentation", "a PowerPoint deck", "a Word document or another file")]
    presentation = pkg.xml(main[0])
    size = presentation.find(qn("p:sldSz"))
    try:
        slide_size = ((int(size.get("cx", 0)), int(size.get("cy", 0))) if size is not None
                      else (9144000, 6858000))
    except ValueError:
        raise ReferenceDocumentError(f"{pkg.path.name}: the slide size is not a number "
                                     f"(cx={size.get('cx')!r:.40}, cy={size.get('cy')!r:.40})") from None
    if not all(0 < side <= 51206400 for side in slide_size):  # PowerPoint's own bounds: 56 in
        raise ReferenceDocumentError(f"{pkg.path.name}: the slide size {slide_size} is outside "
                                     "what PowerPoint allows (1 to 51,206,400 EMU a side)")
    layouts = []
    for master in pkg.related(main[0], "slideMaster"):
        inherited = {_family(ph.kind): ph for ph in _placeholders(pkg.xml(master), {})}
        for part in pkg.related(master, "slideLayout"):
            root = pkg.xml(part)
            c_sld = root.find(qn("p:cSld"))
            name = c_sld.get("name", "") if c_sld is not None else ""
            layouts.append(Layout(name, root.get("type", "cust"), part,
                                  tuple(_placeholders(root, inherited))))
    return main[0], layouts, slide_size


def _placeholders(root: etree._Element, master: dict[str, Placeholder]) -> list[Placeholder]:
    """A part's placeholders, each positioned by its own transform or its master's."""
    out = []
    for sp in root.iter(qn("p:sp")):
        ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if ph is None:
            continue
        kind = ph.get("type", "obj")
        parent = master.get(_family(kind)) or master.get("body")
        try:
            idx = int(ph.get("idx", "0"))
            off, ext = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
            box = (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
        except (TypeError, ValueError):  # no transform of its own (or a broken one)
            if parent is None:
                continue
            idx = int(ph.get("idx", "0")) if ph.get("idx", "0").isdigit() else 0
            box = (parent.left, parent.top, parent.width, parent.height)
        attrs = tuple((k, v) for k, v in ph.attrib.items() if k in ("type", "orient", "sz", "idx"))
        out.append(Placeholder(kind, idx, attrs, *box))
    return out


def _family(kind: str) -> str:
    """The master placeholder a layout placeholder inherits from."""
    return "title" if kind in _TITLES else kind if kind in _NOT_CLONED else "body"


def find_layout(layouts: list[Layout], wanted: tuple[str, str], where: str) -> tuple[Layout | None, str]:
    """The layout called `wanted[0]`, else the first of type `wanted[1]`; and a warning."""
    usable = [layout for layout in layouts if layout.title is not None]
    for layout in usable:
        if layout.name.strip().lower() == wanted[0].lower():
            return layout, ""
    for layout in usable:
        if layout.kind == wanted[1]:
            return layout, (f"{where}: no layout called {wanted[0]!r}; using {layout.name!r}, "
                            f"which is a {wanted[0]} layout by type")
    names = ", ".join(repr(layout.name) for layout in layouts) or "none"
    return None, f"{where}: no {wanted[0]!r} layout with a title placeholder (layouts: {names})"


def read_reference(path: Path, data: bytes, fallback: Path | None = None) -> DeckReference:
    pkg = Package(path, data)
    sanitise(pkg)  # looks only: no comments, thumbnail, tags or objects of its own
    main, layouts, slide_size = read_layouts(pkg)
    title_slide, first = find_layout(layouts, TITLE_SLIDE, path.name)
    title_only, second = find_layout(layouts, TITLE_ONLY, path.name)
    if title_slide is None or title_only is None:
        problem = first if title_slide is None else second
        if fallback is None:
            raise ReferenceDocumentError(problem)
        builtin = read_reference(fallback, fallback.read_bytes())
        builtin.warnings.insert(0, f"{problem}; using the built-in deck instead")
        return builtin
    presentation = pkg.xml(main)
    for old in presentation.findall(qn("p:sldIdLst")):
        presentation.remove(old)
    insert_in_order(presentation, etree.Element(qn("p:sldIdLst")), PRESENTATION_ORDER)
    rels = [(r.rid, r.type, _relative(main, r.target, r.external)) for r in pkg.rels(main)
            if r.type not in ("slide", "notesSlide") and (r.external or r.target in pkg.parts)]
    kept = pkg.reachable(skip=("slide", "notesSlide"))
    per_deck = {"[Content_Types].xml", main, rels_name(main), "docProps/core.xml"}
    shared = [ZipEntry.of(name, pkg.parts[name]) for name in kept if name not in per_deck]
    overrides = {name: kind for name, kind in pkg.overrides.items()
                 if name in kept and not name.endswith(".rels")}
    reference = DeckReference(path, title_slide, title_only, slide_size, shared, presentation, main,
                              rels, dict(pkg.defaults), overrides, "",
                              [w for w in (first, second) if w])
    reference.notes_master = next((r.target for r in pkg.rels(main) if r.type == "notesMaster"
                                   and r.target in kept), "")
    if not reference.notes_master:
        _add_notes_master(reference, pkg)
    reference.defaults.setdefault("rels", "application/vnd.openxmlformats-package.relationships+xml")
    reference.defaults.setdefault("xml", "application/xml")
    return reference


def _relative(source: str, target: str, external: bool) -> str:
    if external:
        return target
    return posixpath.relpath(target, posixpath.dirname(source))


def _add_notes_master(reference: DeckReference, pkg: Package) -> None:
    """Speaker notes need a notes master; a deck without one gets PowerPoint's default."""
    skeleton = files(__package__) / "skeleton"
    theme = next(f"ppt/theme/theme{n}.xml" for n in range(1, 1000)
                 if f"ppt/theme/theme{n}.xml" not in pkg.parts)
    master = "ppt/notesMasters/notesMaster1.xml"
    reference.shared += [
        ZipEntry.of(master, (skeleton / "notesMaster.xml").read_bytes()),
        ZipEntry.of(rels_name(master), serialise(relationships(
            [("rId1", "theme", "../theme/" + theme.rsplit("/", 1)[1])]))),
        ZipEntry.of(theme, (skeleton / "theme.xml").read_bytes()),
    ]
    reference.overrides[master] = CT_PML + "notesMaster+xml"
    reference.overrides[theme] = CT_THEME
    used = {rid for rid, _, _ in reference.rels}
    rid = next(f"rId{n}" for n in range(1, 10000) if f"rId{n}" not in used)
    reference.rels.append((rid, "notesMaster", _relative(reference.presentation_part, master, False)))
    id_list = etree.Element(qn("p:notesMasterIdLst"))
    etree.SubElement(id_list, qn("p:notesMasterId")).set(qn("r:id"), rid)
    insert_in_order(reference.presentation, id_list, PRESENTATION_ORDER)
    reference.notes_master = master


def copy_presentation(reference: DeckReference) -> etree._Element:
    return copy.deepcopy(reference.presentation)
