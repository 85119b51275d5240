"""Helpers for the hostile-input tests: run lessonpack as a user would, with a time limit."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import Image

ENV = {**os.environ, "PYTHONWARNINGS": "default"}


def lessonpack(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI in a child process: a hang fails the test (TimeoutExpired), never blocks CI."""
    result = subprocess.run([sys.executable, "-m", "lessonpack.commands.cli", *args], cwd=cwd, env=ENV,
                            capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def school_toml(folder: Path, extra: str = "", school: str = "") -> Path:
    path = folder / "school.toml"
    path.write_text(f'[school]\nname = "Hostile High"\n{school}\n{extra}', encoding="utf-8")
    return path


def png(path: Path, size=(400, 160), colour=(29, 79, 145), **save) -> Path:
    Image.new("RGB", size, colour).save(path, "PNG", **save)
    return path


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_phys(path: Path, per_metre: int) -> Path:
    """A valid PNG whose pHYs chunk says `per_metre` pixels a metre (12 rounds to 0 dpi)."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 80), (200, 30, 30)).save(buffer, "PNG")
    data = buffer.getvalue()
    phys = png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    path.write_bytes(data[:33] + phys + data[33:])  # after the 8-byte signature and IHDR
    return path


def png_claiming_size(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims a huge size: a decompression bomb as Pillow sees it."""
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    idat = png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + ihdr + idat + png_chunk(b"IEND", b""))
    return path


def jpeg_density_zero(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 80), (30, 120, 30)).save(buffer, "JPEG", dpi=(72, 72))
    data = bytearray(buffer.getvalue())
    at = data.index(b"JFIF\0")  # JFIF: version (2), units (1), x density (2), y density (2)
    data[at + 7:at + 12] = b"\x01\0\0\0\0"
    path.write_bytes(bytes(data))
    return path


def jpeg_xmp_first(path: Path) -> Path:
    """A JPEG whose first segment is XMP (APP1, Adobe's namespace), with no JFIF or Exif."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 80), (30, 30, 120)).save(buffer, "JPEG")
    data = buffer.getvalue()
    assert data[2:4] == b"\xff\xe0"  # Pillow writes JFIF (APP0) first: drop it
    app0_len = struct.unpack(">H", data[4:6])[0]
    body = data[4 + app0_len:]
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
    segment = b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp
    path.write_bytes(b"\xff\xd8" + segment + body)
    return path


def jpeg_rotated(path: Path, size=(300, 100)) -> Path:
    """A landscape JPEG whose EXIF says: turn it 90° (orientation 6) to view it."""
    image = Image.new("RGB", size, (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def zip_bomb(path: Path, member_mb: int = 300) -> Path:
    """A .docx-named zip with one member that inflates ~1000:1."""
    import zipfile

    with (zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
          archive.open("word/document.xml", "w", force_zip64=True) as member):
        for _ in range(member_mb):
            member.write(b"\0" * (1024 * 1024))
    return path


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


NEAR_EMAIL = "a@" + "b." * 60_000 + " x"  # 120,004 characters: the old rule backtracked 45 s


def _startup(cwd: Path) -> float:
    """How long the CLI takes to start and answer --help on this machine, now."""
    import time

    started = time.monotonic()
    lessonpack("--help", cwd=cwd)
    return time.monotonic() - started


def refused_quickly(*args: str, cwd: Path, limit: float = 2.0) -> str:
    """Run the CLI on a hostile input: it must refuse (non-zero) within `limit` seconds,
    every line it prints short; the line naming the problem ("Error: ..." or
    "error: ...") is returned."""
    import time

    started = time.monotonic()
    result = lessonpack(*args, cwd=cwd, timeout=60)
    took = time.monotonic() - started
    assert result.returncode != 0, result.stdout
    lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    # The limit is lessonpack's own time: the interpreter's start, which a machine shared
    # by a whole test run can stretch to seconds, is measured alongside and left out.
    assert took - _startup(cwd) < limit, f"took {took:.1f} s: {lines[:3]}"
    assert all(len(line) < 400 for line in lines), [line[:400] for line in lines]
    errors = [line for line in lines if line.lower().startswith("error:")]
    assert errors, lines
    return errors[0]


THEME = Path(__file__).resolve().parent.parent / "templates" / "theme"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CT = "application/vnd.openxmlformats-officedocument."
SECRETS = (b"about pupil X", b"Head Teacher", b"outside.example", b"PupilNotes", b"THUMB-SECRET")


def _rel(rid: str, kind: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'


def _with_parts(source: Path, target: Path, change) -> Path:
    """A copy of an Office file with `change(parts)` applied to its {name: bytes}."""
    import zipfile

    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    change(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def _add_rels(parts: dict, name: str, rels: str) -> None:
    empty = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    data = parts.get(name, empty).decode()
    if data.rstrip().endswith("/>") and "</Relationships>" not in data:
        data = data.rstrip()[:-2] + "></Relationships>"
    parts[name] = data.replace("</Relationships>", rels + "</Relationships>").encode()


def _override(parts: dict, name: str, kind: str) -> None:
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{name}" ContentType="{kind}"/></Types>').encode()


def leaky_docx(target: Path) -> Path:
    """The built-in reference .docx as someone's working document: a comment about a pupil
    by "Head Teacher", a custom property, people, and a template at an outside address."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def change(parts: dict) -> None:
        parts["word/comments.xml"] = (
            f'<w:comments xmlns:w="{w}"><w:comment w:id="0" w:author="Head Teacher" w:initials="HT">'
            "<w:p><w:r><w:t>Call home about pupil X</w:t></w:r></w:p></w:comment></w:comments>").encode()
        parts["word/people.xml"] = (
            b'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
            b'<w15:person w15:author="Head Teacher"/></w15:people>')
        _add_rels(parts, "word/_rels/document.xml.rels",
                  _rel("rIdC", _RT + "comments", "comments.xml")
                  + _rel("rIdP", "http://schemas.microsoft.com/office/2011/relationships/people",
                         "people.xml"))
        _override(parts, "word/comments.xml", _CT + "wordprocessingml.comments+xml")
        parts["docProps/custom.xml"] = (
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
            b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="PupilNotes">'
            b"<vt:lpwstr>about pupil X</vt:lpwstr></property></Properties>")
        _add_rels(parts, "_rels/.rels", _rel("rIdX", _RT + "custom-properties", "docProps/custom.xml"))
        _override(parts, "docProps/custom.xml", _CT + "custom-properties+xml")
        settings = parts["word/settings.xml"].decode()
        head, _, rest = settings.partition("<w:settings")
        attrs, _, body = rest.partition(">")
        parts["word/settings.xml"] = (
            f'{head}<w:settings{attrs} xmlns:r="{_RT[:-1]}"><w:attachedTemplate r:id="rIdT"/>{body}'
        ).encode() if 'xmlns:r=' not in attrs else (
            f'{head}<w:settings{attrs}><w:attachedTemplate r:id="rIdT"/>{body}').encode()
        _add_rels(parts, "word/_rels/settings.xml.rels",
                  _rel("rIdT", _RT + "attachedTemplate", "https://outside.example/t.dotm", True))

    return _with_parts(THEME / "reference.docx", target, change)


def leaky_pptx(target: Path) -> Path:
    """The built-in reference deck with a thumbnail of someone's slide and comment authors."""
    def change(parts: dict) -> None:
        parts["docProps/thumbnail.jpeg"] = b"\xff\xd8THUMB-SECRET"
        _add_rels(parts, "_rels/.rels", _rel(
            "rIdTh", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
            "docProps/thumbnail.jpeg"))
        parts["ppt/commentAuthors.xml"] = (
            b'<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
            b'<p:cmAuthor id="1" name="Head Teacher" initials="HT" lastIdx="1" clrIdx="0"/>'
            b"</p:cmAuthorLst>")
        _add_rels(parts, "ppt/_rels/presentation.xml.rels",
                  _rel("rIdA", _RT + "commentAuthors", "commentAuthors.xml"))
        _override(parts, "ppt/commentAuthors.xml", _CT + "presentationml.commentAuthors+xml")

    return _with_parts(THEME / "reference.pptx", target, change)


def zip_member_patched(source: Path, target: Path, member: str, method: int | None = None,
                       encrypted: bool = False) -> Path:
    """A copy of a zip whose `member` claims another compression method (9: Deflate64,
    99: WinZip AES) or to be encrypted: both headers patched, the data left as it was."""
    import zipfile

    with zipfile.ZipFile(source) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts:
            archive.writestr(name, data)
    blob = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo(member)
    name = member.encode()
    local = info.header_offset
    central = blob.index(b"PK\x01\x02", blob.index(b"PK\x01\x02"))
    while blob[central + 46:central + 46 + len(name)] != name:
        central = blob.index(b"PK\x01\x02", central + 4)
    for flags, kind in ((local + 6, local + 8), (central + 8, central + 10)):
        if encrypted:
            blob[flags] |= 0x01
        if method is not None:
            blob[kind:kind + 2] = method.to_bytes(2, "little")
    target.write_bytes(bytes(blob))
    return target
