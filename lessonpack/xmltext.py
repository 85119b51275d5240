"""The one definition of the characters that must never reach a written file.

XML 1.0 cannot carry C0 control characters other than tab, line feed and carriage
return, nor U+FFFE, U+FFFF or a lone surrogate; DEL and the C1 controls are legal but
invisible, and U+E000/U+E001 mark inserted values while a template is rendered
(templating.py). Everything a user or a template writes passes through `xml_text`.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000\ue001\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """`value` without the characters above; everything else, white space included, kept."""
    return CONTROL.sub("", value)


def clean_text(value: str) -> str:
    """One line of XML-safe text: control characters dropped, white space folded."""
    return _SPACES.sub(" ", xml_text(value)).strip()
