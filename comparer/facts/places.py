"""Place names in a sentence, each mapped to one canonical gazetteer entry.

Method, and why:

1. **Fold the sentence with an offset map.** The text is folded the way
   ``names.fold`` folds a name (accents, case, apostrophes, hyphens), keeping for
   every folded character the index of the original one. One regular
   expression of every folded spelling in the gazetteer (longest first) then
   finds "Abu Kamal", "al-Bukamal" and "ALBUKAMAL" alike, and the map gives back
   exact spans in the original sentence. This needs no parse, so it also serves
   ``article_places`` over whole articles and the "local time" lookup in
   ``times.py``.
2. **Drop matches that are part of another name.** A match must contain a
   capital letter ("turkey" the bird is not Turkey); one followed by
   "Post"/"Times"/... is a newspaper; with a spaCy doc, one inside a PERSON
   ("Michael Jordan") or inside a longer ORG that is not a facility
   ("the Washington Post", but not "Erbil International Airport") is dropped.
3. **A compass word before a country makes a region**: "eastern Syria" and
   "East Syria" both become the region "eastern Syria" (Syria's zone and
   country), so it is not compared as if it were the whole country.
4. **Fuzzy fallback, only on spaCy place entities** (GPE, LOC, FAC) left
   unmatched: ``names.canonical_name`` (which reads ``[facts] aliases``), then
   rapidfuzz against the gazetteer spellings at ``[facts] fuzzy_threshold``.
   Fuzzy matching every capitalised word would turn "Baghdadi" into Baghdad.

Every public function returns something for any input and never raises.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Sequence

from rapidfuzz import fuzz, process

from comparer.facts.context import ArticleContext
from comparer.facts.gazetteer import FOLLOWERS, Place, lookup, tables
from comparer.facts.names import canonical_name, fold
from comparer.models import Fact, Sentence

_APOSTROPHES = set("'`\u00b4\u2018\u2019")
_SEPARATORS = set("-_/\u2010\u2011\u2012\u2013\u2014\u2015")
_COMPASS = re.compile(r"\b(north|south|east|west)(?:[- ]?(east|west))?(?:ern)?\s+$",
                      re.IGNORECASE)
_FOLLOWER = re.compile(r"\s+(?:" + "|".join(FOLLOWERS) + r")\b")
_FACILITY = {"airport", "air", "base", "airbase", "province", "governorate", "city", "town",
             "district", "region", "border", "crossing", "countryside", "camp", "port"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_BLOCKING_LABELS = {"ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "NORP"}


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` folded like ``names.fold`` and, per folded char, its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _APOSTROPHES:
            continue
        if ch == ".":
            # "D.C." and "St.Petersburg" fold to letters; a full stop ends a word
            if 0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
                continue
            ch = " "
        if ch in _SEPARATORS or ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for low in part.lower():
                if not unicodedata.combining(low):
                    out.append(low)
                    where.append(i)
    return "".join(out), where


@lru_cache(maxsize=32)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=lambda k: (-len(k), k)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _settings_threshold(settings: Any) -> float:
    try:
        return float(settings.facts.fuzzy_threshold)
    except Exception:
        return 85.0


def _region(text: str, start: int, place: Place) -> tuple[int, Place]:
    """Widen a country match preceded by a compass word into a region."""
    if place.level != "country":
        return start, place
    window = max(0, start - 24)
    m = _COMPASS.search(text[window:start])
    if not m:
        return start, place
    direction = (m.group(1) + (m.group(2) or "")).lower() + "ern"
    return (window + m.start(),
            Place(f"{direction} {place.canonical}", place.zone, place.country, "region"))


def scan_places(text: str, *, settings: Any) -> list[tuple[int, int, Place]]:
    """Exact gazetteer matches in ``text`` as (start, end, place), in order; no spaCy."""
    if not isinstance(text, str) or not text:
        return []
    places, variants = tables(settings)
    folded, where = folded_with_map(text)
    found: list[tuple[int, int, Place]] = []
    for m in _pattern(tuple(variants)).finditer(folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if text[end:end + 1] == "." and "." in text[start:end]:
            end += 1  # keep the last full stop of "U.K." with the abbreviation
        span = text[start:end]
        if not any(c.isupper() for c in span) or _FOLLOWER.match(text, end):
            continue
        place = places.get(variants.get(m.group(0), ""))
        if place is None:
            continue
        start, place = _region(text, start, place)
        found.append((start, end, place))
    return found


def _blocked(doc: Any, start: int, end: int) -> bool:
    """Is text[start:end] part of a person's name, or of a longer non-place name?"""
    for ent in getattr(doc, "ents", ()):
        if ent.end_char <= start or ent.start_char >= end:
            continue
        if ent.label_ == "PERSON":
            return True
        if ent.label_ in _BLOCKING_LABELS and (ent.start_char < start or ent.end_char > end):
            extra = (ent.text[:max(0, start - ent.start_char)] + " "
                     + ent.text[max(0, end - ent.start_char):])
            words = {w for w in fold(extra).split() if w != "the"}
            if words and not words & _FACILITY:
                return True
    return False


def _fuzzy(name: str, settings: Any) -> Place | None:
    cleaned = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.IGNORECASE)
    if len(fold(cleaned)) < 5:
        return None
    place = lookup(canonical_name(cleaned, settings=settings), settings=settings)
    if place is not None:
        return place
    places, variants = tables(settings)
    hit = process.extractOne(fold(cleaned), list(variants), scorer=fuzz.ratio,
                             score_cutoff=_settings_threshold(settings))
    return places.get(variants[hit[0]]) if hit else None


def _fact(sentence: Sentence, start: int, end: int, place: Place, how: str) -> Fact:
    text = sentence.text[start:end]
    return Fact(source_id=sentence.source_id, sentence=sentence.index, kind="place",
                text=text, start=start, end=end,
                value={"name": text, "canonical": place.canonical, "zone": place.zone,
                       "country": place.country, "level": place.level, "match": how})


def _find_places(sentence: Sentence, doc: Any, settings: Any) -> list[Fact]:
    text = sentence.text
    facts = [_fact(sentence, s, e, p, "exact") for s, e, p in scan_places(text, settings=settings)
             if doc is None or not _blocked(doc, s, e)]
    taken = [(f.start, f.end) for f in facts]
    for ent in getattr(doc, "ents", ()) if doc is not None else ():
        s, e = ent.start_char, ent.end_char
        if ent.label_ not in _PLACE_LABELS or text[s:e] != ent.text:
            continue
        if any(s < te and ts < e for ts, te in taken):
            continue
        place = _fuzzy(ent.text, settings)
        if place is not None:
            if ent.text.lower().startswith("the "):
                s += 4
            facts.append(_fact(sentence, s, e, place, "fuzzy"))
            taken.append((s, e))
    return sorted(facts, key=lambda f: (f.start, f.end))


def find_places(sentence: Sentence, doc: Any, *, ctx: ArticleContext | None = None,
                settings: Any = None) -> list[Fact]:
    """Place facts of one sentence (``doc`` may be None: then exact matches only)."""
    try:
        return _find_places(sentence, doc, settings)
    except Exception:  # a fact reader must never stop the pipeline
        return []


def article_places(sentences: Sequence[Sentence], *, settings: Any = None) -> tuple[str, ...]:
    """Canonical places the article names, in order of first mention, each once."""
    seen: dict[str, None] = {}
    try:
        for sentence in sentences:
            for _, _, place in scan_places(sentence.text, settings=settings):
                seen.setdefault(place.canonical, None)
    except Exception:
        pass
    return tuple(seen)


def place_info(canonical: str, *, settings: Any = None) -> Place | None:
    """The gazetteer entry (canonical, zone, country, level) for any spelling, or None."""
    try:
        place = lookup(canonical, settings=settings)
        if place is None and isinstance(canonical, str):
            # "eastern Syria" is built from a compass word and a country, not stored
            name = canonical.strip()
            hits = scan_places(name, settings=settings)
            if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(name):
                place = hits[0][2]
        return place
    except Exception:
        return None


def place_zone(canonical: str, *, settings: Any = None) -> str | None:
    """The IANA zone of a gazetteer place (any spelling), or None."""
    place = place_info(canonical, settings=settings)
    return place.zone if place else None
