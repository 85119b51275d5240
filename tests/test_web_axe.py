"""Every page of the web page checked by axe-core in Chromium (WCAG 2.1 A and AA, and
best practice) at desktop and phone sizes, and what printing the preview gives.

axe-core comes from npm: `.ci/run` installs it into tests/.axe (LESSONPACK_AXE may name
another axe.min.js). In CI (CI=true) these tests fail without it; elsewhere they skip.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web_helpers import click, driver, need_browser, running, submit, type_in

AXE = Path(os.environ.get("LESSONPACK_AXE")
           or Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SIZES = {"desktop": (1200, 900), "phone": (390, 844)}


def _need_axe() -> None:
    need_browser()
    if not AXE.exists():
        message = f"axe-core is not at {AXE}: npm install --prefix tests/.axe axe-core"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (.ci/run does this)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _need_axe()
    with running() as url:
        yield url


@pytest.fixture(scope="module", params=list(SIZES))
def browser(request, server: str, tmp_path_factory):
    chrome = driver(tmp_path_factory.mktemp(request.param))
    chrome.set_window_size(*SIZES[request.param])
    yield chrome
    chrome.quit()


def violations(browser) -> list[str]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(120)
    found = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
          .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' at '
                                           + v.nodes.map(n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));""", RULES)
    return found


def _to_check_page(browser, server: str) -> None:
    browser.get(server)
    click(browser, "#f-ks-ks3")
    type_in(browser, "lesson.force", "gwent")
    type_in(browser, "school.name", "Riverside Academy")
    type_in(browser, "dsl.name", "Mrs D Lead")
    submit(browser, "#continue")


def test_the_form_fresh_and_with_problems(browser, server: str) -> None:
    browser.get(server)
    assert violations(browser) == []
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert violations(browser) == []
    type_in(browser, "dsl.email", "not an email")
    type_in(browser, "route-0-name", "A route with no contact")
    submit(browser, "#continue")
    assert browser.find_elements("id", "error-summary")
    assert violations(browser) == []


def test_check_preview_and_confirmation(browser, server: str) -> None:
    _to_check_page(browser, server)
    assert browser.find_element("tag name", "h1").text == "Check your answers before you download"
    assert violations(browser) == []
    submit(browser, "#preview")
    assert violations(browser) == []
    submit(browser, "#download")
    assert browser.find_element("tag name", "h1").text == "Your pack is ready"
    assert violations(browser) == []


def test_an_error_page(browser, server: str) -> None:
    browser.get(server + "nowhere")
    assert violations(browser) == []


def test_printing_the_preview_prints_the_pack_only(browser, server: str) -> None:
    from pypdf import PdfReader

    _to_check_page(browser, server)
    submit(browser, "#preview")
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    pages = PdfReader(io.BytesIO(base64.b64decode(pdf["data"]))).pages
    first = pages[0].extract_text()
    for furniture in ("Download the pack", "Back to your answers", "lessonpack", "Exactly the words"):
        assert furniture not in first, furniture
    assert "Riverside Academy" in first  # the title slide
    everything = " ".join(p.extract_text() for p in pages)
    assert "Download the pack" not in everything and "This page keeps nothing" not in everything
