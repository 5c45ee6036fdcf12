"""Where a fact sits in its sentence: the event it hangs on, and what tells that event apart.

A news story about one strike also reports the attack it answers, the war's total toll
and the day an official spoke. Comparing those with the strike is what made most flags
on real coverage false. This module reads, for every fact, the *frame* of its clause; the
events stage (``comparer/events.py``) then decides which event each fact describes.

Method (Giveme5W1H-style: who/what/when/where come from the clause of the event):

1. **The clause.** From the fact's head token, climb the dependency parse to the verb
   that governs it ("17 were **killed** in the strike"), and past participles and gerunds
   that extend an earlier verb (", **killing** 17" -> the verb before it) or coordinated
   verbs ("hit X and killed 17"). A relative clause takes the noun it describes ("an
   attack on 9 August **that killed** two guards" -> the attack). The clause is that
   verb's subtree, less the nested clauses that do not hold the fact.
2. **What is in it**: the event word nearest the fact (``data/events.toml``, by type),
   whether a casualty word is there, the towns and the days (place and time facts whose
   spans lie inside the clause), and background markers: a war-wide count ("since 2011",
   "since the start of the conflict", "the war has killed"), another occasion
   ("separately", "elsewhere", "in a separate attack", "last year", "earlier this
   month").
3. **Statement times.** A time that hangs on a reporting verb ("said **Sunday**", "**on
   Tuesday**, the spokesman said") tells when someone spoke, not when the event happened.

Without a parse (a sentence the reader did not send to spaCy) the frame is the whole
sentence's, read with the same lexicon and markers; a time right after a reporting verb is
still a statement time.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from comparer.facts.gazetteer import province_of
from comparer.records import Fact

DATA = Path(__file__).resolve().parents[1] / "data" / "events.toml"
GENERIC = "attack"
REPORTING = frozenset(
    """say tell announce report state confirm add claim write tweet post
declare note explain warn insist deny accuse brief publish release issue comment quote
cite testify acknowledge admit""".split()
)
# Nested clauses that speak of something else unless they hold the fact itself.
_NESTED = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl"})
_TIME_DEPS = frozenset(
    {
        "pobj",
        "prep",
        "npadvmod",
        "tmod",
        "nummod",
        "compound",
        "amod",
        "det",
        "appos",
        "advmod",
        "quantmod",
        "cc",
        "conj",
        "nmod",
    }
)

# Markers that a count or a time belongs to something other than the reported event.
# Clause level: they must sit in the fact's own clause. War words only in lower case: "the
# Syrian Revolution General Commission" is a body, not the war.
_WAR_TOTAL = re.compile(
    # (clause text is tokens joined by spaces: "mid-2014" may read "mid - 2014")
    r"\bsince\s+(?:(?:early|late|mid\s*-?)\s*)?(?:19|20)\d\d\b|"
    r"\bsince\s+the\s+(?:start|beginning|outbreak|onset)\b|"
    # a count since a truce broke or an offensive began is a period's total, not one attack's
    # (clause text is tokens joined by spaces: "cease - fire", "U.S. - Russian")
    r"\bsince\s+(?:a|an|the|its|their)\s+(?:[\w.-]+\s+){0,6}?(?:truce|cease\s*-?\s*fire|"
    r"offensive|campaign|siege|operation|onslaught|assault)s?\b|"
    # ("the six - year - old civil war": hyphens are tokens of their own)
    r"\b(?:the|syria'?s|this|its|a)\s+(?:[\w-]+\s+){0,7}?(?-i:war|conflict|uprising|revolution|"
    r"crisis)\b(?!\s*-?\s*(?:monitor|crimes?|planes?|zone|correspondent|reporter|torn|ravaged))|"
    r"\bsince\s+(?:it|the\s+\w+)\s+(?:began|started|erupted|broke\s+out)\b|"
    # a count "in 2014" is that year's total ("66 journalists killed in 2014")
    r"\bin\s+(?:19|20)\d\d\b(?!\s*-)|"
    # "since then more than 300 people have been killed": a period's total
    r"\bsince\s+then\b|"
    r"\b(?:in\s+total|so\s+far\s+this\s+year|this\s+year|over\s+the\s+(?:past|last)\s+"
    r"(?:\w+\s+)?(?:years?|months?|weeks?))\b",
    re.IGNORECASE,
)
# "over the past week", "during the last three days": a period, not one occasion
_PERIOD_PAST = (
    r"\b(?:in|over|during)\s+the\s+(?:past|last|previous)\s+(?:\w+\s+)?"
    r"(?:days?|weeks?|months?|years?)\b"
)
_OTHER_OCCASION = re.compile(
    r"\b(?:last\s+(?:year|month|week)|earlier\s+(?:this|last|in\s+the)\s+(?:year|month|week)|"
    r"(?:a|one|two|three|several|few)\s+(?:days?|weeks?|months?|years?)\s+(?:ago|earlier|"
    r"before)|in\s+(?:a|another)\s+(?:separate|similar|previous|earlier)\b|"
    r"\bprevious(?:ly)?\b|in\s+another\s+(?:attack|strike|raid|incident|blast|bombing)|"
    r"\brecent\s+(?:\w+\s+)?(?:attacks?|strikes?|raids?|bombings?|rocket|missile|blasts?)|"
    rf"{_PERIOD_PAST}|\b(?:since|in|during|until)\s+(?:early\s+|late\s+|mid\s*-?\s*|the\s+(?:end|start|"
    r"beginning|middle)\s+of\s+)?(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b(?!\s+\d{1,2}\b)|\bthis\s+month\b|"
    r"\bsince\s+(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?|\brecently\b|"
    r"\b(?:the\s+)?(?:first|past|last)\s+(?:\w+\s+)?(?:months|weeks)\s+of\b|"
    r"\bin\s+(?:a|one|the\s+past)\s+(?:week|month)\b|"
    r"\bfrom\s+(?:(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+)?(?:19|20)\d\d\b|"
    r"\bacross\s+(?:syria|iraq|the\s+country|the\s+region)\b|"
    r"\bin\s+(?:revenge|retaliation|response|reprisal)\s+(?:for|to)\b)",
    re.IGNORECASE,
)
# Sentence level: they set the whole sentence apart, wherever they stand in it (wire copy
# run together with a subhead: "... school incident In another incident at least five ...").
_SEPARATELY = re.compile(
    r"(?:^|\b)\W*(?:separately|elsewhere|meanwhile|"
    r"in\s+the\s+same\s+context|in\s+a\s+separate\s+\w+|"
    r"in\s+another\s+incident|^\W*(?:recently|previously)\b|"
    r"in\s+another\s+\w+|also\s+on\s+\w+day|"
    # "Separate air strikes southwest of the town killed 12"
    r"^\W*separate)\b",
    re.IGNORECASE,
)
# "killed ... since the regime and Russian jets began an offensive": a period's total even when
# the parser cut the clause before "began" (read on the clause and the words after it up to
# the next comma).
_SINCE_BEGAN = re.compile(
    r"\bsince\s+(?:[\w.'-]+\s+){1,8}?(?:began|launched|started|stepped\s+up)\s+"
    r"(?:a|an|the|its|their)\s+(?:[\w-]+\s+){0,3}?(?:offensive|campaign|operation|assault|"
    r"onslaught|siege|push)\b",
    re.IGNORECASE,
)
# "The attack comes a day after an airstrike on Monday killed 12": what follows is an earlier
# occasion the story's event is set against. Read on the sentence up to the fact's clause, so
# a count told before it ("The attack, which killed four, comes ...") stays the event's.
_COMES_AFTER = re.compile(
    r"\b(?:comes?|came|follow(?:s|ed)?)\s+(?:just\s+|only\s+)?(?:a|an|one|two|three|four|five|"
    r"six|several|few|\d+)\s+(?:days?|weeks?|months?|hours?)\s+after\b",
    re.IGNORECASE,
)
# "the deadliest since 2015" compares the event with the past; it is no war-wide count.
# So does "the worst reported use of poison gas in the two-year-old civil war".
_SUPERLATIVE_SINCE = re.compile(
    r"\b(?:\w+est|worst|first|biggest|largest)\s+(?:\w+\s+){0,3}"
    r"since\b|"
    r"\bthe\s+(?:\w+est|worst|biggest|largest)\s+(?:[\w-]+\s+){0,6}(?:in|of|during)\s+"
    r"(?:the|this|its|syria'?s)\b",
    re.IGNORECASE,
)
_REPORTED_BEFORE = re.compile(
    r"\b(?:said|told|announced|reported|stated|confirmed|added|"
    r"claimed|wrote|tweeted|posted)\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)


# A day written as a calendar date ("25 February", "2016-10-07"), not a weekday or
# "yesterday" counted back from a publication time that may be a day or a week off.
CALENDAR_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Frame:
    """What a fact's clause says about the event the fact describes."""

    event_type: str | None = None  # type of the nearest event word ("airstrike"), if any
    event_span: tuple[int, int] | None = None  # that word's span in the sentence
    casualty: bool = False  # the clause reports deaths or injuries
    towns: frozenset[str] = frozenset()  # canonical towns and cities in the clause
    provinces: frozenset[str] = frozenset()  # provinces it names ("in Idlib province")
    days: frozenset[date] = frozenset()  # days of the event times in the clause
    background: str | None = None  # why it is about another occasion: the marker found
    statement: bool = False  # times: when someone spoke, not when it happened


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], tuple[tuple[str, str], ...], frozenset[str]]:
    """(one-word entries -> type, multi-word entries (longest first), casualty words)."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    single: dict[str, str] = {}
    multi: list[tuple[str, str]] = []
    for kind, words in data["types"].items():
        for word in words:
            if " " in word:
                multi.append((word, kind))
            else:
                single.setdefault(word, kind)
    multi.sort(key=lambda p: -len(p[0]))
    return single, tuple(multi), frozenset(data["casualty"]["words"])


@lru_cache(maxsize=1)
def _multi_re() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of the multi-word entries, longest first (so "car bomb" wins over
    "bomb" and "suicide bombing" over "bombing")."""
    _, multi, _ = lexicon()
    kinds = {phrase: kind for phrase, kind in multi}
    alternation = "|".join(re.escape(phrase) for phrase, _ in multi)
    return re.compile(rf"\b({alternation})s?\b"), kinds


@lru_cache(maxsize=16384)  # syndicated copy repeats sentences; leads are read twice
def event_words(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, type) of every event word in ``text``, without a parse."""
    single = lexicon()[0]
    multi_re, kinds = _multi_re()
    low = text.lower()
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for m in multi_re.finditer(low):
        found.append((m.start(), m.end(), kinds[m.group(1)]))
        taken.update(range(m.start(), m.end()))
    for m in re.finditer(r"[a-z]+(?:-[a-z]+)?", low):
        if m.start() in taken:
            continue
        word = m.group()
        kind = next((single[w] for w in _forms(word) if w in single), None)
        if kind is None or (word.startswith("operation") and not _operation_of_war(low, m.start())):
            continue
        found.append((m.start(), m.end(), kind))
    return tuple(sorted(found))


def _operation_of_war(low: str, pos: int) -> bool:
    # "operation" names an event only as a military one ("a military operation")
    return bool(re.search(r"(?:military|security|air|ground)\s+$", low[max(0, pos - 12) : pos]))


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, ...]:
    """The word and the stems it may come from: "strikes" -> strike, "shelling" -> shell."""
    out = [word]
    for suffix, repl in (
        ("ies", "y"),
        ("ings", ""),
        ("ing", ""),
        ("ing", "e"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: len(word) - len(suffix)] + repl)
    return tuple(out)


def _casualty_in(text: str) -> bool:
    words = lexicon()[2]
    return any(w in words for word in re.findall(r"[a-z]+", text.lower()) for w in _forms(word))


def _markers(clause: str, sentence: str) -> str | None:
    if m := _SEPARATELY.search(sentence):
        return m.group().strip(" ,")
    if m := _COMES_AFTER.search(sentence):
        return m.group().strip()
    for rx in (_WAR_TOTAL, _OTHER_OCCASION):
        for m in rx.finditer(clause):
            if rx is _WAR_TOTAL and _SUPERLATIVE_SINCE.search(clause[: m.end()]):
                continue
            return m.group().strip()
    return None


def _began_since(clause: str, after: str) -> str | None:
    tail = re.split(r"[,;:]", after, maxsplit=1)[0]
    m = _SINCE_BEGAN.search(f"{clause} {tail.strip()}") if "since" in clause.lower() else None
    return m.group().strip() if m else None


# A period told in the participle that describes the count ("with 374 people recorded
# killed in the city during the past week"): the parser leaves the participle out of the
# count's clause, and the period makes the count a total of days, not the event's toll.
_PERIOD = re.compile(_PERIOD_PAST, re.IGNORECASE)


def _period_of_count(anchor: Any) -> str | None:
    for c in anchor.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            if m := _PERIOD.search(" ".join(t.text for t in c.subtree)):
                return m.group()
    return None


def _event_set_apart(text: str, near: tuple[int, int, str] | None) -> str | None:
    """A marker right before the event word the fact hangs on ("in revenge for recent
    missile attacks", "a previous strike") makes that event another occasion."""
    if near is None:
        return None
    m = _OTHER_OCCASION.search(text[max(0, near[0] - 40) : near[1]])
    return m.group().strip() if m else None


def _town(f: Fact) -> str | None:
    if f.kind == "place" and f.value.get("level") in ("town", "city"):
        return str(f.value.get("canonical") or f.value.get("name"))
    return None


def _province(f: Fact) -> str | None:
    """A province the fact names ("Idlib province", "the Damascus countryside"): a region
    whose containment the gazetteer knows (``gazetteer.province_of``)."""
    name = str(f.value.get("canonical") or "") if f.kind == "place" else ""
    if f.value.get("level") == "region" and name.endswith(" province"):
        return name
    return None


def _day(f: Fact) -> date | None:
    v = f.value
    if (
        f.kind != "time"
        or not v.get("start")
        or v.get("granularity") not in ("day", "part_of_day", "hour", "minute")
    ):
        return None
    return date.fromisoformat(str(v["start"])[:10])


# After a place: "-based" (where a body sits), a wire's name, the dateline of a story
# that lost its line break ("... in Syria Moscow AFP Saturday 7 Oct 2017 Russian strikes"),
# or the capital standing for its government ("Damascus's ally Russia", with the apostrophe
# lost "Damascuss ally"; not "Aleppo's government-held west").
_BASED_OR_FILED = re.compile(
    r"\s?-?\s?based\b|,?\s\(?(?:AFP|Reuters|AP|dpa|DPA|Xinhua|UPI)\b|"
    r"(?:'s?|\u2019s?|s)?\s(?:ally|allies|backers?|government|regime)(?![\w-])"
)


# The marker of a toll told for towns of several provinces at once ("Eight civilians killed
# in rocket attacks in Aleppo and Homs", a state agency's daily round-up): a sum over
# attacks far apart, the toll of none of them. The events stage attaches it to no event.
SUMMED = "a toll summed over several provinces"
# what stands between two towns of one list: "Aleppo and Homs", "Aleppo, Homs and Hama".
# Not a bare space: in run-on copy "Hama DAMASCUS" is a headline's last word and a dateline.
_LIST_GAP = re.compile(r"\s*(?:,?\s*(?:and|&)|,)\s*")


def _summed_towns(text: str, facts: Sequence[Fact]) -> frozenset[str]:
    """The towns of the sentence's lists of towns ("in Aleppo and Homs") that lie in two
    or more provinces the gazetteer knows; empty when no list spans provinces."""
    towns = sorted((f.start, f.end, t) for f in facts if (t := _town(f)))
    runs: list[list[tuple[int, int, str]]] = []
    for item in towns:
        if (
            runs
            and item[0] >= runs[-1][-1][1]
            and _LIST_GAP.fullmatch(text[runs[-1][-1][1] : item[0]])
        ):
            runs[-1].append(item)
        else:
            runs.append([item])
    out: set[str] = set()
    for run in runs:
        names = {t for _s, _e, t in run}
        provinces = {p for t in names if (p := province_of(t, settings=None))}
        if len(provinces) >= 2:
            out |= names
    return frozenset(out)


def _summed(f: Fact, towns: frozenset[str], listed: frozenset[str]) -> bool:
    """Is figure ``f``, whose clause names ``towns``, a toll summed over the sentence's list
    of towns in several provinces? Its clause names no town of its own, or names the list."""
    return (
        f.kind == "figure"
        and bool(listed)
        and towns <= listed
        and (not towns or len({province_of(t, settings=None) for t in towns}) >= 2)
    )


def _based(text: str, facts: Sequence[Fact]) -> list[Fact]:
    """The facts less places that only say where someone is based ("the London-based
    monitor", "a Britain based group") or where a story was filed ("Moscow AFP"): no event
    happens there."""
    return [
        f
        for f in facts
        if not (f.kind == "place" and _BASED_OR_FILED.match(text, f.end, f.end + 12))
    ]


def frames_without_parse(text: str, facts: Sequence[Fact]) -> list[Frame]:
    """Frames for the facts of a sentence spaCy did not parse: the sentence is the clause."""
    words = event_words(text)
    facts_here = _based(text, facts)
    casualty = _casualty_in(text)
    towns = frozenset(t for f in facts_here if (t := _town(f)))
    provinces = frozenset(p for f in facts_here if (p := _province(f)))
    out = []
    statements = [
        f.kind == "time" and bool(_REPORTED_BEFORE.search(text[: f.start])) for f in facts
    ]
    days = frozenset(
        d for f, st in zip(facts, statements, strict=True) if not st and (d := _day(f))
    )
    background = _markers(text, text)
    listed = _summed_towns(text, facts_here)
    for f, statement in zip(facts, statements, strict=True):
        near = min(words, key=lambda w: abs(w[0] - f.start), default=None)
        out.append(
            Frame(
                event_type=near[2] if near else None,
                event_span=(near[0], near[1]) if near else None,
                casualty=casualty,
                towns=towns,
                provinces=provinces,
                days=days,
                background=background
                or _event_set_apart(text, near)
                or (SUMMED if _summed(f, towns, listed) else None),
                statement=statement,
            )
        )
    return out


def frames_with_parse(text: str, doc: Any, base: int, facts: Sequence[Fact]) -> list[Frame]:
    """Frames for the facts of a parsed sentence. ``base``: offset of the doc's text in
    ``text`` (a doc of the stripped sentence still maps)."""
    toks = list(doc)
    if not toks:
        return frames_without_parse(text, facts)
    words = event_words(text)
    anchors = [_anchor(doc, f.start - base, f.end - base) for f in facts]
    apart = _days_apart(doc)
    anchor_of = {id(f): a for f, a in zip(facts, anchors, strict=True)}
    based = _based(text, facts)
    listed = _summed_towns(text, based)
    statements = [
        f.kind == "time" and a is not None and _on_reporting_verb(a, f, base)
        for f, a in zip(facts, anchors, strict=True)
    ]
    out = []
    for f, anchor, statement in zip(facts, anchors, statements, strict=True):
        if anchor is None:
            out.append(frames_without_parse(text, [f])[0])
            continue
        head, clause = _clause(anchor)
        own_marker: str | None = apart.get(anchor.i)
        # the places of an occasion told "a day after" or "hours before" are not this
        # clause's, unless the fact is told inside it too
        placed = [
            x for x in based if (a := anchor_of.get(id(x))) is None or apart.get(a.i) == own_marker
        ]
        if (
            head.dep_ == "conj"
            and head.head.pos_ in ("VERB", "AUX")
            and not _names_place_or_day(toks, clause, facts, base)
        ):
            # "killing one contractor and wounding others": the second verb tells the
            # same event as the first, whose clause names it -- unless its own clause sets
            # it apart ("..., and 300 have died since the army launched its offensive")
            own = " ".join(toks[i].text for i in sorted(clause))
            own_marker = _markers(own, own) or own_marker
            head, clause = _clause(head.head)
            clause.add(anchor.i)
        lo = base + min(toks[i].idx for i in clause)
        hi = base + max(toks[i].idx + len(toks[i].text) for i in clause)
        spans = _token_spans(toks, clause, base)
        in_clause = [(w0, w1, k) for w0, w1, k in words if inside_span(spans, w0, w1)]
        # no event word in the clause: the event named before it in the sentence ("US
        # strikes hit Raqqa and killed 22")
        before = [
            w for w in words if w[1] <= f.start and not _in_other_modifier(doc, w, anchor, base)
        ]
        near = min(in_clause or before[-1:], key=lambda w: abs(w[0] - f.start), default=None)
        clause_text = " ".join(toks[i].text for i in sorted(clause))
        if "since" in text.lower() and (period := _period_of(head)) is not None:
            clause_text += " " + period
        towns = frozenset(
            t for x in placed if (t := _town(x)) and inside_span(spans, x.start, x.end)
        )
        provinces = frozenset(
            p for x in placed if (p := _province(x)) and inside_span(spans, x.start, x.end)
        )
        days = frozenset(
            d
            for x, st in zip(facts, statements, strict=True)
            if not st and (d := _day(x)) and inside_span(spans, x.start, x.end)
        )
        out.append(
            Frame(
                event_type=near[2] if near else None,
                event_span=(near[0], near[1]) if near else None,
                casualty=_casualty_in(clause_text),
                towns=towns,
                provinces=provinces,
                days=days,
                background=own_marker
                or _markers(clause_text, text[:lo] + text[lo:hi])
                or _began_since(clause_text, text[hi:])
                or _period_of_count(anchor)
                or _event_set_apart(text, near)
                or (SUMMED if _summed(f, towns, listed) else None),
                statement=statement,
            )
        )
    return out


def _in_other_modifier(doc: Any, word: tuple[int, int, str], anchor: Any, base: int) -> bool:
    """An event word inside a clause that describes a noun, away from the fact: "relatives,
    who asked to see video of the shooting, watched it on Thursday". The clause names what
    the relatives asked about; the rest of the sentence tells another occurrence (Thursday
    is when they watched, not when the shooting was)."""
    tok = _anchor(doc, word[0] - base, word[1] - base)
    if tok is None:
        return False
    return any(
        a.dep_ in ("relcl", "acl") and not a.left_edge.i <= anchor.i <= a.right_edge.i
        for a in tok.ancestors
    )


def _names_place_or_day(
    toks: list[Any], clause: set[int], facts: Sequence[Fact], base: int
) -> bool:
    spans = _token_spans(toks, clause, base)
    return any((_town(x) or _day(x)) and inside_span(spans, x.start, x.end) for x in facts)


def inside_span(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _token_spans(toks: list[Any], clause: set[int], base: int) -> list[tuple[int, int]]:
    """The clause as runs of character spans (it may have holes where nested clauses were)."""
    spans: list[tuple[int, int]] = []
    for i in sorted(clause):
        a, b = base + toks[i].idx, base + toks[i].idx + len(toks[i].text)
        if spans and (i - 1) in clause:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _anchor(doc: Any, start: int, end: int) -> Any | None:
    span = doc.char_span(max(0, start), max(start, end), alignment_mode="expand")
    return span.root if span is not None and len(span) else None


_DISTANCE_UNITS = frozenset({"minute", "hour", "day", "week", "month", "year"})


def _days_apart(doc: Any) -> dict[int, str]:
    """Tokens inside an occasion set a time apart from the sentence's own ("just a day
    after dozens were killed in Idlib", "hours before the strike on the camp"), with the
    phrase that sets it apart. The parser hangs "a day" on "after" (a preposition) or on
    the verb "after" introduces."""
    out: dict[int, str] = {}
    for tok in doc:
        if tok.lower_ not in ("after", "before") or tok.dep_ not in ("prep", "mark"):
            continue
        holder = tok if tok.dep_ == "prep" else tok.head
        distance = next(
            (
                c
                for c in holder.children
                if c.dep_ == "npadvmod" and c.lemma_.lower() in _DISTANCE_UNITS
            ),
            None,
        )
        if distance is None:
            continue
        phrase = f"{distance.text} {tok.lower_}"
        for t in holder.subtree:
            if t.i > tok.i:
                out.setdefault(t.i, phrase)
    return out


def _claims_lives(verb: Any) -> bool:
    """ "the attack claimed the lives of 80 people", "claimed 12 lives": a toll, no claim."""
    return verb.lemma_.lower() == "claim" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in ("life", "lives", "victim") for c in verb.children
    )


def _on_reporting_verb(anchor: Any, f: Fact, base: int) -> bool:
    """Does the time hang on a reporting verb ("said Sunday", "on Tuesday, X said")?"""
    tok = anchor
    for _ in range(8):
        head = tok.head
        if head.i == tok.i:
            return tok.lemma_.lower() in REPORTING and tok.pos_ in ("VERB", "AUX")
        inside = f.start - base <= head.idx < f.end - base
        if (
            not inside
            and head.pos_ in ("VERB", "AUX", "NOUN", "PROPN")
            and head.ent_type_ not in ("DATE", "TIME")
        ):
            return (
                head.pos_ in ("VERB", "AUX")
                and head.lemma_.lower() in REPORTING
                and not _claims_lives(head)
            )
        if tok.dep_ not in _TIME_DEPS and not inside:
            return False
        tok = head
    return False


def _nested_elsewhere(t: Any, top: Any, holds_anchor: set[int]) -> bool:
    """Is ``t`` the head of a clause about something else than the fact's?"""
    if t.dep_ in ("acl", "relcl") and t.head.i in holds_anchor:
        return False  # "48 people executed ... earlier this week" describes the count itself
    if _gerund_noun(t):
        return False  # "killed by airstrikes and shelling on ... Aleppo": a noun, no clause
    nested = t.dep_ in _NESTED or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"))
    # "killed 22 when strikes hit Raqqa": a when-clause on the verb itself tells the event
    # (or on an event noun the parser took for one: "shelling ... since the truce collapsed")
    return nested and not (t.dep_ == "advcl" and (t.head.i == top.i or _gerund_noun(t.head)))


def _period_of(top: Any) -> str | None:
    """The words of a "since ..." clause the parser hung on a word coordinated with the
    fact's verb ("400000 people have been killed and millions displaced since the war
    started": on "displaced"). It dates the count as much as the verb it sits on; a since-
    clause inside a relative clause or a prepositional phrase ("a city besieged since ...")
    describes something else and is not read."""
    for t in top.subtree:
        if (
            t.dep_ != "advcl"
            or t.head.i == top.i
            or not any(c.dep_ == "mark" and c.lower_ == "since" for c in t.children)
        ):
            continue
        up = t.head
        while up.i != top.i and _extends(up) and up.head.i != up.i:
            up = up.head
        if up.i == top.i:
            return " ".join(x.text for x in t.subtree)
    return None


def _extends(t: Any) -> bool:
    """Is ``t`` part of the clause above it: a participle on a noun ("millions displaced") or
    a coordinated word that is no clause with a subject of its own ("and 300 have died")?"""
    if t.dep_ == "acl":
        return True
    return t.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)


def _gerund_noun(t: Any) -> bool:
    """An event noun in -ing the parser took for a verb ("killed in government **shelling**
    on Douma", "airstrikes and **shelling** on Aleppo"): a gerund that is itself an entry of
    the event lexicon and has no subject or object of its own ("forces were shelling the
    town" has one, and is a clause)."""
    return (
        t.tag_ == "VBG"
        and t.lower_ in lexicon()[0]
        and not any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in t.children)
    )


def _clause(anchor: Any) -> tuple[Any, set[int]]:
    """The verb (or event noun) that governs ``anchor`` and the token indices of its clause.

    Coordinated verbs are not climbed: in "the strike killed 22 in Raqqa and shelling
    killed 5 in Homs" each count keeps its own town.
    """
    tok = anchor
    for _ in range(12):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    for _ in range(6):  # ", killing 17" extends the verb before it
        if (
            tok.dep_ in ("advcl", "xcomp", "pcomp", "acl")
            and tok.tag_ in ("VBG", "VBN")
            and tok.head.i != tok.i
        ):
            tok = tok.head
        else:
            break
    top = tok.head if tok.dep_ == "relcl" else tok  # "an attack that killed two" -> attack
    holds_anchor = {a.i for a in anchor.ancestors} | {anchor.i}
    # One walk down from the top, leaving out nested clauses that do not hold the fact
    clause: set[int] = set()
    stack = [top]
    while stack:
        t = stack.pop()
        clause.add(t.i)
        for c in t.children:
            if c.i not in holds_anchor and _nested_elsewhere(c, top, holds_anchor):
                continue
            stack.append(c)
    clause.add(anchor.i)
    return top, clause


__all__ = [
    "CALENDAR_DATE",
    "Frame",
    "GENERIC",
    "event_words",
    "frames_with_parse",
    "frames_without_parse",
    "lexicon",
]
