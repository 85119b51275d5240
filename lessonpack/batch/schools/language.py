"""Which language each school's pack is in: a `language` column if the file has one, else
the language medium the Welsh Government's list gives.

    Welsh medium                 → the pack in Welsh
    Dual Language, Transitional  → both languages (`en+cy`)
    English medium               → English, with a bilingual parent letter
    (anything else, or no medium: England, Scotland, Northern Ireland) → English

The older categories the list may still carry ("Bilingual (Type A)", "English with
significant Welsh") are read as the nearest of these.
"""

from __future__ import annotations

from lessonpack.batch.schools.columns import key

WELSH, BOTH, ENGLISH, LETTER = "cy", "en+cy", "en", "en+cy-letter"
# What a `language` cell may say, in English or in Welsh.
CHOICES = {
    key("cy"): WELSH, key("welsh"): WELSH, key("cymraeg"): WELSH,
    key("en"): ENGLISH, key("english"): ENGLISH, key("saesneg"): ENGLISH,
    key("en+cy"): BOTH, key("both"): BOTH, key("bilingual"): BOTH, key("dwyieithog"): BOTH,
    key("en+cy-letter"): LETTER, key("english, bilingual letter"): LETTER,
}
MEDIUMS = {
    key("Welsh medium"): WELSH, key("Welsh"): WELSH, key("Cyfrwng Cymraeg"): WELSH,
    key("Bilingual (Type A)"): WELSH,
    key("Dual language"): BOTH, key("Dual Language"): BOTH, key("Transitional"): BOTH,
    key("Bilingual (Type B)"): BOTH, key("Bilingual (Type C)"): BOTH, key("Bilingual (Type Ch)"): BOTH,
    key("Bilingual"): BOTH, key("Dwyieithog"): BOTH, key("Dual stream"): BOTH,
    key("English medium"): LETTER, key("English"): LETTER, key("Cyfrwng Saesneg"): LETTER,
    key("English with significant Welsh"): LETTER,
}


def pack_language(language: str, medium: str) -> str:
    """The pack's language for one row; ValueError naming the `language` cell if unusable."""
    if language.strip():
        found = CHOICES.get(key(language))
        if found is None:
            raise ValueError(f"language: {language[:40]!r} is not one of en, cy, en+cy "
                             "(English, Welsh, both)")
        return found
    return MEDIUMS.get(key(medium), ENGLISH) if medium.strip() else ENGLISH
