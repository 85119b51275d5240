"""`check` for a school's own reference documents: can a pack be made from them, and how?

Problems are reported with the file's name; nothing here raises on an odd file.
"""

from __future__ import annotations

from pathlib import Path

from lessonpack.check.problems import Problem
from lessonpack.errors import LessonpackError
from lessonpack.writers.docx_reference import read_reference as read_docx
from lessonpack.writers.drawingml import EMU_PER_INCH
from lessonpack.writers.opc import Package
from lessonpack.writers.pptx_reference import TITLE_ONLY, TITLE_SLIDE, find_layout, read_layouts
from lessonpack.writers.sanitise import sanitise

MIN_BODY = 2 * EMU_PER_INCH  # below the title on a content slide, room for a few lines
WANTED_STYLES = ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Bullet 2", "Table Grid")


def check_reference_documents(pptx: Path | None, docx: Path | None) -> list[Problem]:
    problems: list[Problem] = []
    if pptx is not None:
        problems += _safely(pptx, _deck_problems)
    if docx is not None:
        problems += _safely(docx, _document_problems)
    return problems


def _safely(path: Path, check) -> list[Problem]:
    try:
        pkg = Package(path, path.read_bytes())
        found = sanitise(pkg)
        left_out = [Problem("warning", str(path), "left out of every pack: " + ", ".join(found))
                    ] if found else []
        return left_out + check(path, pkg)
    except OSError as exc:
        return [Problem("error", str(path), f"cannot be read ({exc.strerror})")]
    except LessonpackError as exc:
        return [Problem("error", str(path), str(exc))]


def _deck_problems(path: Path, pkg: Package) -> list[Problem]:
    _, layouts, (_, height) = read_layouts(pkg)
    problems = []
    for wanted in (TITLE_SLIDE, TITLE_ONLY):
        layout, warning = find_layout(layouts, wanted, path.name)
        if layout is None:
            problems.append(Problem("error", str(path), f"{warning}; packs would use the built-in deck"))
        elif warning:
            problems.append(Problem("warning", str(path), warning))
        elif wanted == TITLE_ONLY and layout.title is not None:
            room = height - (layout.title.top + layout.title.height) - 40 * 12700
            if room < MIN_BODY:
                problems.append(Problem("error", str(path), (
                    f"layout {layout.name!r}: the title leaves {max(room, 0) / EMU_PER_INCH:.1f} in "
                    "below it for the slide's text; move the title up or make it shorter")))
        if layout is not None and wanted == TITLE_SLIDE and layout.subtitle is None:
            problems.append(Problem("warning", str(path), (
                f"layout {layout.name!r} has no subtitle placeholder: the title slide will not "
                "show the school and date")))
    return problems


def _document_problems(path: Path, _pkg: Package) -> list[Problem]:
    reference = read_docx(path, path.read_bytes())
    problems = []
    if reference.styles is None:
        return [Problem("error", str(path), "has no styles part: headings and lists would be plain text")]
    missing = [name for name in WANTED_STYLES if name not in reference.style_ids]
    if missing:
        problems.append(Problem("warning", str(path), (
            f"has no {', '.join(repr(m) for m in missing)} style; those parts of the documents "
            "use the Normal style instead")))
    from lessonpack.writers.docx import _line_width  # the writer's own measure of the text area

    body = reference.document.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
    if _line_width(body[-1]) <= 1440:
        problems.append(Problem("error", str(path), "its margins leave under 1 in for text"))
    return problems
