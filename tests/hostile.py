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
    assert took < limit, f"took {took:.1f} s: {lines[:3]}"
    assert all(len(line) < 400 for line in lines), [line[:400] for line in lines]
    errors = [line for line in lines if line.lower().startswith("error:")]
    assert errors, lines
    return errors[0]
