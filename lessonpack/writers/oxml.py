"""Office XML as lxml element trees: names, small element builders, parsing, serialising.

As python-pptx's oxml layer does, every part is built as a tree and serialised once;
text and attribute values go in only through `el`/`sub`, which pass them through
`xml_text`, so no input can make a part that is not well-formed XML.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from lxml import etree

from lessonpack.cache import memoized
from lessonpack.errors import ReferenceDocumentError
from lessonpack.xmltext import xml_text

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
_Element = etree.Element
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


_QN: dict[str, str] = {}


def qn(tag: str) -> str:
    """'w:p' → '{http://…/main}p' (Clark notation); a name without a prefix is kept."""
    try:
        return _QN[tag]
    except KeyError:
        prefix, _, local = tag.rpartition(":")
        name = _QN[tag] = f"{{{NS[prefix]}}}{local}" if prefix else local
        return name


def nsmap(*prefixes: str) -> dict[str, str]:
    return {prefix: NS[prefix] for prefix in prefixes}


def _value(value: Any) -> str:
    # A number cannot hold a control character; anything else is cleaned.
    return str(value) if type(value) is int else xml_text(str(value))


def el(tag: str, attrs: dict[str, Any] | None = None, *children: etree._Element | None,
       text: str | None = None, namespaces: dict[Any, str] | None = None) -> etree._Element:
    """An element; attributes whose value is None are left out, as are None children."""
    # Attributes go in with the element, in one call: this is the writers' innermost loop.
    attrib = {qn(name): _value(value) for name, value in attrs.items()
              if value is not None} if attrs else None
    element = _Element(qn(tag), attrib, namespaces)
    if text is not None:
        element.text = xml_text(text)
    for child in children:
        if child is not None:
            element.append(child)
    return element


@memoized("xml-prototypes", 2048)
def _prototype(build: Callable[..., etree._Element], *args: Hashable) -> etree._Element:
    return build(*args)


def copy_of(build: Callable[..., etree._Element], *args: Hashable) -> etree._Element:
    """A new copy of the tree `build(*args)` makes, which is built once per library: lxml
    copies a tree in one C call, far faster than building it again element by element."""
    return _prototype(build, *args).__copy__()  # lxml's __copy__ copies the whole subtree


def sub(parent: etree._Element, tag: str, attrs: dict[str, Any] | None = None,
        *children: etree._Element | None, text: str | None = None) -> etree._Element:
    element = el(tag, attrs, *children, text=text)
    parent.append(element)
    return element


def insert_in_order(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Put `child` where the schema's sequence `order` wants it, replacing one of its kind."""
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    names = [qn(tag) for tag in order]
    later = set(names[names.index(child.tag) + 1:])
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, child)
            return
    parent.append(child)


def parse(data: bytes, where: str) -> etree._Element:
    """A part of a reference document; damaged XML is the user's file, not our bug."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReferenceDocumentError(f"{where} is not valid XML: {exc}") from None


def serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
