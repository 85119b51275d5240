"""A force's own details (`--force-file`): merged over the catalogue, or a new force,
with every problem reported at once, by file and line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PIL import Image

from lessonpack.batch.force_file import ForceFileError, load_force_file
from tests.helpers import lessonpack

from .conftest import docx_text, slide_texts

OVERRIDE = """\
slug: northumbria
schools_email: schools@northumbria.example.org
logo: crest.png
closing: This lesson was prepared with Northumbria Police's schools team.
contacts:
  - kind: phone
    value: "0191 496 0777"
    label: schools team
  - kind: online
    value: www.northumbria.police.uk/report
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def crest(tmp_path) -> Path:
    path = tmp_path / "crest.png"
    Image.new("RGB", (30, 30), (0, 40, 100)).save(path, "PNG")
    return path


def load(library, path: Path, slug: str | None = None):
    return load_force_file(path, library.content, slug)


def test_override_merges_over_the_catalogue(library, tmp_path, crest):
    force = load(library, write(tmp_path / "force.yaml", OVERRIDE))
    catalogue = library.content.forces_by_slug["northumbria"]
    assert (force.name, force.nation, force.website) == (catalogue.name, "england", catalogue.website)
    assert [c.value for c in force.contacts] == ["0191 496 0777", "www.northumbria.police.uk/report"]
    assert force.schools_email == "schools@northumbria.example.org"
    assert force.logo == crest.resolve()
    assert force.closing.startswith("This lesson was prepared with")


def test_new_force(library, tmp_path):
    force = load(library, write(tmp_path / "f.yaml", "slug: british-transport-police\n"
                                "name: British Transport Police\nnation: england\n"
                                "contacts:\n  - {kind: text, value: '61016'}\n"))
    assert force.slug == "british-transport-police" and force.contacts[0].value == "61016"
    assert force.reviewed == library.content.national.reviewed


def test_slug_can_come_from_the_force_option(library, tmp_path):
    force = load(library, write(tmp_path / "f.yaml", "closing: Thanks from Kent.\n"), "kent")
    assert force.slug == "kent" and force.closing == "Thanks from Kent."


def test_force_file_reaches_the_deck_and_letter(tmp_path, crest):
    force_file = write(tmp_path / "force.yaml", OVERRIDE)
    schools = write(tmp_path / "schools.csv", "name,key_stages\nHexham Academy,ks3\n")
    out = tmp_path / "packs"
    # No --force: the file names its force.
    result = lessonpack("batch", "--force-file", str(force_file), "--schools", str(schools), "--out",
                        str(out), "--date", "2026-12-01", "--jobs", "1")
    assert result.exit_code == 0, result.output
    pack = out / "hexham-academy" / "ks3"
    slides = slide_texts(pack / "slides.pptx")
    closing = [s for s in slides if s[0] == "With thanks"]
    # The force's thanks close the timed lesson, before the optional extension slides.
    extension = next(i for i, s in enumerate(slides) if s[0].startswith("Extension"))
    assert len(closing) == 1 and slides[extension - 1] == closing[0]
    assert "This lesson was prepared with Northumbria Police's schools team." in closing[0][1]
    assert "schools@northumbria.example.org" in closing[0][1]
    deck = "\n".join("\n".join(s) for s in slides)
    assert "0191 496 0777" in deck and "schools team" in deck
    assert "0191 496 0777" in docx_text(pack / "parent-letter.docx")
    assert json.loads((pack / "manifest.json").read_text())["inputs"]["force"] == "northumbria"


def test_every_problem_at_once_with_lines_and_suggestions(library, tmp_path):
    (tmp_path / "notes.txt").write_text("not an image")
    path = write(tmp_path / "force.yaml", """\
slug: northumbria
schools_emial: schools@example.org
logo: notes.txt
contacts:
  - kind: phone
    value: "12345"
  - kind: pigeon
    value: loft
closing: Thanks.
websit: https://example.org
""")
    with pytest.raises(ForceFileError) as caught:
        load(library, path)
    lines = str(caught.value).splitlines()
    assert lines == sorted(lines, key=lambda m: int(m.split("line ")[1].split(":")[0]))
    expected = [
        ("line 2:", "unknown key 'schools_emial'; did you mean 'schools_email'?"),
        ("line 3:", "logo ", "not a PNG or JPEG"),
        ("line 6:", "contacts/0", "12345"),
        ("line 7:", "contacts/1/kind"),
        ("line 10:", "unknown key 'websit'; did you mean 'website'?"),
    ]
    assert len(lines) == len(expected), lines
    for line, parts in zip(lines, expected, strict=True):
        assert line.startswith(f"{path}: ")
        for part in parts:
            assert part in line, (part, line)
    assert caught.value.exit_code == 2


def test_new_force_needs_a_name_and_nation_and_a_typo_is_caught(library, tmp_path):
    path = write(tmp_path / "f.yaml", "slug: northumbira\nclosing: Thanks.\n")
    with pytest.raises(ForceFileError) as caught:
        load(library, path)
    message = str(caught.value)
    assert "name: required for a new force" in message
    assert "nation: required for a new force" in message
    assert "did you mean 'northumbria'?" in message


@pytest.mark.parametrize(("text", "slug", "message"), [
    ("slug: kent\n", "northumbria", "the file is for 'kent' but --force says 'northumbria'"),
    ("closing: Thanks.\n", None, "slug: missing"),
    ("", None, "the file is empty"),
    ("- slug: kent\n", None, "line 1: expected keys"),
    ("slug: kent\nnation: mars\n", None, "line 2: nation:"),
    ("slug: kent\nschools_email: nobody\n", None, "line 2: schools_email: not an email"),
    ("slug: kent\nlogo: nowhere.png\n", None, "line 2: logo "),
    # The 270-word closing would run off its slide: refused with its line.
    ("slug: kent\nclosing: " + "thanks " * 270 + "\n", None,
     "line 2: closing: 270 words; the closing slide holds at most 50"),
])
def test_other_problems(library, tmp_path, text, slug, message):
    with pytest.raises(ForceFileError) as caught:
        load(library, write(tmp_path / "f.yaml", text), slug)
    assert message in str(caught.value)


def test_broken_yaml_names_file_and_line_on_the_command_line(tmp_path):
    force_file = write(tmp_path / "force.yaml", "slug: kent\ncontacts:\n  - kind: phone\n"
                       "    value: [101\nclosing: x\n")
    schools = write(tmp_path / "schools.csv", "name,key_stages\nA,ks3\n")
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force-file", str(force_file), "--schools", str(schools), "--out",
                        str(out))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {force_file}: line ")
    assert "Traceback" not in result.output and not out.exists()


def test_unknown_key_on_the_command_line(tmp_path):
    force_file = write(tmp_path / "force.yaml", "slug: kent\nclosng: Thanks.\n")
    schools = write(tmp_path / "schools.csv", "name,key_stages\nA,ks3\n")
    result = lessonpack("batch", "--force", "kent", "--force-file", str(force_file), "--schools",
                        str(schools), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "line 2: unknown key 'closng'; did you mean 'closing'?" in result.output


def test_reviewed_date_can_be_given(library, tmp_path):
    force = load(library, write(tmp_path / "f.yaml", "slug: kent\nreviewed: 2027-01-05\n"))
    assert force.reviewed == dt.date(2027, 1, 5)
