"""What the commands do, apart from parsing options and printing."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lessonpack.bilingual import Part, both_parts
from lessonpack.content.lessons import Content
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.content.routes import Force, NationInfo
from lessonpack.diagnostics import close_matches
from lessonpack.errors import LessonpackError, OutputExistsError, UnknownForceError
from lessonpack.output import check_not_inputs, check_replaceable, pack_dir, recover, write_all
from lessonpack.pack import Library, PackModels, build_pack, check_date, render_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.resources import data_dir
from lessonpack.school.colours import contrast, readable_accent
from lessonpack.school.models import DEFAULT_DEPUTY_ROLE, DEFAULT_ROLE, School, title_case

if TYPE_CHECKING:
    # The checks (and pyphen) load only when `check` runs, and school.toml's schema
    # (pydantic) only when a file is read: start-up stays fast.
    from lessonpack.check.problems import Problem
    from lessonpack.school.sections import Settings


def plan_packs(key_stages: Iterable[str]) -> list[str]:
    """Key stage options → the key stages to make, in order, without repeats."""
    chosen = {ks.lower() for ks in key_stages}
    if "all" in chosen:
        return list(KEY_STAGE_IDS)
    return [ks for ks in KEY_STAGE_IDS if ks in chosen]


def find_force(content: Content, slug: str) -> Force:
    """The force with this slug, or an error that suggests the nearest ones."""
    key = slug.strip().lower()
    if key in content.forces_by_slug:
        return content.forces_by_slug[key]
    by_name = {f.name.lower(): f.slug for f in content.forces}
    near = close_matches(key, content.forces_by_slug, n=3, cutoff=0.5)
    near += [by_name[n] for n in close_matches(key, by_name, n=3, cutoff=0.5)]
    near += [f.slug for f in content.forces if key and key in f"{f.slug} {f.name.lower()}"]
    suggestions = list(dict.fromkeys(near))[:3]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise UnknownForceError(
        f"unknown force {slug!r}{hint} Run 'lessonpack forces' to list them all."
    )


@dataclass(frozen=True)
class Choices:
    """What to make: command-line options first, then the school file, then defaults."""

    key_stages: list[str]
    force: str | None
    minutes: int

    @classmethod
    def merge(cls, settings: Settings | None, key_stages: Iterable[str], force: str | None,
              minutes: int | None) -> Choices:
        chosen = plan_packs(key_stages) or (settings.key_stages if settings else ["ks3"])
        return cls(
            key_stages=chosen,
            force=force or (settings.force if settings else None),
            minutes=minutes or (settings.minutes if settings else 60),
        )


def make_pack(library: Library, request: PackRequest) -> dict[str, bytes]:
    """One pack's files, in memory: the library's one entry point for a pack, which
    `generate`, `check`, `batch` and the web page all call. The deck is planned, then
    the documents rendered from the frozen context and that plan (pack.py)."""
    check_date(request.lesson_date)
    return build_pack(library, request)


def preview_pack(library: Library, request: PackRequest) -> PackModels:
    """One pack as the document model, before any writer runs (the web page's preview)."""
    check_date(request.lesson_date)
    return render_pack(library, request)


def preview_both(library: Library, request: PackRequest) -> tuple[PackModels, list[Part]]:
    """A pack in both languages as its files' models, in pack order (the web page's preview)."""
    check_date(request.lesson_date)
    return both_parts(library, request)


def library_for(settings: Settings | None, lessons: Path | None = None) -> Library:
    """The content, templates and themes, with a school's own where its settings name them."""
    if settings is None:
        return Library.load(lessons=lessons)
    return Library.load(
        lessons=lessons,
        template_dirs=[settings.template_dir] if settings.template_dir else None,
        reference_pptx=settings.reference_pptx,
        reference_docx=settings.reference_docx,
        extra_content=settings.extra_content,
        exclude=settings.exclude,
    )


def write_school_template(path: Path, nation: NationInfo | None = None,
                          force: Force | None = None, language: str | None = None) -> None:
    """Copy the commented school.toml, in the words of `nation` (England's by default);
    never over an existing file."""
    if path.exists():
        raise OutputExistsError(f"{path} already exists; lessonpack init never overwrites a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (data_dir("templates") / "school.toml").read_text(encoding="utf-8")
    if nation is not None and nation.id != "england":
        # The file is written in England's words; a school elsewhere gets its own.
        for old, new in ((DEFAULT_DEPUTY_ROLE, nation.deputy_role), (DEFAULT_ROLE, nation.role)):
            text = text.replace(old, new).replace(title_case(old), title_case(new))
        text = text.replace("deputy DSL", f"deputy {nation.role_short}").replace(
            "DSL", nation.role_short)
        text = text.replace('# nation = "england"', f'nation = "{nation.id}"')
    if force is not None:  # an example force from the school's own nation
        text = text.replace('force = "hampshire"', f'force = "{force.slug}"')
    if language is not None:
        text = text.replace('# language = "en"', f'language = "{language}"')
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)


def run_generate(
    library: Library, requests: list[PackRequest], out: Path, overwrite: bool,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Build every pack in memory first, then write them: a failure writes nothing.

    If the writing is interrupted (Ctrl-C, SIGTERM) or the disk fills, the error says
    which packs were written and which were not; each pack is whole, old or new.
    """
    for request in requests:
        check_date(request.lesson_date)
    targets = [pack_dir(out, r.school.slug, r.key_stage) for r in requests]
    for target in targets:
        recover(target)  # what an earlier, interrupted run left
    existing = [t for t in targets if os.path.lexists(t)]
    if existing and not overwrite:
        names = ", ".join(str(t) for t in existing)
        raise OutputExistsError(f"{names} already exists; use --overwrite to replace it")
    check_not_inputs(targets, inputs)
    for target in existing:
        check_replaceable(target)  # before anything is built: a teacher's own folder stays
    built = [make_pack(library, r) for r in requests]
    return write_all(list(zip(built, targets, strict=True)), overwrite)


@dataclass
class CheckReport:
    """What `lessonpack check` found: problems, and reading levels per pack and document."""

    problems: list[Problem]
    reading: dict[str, dict[str, float]]
    key_stages: list[str]
    welsh: list[str] = field(default_factory=list)  # the Welsh translation's state, line by line
    reading_welsh: dict[str, dict[str, float]] = field(default_factory=dict)  # the Welsh pack's

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def nation_mismatch(content: Content, force: Force | None, nation: str | None) -> str | None:
    """A warning when a school file's nation is not its force's: the force's nation wins."""
    if force is None or nation is None or nation == force.nation:
        return None
    return (f"nation is {content.nation(nation).name}, but {force.name} serves "
            f"{content.nation(force.nation).name}; the pack follows the force "
            f"({content.nation(force.nation).name}'s stages, guidance, law and help routes)")


def run_check(settings: Settings | None, lessons: Path | None = None,
              school_file: Iterable[Problem] | None = None) -> CheckReport:
    """Validate the school's settings, content and templates; render and check every pack.

    Every problem is collected: one bad template does not hide a bad phone number.
    `school_file`: the school file's own problems (read_school_file), when `settings` are
    the most that could be made of a file with errors.
    """
    from lessonpack.check.contacts import check_contacts, gather_contacts
    from lessonpack.check.pack import check_pack
    from lessonpack.check.problems import Problem
    from lessonpack.check.reading import reading_levels, welsh_reading

    problems: list[Problem] = list(school_file) if school_file is not None else [
        Problem("warning", str(settings.path), w.removeprefix(f"{settings.path}: "))
        for w in settings.warnings
    ] if settings else []
    if settings:
        from lessonpack.check.reference import check_reference_documents

        problems += check_reference_documents(settings.reference_pptx, settings.reference_docx)
    try:
        library = library_for(settings, lessons)
    except LessonpackError as exc:
        return CheckReport(problems + list(exc.diagnostics or [Problem("error", "content", str(exc))]),
                           {}, [])
    school = settings.school if settings else School()
    force = None
    force_slug = settings.force if settings else None
    if force_slug:
        try:
            force = find_force(library.content, force_slug)
        except LessonpackError as exc:
            problems.append(Problem("error", "lesson.force", str(exc)))
    where = str(settings.path) if settings else "school.toml"
    mismatch = nation_mismatch(library.content, force, settings.nation if settings else None)
    if mismatch:
        problems.append(Problem("warning", f"{where}: school.nation", mismatch))
    problems += check_contacts(*gather_contacts(library.content, force, school, where))
    if school.colour:
        used, changed = readable_accent(school.colour)
        if changed:
            problems.append(Problem(
                "warning", f"{where}: school.colour",
                f"{school.colour} has only {contrast(school.colour, '#FFFFFF'):.1f}:1 contrast on "
                f"white (WCAG AA needs 4.5:1); titles use the darker {used} instead",
            ))
    key_stages: list[str] = list(settings.key_stages) if settings else list(KEY_STAGE_IDS)
    dsl_names = [p.name for p in (school.dsl, school.deputy_dsl) if p is not None]
    reading: dict[str, dict[str, float]] = {}
    reading_welsh: dict[str, dict[str, float]] = {}
    seen_template_errors: set[str] = set()
    builtin: Library | None = None
    for ks in key_stages:
        request = PackRequest(key_stage=ks, force=force, school=school,
                              minutes=settings.minutes if settings else 60,
                              nation=settings.nation if settings else None)
        language = settings.language if settings else "en"
        try:
            if language != "en":  # the Welsh is made, to refuse what has no translation
                levels, found = welsh_reading(
                    ks, make_pack(library, replace(request, language=language)),
                    library.content.key_stage(ks).max_reading_grade)
                reading_welsh[ks] = levels
                problems += found
            # The wording rules (victim-blaming phrases, the lead's role on the slides) are
            # English: they, and the English reading level, read the English twin.
            files = make_pack(library, request)
        except LessonpackError as exc:
            if str(exc) not in seen_template_errors:
                seen_template_errors.add(str(exc))
                problems.append(Problem("error", ks, str(exc)))
            if settings is None or not settings.template_dir:
                continue
            # The content is still checked, through the built-in templates, so that a broken
            # template does not hide victim-blaming wording in the school's own content.
            try:
                builtin = builtin or library_for(replace(settings, template_dir=None), lessons)
                problems += check_pack(ks, make_pack(builtin, request), builtin.content,
                                       dsl_names=dsl_names,
                                       role=builtin.content.nation(request.nation_id).role)
            except LessonpackError:
                pass  # the reason is already reported
            continue
        role = library.content.nation(request.nation_id).role
        problems += check_pack(ks, files, library.content, dsl_names=dsl_names, role=role)
        reading[ks] = reading_levels(files)
    nation = force.nation if force else (settings.nation if settings else None)
    welsh = welsh_state(library, key_stages) if nation in (None, "wales") else []
    return CheckReport(problems, reading, key_stages, welsh, reading_welsh)


def welsh_state(library: Library, key_stages: list[str]) -> list[str]:
    """Which key stages can be made in Welsh (or the first text without Welsh, and how
    many), and how much of the Welsh no fluent speaker has reviewed yet."""
    from lessonpack.content.translation import unreviewed
    from lessonpack.rendering import i18n

    lines = []
    for ks in key_stages:
        try:
            build_pack(library, PackRequest(key_stage=ks, force=None, nation="wales", language="cy"))
            lines.append(f"{ks.upper()}: can be made in Welsh")
        except LessonpackError as exc:
            lines.append(f"{ks.upper()}: cannot be made in Welsh: {exc}")
    catalogue = i18n.catalogue("cy")
    strings = len(catalogue.messages) if catalogue else 0
    waiting = len(catalogue.unreviewed) if catalogue else 0
    items = len(unreviewed(library.content, "cy"))
    lines.append(f"catalogue {i18n.catalogue_path('cy').name}: {strings} strings translated, "
                 f"{strings - waiting} reviewed; lessons/: {items} items translated but not reviewed")
    if waiting or items:
        lines.append(f"{i18n.UNREVIEWED_NOTE}: {waiting} strings and {items} content items")
    return lines
