"""Find where outlets disagree, comparing like with like.

Method
------
1. **Candidate pairs.** Two facts of the same kind from *different* outlets are
   compared only when they speak of the same thing:
   - inside a claim group (the aligner says the sentences report the same claim), or
   - across groups for the facts that name an event by themselves: casualty figures with
     the same role, clock times (hour or minute), and blame/responsibility statements.
   Across groups, the two sentences must not carry *event cues* that tell the events
   apart: different towns, explicit calendar dates more than a day apart, or different
   event types (a rocket attack vs an airstrike). This is what keeps the 15 February
   Erbil rocket attack from being compared with the 25 February strike.
2. **A relation per pair** (``disagreement_rules.py``): conflict, compatible (with a finer label such
   as ranges-overlap or same-time-different-clocks), unresolved, or nothing.
3. **Grouping.** Pairs are joined into clusters (union-find on the facts), and each
   cluster gives one disagreement per relation listing every outlet's value involved,
   so six outlets reporting three tolls give one figure conflict, not fifteen flags.
4. **Explanation.** One line a fact-checker can read, naming each outlet's value and
   who it was attributed to, then why it is flagged.

Why not compare every pair of facts? Because a news story is full of numbers about
different things (rockets, facilities, earlier attacks); flags that compare unlike
things teach users to ignore the tool.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Sequence

from comparer.disagreement_rules import (CASUALTY_ROLES, EXPLAIN, Relation, attribution_pairs,
                                         figure_relation, figure_same, figures_agree,
                                         place_relation,
                                         time_relation)
from comparer.event_cues import Cues, cues_differ, sentence_cues, share_event
from comparer.models import (SEVERITY_ORDER, Article, Claim, Disagreement, DisagreementValue,
                             Fact)

Key = tuple[str, int]  # (source id, sentence index)


@dataclass
class Index:
    articles: dict[str, Article]
    claim_of: dict[Key, str]
    facts_at: dict[Key, list[Fact]]
    cues: dict[Key, Cues]
    settings: Any
    related: set[frozenset[str]]  # pairs of sources that share at least one claim group

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
        return (frozenset((a.source_id, b.source_id)) in self.related
                and not cues_differ(self.cues[(a.source_id, a.sentence)],
                                    self.cues[(b.source_id, b.sentence)]))

    def share_event(self, a: Fact, b: Fact) -> bool:
        return share_event(self.cues[(a.source_id, a.sentence)],
                           self.cues[(b.source_id, b.sentence)])

    def sources_of(self, f: Fact) -> list[Fact]:
        return [x for x in self.facts_at.get((f.source_id, f.sentence), [])
                if x.kind == "attribution" and x.value.get("relation", "source") == "source"]


def build_index(articles: Sequence[Article], claims: Sequence[Claim], facts: Sequence[Fact],
                settings: Any) -> Index:
    claim_of: dict[Key, str] = {}
    for claim in claims:
        for m in claim.members:
            for i in m.sentences:
                claim_of[(m.source_id, i)] = claim.id
    facts_at: dict[Key, list[Fact]] = defaultdict(list)
    for f in facts:
        facts_at[(f.source_id, f.sentence)].append(f)
    by_id = {a.id: a for a in articles}
    cues = {(a.id, s.index): sentence_cues(s.text, facts_at.get((a.id, s.index), []))
            for a in articles for s in a.sentences}
    related: set[frozenset[str]] = set()
    for claim in claims:
        members = sorted({m.source_id for m in claim.members})
        related.update(frozenset((x, y)) for i, x in enumerate(members) for y in members[i + 1:])
    return Index(by_id, claim_of, dict(facts_at), cues, settings, related)


Meet = Callable[[Fact], Any]


def _pairs(facts: Sequence[Fact], comparable: Callable[[Fact, Fact], bool], *,
           bucket: Callable[[Fact], Any] = lambda f: None,
           meet: Callable[[Any], Sequence[Meet] | None] = lambda key: None
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


def _candidates(members: list[Fact], meet: Sequence[Meet] | None
                ) -> Iterable[tuple[Fact, Fact]]:
    if meet is None:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                yield a, b
        return
    found: set[tuple[int, int]] = set()
    for key_of in meet:
        together: dict[Any, list[int]] = defaultdict(list)
        for i, f in enumerate(members):
            if (k := key_of(f)) is not None:
                together[k].append(i)
        for idx in together.values():
            found.update((x, y) for n, x in enumerate(idx) for y in idx[n + 1:])
    for i, j in sorted(found):
        yield members[i], members[j]


def _figure_comparable(ix: Index) -> Callable[[Fact, Fact], bool]:
    def matched_in(x: Fact, y: Fact) -> bool:
        # y's sentence already states x's figure (same role and range) elsewhere: in
        # "destroyed nine facilities and partially destroyed two others" each number
        # pairs with its own counterpart, not with its neighbour.
        return any(z is not y and z.kind == "figure" and figure_same(x, z)
                   for z in ix.facts_at.get((y.source_id, y.sentence), []))

    def ok(a: Fact, b: Fact) -> bool:
        if a.value.get("role") != b.value.get("role"):
            return False
        if a.value.get("subset") or b.value.get("subset"):
            return False  # "seven of the dead" is a part, not a rival total
        if not (ix.same_claim(a, b)
                or (a.value.get("role") in CASUALTY_ROLES and ix.events_compatible(a, b))):
            return False
        return not (matched_in(a, b) or matched_in(b, a))
    return ok


def _time_comparable(ix: Index) -> Callable[[Fact, Fact], bool]:
    def ok(a: Fact, b: Fact) -> bool:
        if ix.same_claim(a, b):
            return True
        fine = {"hour", "minute"}
        return (a.value.get("granularity") in fine and b.value.get("granularity") in fine
                and ix.events_compatible(a, b) and ix.share_event(a, b))
    return ok


def _place_comparable(ix: Index) -> Callable[[Fact, Fact], bool]:
    # Only when the two sentences share no town at all: "from Al Bukamal to Al Qaim"
    # does not contradict "in Al Bukamal". Across claim groups, only sentences that each
    # place one event of the same kind ("the strike hit ...") at a single town: with two
    # outlets the aligner may leave such differently worded sentences apart.
    def ok(a: Fact, b: Fact) -> bool:
        ca, cb = ix.cues[(a.source_id, a.sentence)], ix.cues[(b.source_id, b.sentence)]
        if ca.towns & cb.towns:
            return False
        if ix.same_claim(a, b):
            return True
        # Capitals stand for governments ("Damascus condemned the strike"): towns only.
        return (len(ca.towns) == len(cb.towns) == 1 and ix.share_event(a, b)
                and frozenset((a.source_id, b.source_id)) in ix.related
                and a.value.get("level") == b.value.get("level") == "town"
                and not cues_differ(replace(ca, towns=frozenset()),
                                    replace(cb, towns=frozenset())))
    return ok


def _lone_town(ix: Index, f: Fact) -> bool | None:
    """True for a town that is the only town of its sentence: the only place facts
    ``_place_comparable`` pairs outside a claim group."""
    alone = (f.value.get("level") == "town"
             and len(ix.cues[(f.source_id, f.sentence)].towns) == 1)
    return True if alone else None


class _Clusters:
    """Union-find over facts, so that related pairs become one disagreement."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _group(kind: str, related: list[tuple[Fact, Fact, Relation]], ix: Index
           ) -> list[tuple[str, Relation, list[Fact]]]:
    """One group per (cluster of linked facts, relation): the facts involved, in order."""
    uf = _Clusters()
    for a, b, rel in related:
        uf.union(id(a), id(b))
    groups: dict[tuple[int, str, str], list[Fact]] = {}
    rels: dict[tuple[int, str, str], Relation] = {}
    for a, b, rel in related:
        key = (uf.find(id(a)), rel.severity, rel.label)
        members = groups.setdefault(key, [])
        for f in (a, b):
            if all(f is not m for m in members):
                members.append(f)
        rels[key] = rel
    out = []
    for key, members in groups.items():
        members = _one_per_value(members)
        if len({m.source_id for m in members}) >= 2:
            out.append((kind, rels[key], sorted(members, key=lambda f: (f.source_id, f.sentence,
                                                                        f.start))))
    return out


def _one_per_value(members: list[Fact]) -> list[Fact]:
    """An outlet repeating the same value twice is listed once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in members:
        key = (f.source_id, repr(sorted((k, str(v)) for k, v in f.value.items()
                                        if k in ("low", "high", "start", "zone", "canonical",
                                                 "actor", "stance", "speaker"))))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _related(facts: Sequence[Fact], comparable: Callable[[Fact, Fact], bool],
             relation: Callable[[Fact, Fact, Any], Relation | None], settings: Any, *,
             meet: Sequence[Meet] | None = None) -> list[tuple[Fact, Fact, Relation]]:
    out = []
    for a, b in _pairs(facts, comparable, meet=lambda key: meet):
        rel = relation(a, b, settings)
        if rel is not None:
            out.append((a, b, rel))
    return out


def find_disagreements(articles: Sequence[Article], claims: Sequence[Claim],
                       facts: Sequence[Fact], settings: Any) -> tuple[Disagreement, ...]:
    """Every disagreement, conflicts first, with ids d1, d2, ... in that order."""
    ix = build_index([a for a in articles if a.status == "ok"], claims, facts, settings)
    by_kind: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_kind[f.kind].append(f)

    groups: list[tuple[str, Relation, list[Fact]]] = []
    # Only casualty figures are compared across claim groups (``_figure_comparable``).
    figure_pairs = list(_pairs(by_kind["figure"], _figure_comparable(ix),
                               bucket=lambda f: f.value.get("role"),
                               meet=lambda role: None if role in CASUALTY_ROLES else [ix.claim]))
    figure_related = [(a, b, rel) for a, b in figure_pairs
                      if (rel := figure_relation(a, b, settings)) is not None]
    groups += _group("figure", figure_related, ix)
    # "Clock unknown" is worth a flag only for times the aligner put in one claim group.
    times = [(a, b, rel) for a, b, rel in _related(by_kind["time"], _time_comparable(ix),
                                                   time_relation, settings)
             if rel.label != "clock-unknown" or ix.same_claim(a, b)]
    groups += _group("time", times, ix)
    towns = [f for f in by_kind["place"] if f.value.get("level") in ("town", "city")]
    groups += _group("place", _related(towns, _place_comparable(ix), place_relation, settings,
                                       meet=[ix.claim, lambda f: _lone_town(ix, f)]), ix)
    agreeing = [(a, b) for a, b in figure_pairs if figures_agree(a, b)]
    groups += _group("attribution", attribution_pairs(ix, by_kind["attribution"], agreeing), ix)

    drafts = []
    for kind, rel, members in groups:
        claim_ids = sorted({c for m in members
                            if (c := ix.claim(m))},
                           key=lambda c: int(c[1:]) if c[1:].isdigit() else 0)
        values = tuple(DisagreementValue(source_id=m.source_id, sentence=m.sentence,
                                         text=m.text, start=m.start, end=m.end,
                                         value=dict(m.value)) for m in members)
        explanation = EXPLAIN[kind](members, rel, ix)
        drafts.append((kind, rel, tuple(claim_ids), values, explanation))
    drafts.sort(key=lambda d: (SEVERITY_ORDER[d[1].severity], d[0],
                               (d[3][0].source_id, d[3][0].sentence)))
    return tuple(Disagreement(id=f"d{n}", kind=kind, severity=rel.severity, claims=claim_ids,
                              explanation=explanation, values=values, relation=rel.label)
                 for n, (kind, rel, claim_ids, values, explanation) in enumerate(drafts, 1))
