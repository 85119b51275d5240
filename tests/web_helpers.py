"""What the web tests share: a DSL's form, images good and bad, and reading a zip."""

from __future__ import annotations

import contextlib
import io
import socket
import struct
import subprocess
import sys
import urllib.request
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from tests.helpers import poll

# The form as a DSL fills it in.
DSL_FORM = {
    "school.name": "St Mary's *C of E* Academy",
    "school.address": "1 High Street\nExampletown EX1 1AA",
    "school.urn": "123456",
    "school.website": "https://stmarys.example.sch.uk",
    "school.colour": "#1D4F91",
    "dsl.name": "Ms A Example",
    "dsl.role": "Designated Safeguarding Lead",
    "dsl.email": "dsl@stmarys.example.sch.uk",
    "dsl.phone": "01234 567890",
    "deputy_dsl.name": "Mr C Deputy",
    "signatory.name": "Mr B Head",
    "signatory.role": "Headteacher",
    "lesson.force": "hampshire",
    "lesson.key_stages": ["ks3", "ks4"],
    "lesson.minutes": "50",
    "route-count": "2",
    "route-0-name": "Exampleshire Children's Services",
    "route-0-audience": "anyone worried about a child",
    "route-0-phone": "01234 000000",
    "route-0-website": "https://example.gov.uk/safeguarding",
}


def png(width: int = 40, height: int = 20, colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(out, "JPEG")
    return out.getvalue()


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims billions of pixels: decoding it would eat the memory."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(b"\0" * (1 + width // 8) * 64, 9)  # a few rows of zeros
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return archive.namelist()


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*options: str, limited: bool = False) -> tuple[subprocess.Popen, str]:
    """`lessonpack serve` on a free localhost port, once it answers; the caller stops it.

    Its rate limits are off unless `limited` (then they are the defaults, or `options`')."""
    port = free_port()
    limits = [] if limited else ["--rate-limit", "0", "--total-limit", "0"]
    command = [sys.executable, "-c", "from lessonpack.commands.cli import main; main()", "serve",
               "--port", str(port), "--no-browser", "--workers", "1", *limits, *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(url + "health", timeout=1) as response:
                return response.read() == b"ok"
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {process.stdout.read().decode()}") from None
            return False

    if poll(healthy, 20, every=0.1):
        return process, url
    process.terminate()
    raise RuntimeError("the server did not start in 20 s")


def driver(folder: Path, javascript: bool = True, width: int = 1200, height: int = 900):
    """Headless Chromium with a fresh profile in `folder`, downloads into folder/downloads."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={folder / 'profile'}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    prefs = {"download.default_directory": str(folder / "downloads"),
             "download.prompt_for_download": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.implicitly_wait(5)
    return browser


def need_browser() -> None:
    """Skip without Chromium on a computer; fail in CI (CI=true), where .ci/run installs it."""
    import os

    import pytest

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


def by_name(browser, name: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.NAME, name)


def type_in(browser, name: str, text: str) -> None:
    element = by_name(browser, name)
    if element.tag_name == "select" and not element.is_displayed():
        choose_in_autocomplete(browser, element, text)
        return
    if element.tag_name == "select":
        from selenium.webdriver.support.ui import Select

        Select(element).select_by_value(text)
        return
    element.clear()
    element.send_keys(text)


def retype(box, text: str) -> None:
    """Replace a box's text with keys, as a person does: a script's clear() sends no input
    event, so an autocomplete would still search for the old text."""
    from selenium.webdriver.common.keys import Keys

    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)


def choose_in_autocomplete(browser, select, value: str) -> None:
    """With scripts on, a <select> is an autocomplete: type the start of the option's name
    and pick it from the list, as a visitor does."""
    from selenium.webdriver.common.by import By

    name = browser.execute_script("return Array.from(arguments[0].options)"
                                  ".find(o => o.value === arguments[1]).textContent", select, value)
    box = browser.find_element(By.ID, select.get_attribute("id").removesuffix("-select"))
    retype(box, name[:6])
    listed = f"#{box.get_attribute('id')}__listbox li"
    found = poll(lambda: [o for o in browser.find_elements(By.CSS_SELECTOR, listed) if o.text == name], 5)
    if found:
        found[0].click()
    assert select.get_attribute("value") == value, (name, select.get_attribute("value"))


def click(browser, css: str) -> None:
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, css).click()


def submit(browser, css: str) -> None:
    """Press a button that sends the form, and wait for the page that comes back."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    try:
        browser.find_element(By.CSS_SELECTOR, css).click()
    except WebDriverException as exc:
        # chromedriver may lose the button when the page it sent is replaced while it is
        # still reporting the click: the click happened, and the wait below says so.
        if "does not belong to the document" not in str(exc):
            raise
    def replaced(_) -> bool:
        try:
            return expected_conditions.staleness_of(old)(browser)
        except WebDriverException as exc:  # the same loss, reported while it asks
            if "does not belong to the document" in str(exc):
                return True
            raise

    WebDriverWait(browser, 20).until(replaced)


def open_details(browser) -> None:
    """Open every optional section, as a DSL filling them in would."""
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")


def wait_for_zip(folder: Path, seconds: float = 20) -> list[Path]:
    """The zips downloaded into `folder`, once there are any; [] if none come in time."""
    return poll(lambda: list(folder.glob("*.zip")) if folder.exists() else None, seconds) or []


@contextlib.contextmanager
def running(*options: str, limited: bool = False) -> Iterator[str]:
    """`lessonpack serve` for the length of a `with` block: its address."""
    process, url = start_server(*options, limited=limited)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
