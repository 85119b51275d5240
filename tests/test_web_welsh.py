"""`serve` in Cymraeg: the page itself (?lang=cy, remembered), and a pack in Welsh or in
both languages from the form."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from lxml import html
from pptx import Presentation

from lessonpack.web.app import Config, create_app
from tests.test_web_pages import hidden
from tests.web_helpers import DSL_FORM

TestClient = pytest.importorskip("starlette.testclient").TestClient
WELSH_FORM = {**DSL_FORM, "lesson.force": "south-wales", "lesson.key_stages": ["ks3"],
              "dsl.role": "", "school.language": "cy"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Config(jobs=1, rate=0, total=0)), raise_server_exceptions=False) as c:
        yield c


def test_the_page_offers_cymraeg_and_remembers_it(client):
    english = html.fromstring(client.get("/").text)
    assert english.get("lang") == "en-GB"
    switch = english.xpath("//p[@class='language-switch']/a")[0]
    assert switch.text_content() == "Cymraeg" and switch.get("lang") == "cy"
    welsh = client.get("/" + switch.get("href"))
    page = html.fromstring(welsh.text)
    assert page.get("lang") == "cy"
    heading = page.xpath("//h1")[0].text_content()
    assert heading == "Gwnewch becyn gwers eich ysgol ar flacmel rhywiol (sextortion)"
    assert page.xpath("//label[@for='f-school-language']")[0].text_content() == "Iaith y pecyn"
    # The choice stays with the visitor: the next page is in Welsh too.
    again = html.fromstring(client.post("/check", data=WELSH_FORM).text)
    assert again.get("lang") == "cy" and again.xpath("//h1")[0].text_content().startswith("Gwiriwch")
    back = html.fromstring(client.get("/?lang=en").text)
    assert back.get("lang") == "en-GB"


def test_the_form_makes_a_welsh_pack(client):
    done = client.post("/done", data=WELSH_FORM)
    assert done.status_code == 200
    z = client.post("/download", data=hidden(done, "download-form"))
    assert z.status_code == 200
    with zipfile.ZipFile(io.BytesIO(z.content)) as archive:
        slides = next(n for n in archive.namelist() if n.endswith("ks3/slides.pptx"))
        deck = Presentation(io.BytesIO(archive.read(slides)))
        letter = Document(io.BytesIO(archive.read(slides.replace("slides.pptx", "parent-letter.docx"))))
        toml = archive.read(next(n for n in archive.namelist() if n.endswith("school.toml"))).decode()
    assert deck.slides[0].shapes.title.text_frame.text.startswith("Blacmel rhywiol")
    assert "Annwyl riant neu ofalwr," in [p.text for p in letter.paragraphs]
    assert 'language = "cy"' in toml


def test_both_languages_from_the_form_list_the_welsh_files(client):
    done = client.post("/done", data={**WELSH_FORM, "school.language": "en+cy"})
    page = html.fromstring(done.text)
    listed = [c.text_content() for c in page.xpath("//ul[@class='zip-files']//code")]
    z = client.post("/download", data=hidden(done, "download-form"))
    with zipfile.ZipFile(io.BytesIO(z.content)) as archive:
        names = archive.namelist()
    assert any(n.endswith("ks3/slides.cy.pptx") for n in names)
    assert sorted(names) == sorted(listed)


def test_a_welsh_page_in_chromium_shows_its_problems_in_welsh_and_passes_axe(tmp_path):
    """A real browser: the Welsh form sent with problems shows the Welsh error summary,
    and axe-core finds nothing wrong with the Welsh error page."""
    from tests.test_web_axe import _need_axe, violations
    from tests.web_helpers import driver, running, submit, type_in

    _need_axe()
    with running() as url:
        chrome = driver(tmp_path)
        try:
            chrome.get(url + "?lang=cy")
            type_in(chrome, "dsl.email", "not an email")
            submit(chrome, "#continue")
            summary = chrome.find_element("id", "error-summary").text
            assert chrome.find_element("tag name", "html").get_attribute("lang") == "cy"
            assert "Mae " in summary and "problem" in summary
            assert "Rhowch enw’r ysgol" in summary and "Dewiswch o leiaf un cyfnod allweddol" in summary
            assert "Enter" not in summary and "Choose" not in summary
            assert violations(chrome) == []
            chrome.get(url + "no-such-page")  # the cookie keeps the page in Welsh
            assert chrome.find_element("tag name", "h1").text == "Heb ddod o hyd i’r dudalen"
            assert violations(chrome) == []
        finally:
            chrome.quit()


def test_the_welsh_pages_in_chromium_from_the_form_to_the_download(tmp_path):
    """A real browser, every page in Welsh: the force's autocomplete tells a screen reader
    what it found in Welsh, and axe-core finds nothing wrong with "check your answers",
    the preview or the download page."""
    from selenium.webdriver.common.by import By

    from tests.helpers import poll
    from tests.test_web_axe import _need_axe, violations
    from tests.web_helpers import click, driver, retype, running, submit, type_in

    _need_axe()
    with running() as url:
        chrome = driver(tmp_path)
        try:
            chrome.get(url + "?lang=cy")
            box = chrome.find_element(By.ID, "f-lesson-force")
            assert box.tag_name == "input"  # the autocomplete, over the list
            hint = chrome.find_element(By.ID, "f-lesson-force__assistiveHint").get_attribute("textContent")
            assert hint.startswith("Pan fydd canlyniadau awtolenwi ar gael")
            retype(box, "Heddlu")

            def status() -> str | None:
                found = chrome.find_elements(By.CSS_SELECTOR, "[id^='f-lesson-force__status']")
                text = " ".join(e.get_attribute("textContent") for e in found).strip()
                return text if "canlyniad" in text else None

            assert (poll(status, 10) or "").startswith("Mae 4 canlyniad ar gael.")
            choices = chrome.find_elements(By.CSS_SELECTOR, "#f-lesson-force__listbox li")
            next(c for c in choices if c.text == "Heddlu De Cymru").click()
            click(chrome, "#f-ks-ks3")
            type_in(chrome, "school.name", "Ysgol Gymraeg Bro Taf")
            type_in(chrome, "dsl.name", "Ms A Example")
            submit(chrome, "#continue")
            assert chrome.find_element(By.TAG_NAME, "h1").text == "Gwiriwch eich atebion cyn llwytho i lawr"
            assert "Heddlu De Cymru" in chrome.find_element(By.CLASS_NAME, "summary-list").text
            assert violations(chrome) == []
            submit(chrome, "#preview")
            assert chrome.find_element(By.TAG_NAME, "h1").text == "Rhagolwg: pecyn CA3"
            assert violations(chrome) == []
            submit(chrome, "#download")
            assert chrome.find_element(By.TAG_NAME, "h1").text == "Mae eich pecyn yn barod"
            assert violations(chrome) == []
        finally:
            chrome.quit()
