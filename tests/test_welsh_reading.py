"""The reading level understands Welsh: syllables by Welsh spelling, checked against words
counted by hand, and `check` reports a Welsh pack's own reading level beside the English."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessonpack.check.reading import reading_levels, text_stats, welsh_reading, welsh_word_syllables
from lessonpack.check.welsh_syllables import welsh_syllables
from lessonpack.pack import Library, build_pack
from lessonpack.rendering.context import PackRequest
from tests.helpers import lessonpack

DATA = Path(__file__).parent / "data"


def counted(name: str) -> list[tuple[str, int]]:
    """Words and their syllables as a Welsh speaker says them, counted by hand. The first
    list shaped the rules; the held-out list was counted after and never changed them."""
    rows = (line.split() for line in (DATA / name).read_text(encoding="utf-8").splitlines())
    return [(word, int(count)) for word, count in rows]


@pytest.mark.parametrize(("name", "least"), [("welsh_syllables.txt", 0.99),
                                             ("welsh_syllables_held_out.txt", 0.98)])
def test_syllables_match_the_hand_counts(name, least):
    words = counted(name)
    wrong = [(word, count, welsh_syllables(word)) for word, count in words
             if welsh_syllables(word) != count]
    assert len(words) > 100
    assert 1 - len(wrong) / len(words) >= least, wrong
    total = sum(count for _, count in words)
    assert abs(sum(welsh_syllables(word) for word, _ in words) - total) <= total * 0.01


@pytest.mark.parametrize(("word", "count"), [
    ("copïo", 3), ("ŵyr", 1), ("gŵr", 1), ("hŷn", 1), ("tîm", 1), ("Gwneud", 1),
    ("DIOGELU", 4), ("lluniau", 2), ("chwarae", 2), ("ffôn", 1), ("rhywiol", 2)])
def test_circumflex_diaeresis_digraphs_and_capitals(word, count):
    assert welsh_syllables(word) == count


def test_a_clitic_is_a_word_of_its_own():
    # "ti'n" is ti + 'n (yn): one syllable each side of the apostrophe would be two
    # words' worth; the English rule drops the apostrophe and reads "tin".
    assert welsh_word_syllables("ti'n") == 2
    assert welsh_word_syllables("i’r") == 2
    assert welsh_word_syllables("under-18s") == welsh_syllables("under") + 1


@given(st.text(max_size=60))
def test_any_word_has_at_least_one_syllable_and_no_more_than_its_letters(word):
    count = welsh_syllables(word)
    assert 1 <= count <= max(1, len(word))
    assert welsh_word_syllables(word) >= 1


@given(st.lists(st.text(max_size=40), max_size=8))
def test_welsh_stats_never_fail_on_typed_text(texts):
    stats = text_stats(texts, "cy")
    assert stats.words >= 0 and stats.syllables >= stats.words


@cache
def welsh_pack(key_stage: str, language: str) -> dict[str, bytes]:
    library = Library.load()
    force = next(f for f in library.content.forces if f.slug == "south-wales")
    return build_pack(library, PackRequest(key_stage=key_stage, force=force, language=language))


@pytest.mark.parametrize("key_stage", ["ks2", "ks3", "ks4", "ks5"])
def test_a_welsh_pack_is_read_with_welsh_syllables(key_stage):
    english = reading_levels(welsh_pack(key_stage, "en"))
    welsh = reading_levels(welsh_pack(key_stage, "cy"), "cy")
    assert set(welsh) == {"slides.pptx", "worksheet.docx"}
    for name, grade in welsh.items():
        # Welsh words carry more syllables than their English ("pobl ifanc" for "young
        # people"): counted as Welsh, the same lesson reads higher than in English.
        assert grade > english[name] + 1


def test_the_bilingual_pack_reads_its_welsh_files():
    levels, problems = welsh_reading("ks3", welsh_pack("ks3", "en+cy"), limit=20)
    assert levels == reading_levels(welsh_pack("ks3", "cy"), "cy") and problems == []
    levels, problems = welsh_reading("ks3", welsh_pack("ks3", "en+cy"), limit=1)
    assert [p.file for p in problems] == ["ks3/slides.pptx (Cymraeg)", "ks3/worksheet.docx (Cymraeg)"]
    assert all("Welsh syllables" in p.message and p.level == "warning" for p in problems)


def test_check_prints_the_welsh_reading_level_beside_the_english(tmp_path):
    school = tmp_path / "school.toml"
    school.write_text('[school]\nname = "Ysgol Gyfun"\nnation = "wales"\nlanguage = "cy"\n'
                      '[lesson]\nforce = "south-wales"\nkey_stages = ["ks3"]\n', encoding="utf-8")
    result = lessonpack("check", "--school", school)
    assert result.exit_code == 0, result.output
    english = re.search(r"^  KS3: slides\.pptx ([\d.]+), worksheet\.docx ([\d.]+)", result.output, re.M)
    welsh = re.search(r"^  KS3 Cymraeg: slides\.pptx ([\d.]+), worksheet\.docx ([\d.]+)",
                      result.output, re.M)
    assert english and welsh, result.output
    assert float(welsh[1]) > float(english[1]) and float(welsh[2]) > float(english[2])


def test_an_english_school_gets_no_welsh_reading_line(tmp_path):
    school = tmp_path / "school.toml"
    school.write_text('[school]\nname = "Hill School"\n[lesson]\nkey_stages = ["ks3"]\n',
                      encoding="utf-8")
    result = lessonpack("check", "--school", school)
    assert "Cymraeg:" not in result.output and "KS3: slides.pptx" in result.output
