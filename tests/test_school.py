"""A DSL's own settings: school.toml, init, overrides, and every kind of bad input."""

from __future__ import annotations

import io
import json
import shutil
import string
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pptx import Presentation

from lessonpack.school.colours import contrast
from lessonpack.school.config import load_school_file
from tests.helpers import lessonpack

from .conftest import REPO, docx_text, pack_text, slide_texts

FULL = """\
[school]
name = "Example Academy"
address = ["1 High Street", "Exampletown EX1 1AA"]
urn = "123456"
website = "https://example.sch.uk"
logo = "logo.png"
colour = "#1D4F91"

[dsl]
name = "Ms A Example"
role = "Designated Safeguarding Lead"
email = "dsl@example.sch.uk"
phone = "01234 567890"

[deputy_dsl]
name = "Mr C Deputy"
email = "deputy@example.sch.uk"

[signatory]
name = "Mr B Example"
role = "Headteacher"

[lesson]
force = "hampshire"
key_stages = ["ks3", "ks4"]
minutes = 50

[[help_routes]]
name = "Exampleshire Children's Services"
audience = "anyone worried about a child"
phone = "01234 000000"
website = "https://example.gov.uk/safeguarding"
"""


def write_logo(path: Path, size=(400, 160)) -> Path:
    Image.new("RGB", size, (29, 79, 145)).save(path)
    return path


@pytest.fixture()
def school_dir(tmp_path: Path) -> Path:
    write_logo(tmp_path / "logo.png")
    (tmp_path / "school.toml").write_text(FULL, encoding="utf-8")
    return tmp_path


def generate(school_dir: Path, *extra: str):
    return lessonpack("generate", "--school", str(school_dir / "school.toml"), "--out",
                      str(school_dir / "out"), "--date", "2026-12-01", *extra)


def test_init_writes_a_commented_file_that_works_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = lessonpack("init")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "school.toml").read_text()
    for key in ("name", "address", "urn", "website", "logo", "colour", "[dsl]", "[deputy_dsl]",
                "[signatory]", "force", "key_stages", "minutes", "[[help_routes]]", "exclude",
                "extra", "dir", "reference_pptx", "reference_docx"):
        assert key in text, key
    assert text.count("\n#") >= 20, "every setting is explained by a comment"
    settings = load_school_file(tmp_path / "school.toml")
    assert settings.school.name == "Example Academy" and settings.key_stages == ["ks3", "ks4"]
    again = lessonpack("init")
    assert again.exit_code == 1 and "already exists" in again.output
    assert (tmp_path / "school.toml").read_text() == text
    assert lessonpack("init", str(tmp_path / "sub" / "other.toml")).exit_code == 0


def test_full_school_file_reaches_every_document(school_dir):
    result = generate(school_dir)
    assert result.exit_code == 0, result.output
    root = school_dir / "out" / "example-academy"
    assert sorted(p.name for p in root.iterdir()) == ["ks3", "ks4"]
    pack = root / "ks3"
    for name in ("slides.pptx", "worksheet.docx", "worksheet-answers.docx", "parent-letter.docx",
                 "lesson-plan.docx"):
        assert "Example Academy" in pack_text(pack, name), name
    slides = pack_text(pack, "slides.pptx")
    for detail in ("Ms A Example", "01234 567890", "dsl@example.sch.uk", "Mr C Deputy",
                   "Exampleshire Children's Services", "01234 000000", "18001 101"):
        assert detail in slides, detail
    letter = docx_text(pack / "parent-letter.docx")
    for detail in ("1 High Street, Exampletown EX1 1AA", "https://example.sch.uk", "1 December 2026",
                   "Ms A Example", "dsl@example.sch.uk", "Mr B Example, Headteacher",
                   "Exampleshire Children's Services"):
        assert detail in letter, detail
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["inputs"] == {"key_stage": "ks3", "force": "hampshire",
                                  "school": "Example Academy", "date": "2026-12-01", "minutes": 50,
                                  "large_print": False, "nation": "england", "stage": "Key Stage 3"}


def test_logo_on_title_slide_and_letterhead_with_alt_text(school_dir):
    assert generate(school_dir, "-k", "ks3").exit_code == 0
    pack = school_dir / "out" / "example-academy" / "ks3"
    first = Presentation(str(pack / "slides.pptx")).slides[0]
    pictures = [s for s in first.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "Logo of Example Academy"
    prs = Presentation(str(pack / "slides.pptx"))
    assert pictures[0].left + pictures[0].width <= prs.slide_width
    letter = Document(str(pack / "parent-letter.docx"))
    header = letter.sections[0].first_page_header
    assert header._element.xpath(".//pic:pic") and "Example Academy" in "".join(
        p.text for p in header.paragraphs)
    descr = header._element.xpath(".//wp:docPr/@descr")
    assert descr == ["Logo of Example Academy"]


def test_minimal_school_file_uses_defaults(tmp_path):
    (tmp_path / "school.toml").write_text('[school]\nname = "Tiny Primary"\n')
    result = lessonpack("generate", "--school", str(tmp_path / "school.toml"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    pack = tmp_path / "o" / "tiny-primary" / "ks3"
    assert pack.is_dir()
    slides = pack_text(pack, "slides.pptx")
    assert "Tiny Primary" in slides and "your designated safeguarding lead" in slides


def test_command_line_overrides_the_school_file(school_dir):
    result = generate(school_dir, "-k", "ks5", "--force", "northumbria", "--minutes", "45")
    assert result.exit_code == 0, result.output
    pack = school_dir / "out" / "example-academy" / "ks5"
    assert [p.name for p in pack.parent.iterdir()] == ["ks5"]
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["inputs"]["force"] == "northumbria" and manifest["inputs"]["minutes"] == 45


def test_brand_colour_too_light_is_darkened_to_meet_contrast(school_dir):
    toml = school_dir / "school.toml"
    toml.write_text(FULL.replace('colour = "#1D4F91"', 'colour = "#FFE600"'))
    assert generate(school_dir, "-k", "ks3").exit_code == 0
    slide = Presentation(str(school_dir / "out" / "example-academy" / "ks3" / "slides.pptx")).slides[1]
    colour = slide.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb
    assert contrast(f"#{colour}", "#FFFFFF") >= 4.5
    assert str(colour) != "FFE600"


def test_template_override_wins_and_others_stay_builtin(school_dir):
    custom = school_dir / "my-templates"
    custom.mkdir()
    original = (REPO / "templates" / "parent-letter.md.j2").read_text()
    # The greeting is one translated line; a DSL who puts a value in it writes the line
    # outside the {% trans %} block, as the error for the plain edit tells them to.
    greeting = next(line for line in original.splitlines() if "Dear parent or carer," in line)
    plain_edit = original.replace("Dear parent or carer,", "Dear {{ school.name }},")
    (custom / "parent-letter.md.j2").write_text(plain_edit)
    (school_dir / "school.toml").write_text(FULL + '\n[templates]\ndir = "my-templates"\n')
    refused = generate(school_dir, "-k", "ks3")
    line_no = original.splitlines().index(greeting) + 1
    assert refused.exit_code == 1
    assert f"parent-letter.md.j2, line {line_no}: syntax error" in refused.output
    assert "only a plain name" in refused.output
    assert "Traceback" not in refused.output
    outside_the_block = original.replace(greeting, "Dear families of {{ school.name }},")
    (custom / "parent-letter.md.j2").write_text(outside_the_block)
    assert generate(school_dir, "-k", "ks3").exit_code == 0
    pack = school_dir / "out" / "example-academy" / "ks3"
    assert "Dear families of Example Academy," in docx_text(pack / "parent-letter.docx")
    assert "Where to get help" in pack_text(pack, "slides.pptx")
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["templates"]["parent-letter.md.j2"] == "custom"
    assert manifest["templates"]["slides.md.j2"] == "built-in"


def test_template_override_with_a_jinja_error_names_file_and_line(school_dir):
    custom = school_dir / "my-templates"
    custom.mkdir()
    (custom / "worksheet.md.j2").write_text("# Worksheet\n\n{{ school.name }\n")
    (school_dir / "school.toml").write_text(FULL + '\n[templates]\ndir = "my-templates"\n')
    result = generate(school_dir, "-k", "ks3")
    assert result.exit_code == 1
    assert "worksheet.md.j2, line 3" in result.output and "Traceback" not in result.output
    assert not (school_dir / "out").exists(), "nothing is half-written"


def test_content_exclude_and_extra(school_dir):
    (school_dir / "local.yaml").write_text(
        "myths:\n"
        "  - id: local-myth\n"
        "    key_stages: [ks3]\n"
        "    sources: [ukcis-victim-blaming]\n"
        "    statement: Only people at other schools are targeted.\n"
        "    fact: false\n"
        "    why: It can happen to anyone, anywhere. It is never their fault.\n"
    )
    (school_dir / "school.toml").write_text(
        FULL + '\n[content]\nexclude = ["only-girls"]\nextra = "local.yaml"\n')
    assert generate(school_dir, "-k", "ks3").exit_code == 0
    text = docx_text(school_dir / "out" / "example-academy" / "ks3" / "worksheet.docx")
    assert "Only people at other schools are targeted." in text
    assert "Only girls are targeted." not in text


def test_unknown_exclude_id_and_bad_extra_item_are_reported(school_dir):
    (school_dir / "local.yaml").write_text("myths:\n  - id: x\n    key_stages: [ks3]\n")
    (school_dir / "school.toml").write_text(
        FULL + '\n[content]\nexclude = ["only-girlz"]\nextra = "local.yaml"\n')
    result = generate(school_dir)
    assert result.exit_code == 1
    assert "only-girls" in result.output  # the suggestion
    assert not (school_dir / "out").exists()


def test_reference_documents_give_the_look(school_dir):
    from docx.shared import Pt

    brand = Document(str(REPO / "templates" / "theme" / "reference.docx"))
    brand.styles["Normal"].font.name = "Georgia"
    brand.styles["Normal"].font.size = Pt(12)
    brand.save(school_dir / "brand.docx")
    shutil.copy(REPO / "templates" / "theme" / "reference.pptx", school_dir / "brand.pptx")
    (school_dir / "school.toml").write_text(
        FULL + '\n[templates]\nreference_docx = "brand.docx"\nreference_pptx = "brand.pptx"\n')
    assert generate(school_dir, "-k", "ks3").exit_code == 0
    letter = Document(str(school_dir / "out" / "example-academy" / "ks3" / "parent-letter.docx"))
    assert letter.styles["Normal"].font.name == "Georgia"
    assert letter.styles["Normal"].font.size == Pt(12)


BAD_FILES = {
    "empty": ("", "empty"),
    "not utf-8": ("[school]\nname = \"Caf\xe9\"\n".encode("latin-1"), "not UTF-8"),
    "broken toml": ('[school]\nname = "x\n', "line 2"),
    "no name": ("[school]\nurn = \"1\"\n", "school.name: required setting is missing"),
    "bad colour": ('[school]\nname = "x"\ncolour = "blue"\n', "line 3: school.colour"),
    "bad key stage": ('[school]\nname = "x"\n[lesson]\nkey_stages = ["ks9"]\n',
                      "line 4: lesson.key_stages"),
    "bad dsl phone": ('[school]\nname = "x"\n[dsl]\nname = "A"\nphone = "0800 11"\n',
                      "line 5: dsl.phone: not a valid UK phone number"),
    "bad dsl email": ('[school]\nname = "x"\n[dsl]\nname = "A"\nemail = "a@"\n',
                      "line 5: dsl.email: not an email address"),
    "route without contact": ('[school]\nname = "x"\n[[help_routes]]\nname = "Nobody"\n',
                              "needs a phone, website or email"),
    "control characters": ('[school]\nname = "Bad\\u0007School"\n', "control characters"),
    "missing logo": ('[school]\nname = "x"\nlogo = "nope.png"\n', "line 3: school.logo"),
    "wrong type": ('[school]\nname = "x"\n[lesson]\nminutes = "an hour"\n', "lesson.minutes"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_school_files_give_a_clear_error_and_write_nothing(tmp_path, case):
    content, expected = BAD_FILES[case]
    path = tmp_path / "school.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = lessonpack("generate", "--school", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_every_problem_is_reported_in_one_run(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "x"\ncolour = "blue"\nlogo = "nope.png"\n'
                    '[dsl]\nname = "A"\nphone = "12"\n[lesson]\nminutes = 5\n')
    result = lessonpack("generate", "--school", str(path), "--out", str(tmp_path / "out"))
    for part in ("school.colour", "school.logo", "dsl.phone", "lesson.minutes"):
        assert part in result.output, part


def test_unknown_keys_are_warned_with_the_nearest_valid_key(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "x"\ncolor = "#1D4F91"\n[lessons]\nforce = "kent"\n')
    result = lessonpack("generate", "--school", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "line 3: unknown setting 'school.color'; did you mean 'colour'?" in result.output
    assert "unknown setting 'lessons'; did you mean 'lesson'?" in result.output


@pytest.mark.parametrize("problem", ["missing", "not an image", "20 MB", "damaged"])
def test_bad_logos_are_refused(tmp_path, problem):
    logo = tmp_path / "logo.png"
    if problem == "not an image":
        logo.write_text("this is not a picture")
    elif problem == "20 MB":
        logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (20 * 1024 * 1024))
    elif problem == "damaged":
        logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 100)
    (tmp_path / "school.toml").write_text('[school]\nname = "x"\nlogo = "logo.png"\n')
    result = lessonpack("generate", "--school", str(tmp_path / "school.toml"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "logo" in result.output
    assert not (tmp_path / "o").exists()


def test_name_that_tries_to_escape_stays_inside_out(tmp_path):
    (tmp_path / "school.toml").write_text('[school]\nname = "../../etc"\n')
    out = tmp_path / "deep" / "out"
    result = lessonpack("generate", "--school", str(tmp_path / "school.toml"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "etc" / "ks3" / "slides.pptx").exists()
    assert not (tmp_path / "etc").exists()


ODD_NAMES = [
    "A" * 300,
    "St Mary's *C of E* <Primary> & Nursery # 1 _x_ | [y](z)",
    "مدرسة النور الابتدائية",
    "École 🏫 Ünïcödé — “quotes”",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_school_names_appear_exactly(tmp_path, name):
    (tmp_path / "school.toml").write_text(f'[school]\nname = """{name}"""\n', encoding="utf-8")
    result = lessonpack("generate", "--school", str(tmp_path / "school.toml"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    pack = next((tmp_path / "o").iterdir()) / "ks3"
    assert name in docx_text(pack / "parent-letter.docx")
    assert name in "\n".join("\n".join(s) for s in slide_texts(pack / "slides.pptx"))


# Free text a DSL can type into any setting; TOML basic strings need \ and " escaped.
typed_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                           exclude_characters="\ue000\ue001\ufffe\uffff"),
    min_size=1, max_size=120,
).filter(lambda s: s.strip() and not set(s) <= set(string.whitespace))


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=typed_text, dsl=typed_text, route=typed_text, address=typed_text)
def test_any_free_text_either_appears_or_fails_clearly(tmp_path_factory, name, dsl, route, address):
    folder = tmp_path_factory.mktemp("free")
    (folder / "school.toml").write_text(
        f"[school]\nname = {toml_string(name)}\naddress = [{toml_string(address)}]\n"
        f"[dsl]\nname = {toml_string(dsl)}\nrole = {toml_string(dsl)}\n"
        f"[[help_routes]]\nname = {toml_string(route)}\naudience = {toml_string(route)}\n"
        f'phone = "01234 000000"\n', encoding="utf-8")
    result = lessonpack("generate", "--school", str(folder / "school.toml"), "--out", str(folder / "o"), "-k",
                        "ks3")
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.output.startswith("Error: ") and not (folder / "o").exists()
        return
    pack = next((folder / "o").iterdir()) / "ks3"
    letter = docx_text(pack / "parent-letter.docx")
    slides = "\n".join("\n".join(s) for s in slide_texts(io.BytesIO((pack / "slides.pptx").read_bytes())))
    for value in (name, dsl, route):
        assert " ".join(value.split()) in " ".join((letter + slides).split())
    assert " ".join(address.split()) in " ".join(letter.split())
