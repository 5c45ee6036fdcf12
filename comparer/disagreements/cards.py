"""Related pairs into cards: one per (event, question), with every outlet's answer.

Why cards and not pairs: six outlets reporting three tolls are one question with three
answers, not fifteen flags; and a fact-checker reads "How many were killed in the 25 Feb
airstrike? 1 · at least 17 · 22" faster than a list of pairs (Discord Questions, Laban et
al.). Rules:

- **Members.** A figure card holds each outlet's answers in its slot for its event, the
  ones that agree too, since they show who stands where (``_answers``: the lead's figures,
  the largest, and those credited to another source; not the parts of a toll, not a war
  total no marker gave away). A card of another kind holds the facts its pairs relate.
  Repeats of one value by one outlet are listed once.
- **Who and when.** Each answer carries who the outlet credits it to (an attribution in
  its sentence, two names of one body folded into one) and when that source spoke (a
  statement time in its sentence).
- **Revisions.** Answers from one originator that differ ("the monitor said 40", later
  "52") are a revision, shown as a timeline in the order told, never as a conflict.
- **Severity** comes from the set: the worst relation among its pairs of different
  outlets, leaving out pairs inside one revision and pairs where either outlet also gives
  the other's figure (it reports both: "nine facilities destroyed and two damaged").
  A card whose only difference is a revision is ``compatible`` (``revised``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from comparer.describe import describe_value, figure_reading
from comparer.disagreements.pairs import Index, Related
from comparer.disagreements.rules import (
    REASONS,
    Relation,
    figure_same,
    names_someone,
    time_reading,
)
from comparer.disagreements.slots import fact_slot, is_part, question, slot_title
from comparer.events import LEAD as LEAD_SENTENCES
from comparer.facts.bodies import canonical_body
from comparer.records import (
    SEVERITY_ORDER,
    Disagreement,
    DisagreementValue,
    Event,
    Fact,
    FactKind,
    Revision,
    Severity,
)

ARROW = " \u2192 "
# "killed a pilot", "a nurse died": one named victim in a story, not its toll
_ONE_PERSON = frozenset({"a", "an", "A", "An"})
_KIND_ORDER = {"figure": 0, "time": 1, "place": 2, "attribution": 3}
REVISED = "one originator revised its figure"
# "Another five were killed", "six others died", "ten were also killed": a further part of
# the toll, not the toll
# ("more than 100 killed" is a qualifier, not a further part)
_ANOTHER = re.compile(r"\b(?:another|other|others|more(?!\s+than\b)|also)\b", re.IGNORECASE)
# ... and the same said around the figure: "Another 27 people were killed" (the word
# right before it), "Twenty-six civilians were also killed" (anywhere in its sentence,
# for the dead only: "killed 22 and also wounded 40" leaves the 40 an answer)
_ANOTHER_BEFORE = re.compile(r"\b(?:another|other|more|also)\W*$", re.IGNORECASE)
_ALSO_KILLED = re.compile(
    r"\b(?:also\s+(?:been\s+)?(?:killed|died|dead)|killed\s+another)\b", re.IGNORECASE
)
CardKey = tuple[FactKind, str, str, int]  # kind, event id, slot, cluster (speaker cards only)


@dataclass
class _Draft:
    kind: FactKind
    event: str
    slot: str
    severity: Severity
    relation: str
    reasons: list[str]
    members: list[Fact]
    revisions: list[tuple[str, list[int]]]


def credited_to(ix: Index, f: Fact) -> str | None:
    """Who the outlet credits the fact to: one name per body. With two sources in the
    sentence ("regime TV reported ..., while SANA said that six people were killed"), the
    one whose words come last before the figure; a figure before them all ("six were
    killed, the monitor said, ...") goes to the first after it."""
    named = [
        (src, str(name))
        for src in ix.credits_of(f)
        if (name := src.value.get("canonical") or src.value.get("speaker"))
        and src.value.get("type") not in ("none", "unresolved")
    ]
    if not named:
        return None
    before = [(src, name) for src, name in named if src.start <= f.start]
    _src, name = (
        max(before, key=lambda p: p[0].start) if before else min(named, key=lambda p: p[0].start)
    )
    return canonical_body(name)


def said_when(ix: Index, f: Fact) -> str | None:
    """When the source of the fact's sentence spoke, ISO: an instant in UTC ("said at 3 p.m.
    on Sunday"), or only the day when the text gives only the day ("said on Sunday": a
    midnight there would read as a time nobody gave)."""
    for t in ix.facts_at.get((f.source_id, f.sentence), []):
        if t.kind == "time" and t.time_role == "statement" and t.value.get("start"):
            start = str(t.value["start"])
            return start[:10] if t.value.get("granularity") == "day" else start
    return None


def _card_keys(
    related: dict[FactKind, list[Related]], slots: dict[int, str]
) -> dict[CardKey, list[Related]]:
    """Pairs by card. Quotes are one card per quote (pairs linked through shared facts)."""
    out: dict[CardKey, list[Related]] = defaultdict(list)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    speaker_pairs = []
    for kind, pairs in related.items():
        for a, b, rel in pairs:
            slot = fact_slot(a, rel.label, slots)
            if slot == "speaker":
                parent[find(id(a))] = find(id(b))
                speaker_pairs.append((a, b, rel))
            else:
                out[(kind, str(a.event), slot, 0)].append((a, b, rel))
    for a, b, rel in speaker_pairs:
        out[("attribution", str(a.event), "speaker", find(id(a)))].append((a, b, rel))
    return out


def _interval_key(f: Fact) -> tuple[Any, ...]:
    return tuple(
        str(f.value.get(k))
        for k in ("low", "high", "start", "zone", "canonical", "actor", "stance", "speaker")
    )


def _identity(f: Fact) -> tuple[str, int, int, str]:
    return (f.source_id, f.sentence, f.start, f.kind)


def _one_per_value(members: Sequence[Fact], credit: dict[int, str | None]) -> list[Fact]:
    """One fact per outlet and value: the first that credits the value to someone, else the
    first. A headline's "strike kills 14" and the body's "killed 14 people, a health
    official said" are one answer, and the card should show who gave it."""
    chosen: dict[tuple[str, tuple[Any, ...]], tuple[Fact, bool]] = {}
    for f in members:
        key = (f.source_id, _interval_key(f))
        held = chosen.get(key)
        if held is not None and held[1]:
            continue  # already shown with its credit
        credited = credit[id(f)] is not None
        # the same thing counted: "40 people were killed, the center said" is not shown for
        # the headline's "execute 40 gunmen", which another outlet's civilians do not meet
        if held is None or (credited and f.value.get("counted") == held[0].value.get("counted")):
            chosen[key] = (f, credited)
    return [f for f, _credited in chosen.values()]


# A count this many times the others' middle answer, and over a thousand, is a total of a
# whole war or year that no marker gave away ("an estimated 400,000 lives"), not a toll of
# the event; an earthquake's 40,000 beside other outlets' 35,000 is far inside it.
OUTLIER_FACTOR = 20
OUTLIER_FLOOR = 1000


def _without_outliers(figures: list[Fact]) -> list[Fact]:
    lows = sorted(float(f.value.get("low") or 0) for f in figures)
    if len({f.source_id for f in figures}) < 2 or not lows:
        return figures
    middle = lows[len(lows) // 2]
    return [
        f
        for f in figures
        if not (
            float(f.value.get("low") or 0) > OUTLIER_FLOOR
            and float(f.value.get("low") or 0) > OUTLIER_FACTOR * max(middle, 1)
        )
    ]


# "the death toll estimated between 500 and 1,300", "the number of victims is 70": the
# outlet says in so many words that this is its toll, wherever in the story it stands
_STATED_TOLL = re.compile(
    r"(?:death\s+)?toll\b|number\s+of\s+(?:victims|dead|deaths)\b", re.IGNORECASE
)


def _further_part(ix: Index, f: Fact) -> bool:
    """ "Another five were killed", "six others died", "ten were also killed": a further
    part of the toll (or another occasion's dead), not the outlet's answer."""
    if _ANOTHER.search(f.text):
        return True
    sentence = ix.articles[f.source_id].sentences[f.sentence].text
    if _ANOTHER_BEFORE.search(sentence[max(0, f.start - 12) : f.start]):
        return True
    return f.value.get("role") == "killed" and bool(_ALSO_KILLED.search(sentence))


def _answers(ix: Index, figures: list[Fact]) -> list[Fact]:
    """Each outlet's answers to a count question, not every number it gives.

    A story that reports "at least 22 people killed" also gives "five were killed in the
    old city" and "two children died in hospital": parts of the toll, not rival tolls. An
    outlet answers with the figures of its lead (where news gives the toll), its largest
    figure, any figure it states as the toll, and any figure it credits to a source its
    other answers do not name (the monitor's count beside state TV's). "Dozens" or
    "hundreds" answer only for an outlet that gives no count.
    """
    figures = _without_outliers(figures)
    by_source: dict[str, list[Fact]] = defaultdict(list)
    for f in figures:
        by_source[f.source_id].append(f)
    out: list[Fact] = []
    for mine in by_source.values():
        precise = [f for f in mine if f.value.get("qualifier") != "vague"]
        mine = (
            [
                f
                for f in (precise or mine)
                if not _further_part(ix, f) and f.value.get("number_text") not in _ONE_PERSON
            ]
            or precise
            or mine
        )
        top = max(mine, key=lambda f: float(f.value.get("low") or 0))
        kept = [
            f for f in mine if f is top or f.sentence < LEAD_SENTENCES or _STATED_TOLL.match(f.text)
        ]
        named = {credited_to(ix, f) for f in kept}
        for f in mine:
            origin = credited_to(ix, f)
            if (
                all(f is not k for k in kept)
                and origin is not None
                and origin not in named
                and not _part_of(f, top)
            ):
                kept.append(f)
                named.add(origin)
        out += sorted(kept, key=lambda f: (f.sentence, f.start))
    return out


def _part_of(f: Fact, top: Fact) -> bool:
    """A figure far below the outlet's largest is a part of that toll ("two civilians, the
    monitor said" beside "at least 25 killed"), not a rival count of the whole."""
    low, whole = f.value.get("low"), top.value.get("low")
    return low is not None and whole is not None and float(low) * 3 < float(whole)


_REVISED = re.compile(
    r"\b(?:rose|risen|rising|climbed|increased|jumped|revised|updated|"
    r"raised|later|now|up\s+from|new\s+toll)\b",
    re.IGNORECASE,
)


def _revisions(
    members: Sequence[Fact], credit: dict[int, str | None], ix: Index
) -> list[tuple[str, list[int]]]:
    """Indices of one originator's differing figures, in the order they were told.

    Two figures of one originator are a revision only when something says one came later:
    two stories told them at different times (said-when or publication), or the later one's
    sentence says so ("the toll rose to 52", "later said"). Otherwise they may count
    different things (a district's dead and a village's, a day's and a week's) and stay
    rival answers.
    """
    by_origin: dict[str, list[int]] = defaultdict(list)
    for n, f in enumerate(members):
        if f.kind == "figure" and credit[id(f)]:
            by_origin[str(credit[id(f)])].append(n)

    def told(n: int) -> tuple[str, str]:
        f = members[n]
        pub = ix.articles[f.source_id].published
        return (said_when(ix, f) or "", pub.isoformat() if pub else "")

    out = []
    for origin, idx in by_origin.items():
        if len({members[n].value.get("low") for n in idx}) < 2:
            continue  # "43 killed" and "at least 43 killed" are one count, not a revision
        outlets = {ix.articles[members[n].source_id].outlet for n in idx}
        if not names_someone(origin) and len(outlets) > 1:
            # "a monitor said 10" in one outlet and "a monitor said 24" in another may be
            # two monitors, or one monitor on two strikes: no timeline without a name
            continue
        cue = any(
            _REVISED.search(ix.articles[members[n].source_id].sentences[members[n].sentence].text)
            for n in idx
        )
        # told at different times in different stories. Within one story a different
        # said-when is no sequence unless its words say so ("at least 12 killed on Monday,
        # the monitor said, bringing to 45 the number killed in 24 hours": a part of the
        # total, told once): a story gives its latest figure and marks an older one.
        later = any(
            told(a) != told(b) and members[a].source_id != members[b].source_id
            for a, b in combinations(idx, 2)
        )
        if not later and not cue:
            continue
        out.append(
            (origin, sorted(idx, key=lambda n: (*told(n), float(members[n].value.get("low") or 0))))
        )
    return out


def _draft(
    key: CardKey, pairs: list[Related], ix: Index, facts_by_slot: dict[tuple[str, str], list[Fact]]
) -> _Draft | None:
    kind, event, slot, _ = key
    everything = facts_by_slot.get((event, slot), []) if kind == "figure" else []
    if kind == "figure":
        members = _answers(ix, [f for f in everything if not is_part(f)])
    else:
        members = []
        for a, b, _ in pairs:
            members += [f for f in (a, b) if all(f is not m for m in members)]
    credit = {id(f): credited_to(ix, f) for f in members}
    members = sorted(
        _one_per_value(members, credit), key=lambda f: (f.source_id, f.sentence, f.start)
    )
    revisions = _revisions(members, credit, ix) if kind == "figure" else []
    revised = {id(members[n]): origin for origin, idx in revisions for n in idx}

    def states(source: str, f: Fact) -> bool:  # anywhere in its story, answer or not
        return any(m.source_id == source and figure_same(f, m) for m in everything)

    live: list[Relation] = []
    within: list[Relation] = []  # relations inside a revision, told as reasons only
    involved: list[Fact] = []
    listed = {id(m) for m in members}
    for a, b, rel in pairs:
        if kind == "figure" and not (id(a) in listed and id(b) in listed):
            continue  # a vague word beside the outlet's own count
        if revised.get(id(a)) is not None and revised.get(id(a)) == revised.get(id(b)):
            within.append(rel)  # one originator's earlier and later figure: not a conflict
            continue
        if kind == "figure" and (states(a.source_id, b) or states(b.source_id, a)):
            continue  # the outlet gives both figures: they answer different things
        live.append(rel)
        involved += [f for f in (a, b) if all(f is not m for m in involved)]
    if kind != "figure":  # only what is actually in question
        keep = {_identity(f) for f in involved}
        members = [m for m in members if _identity(m) in keep]
    if not live and not revisions:
        return None
    if len({m.source_id for m in members}) < 2:
        return None
    if live:
        live.sort(key=lambda r: SEVERITY_ORDER[r.severity])
        severity, relation = live[0].severity, live[0].label
    else:
        severity, relation = "compatible", "revised"
    reasons = list(
        dict.fromkeys(
            [r.label for r in live]
            + (["revised"] if revisions else [])
            + [r.label for r in within if r.severity != "conflict"]
        )
    )
    return _Draft(kind, event, slot, severity, relation, reasons, members, revisions)


def _reading(f: Fact) -> str:
    if f.kind == "time":
        return time_reading(f) + f" (\u201c{f.text}\u201d)"
    return describe_value(f.kind, dict(f.value))


def explain(d: _Draft, ix: Index, event: Event | None) -> str:
    """ "Killed in the 25 Feb 2021 airstrike in Al Bukamal: A: 1 militia member killed ·
    B, C: at least 17 fighters killed (Syrian Observatory ...) — conflict: ranges do not
    overlap". Outlets that read the same are listed together; a revision reads as
    "at least 40 → at least 52 (war monitor, revised: A, B)"."""
    in_revision: set[int] = set()
    parts: list[str] = []
    for origin, idx in d.revisions:
        steps = list(dict.fromkeys(_reading(d.members[n]) for n in idx))
        outlets = list(dict.fromkeys(ix.articles[d.members[n].source_id].outlet for n in idx))
        parts.append(f"{ARROW.join(steps)} ({origin}, revised: {', '.join(outlets)})")
        in_revision.update(id(d.members[n]) for n in idx)
    readings: dict[str, list[str]] = {}
    for f in d.members:
        if id(f) in in_revision:
            continue
        credit = credited_to(ix, f) if d.kind == "figure" else None
        key = _reading(f) + (f" ({credit})" if credit else "")
        outlets = readings.setdefault(key, [])
        if ix.articles[f.source_id].outlet not in outlets:
            outlets.append(ix.articles[f.source_id].outlet)
    parts += [f"{', '.join(outlets)}: {key}" for key, outlets in readings.items()]
    about = event.label if event is not None and event.label else "the event"
    head = (
        f"{slot_title(d.slot)} \u2014 {about}: "
        if d.slot in ("credited", "blamed", "speaker")
        else f"{slot_title(d.slot)} in {about}: "
    )
    why = [REVISED if r == "revised" else REASONS.get(r, r) for r in d.reasons]
    if d.relation == "same-time-different-clocks" or "same-time-different-clocks" in d.reasons:
        zones = list(
            dict.fromkeys(str(f.value.get("zone") or "?") for f in d.members if f.kind == "time")
        )
        why = [
            w + (": " + ", ".join(zones) if w == REASONS["same-time-different-clocks"] else "")
            for w in why
        ]
    reason = why[0]
    also = f"; also: {'; '.join(why[1:])}" if len(why) > 1 else ""
    return head + " \u00b7 ".join(parts) + f" \u2014 {d.severity}: {reason}{also}"


def build_cards(
    ix: Index,
    related: dict[FactKind, list[Related]],
    facts: Sequence[Fact],
    events: Sequence[Event],
) -> tuple[Disagreement, ...]:
    """Every card, conflicts first, with ids d1, d2, ... in that order."""
    by_id = {e.id: e for e in events}
    facts_by_slot: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.kind == "figure" and f.event is not None:
            facts_by_slot[(f.event, ix.slot(f))].append(f)
    drafts = [
        d
        for key, pairs in _card_keys(related, ix.slots).items()
        if (d := _draft(key, pairs, ix, facts_by_slot)) is not None
    ]
    # Worst first; then the main event's questions before background ones; counts, then
    # times, places and who-said-what; then where the card's first answer stands.
    drafts.sort(
        key=lambda d: (
            SEVERITY_ORDER[d.severity],
            not (by_id.get(d.event) and by_id[d.event].main),
            _KIND_ORDER.get(d.kind, 9),
            (d.members[0].source_id, d.members[0].sentence),
        )
    )
    cards = []
    for n, d in enumerate(drafts, 1):
        event = by_id.get(d.event)
        claims = sorted(
            {c for m in d.members if (c := ix.claim(m))},
            key=lambda c: int(c[1:]) if c[1:].isdigit() else 0,
        )
        values = tuple(
            DisagreementValue(
                source_id=m.source_id,
                sentence=m.sentence,
                text=m.text,
                start=m.start,
                end=m.end,
                value=dict(m.value),
                credited_to=credited_to(ix, m) if m.kind == "figure" else None,
                said_when=said_when(ix, m),
            )
            for m in d.members
        )
        quote = (
            _quote(ix, d.members)
            if d.slot == "speaker"
            else _shared_figure(ix, d.members)
            if d.slot == "credited"
            else None
        )
        cards.append(
            Disagreement(
                id=f"d{n}",
                kind=d.kind,
                severity=d.severity,
                claims=tuple(claims),
                explanation=explain(d, ix, event),
                values=values,
                relation=d.relation,
                event=d.event,
                slot=d.slot,
                question=question(d.slot, event, quote=quote),
                revisions=tuple(Revision(origin, tuple(idx)) for origin, idx in d.revisions),
            )
        )
    return tuple(cards)


def _shared_figure(ix: Index, members: Sequence[Fact]) -> str | None:
    """The figure every credit of a "who gave the figure" card is for ("44 people
    killed"), so that the question names it; None when they do not share one."""
    common: set[str] | None = None
    for m in members:
        here = {
            figure_reading(dict(f.value))
            for f in ix.facts_at.get((m.source_id, m.sentence), [])
            if f.kind == "figure"
        }
        common = here if common is None else common & here
    return min(common) if common else None


def _quote(ix: Index, members: Sequence[Fact]) -> str | None:
    """The shortest quoted passage among the card's sentences, cut to a readable length."""
    quoted = []
    for m in members:
        text = ix.articles[m.source_id].sentences[m.sentence].text
        quoted += re.findall(r"[\"\u201c]([^\"\u201c\u201d]{6,})[\"\u201d]", text)
    if not quoted:
        return None
    best = min(quoted, key=len).strip()
    return best if len(best) <= 80 else best[:77].rsplit(" ", 1)[0] + "\u2026"


__all__ = ["build_cards", "credited_to", "explain", "said_when"]
