"""Attributions: who says so, who is blamed, who did it.

``find_attributions`` returns one ``Fact`` (kind "attribution") per cue, with
its evidence span; ``value["relation"]`` is ``source`` ("said John Kirby", "A
top US official told Fox News", "according to Marine Corps Times"), ``blame``
("blamed the attack on ...") or ``responsibility`` ("carried out by ...",
"claimed responsibility", "denied involvement"). ``blame.py`` reads those cues
from the spaCy dependency parse, ``speakers.py`` names and types who a cue points at
(``named_person``, ``official_role``, ``anonymous_official``, ..., ``unresolved`` for a
pronoun, which ``resolve_speakers`` below fills in from earlier sentences). This module
holds the quotation ranges (speech verbs inside quotation marks belong to the quoted
speaker and are skipped) and the public entry points. Nothing here raises: a failure
costs one sentence its attributions.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from comparer.facts.context import ArticleContext
from comparer.facts.names import fold
from comparer.facts.speakers import ANON_NOUNS, ROLE_NOUNS, span_of
from comparer.models import Fact, Sentence

_QUOTE_OPEN = "\u201c\u00ab"
_QUOTE_CLOSE = "\u201d\u00bb"


# ---------------------------------------------------------------- quotations
def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks. A closing mark with no opening
    one means the sentence started inside a quote; an opening mark with no
    closing one runs to the end."""
    ranges, start = [], None
    for i, ch in enumerate(text):
        if ch == '"':
            before = text[i - 1] if i else " "
            opening = before.isspace() or before in "([\u2014-"
            ch = _QUOTE_OPEN[0] if opening and start is None else _QUOTE_CLOSE[0]
        if ch in _QUOTE_OPEN and start is None:
            start = i
        elif ch in _QUOTE_CLOSE:
            ranges.append((0 if start is None else start, i + 1))
            start = None
    if start is not None:
        ranges.append((start, len(text)))
    return ranges


def in_quote(token: Any, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= token.idx < b for a, b in ranges)


# ---------------------------------------------------------------- public API
def find_attributions(sentence: Sentence, doc: Any, *, ctx: ArticleContext,
                      settings: Any) -> list[Fact]:
    """Source, blame and responsibility attributions in one sentence (never raises)."""
    try:
        return _find(sentence, doc, ctx=ctx, settings=settings)
    except Exception:  # a parser surprise must cost one sentence, not the comparison
        return []


def _find(sentence: Sentence, doc: Any, *, ctx: ArticleContext, settings: Any) -> list[Fact]:
    # blame.py uses the quotation helpers above; importing it here keeps the
    # dependency one way at import time.
    from comparer.facts.blame import blame_in, regex_sources, sources_in

    text = sentence.text
    if not isinstance(text, str) or not text.strip():
        return []
    if doc is None or getattr(doc, "text", None) != text:
        spans = regex_sources(text, settings=settings)
    else:
        sources = sources_in(doc, settings)
        spans = [(*span_of(tokens), value) for _cue, tokens, value in sources]
        spans += blame_in(doc, sources, settings=settings)
    facts, seen = [], set()
    for start, end, value in sorted(spans, key=lambda s: (s[0], s[1])):
        while end > start and text[end - 1] in " ,;:":
            end -= 1
        key = (start, end, value.get("relation"), value.get("actor"))
        if end <= start or key in seen:
            continue
        seen.add(key)
        facts.append(Fact(source_id=sentence.source_id, sentence=sentence.index,
                          kind="attribution", text=text[start:end], start=start, end=end,
                          value=dict(value)))
    return facts


def resolve_speakers(facts: Sequence[Fact], *, settings: Any = None) -> list[Fact]:
    """Give pronoun and surname speakers the name used earlier in the same article.

    A post-pass over articles' facts in reading order: "he"/"she" takes the last
    single speaking person (named, a role, or "an official"), "it" the last
    organisation or outlet, and a lone surname ("Kirby said", which NER may call
    an organisation) the canonical full name an earlier sentence gave ("said John
    Kirby"). A replaced pronoun stays in ``written``; other facts pass unchanged.
    """
    out: list[Fact] = []
    people: dict[str, list[dict]] = {}  # source -> speaking persons, in order
    bodies: dict[str, dict] = {}
    for fact in facts:
        value, new = fact.value, None
        speaker = value.get("speaker") if fact.kind == "attribution" else None
        if not isinstance(speaker, str):
            out.append(fact)
            continue
        seen, kind = people.setdefault(fact.source_id, []), value.get("type")
        keys = ("speaker", "canonical", "type", "organisation")
        if kind == "unresolved" and speaker.lower() in ("he", "she") and seen:
            new = {**seen[-1], "speaker": seen[-1]["canonical"] or seen[-1]["speaker"]}
        elif kind == "unresolved" and speaker.lower() == "it" and fact.source_id in bodies:
            new = dict(bodies[fact.source_id])
        elif kind in ("named_person", "organisation") and " " not in speaker.strip():
            full = [p["canonical"] for p in reversed(seen) if p["type"] == "named_person"
                    and fold(p["speaker"]).split()[-1:] == [fold(speaker)]]
            if full:  # the surname of someone already named: keep it as written
                new = {"canonical": full[0], "type": "named_person"}
        if new is not None:
            value = {**value, **new, **({"written": speaker} if "speaker" in new else {})}
            fact = dataclasses.replace(fact, value=value)
        words, kind = fold(value["speaker"]).split(), value.get("type")
        plural = any(w[-1:] == "s" and w[:-1] in ANON_NOUNS | ROLE_NOUNS for w in words)
        if kind in ("named_person", "official_role") or (
                kind == "anonymous_official" and not plural and "people" not in words):
            seen.append({k: value.get(k) for k in keys})  # the latest person speaking
        elif kind in ("organisation", "news_outlet"):
            bodies[fact.source_id] = {k: value.get(k) for k in keys}
        out.append(fact)
    return out
