"""One diagnostic type and one formatter, and one error path from the library to the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessonpack.commands import generate as generate_module
from lessonpack.diagnostics import (
    Diagnostic,
    did_you_mean,
    format_diagnostic,
    format_diagnostics,
    line_of,
)
from lessonpack.errors import ContentError, LessonpackError
from tests.helpers import lessonpack

from .test_check_command import custom_template

# ---------------------------------------------------------------------------
# The type and its formatter


def test_a_diagnostic_names_file_line_and_key():
    d = Diagnostic("error", "school.toml", "not a valid UK phone number", 12, "dsl.phone")
    assert str(d) == "school.toml: line 12: dsl.phone: not a valid UK phone number"
    assert format_diagnostic(d) == "error: school.toml: line 12: dsl.phone: not a valid UK phone number"
    assert d.where == "school.toml: line 12: dsl.phone"


def test_parts_that_are_not_known_are_left_out():
    assert str(Diagnostic("warning", "ks3/slides.pptx", "reads above KS3")) == (
        "ks3/slides.pptx: reads above KS3")
    assert str(Diagnostic("error", "", "no item has the id 'x'", key="content.exclude")) == (
        "content.exclude: no item has the id 'x'")
    assert str(Diagnostic("error", "f.yaml", "bad", 3)) == "f.yaml: line 3: bad"
    assert str(Diagnostic("error", "", "just this")) == "just this"


def test_an_error_for_several_problems_lists_errors_then_marks_warnings():
    found = [Diagnostic("error", "a.toml", "one", 1, "x"), Diagnostic("warning", "a.toml", "two", 2)]
    exc = ContentError.of(found)
    assert str(exc).splitlines() == ["a.toml: line 1: x: one", "warning: a.toml: line 2: two"]
    assert exc.diagnostics == tuple(found)
    assert format_diagnostics(found) == str(exc)


def test_line_of_finds_the_nearest_placed_parent():
    lines = {("dsl",): 4, ("dsl", "phone"): 7, ("help_routes", 0): 20}
    assert line_of(lines, ("dsl", "phone")) == 7
    assert line_of(lines, ("dsl", "email")) == 4
    assert line_of(lines, ("help_routes", 0, "phone")) == 20
    assert line_of(lines, ("lesson", "minutes")) == 1


def test_did_you_mean():
    assert did_you_mean("websight", ["name", "website", "urn"]) == "did you mean 'website'?"
    assert did_you_mean("zzz", ["name", "website"]) == ""
    assert did_you_mean("hampshir", ["hampshire", "hampshire2"], n=2, quote=False) == (
        "did you mean hampshire, hampshire2?")


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40)


@given(file=_TEXT.filter(bool), line=st.one_of(st.none(), st.integers(1, 10**6)), key=_TEXT,
       message=_TEXT.filter(bool), level=st.sampled_from(["error", "warning"]))
def test_every_diagnostic_is_one_line_with_its_parts_in_order(file, line, key, message, level):
    text = format_diagnostic(Diagnostic(level, file, message, line, key))
    assert len(text.splitlines()) == 1
    assert text.startswith(f"{level}: {file}: ")
    assert text.endswith(f": {message}")
    if line is not None:
        assert f"{file}: line {line}: " in text


# ---------------------------------------------------------------------------
# check: the school file, its content and its templates in one run

LOCAL_CASE = """\
case_studies:
  - id: local-story
    title: "A local story"
    sources: [seed-hampshire]
    versions:
      - key_stages: [ks3, ks4]
        story:
          - A pupil from a local school sent a photo to someone he met online. It was his own fault.
        questions: [What happened to him?, Who could he tell?]
        answers: [He was tricked and threatened., A trusted adult or the police.]
"""


def test_check_reports_school_file_content_and_template_problems_in_one_run(tmp_path):
    # A bad phone number used to stop check before the content and templates were looked at.
    path = custom_template(tmp_path, "worksheet.md.j2", '## {{ worksheet_part["myths"] }}',
                           '## {{ worksheet_part["myths"] }} {{ school.motto }}')
    (tmp_path / "local.yaml").write_text(LOCAL_CASE, encoding="utf-8")
    text = path.read_text().replace('phone = "01234 567890"', 'phone = "12345"')
    path.write_text(text + '\n[content]\nextra = "local.yaml"\n', encoding="utf-8")
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1
    out = result.output.splitlines()
    phone_line = next(n for n, t in enumerate(text.splitlines(), 1) if t == 'phone = "12345"')
    assert any(t.startswith(f"error: {path}: line {phone_line}: dsl.phone: ") for t in out), result.output
    assert any("his own fault" in t and "victim-blaming" in t for t in out), result.output
    assert any("worksheet.md.j2, line" in t and "unknown variable" in t for t in out), result.output
    assert "Traceback" not in result.output


def test_check_stops_only_when_the_school_file_cannot_be_read(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text("[school\nname = 1\n", encoding="utf-8")
    result = lessonpack("check", "--school", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f"error: {path}: ")
    assert "Fix these and run 'lessonpack check' again." in result.output


def test_generate_still_refuses_a_school_file_with_errors(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "A"\n[dsl]\nname = "B"\nphone = "12345"\n', encoding="utf-8")
    result = lessonpack("generate", "--school", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: line 5: dsl.phone:" in result.output
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------------------
# python -m lessonpack, and failures the library did not wrap


def test_python_dash_m_lessonpack_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "lessonpack", "--help"], capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: python -m lessonpack") or "Usage: lessonpack" in done.stdout
    assert "generate" in done.stdout and "check" in done.stdout


@pytest.mark.parametrize(("error", "expected"), [
    (subprocess.CalledProcessError(99, ["/usr/bin/pdftoppm", "-png"],
                                   stderr=b"noise\nSyntax Error: broken\n"),
     "Error: pdftoppm failed (exit status 99): Syntax Error: broken"),
    (subprocess.TimeoutExpired(["soffice", "--headless"], 300),
     "Error: soffice took over 300 s and was stopped"),
    (PermissionError(13, "Permission denied", "/srv/packs"), "Error: Permission denied: /srv/packs"),
    (LessonpackError("a problem the user can fix"), "Error: a problem the user can fix"),
])
def test_an_unexpected_failure_is_one_line_never_a_traceback(monkeypatch, tmp_path, error, expected):
    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(generate_module, "run_generate", fail)
    result = lessonpack("generate", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [expected]
