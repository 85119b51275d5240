"""The Open Packaging Conventions layer shared by the pptx and docx writers.

Reads a reference document's zip into parts and relationships, keeps only the parts a
new document needs, and writes byte-identical zips (every entry stamped with one time).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from lxml import etree

from lessonpack.cache import memoized
from lessonpack.errors import ReferenceDocumentError
from lessonpack.writers.oxml import el, nsmap, parse, qn, serialise, sub

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


@dataclass(frozen=True)
class Rel:
    rid: str
    type: str  # the last segment of the type URI: "slideLayout", "image"
    target: str  # the part name, resolved against the source part
    external: bool = False


class Package:
    """A reference document's parts, read once with zipfile."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                self.parts = {info.filename: archive.read(info) for info in archive.infolist()
                              if not info.is_dir()}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
                zlib.error) as exc:
            why = " ".join(str(exc).split())[:120]  # a damaged name may hold line breaks
            raise ReferenceDocumentError(f"{path.name} is not an Office file (not a zip: {why})") \
                from None
        except NotImplementedError as exc:  # Deflate64, or a method zipfile does not know (first:
            # it is a RuntimeError too)
            raise ReferenceDocumentError(f"{path.name} is compressed in a way Office files never "
                                         f"are ({str(exc)[:80]}); save it again from Word or "
                                         "PowerPoint") \
                from None
        except RuntimeError:  # zipfile's word for a member that needs a password
            raise ReferenceDocumentError(f"{path.name} is encrypted (a part needs a password); "
                                         "save it again without one") from None
        types = self.xml("[Content_Types].xml")
        self.defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                         for e in types.iter(qn("ct:Default"))}
        self.overrides = {e.get("PartName", "").lstrip("/"): e.get("ContentType", "")
                          for e in types.iter(qn("ct:Override"))}

    def main_part(self, kind: str, wanted: str, other: str) -> str:
        """The document's main part, whose content type must name `kind` ("word" or
        "presentation"; a macro-enabled file's says "ms-word"): a deck given as the
        document, or the other way, is one line."""
        main = self.related("", "officeDocument")
        if not main:
            raise ReferenceDocumentError(f"{self.path.name} is not {wanted} (no main part)")
        if kind not in self.content_type(main[0]).lower():
            raise ReferenceDocumentError(f"{self.path.name} is {other}, not {wanted}: give "
                                         f"it as the other reference document, or give {wanted}")
        return main[0]

    def xml(self, name: str) -> etree._Element:
        if name not in self.parts:
            raise ReferenceDocumentError(f"{self.path.name} has no {name}: it is not a complete "
                                         "Office file")
        return parse(self.parts[name], f"{self.path.name}: {name}")

    def rels(self, source: str) -> list[Rel]:
        """The relationships of part `source` ("" for the package's own)."""
        name = rels_name(source) if source else "_rels/.rels"
        if name not in self.parts:
            return []
        out = []
        for rel in self.xml(name).iter(qn("pr:Relationship")):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target", "")
            if not external:
                target = (target.lstrip("/") if target.startswith("/") else
                          posixpath.normpath(posixpath.join(posixpath.dirname(source), target)))
            out.append(Rel(rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], target,
                           external))
        return out

    def related(self, source: str, kind: str) -> list[str]:
        return [r.target for r in self.rels(source) if r.type == kind and not r.external]

    def content_type(self, name: str) -> str:
        return self.overrides.get(name) or self.defaults.get(name.rpartition(".")[2].lower(), "")

    def reachable(self, skip: Iterable[str]) -> list[str]:
        """Parts reachable from the package's relationships, not following rels of the
        `skip` types (a reference deck's own slides are not ours to keep), in zip order."""
        skip = set(skip)
        seen: set[str] = set()
        todo = [""]
        while todo:
            source = todo.pop()
            for rel in self.rels(source):
                if rel.external or rel.type in skip or rel.target in seen:
                    continue
                if rel.target not in self.parts:
                    continue  # a dangling relationship: the part is not there to copy
                seen.add(rel.target)
                todo.append(rel.target)
        kept = [name for name in self.parts if name in seen]
        kept += [rels_name(name) for name in ["", *kept] if rels_name(name) in self.parts]
        return [name for name in self.parts if name in set(kept) or name == "_rels/.rels"]


def relationships(rels: Iterable[tuple[str, str, str]]) -> etree._Element:
    """A .rels part from (id, type, target) triples; a target is relative to its source."""
    root = el("pr:Relationships", namespaces={None: "http://schemas.openxmlformats.org/package/2006/"
                                                     "relationships"})
    for rid, kind, target in rels:
        sub(root, "pr:Relationship", {"Id": rid, "Type": RT + kind, "Target": target})
    return root


def content_types(defaults: dict[str, str], overrides: dict[str, str]) -> etree._Element:
    root = el("ct:Types", namespaces={None: "http://schemas.openxmlformats.org/package/2006/"
                                            "content-types"})
    for ext, kind in defaults.items():
        sub(root, "ct:Default", {"Extension": ext, "ContentType": kind})
    for name, kind in overrides.items():
        sub(root, "ct:Override", {"PartName": "/" + name, "ContentType": kind})
    return root


# A deck's relationships and content types come out the same pack after pack (they name
# parts, not content): each distinct one is built, serialised and compressed once per library.
@memoized("zip-relationships", 1024)
def relationships_entry(name: str, rels: tuple[tuple[str, str, str], ...]) -> ZipEntry:
    return ZipEntry.of(name, serialise(relationships(rels)))


@memoized("zip-content-types", 64)
def content_types_entry(defaults: tuple[tuple[str, str], ...],
                        overrides: tuple[tuple[str, str], ...]) -> ZipEntry:
    return ZipEntry.of("[Content_Types].xml", serialise(content_types(dict(defaults), dict(overrides))))


@memoized("core-properties", 64)  # the same few documents, pack after pack
def core_properties(title: str, subject: str, author: str, keywords: str,
                    when: dt.datetime) -> bytes:
    """docProps/core.xml; Office caps each property at 255 characters."""
    root = el("cp:coreProperties", namespaces=nsmap("cp", "dc", "dcterms", "xsi"))
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag, value in (("dc:title", title), ("dc:subject", subject), ("dc:creator", author),
                       ("cp:keywords", keywords), ("cp:lastModifiedBy", "lessonpack"),
                       ("cp:revision", "1"), ("cp:lastPrinted", stamp), ("dc:language", "en-GB")):
        sub(root, tag, text=value[:255])
    for tag in ("dcterms:created", "dcterms:modified"):
        sub(root, tag, {"xsi:type": "dcterms:W3CDTF"}, text=stamp)
    return serialise(root)


def dos_stamp(when: dt.datetime) -> tuple[int, int]:
    """`when` as a zip entry's DOS (time, date); zip cannot say anything before 1980."""
    stamp = max(when.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    dos_time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    dos_date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
    return dos_time, dos_date


@dataclass(frozen=True)
class ZipEntry:
    """One member of a zip, compressed once: a reference document's unchanging parts are
    compressed per process, not per file."""

    name: bytes
    crc: int
    size: int
    data: bytes  # raw deflate stream, or the content itself when stored
    method: int = 8  # 8 deflate, 0 stored

    @classmethod
    def of(cls, name: str, content: bytes, level: int = 6) -> ZipEntry:
        if len(content) <= _REUSE_SIZE:
            crc, data = _deflate_small(content, level)
        elif len(content) <= _REUSE_LARGE_SIZE and level:
            crc, data = _deflate_large(content, level)
        else:
            crc, data = _deflate(content, level)
        return cls(name.encode(), crc, len(content), data)

    @classmethod
    def stored(cls, name: str, content: bytes) -> ZipEntry:
        """Kept as it is: an Office file or an image is compressed already."""
        return cls(name.encode(), zlib.crc32(content), len(content), content, method=0)


def _deflate(content: bytes, level: int) -> tuple[int, bytes]:
    # A window just large enough for the part (and zlib's 262-byte lookahead) gives the very
    # stream the 32 KiB window would, as no match can reach further back than the part's
    # start, and zlib sets it up two to three times faster: most parts are a few KiB.
    window = max(9, min(15, (len(content) + 262).bit_length()))
    packer = zlib.compressobj(level, zlib.DEFLATED, -window)
    return zlib.crc32(content), packer.compress(content) + packer.flush()


# Many small parts come out the same pack after pack (relationships, notes, content types,
# a slide for the same key stage): compressed once per library. Bounded, so memory stays flat.
_REUSE_SIZE = 32 * 1024
_deflate_small = memoized("deflate-small", 512)(_deflate)
# A few large parts come out the same too (a lesson plan's body is the same for every school
# of one key stage and force): hashing one costs a twentieth of compressing it. Few are
# kept, so memory stays flat; a logo (stored, level 0: each school has its own) never is.
_REUSE_LARGE_SIZE = 512 * 1024
_deflate_large = memoized("deflate-large", 16)(_deflate)


STORED_KINDS = (".pptx", ".docx", ".png", ".jpeg", ".jpg", ".zip")


def zip_files(files: Iterable[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A folder of files (packs, a school file, a logo) as one zip, readable by everyone
    who unpacks it (rw-r--r--); the same files and time give the same bytes. The one zip
    writer: Office files and packs of them all come from write_zip."""
    entries = [ZipEntry.stored(name, data) if name.lower().endswith(STORED_KINDS)
               else ZipEntry.of(name, data) for name, data in files]
    return write_zip(entries, when, mode=0o644)


def write_zip(entries: list[ZipEntry], when: dt.datetime, mode: int = 0o600) -> bytes:
    """A zip of already-compressed entries, every one stamped `when`.

    The same layout zipfile writes (deflate or stored, no data descriptors, no extra
    fields), put together directly so that unchanging parts need not be compressed again.
    """
    dos_time, dos_date = dos_stamp(when)
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        flags = 0x800 if not e.name.isascii() else 0  # UTF-8 names, as zipfile marks them
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, e.method, dos_time, dos_date,
                             e.crc, len(e.data), e.size, len(e.name), 0)
        # Made by "Unix, zip 2.0", so the permission bits below mean what they say (zipfile
        # writes rw------- for Office parts).
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x314, 20, flags, e.method,
                                   dos_time, dos_date, e.crc, len(e.data), e.size, len(e.name), 0,
                                   0, 0, 0, mode << 16, offset) + e.name)
        local += (header, e.name, e.data)
        offset += len(header) + len(e.name) + len(e.data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), offset, 0)
    return b"".join(local) + directory + end
