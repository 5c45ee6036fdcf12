"""The reporting-cue lexicon (``comparer/data/cues.txt``): which words say that someone said,
wrote or thinks something, and under what condition.

The file is data so that a newsroom can read (and extend) what counts as a cue without
reading the rules; the rules that use it live in ``blame.py`` (verbs and "according to" in
the parse) and ``quotes.py`` (quotations, colons and dashes across sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

CueKind = Literal["speech", "writing", "thought", "according-to"]
KINDS: tuple[str, ...] = ("speech", "writing", "thought", "according-to")
FLAGS: tuple[str, ...] = ("clause", "as", "negated", "deny", "strict")
DATA = Path(__file__).resolve().parents[1] / "data" / "cues.txt"


@dataclass(frozen=True)
class Cue:
    words: str  # a verb lemma ("say") or a fixed phrase ("according to")
    kind: CueKind
    flags: frozenset[str]

    @property
    def needs_clause(self) -> bool:
        return "clause" in self.flags

    @property
    def needs_as(self) -> bool:
        return "as" in self.flags

    @property
    def only_negated(self) -> bool:
        return "negated" in self.flags

    @property
    def denies(self) -> bool:
        return "deny" in self.flags

    @property
    def strict(self) -> bool:
        """A failed condition is final: no learned reading may take the verb instead."""
        return "strict" in self.flags


def parse_cues(text: str, *, origin: str = "cues.txt") -> dict[str, Cue]:
    """The lexicon from its text; a malformed line is an error naming the line (the file
    ships with the package, so a mistake in it must fail the tests, not vanish)."""
    out: dict[str, Cue] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        parts = line.split("\t")
        words, kind, flags = (
            parts[0].strip().lower(),
            parts[1].strip() if len(parts) > 1 else "",
            {f.strip() for f in parts[2:] if f.strip()},
        )
        if not words or kind not in KINDS or not flags <= set(FLAGS):
            raise ValueError(
                f"{origin} line {n}: expected 'cue<TAB>kind[<TAB>flag...]' with "
                f"a kind in {KINDS} and flags in {FLAGS}: {raw!r}"
            )
        if words in out:
            raise ValueError(f"{origin} line {n}: {words!r} is listed twice")
        out[words] = Cue(words, kind, frozenset(flags))  # type: ignore[arg-type]
    return out


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Cue]:
    """Every cue of the packaged lexicon, by its words."""
    return parse_cues(DATA.read_text(encoding="utf-8"), origin=str(DATA))


def verb_cue(lemma: str) -> Cue | None:
    """The cue a verb lemma makes ("said" -> say), or None."""
    cue = lexicon().get(lemma.lower())
    return cue if cue is not None and " " not in cue.words else None


def phrase_cues() -> dict[str, Cue]:
    """The fixed phrases ("according to", "in a statement")."""
    return {w: c for w, c in lexicon().items() if " " in w or c.kind == "according-to"}


# Past forms and participles that no spelling rule gives.
_IRREGULAR = {
    "say": "said",
    "tell": "told",
    "write": "wrote written",
    "think": "thought",
    "know": "knew known",
    "find": "found",
    "feel": "felt",
    "hear": "heard",
    "see": "saw seen",
    "swear": "swore sworn",
    "show": "shown",
    "learn": "learnt",
    "dub": "dubbed dubbing",
    "plan": "planned planning",
    "quip": "quipped quipping",
    "blog": "blogged blogging",
    "brag": "bragged bragging",
    "text": "texts texted",
    "retweet": "retweeted retweeting",
    "tweet": "tweeted tweeting",
    "regret": "regretted",
    "admit": "admitted admitting",
    "label": "labelled labeled",
    # verbs the learned scorer (``cue_model.py``) weighs, for the pre-parse filter
    "lay": "laid",
    "seek": "sought",
    "sink": "sank sunk",
    "swing": "swung",
    "fling": "flung",
    "mislead": "misled",
    "withdraw": "withdrew withdrawn",
    "withhold": "withheld",
    "forgive": "forgave forgiven",
    "forget": "forgot forgotten",
    "undo": "undid undone",
    "arise": "arose arisen",
}


def inflections(lemma: str) -> set[str]:
    """The forms a cue verb takes in running text ("urge" -> urges, urged, urging)."""
    forms = {lemma, lemma + "s", lemma + "ed", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(lemma + "es")
    # a short verb ending consonant-vowel-consonant doubles its last letter ("slam" ->
    # slammed); added whatever the stress ("offer" -> "offerred" too): a form that is
    # never written costs nothing in a filter
    if len(lemma) >= 3 and re.fullmatch(r".*[^aeiou][aeiou][^aeiouwxy]", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= set(_IRREGULAR.get(lemma, "").split())
    return forms


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Every word form that can make a sentence hold a cue (for the pre-parse filter)."""
    out: set[str] = set()
    for words in lexicon():
        if " " in words:  # "according to" -> according, "in a statement" -> statement
            out |= {w for w in words.split() if w not in ("in", "a", "as", "to", "the")}
        else:
            out |= inflections(words)
    return frozenset(out)
