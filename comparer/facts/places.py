"""Place facts: the place names a sentence gives, each mapped to one gazetteer entry.

Method, and why:

1. **Exact spellings first** (``gazetteer.scan_places``): every spelling the
   gazetteer knows, folded (case, accents, apostrophes, hyphens), so "Abu Kamal",
   "al-Boukamal" and "Al Bukamal" are one place, with exact spans, no spaCy.
2. **Drop matches that are part of a longer name**, when a spaCy doc is given:
   inside a longer PERSON ("Michael Jordan") or a longer ORG/work/event name that
   is not a facility ("the Washington Post", "Baghdad Operations Command"; but
   "Erbil International Airport" stays). spaCy's label alone is not trusted: the
   small model tags "Al Bukamal" as an ORG and "Al Mayadin" as a PERSON.
3. **Fuzzy fallback, only on spaCy place entities** (GPE, LOC, FAC) that no
   exact spelling covered: ``names.canonical_name`` (which reads ``[facts]
   aliases``), then rapidfuzz against the gazetteer spellings at ``[facts]
   fuzzy_threshold``. Fuzzy-matching every capitalised word would turn the name
   "Baghdadi" into Baghdad.

Each fact's value: ``name`` (as written), ``canonical``, ``zone`` (IANA or
None), ``country``, ``level`` (country | region | city | town | site | place)
and ``match`` (exact | fuzzy). Public functions never raise: a fact reader must
not stop the pipeline, so on unexpected input they return nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process

from comparer.datelines import AGENCIES, ANY_DATE
from comparer.facts.blame import BLAME_VERBS, blame_on
from comparer.facts.context import ArticleContext
from comparer.facts.cues import lexicon
from comparer.facts.gazetteer import Place, place_info, scan_places, tables
from comparer.facts.names import canonical_name, fold
from comparer.records import Fact, Sentence
from comparer.settings import Settings

_FACILITY = {
    "airport",
    "air",
    "base",
    "airbase",
    "province",
    "governorate",
    "city",
    "town",
    "district",
    "region",
    "border",
    "crossing",
    "countryside",
    "camp",
    "port",
}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_BLOCKING_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "NORP"}


def _blocked(doc: Any, start: int, end: int) -> bool:
    """Is text[start:end] part of a person's name, or of a longer non-place name?"""
    for ent in getattr(doc, "ents", ()):
        if ent.end_char <= start or ent.start_char >= end or ent.label_ not in _BLOCKING_LABELS:
            continue
        # a name spaCy gives exactly the span of a known place is the place, whatever the
        # label (the small model calls "Al Mayadin" a PERSON and "Al Bukamal" an ORG)
        extra = (
            ent.text[: max(0, start - ent.start_char)]
            + " "
            + ent.text[max(0, end - ent.start_char) :]
        )
        words = {w for w in fold(extra).split() if w != "the"}
        if words and (ent.label_ == "PERSON" or not words & _FACILITY):
            return True
    return False


# Verbs whose subject or target is someone, not somewhere: "Washington blamed the attack on
# Damascus", "Ankara accused Damascus", "held Damascus responsible".
_BLAME_LEMMAS = BLAME_VERBS | {"hold"}


def _as_actor(doc: Any, start: int, end: int) -> bool:
    """Is the place at text[start:end] a capital or country standing for its government:
    the subject of a reporting or blaming verb, or who is blamed or accused?"""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    heads = [t for t in span if t.head.i == t.i or not start <= t.head.idx < end]
    if len(heads) != 1:
        return False
    tok = heads[0]
    verb = tok.head
    if tok.dep_ == "nsubj" and verb.pos_ in ("VERB", "AUX"):
        lemma = verb.lemma_.lower()
        cue = lexicon().get(lemma)
        # speech and writing only: "Aleppo saw heavy fighting" is a place
        return (cue is not None and cue.kind in ("speech", "writing")) or lemma in _BLAME_LEMMAS
    if tok.dep_ == "dobj" and verb.lemma_.lower() in _BLAME_LEMMAS:
        return True  # "accused Damascus of", "blamed Moscow for"
    # "blamed the attack on Damascus", wherever the parser hangs the "on" (``blame_on``);
    # "the strike on Idlib" with no blame is a place
    if tok.dep_ != "pobj" or verb.lower_ != "on":
        return False
    for head in verb.ancestors:
        on = blame_on(head) if head.pos_ == "VERB" else None
        if on is not None and on.i == verb.i:
            return True
    return False


def _threshold(settings: Settings | None) -> float:
    if settings is None:  # readers called without settings (tests, the facts command)
        return 85.0
    return float(settings.facts.fuzzy_threshold)


def _fuzzy(name: str, settings: Settings | None) -> Place | None:
    """A gazetteer place for a spelling no table has, at the fuzzy threshold."""
    key = fold(name)
    if len(key) < 5:  # short names ("Ur", "Qaim") match too much by ratio
        return None
    place = place_info(canonical_name(name, settings=settings), settings=settings)
    if place is not None:
        return place
    places, variants, _ = tables(settings)
    hit = process.extractOne(
        key, list(variants), scorer=fuzz.ratio, score_cutoff=_threshold(settings)
    )
    return places.get(variants[hit[0]]) if hit else None


def _fact(sentence: Sentence, start: int, end: int, place: Place, how: str) -> Fact:
    text = sentence.text[start:end]
    return Fact(
        source_id=sentence.source_id,
        sentence=sentence.index,
        kind="place",
        text=text,
        start=start,
        end=end,
        value={
            "name": text,
            "canonical": place.canonical,
            "zone": place.zone,
            "country": place.country,
            "level": place.level,
            "match": how,
        },
    )


# A wire dateline left inside run-together copy: "... said Friday. DAMASCUS (Sputnik) The
# US launched ...": a place in capitals right before an agency in brackets is where the
# story was filed, not where the event happened.
_AGENCY_AFTER = re.compile(
    r"\s*(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s*)?\((?:[A-Z][\w.&-]*\s?){1,3}\)"
)
# An agency and the filing date after a place, run into the copy of a page saved without
# its line breaks: "... in Syria Moscow AFP Saturday 7 Oct 2017 Russian strikes hit ...".
_AGENCY_DATE_AFTER = re.compile(rf"\s*\(?{AGENCIES}\)?\s+{ANY_DATE}")
# "Idlib province", "the Aleppo countryside": the region around a city, not the city.
_REGION_AFTER = re.compile(r"\s+(?:province|governorate|countryside)\b", re.IGNORECASE)


def _dateline(text: str, start: int, end: int) -> bool:
    name = text[start:end]
    if _AGENCY_DATE_AFTER.match(text, end) is not None:
        return True  # "Moscow AFP Saturday 7 Oct 2017": where the wire filed from
    return (
        len(name) >= 3
        and name.isupper()
        and _AGENCY_AFTER.match(text, end) is not None
        and (start == 0 or bool(re.search(r"[.!?\"\u201d)]\s*$|^\s*$", text[:start])))
    )


def _not_the_scene(text: str, doc: Any, start: int, end: int) -> bool:
    """A place named as where the wire filed from, or as a government that speaks or is
    blamed, is not where anything happened."""
    return _dateline(text, start, end) or (doc is not None and _as_actor(doc, start, end))


def _as_province(text: str, end: int, place: Place) -> Place:
    """The region a city names when "province" (or the like) follows it."""
    if place.level not in ("city", "town") or not _REGION_AFTER.match(text, end):
        return place
    return place._replace(canonical=f"{place.canonical} province", level="region")


def _find(sentence: Sentence, doc: Any, settings: Settings | None) -> list[Fact]:
    text = sentence.text
    facts = [
        _fact(sentence, s, e, _as_province(text, e, p), "exact")
        for s, e, p in scan_places(text, settings=settings)
        if not (doc is not None and _blocked(doc, s, e)) and not _not_the_scene(text, doc, s, e)
    ]
    taken = [(f.start, f.end) for f in facts]
    for ent in getattr(doc, "ents", ()) if doc is not None else ():
        start, end = ent.start_char, ent.end_char
        if ent.label_ not in _PLACE_LABELS or text[start:end] != ent.text:
            continue
        if _not_the_scene(text, doc, start, end):
            continue
        if any(start < te and ts < end for ts, te in taken):
            continue
        lead = re.match(r"the\s+", ent.text, re.I)
        start += lead.end() if lead else 0
        place = _fuzzy(text[start:end], settings)
        if place is not None and start < end:
            facts.append(_fact(sentence, start, end, place, "fuzzy"))
            taken.append((start, end))
    return sorted(facts, key=lambda f: (f.start, f.end))


def find_places(
    sentence: Sentence,
    doc: Any,
    *,
    ctx: ArticleContext | None = None,
    settings: Settings | None = None,
) -> list[Fact]:
    """Place facts of one sentence; ``doc`` (spaCy, of ``sentence.text``) may be None."""
    return _find(sentence, doc, settings)  # failures: the reader's one guard


def article_places(
    sentences: Sequence[Sentence], *, settings: Settings | None = None
) -> tuple[str, ...]:
    """Canonical places the article names, in order of first mention, each once (no spaCy)."""
    seen: dict[str, None] = {}
    for sentence in sentences or ():
        for _, _, place in scan_places(getattr(sentence, "text", None), settings=settings):
            seen.setdefault(place.canonical, None)
    return tuple(seen)


def _known(canonical: str, settings: Settings | None) -> Any:
    # extra_places entries are checked when settings load (comparer/settings.py)
    return place_info(canonical, settings=settings)


def place_zone(canonical: str, *, settings: Settings | None = None) -> str | None:
    """The IANA zone of a gazetteer place (any spelling it knows), or None."""
    place = _known(canonical, settings)
    return place.zone if place else None


def place_level(canonical: str, *, settings: Settings | None = None) -> str | None:
    """country | region | city | town | site | place, or None for an unknown name."""
    place = _known(canonical, settings)
    return place.level if place else None
