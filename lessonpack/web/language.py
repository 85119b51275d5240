"""The page's own language: English, or Cymraeg (?lang=cy, then a cookie).

Set once for the whole request (`PageLanguage`, around the app), so that every word the
page says, from a template, words.toml or the code, comes from the same catalogue.
"""

from __future__ import annotations

from contextvars import ContextVar
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from lessonpack.rendering import i18n

PAGE_LANGUAGES = ("en", "cy")
page_language: ContextVar[str] = ContextVar("page_language", default="en")


def gettext(message: str) -> str:
    # The page's own words in Welsh where the catalogue has them; a label still waiting
    # for its translation shows in English (unlike a pack, which is refused).
    catalogue = i18n.catalogue(page_language.get())
    return catalogue.messages.get(message, message) if catalogue else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def localised(item: Any) -> Any:
    """A force or nation from the content, in the page's language (its Welsh name)."""
    from lessonpack.content.translation import localised_item

    language = page_language.get()
    if language == "en" or item is None:
        return item
    try:
        return localised_item(item, language)
    except Exception:  # noqa: BLE001 - a name in English is better than no page
        return item


def localised_text(item: Any, attr: str = "name") -> str:
    """An item's `attr` in the page's language: its Welsh from the content, else the
    catalogue's (a nation's name), else as written."""
    english = str(getattr(item, attr))
    language = page_language.get()
    if language == "en":
        return english
    # Read from the item's own Welsh: localising the whole item would validate it again
    # (half a second for the forty-odd forces on one page).
    given = getattr(item, language, None) or {}
    found = given.get(attr) if isinstance(given, dict) else None
    return found if isinstance(found, str) and found else gettext(english)


def of_scope(scope: Scope) -> str:
    """?lang=cy or ?lang=en, else the visitor's earlier choice (a cookie), else English."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    asked = query.get("lang", [None])[-1]
    if asked in PAGE_LANGUAGES:
        return str(asked)
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie is no choice
                continue
            if "lang" in cookie and cookie["lang"].value in PAGE_LANGUAGES:
                return cookie["lang"].value
    return "en"


class PageLanguage:
    """Sets the page's language for everything the request runs, error pages included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = page_language.set(of_scope(scope))
        # The catalogue is read once, into the library's cache, not once per string.
        library = getattr(scope["app"].state, "library", None) if "app" in scope else None
        try:
            if library is None:
                await self.app(scope, receive, send)
            else:
                with library.cache.active():
                    await self.app(scope, receive, send)
        finally:
            page_language.reset(token)
