"""`lessonpack check` end to end: clean settings pass, each kind of problem is reported."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import lessonpack

from .conftest import REPO
from .test_school import FULL, write_logo


def school(tmp_path: Path, text: str = FULL) -> Path:
    write_logo(tmp_path / "logo.png")
    path = tmp_path / "school.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_school_file_passes_and_reports_reading_levels(tmp_path):
    result = lessonpack("check", "--school", str(school(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
    assert "KS3: slides.pptx" in result.output and "KS4: slides.pptx" in result.output
    assert "worksheet.docx" in result.output and "suits up to 8" in result.output


def test_built_in_content_passes_for_every_key_stage():
    result = lessonpack("check")
    assert result.exit_code == 0, result.output
    for ks in ("KS2", "KS3", "KS4", "KS5"):
        assert f"{ks}: slides.pptx" in result.output


def test_schema_problems_all_reported_with_lines(tmp_path):
    path = school(tmp_path, FULL.replace('phone = "01234 567890"', 'phone = "12345"')
                  .replace('colour = "#1D4F91"', 'colour = "navy"')
                  .replace("minutes = 50", "minutes = 500")
                  .replace('urn = "123456"', 'urn = "123456"\nwebsight = "x"'))
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1
    for expected in ("line 8: school.colour", "dsl.phone: not a valid UK phone number",
                     "lesson.minutes", "unknown setting 'school.websight'; did you mean 'website'?"):
        assert expected in result.output, expected
    assert "Traceback" not in result.output


def test_light_brand_colour_is_a_warning_that_fails_only_when_strict(tmp_path):
    path = school(tmp_path, FULL.replace('colour = "#1D4F91"', 'colour = "#FFE600"'))
    relaxed = lessonpack("check", "--school", str(path))
    assert relaxed.exit_code == 0 and "1 warning" in relaxed.output
    assert "contrast" in relaxed.output and "4.5:1" in relaxed.output
    assert lessonpack("check", "--school", str(path), "--strict").exit_code == 1


def custom_template(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "my-templates"
    folder.mkdir(exist_ok=True)
    text = (REPO / "templates" / name).read_text()
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1))
    return school(tmp_path, FULL + '\n[templates]\ndir = "my-templates"\n')


def test_template_with_unknown_variable_names_file_and_line(tmp_path):
    path = custom_template(tmp_path, "worksheet.md.j2", '## {{ worksheet_part["myths"] }}',
                           '## {{ worksheet_part["myths"] }} {{ school.motto }}')
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1
    line = next(n for n, t in enumerate((tmp_path / "my-templates" / "worksheet.md.j2")
                                        .read_text().splitlines(), 1) if "school.motto" in t)
    assert f"worksheet.md.j2, line {line}: unknown variable" in result.output


def test_template_reaching_python_internals_is_refused(tmp_path):
    # Appended on a line of its own: inside a {% trans %} block Jinja refuses any expression, which would
    # hide the sandbox's own refusal behind a syntax error.
    text = (REPO / "templates" / "parent-letter.md.j2").read_text()
    path = custom_template(tmp_path, "parent-letter.md.j2", text, text + "\n{{ school.__class__.__mro__ }}\n")
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1 and "not allowed in a template" in result.output


def test_victim_blaming_in_a_custom_template_is_an_error(tmp_path):
    path = custom_template(tmp_path, "slides.md.j2", "**It is never the fault of the person it happens to.**",
                           "If you send a picture, it's your own fault.")
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1
    assert "your own fault" in result.output and "slides.pptx" in result.output


def test_removing_the_help_slide_is_an_error(tmp_path):
    text = (REPO / "templates" / "slides.md.j2").read_text()
    lines = text.splitlines(keepends=True)
    # The help slides run from the first "## …Where to get help" heading to the "Looking back" one.
    start = next(n for n, line in enumerate(lines) if line.startswith("## ") and "Where to get help" in line)
    end = next(n for n, line in enumerate(lines) if line.startswith("## ") and "Looking back" in line)
    path = custom_template(tmp_path, "slides.md.j2", text, "".join(lines[:start] + lines[end:]))
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1 and "help" in result.output.lower()


def test_sexual_words_in_extra_ks2_content_are_an_error(tmp_path):
    (tmp_path / "local.yaml").write_text(
        "warning_signs:\n  - id: local-sign\n    key_stages: [ks2]\n    sources: [seed-cumbria]\n"
        "    text: Someone asks you for nude pictures.\n")
    text = FULL.replace('key_stages = ["ks3", "ks4"]', 'key_stages = ["ks2"]')
    path = school(tmp_path, text + '\n[content]\nextra = "local.yaml"\n')
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1 and "nude" in result.output


def test_excluding_every_crisis_line_is_an_error(tmp_path):
    path = school(tmp_path, FULL + '\n[content]\nexclude = ["samaritans", "shout", "papyrus"]\n')
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1 and "crisis" in result.output.lower()


def test_unknown_force_is_reported(tmp_path):
    path = school(tmp_path, FULL.replace('force = "hampshire"', 'force = "hampshir"'))
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1 and "hampshire" in result.output
