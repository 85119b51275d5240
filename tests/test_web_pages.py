"""The short path a DSL takes, page by page, through Starlette's test client: the form's
sections, check your answers, the preview, the confirmation, and loading school.toml."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import html

from lessonpack.web.app import Config, create_app
from tests.web_helpers import DSL_FORM

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TestClient = pytest.importorskip("starlette.testclient").TestClient


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Config(jobs=1, rate=0, total=0)), raise_server_exceptions=False) as c:
        yield c


def root(response):
    return html.fromstring(response.text)


def hidden(response, form_id: str = "pack-form", **more: str) -> dict[str, str | list[str]]:
    """What a page's form sends, as a browser would (without pressing a button)."""
    form = root(response).get_element_by_id(form_id)
    out: dict[str, str | list[str]] = {}
    pairs = [(i.get("name"), i.get("value") or "") for i in form.xpath(".//input")
             if i.get("type") not in ("file", "checkbox") or i.get("checked") is not None]
    pairs += [(t.get("name"), t.text or "") for t in form.xpath(".//textarea")]
    pairs += [(e.get("name"), (e.xpath(".//option[@selected]/@value") or [""])[0])
              for e in form.xpath(".//select")]
    for name, value in pairs:
        if name in out:
            old = out[name]
            out[name] = [*old, value] if isinstance(old, list) else [old, value]
        else:
            out[name] = value
    return {**out, **more}


def notes(response) -> dict[str, str]:
    """What the page changed, by the id of the field it sits beside."""
    return {p.get("id").removesuffix("-note"): p.text_content().removeprefix("Changed for you: ")
            for p in root(response).xpath("//p[@class='adjusted' and @id]")}


def test_the_form_is_four_short_sections_key_stages_first(client) -> None:
    page = root(client.get("/"))
    assert [h.text_content() for h in page.xpath("//form//h2[starts-with(@id, 's-')]")] == [
        "1. The lesson", "2. Your school", "3. Who to contact", "4. Local help (optional)"]
    order = [e.get("id") for e in page.xpath("//form//*[@id]")]
    places = [order.index(i) for i in ("f-ks-ks2", "f-lesson-force", "f-school-name", "f-dsl-name")]
    assert places == sorted(places)
    assert not page.xpath("//input[@name='lesson.key_stages' and @checked]")
    # The optional parts are folded away until they are wanted.
    folded = page.xpath("//details[not(@open)]/@id")
    assert {"load", "letterhead", "deputy", "signatory"} <= set(folded)
    # Every button that sends the form back says where the visitor will land.
    assert page.xpath("//button[@id='continue']/@formaction") == ["check"]
    back = page.xpath("//button[starts-with(@formaction, 'edit') or starts-with(@formaction, 'load')]")
    assert back and all("#" in b.get("formaction") for b in back)


def test_the_force_hint_says_what_it_changes(client) -> None:
    hint = root(client.get("/")).get_element_by_id("f-lesson-force-hint").text_content()
    assert "contacts" in hint and "wording, law and help routes" in hint
    groups = root(client.get("/")).xpath("//select[@name='lesson.force']/optgroup/@label")
    assert groups == ["England", "Wales", "Scotland", "Northern Ireland"]


def test_check_your_answers_then_change_returns_to_the_field(client) -> None:
    r = client.post("/check", data=DSL_FORM)
    assert r.status_code == 200
    page = root(r)
    assert page.xpath("//h1")[0].text_content() == "Check your answers before you download"
    rows = {row.xpath("dt")[0].text_content(): [t.strip() for t in row.xpath("dd")[0].itertext() if t.strip()]
            for row in page.find_class("summary-row")}
    assert rows["Key stages"] == ["Key Stage 3", "Key Stage 4"]
    assert rows["Police force"] == ["Hampshire and Isle of Wight Constabulary"]
    assert rows["Lesson length"] == ["50 minutes"]
    assert "Exampleshire" in rows["Help route 1"][0]
    changes = page.xpath("//button[text()='Change']/@formaction")
    assert len(changes) == len(rows)
    # Each "Change" sends what was typed back to the form, at its own field.
    edited = client.post("/edit", data=hidden(r))
    form = root(edited)
    for action in changes:
        box = form.get_element_by_id(action.removeprefix("edit#"))  # the field, label and all
        assert box.xpath(".//label | .//legend") and box.xpath(".//input | .//select | .//textarea"), action
    for name in ("school.name", "dsl.email", "route-0-name", "lesson.minutes"):
        assert form.xpath(f"//*[@name='{name}']/@value") == [DSL_FORM[name]], name
    assert form.xpath("//input[@name='lesson.key_stages' and @checked]/@value") == ["ks3", "ks4"]
    assert form.xpath("//select[@name='lesson.force']//option[@selected]/@value") == ["hampshire"]


def test_the_nation_follows_the_force_and_says_so(client) -> None:
    form = {**DSL_FORM, "lesson.force": "gwent", "school.nation": ""}
    r = client.post("/check", data=form)
    assert r.status_code == 200
    said = " ".join(p.text_content() for p in root(r).find_class("adjusted"))
    assert "Set to Wales, the nation of Gwent Police" in said
    edited = client.post("/edit", data=hidden(r))
    assert notes(edited)["f-school-nation"].startswith("Set to Wales, the nation of Gwent Police")
    assert "f-school-nation-note" in root(edited).get_element_by_id("f-school-nation").get("aria-describedby")


def test_a_nation_that_disagrees_with_the_force_is_shown_not_resolved(client) -> None:
    r = client.post("/check", data={**DSL_FORM, "school.nation": "scotland"})
    assert r.status_code == 400
    message = root(r).get_element_by_id("f-lesson-force-error").text_content()
    assert message == ("Error: Hampshire and Isle of Wight Constabulary is a force in England, but "
                       "the nation chosen is Scotland. Choose a force in Scotland, or choose "
                       "England as the nation")
    for page in ("/preview", "/done", "/download"):
        assert client.post(page, data={**DSL_FORM, "school.nation": "scotland"}).status_code == 400


def test_every_adjustment_is_shown_beside_its_field(client) -> None:
    form = {**DSL_FORM, "school.colour": "#FFFF99", "route-0-audience": "", "lesson.minutes": "",
            "dsl.name": "", "dsl.role": "", "dsl.email": "", "dsl.phone": ""}
    r = client.post("/check", data=form)
    assert r.status_code == 200
    edited = client.post("/edit", data=hidden(r))
    said = notes(edited)
    assert said["f-school-colour"] == ("#FFFF99 is too pale to read on white, so the pack uses #737345, "
                                       "a darker shade of it.")
    assert said["f-route-0-audience"] == "Left blank, so the pack says this route is for anyone."
    assert said["f-lesson-minutes"] == "Left blank, so the lesson is 60 minutes."
    assert "your designated safeguarding lead" in said["f-dsl-name"]
    for field_id in said:
        assert f"{field_id}-note" in root(edited).get_element_by_id(field_id).get("aria-describedby")
    # And on the check page, beside the answer.
    check_notes = " ".join(p.text_content() for p in root(r).find_class("adjusted"))
    assert "#737345" in check_notes and "anyone" in check_notes


def test_preview_page_carries_the_answers_and_prints_the_pack_only(client) -> None:
    r = client.post("/preview", data=DSL_FORM)
    assert r.status_code == 200
    page = root(r)
    assert page.get_element_by_id("preview-title").get("tabindex") == "-1"
    assert page.xpath("//button[@name='preview_ks']/@formaction") == ["preview#preview-title"]
    assert "no-print" in page.get_element_by_id("pack-form").get("class")
    css = client.get("/static/style.css").text
    printing = css[css.index("@media print"):]
    assert ".no-print" in printing and ".site-header" in printing and "display: none" in printing
    assert dict(hidden(r))["school.name"] == DSL_FORM["school.name"]


def test_the_confirmation_lists_the_zip_and_how_to_load_it_next_time(client) -> None:
    r = client.post("/done", data=DSL_FORM)
    assert r.status_code == 200
    page = root(r)
    name = page.find_class("zip-name")[0].text_content()
    assert name == "st-mary-s-c-of-e-academy-sextortion-lessons-ks3-ks4.zip"
    listed = sorted(c.text_content() for c in page.xpath("//ul[@class='zip-files']//code"))
    text = page.text_content()
    assert "Load your school.toml" in text and "lessonpack generate --school school.toml" in text
    form = page.get_element_by_id("download-form")
    assert form.get("action") == "download" and form.get("data-autodownload") is not None
    z = client.post("/download", data=hidden(r, "download-form"))
    assert z.status_code == 200 and name in z.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(z.content)) as archive:
        assert sorted(archive.namelist()) == listed


def test_loading_warns_before_replacing_what_was_typed(client) -> None:
    toml = b'[school]\nname = "Riverside Academy"\n[lesson]\nkey_stages = ["ks4"]\n'
    typed = {"school.name": "What I typed", "lesson.minutes": "60", "route-count": "1"}
    r = client.post("/load", data=typed, files={"school_toml": ("school.toml", toml, "text/plain")})
    assert r.status_code == 200
    page = root(r)
    warning = page.get_element_by_id("load-warning")
    assert warning.get("role") == "alert" and "replace everything you have typed" in warning.text_content()
    assert page.xpath("//*[@name='school.name']/@value") == ["What I typed"]
    assert warning.xpath(".//button/@formaction") == ["load#main", "edit#main"]
    sent = hidden(r)
    replaced = client.post("/load", data={**sent, "load": "replace"})
    assert root(replaced).xpath("//*[@name='school.name']/@value") == ["Riverside Academy"]
    kept = client.post("/edit", data={k: v for k, v in sent.items() if k != "school_toml_text"})
    assert root(kept).xpath("//*[@name='school.name']/@value") == ["What I typed"]
    # Nothing typed yet (the lesson length's own 60 aside): loaded at once.
    fresh = client.post("/load", data={"lesson.minutes": "60"},
                        files={"school_toml": ("school.toml", toml, "text/plain")})
    assert not root(fresh).xpath("//*[@id='load-warning']")
    assert root(fresh).xpath("//*[@name='school.name']/@value") == ["Riverside Academy"]


def test_a_loaded_problem_keeps_what_was_typed(client) -> None:
    r = client.post("/load", data={"school.name": "Mine"},
                    files={"school_toml": ("school.toml", b'[lesson]\nminutes = 5\n', "text/plain")})
    assert r.status_code == 400
    error = root(r).get_element_by_id("f-school_toml-error").text_content()
    assert "Line 1: Enter the school's name." in error
    assert "Line 2: The lesson length must be between 20 and 180 minutes." in error
    assert "Input should" not in error and "lesson.minutes" not in error
    assert root(r).xpath("//*[@name='school.name']/@value") == ["Mine"]
    assert root(r).xpath("//details[@id='load']/@open")


def test_a_loaded_force_we_do_not_know_is_said(client) -> None:
    toml = b'[school]\nname = "A"\n[lesson]\nforce = "hamshire"\n'
    r = client.post("/load", files={"school_toml": ("school.toml", toml, "text/plain")})
    error = root(r).get_element_by_id("f-lesson-force-error").text_content()
    assert "We do not know the force “hamshire”" in error
    # An older file may name the force by its name: it is chosen in the list.
    toml = b'[school]\nname = "A"\n[lesson]\nforce = "Gwent Police"\n'
    r = client.post("/load", files={"school_toml": ("school.toml", toml, "text/plain")})
    assert root(r).xpath("//select[@name='lesson.force']//option[@selected]/@value") == ["gwent"]
