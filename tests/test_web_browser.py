"""The web page in a real browser: Chromium, driven by Selenium, as a DSL would use it.

In CI (CI=true) these tests fail if Chromium or its driver is missing; on a computer
without them they are skipped.
"""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as open_docx
from pptx import Presentation

from lessonpack.pack import PACK_FILES
from tests.web_helpers import CHROMEDRIVER, CHROMIUM, driver, png, start_server


def _need_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        message = f"the browser tests need {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: .ci/run installs chromium and chromium-driver")
        pytest.skip(message)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _need_browser()
    process, url = start_server()
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def browser(server: str, tmp_path: Path):
    chrome = driver(tmp_path)
    yield chrome
    chrome.quit()


def _by_name(driver, name: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.NAME, name)


def _type(driver, name: str, text: str) -> None:
    element = _by_name(driver, name)
    element.clear()
    element.send_keys(text)


def _click(driver, css: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, css).click()


def _submit(driver, css: str) -> None:
    """Press a button that sends the form, and wait for the page that comes back."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, 20).until(expected_conditions.staleness_of(old))


def test_every_field_labelled_and_reached_by_tab(browser, server: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(server)
    assert browser.title.endswith("lessonpack")
    unlabelled = browser.execute_script("""
        return Array.from(document.querySelectorAll('#pack-form input, #pack-form textarea'))
          .filter(e => e.type !== 'hidden' && !e.classList.contains('implicit-submit')
                       && e.labels.length === 0).map(e => e.name);""")
    assert unlabelled == []
    wanted = browser.execute_script("""
        return Array.from(document.querySelectorAll(
          '#pack-form input:not([type=hidden]), #pack-form textarea, #pack-form button'))
          .filter(e => e.tabIndex >= 0).map(e => e.id || e.name + '=' + e.value);""")
    reached: list[str] = []
    # From the top of the page, as a keyboard user arrives.
    for _ in range(150):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.execute_script(
            "const e = document.activeElement; return e.id || e.name + '=' + e.value;")
        reached.append(active)
        if active == "action=preview" and len(reached) > 5:
            break
    missing = [w for w in wanted if w not in reached and not w.startswith("=")]
    assert missing == [] and reached[-1] == "action=preview"
    # The order follows the page: the school's name comes before the force, the force
    # before the key stages.
    assert reached.index("f-school-name") < reached.index("f-lesson-force") < reached.index("f-ks-ks3")


def test_a_dsl_makes_a_pack(browser, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    logo = tmp_path / "logo.png"
    logo.write_bytes(png(120, 60))
    browser.get(server)
    _type(browser, "school.name", "Riverside Academy")
    _type(browser, "school.address", "2 River Lane\nTownsville TS1 1AA")
    _type(browser, "school.colour", "#7A1F5C")
    _by_name(browser, "school.logo").send_keys(str(logo))
    _type(browser, "dsl.name", "Mrs D Lead")
    _type(browser, "dsl.email", "dsl at riverside")  # a mistake, fixed below
    _type(browser, "dsl.phone", "01234 567891")
    _type(browser, "signatory.name", "Dr H Teacher")
    _type(browser, "signatory.role", "Headteacher")
    _type(browser, "lesson.force", "northumbria")
    _click(browser, "#f-ks-ks4")
    rows = len(browser.find_elements(By.CSS_SELECTOR, "[data-route]"))
    _click(browser, "#add-route")  # JavaScript adds the row in place
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-route]")) == rows + 1
    _type(browser, f"route-{rows}-name", "Riverside Youth Hub")
    _type(browser, f"route-{rows}-phone", "01234 000111")
    _submit(browser, "#pack-form .actions button[value=preview]")

    # The mistake is shown beside its field, announced, and focus goes to the summary.
    assert "Error:" in browser.title
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    email = _by_name(browser, "dsl.email")
    assert email.get_attribute("aria-invalid") == "true"
    error = browser.find_element(By.ID, "f-dsl-email-error")
    assert "not an email address" in error.text.lower()
    assert _by_name(browser, f"route-{rows}-name").get_attribute("value") == "Riverside Youth Hub"
    assert _by_name(browser, "school.logo_kept").get_attribute("value")  # the logo is kept
    _type(browser, "dsl.email", "dsl@riverside.example.sch.uk")
    _submit(browser, "#pack-form .actions button[value=preview]")

    # The preview: slides as cards with notes, then each document.
    problems = browser.find_elements(By.ID, "error-summary")
    assert not problems, problems[0].text
    assert browser.switch_to.active_element.get_attribute("id") == "preview-title"
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    assert len(cards) > 10
    ratio = browser.execute_script(
        "const r = document.querySelector('.card').getBoundingClientRect(); return r.width / r.height;")
    assert abs(ratio - 16 / 9) < 0.05
    accent = browser.execute_script(
        "return getComputedStyle(document.querySelector('.card .slide-title')).color;")
    assert accent == "rgb(122, 31, 92)"  # the school's colour, from accent.css
    assert "Riverside Academy" in browser.find_element(By.CSS_SELECTOR, ".slide-footer").text
    files = [e.get_attribute("data-file") for e in browser.find_elements(By.CSS_SELECTOR, ".document")]
    assert files == [n for n in PACK_FILES if n != "manifest.json"]

    # Download, and open what came down.
    _click(browser, ".preview button[formaction=download]")
    downloads = tmp_path / "downloads"
    for _ in range(100):
        done = list(downloads.glob("*.zip")) if downloads.exists() else []
        if done:
            break
        time.sleep(0.1)
    assert [p.name for p in done] == ["lessonpack-ks3-ks4.zip"]
    with zipfile.ZipFile(done[0]) as archive:
        names = set(archive.namelist())
        assert {f"ks4/{n}" for n in PACK_FILES} <= names and "school.toml" in names
        deck = Presentation(io.BytesIO(archive.read("ks4/slides.pptx")))
        letter = open_docx(io.BytesIO(archive.read("ks4/parent-letter.docx")))
        toml = archive.read("school.toml").decode()
    assert any("Riverside Academy" in s.text_frame.text
               for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert "Dr H Teacher" in "\n".join(p.text for p in letter.paragraphs)
    assert 'force = "northumbria"' in toml and "Riverside Youth Hub" in toml
    csp = [e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert csp == []


def test_works_without_javascript_and_on_a_phone(server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    phone = driver(tmp_path, javascript=False)
    try:
        phone.set_window_size(390, 844)
        phone.get(server)
        wide = phone.find_element(By.TAG_NAME, "html").get_property("scrollWidth")
        assert wide <= 390
        rows = len(phone.find_elements(By.CSS_SELECTOR, "[data-route]"))
        _type(phone, "school.name", "Hilltop Primary")
        _submit(phone, "#add-route")  # sends the form, which comes back with one more row
        assert len(phone.find_elements(By.CSS_SELECTOR, "[data-route]")) == rows + 1
        assert _by_name(phone, "school.name").get_attribute("value") == "Hilltop Primary"
        _click(phone, "#f-ks-ks3")  # untick the default: no key stage
        _submit(phone, "#pack-form .actions button[value=preview]")
        assert "Choose at least one key stage" in phone.find_element(By.ID, "error-summary").text
        _click(phone, "#f-ks-ks2")
        _submit(phone, "#pack-form .actions button[value=preview]")
        assert "KS2" in phone.find_element(By.ID, "preview-title").text
        card = phone.find_element(By.CSS_SELECTOR, ".card")
        assert card.size["width"] <= 390
    finally:
        phone.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)
