"""Checks on the lesson content that a schema cannot make.

Quotes must be verbatim from their seed article, figures and case-study numbers
must come from the articles they cite, every citation must name a known source,
KS2 text must be free of sexual words, and no text may blame the victim.
Covers meta, key_stages, teaching, case_studies, activities and parents.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from lessonpack.content.lessons import Content

from .conftest import SEED_FILES, SourceDocuments

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"

FILES = {
    "meta.yaml": ["meta", "sources", "safety"],
    "key_stages.yaml": ["key_stages"],
    "teaching.yaml": ["definitions", "methods", "explainers", "figures", "quotes"],
    "case_studies.yaml": ["case_studies"],
    "activities.yaml": ["myths", "baseline", "warning_signs", "key_messages"],
    "parents.yaml": ["letter_context", "parent_signs", "parent_talk", "parent_actions"],
    "scenarios.yaml": ["chat_scenarios"],
    "support.yaml": ["barriers", "friend_actions", "hard_questions"],
    "nations.yaml": ["nations"],
    "lessons.yaml": ["lessons"],
}
# Sections that are lists of Tagged items (id, key_stages, sources, texts).
TAGGED = [
    "definitions", "methods", "explainers", "figures", "quotes", "myths", "baseline",
    "chat_scenarios", "warning_signs", "key_messages", "parent_signs", "parent_talk",
    "parent_actions", "letter_context", "barriers", "friend_actions", "hard_questions",
]
GUIDANCE = {
    "content-help-routes", "content-key-stages", "content-safe-teaching", "content-nations",
    "content-guidance",
    "content-made-up-scenarios", "rshe-2025",
    "kcsie", "ukcis-sharing-nudes", "ukcis-victim-blaming", "nca-alert-2024",
}
CASES = {"gary", "gloucestershire-school-boy", "gloucestershire-man-webcam", "stoke-teenager"}
KEY_STAGES = ["ks2", "ks3", "ks4", "ks5"]
ROUTES = {
    "police-emergency", "police-non-emergency", "ceop", "childline", "report-remove",
    "take-it-down", "nspcc", "iwf", "stopncii", "revenge-porn-helpline", "report-fraud",
    "samaritans", "shout", "papyrus",
}
KS2_ROUTES = {"childline", "ceop", "police-emergency"}
ADULT_ONLY = {"stopncii", "revenge-porn-helpline", "report-fraud"}
# Keys that hold ids or tags, not text a reader sees.
NOT_TEXT = {"id", "key_stages", "sources", "routes", "step", "file", "kind"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Curly quotes to straight, runs of whitespace to one space."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def forbidden_hits(text: str, entries: list[str]) -> list[str]:
    """Entries found in `text` as whole words, case-insensitively.

    An entry also matches as the start of a longer word ("masturbat" finds
    "masturbation"), which is stricter than whole-word matching alone.
    """
    return [
        e for e in entries
        if re.search(r"\b" + re.escape(e) + r"\w*\b", text, flags=re.IGNORECASE)
    ]


def phrase_hits(text: str, phrases: list[str]) -> list[str]:
    """Phrases found in `text` as whole words or phrases, case-insensitively."""
    return [
        p for p in phrases
        if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text, flags=re.IGNORECASE)
    ]


def strings(value: object) -> Iterator[str]:
    """Every reader-facing string in a YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_TEXT:
                yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.fixture(scope="module")
def data() -> dict:
    merged: dict = {}
    for name, sections in FILES.items():
        path = LESSONS / name
        assert path.is_file(), f"missing {path}"
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(loaded, dict), name
        assert sorted(loaded) == sorted(sections), f"{name} holds {sorted(loaded)}"
        merged.update(loaded)
    return merged


@pytest.fixture(scope="module")
def sources(data) -> dict[str, dict]:
    return {s["id"]: s for s in data["sources"]}


def seeds_cited(item: dict, sources: dict[str, dict], documents: SourceDocuments) -> str:
    """The normalised text of every seed article an item cites."""
    files = [sources[s]["file"] for s in item["sources"] if sources[s]["kind"] == "seed"]
    assert files, f"{item['id']} cites no seed article"
    return " ".join(normalise(documents.seed(f)) for f in files)


def ks2_items(data: dict) -> Iterator[tuple[str, object]]:
    """Everything that goes into a KS2 pack from these files."""
    for section in TAGGED:
        for item in data[section]:
            if "ks2" in item["key_stages"]:
                yield f"{section}/{item['id']}", item
    for case in data["case_studies"]:
        for version in case["versions"]:
            if "ks2" in version["key_stages"]:
                yield f"case_studies/{case['id']}", [case["title"], case.get("name_note"), version]
    yield "key_stages/ks2", next(k for k in data["key_stages"] if k["id"] == "ks2")


# Files and sources


def test_seed_articles_are_present(source_documents: SourceDocuments):
    for file in SEED_FILES.values():
        assert source_documents.seed(file).strip()


def test_sections_validate_against_the_models(data):
    for section, value in data.items():
        TypeAdapter(typing.get_type_hints(Content)[section]).validate_python(value)


def test_source_ids_are_exactly_the_agreed_set(sources):
    assert set(sources) == set(SEED_FILES) | GUIDANCE
    assert len(sources) == len(SEED_FILES) + len(GUIDANCE)  # no duplicates


def test_seed_sources_name_their_existing_files(sources):
    for source_id, file in SEED_FILES.items():
        assert sources[source_id]["kind"] == "seed"
        assert sources[source_id]["file"] == file  # test_seed_articles_are_present reads each
    for source_id in GUIDANCE:
        # The project's own notes (CONTENT.md) are "project": used for checking, never
        # printed as a citation a teacher should follow.
        expected = "project" if source_id.startswith("content-") else "guidance"
        assert sources[source_id]["kind"] == expected, source_id
        assert not sources[source_id].get("file")


def test_every_cited_source_exists(data, sources):
    cited = [(f"{s}/{i['id']}", i["sources"]) for s in TAGGED for i in data[s]]
    cited += [(f"case_studies/{c['id']}", c["sources"]) for c in data["case_studies"]]
    assert cited
    for where, ids in cited:
        assert ids, f"{where} cites nothing"
        for source_id in ids:
            assert source_id in sources, f"{where} cites unknown source {source_id!r}"


def test_ids_are_unique_slugs(data):
    for section in [*TAGGED, "case_studies", "sources"]:
        ids = [item["id"] for item in data[section]]
        assert len(ids) == len(set(ids)), f"{section} has duplicate ids"
        for item_id in ids:
            assert SLUG.match(item_id), f"{section}/{item_id}"


# Quotes, figures and cases come from the seeds


def test_quotes_are_verbatim_from_their_seed(data, sources, source_documents):
    assert len(data["quotes"]) >= 6
    for quote in data["quotes"]:
        text = normalise(quote["text"])
        assert not text.startswith(('"', "'")), f"{quote['id']}: drop the quotation marks"
        assert text in seeds_cited(quote, sources, source_documents), f"{quote['id']} is not verbatim"


def test_every_named_speaker_is_quoted(data):
    speakers = " ".join(q["speaker"] for q in data["quotes"])
    for name in ["Brett Mallon", "Fiona Gray", "Nina Lovatt", "Dave Harris",
                 "Paul Gelman", "Gary (not his real name)"]:
        assert name in speakers, name


def test_all_four_cases_are_present_and_cite_a_seed(data, sources, source_documents):
    cases = {c["id"]: c for c in data["case_studies"]}
    assert set(cases) == CASES
    for case in cases.values():
        assert seeds_cited(case, sources, source_documents)
    gary = cases["gary"]
    assert gary["name_note"] == "Gary is not his real name."
    for version in gary["versions"]:
        assert "not his real name" in version["story"][0], "Gary's name stays marked as changed"
        assert "ks2" not in version["key_stages"]
    assert all("ks2" not in v["key_stages"] for v in cases["gloucestershire-man-webcam"]["versions"])


_NUMBER = re.compile(r"£\s?\d+(?:,\d{3})*(?:\.\d{2})?|\d+")


@pytest.mark.parametrize("section", ["figures", "case_studies"])
def test_numbers_and_amounts_appear_in_the_cited_seed(data, sources, section, source_documents):
    for item in data[section]:
        article = seeds_cited(item, sources, source_documents)
        for text in strings(item):
            for token in _NUMBER.findall(text):
                if token.startswith("£"):
                    found = token in article
                else:
                    found = re.search(rf"(?<!\d){token}(?!\d)", article) is not None
                assert found, f"{section}/{item['id']}: {token!r} is not in its seed"


def test_expected_figures_are_there(data):
    figures = " ".join(f["text"] for f in data["figures"])
    for number in ["12", "100", "17", "23"]:
        assert re.search(rf"\b{number}\b", figures), number
    for figure in data["figures"]:
        assert "ks2" not in figure["key_stages"], figure["id"]
        assert "Constabulary" in figure["text"] or "Police" in figure["text"], figure["id"]


# Safe wording


def test_forbidden_word_matching_behaves():
    assert forbidden_hits("Sextortion is blackmail", ["sextortion"]) == ["sextortion"]
    assert forbidden_hits("police in Essex and Sussex", ["sex"]) == []
    assert forbidden_hits("updating your app", ["dating"]) == []
    assert forbidden_hits("the word masturbation", ["masturbat"]) == ["masturbat"]
    assert phrase_hits("it is not your fault", ["your own fault"]) == []
    assert phrase_hits("It's Your Own Fault.", ["your own fault"]) == ["your own fault"]


def test_ks2_text_has_no_forbidden_words(data, sources):
    forbidden = data["safety"]["ks2_forbidden"]
    assert "sextortion" in forbidden and "sexual" in forbidden
    checked = 0
    for where, item in ks2_items(data):
        for text in strings(item):
            checked += 1
            assert not forbidden_hits(text, forbidden), f"{where}: {text!r}"
        # The pack lists the sources it cites, so their titles reach KS2 readers too.
        for source_id in item.get("sources", []) if isinstance(item, dict) else []:
            title = sources[source_id]["title"]
            assert not forbidden_hits(title, forbidden), f"{where} cites {source_id}"
    assert checked > 50


def test_ks2_case_sources_have_safe_titles(data, sources):
    forbidden = data["safety"]["ks2_forbidden"]
    for case in data["case_studies"]:
        if any("ks2" in v["key_stages"] for v in case["versions"]):
            for source_id in case["sources"]:
                assert not forbidden_hits(sources[source_id]["title"], forbidden), source_id


def test_ks2_key_stage_has_no_sexual_terms(data):
    by_id = {k["id"]: k for k in data["key_stages"]}
    assert [k["id"] for k in data["key_stages"]] == KEY_STAGES
    assert by_id["ks2"]["sexual_terms"] is False
    assert all(by_id[k]["sexual_terms"] is True for k in KEY_STAGES[1:])
    assert [by_id[k]["max_reading_grade"] for k in KEY_STAGES] == [6, 8, 10, 12]
    assert "picture" in by_id["ks2"]["lesson_title"].lower()


def test_no_victim_blaming_anywhere(data):
    phrases = data["safety"]["victim_blaming"]
    assert {"you shouldn't have", "your own fault", "stupid"} <= set(phrases)
    for section, value in data.items():
        if section == "safety":
            continue
        for text in strings(value):
            assert not phrase_hits(text, phrases), f"{section}: {text!r}"


def test_action_fraud_only_inside_quotes(data):
    # Report Fraud replaced Action Fraud on 4 December 2025: never signpost the old name.
    for section, value in data.items():
        if section in ("quotes", "safety"):
            continue
        for text in strings(value):
            assert "action fraud" not in text.lower(), f"{section}: {text!r}"


def test_no_nation_specific_fraud_route_in_text(data):
    # Report Fraud (England, Wales, Northern Ireland) or Police Scotland depends on the
    # pack's nation; only the help-route list, filtered by nation, may name them.
    for section, value in data.items():
        if section in ("quotes", "safety", "sources"):
            continue
        for text in strings(value):
            assert "report fraud" not in text.lower(), f"{section}: {text!r}"
            assert "police scotland" not in text.lower(), f"{section}: {text!r}"


def test_safety_entries_are_lower_case(data):
    for entry in data["safety"]["victim_blaming"] + data["safety"]["ks2_forbidden"]:
        assert entry == entry.lower() and entry.strip() == entry, entry


# Enough for every key stage


def test_at_least_eight_myths(data):
    assert len(data["myths"]) >= 8


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_each_key_stage_has_enough(data, ks):
    cases = [c for c in data["case_studies"] if any(ks in v["key_stages"] for v in c["versions"])]
    # KS2 has one real case, with no sexual detail in its article; older ones two or more.
    assert len(cases) >= (1 if ks == "ks2" else 2), "case studies"
    for section, least in [("myths", 6), ("baseline", 4), ("chat_scenarios", 1),
                           ("definitions", 1), ("warning_signs", 4), ("key_messages", 4),
                           ("parent_signs", 3), ("parent_talk", 3), ("parent_actions", 5),
                           ("barriers", 3), ("friend_actions", 3), ("hard_questions", 6)]:
        count = sum(ks in item["key_stages"] for item in data[section])
        assert count >= least, f"{ks}: {count} {section}"


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_baseline_has_true_and_false_statements(data, ks):
    answers = [s["true"] for s in data["baseline"] if ks in s["key_stages"]]
    assert all(isinstance(a, bool) for a in answers)
    assert True in answers and False in answers


def test_required_explainers(data):
    explainers = {e["id"]: e for e in data["explainers"]}
    expected = {
        "gangs-and-fakes-ks3": (["ks3"], "what-it-is"),
        "organised-gangs": (["ks4", "ks5"], "what-it-is"),
        "the-law": (["ks4", "ks5"], "the-law"),
        "impact": (["ks4", "ks5"], "the-law"),
        "young-adults": (["ks5"], "what-it-is"),
    }
    for explainer_id, (stages, step) in expected.items():
        assert explainers[explainer_id]["key_stages"] == stages, explainer_id
        assert explainers[explainer_id]["step"] == step, explainer_id
    assert {"content-key-stages", "ukcis-sharing-nudes"} <= set(explainers["the-law"]["sources"])
    lessons = {lesson["key_stage"]: {s["id"] for s in lesson["steps"]} for lesson in data["lessons"]}
    for explainer in data["explainers"]:
        for ks in explainer["key_stages"]:
            assert explainer["step"] in lessons[ks], (explainer["id"], ks)
        for point in explainer["points"]:
            assert len(point.split()) <= 16, point  # a slide line, not a paragraph


# The made-up chats (CONTENT.md, "Made-up scenarios")


def test_one_made_up_chat_per_key_stage_labelled_as_made_up(data):
    for ks in KEY_STAGES:
        chats = [c for c in data["chat_scenarios"] if ks in c["key_stages"]]
        assert len(chats) == 1, ks
        chat = chats[0]
        assert "content-made-up-scenarios" in chat["sources"]
        assert len(chat["parts"]) >= 3 and all(p["answers"] for p in chat["parts"])
        # Made-up characters, never a real case's people.
        names = {line["who"] for part in chat["parts"] for line in part["lines"]}
        assert not names & {"Gary"}, names
        words = " ".join(line["text"] for part in chat["parts"] for line in part["lines"])
        assert not re.search(r"\d+ ?%|£\d", words), "a made-up chat invents no figures"
    # The last stop of every chat is about what a friend can do.
    assert all("friend" in c["parts"][-1]["question"].lower() or
               re.search(r"could (Ava|Sam|Theo|Tom) ", c["parts"][-1]["question"])
               for c in data["chat_scenarios"])


def test_parent_actions_follow_the_nca_template_order(data):
    ids = [a["id"] for a in data["parent_actions"]]
    order = ["never-to-blame", "dont-pay", "stop-contact", "keep-evidence", "report",
             "get-images-removed", "tell-the-school"]
    assert [i for i in ids if i in order] == order
    # Signs and actions go to every parent; two talking points about younger children (a
    # new device, people pretending to be their age) are left out of the sixth-form letter,
    # which lists the routes for adults in their place and must still fit on two pages.
    younger = {"new-devices", "how-it-works"}
    for section in ("parent_signs", "parent_talk", "parent_actions"):
        for item in data[section]:
            expected = [ks for ks in KEY_STAGES if ks != "ks5"] if item["id"] in younger else KEY_STAGES
            assert item["key_stages"] == expected, f"{section}/{item['id']}"
