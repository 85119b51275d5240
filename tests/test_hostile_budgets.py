"""Issue 23 (hangs): every input has a cost bound, and a refusal comes within 2 s.

Each case writes the hostile file, runs lessonpack on it as a user would (a child process
under a time limit), and checks the one line it answers with: the file, the line or
field, and the limit.
"""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from lessonpack.content.models import looks_like_email

from .hostile import NEAR_EMAIL, refused_quickly, school_toml

# The rule as it was, a regular expression: the oracle for short text, where it is fast.
OLD_RULE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")  # \Z: "$" let a final line break by


# --- the email rule is linear ------------------------------------------------------------


def test_the_email_rule_answers_a_near_address_at_once():
    started = time.monotonic()
    assert not looks_like_email(NEAR_EMAIL)
    assert not looks_like_email("a@" + "b." * 60_000 + "c")  # no space, but far too long
    assert time.monotonic() - started < 0.05


@settings(max_examples=300, deadline=200)
@given(st.text(alphabet="ab.@ \t\n-_", max_size=40))
def test_the_email_rule_agrees_with_the_old_one_on_short_text(text):
    assert looks_like_email(text) == bool(OLD_RULE.match(text))


def test_real_addresses_still_pass():
    for address in ("dsl@school.sch.uk", "first.last+pshe@example.org.uk", "a@b.co"):
        assert looks_like_email(address)
    for address in ("dsl@school", "dsl school@x.uk", "@x.uk", "a@@x.uk", "a@.uk", "a@x."):
        assert not looks_like_email(address)


def test_generate_refuses_a_near_address_in_school_toml(tmp_path):
    school_toml(tmp_path, f'[dsl]\nname = "A Lead"\nemail = "{NEAR_EMAIL}"\n')
    line = refused_quickly("generate", "--school", "school.toml", "--key-stage", "ks3",
                           "--out", "out", cwd=tmp_path)
    assert line.startswith("Error: school.toml: line 6: dsl.email: not an email address"), line
    assert "120,004 characters" in line
    assert not (tmp_path / "out").exists()


def test_check_refuses_a_near_address_in_a_help_route(tmp_path):
    school_toml(tmp_path, f'[[help_routes]]\nname = "Local"\nemail = "{NEAR_EMAIL}"\n')
    line = refused_quickly("check", "--school", "school.toml", cwd=tmp_path)
    assert line.startswith("error: school.toml: line 6: help_routes.0.email: not an email"), line


def test_batch_fails_the_row_with_a_near_address(tmp_path):
    (tmp_path / "schools.csv").write_text(
        f"name,key_stages,dsl_name,dsl_email\nHostile High,ks3,A Lead,{NEAR_EMAIL}\n")
    started = time.monotonic()
    from .hostile import lessonpack

    result = lessonpack("batch", "--schools", "schools.csv", "--force", "hampshire",
                        "--out", "out", cwd=tmp_path)
    assert time.monotonic() - started < 2
    assert result.returncode != 0
    assert "row 2: Hostile High ks3: dsl_email: not an email address" in result.stdout + result.stderr


def test_a_force_file_with_a_near_address_is_one_line(tmp_path):
    (tmp_path / "force.yaml").write_text(
        "slug: hostile\nname: Hostile Police\nnation: england\n"
        f"website: https://example.police.uk\nschools_email: {NEAR_EMAIL}\n")
    (tmp_path / "schools.csv").write_text("name,key_stages\nHostile High,ks3\n")
    line = refused_quickly("batch", "--schools", "schools.csv", "--force-file", "force.yaml",
                           "--out", "out", cwd=tmp_path)
    assert line.startswith("Error: force.yaml: line 5: schools_email: not an email address"), line
