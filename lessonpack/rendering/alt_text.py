"""What the drawings (the slides', and the QR code on the support cards) say to a
screen reader, in the pack's language.

The writers draw the icons and the phone outline; the words for them are the pack's, so
they are translated here with the rest and reach the writers in each file's DocMeta.
"""

from __future__ import annotations

from lessonpack.rendering.i18n import N_
from lessonpack.rendering.i18n import gettext as _

# drawing → its alternative text (English, the source; an icon's key is "icon." + its name)
DRAWINGS: dict[str, str] = {
    "icon.no-money": N_("Icon: a pound sign crossed out"),
    "icon.block": N_("Icon: a no-entry sign"),
    "icon.camera": N_("Icon: a camera"),
    "icon.flag": N_("Icon: a flag"),
    "icon.speech": N_("Icon: a speech bubble"),
    "icon.heart": N_("Icon: a heart"),
    "icon.tick": N_("Icon: a tick"),
    "icon.people": N_("Icon: two simple figures side by side"),
    "icon.phone": N_("Icon: a phone"),
    "icon.pencil": N_("Icon: a pencil"),
    "icon.question": N_("Icon: a question mark"),
    "icon.stop": N_("Icon: a stop sign"),
    "icon.school": N_("Icon: a school building"),
    "icon.ticket": N_("Icon: a ticket"),
    "phone-frame": N_("A plain phone outline (no real app)"),
    "qr-code": N_("QR code that opens %(link)s"),  # on the support cards' backs
}
ENGLISH: tuple[tuple[str, str], ...] = tuple(DRAWINGS.items())


def drawing_words() -> tuple[tuple[str, str], ...]:
    """Every drawing's alternative text in the current language."""
    return tuple((drawing, _(text)) for drawing, text in DRAWINGS.items())
