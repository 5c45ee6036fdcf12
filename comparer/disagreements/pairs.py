"""Which facts are compared with which: the pairs behind every card.

1. **Candidate pairs.** Two facts of the same kind are compared only when they describe
   the same event (``events.py`` gave every fact one, or none) and answer the same
   question (``slots.py``: killed, wounded, munitions, event time ...):
   - casualty figures of one event and slot, whatever the claim group;
   - other counts (rockets, facilities) only inside a claim group as well: a story holds
     many numbers about different things;
   - times only when both are the event's time (``time_role == "event"``), never the
     day an official spoke or an earlier event's date;
   - places, blame and quotes with the rules below, inside one event.
2. **A relation per pair** (``rules.py``): conflict, compatible (with a finer label such
   as ranges-overlap or same-time-different-clocks), unresolved, or nothing.

``cards.py`` then turns the related pairs into one card per (event, question).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from comparer.disagreements.rules import (
    CASUALTY_ROLES,
    Relation,
    attribution_pairs,
    figure_relation,
    figure_same,
    figures_agree,
    is_credit,
    place_relation,
    time_relation,
)
from comparer.disagreements.slots import CASUALTY_SLOTS, figure_slot, figure_slots, is_part
from comparer.event_cues import Cues, cues_differ, sentence_cues, share_event
from comparer.facts.frames import CALENDAR_DATE
from comparer.records import Article, Claim, Fact, FactKind
from comparer.settings import Settings

Key = tuple[str, int]  # (source id, sentence index)


@dataclass
class Index:
    articles: dict[str, Article]
    claim_of: dict[Key, str]
    facts_at: dict[Key, list[Fact]]
    cues: dict[Key, Cues]
    settings: Settings
    related: set[frozenset[str]]  # pairs of sources that share at least one claim group
    slots: dict[int, str] = field(default_factory=dict)  # figure (by id) -> its question

    def slot(self, f: Fact) -> str:
        """The question a figure answers (``slots.figure_slots``)."""
        return self.slots.get(id(f)) or figure_slot(f)

    def claim(self, f: Fact) -> str | None:
        """The claim group of the fact's sentence, if the aligner put it in one."""
        return self.claim_of.get((f.source_id, f.sentence))

    def same_claim(self, a: Fact, b: Fact) -> bool:
        ca = self.claim(a)
        return ca is not None and ca == self.claim(b)

    def events_compatible(self, a: Fact, b: Fact) -> bool:
        """May two facts from different claim groups speak of one event? Only when their
        outlets cover the same story (they share a claim group at all) and the sentences'
        cues do not tell the events apart."""
        return frozenset((a.source_id, b.source_id)) in self.related and not cues_differ(
            self.cues[(a.source_id, a.sentence)], self.cues[(b.source_id, b.sentence)]
        )

    def share_event(self, a: Fact, b: Fact) -> bool:
        return share_event(
            self.cues[(a.source_id, a.sentence)], self.cues[(b.source_id, b.sentence)]
        )

    def credits_of(self, f: Fact) -> list[Fact]:
        return [x for x in self.facts_at.get((f.source_id, f.sentence), []) if is_credit(x)]


def build_index(
    articles: Sequence[Article], claims: Sequence[Claim], facts: Sequence[Fact], settings: Settings
) -> Index:
    claim_of: dict[Key, str] = {}
    for claim in claims:
        for m in claim.members:
            for i in m.sentences:
                claim_of[(m.source_id, i)] = claim.id
    facts_at: dict[Key, list[Fact]] = defaultdict(list)
    for f in facts:
        facts_at[(f.source_id, f.sentence)].append(f)
    by_id = {a.id: a for a in articles}
    cues = {
        (a.id, s.index): sentence_cues(s.text, facts_at.get((a.id, s.index), []))
        for a in articles
        for s in a.sentences
    }
    related: set[frozenset[str]] = set()
    for claim in claims:
        members = sorted({m.source_id for m in claim.members})
        related.update(frozenset((x, y)) for i, x in enumerate(members) for y in members[i + 1 :])
    return Index(by_id, claim_of, dict(facts_at), cues, settings, related, figure_slots(facts))


Meet = Callable[[Fact], Any]


def _pairs(
    facts: Sequence[Fact],
    comparable: Callable[[Fact, Fact], bool],
    *,
    bucket: Callable[[Fact], Any] = lambda f: None,
    meet: Callable[[Any], Sequence[Meet] | None] = lambda key: None,
) -> Iterable[tuple[Fact, Fact]]:
    """Pairs from different outlets that ``comparable`` accepts, in (i, j) order.

    Facts are first split into buckets (e.g. by casualty role) that can never compare
    across. ``meet(bucket key)`` may narrow a bucket further: a list of functions of a
    fact, and only facts that agree on one of them (not None) are tried, which must be
    all the pairs ``comparable`` could accept (e.g. "same claim group"). A hundred
    articles hold hundreds of figures of one kind; testing every pair cost more than the
    rest of this stage.
    """
    buckets: dict[Any, list[Fact]] = defaultdict(list)
    for f in facts:
        buckets[bucket(f)].append(f)
    for key, members in buckets.items():
        for a, b in _candidates(members, meet(key)):
            if a.source_id != b.source_id and comparable(a, b):
                yield a, b


def _candidates(members: list[Fact], meet: Sequence[Meet] | None) -> Iterable[tuple[Fact, Fact]]:
    if meet is None:
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                yield a, b
        return
    found: set[tuple[int, int]] = set()
    for key_of in meet:
        together: dict[Any, list[int]] = defaultdict(list)
        for i, f in enumerate(members):
            if (k := key_of(f)) is not None:
                together[k].append(i)
        for idx in together.values():
            found.update((x, y) for n, x in enumerate(idx) for y in idx[n + 1 :])
    for i, j in sorted(found):
        yield members[i], members[j]


def _figure_comparable(ix: Index) -> Callable[[Fact, Fact], bool]:
    def matched_in(x: Fact, y: Fact) -> bool:
        # y's sentence already states x's figure (same role and range) elsewhere: in
        # "destroyed nine facilities and partially destroyed two others" each number
        # pairs with its own counterpart, not with its neighbour.
        return any(
            z is not y and z.kind == "figure" and figure_same(x, z)
            for z in ix.facts_at.get((y.source_id, y.sentence), [])
        )

    def ok(a: Fact, b: Fact) -> bool:
        if a.event is None or a.event != b.event or ix.slot(a) != ix.slot(b):
            return False
        if is_part(a) or is_part(b):
            return False  # "seven of the dead" is a part, not a rival total
        if a.value.get("role") not in CASUALTY_ROLES and not ix.same_claim(a, b):
            return False
        return not (matched_in(a, b) or matched_in(b, a))

    return ok


_FINE = frozenset({"minute", "hour"})


def _time_comparable(ix: Index) -> Callable[[Fact, Fact], bool]:
    # Days are compared only as calendar dates ("on 25 February"): a weekday is counted
    # back from each outlet's publication time, and a multi-day offensive is told one day
    # at a time ("fighting on Sunday", "clashes on Tuesday"); on real coverage every card
    # built on weekdays alone was false.
    def ok(a: Fact, b: Fact) -> bool:
        if not (
            a.event is not None and a.event == b.event and a.time_role == b.time_role == "event"
        ):
            return False
        if a.value.get("granularity") in _FINE and b.value.get("granularity") in _FINE:
            return True
        return bool(CALENDAR_DATE.search(a.text) and CALENDAR_DATE.search(b.text))

    return ok


def _place_comparable(ix: Index) -> Callable[[Fact, Fact], bool]:
    # Only when the two sentences share no town at all: "from Al Bukamal to Al Qaim"
    # does not contradict "in Al Bukamal". Across claim groups, only sentences that each
    # place one event of the same kind ("the strike hit ...") at a single town: with two
    # outlets the aligner may leave such differently worded sentences apart.
    def ok(a: Fact, b: Fact) -> bool:
        if a.event is None or a.event != b.event:
            return False
        ca, cb = ix.cues[(a.source_id, a.sentence)], ix.cues[(b.source_id, b.sentence)]
        if ca.towns & cb.towns:
            return False
        if ix.same_claim(a, b):
            return True
        # Capitals stand for governments ("Damascus condemned the strike"): towns only.
        return (
            len(ca.towns) == len(cb.towns) == 1
            and ix.share_event(a, b)
            and frozenset((a.source_id, b.source_id)) in ix.related
            and a.value.get("level") == b.value.get("level") == "town"
            and not cues_differ(replace(ca, towns=frozenset()), replace(cb, towns=frozenset()))
        )

    return ok


def _lone_town(ix: Index, f: Fact) -> bool | None:
    """True for a town that is the only town of its sentence: the only place facts
    ``_place_comparable`` pairs outside a claim group."""
    alone = f.value.get("level") == "town" and len(ix.cues[(f.source_id, f.sentence)].towns) == 1
    return True if alone else None


def _related(
    facts: Sequence[Fact],
    comparable: Callable[[Fact, Fact], bool],
    relation: Callable[[Fact, Fact, Any], Relation | None],
    settings: Settings,
    *,
    meet: Sequence[Meet] | None = None,
) -> list[tuple[Fact, Fact, Relation]]:
    out = []
    for a, b in _pairs(facts, comparable, meet=lambda key: meet):
        rel = relation(a, b, settings)
        if rel is not None:
            out.append((a, b, rel))
    return out


Related = tuple[Fact, Fact, Relation]


def related_pairs(ix: Index, facts: Sequence[Fact]) -> dict[FactKind, list[Related]]:
    """Every related pair of facts, by kind; each pair is of one event and one slot."""
    by_kind: dict[FactKind, list[Fact]] = defaultdict(list)
    for f in facts:
        # a blame that names no event of its own ("the government denied responsibility")
        # may still speak of the one another outlet's blame names (``_points_back``)
        if f.event is not None or f.value.get("relation") in ("blame", "responsibility"):
            by_kind[f.kind].append(f)
    out: dict[FactKind, list[Related]] = {}
    figure_pairs = list(
        _pairs(
            by_kind["figure"],
            _figure_comparable(ix),
            bucket=lambda f: (f.event, ix.slot(f)),
            meet=lambda key: None if key[1] in CASUALTY_SLOTS else [ix.claim],
        )
    )
    out["figure"] = [
        (a, b, rel)
        for a, b in figure_pairs
        if (rel := figure_relation(a, b, ix.settings)) is not None
    ]
    # Days one apart are how one overnight event is told ("late Saturday", "early
    # Sunday", "on Saturday and Sunday"): on real coverage every such flag was noise.
    out["time"] = [
        (a, b, rel)
        for a, b, rel in _related(by_kind["time"], _time_comparable(ix), time_relation, ix.settings)
        if rel.label != "dates-differ-by-a-day"
    ]
    towns = [f for f in by_kind["place"] if f.value.get("level") in ("town", "city")]
    out["place"] = _related(
        towns,
        _place_comparable(ix),
        place_relation,
        ix.settings,
        meet=[ix.claim, lambda f: _lone_town(ix, f)],
    )
    agreeing = [(a, b) for a, b in figure_pairs if figures_agree(a, b)]
    out["attribution"] = []
    for a, b, rel in attribution_pairs(ix, by_kind["attribution"], agreeing):
        if a.event != b.event and a.event is not None and _points_back(b, a):
            b = replace(b, event=a.event)
        elif a.event != b.event and b.event is not None and _points_back(a, b):
            a = replace(a, event=b.event)
        if a.event is not None and a.event == b.event:
            out["attribution"].append((a, b, rel))
    return out


def _points_back(f: Fact, other: Fact) -> bool:
    """ "The Pentagon did not blame the attack on ...": a blame whose clause names no
    event of its own (a bare "the attack", or "the chemical attack" with no town or day
    when the other outlet's blame names a chemical attack) speaks of the one another
    outlet names."""
    fr, their = f.frame, other.frame
    return (
        f.value.get("relation") in ("blame", "responsibility")
        and fr is not None
        and (
            fr.event_type in (None, "attack")
            or (their is not None and fr.event_type == their.event_type)
        )
        and not fr.towns
        and not fr.days
        and fr.background is None
    )


__all__ = ["Index", "Related", "build_index", "related_pairs"]
