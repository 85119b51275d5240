"""Every word the web page shows is in the catalogue: a Welsh page (?lang=cy) has no
English sentence left on it, on the form, "check your answers", the preview and the
download page, and an English page reads as it did."""

from __future__ import annotations

import re
import string
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from lessonpack.library import Library
from lessonpack.pack import pack_files
from lessonpack.rendering import i18n
from lessonpack.web.app import Config, create_app
from tests.test_web_welsh_messages import STOP_WORDS, WELSH

TestClient = pytest.importorskip("starlette.testclient").TestClient
TEMPLATES = Path(__file__).resolve().parent.parent / "lessonpack" / "web" / "templates"
ENV = jinja2.Environment(extensions=["jinja2.ext.i18n"])
ENV.newstyle_gettext = True  # type: ignore[attr-defined]

# Words of the page's own sentences that Welsh never uses (STOP_WORDS, the messages'
# list, plus more of the form's own).
PAGE_STOP_WORDS = STOP_WORDS | {"you", "what", "this", "that", "add", "change", "none", "yes",
                                "download", "preview", "given", "who", "by", "as",
                                "on", "if", "lesson", "school", "address", "website", "role"}
# What is not a sentence to translate: web links, email addresses, file names and commands
# (school.toml, ks3/lesson-plan.docx, lessonpack generate --school ...).
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|[\w/.-]+\.(?:toml|docx|pptx|json|zip|png)\b"
                       r"|lessonpack generate --school")


def english_words(text: str, allowed: set[str]) -> list[str]:
    for name in allowed:
        text = text.replace(name, " ")
    text = NOT_WORDS.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in PAGE_STOP_WORDS]


# --- the templates: every word marked -------------------------------------------------

MARKED = re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S)
TAGS = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")
GETTEXT = {"_", "gettext", "ngettext"}


def unmarked_html(source: str) -> list[str]:
    """The words of a template's own HTML (text, and the attributes a reader hears)
    outside {% trans %}; an element that names its own language (lang="cy" on the
    "Cymraeg" link) says it is not the page's."""
    bare = TAGS.sub(" ", MARKED.sub(" ", source))
    root = html.document_fromstring(f"<html><body>{bare}</body></html>")
    own = "not(ancestor-or-self::*[@lang][not(self::html)])"
    found = root.xpath(f"//body//text()[{own} and not(ancestor::script or ancestor::style)]")
    found += root.xpath(f"//*[{own}]/@*[name()='alt' or name()='title' or name()='aria-label'"
                        " or name()='placeholder' or (name()='label' and ../self::optgroup)]")
    # The product's own name is not a word to translate, nor an attribute a macro writes.
    texts = (" ".join(t.replace("lessonpack", " ").split()) for t in found if '="' not in t)
    return [t for t in texts if WORD.search(t)]


def looks_like_words(value: str) -> bool:
    """A string literal a reader sees: words with a space, or a capitalised word; not a
    name, an id, a file or an attribute list."""
    if '="' in value or not WORD.search(value):
        return False
    return " " in value.strip() or value[:1].isupper()


def unmarked_literals(source: str) -> list[str]:
    """String literals outside _() that look like words: a label or hint passed to a
    macro, an option in a list, a value in a dict."""
    found: list[str] = []

    def walk(node: jinja2.nodes.Node, marked: bool) -> None:
        if isinstance(node, jinja2.nodes.Call) and isinstance(node.node, jinja2.nodes.Name):
            marked = marked or node.node.name in GETTEXT
        if isinstance(node, jinja2.nodes.Const) and isinstance(node.value, str) \
                and not marked and looks_like_words(node.value):
            found.append(node.value)
        for child in node.iter_child_nodes():
            walk(child, marked)

    walk(ENV.parse(source), False)
    return found


def test_the_checks_find_unmarked_words():
    # The two checks below, on a template with one of each kind of unmarked word.
    source = ('<p>Choose one</p><img alt="A logo"><p>{% trans %}Fine{% endtrans %}</p>'
              '<a lang="cy">Cymraeg</a>{{ input(state, "school.name", "School name", '
              '_("Marked"), type="text", attrs=\'min="20"\') }}')
    assert unmarked_html(source) == ["Choose one", "A logo"]
    assert unmarked_literals(source) == ["School name"]


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_every_word_of_a_web_template_is_marked_for_translation(name: str):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    assert unmarked_html(source) == []
    assert unmarked_literals(source) == []


def test_every_web_template_string_is_in_the_welsh_catalogue():
    found = {m if isinstance(m, str) else m[0] for path in TEMPLATES.glob("*.html")
             for _, _, m in ENV.extract_translations(path.read_text(encoding="utf-8")) if m}
    catalogue = i18n.catalogue("cy")
    assert catalogue is not None and len(found) > 150
    assert found <= set(catalogue.messages), sorted(found - set(catalogue.messages))[:5]
    # Every one still waits for a fluent speaker: none is marked reviewed by a machine.
    assert found <= catalogue.unreviewed


# --- the pages, rendered --------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Config(jobs=1, rate=0, total=0)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def english_names() -> set[str]:
    """Forces with no Welsh name keep their own (Avon and Somerset Police)."""
    return {f.name for f in Library.load().content.forces if not (f.cy or {}).get("name")}


FORM = {**WELSH, "lesson.key_stages": ["ks3", "ks4"], "school.language": "cy",
        "deputy_dsl.name": "Mr C Dirprwy", "route-count": "1", "route-0-name": "Gwasanaethau Plant",
        "route-0-phone": "01234 000000"}
PAGES = {
    "form": ("get", "/", None),
    "form with problems": ("post", "/check", {**FORM, "school.name": "", "dsl.email": "x"}),
    "check your answers": ("post", "/check", FORM),
    "preview of a Welsh pack": ("post", "/preview", FORM),
    "preview of an English pack": ("post", "/preview", {**FORM, "school.language": ""}),
    "preview of a bilingual pack": ("post", "/preview", {**FORM, "school.language": "en+cy"}),
    "download page": ("post", "/done", FORM),
    "download page, both languages": ("post", "/done", {**FORM, "school.language": "en+cy"}),
}


def shown_text(root: html.HtmlElement) -> list[str]:
    """What a visitor reads or hears, less the documents of a preview (the pack's own
    words, in the pack's language) and what names its own language."""
    for document in root.find_class("document"):
        for child in list(document)[1:]:  # all but its heading
            document.remove(child)
    for element in root.xpath("//script | //style | //body//*[@lang]"):
        element.drop_tree()
    texts = root.xpath("//title//text() | //body//text()")
    texts += root.xpath("//@alt | //@title | //@aria-label | //@placeholder | //optgroup/@label"
                        " | //@data-legend | //@data-remove")
    return [" ".join(t.split()) for t in texts if t.strip()]


@pytest.mark.parametrize("page", list(PAGES))
def test_a_welsh_page_has_no_english_sentence(client, english_names, page: str):
    method, url, data = PAGES[page]
    r = client.get(url + "?lang=cy") if method == "get" else client.post(url + "?lang=cy", data=data)
    assert r.status_code == (400 if "problems" in page else 200)
    root = html.fromstring(r.text)
    assert root.get("lang") == "cy"
    texts = shown_text(root)
    assert len(texts) > 20
    english = [(t, english_words(t, english_names)) for t in texts if english_words(t, english_names)]
    assert english == []


def test_the_welsh_form_names_its_key_stages_forces_and_nations_in_welsh(client):
    root = html.fromstring(client.get("/?lang=cy").text)
    ks3 = root.xpath("//label[@for='f-ks-ks3']")[0].text_content()
    assert " ".join(ks3.split()) == "Cyfnod Allweddol 3 (Blynyddoedd 7 i 9, 11 i 14 oed)"
    forces = root.get_element_by_id("f-lesson-force")
    assert [g.get("label") for g in forces.iter("optgroup")] == \
        ["Lloegr", "Cymru", "Yr Alban", "Gogledd Iwerddon"]
    wales = [o.text for o in forces.xpath("optgroup[@label='Cymru']/option")]
    assert wales == ["Heddlu Dyfed-Powys", "Heddlu Gwent", "Heddlu Gogledd Cymru", "Heddlu De Cymru"]
    languages = [o.text for o in root.get_element_by_id("f-school-language").iter("option")]
    assert languages == ["Saesneg", "Cymraeg", "Y ddwy: Cymraeg a Saesneg"]


def test_the_welsh_check_page_says_each_answer_in_welsh(client):
    root = html.fromstring(client.post("/check?lang=cy", data=FORM).text)
    rows = {" ".join(r.xpath("string(dt)").split()): " ".join(" ".join(r.xpath("dd[1]//text()")).split())
            for r in root.find_class("summary-row")}
    assert rows["Cyfnodau allweddol"] == "Cyfnod Allweddol 3 Cyfnod Allweddol 4"
    assert rows["Heddlu"] == "Heddlu De Cymru"
    assert rows["Gwlad"] == "Cymru"
    assert rows["Hyd y wers"] == "50 munud"
    assert rows["Print bras"] == "Na"
    assert rows["Llwybr help 1"].startswith("Gwasanaethau Plant Ar gyfer: unrhyw un")
    changes = [" ".join(b.text_content().split()) for b in root.xpath("//dd[@class='change']/button")]
    assert changes and all(c.startswith("Newid ") for c in changes)


def test_an_english_page_stays_english(client):
    form = html.fromstring(client.get("/?lang=en").text)
    assert form.get("lang") == "en-GB"
    text = " ".join(form.text_content().split())
    for words in ("Choose one or more: each gets its own pack.", "Key Stage 3 (Years 7 to 9, ages 11 to 14)",
                  "Made a pack before? Load your school.toml", "None: national contacts only",
                  "South Wales Police", "Lesson length in minutes"):
        assert words in text
    check = html.fromstring(client.post("/check?lang=en", data=FORM).text)
    rows = [" ".join(r.text_content().split()) for r in check.find_class("summary-row")]
    assert "Lesson length 50 minutes Change the lesson length" in rows
    assert "Nation Wales Change the nation" in rows


TYPED = string.ascii_letters + " <>&\"'%{}()ŵŷ"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=TYPED, min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_typed_words_inside_a_welsh_sentence_are_shown_as_typed(client, audience: str):
    # "Ar gyfer: %(audience)s" puts what was typed into a translated sentence: a percent
    # sign or brace in it is not a placeholder, and markup in it is text.
    r = client.post("/check?lang=cy", data={**FORM, "route-0-audience": audience})
    assert r.status_code == 200
    row = html.fromstring(r.text).xpath("//div[@class='summary-row'][dt='Llwybr help 1']/dd[1]")[0]
    assert row.xpath(".//script | .//b | .//i") == []
    assert f"Ar gyfer: {' '.join(audience.split())}" in " ".join(row.text_content().split())


def test_a_welsh_page_reads_the_catalogue_once_not_once_per_string(monkeypatch):
    # Each string of a Welsh page asks the catalogue for its Welsh: with no cache active,
    # every one re-read the .po file (over a second for the form). The library's cache is
    # active for the request, so the file is read once for all the pages below.
    from babel.messages import pofile

    reads = []
    real = pofile.read_po
    monkeypatch.setattr(pofile, "read_po", lambda *a, **k: reads.append(1) or real(*a, **k))
    with TestClient(create_app(Config(jobs=1, rate=0, total=0))) as fresh:
        for _ in range(3):
            assert fresh.get("/?lang=cy").status_code == 200
            assert fresh.post("/check?lang=cy", data=FORM).status_code == 200
    assert len(reads) == 1


@pytest.mark.parametrize("page_lang", ["en", "cy"])
def test_the_preview_of_a_pack_in_both_languages_shows_every_file_of_its_zip(client, page_lang: str):
    # It was a 500 page: the preview asked for an "en+cy" catalogue.
    r = client.post(f"/preview?lang={page_lang}", data={**FORM, "school.language": "en+cy"})
    assert r.status_code == 200
    root = html.fromstring(r.text)
    shown = [d.get("data-file") for d in root.find_class("document")]
    assert shown == [n for n in pack_files("en+cy") if n != "manifest.json"]
    titles = {d.get("data-file"): " ".join(d.find("h3").text_content().split())
              for d in root.find_class("document")}
    if page_lang == "cy":
        assert titles["slides.cy.pptx"] == "Sleidiau yn Gymraeg (slides.cy.pptx)"
        assert titles["parent-letter.docx"] == \
            "Llythyr at rieni a gofalwyr yn Gymraeg ac yn Saesneg (parent-letter.docx)"
    else:
        assert titles["card-sort.cy.docx"] == "Myth or fact cards in Welsh (card-sort.cy.docx)"
        assert titles["support-card.docx"] == "Support card in Welsh and English (support-card.docx)"
    # The bilingual letter is Welsh first, then English, as in the file.
    letter = root.xpath("//section[@data-file='parent-letter.docx']")[0].text_content()
    assert "Annwyl" in letter and "Dear" in letter and letter.index("Annwyl") < letter.index("Dear")


@pytest.mark.parametrize("language", ["", "cy", "en+cy"])
def test_the_download_page_says_what_every_file_of_the_zip_is(client, language: str):
    for page_lang in ("en", "cy"):
        r = client.post(f"/done?lang={page_lang}", data={**FORM, "school.language": language})
        items = html.fromstring(r.text).xpath("//ul[@class='zip-files']//li[code]")
        described = {i.findtext("code"): " ".join(i.text_content().split()).split(": ", 1)[1] for i in items}
        wanted = [f"{ks}/{n}" for ks in ("ks3", "ks4") for n in pack_files(language or "en")]
        assert sorted(described) == sorted([*wanted, "school.toml"])
        assert all(len(what.split()) >= 2 for what in described.values()), described


def test_the_manual_gives_the_catalogue_as_it_is():
    catalogue = i18n.catalogue("cy")
    assert catalogue is not None
    total, reviewed = len(catalogue.messages), len(catalogue.messages) - len(catalogue.unreviewed)
    root = TEMPLATES.parent.parent.parent
    welsh = (root / "docs" / "welsh.md").read_text(encoding="utf-8")
    assert f"| `lessonpack/locale/cy/LC_MESSAGES/messages.po` | {total} | {total} | {reviewed} |" in welsh
    assert f"gettext catalogue ({total} strings" in (root / "README.md").read_text(encoding="utf-8")


# --- a school.toml, loaded and saved on a Welsh page ------------------------------------


@pytest.mark.parametrize(("text", "welsh"), [
    ("[school\nname = 'Ysgol'\n", "mae problem ar linell 1, colofn 8"),
    ("[school]\nname = ", "mae’n dod i ben cyn i osodiad gael ei gwblhau"),
])
def test_a_school_toml_that_is_not_toml_is_refused_in_welsh(client, text: str, welsh: str):
    r = client.post("/load?lang=cy", files={"school_toml": ("school.toml", text.encode(), "text/plain")})
    assert r.status_code == 400
    error = " ".join(html.fromstring(r.text).get_element_by_id("f-school_toml-error").text_content().split())
    assert error == f"Gwall: Nid yw’r ffeil yn TOML dilys: {welsh}."
    upload = {"school_toml": ("school.toml", text.encode(), "text/plain")}
    english = client.post("/load?lang=en", files=upload)
    # The English page still quotes the parser, which says what it expected.
    assert "The file is not valid TOML: " in english.text and "(at " in english.text


def test_an_unknown_setting_is_named_in_the_pages_language(client):
    text = b"[school]\nname = 'Ysgol Bro Taf'\nnme = 'x'\n[lesson]\nkey_stages = ['ks3']\nfavourite = 1\n"
    notices = {}
    for page_lang in ("cy", "en"):
        r = client.post(f"/load?lang={page_lang}", files={"school_toml": ("school.toml", text, "text/plain")})
        assert r.status_code == 200
        notices[page_lang] = [" ".join(li.text_content().split())
                              for li in html.fromstring(r.text).xpath("//div[@class='notice']//li")]
    assert "Nid yw “school.nme” (llinell 3) yn osodiad: ai “school.name” oedd gennych chi mewn " \
           "golwg? Cafodd ei adael allan." in notices["cy"]
    assert "Nid yw “lesson.favourite” (llinell 6) yn osodiad; cafodd ei adael allan." in notices["cy"]
    assert "“school.nme” (line 3) is not a setting: did you mean “school.name”? It was left out." \
        in notices["en"]
    keys = {"school.nme", "school.name", "lesson.favourite"}  # the file's own words
    assert all(english_words(n, keys) == [] for n in notices["cy"])


def test_the_school_toml_saved_from_a_welsh_page_speaks_welsh_and_loads_back(client):
    import io
    import tomllib
    import zipfile

    r = client.post("/download?lang=cy", data=FORM)
    assert r.status_code == 200
    text = zipfile.ZipFile(io.BytesIO(r.content)).read("school.toml").decode()
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments == ["# school.toml: gosodiadau eich ysgol ar gyfer lessonpack, "
                        "wedi’u cadw o’i dudalen we.",
                        "# Defnyddiwch hi gyda: lessonpack generate --school school.toml",
                        "# neu llwythwch hi yn ôl i’r dudalen we i’w newid."]
    assert tomllib.loads(text)["school"]["name"] == "Ysgol Gymraeg Bro Taf"
    loaded = client.post("/load?lang=cy", files={"school_toml": ("school.toml", text.encode(), "text/plain")})
    assert loaded.status_code == 200
    name = html.fromstring(loaded.text).get_element_by_id("f-school-name")
    assert name.get("value") == "Ysgol Gymraeg Bro Taf"
