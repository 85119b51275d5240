"""What a check reports, and the names of the files it reads."""

from __future__ import annotations

import re

from pptx.util import Pt

from lessonpack.diagnostics import Diagnostic

SLIDES = "slides.pptx"
# The pupil-facing documents whose reading level is measured (the answers copy is the teacher's).
READING_DOCS = (SLIDES, "worksheet.docx")
# Written for adults: exempt from the KS2 word list (it must name what the lesson is about).
ADULT_DOCS = ("parent-letter.docx",)
HELP_TITLE = "where to get help"
# Besides its title, a help-routes slide is known by listing Childline and at least this many
# other help routes. The closing "Remember" slide lists Childline and one crisis line, so
# Childline's number alone would find it and miss a deleted help slide.
OTHER_ROUTES_ON_HELP_SLIDE = 2
# The school's safeguarding role by each nation's name (CONTENT.md, "Nations").
DSL_WORDS = re.compile(
    r"\bdesignated\s+safeguarding\s+(leads?|persons?)\b|\bDSLs?\b|\bDSPs?\b"
    r"|\bchild\s+protection\s+coordinators?\b|\bdesignated\s+teachers?\s+for\s+child\s+protection\b",
    re.IGNORECASE)
# The running footer sits in the bottom 40 pt of every content slide (writers/pptx.py); it
# repeats the deck's title on each slide, so it is boilerplate, not reading, and is left out
# of the reading level (though not out of the wording checks).
FOOTER_BAND = Pt(44)


# A problem `check` found: where is the file (or "ks3/slides.pptx"), with the line and
# setting when known. One type for every diagnostic (lessonpack.diagnostics).
Problem = Diagnostic


# ---------------------------------------------------------------------------
