"""Quotations: where they are, and who is quoted, across sentences and paragraphs.

The attribution readers (``blame.py``) work one sentence at a time on the parse. Quotations
do not: "We were not consulted. Nobody called us," the mayor said. -- both sentences are
the mayor's, and a paragraph that is one quotation often has its speaker in the sentence
before ("The senator wrote on social media:") or after. This module

- finds quotation spans in an article's text (curly and straight marks; a quotation left
  open is closed at the end of its paragraph, as news style leaves it when the quote runs
  on into the next paragraph);
- tells speech from scare quotes and titles (the so-called "deal": a few words with no
  sentence inside and no cue next to them);
- links each quotation to the attribution that introduces or closes it, and gives every
  sentence it covers that attribution (with ``quote``: the quoted words);
- reads the two cues that are punctuation, not verbs: a speaker's name and a colon at the
  start of a paragraph (transcripts, "Pence: ..." headlines) and a dash and a name after a
  closing quotation mark ('..." -- Jane Doe').

``quoted_ranges``/``in_quote`` (within one sentence) serve the parse readers: a speech verb
inside quotation marks belongs to the quoted speaker, not to the article.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from comparer.facts.names import canonical_name, fold
from comparer.facts.people import person_names
from comparer.records import Fact, Sentence
from comparer.settings import Settings

_QUOTE_OPEN = "\u201c\u00ab"
_QUOTE_CLOSE = "\u201d\u00bb"
# A straight quotation mark opens after a space, a bracket or a dash, else it closes.
_OPENS_AFTER = "([\u2014\u2013-\u2015/"
# Shorter than this, with no sentence inside and no cue beside it, a quotation is a scare
# quote or a title ("the so-called \u201cdeal\u201d"), not speech.
MIN_SPEECH_WORDS = 4


# ---------------------------------------------------------------- within one sentence
def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks. A closing mark with no opening
    one means the sentence started inside a quote, unless a quotation already
    opened and closed before it (then the sentence did not start inside one: the
    mark is a stray, such as the close of an excerpt quoted over several
    paragraphs); an opening mark with no closing one runs to the end."""
    ranges: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(text):
        if ch == '"':
            before = text[i - 1] if i else " "
            opening = before.isspace() or before in _OPENS_AFTER
            ch = _QUOTE_OPEN[0] if opening and start is None else _QUOTE_CLOSE[0]
        if ch in _QUOTE_OPEN and start is None:
            start = i
        elif ch in _QUOTE_CLOSE:
            if start is not None or not ranges:
                ranges.append((0 if start is None else start, i + 1))
            start = None
    if start is not None:
        ranges.append((start, len(text)))
    return ranges


def in_quote(token: Any, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= token.idx < b for a, b in ranges)


# ---------------------------------------------------------------- across an article
@dataclass(frozen=True)
class Quote:
    start: int  # offsets in the article text, marks included
    end: int
    text: str  # the quoted words, marks excluded
    closed: bool  # False: left open, closed here at the end of its paragraph
    # Opens a paragraph right after a quotation left open: the same speaker goes on (news
    # style leaves the mark off the end of every paragraph of a long quotation but the last).
    continues: bool = False

    @property
    def is_speech(self) -> bool:
        """Speech, not a scare quote or a title: long enough, or holding a sentence."""
        words = self.text.split()
        return len(words) >= MIN_SPEECH_WORDS or bool(re.search(r"[.!?,]\s*$", self.text))


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in an article's text, in order."""
    out: list[Quote] = []
    start: int | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        # A line break ends a paragraph in extracted text: an open quotation stops there.
        if ch == "\n" and start is not None:
            out.append(_quote(text, start, i, closed=False))
            start = None
        elif ch == '"':
            before = text[i - 1] if i else " "
            if start is None and (before.isspace() or before in _OPENS_AFTER):
                start = i
            elif start is not None:
                out.append(_quote(text, start, i + 1, closed=True))
                start = None
        elif ch in _QUOTE_OPEN:
            if start is not None:  # a new opening mark: the last quote ran to here
                out.append(_quote(text, start, i, closed=False))
            start = i
        elif ch in _QUOTE_CLOSE and start is not None:
            out.append(_quote(text, start, i + 1, closed=True))
            start = None
        i += 1
    if start is not None:
        out.append(_quote(text, start, len(text), closed=False))
    out = [q for q in out if q.text]
    for k in range(1, len(out)):
        prev, q = out[k - 1], out[k]
        if not prev.closed and not text[prev.end : q.start].strip():
            out[k] = dataclasses.replace(q, continues=True)
    return out


def _quote(text: str, start: int, end: int, *, closed: bool) -> Quote:
    inner_end = end - 1 if closed else end
    inner = text[start + 1 : inner_end].strip()
    return Quote(start=start, end=end, text=inner, closed=closed)


# ---------------------------------------------------------------- punctuation cues
# "PENCE: We ..." / "Pat Caddell: Democrat voters ..." at the start of a paragraph.
_COLON_SPEAKER = re.compile(
    r"^[\"\u201c]?(?P<name>(?:[A-Z][A-Za-z.'\u2019-]+|[A-Z]{2,})(?:\s+(?:[A-Z][A-Za-z.'\u2019-]+|"
    r"[A-Z]{2,}|de|al|bin|van|von)){0,3})\s*:\s+\S"
)
# Labels that end in a colon but name no speaker.
_NOT_SPEAKERS = frozenset(
    """update updated note editor editors photo photos image images watch
    video related read more correction source sources credit getty ap reuters afp caption
    warning breaking exclusive analysis opinion listen transcript subscribe advertisement
    q a question answer tags topics share""".split()
)
_TITLE_LINKS = frozenset(
    """Over To In With On At Into Onto From Under After Before About Against Vs Is Are Was
    Were Be""".split()
)
# '..." -- Jane Doe' / '...\u201d \u2015 Sonya Herridge': a dash and a name after a quotation.
_DASH_SPEAKER = re.compile(
    r"[\"\u201d]\s*(?P<dash>[\u2014\u2013\u2015]|--)\s*(?P<name>[A-Z][\w.'\u2019-]*"
    r"(?:\s+[A-Z][\w.'\u2019-]*){0,3})"
)


def punctuation_cues(
    sentences: Sequence[Sentence], *, settings: Settings | None = None
) -> list[Fact]:
    """Source facts for a colon after a speaker's name at a paragraph's start and for a dash
    and a name after a closing quotation mark.

    A colon label counts only when the article names it again elsewhere ("Pence: ..." and
    later "Mike Pence"; a transcript repeats its speakers): a headline's "Stealth Over
    Health:" or "The Latest:" names no one.
    """
    out: list[Fact] = []
    last_paragraph = None
    people: set[str] | None = None  # last words of the people the article names, if needed
    surnames: set[str] = set()  # person_names' running set of full names' surnames
    for s in sentences:
        first = s.paragraph != last_paragraph
        last_paragraph = s.paragraph
        m = _COLON_SPEAKER.match(s.text) if first else None
        if m and _labels_a_speaker(m.group("name"), s, sentences):
            name = m.group("name")
            colon = s.text.index(":", m.end("name"))
            if people is None:  # worked out once, and only for an article with a label
                people = set()
                for t in sentences:
                    people |= {
                        fold(p.name).split()[-1] for p in person_names(t.text, surnames=surnames)
                    }
            person = name.isupper() or fold(name).split()[-1] in people
            out.append(_fact(s, 0, colon + 1, name, ":", settings, person=person))
        for d in _DASH_SPEAKER.finditer(s.text):
            name = d.group("name").rstrip(".")
            out.append(
                _fact(
                    s,
                    d.start("dash"),
                    d.start("name") + len(name),
                    name,
                    d.group("dash"),
                    settings,
                    person=True,
                )
            )
    return out


def _labels_a_speaker(name: str, here: Sentence, sentences: Sequence[Sentence]) -> bool:
    words = name.lower().replace("'", " ").split()  # not fold(): it drops "the"
    if not words or set(words) & _NOT_SPEAKERS or words[0] in ("the", "a", "an"):
        return False
    # A headline's phrase in title case ("Stealth Over Health:", "Back To School:") joins
    # its words with a preposition or a verb; a name does not ("Bank of America" keeps
    # its "of" in lower case).
    if any(w in _TITLE_LINKS for w in name.split()[1:]):
        return False
    last = re.compile(rf"\b{re.escape(name.split()[-1])}\b", re.IGNORECASE)
    return any(last.search(s.text[len(name) + 1 :] if s is here else s.text) for s in sentences)


def _fact(
    s: Sentence,
    start: int,
    end: int,
    name: str,
    cue: str,
    settings: Settings | None,
    *,
    person: bool,
) -> Fact:
    display = name.title() if name.isupper() and len(name) > 3 else name  # "PENCE" -> "Pence"
    value = {
        "relation": "source",
        "speaker": display,
        "canonical": canonical_name(display, settings=settings),
        "type": "named_person" if person else "organisation",
        "cue": cue,
        "via": None,
        "organisation": None,
        "stance": "asserted",
        "cue_kind": "speech",
    }
    return Fact(
        source_id=s.source_id,
        sentence=s.index,
        kind="attribution",
        text=s.text[start:end],
        start=start,
        end=end,
        value=value,
    )


# ---------------------------------------------------------------- quotations and speakers
def _source_facts(facts: Sequence[Fact]) -> list[Fact]:
    return [
        f
        for f in facts
        if f.kind == "attribution"
        and f.value.get("relation", "source") == "source"
        and f.value.get("speaker")
    ]


def attach_quotes(text: str, sentences: Sequence[Sentence], facts: Sequence[Fact]) -> list[Fact]:
    """``facts`` (one article, reading order) with each quotation given to its speaker.

    The attribution that owns a quotation is, in order: one in the sentence where it ends,
    outside it (the closing tag: '...," the mayor said.'); one in the sentence where it
    starts, before it ('The mayor said, "...'); one in the sentence just before it when that
    sentence ends with a colon ('The senator wrote on social media:'). That fact gains
    ``quote`` (the quoted words), and every other sentence the quotation covers that has no
    source of its own gains a copy with ``cue_sentence`` (where the cue is) and the quoted
    part of that sentence as its evidence.
    """
    if not sentences:
        return list(facts)
    by_sentence: dict[int, list[Fact]] = {}
    for f in facts:
        by_sentence.setdefault(f.sentence, []).append(f)
    extra: list[Fact] = []
    quoted: dict[int, str] = {}  # id(fact) -> the quotation it owns
    last_owner: Fact | None = None
    for q in find_quotes(text):
        covered = [s for s in sentences if s.start < q.end and q.start < s.end]
        if not covered or not q.is_speech:  # scare quotes and titles are nobody's words
            last_owner = None
            continue
        owner = _owner(q, covered, sentences, by_sentence)
        if owner is None and q.continues:
            owner = last_owner
        last_owner = owner
        if owner is None:
            continue
        if id(owner) not in quoted:
            quoted[id(owner)] = q.text
        for s in covered:
            if s.index == owner.sentence or _source_facts(by_sentence.get(s.index, [])):
                continue
            a, b = max(q.start, s.start) - s.start, min(q.end, s.end) - s.start
            piece = s.text[a:b]
            extra.append(
                Fact(
                    source_id=s.source_id,
                    sentence=s.index,
                    kind="attribution",
                    text=piece,
                    start=a,
                    end=b,
                    value={**owner.value, "quote": q.text, "cue_sentence": owner.sentence},
                )
            )
    out = [
        dataclasses.replace(f, value={**f.value, "quote": quoted[id(f)]})
        if id(f) in quoted and "quote" not in f.value
        else f
        for f in facts
    ]
    return sorted(out + extra, key=lambda f: (f.sentence, f.start, f.end))


def _owner(
    q: Quote,
    covered: list[Sentence],
    sentences: Sequence[Sentence],
    by_sentence: dict[int, list[Fact]],
) -> Fact | None:
    last, first = covered[-1], covered[0]
    outside = [
        f
        for f in _source_facts(by_sentence.get(last.index, []))
        if not (q.start <= last.start + f.start < q.end)
    ]
    after = [f for f in outside if last.start + f.start >= q.end]
    if after:
        return after[0]
    before = [
        f for f in _source_facts(by_sentence.get(first.index, [])) if first.start + f.end <= q.start
    ]
    if before:
        return before[-1]
    if first.index > 0:
        prev = (
            sentences[first.index - 1]
            if sentences[first.index - 1].index == first.index - 1
            else next((s for s in sentences if s.index == first.index - 1), None)
        )
        if prev is not None and prev.text.rstrip().endswith(":"):
            intro = _source_facts(by_sentence.get(prev.index, []))
            if intro:
                return intro[-1]
    return None
