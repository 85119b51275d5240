"""A school's or force's logo: any PNG or JPEG that Pillow opens, made safe for the writers.

python-docx and python-pptx read an image's own header to size it, and fail on headers
that are valid but unusual: a PNG whose pHYs says 12 pixels a metre, a JPEG with JFIF
density 0 (ZeroDivisionError), or one whose first segment is XMP rather than JFIF or Exif
(UnrecognizedImageError). So every logo is decoded by Pillow, turned by its EXIF
orientation and written again as a plain PNG (or, for a photograph-like JPEG, a plain
JPEG) at 96 dpi, with no metadata: the camera's GPS position does not travel into a letter.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from lessonpack.safe_io import LIMITS, read_input

MAX_PIXELS = 40_000_000  # a logo, not a poster: also keeps decoding to ~160 MB at most
MAX_SIDE = 20_000
DPI = 96
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class Logo:
    """A school's logo, read and checked once: clean PNG or JPEG bytes, ready for the
    writers, wherever it came from (a file, an upload). Nothing reads its file again."""

    data: bytes
    kind: str  # "PNG" or "JPEG"
    source: Path | None = None  # the file it was read from, kept so no output replaces it

    @classmethod
    def read(cls, path: Path) -> Logo:
        """The logo in the file at `path`; ValueError saying what is wrong with it."""
        kind, data = _normalised(*_key(path))
        return cls(data, kind, path)

    @classmethod
    def of(cls, data: bytes, name: str = "upload") -> Logo:
        """The logo from bytes already in memory (an upload); ValueError if unusable."""
        if len(data) > LIMITS["logo"]:
            raise ValueError(f"logo {name} is over {LIMITS['logo'] // 1048576} MB; use a smaller image")
        kind, clean = _normalised(Path(name), data)
        return cls(clean, kind)

    @property
    def ext(self) -> str:
        return "jpeg" if self.kind == "JPEG" else "png"

    @property
    def digest(self) -> str:
        """What decides a pack: the bytes, not where they came from."""
        return hashlib.sha256(self.data).hexdigest()


def to_logo(value: object) -> Logo:
    """A Logo from what a model is given: a Logo, a path (read once) or an upload's bytes."""
    if isinstance(value, Logo):
        return value
    if isinstance(value, bytes | bytearray):
        return Logo.of(bytes(value))
    if isinstance(value, str | Path):
        return Logo.read(Path(value))
    raise ValueError("logo must be a PNG or JPEG file")


def logo_format(path: Path) -> str:
    """"PNG" or "JPEG", or ValueError saying what is wrong with the logo."""
    return Logo.read(path).kind


def _key(path: Path) -> tuple[Path, bytes]:
    try:
        data = read_input(path, "logo")
    except ValueError as exc:
        reason = getattr(exc, "reason", str(exc)).removeprefix("logo ")
        raise ValueError(f"logo {path} {_verb(reason)}") from None
    return path, data


def _verb(reason: str) -> str:
    # read_input says "logo not found"; a sentence about a logo reads "logo X does not exist".
    return {"not found": "does not exist"}.get(reason, reason)


def _normalised(path: Path, data: bytes) -> tuple[str, bytes]:
    kind = next((k for magic, k in _MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise ValueError(f"logo {path} is not a PNG or JPEG image")
    from PIL import Image, ImageOps  # only when there is a logo: keeps start-up fast

    try:
        with warnings.catch_warnings():
            # Pillow warns (on stderr) about huge images; the size check below is ours,
            # stricter, and an error that names the logo and its size.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                    raise ValueError(f"logo {path} is {width}×{height} pixels; use one under "
                                     f"{MAX_PIXELS // 1_000_000} megapixels and {MAX_SIDE:,} "
                                     "pixels a side")
                image.load()
                turned = ImageOps.exif_transpose(image)
                return kind, _encode(path, turned, kind)
    except ValueError as exc:
        if str(exc).startswith("logo "):
            raise
        raise ValueError(f"logo {path} is a damaged {kind} image") from None
    except Image.DecompressionBombError:
        raise ValueError(f"logo {path} is too many pixels to open safely; use a smaller image") from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of error for a damaged image
        raise ValueError(f"logo {path} is a damaged {kind} image") from None


def _encode(path: Path, image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "JPEG" and image.mode in ("RGB", "L", "CMYK", "YCbCr"):
        # A photograph stays a JPEG: as a PNG it would be several times larger.
        image = image.convert("RGB") if image.mode != "L" else image
        image.save(out, "JPEG", quality=92, dpi=(DPI, DPI), optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", dpi=(DPI, DPI))
    data = out.getvalue()
    if len(data) > LIMITS["logo"] * 2:
        raise ValueError(f"logo {path} is too large once decoded; use a smaller image")
    return data
