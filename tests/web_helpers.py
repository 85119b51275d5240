"""What the web tests share: a DSL's form, images good and bad, and reading a zip."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

# The form as a DSL fills it in.
DSL_FORM = {
    "school.name": "St Mary's *C of E* Academy",
    "school.address": "1 High Street\nExampletown EX1 1AA",
    "school.urn": "123456",
    "school.website": "https://stmarys.example.sch.uk",
    "school.colour": "#1D4F91",
    "dsl.name": "Ms A Example",
    "dsl.role": "Designated Safeguarding Lead",
    "dsl.email": "dsl@stmarys.example.sch.uk",
    "dsl.phone": "01234 567890",
    "deputy_dsl.name": "Mr C Deputy",
    "signatory.name": "Mr B Head",
    "signatory.role": "Headteacher",
    "lesson.force": "hampshire",
    "lesson.key_stages": ["ks3", "ks4"],
    "lesson.minutes": "50",
    "route-count": "2",
    "route-0-name": "Exampleshire Children's Services",
    "route-0-audience": "anyone worried about a child",
    "route-0-phone": "01234 000000",
    "route-0-website": "https://example.gov.uk/safeguarding",
}


def png(width: int = 40, height: int = 20, colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(out, "JPEG")
    return out.getvalue()


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims billions of pixels: decoding it would eat the memory."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(b"\0" * (1 + width // 8) * 64, 9)  # a few rows of zeros
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return archive.namelist()
