"""One name for each actor and place, whatever the outlet's spelling.

Outlets transliterate Arabic names differently (Kataib / Kat'ib / Kata'ib
Hizbullah; Al Bukamal / Boukamal / Abu Kamal). A name is canonicalised in three
steps: fold it (case, apostrophes, hyphens, a leading "the"), look it up in the
alias table (built-in entries below plus ``facts.aliases`` from settings), and
otherwise fuzzy-match it against the canonical names with rapidfuzz, accepting
the best match at or above ``facts.fuzzy_threshold``. Names that match nothing
are returned as they were written (stripped), so two unknown names still compare
equal only when spelled alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from comparer.settings import Settings

# variant -> canonical. Extend per deployment with [facts] aliases in the settings file.
BUILTIN_ALIASES: dict[str, str] = {
    "Kataib Hezbollah": "Kataib Hezbollah",
    "Kat'ib Hezbollah": "Kataib Hezbollah",
    "Kata'ib Hezbollah": "Kataib Hezbollah",
    "Kata'ib Hizbullah": "Kataib Hezbollah",
    "Kataib Hizbullah": "Kataib Hezbollah",
    "Hezbollah Brigades": "Kataib Hezbollah",
    "Kataib Sayyid al-Shuhada": "Kataib Sayyid al-Shuhada",
    "Kat'ib Sayyid Lal'shuhada": "Kataib Sayyid al-Shuhada",
    "Kata'ib Sayyid al-Shuhada": "Kataib Sayyid al-Shuhada",
    "Al Bukamal": "Al Bukamal",
    "Al-Bukamal": "Al Bukamal",
    "Albukamal": "Al Bukamal",
    "Boukamal": "Al Bukamal",
    "Bukamal": "Al Bukamal",
    "Abu Kamal": "Al Bukamal",
    "Albu Kamal": "Al Bukamal",
    "Al Mayadin": "Al Mayadin",
    "Mayadin": "Al Mayadin",
    "Al-Mayadeen": "Al Mayadin",
    "Al Qaim": "Al Qaim",
    "Al-Qaim": "Al Qaim",
    "Qaim": "Al Qaim",
    "Erbil": "Erbil",
    "Irbil": "Erbil",
    "Arbil": "Erbil",
    "Deir ez-Zor": "Deir ez-Zor",
    "Deir el-Zour": "Deir ez-Zor",
    "Deir Ezzor": "Deir ez-Zor",
    "Deir al-Zor": "Deir ez-Zor",
    "Department of Defense": "Pentagon",
    "Defense Department": "Pentagon",
    "the Pentagon": "Pentagon",
    "U.S.": "United States",
    "US": "United States",
    "USA": "United States",
    "United States of America": "United States",
    "Syrian Observatory for Human Rights": "Syrian Observatory for Human Rights",
    "SOHR": "Syrian Observatory for Human Rights",
    "SANA": "SANA",
    "Syrian Arab News Agency": "SANA",
    # Actors and organisations named in attributions (added by attributions.py's author).
    "Iran-backed militias": "Iran-backed militias",
    "Iranian-backed militias": "Iran-backed militias",
    "Iranian-backed militia": "Iran-backed militias",
    "Iran-backed militia": "Iran-backed militias",
    "Iran-aligned militias": "Iran-backed militias",
    "Iranian-backed militia groups": "Iran-backed militias",
    "Iran-backed militia groups": "Iran-backed militias",
    "Iranian-backed militant groups": "Iran-backed militias",
    "pro-Iran militias": "Iran-backed militias",
    "pro-Iranian militias": "Iran-backed militias",
    "Asaib Ahl al-Haq": "Asaib Ahl al-Haq",
    "Asa'ib Ahl al-Haq": "Asaib Ahl al-Haq",
    "Saraya Awliya al-Dam": "Saraya Awliya al-Dam",
    "Awliya al-Dam": "Saraya Awliya al-Dam",
    "Popular Mobilization Forces": "Popular Mobilization Forces",
    "Popular Mobilisation Forces": "Popular Mobilization Forces",
    "Popular Mobilization Units": "Popular Mobilization Forces",
    "PMF": "Popular Mobilization Forces",
    "PMU": "Popular Mobilization Forces",
    "Hashd al-Shaabi": "Popular Mobilization Forces",
    "Islamic Revolutionary Guard Corps": "Islamic Revolutionary Guard Corps",
    "IRGC": "Islamic Revolutionary Guard Corps",
    "Revolutionary Guards": "Islamic Revolutionary Guard Corps",
    "Central Command": "Central Command",
    "US Central Command": "Central Command",
    "CENTCOM": "Central Command",
    "White House": "White House",
    "Syrian Observatory": "Syrian Observatory for Human Rights",
    "Associated Press": "Associated Press",
    "AP": "Associated Press",
    "Agence France-Presse": "AFP",
    "AFP": "AFP",
}


@lru_cache(maxsize=16384)  # called for every name pair the comparison weighs
def fold(name: str) -> str:
    """Spelling-insensitive key: no accents, apostrophes, hyphens, case or leading 'the'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2018\u2019'`´.]", "", text.lower())
    text = re.sub(r"[-\u2010-\u2015_/]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@lru_cache(maxsize=64)
def _table(extra: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], dict[str, str]]:
    aliases = {fold(k): v for k, v in BUILTIN_ALIASES.items()}
    aliases.update({fold(k): v for k, v in extra})
    canon = {fold(v): v for v in aliases.values()}
    return aliases, canon


def _extra(settings: Settings | None) -> tuple[tuple[str, str], ...]:
    if settings is None:
        return ()
    table: Mapping[str, str] = settings.facts.aliases
    return tuple(sorted((str(k), str(v)) for k, v in table.items()))


def canonical_name(name: str, *, settings: Settings | None = None) -> str:
    """The canonical spelling of ``name`` (alias table, then fuzzy match), else ``name`` itself."""
    threshold = settings.facts.fuzzy_threshold if settings is not None else 85
    return _canonical(name, _extra(settings), threshold)


@lru_cache(maxsize=16384)  # the fuzzy lookup is the costly part, and names repeat a lot
def _canonical(name: str, extra: tuple[tuple[str, str], ...], threshold: int) -> str:
    cleaned = re.sub(r"\s+", " ", name).strip().strip(",.;:")
    if not cleaned:
        return cleaned
    aliases, canon = _table(extra)
    key = fold(cleaned)
    if key in aliases:
        return aliases[key]
    # Very short keys ("us", "un") match too much by fuzz: only exact lookups for them.
    if len(key) >= 5:
        choices = list(aliases)
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        if hit is not None:
            return aliases[hit[0]]
    return canon.get(key, cleaned)


GIVEN_NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "given_names.txt"


@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    """Common given names (folded) and the pronoun they usually take: "m" or "f"."""
    out = {}
    for line in GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, gender = line.split("\t")
            out[name.strip()] = gender.strip()
    return out


def same_name(a: str, b: str, *, settings: Settings | None = None) -> bool:
    return fold(canonical_name(a, settings=settings)) == fold(canonical_name(b, settings=settings))


# Nationality words (folded) and the country or people each names: an outlet may put one
# before a name ("Russian Konashenkov"), and it names a side in "Russian planes"
# (``actors.py``).
DEMONYMS: dict[str, str] = {
    "syrian": "syria",
    "russian": "russia",
    "american": "us",
    "us": "us",
    "iraqi": "iraq",
    "iranian": "iran",
    "turkish": "turkey",
    "kurdish": "kurds",
    "israeli": "israel",
    "palestinian": "palestine",
    "lebanese": "lebanon",
    "jordanian": "jordan",
    "saudi": "saudi arabia",
    "egyptian": "egypt",
    "yemeni": "yemen",
    "afghan": "afghanistan",
    "pakistani": "pakistan",
    "british": "uk",
    "french": "france",
    "german": "germany",
    "chinese": "china",
    "ukrainian": "ukraine",
    "qatari": "qatar",
    "emirati": "uae",
    "libyan": "libya",
    "sudanese": "sudan",
}


def same_person(a: str, b: str, *, settings: Settings | None = None) -> bool:
    """Same name, or the end of a full name against it ("Kirby" / "John Kirby", "Abdel
    Rahman" / "Rami Abdel Rahman"), a nationality word before either left out."""
    if same_name(a, b, settings=settings):
        return True
    fa, fb = _bare(fold(a).split()), _bare(fold(b).split())
    if not fa or not fb:
        return False
    short, long_ = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    return short == long_[len(long_) - len(short) :]


def _bare(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in DEMONYMS else words
