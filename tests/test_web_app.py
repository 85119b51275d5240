"""The web page through Starlette's test client: every route, every check, every refusal."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html
from pptx import Presentation

from lessonpack.pack import PACK_FILES
from lessonpack.school.config import load_school_file
from lessonpack.web.app import MAX_BODY, Config, create_app
from tests.web_helpers import DSL_FORM, jpeg, png, png_bomb, zip_names

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TestClient = pytest.importorskip("starlette.testclient").TestClient


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Config(jobs=1, rate=0)), raise_server_exceptions=False) as c:
        yield c


def errors(response) -> dict[str, str]:
    """Each field's error, by the id of the field it describes."""
    root = html.fromstring(response.text)
    out = {}
    for p in root.find_class("field-error"):
        target = p.get("id").removesuffix("-error")
        out[target] = p.text_content().removeprefix("Error: ")
    return out


def field(response, name: str):
    return html.fromstring(response.text).xpath(f'//*[@name="{name}"]')[0]


def test_form_page(client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    root = html.fromstring(r.text)
    # Every visible control has a label whose `for` names it.
    labels = {label.get("for") for label in root.xpath("//label")}
    controls = root.xpath("//form//input[not(@type='hidden')] | //form//textarea")
    unlabelled = [c.get("name") for c in controls if c.get("id") not in labels
                  and c.get("class") != "implicit-submit"]
    assert not unlabelled
    # The force by its name, grouped by nation; no key stage chosen for the visitor.
    assert root.xpath("//select[@name='lesson.force']/optgroup[@label='England']"
                      "/option[@value='hampshire' and text()='Hampshire and Isle of Wight Constabulary']")
    assert root.xpath("//select[@name='lesson.force']/optgroup[@label='Wales']/option[@value='gwent']")
    assert not root.xpath("//input[@name='lesson.key_stages' and @checked]")
    # Nothing inline: the CSP forbids it, and it keeps the page working.
    assert not root.xpath("//script[not(@src)] | //*[@style] | //*[@onclick]")
    assert all(not s.get("src").startswith(("http", "//")) for s in root.xpath("//script"))


def test_headers_on_every_response(client) -> None:
    for response in (client.get("/"), client.get("/nowhere"), client.get("/static/style.css")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "server" not in response.headers or "uvicorn" not in response.headers["server"]


def test_every_problem_beside_its_field_all_at_once(client) -> None:
    form = {"school.name": "  ", "school.colour": "navy", "school.website": "x" * 400,
            "dsl.email": "not-an-email", "dsl.phone": "12", "deputy_dsl.role": "Deputy",
            "lesson.force": "hamshire", "lesson.minutes": "five", "route-count": "2",
            "route-0-name": "Youth club", "route-1-phone": "01234 000000"}
    r = client.post("/check", data=form)
    assert r.status_code == 400
    found = errors(r)
    # Each message names its field and says what to do.
    assert found == {
        "f-lesson-key_stages": "Choose at least one key stage",
        "f-lesson-force": "We do not know the force “hamshire”. Choose the police force from the list",
        "f-lesson-minutes": "Enter the lesson length as a whole number of minutes, like 60",
        "f-school-name": "Enter the school's name",
        "f-school-website": "The school's website address must be 300 characters or fewer",
        "f-school-colour": "Enter the brand colour as a hex code: # then 6 letters or numbers, like #1D4F91",
        "f-dsl-name": "Enter the safeguarding lead's name, or clear their other details",
        "f-dsl-email": "Enter the safeguarding lead's email address, like name@school.sch.uk",
        "f-dsl-phone": "Enter the safeguarding lead's phone number, like 01632 960 001",
        "f-deputy_dsl-name": "Enter the deputy safeguarding lead's name, or clear their other details",
        "f-route-0": "Enter a phone number, website or email address for help route 1",
        "f-route-1-name": "Enter help route 2's name, or clear its other details",
    }
    # Each field says it is invalid and points at its message; the summary is announced.
    root = html.fromstring(r.text)
    for target in found:
        node = root.get_element_by_id(target)
        if node.tag in ("input", "select"):
            assert node.get("aria-invalid") == "true"
            assert f"{target}-error" in node.get("aria-describedby")
    # A route's own problem marks the boxes that would fix it, and a key stage's every box.
    for box in ("f-route-0-phone", "f-route-0-website", "f-route-0-email", "f-ks-ks2", "f-ks-ks5"):
        node = root.get_element_by_id(box)
        assert node.get("aria-invalid") == "true", box
        assert node.get("aria-describedby").split()[-1].endswith("-error"), box
    # Every summary link points at a control that takes focus, never a fieldset.
    for link in root.xpath("//div[@id='error-summary']//a/@href"):
        assert root.get_element_by_id(link[1:]).tag in ("input", "select", "textarea"), link
    summary = html.fromstring(r.text).get_element_by_id("error-summary")
    assert summary.get("role") == "alert"
    assert len(summary.xpath(".//li")) == len(found)
    assert [a.text_content() for a in summary.xpath(".//a")] == list(found.values())  # page order
    # Nothing typed is lost.
    assert field(r, "dsl.email").get("value") == "not-an-email"
    assert field(r, "route-1-phone").get("value") == "01234 000000"
    assert field(r, "lesson.minutes").get("value") == "five"


@pytest.mark.parametrize(("minutes", "message"), [("19", "between 20 and 180"),
                                                  ("181", "between 20 and 180")])
def test_minutes_range(client, minutes: str, message: str) -> None:
    r = client.post("/check", data={"school.name": "A", "lesson.key_stages": "ks2",
                                    "lesson.minutes": minutes})
    assert r.status_code == 400 and message in errors(r)["f-lesson-minutes"]


def test_control_characters_refused(client) -> None:
    r = client.post("/preview", data={"school.name": "A\x07B", "lesson.key_stages": "ks2"})
    assert errors(r)["f-school-name"].startswith("The school's name must not contain control characters")


def test_address_lines_limited(client) -> None:
    r = client.post("/preview", data={"school.name": "A", "lesson.key_stages": "ks2",
                                      "school.address": "\n".join("line" for _ in range(9))})
    assert errors(r)["f-school-address"] == "The school's address must be 8 lines or fewer"


def test_force_by_name(client) -> None:
    r = client.post("/preview", data={**DSL_FORM, "lesson.force": "hampshire and isle of wight constabulary"})
    assert r.status_code == 200, errors(r)


def test_preview_shows_every_document(client) -> None:
    r = client.post("/preview", data=DSL_FORM)
    assert r.status_code == 200
    root = html.fromstring(r.text)
    files = [s.get("data-file") for s in root.find_class("document")]
    assert files == [n for n in PACK_FILES if n != "manifest.json"]
    assert "KS3" in root.get_element_by_id("preview-title").text_content()
    cards = root.find_class("card")
    assert len(cards) > 10 and len(root.find_class("notes")) == len(cards)
    assert "St Mary's *C of E* Academy" in root.find_class("slide-footer")[0].text_content()
    assert root.xpath("//link[starts-with(@href, 'accent.css?c=')]")
    # The other key stage is one button away.
    assert root.xpath("//button[@name='preview_ks' and @value='ks4']")
    r4 = client.post("/preview", data={**DSL_FORM, "preview_ks": "ks4"})
    assert "KS4" in html.fromstring(r4.text).get_element_by_id("preview-title").text_content()
    r_bad = client.post("/preview", data={**DSL_FORM, "preview_ks": "../ks9"})
    assert "KS3" in html.fromstring(r_bad.text).get_element_by_id("preview-title").text_content()


def test_add_and_remove_help_routes_without_javascript(client) -> None:
    r = client.post("/edit", data={**DSL_FORM, "action": "add-route"})
    assert r.status_code == 200 and not errors(r)
    assert int(field(r, "route-count").get("value")) == 3
    # The button that added the row brings the visitor back to it, not the top of the page.
    root = html.fromstring(r.text)
    assert root.xpath("//button[@value='add-route']/@formaction") == ["edit#f-route-3-name"]
    assert root.get_element_by_id("f-route-2-name") is not None
    assert root.xpath("//button[@value='remove-route-0']/@formaction") == ["edit#routes"]
    r = client.post("/edit", data={**DSL_FORM, "action": "remove-route-0"})
    assert field(r, "route-0-name").get("value") == ""
    assert "Exampleshire Children" not in r.text


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_download_zip(client, tmp_path: Path) -> None:
    r = client.post("/download", data=DSL_FORM, files={"school.logo": ("logo.png", png(), "image/png")})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == (
        'attachment; filename="st-mary-s-c-of-e-academy-sextortion-lessons-ks3-ks4.zip"')
    files = read_zip(r.content)
    expected = {f"{ks}/{name}" for ks in ("ks3", "ks4") for name in PACK_FILES}
    assert set(files) == expected | {"school.toml", "logo.png"}
    for ks in ("ks3", "ks4"):
        deck = Presentation(io.BytesIO(files[f"{ks}/slides.pptx"]))
        assert ks.upper() in deck.slides[0].shapes.title.text_frame.text or len(deck.slides) > 10
        footer = " ".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)
        assert "St Mary's *C of E* Academy" in footer
        letter = open_docx(io.BytesIO(files[f"{ks}/parent-letter.docx"]))
        body = "\n".join(p.text for p in letter.paragraphs)
        assert "Mr B Head" in body and "Headteacher" in body
        assert letter.sections[0].first_page_header.part.related_parts  # the logo's image
        plan = "\n".join(p.text for p in open_docx(io.BytesIO(files[f"{ks}/lesson-plan.docx"])).paragraphs)
        assert "Ms A Example" in plan
        manifest = json.loads(files[f"{ks}/manifest.json"])
        assert manifest["inputs"] == {**manifest["inputs"], "key_stage": ks, "force": "hampshire",
                                      "school": "St Mary's *C of E* Academy", "minutes": 50}
    # The settings round-trip: the CLI reads them back as they were typed.
    for name in ("school.toml", "logo.png"):
        (tmp_path / name).write_bytes(files[name])
    settings = load_school_file(tmp_path / "school.toml")
    assert settings.school.name == "St Mary's *C of E* Academy"
    assert settings.school.address == ["1 High Street", "Exampletown EX1 1AA"]
    assert settings.school.dsl.email == "dsl@stmarys.example.sch.uk"
    assert settings.school.signatory.role == "Headteacher"
    assert settings.force == "hampshire" and settings.key_stages == ["ks3", "ks4"]
    assert settings.minutes == 50 and settings.school.logo.source == (tmp_path / "logo.png").resolve()
    assert [r.name for r in settings.school.help_routes] == ["Exampleshire Children's Services"]
    # And the web page loads it back into the same form.
    loaded = client.post("/load", files={"school_toml": ("school.toml", files["school.toml"], "text/plain")})
    assert loaded.status_code == 200
    for name, value in DSL_FORM.items():
        if name.startswith("route-count") or name == "lesson.key_stages":
            continue
        node = field(loaded, name)
        if node.tag == "select":
            shown = node.xpath(".//option[@selected]/@value")
            assert shown == [value], name
            continue
        assert (node.text or "" if node.tag == "textarea" else node.get("value")) == value, name
    checked = html.fromstring(loaded.text).xpath("//input[@name='lesson.key_stages' and @checked]/@value")
    assert checked == ["ks3", "ks4"]
    assert "choose the logo file again" in loaded.text


def test_logo_kept_when_the_form_is_shown_again(client) -> None:
    r = client.post("/preview", data={**DSL_FORM, "dsl.email": "bad"},
                    files={"school.logo": ("x.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 400
    kept = field(r, "school.logo_kept").get("value")
    assert base64.b64decode(kept) == jpeg()
    z = client.post("/download", data={**DSL_FORM, "school.logo_kept": kept})
    assert "logo.jpg" in zip_names(z.content)
    gone = client.post("/download", data={**DSL_FORM, "school.logo_kept": kept, "school.logo_remove": "on"})
    assert not any(n.startswith("logo") for n in zip_names(gone.content))


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a" + b"\0" * 100, "PNG or JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG or JPEG"),
    (png()[:60], "PNG or JPEG"),  # cut short
    (png_bomb(), "pixels"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), "under 5 MB"),
])
def test_bad_logos(client, data: bytes, message: str) -> None:
    r = client.post("/preview", data=DSL_FORM, files={"school.logo": ("logo.png", data, "image/png")})
    assert r.status_code == 400
    assert message in errors(r)["f-school-logo"]
    assert field(r, "school.name").get("value") == DSL_FORM["school.name"]


def test_forged_kept_logo_is_checked_again(client) -> None:
    for kept in ("%%%not-base64", base64.b64encode(b"GIF89a....").decode()):
        r = client.post("/preview", data={**DSL_FORM, "school.logo_kept": kept})
        assert r.status_code == 400 and "f-school-logo" in errors(r)


@pytest.mark.parametrize(("content", "message"), [
    (b"[school\nname=", "not valid TOML"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[school]\nname = \"\"\n[dsl]\nemail = \"x\"\n", "Line 4: Enter the safeguarding lead's email address"),
    (b"[school]\nname = \"A\"\n[lesson]\nkey_stages = [\"ks9\"]\n",
     "Line 4: Choose key stages from ks2, ks3, ks4 and ks5: “ks9” is not one."),
])
def test_load_bad_school_toml(client, content: bytes, message: str) -> None:
    r = client.post("/load", files={"school_toml": ("school.toml", content, "text/plain")})
    assert r.status_code == 400
    assert message in errors(r)["f-school_toml"]


def test_load_notes_what_the_web_leaves_out(client) -> None:
    text = b'[school]\nname = "A"\nlogo = "../../etc/passwd"\nmotto = "x"\n[templates]\ndir = "/etc"\n'
    r = client.post("/load", files={"school_toml": ("school.toml", text, "text/plain")})
    assert r.status_code == 200
    notices = html.fromstring(r.text).find_class("notice")[0].text_content()
    assert "motto" in notices and "command line only" in notices and "logo" in notices
    assert field(r, "school.name").get("value") == "A"


def test_load_without_a_file(client) -> None:
    r = client.post("/load", data={"x": "y"})
    assert r.status_code == 400 and "f-school_toml" in errors(r)


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fpack.py",
    "/static//etc/passwd", "/static/..\\app.py", "/templates/form.html", "/..%2f..%2fetc%2fpasswd",
    "/static/style.css%00.py", "/.env", "/static/",
])
def test_path_tricks_find_nothing(client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "import" not in r.text and "root:" not in r.text and "Traceback" not in r.text


def test_static_and_accent(client) -> None:
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    css = client.get("/accent.css?c=FFFF00")
    assert css.status_code == 200 and "--accent: #" in css.text and "FFFF00" not in css.text  # darkened
    assert client.get("/accent.css?c=red;}body{").status_code == 404
    assert client.get("/health").text == "ok"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/preview", 405), ("get", "/download", 405), ("put", "/", 405), ("delete", "/load", 405),
    ("get", "/nope", 404),
])
def test_methods_and_missing_pages(client, method: str, path: str, status: int) -> None:
    r = getattr(client, method)(path)
    assert r.status_code == status
    assert "<h1>" in r.text and "Traceback" not in r.text


def test_not_a_form_is_415(client) -> None:
    r = client.post("/preview", content=b'{"school": 1}', headers={"content-type": "application/json"})
    assert r.status_code == 415


def test_body_too_large_is_413(client) -> None:
    big = b"x" * (MAX_BODY + 1)
    r = client.post("/preview", files={"school.logo": ("a.png", big, "image/png")})
    assert r.status_code == 413
    # A body that does not say its length is cut off too.
    r = client.post("/preview", content=iter([b"a=" + b"x" * 1024 * 1024] * 20),
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


@pytest.mark.parametrize("kind", ["multipart/form-data; boundary=xx", "multipart/form-data"])
def test_broken_multipart_is_400(client, kind: str) -> None:
    r = client.post("/preview", content=b"--xx\r\nbroken", headers={"content-type": kind})
    assert r.status_code == 400
    assert "Traceback" not in r.text


def test_busy_and_too_slow(client) -> None:
    workers = client.app.app.state.workers
    saved = workers.limit, workers.timeout
    try:
        workers.limit = 0
        r = client.post("/download", data=DSL_FORM)
        assert r.status_code == 503 and r.headers["retry-after"]
        workers.limit, workers.timeout = saved[0], 0.001
        r = client.post("/download", data=DSL_FORM)
        assert r.status_code == 504 and "too long" in r.text
    finally:
        workers.limit, workers.timeout = saved
    assert client.post("/download", data=DSL_FORM).status_code == 200


PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co")), max_size=80)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=PRINTABLE, dsl=PRINTABLE, route=PRINTABLE, minutes=st.text(max_size=6))
def test_any_text_is_answered_and_kept(client, name: str, dsl: str, route: str, minutes: str) -> None:
    form = {"school.name": name, "dsl.name": dsl, "route-count": "1", "route-0-name": route,
            "route-0-phone": "01234 000000", "lesson.minutes": minutes, "lesson.key_stages": "ks2"}
    r = client.post("/preview", data=form)
    assert r.status_code in (200, 400), r.status_code
    if r.status_code == 400:
        # Shown again as typed (HTML keeps the text; a browser folds only line breaks).
        assert field(r, "school.name").get("value") == name
        assert field(r, "route-0-name").get("value") == route
    else:
        footer = html.fromstring(r.text).find_class("slide-footer")[0].text_content()
        assert " ".join(name.split()) in footer


def test_the_schools_nation_reaches_the_preview_and_the_school_toml(client) -> None:
    form = {**DSL_FORM, "lesson.force": "", "school.nation": "wales", "dsl.name": "",
            "dsl.role": "", "dsl.email": "", "dsl.phone": ""}
    r = client.post("/preview", data=form)
    assert r.status_code == 200, errors(r)
    text = " ".join(d.text_content() for d in html.fromstring(r.text).find_class("document"))
    assert "your designated safeguarding person" in text and "Meic" in text
    assert "designated safeguarding lead" not in text
    download = client.post("/download", data=form)
    assert download.status_code == 200
    files = read_zip(download.content)
    assert 'nation = "wales"' in files["school.toml"].decode()
    manifest = next(v for k, v in files.items() if k.endswith("manifest.json"))
    assert b'"nation": "wales"' in manifest


def test_an_unknown_nation_is_an_error_beside_its_field(client) -> None:
    r = client.post("/preview", data={**DSL_FORM, "school.nation": "atlantis"})
    assert r.status_code == 400
    assert errors(r)["f-school-nation"] == "Choose the nation from the list"
