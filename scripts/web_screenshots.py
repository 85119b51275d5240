"""Screenshots of `lessonpack serve` for docs/web.md: each page of the short path.

    python scripts/web_screenshots.py     writes docs/serve-form.png, serve-errors.png,
                                          serve-check.png, serve-preview.png, serve-done.png

Needs Chromium and chromedriver (Debian: apt-get install chromium chromium-driver) and
selenium (pip install -e '.[test]'). Starts the server on a free localhost port, fills
the form as a DSL would (with one mistake, so the form shows how problems look), checks
the answers, previews, downloads, and stops.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.web_helpers import click, driver, running, submit, type_in  # noqa: E402


def main() -> None:
    out = REPO / "docs"
    out.mkdir(exist_ok=True)
    shots = []

    with running() as url, tempfile.TemporaryDirectory() as folder:
        browser = driver(Path(folder), width=1100, height=1300)

        def shot(name: str, top: str | None = None) -> None:
            script = (f"document.getElementById('{top}').scrollIntoView(); window.scrollBy(0, -20)"
                      if top else "window.scrollTo(0, 0)")
            browser.execute_script(script)
            browser.save_screenshot(str(out / f"serve-{name}.png"))
            shots.append(f"docs/serve-{name}.png")

        try:
            browser.get(url)
            shot("form")
            click(browser, "#f-ks-ks3")
            type_in(browser, "lesson.force", "northumbria")
            type_in(browser, "school.name", "Riverside Academy")
            type_in(browser, "dsl.name", "Mrs D Lead")
            type_in(browser, "dsl.email", "dsl at riverside")
            type_in(browser, "dsl.phone", "01234 567891")
            submit(browser, "#continue")
            shot("errors")
            type_in(browser, "dsl.email", "dsl@riverside.example.sch.uk")
            browser.execute_script("document.getElementById('letterhead').open = true")
            type_in(browser, "school.colour", "#FFFF99")
            submit(browser, "#continue")
            shot("check")
            submit(browser, "#preview")
            shot("preview", "preview-title")
            submit(browser, "#download")
            shot("done")
        finally:
            browser.quit()
    print("wrote " + ", ".join(shots))


if __name__ == "__main__":
    main()
