"""Checks on the help routes, forces and lesson plan that a schema cannot make.

Help-route details must come from shared/CONTENT.md, seed forces' details from
their own press releases, and the lesson plan must keep its fixed shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import SEED_FILES, SourceDocuments

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"

ROUTE_IDS = [
    "police-emergency", "police-non-emergency", "ceop", "childline", "report-remove",
    "take-it-down", "nspcc", "iwf", "stopncii", "revenge-porn-helpline", "report-fraud",
    "police-scotland-fraud", "samaritans", "shout", "papyrus", "meic", "breathing-space", "lifeline",
]
# The nations' own routes (CONTENT.md, "Nations"): one nation each.
NATION_ROUTES = {"meic": "wales", "breathing-space": "scotland", "lifeline": "northern-ireland"}
ADULT_ONLY = {"stopncii", "revenge-porn-helpline", "report-fraud", "police-scotland-fraud"}
NATIONS = {"england", "wales", "scotland", "northern-ireland"}
# Steps every lesson has, in this order, and the ones only some key stages add.
CORE_STEPS = ["start", "what-it-is", "scenario", "case-study", "myths", "what-to-do", "help", "close"]
EXTRA_STEPS = {"ks4": {"the-law"}, "ks5": {"the-law"}}
SEED_FORCES = {
    "gloucestershire": "seed-gloucestershire",
    "cumbria": "seed-cumbria",
    "staffordshire": "seed-staffordshire",
    "northumbria": "seed-northumbria",
    "hampshire": "seed-hampshire",
}


def _load(name: str) -> dict:
    return yaml.safe_load((LESSONS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def routes() -> list[dict]:
    return _load("help_routes.yaml")["help_routes"]


@pytest.fixture(scope="module")
def forces() -> list[dict]:
    return _load("forces.yaml")["forces"]


@pytest.fixture(scope="module")
def lessons() -> list[dict]:
    return _load("lessons.yaml")["lessons"]


def _by_stage(routes: list[dict], ks: str) -> list[dict]:
    return [r for r in routes if ks in r.get("key_stages", [])]


# Help routes


def test_route_ids_are_exactly_the_content_table(routes):
    assert [r["id"] for r in routes] == ROUTE_IDS


def test_every_route_contact_appears_in_content_md(routes, source_documents: SourceDocuments):
    content = source_documents.content_md()
    for route in routes:
        for contact in route["contacts"]:
            # phone, textphone, text and website values, and online addresses too
            assert contact["value"] in content, (
                f"{route['id']}: {contact['kind']} {contact['value']!r} is not in CONTENT.md"
            )


def test_routes_are_reviewed_and_cite_the_table(routes):
    for route in routes:
        assert str(route["reviewed"]) == "2026-11-22", route["id"]
        expected = "content-nations" if route["id"] in NATION_ROUTES else "content-help-routes"
        assert route["source"] == expected, route["id"]


def test_route_nations(routes):
    by_id = {r["id"]: r for r in routes}
    assert set(by_id["report-fraud"]["nations"]) == {"england", "wales", "northern-ireland"}
    assert by_id["police-scotland-fraud"]["nations"] == ["scotland"]
    for route in routes:
        if route["id"] in NATION_ROUTES:
            assert route["nations"] == [NATION_ROUTES[route["id"]]], route["id"]
        elif route["id"] not in {"report-fraud", "police-scotland-fraud"}:
            assert set(route["nations"]) == NATIONS, route["id"]
        if route["id"].startswith("police"):
            assert route["age_limit"] is None, "anyone of any age can call the police"


def test_ks2_lists_only_emergency_childline_ceop(routes):
    # Meic is for under-25s in Wales, about anything: it serves Welsh KS2 pupils too.
    assert {r["id"] for r in _by_stage(routes, "ks2")} == {"police-emergency", "childline", "ceop",
                                                           "meic"}


@pytest.mark.parametrize("ks", ["ks3", "ks4", "ks5"])
def test_ks3_and_above_list_a_crisis_line(routes, ks):
    assert any(r.get("crisis") for r in _by_stage(routes, ks))


def test_ks2_lists_no_crisis_line(routes):
    # Breathing Space is 16+, Lifeline for anyone in NI in distress: neither for KS2.
    assert not any(r.get("crisis") for r in _by_stage(routes, "ks2"))


def test_adult_only_routes_are_ks5_only(routes):
    for route in routes:
        if route["id"] in ADULT_ONLY:
            assert route.get("key_stages") == ["ks5"], route["id"]


def test_ks5_is_ks4_plus_the_adult_routes(routes):
    ks4 = {r["id"] for r in _by_stage(routes, "ks4")}
    ks5 = {r["id"] for r in _by_stage(routes, "ks5")}
    # Breathing Space is for 16 and over, so it starts at KS4 (ages 14 to 16) in Scotland.
    assert ks4 == {r["id"] for r in _by_stage(routes, "ks3")} | {"breathing-space"}
    assert ks5 == ks4 | ADULT_ONLY


def test_nspcc_is_for_parents_not_pupils(routes):
    nspcc = next(r for r in routes if r["id"] == "nspcc")
    assert not nspcc.get("key_stages")
    assert nspcc.get("for_parents") is True


def test_parent_letter_routes(routes):
    assert {r["id"] for r in routes if r.get("for_parents")} == {
        "ceop", "nspcc", "childline", "report-remove", "take-it-down",
        "police-emergency", "police-non-emergency", "samaritans", "papyrus", *NATION_ROUTES,
    }


# Forces


def test_national_contacts_come_from_content_md(source_documents: SourceDocuments):
    content = source_documents.content_md()
    national = _load("forces.yaml")["national"]
    values = [c["value"] for c in national["contacts"]]
    assert set(values) == {"101", "999", "18001 101", "18000"}
    for value in values:
        assert value in content


def test_45_forces_with_unique_slugs(forces):
    assert len(forces) == 45
    slugs = [f["slug"] for f in forces]
    assert len(slugs) == len(set(slugs))


def test_every_force_has_a_nation_and_website(forces):
    for force in forces:
        assert force["nation"] in NATIONS, force["slug"]
        assert force.get("website", "").startswith("https://www."), force["slug"]
        assert force["website"].endswith(".police.uk"), force["slug"]


def test_forces_by_nation(forces):
    nations = [f["nation"] for f in forces]
    assert sum(n in {"england", "wales"} for n in nations) == 43
    assert nations.count("wales") == 4
    assert nations.count("scotland") == 1
    assert nations.count("northern-ireland") == 1


def test_only_seed_forces_carry_contacts_and_sources(forces):
    for force in forces:
        if force["slug"] in SEED_FORCES:
            assert force["source"] == SEED_FORCES[force["slug"]]
            assert force.get("article_name")
        else:
            assert not force.get("contacts"), force["slug"]
            assert not force.get("source"), force["slug"]


@pytest.mark.parametrize("slug", sorted(SEED_FORCES))
def test_seed_force_contacts_appear_in_its_article(forces, slug, source_documents: SourceDocuments):
    force = next(f for f in forces if f["slug"] == slug)
    article = source_documents.seed(SEED_FILES[force["source"]])
    content = source_documents.content_md()
    assert force["article_name"] in article
    for contact in force.get("contacts", []):
        value = contact["value"]
        if contact["kind"] == "website" or value == "www.ceop.police.uk/safety-centre":
            assert value in content or value.startswith("https://www."), value
        else:
            assert value in article, f"{slug}: {value!r} is not in its seed article"


def test_gloucestershire_has_no_action_fraud_contact(forces):
    glos = next(f for f in forces if f["slug"] == "gloucestershire")
    assert not any("fraud" in c["value"].lower() for c in glos["contacts"])


# Lesson plan


@pytest.mark.parametrize("ks", ["ks2", "ks3", "ks4", "ks5"])
def test_each_lesson_has_the_core_steps_in_order_and_adds_to_60(lessons, ks):
    lesson = next(lesson for lesson in lessons if lesson["key_stage"] == ks)
    ids = [s["id"] for s in lesson["steps"]]
    assert [i for i in ids if i in CORE_STEPS] == CORE_STEPS
    assert set(ids) - set(CORE_STEPS) == EXTRA_STEPS.get(ks, set())
    assert sum(s["minutes"] for s in lesson["steps"]) == 60
    # At most nine steps, as CEOP's and Childnet's hours have; where to get help and the
    # close never give up time in a shorter lesson, and keep at least 8 minutes together.
    assert len(ids) <= 9
    end = [s for s in lesson["steps"] if s["id"] in {"help", "close"}]
    assert all(s["shortest"] == s["minutes"] for s in end)
    assert sum(s["minutes"] for s in end) >= 8
    assert sum(s["shortest"] for s in lesson["steps"]) <= 45, "a 45-minute lesson must fit"
