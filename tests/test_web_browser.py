"""The web page in a real browser: Chromium, driven by Selenium, as a DSL would use it.

In CI (CI=true) these tests fail if Chromium or its driver is missing; on a computer
without them they are skipped.
"""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as open_docx
from pptx import Presentation

from lessonpack.pack import PACK_FILES
from tests.web_helpers import (
    by_name,
    click,
    driver,
    need_browser,
    open_details,
    png,
    retype,
    running,
    submit,
    type_in,
    wait_for_zip,
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    need_browser()
    with running() as url:
        yield url


@pytest.fixture
def browser(server: str, tmp_path: Path):
    chrome = driver(tmp_path)
    yield chrome
    chrome.quit()


def test_every_field_labelled_and_reached_by_tab(browser, server: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(server)
    assert browser.title.endswith("lessonpack")
    unlabelled = browser.execute_script("""
        return Array.from(document.querySelectorAll('#pack-form :is(input, textarea, select)'))
          .filter(e => e.type !== 'hidden' && !e.classList.contains('implicit-submit')
                       && e.style.display !== 'none'  // the force's select, under its autocomplete
                       && e.labels.length === 0).map(e => e.name);""")
    assert unlabelled == []
    # What a keyboard user can reach: everything shown (an optional section's fields once it is opened).
    wanted = browser.execute_script("""
        return Array.from(document.querySelectorAll(
          '#pack-form :is(input:not([type=hidden]), textarea, select, button, summary)'))
          .filter(e => e.tabIndex >= 0 && e.checkVisibility())
          .map(e => e.id || e.name + '=' + e.value || e.textContent.trim());""")
    reached: list[str] = []
    for _ in range(80):  # from the top of the page, as a keyboard user arrives
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.execute_script("const e = document.activeElement; "
                                        "return e.id || e.name + '=' + e.value || e.textContent.trim();")
        reached.append(active)
        if active == "continue":
            break
    missing = [w for w in wanted if w not in reached and not w.startswith("=")]
    assert missing == [] and reached[-1] == "continue"
    # The order follows the page: key stages first, then the force, then the school.
    assert reached.index("f-ks-ks2") < reached.index("f-lesson-force") < reached.index("f-school-name")
    # The short path: before any optional section is opened, a handful of fields.
    fields = [r for r in reached if r.startswith("f-")]
    assert len(fields) <= 22, fields


def _fill(browser, logo: Path | None = None) -> None:
    click(browser, "#f-ks-ks3")
    click(browser, "#f-ks-ks4")
    type_in(browser, "lesson.force", "northumbria")
    type_in(browser, "school.name", "Riverside Academy")
    type_in(browser, "dsl.name", "Mrs D Lead")
    type_in(browser, "dsl.email", "dsl at riverside")  # a mistake, fixed below
    type_in(browser, "dsl.phone", "01234 567891")
    open_details(browser)
    type_in(browser, "school.colour", "#7A1F5C")
    if logo:
        by_name(browser, "school.logo").send_keys(str(logo))
    type_in(browser, "signatory.name", "Dr H Teacher")
    type_in(browser, "signatory.role", "Headteacher")


def _label_in_view(browser, field_id: str) -> bool:
    return browser.execute_script("""
        const f = document.getElementById(arguments[0]);
        const group = f.closest('fieldset.checkboxes');
        const label = group ? group.querySelector('legend') : document.querySelector(`label[for="${f.id}"]`);
        const r = label.getBoundingClientRect(), box = f.getBoundingClientRect();
        return r.top >= 0 && box.bottom <= window.innerHeight;""", field_id)


def test_a_dsl_makes_a_pack(browser, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    logo = tmp_path / "logo.png"
    logo.write_bytes(png(120, 60))
    started = time.monotonic()
    browser.get(server)
    _fill(browser, logo)
    rows = len(browser.find_elements(By.CSS_SELECTOR, "[data-route]"))
    click(browser, "#add-route")  # JavaScript adds the row in place
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-route]")) == rows + 1
    assert browser.switch_to.active_element.get_attribute("name") == f"route-{rows}-name"
    type_in(browser, f"route-{rows}-name", "Riverside Youth Hub")
    type_in(browser, f"route-{rows}-phone", "01234 000111")
    submit(browser, "#continue")

    # The mistake is shown beside its field, announced, and focus goes to the summary.
    assert browser.title.startswith("Error:")
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    assert by_name(browser, "dsl.email").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "f-dsl-email-error").get_attribute("textContent") == (
        "Error: Enter the safeguarding lead's email address, like name@school.sch.uk")
    assert by_name(browser, f"route-{rows}-name").get_attribute("value") == "Riverside Youth Hub"
    assert by_name(browser, "school.logo_kept").get_attribute("value")  # the logo is kept
    # Its link takes the focus to the box, with the box's label in view.
    click(browser, "#error-summary a")
    assert browser.switch_to.active_element.get_attribute("id") == "f-dsl-email"
    assert _label_in_view(browser, "f-dsl-email")
    type_in(browser, "dsl.email", "dsl@riverside.example.sch.uk")
    submit(browser, "#continue")

    # Check your answers; "Change" returns to the field, focused, with its label in view.
    assert browser.find_element(By.TAG_NAME, "h1").text == "Check your answers before you download"
    submit(browser, "button[formaction='edit#f-school-colour-field']")
    assert browser.switch_to.active_element.get_attribute("id") == "f-school-colour"
    assert _label_in_view(browser, "f-school-colour")
    submit(browser, "#continue")
    submit(browser, "#preview")

    # The preview: slides as cards with notes, then each document.
    assert browser.switch_to.active_element.get_attribute("id") == "preview-title"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".card")) > 10
    ratio = browser.execute_script(
        "const r = document.querySelector('.card').getBoundingClientRect(); return r.width / r.height;")
    assert abs(ratio - 16 / 9) < 0.05
    accent = browser.execute_script(
        "return getComputedStyle(document.querySelector('.card .slide-title')).color;")
    assert accent == "rgb(122, 31, 92)"  # the school's colour, from accent.css
    files = [e.get_attribute("data-file") for e in browser.find_elements(By.CSS_SELECTOR, ".document")]
    assert files == [n for n in PACK_FILES if n != "manifest.json"]

    # Download: the confirmation page, and the zip starts by itself.
    submit(browser, "#download")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Your pack is ready"
    done = wait_for_zip(tmp_path / "downloads")
    took = time.monotonic() - started
    assert [p.name for p in done] == ["riverside-academy-sextortion-lessons-ks3-ks4.zip"]
    listed = sorted(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".zip-files code"))
    with zipfile.ZipFile(done[0]) as archive:
        names = set(archive.namelist())
        assert sorted(names) == listed
        deck = Presentation(io.BytesIO(archive.read("ks4/slides.pptx")))
        letter = open_docx(io.BytesIO(archive.read("ks4/parent-letter.docx")))
        toml = archive.read("school.toml").decode()
    assert any("Riverside Academy" in s.text_frame.text
               for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert "Dr H Teacher" in "\n".join(p.text for p in letter.paragraphs)
    assert 'force = "northumbria"' in toml and "Riverside Youth Hub" in toml
    csp = [e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert csp == []
    assert took < 60, took  # the machine's part of a DSL's two minutes


def test_works_without_javascript_and_on_a_phone(server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    phone = driver(tmp_path, javascript=False)
    try:
        phone.set_window_size(390, 844)
        phone.get(server)
        assert phone.find_element(By.TAG_NAME, "html").get_property("scrollWidth") <= 390
        rows = len(phone.find_elements(By.CSS_SELECTOR, "[data-route]"))
        type_in(phone, "school.name", "Hilltop Primary")
        submit(phone, "#add-route")  # sends the form, which comes back with one more row
        assert len(phone.find_elements(By.CSS_SELECTOR, "[data-route]")) == rows + 1
        # ... and comes back where the visitor was: at the new row, not the top.
        assert phone.current_url.endswith(f"#f-route-{rows}-name")
        assert phone.execute_script("return window.scrollY") > 1000
        assert _label_in_view(phone, f"f-route-{rows}-name")
        assert by_name(phone, "school.name").get_attribute("value") == "Hilltop Primary"
        submit(phone, "#continue")
        assert "Choose at least one key stage" in phone.find_element(By.ID, "error-summary").text
        phone.find_element(By.CSS_SELECTOR, "#error-summary a[href='#f-ks-ks2']").click()
        assert phone.switch_to.active_element.get_attribute("id") == "f-ks-ks2"  # a box, not a fieldset
        assert _label_in_view(phone, "f-ks-ks2")  # the question, not only the box
        click(phone, "#f-ks-ks2")
        submit(phone, "#continue")
        submit(phone, "button[formaction='edit#f-lesson-force-field']")
        assert phone.current_url.endswith("#f-lesson-force-field") and _label_in_view(phone, "f-lesson-force")
        type_in(phone, "lesson.force", "gwent")
        submit(phone, "#continue")
        assert "Set to Wales, the nation of Gwent Police" in phone.find_element(By.TAG_NAME, "main").text
        submit(phone, "#preview")
        assert "KS2" in phone.find_element(By.ID, "preview-title").text
        assert phone.find_element(By.CSS_SELECTOR, ".card").size["width"] <= 390
        submit(phone, "#download")
        assert phone.find_element(By.TAG_NAME, "h1").text == "Your pack is ready"
        assert wait_for_zip(tmp_path / "downloads", 2) == []  # no script: the button does it
        click(phone, "#download")
        assert [p.name for p in wait_for_zip(tmp_path / "downloads")] == [
            "hilltop-primary-sextortion-lessons-ks2.zip"]
    finally:
        phone.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_the_force_is_found_by_its_name_and_a_conflict_is_shown(browser, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server)
    box = browser.find_element(By.ID, "f-lesson-force")  # the autocomplete, labelled as the select was
    assert box.get_attribute("role") == "combobox"
    assert browser.find_element(By.CSS_SELECTOR, "label[for='f-lesson-force']").text == "Police force"
    assert "f-lesson-force-hint" in box.get_attribute("aria-describedby")
    for typed, found in (("Thames", "Thames Valley Police"), ("Metropolitan", "Metropolitan Police Service"),
                         ("Hampshire", "Hampshire and Isle of Wight Constabulary")):
        retype(box, typed)
        options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#f-lesson-force__listbox li")]
        assert found in options, (typed, options)
    type_in(browser, "lesson.force", "hampshire")
    click(browser, "#f-ks-ks4")
    type_in(browser, "school.name", "Northside High")
    type_in(browser, "school.nation", "scotland")
    submit(browser, "#continue")
    # Shown, not resolved: the problem is beside the box and its link focuses it.
    box = browser.find_element(By.ID, "f-lesson-force")
    assert box.get_attribute("aria-invalid") == "true"
    assert "f-lesson-force-error" in box.get_attribute("aria-describedby")
    assert box.get_attribute("value") == "Hampshire and Isle of Wight Constabulary"
    click(browser, "#error-summary a[href='#f-lesson-force']")
    assert browser.switch_to.active_element.get_attribute("id") == "f-lesson-force"
    assert _label_in_view(browser, "f-lesson-force")
