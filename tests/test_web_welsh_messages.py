"""The web page's own words in Welsh: words.toml, the error pages and the checks' messages
come from the one catalogue, so that a Welsh page never shows an English sentence."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from lessonpack.web.app import MAX_BODY, Config, create_app
from tests.web_helpers import DSL_FORM

TestClient = pytest.importorskip("starlette.testclient").TestClient
ROOT = Path(__file__).resolve().parent.parent
WORDS = ROOT / "lessonpack" / "web" / "words.toml"
PO = ROOT / "lessonpack" / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# English words that no Welsh sentence uses: one of these left on a Welsh page is English.
STOP_WORDS = {"the", "and", "must", "enter", "choose", "your", "is", "of", "or", "to",
              "an", "be", "not", "from", "with", "for", "in", "was", "are", "there",
              "error", "page", "found", "too", "large", "name"}  # not "a" or "problem": Welsh too
WELSH = {**DSL_FORM, "lesson.force": "south-wales", "lesson.key_stages": ["ks3"],
         "school.nation": "wales", "school.name": "Ysgol Gymraeg Bro Taf",
         "dsl.email": "dsl@ysgol.example.sch.uk", "dsl.role": "Person Diogelu Dynodedig"}
WELSH.pop("route-count"), [WELSH.pop(k) for k in list(WELSH) if k.startswith("route-")]


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Config(jobs=1, rate=0, total=0)), raise_server_exceptions=False) as c:
        c.cookies.set("lang", "cy")
        yield c


def words_strings() -> list[str]:
    data = tomllib.loads(WORDS.read_text(encoding="utf-8"))
    return [text for section in data.values() for text in section.values()]


def test_every_words_toml_string_has_its_welsh_with_the_same_placeholders():
    with PO.open("rb") as f:
        catalogue = {m.id: m for m in read_po(f) if m.id}
    texts = words_strings()
    assert len(texts) > 70
    for text in texts:
        entry = catalogue.get(text)
        assert entry is not None, f"not in the catalogue: {text!r}"
        assert isinstance(entry.string, str) and entry.string.strip(), text
        assert entry.fuzzy, f"a new Welsh string is reviewed before a fluent speaker saw it: {text!r}"
        assert sorted(PLACEHOLDER.findall(entry.string)) == sorted(PLACEHOLDER.findall(text)), text


def english_words(text: str) -> list[str]:
    """The stop words in `text`, leaving out web links and email addresses."""
    text = re.sub(r"\S+@\S+|https?://\S+", " ", text)
    words = re.findall(r"[A-Za-z]+", text)
    return [w for w in words if w.lower() in STOP_WORDS]


def messages_of(response) -> list[str]:
    root = html.fromstring(response.text)
    assert root.get("lang") == "cy"
    found = [e.text_content() for e in root.xpath("//*[@id='error-summary']")]
    found += [e.text_content() for e in root.find_class("field-error")]
    found += [e.text_content() for e in root.xpath("//main//h1 | //main//p[@role='alert']")]
    return found


def assert_welsh(response, *fields: str) -> None:
    root = html.fromstring(response.text)
    for name in fields:
        assert root.get_element_by_id(f"f-{name}-error") is not None, name
    texts = messages_of(response)
    assert texts, "no message on the page"
    for text in texts:
        assert english_words(text) == [], text


CASES = {
    "missing school name": ({"school.name": ""}, ["school-name"]),
    "bad email": ({"dsl.email": "not-an-email"}, ["dsl-email"]),
    "bad colour": ({"school.colour": "blue"}, ["school-colour"]),
    "too long": ({"signatory.role": "x" * 400}, ["signatory-role"]),
    "unknown force": ({"lesson.force": "atlantis-constabulary"}, ["lesson-force"]),
    "nation and force disagree": ({"school.nation": "england"}, ["lesson-force"]),
    "minutes out of range": ({"lesson.minutes": "500"}, ["lesson-minutes"]),
    "no key stage": ({"lesson.key_stages": []}, []),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_welsh_form_with_a_problem_says_it_in_welsh(client, case: str):
    change, fields = CASES[case]
    r = client.post("/check?lang=cy", data={**WELSH, **change})
    assert r.status_code == 400
    assert_welsh(r, *fields)


def test_the_nation_in_a_conflict_is_named_in_welsh(client):
    r = client.post("/check?lang=cy", data={**WELSH, "school.nation": "england"})
    text = html.fromstring(r.text).get_element_by_id("f-lesson-force-error").text_content()
    assert "Heddlu De Cymru" in text and "Lloegr" in text
    assert "Wales" not in text and "England" not in text


def test_a_damaged_school_toml_is_refused_in_welsh(client):
    for data in (b"\xff\xfe\x00", b"[school]\nname = \"\"\n[dsl]\nemail = \"x\"\n"):
        r = client.post("/load?lang=cy", files={"school_toml": ("school.toml", data, "text/plain")})
        assert r.status_code == 400
        assert_welsh(r, "school_toml")


def test_the_welsh_error_pages(client):
    missing = client.get("/no-such-page?lang=cy")
    assert missing.status_code == 404
    assert_welsh(missing)
    assert "Heb ddod o hyd i’r dudalen" in missing.text
    logo = ("a.png", b"x" * (MAX_BODY + 1), "image/png")
    big = client.post("/preview?lang=cy", files={"school.logo": logo})
    assert big.status_code == 413
    assert_welsh(big)
    assert "Rhy fawr" in big.text


def test_an_english_page_is_as_before(client):
    r = client.post("/check?lang=en", data={**WELSH, "school.name": ""})
    summary = html.fromstring(r.text).get_element_by_id("error-summary").text_content()
    assert "There is a problem" in summary and "Enter the school's name" in summary
    assert html.fromstring(client.get("/?lang=cy").text).get("lang") == "cy"


TYPED = string.ascii_letters + string.digits + " <>&\"'{}%/ŵŷ"
NAMES = st.text(alphabet=TYPED, min_size=1, max_size=40).filter(lambda s: s.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NAMES)
def test_a_typed_name_in_a_welsh_message_is_escaped(client, name: str):
    # A too-long name puts what was typed beside the rule; a name with braces or a
    # percent sign must not be read as a placeholder, nor break out of the HTML.
    r = client.post("/check?lang=cy", data={**WELSH, "school.name": name * 20, "lesson.force": name})
    assert r.status_code == 400
    root = html.fromstring(r.text)
    assert root.get("lang") == "cy"
    errors = root.get_element_by_id("error-summary")
    assert errors.xpath(".//script") == [] and "<" not in "".join(errors.itertext()).replace(name, "")
    force = root.get_element_by_id("f-lesson-force-error").text_content()
    assert name.strip() in force and "Nid ydym yn adnabod yr heddlu" in force
