"""Brand colours that stay readable: WCAG 2.1 contrast, and darkening where it falls short."""

from __future__ import annotations

DEFAULT_ACCENT = "#1D3A5F"
AA_NORMAL_TEXT = 4.5  # WCAG 2.1 AA for body-size text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_accent(colour: str | None, background: str = "#FFFFFF") -> tuple[str, bool]:
    """The colour to use for titles on `background` (and behind white table headings).

    Returns (colour, changed): a brand colour with too little contrast is darkened in
    small steps, keeping its hue, until it reaches WCAG AA.
    """
    if colour is None:
        return DEFAULT_ACCENT, False
    current = colour.upper()
    r, g, b = (int(current[i:i + 2], 16) for i in (1, 3, 5))
    factor = 1.0
    while contrast(current, background) < AA_NORMAL_TEXT and factor > 0:
        factor -= 0.05
        current = "#{:02X}{:02X}{:02X}".format(*(round(max(0, c * factor)) for c in (r, g, b)))
    return current, current != colour.upper()
