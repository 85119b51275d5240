"""lessons/ validated into plain dataclasses: every rule still holds, each problem is one
line naming the file, line and key, and the result is data that needs no pydantic."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessonpack.content.lessons import Content
from lessonpack.content.loader import load_content
from lessonpack.content.routes import Force
from lessonpack.content.rules import validate
from lessonpack.errors import ContentError
from lessonpack.resources import data_dir
from lessonpack.school.models import LocalRoute, School


@pytest.fixture
def lessons(tmp_path) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(data_dir("lessons"), folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> int:
    """Replace the first `old` in lessons/NAME; the 1-based line it was on."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return str(caught.value).splitlines()


def problem(folder: Path) -> str:
    (line,) = problems(folder)
    return line


def test_the_built_in_content_is_plain_data():
    content = load_content(data_dir("lessons"))
    assert dataclasses.is_dataclass(content) and type(content) is Content
    force = content.forces_by_slug["hampshire"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        force.name = "changed"  # type: ignore[misc]
    # Nothing in it is a pydantic object: a cached copy loads without pydantic.
    script = ("import pickle, sys; pickle.loads(sys.stdin.buffer.read()); "
              "print('pydantic' in sys.modules)")
    import pickle

    out = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(content),
                         capture_output=True, check=True).stdout
    assert out.strip() == b"False"


def test_a_misspelt_key_names_its_file_line_and_path(lessons):
    line = edit(lessons, "activities.yaml", "statement:", "statment:")
    found = problems(lessons)
    assert f"{lessons / 'activities.yaml'}: line {line}: myths/0/statment: unknown key " \
        "'statment': not one this item has (is it misspelt?)" in found
    assert len(found) == 2 and "myths/0/statement: Field required" in found[0]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("slug: hampshire", "slug: Hampshire Police", "String should match pattern"),
    ("minutes: 9\n", "minutes: 0\n", "greater than 0"),
    ('kind: phone\n        value: "999"', 'kind: phone\n        value: "call us"', "not a phone number"),
])
def test_field_rules_hold_and_point_at_the_line(lessons, old, new, message):
    file = next(f.name for f in sorted(lessons.glob("*.yaml")) if old in f.read_text())
    line = edit(lessons, file, old, new) + old.rstrip("\n").count("\n")
    found = problem(lessons)
    assert found.startswith(f"{lessons / file}: line {line}:")
    assert message in found


def test_checks_across_fields_still_run(lessons):
    edit(lessons, "lessons.yaml", "minutes: 9\n", "minutes: 10\n")  # a lesson of 61 minutes
    assert re.search(r"lessons\.yaml: line \d+: .*step minutes add up to 61, not 60", problem(lessons))


def test_validating_a_force_and_a_school_keeps_pydantics_error_types():
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        validate(School, {"name": "A", "address": ["x"] * 9, "urn": "1" * 21})
    assert {e["type"] for e in caught.value.errors()} == {"too_long", "string_too_long"}
    with pytest.raises(ValidationError, match="needs a phone, website or email"):
        validate(LocalRoute, {"name": "Youth service"})
    with pytest.raises(ValidationError, match="closing slide holds at most 50"):
        validate(Force, {"slug": "x", "name": "X", "nation": "england", "reviewed": "2026-11-01",
                         "closing": "word " * 51})
