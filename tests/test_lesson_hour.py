"""The hour as a PSHE lead checks it: few, long steps; the safeguarding end kept whole; a
shorter lesson really shorter; each nation's own words; the letter's items; the cases no
more than their articles say. Every check reads the generated files back."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from docx import Document

from tests.conftest import SourceDocuments
from tests.test_lesson import _pack, paragraphs, plan_table, slides, text

KEY_STAGES = ("ks2", "ks3", "ks4", "ks5")
# What the manual's steps tables (docs/pack.md) promise, written out here rather than read from the code.
STEPS = {"ks2": 8, "ks3": 8, "ks4": 9, "ks5": 9}
HELP_AND_CLOSE = {"ks2": 10, "ks3": 9, "ks4": 9, "ks5": 11}
END = ("Where to get help", "Looking back, exit ticket and close")
# The force decides the nation; None is England.
NATIONS = {None: "england", "south-wales": "wales", "police-scotland": "scotland", "psni": "northern-ireland"}
ROLE = {"england": "designated safeguarding lead", "wales": "designated safeguarding person",
        "scotland": "child protection coordinator",
        "northern-ireland": "designated teacher for child protection"}
DOCUMENTS = ("slides.pptx", "worksheet.docx", "worksheet-answers.docx", "lesson-plan.docx",
             "parent-letter.docx", "support-card.docx")
LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def steps_table(files: dict) -> list[list[str]]:
    return plan_table(files, "Minutes")[1:-1]


@pytest.mark.parametrize("ks", KEY_STAGES)
@pytest.mark.parametrize("minutes", [60, 50, 45])
def test_few_long_steps_and_the_safeguarding_end_kept_whole(ks, minutes):
    rows = steps_table(_pack(ks, None, minutes))
    assert len(rows) == STEPS[ks] - (minutes < 60)
    by_title = {r[0].split(". ", 1)[1]: int(r[1]) for r in rows}
    assert [r[0].split(". ", 1)[1] for r in rows[-2:]] == list(END)
    assert sum(by_title[t] for t in END) == HELP_AND_CLOSE[ks] >= 8
    if minutes == 60:
        assert min(by_title.values()) >= 4, "every step long enough to do properly"


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_the_deck_notes_time_each_step_once_as_the_plan_does(ks):
    files = _pack(ks, None)
    plan = {int(r[0].split(".")[0]): int(r[1]) for r in steps_table(files)}
    heads = {}
    deck = slides(files)
    for slide in deck[:next(i for i, s in enumerate(deck) if s["title"].startswith("Extension"))]:
        match = re.match(r"Step (\d+) of (\d+): .+?[.?] (\d+) minutes?\.$", slide["notes"].splitlines()[0])
        if match:
            assert int(match.group(2)) == len(plan)
            heads[int(match.group(1))] = int(match.group(3))
    assert heads == plan


@pytest.mark.parametrize("ks", KEY_STAGES)
@pytest.mark.parametrize("force", list(NATIONS))
def test_the_role_is_the_nations_in_every_document(ks, force):
    nation = NATIONS[force]
    files = _pack(ks, force)
    for name in DOCUMENTS:
        words = text(files, name).lower()
        if nation != "england":
            assert "safeguarding lead" not in words, (name, nation)
    plan = text(files, "lesson-plan.docx").lower()
    assert ROLE[nation] in plan
    assert ROLE[nation] in text(files, "slides.pptx").lower()


@pytest.mark.parametrize("ks", KEY_STAGES)
@pytest.mark.parametrize("force", ["south-wales", "police-scotland"])
def test_wales_and_scotland_never_say_key_stage(ks, force):
    files = _pack(ks, force)
    for name in DOCUMENTS:
        found = re.findall(r"\bKS[2-5]\b|Key Stage", text(files, name))
        assert not found, (name, found)


@pytest.mark.parametrize("ks", KEY_STAGES)
@pytest.mark.parametrize("force", list(NATIONS))
def test_the_plan_names_the_stage_once_with_its_ages(ks, force):
    first = next(p for p in paragraphs(_pack(ks, force), "lesson-plan.docx") if " · " in p and "ages" in p)
    stage = first.split(" (", 1)[0]
    assert stage not in first.split(" (", 1)[1], first
    if ks == "ks2":
        assert "ages 9 to 11" in first


def test_breathing_space_says_16_and_over_on_the_scottish_slides():
    deck = text(_pack("ks4", "police-scotland"), "slides.pptx")
    assert "Breathing Space (16 and over):" in deck


def _answer(files: dict, question: str) -> str:
    plan = [p for p in paragraphs(files, "lesson-plan.docx") if p.strip()]
    return plan[plan.index(question) + 1]


def test_ks5_answers_hard_questions_for_adults():
    files = _pack("ks5", None)
    assert "18 or over" in _answer(files, "Can you tell my parents?")
    paid = "What if I have already paid, by bank transfer or another way?"
    assert "payment details" in _answer(files, paid)
    assert "Tell the designated safeguarding lead" in _answer(files, "What if I shared someone else's image?")
    ks4 = _pack("ks4", None)
    assert "18 or over" not in _answer(ks4, "Can you tell my parents?")
    assert _answer(ks4, "What if I shared someone else's image?")


@pytest.mark.parametrize("ks", KEY_STAGES)
@pytest.mark.parametrize("force", list(NATIONS))
def test_every_letter_has_the_dont_view_rule_a_crisis_line_and_the_date(ks, force):
    files = _pack(ks, force)
    letter = paragraphs(files, "parent-letter.docx")
    items = [p for p in letter if re.match(r"(\d+\.\t)?Don't delete evidence", p)]
    assert len(items) == 1 and "Never view, screenshot, save, forward or share the picture" in items[0]
    assert "or ask your child to show it to you" in items[0]
    doc_text = "\n".join(letter)
    assert "Samaritans" in doc_text and "116 123" in doc_text
    assert re.search(r"On \d{1,2} [A-Z][a-z]+ 20\d\d, your child's class", doc_text)


@pytest.mark.parametrize(("force", "fraud"), [(None, "Report Fraud"),
                                              ("police-scotland", "Police Scotland")])
def test_the_ks5_letter_lists_the_adult_routes_it_names(force, fraud):
    letter = text(_pack("ks5", force), "parent-letter.docx")
    lines = letter.splitlines()
    start = next(i for i, p in enumerate(lines) if p.startswith("Some students are adults."))
    adults = lines[start + 1:start + 4]
    assert [p.split(":")[0] for p in adults] == ["StopNCII.org", "Revenge Porn Helpline", fraud]


def test_ks2_has_no_case_with_a_sexual_demand():
    deck = text(_pack("ks2", None), "slides.pptx")
    assert "A teenager asked for money" in deck
    assert "A boy threatened by someone his own age" not in deck
    assert "what she wanted" not in deck.lower() and "what did she want" not in deck.lower()


@pytest.mark.parametrize("ks", ["ks3", "ks4", "ks5"])
def test_extension_slides_have_notes_to_teach_from(ks):
    deck = slides(_pack(ks, None))
    start = next(i for i, s in enumerate(deck) if s["title"].startswith("Extension"))
    for slide in deck[start + 1:]:
        body = slide["notes"].split("\n", 1)[1]
        assert "then move on" not in body
        assert len(re.findall(r"[.?!)](\s|$)", body)) >= 2, slide["title"]


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_exit_tickets_are_collected_without_names_and_tallied(ks):
    files = _pack(ks, None)
    ticket = next(s for s in slides(files) if s["title"] == "Exit ticket")
    assert "no names" in " ".join(ticket["paragraphs"]).lower()
    assert "What the class said" in ticket["notes"]
    assert "What the class said" in paragraphs(files, "lesson-plan.docx")
    doc = Document(io.BytesIO(files["lesson-plan.docx"]))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Statement (answer)")
    statements = [s for s in yaml.safe_load((LESSONS / "activities.yaml").read_text())["baseline"]
                  if ks in s["key_stages"]]
    assert len(table.rows) == len(statements) + 1
    assert all(c.text == "" for row in table.rows[1:] for c in row.cells[1:])


# The real cases against their articles ---------------------------------------------------

STOP = frozenset(re.findall(r"\S+", (
    "a an the and or but of to in on at by for with from as is was were be been are it its he "
    "she him her his they them their this that these those who which what when where why how "
    "not no did do does had has have if then than there so too very also just only some any all "
    "one two")))
# Plain words the KS2 and KS3 versions use in place of the article's own, and retelling words.
PARAPHRASE = frozenset(re.findall(r"\S+", (
    "private picture pictures people told getting threatening threatened someone around person "
    "making threats police gloucestershire constabulary staffordshire hampshire went where lived "
    "give wanted money social media messages sending paid receiving share shared unless "
    # Glosses a retelling adds to explain the article's own word ("a peer: someone of his own
    # age") or to join its sentences.
    "own age saying otherwise home")))


def _seed(documents: SourceDocuments, file: str) -> str:
    return documents.seed(file).lower().replace("’", "'")


def _cases() -> list[tuple[str, str, dict]]:
    lessons = yaml.safe_load((LESSONS / "case_studies.yaml").read_text())["case_studies"]
    meta = {s["id"]: s for s in yaml.safe_load((LESSONS / "meta.yaml").read_text())["sources"]}
    return [(f"{c['id']}-{'-'.join(v['key_stages'])}", meta[c["sources"][0]]["file"], v)
            for c in lessons for v in c["versions"]]


@pytest.mark.parametrize(("case", "seed", "version"), _cases(), ids=[c[0] for c in _cases()])
def test_each_case_sentence_is_in_its_article(case, seed, version, source_documents):
    article_text = _seed(source_documents, seed)
    article = set(re.findall(r"[a-z0-9£']+", article_text))
    told = " ".join([*version["story"], version.get("outcome") or ""])
    for sentence in re.split(r"(?<=[.!?])\s+", told):
        words = [w for w in re.findall(r"[a-z0-9£']+", sentence.lower().replace("’", "'"))
                 if w not in STOP and w not in PARAPHRASE]
        missing = [w for w in words if w not in article and w.rstrip("s") not in article
                   and not any(a.startswith(w[:5]) for a in article if len(w) > 5)]
        assert len(missing) <= len(words) // 6, (case, sentence, missing)
    notes = version.get("outcome_notes") or ""
    for claim in ("instead of paying", "did not pay", "refused to pay"):
        if claim not in article_text:
            assert claim not in notes.lower(), (case, claim)
