"""Screenshots of `lessonpack serve` for the README: the form and a preview.

    python scripts/web_screenshots.py            writes docs/serve-form.png, docs/serve-preview.png

Needs Chromium and chromedriver (Debian: apt-get install chromium chromium-driver) and
selenium (pip install -e '.[test]'). Starts the server on a free localhost port, fills
the form as a DSL would (with one mistake, so the form shows how problems look), then
previews and stops.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.web_helpers import driver, png, start_server  # noqa: E402


def main() -> None:
    from selenium.webdriver.common.by import By

    out = REPO / "docs"
    out.mkdir(exist_ok=True)
    process, url = start_server()
    with tempfile.TemporaryDirectory() as folder:
        browser = driver(Path(folder), width=1100, height=1500)
        try:
            logo = Path(folder) / "logo.png"
            logo.write_bytes(png(160, 80, "#7A1F5C"))
            browser.get(url)
            values = {"school.name": "Riverside Academy", "school.colour": "#7A1F5C",
                      "dsl.name": "Mrs D Lead", "dsl.email": "dsl at riverside",
                      "dsl.phone": "01234 567891", "signatory.name": "Dr H Teacher",
                      "signatory.role": "Headteacher", "lesson.force": "northumbria"}
            for name, value in values.items():
                browser.find_element(By.NAME, name).send_keys(value)
            browser.find_element(By.NAME, "school.logo").send_keys(str(logo))
            browser.find_element(By.CSS_SELECTOR, "#pack-form .actions button[value=preview]").click()
            browser.execute_script("window.scrollTo(0, 0)")
            browser.save_screenshot(str(out / "serve-form.png"))
            email = browser.find_element(By.NAME, "dsl.email")
            email.clear()
            email.send_keys("dsl@riverside.example.sch.uk")
            browser.find_element(By.CSS_SELECTOR, "#pack-form .actions button[value=preview]").click()
            browser.execute_script(
                "document.getElementById('preview-title').scrollIntoView(); window.scrollBy(0, -90)")
            browser.save_screenshot(str(out / "serve-preview.png"))
        finally:
            browser.quit()
            process.terminate()
            process.wait(timeout=10)
    print(f"wrote {out / 'serve-form.png'} and {out / 'serve-preview.png'}")


if __name__ == "__main__":
    main()
