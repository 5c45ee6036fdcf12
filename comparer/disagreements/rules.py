"""The rules that judge one pair of comparable facts, and the reasons they give.

Severity ladder: ``conflict`` (both cannot be true), ``unresolved`` (they may conflict,
but something needed to decide is missing, such as the clock of a "local time"), and
``compatible`` (different, yet both can be true: overlapping ranges, the same instant
on different clocks). Identical readings give no flag at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from comparer.facts.actors import same_actor as actors_agree
from comparer.facts.actors import same_named_actor
from comparer.facts.bodies import one_voice, same_state
from comparer.facts.gazetteer import province_of
from comparer.facts.names import same_name, same_person
from comparer.records import Fact, Severity
from comparer.settings import Settings

if TYPE_CHECKING:
    from comparer.disagreements.pairs import Index

CASUALTY_ROLES = {"killed", "wounded", "missing", "captured"}


def is_credit(f: Fact) -> bool:
    """An attribution that credits what its sentence states to a speaker: said, wrote,
    according to. A stance the learned scorer found ("Clinton laid out her plan") names
    who acted, not who vouches for a figure, and is never compared as a credit."""
    return (
        f.kind == "attribution"
        and f.value.get("relation", "source") == "source"
        and f.value.get("cue_kind") != "stance"
    )


# Counted things that name the same kind of casualty; "person" and an unnamed thing
# match any class (a toll of "17" or "17 people" may count fighters).
COUNTED_CLASS = {
    "fighter": "combatant",
    "militant": "combatant",
    "militiaman": "combatant",
    "militia member": "combatant",
    "member": "combatant",
    "combatant": "combatant",
    "gunman": "combatant",
    "insurgent": "combatant",
    "soldier": "military",
    "service member": "military",
    "servicemember": "military",
    "troop": "military",
    "serviceman": "military",
    "marine": "military",
    "contractor": "contractor",
    "civilian": "civilian",
    "child": "civilian",
}
WILDCARD = {None, "", "person", "people", "casualty", "victim"}
APPROX_TOLERANCE = {"minute": timedelta(minutes=15), "hour": timedelta(minutes=30)}
FINE = {"minute", "hour"}


@dataclass(frozen=True)
class Relation:
    severity: Severity
    label: str


def counted_class(value: Any) -> str | None:
    counted = value.get("counted")
    if counted in WILDCARD:
        return None
    counted = str(counted).lower()
    return COUNTED_CLASS.get(counted, COUNTED_CLASS.get(counted.split()[-1], counted))


def _interval(v: Any) -> tuple[float, float]:
    low = v.get("low")
    high = v.get("high")
    return (
        float(low) if low is not None else 0.0,
        float(high) if high is not None else float("inf"),
    )


def _floor_just_above(a: Fact, b: Fact) -> bool:
    """ "More than 85 killed" beside "85 killed": read strictly the two do not meet (a count
    over 85 is at least 86), but a toll given as "more than" the figure another outlet
    states is that figure told as a floor, not a rival count."""
    high = b.value.get("high")
    return (
        a.value.get("qualifier") == "more_than"
        and high is not None
        and a.value.get("low") is not None
        and float(a.value["low"]) == float(high) + 1
    )


def figure_relation(a: Fact, b: Fact, settings: Settings) -> Relation | None:
    ca, cb = counted_class(a.value), counted_class(b.value)
    if ca and cb and ca != cb:
        return None
    if (ca is None or cb is None) and a.value.get("role") not in CASUALTY_ROLES:
        return None  # uncounted non-casualty numbers are too vague to compare
    (la, ha), (lb, hb) = _interval(a.value), _interval(b.value)
    if (la, ha) == (lb, hb):
        return None
    vague = "vague" in (a.value.get("qualifier"), b.value.get("qualifier"))
    if vague and a.value.get("role") not in CASUALTY_ROLES:
        # "several facilities" against "two others": wording too loose to pair with a
        # count of things; for casualties ("dozens killed" vs "3 killed") it still counts.
        return None
    if max(la, lb) > min(ha, hb):
        if _floor_just_above(a, b) or _floor_just_above(b, a):
            return Relation("compatible", "ranges-touch")
        return Relation("conflict", "ranges-disjoint")
    if "vague" in (a.value.get("qualifier"), b.value.get("qualifier")):
        return None  # "several" vs "multiple": imprecise wording, not a difference to check
    return Relation("compatible", "ranges-overlap")


def figure_same(a: Fact, b: Fact) -> bool:
    """Same role, same counted class (or an unnamed one) and the same range."""
    if a.value.get("role") != b.value.get("role"):
        return False
    ca, cb = counted_class(a.value), counted_class(b.value)
    return (not (ca and cb) or ca == cb) and _interval(a.value) == _interval(b.value)


def figures_agree(a: Fact, b: Fact) -> bool:
    """Comparable figures with the same range: then who they are credited to can differ.

    Overlapping but different figures (17 vs 22) are not "the same figure": a different
    source there is expected, not a disagreement about attribution.
    """
    ca, cb = counted_class(a.value), counted_class(b.value)
    if ca and cb and ca != cb:
        return False
    if "vague" in (a.value.get("qualifier"), b.value.get("qualifier")):
        return False  # "dozens" and "dozens" are two vague words, not one figure twice
    return _interval(a.value) == _interval(b.value)


def zone_key(value: Any) -> str:
    """The clock a time was told on, without the words around it ("America/New_York (EST)")."""
    zone = str(value.get("zone") or "")
    return zone.split(" ")[0] if zone else ""


def _dt(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _span(v: Any) -> tuple[datetime, datetime] | None:
    start = _dt(v.get("start"))
    if start is None:
        return None
    end = _dt(v.get("end")) or start
    if v.get("approximate"):
        tol = APPROX_TOLERANCE.get(v.get("granularity"), timedelta(0))
        start, end = start - tol, end + tol
    return start, max(end, start)


def time_relation(a: Fact, b: Fact, settings: Settings) -> Relation | None:
    va, vb = a.value, b.value
    ga, gb = va.get("granularity"), vb.get("granularity")
    if not (va.get("resolved") and vb.get("resolved")):
        if ga in FINE and gb in FINE and (va.get("start") or vb.get("start")):
            return Relation("unresolved", "clock-unknown")
        return None
    sa, sb = _span(va), _span(vb)
    if sa is None or sb is None:
        return None
    overlap = max(sa[0], sb[0]) < min(sa[1], sb[1]) or sa == sb
    if ga in FINE and gb in FINE:
        if not overlap:
            return Relation("conflict", "different-times")
        same_instant = va.get("start") == vb.get("start")
        if same_instant and zone_key(va) != zone_key(vb):
            return Relation("compatible", "same-time-different-clocks")
        a_start, b_start = _dt(va["start"]), _dt(vb["start"])
        assert a_start is not None and b_start is not None, "_span read both starts above"
        gap = abs(a_start - b_start)
        if gap >= timedelta(hours=1):
            return Relation("compatible", "times-within-approximation")
        return None
    if overlap:
        return None
    # At least one side is a whole day (or coarser): "Thursday" in Washington is
    # "Friday" in Syria after 5 p.m., so a one-day gap without a known clock is unresolved.
    gap = max(sa[0], sb[0]) - min(sa[1], sb[1])
    if gap < timedelta(hours=14) and not (va.get("zone") and vb.get("zone")):
        return Relation("unresolved", "dates-differ-by-a-day")
    return Relation("conflict", "different-dates")


def place_relation(a: Fact, b: Fact, settings: Settings) -> Relation | None:
    if a.value.get("level") not in ("town", "city") or b.value.get("level") not in ("town", "city"):
        return None
    # A town across the border is a landmark ("opposite Al Qaim"), not a rival location.
    if (
        a.value.get("country")
        and b.value.get("country")
        and a.value.get("country") != b.value.get("country")
    ):
        return None
    if same_name(str(a.value.get("canonical")), str(b.value.get("canonical")), settings=settings):
        return None
    if _seat_and_town(a, b, settings) or _seat_and_town(b, a, settings):
        return None
    return Relation("conflict", "different-places")


def _seat_and_town(city: Fact, other: Fact, settings: Settings) -> bool:
    """A province's seat and a town of that province: "in Deir Ezzor" often means the
    province (Syria's and Iraq's provinces bear their seats' names), so "near Mayadin" in
    another report may be the same place told more precisely, not a rival one."""
    name = str(city.value.get("canonical"))
    if city.value.get("level") != "city":
        return False
    seat_of = province_of(name, settings=settings)
    return (
        seat_of == f"{name} province"
        and province_of(str(other.value.get("canonical")), settings=settings) == seat_of
    )


IDENTIFIABLE = {"named_person", "organisation", "news_outlet"}


def names_someone(name: str | None) -> bool:
    """Does a credit name someone? "a monitor said", "the group reported": a common noun
    names no one to set apart, or to follow from one outlet to another."""
    return any(w[:1].isupper() for w in str(name or "").split())


def _sources(ix: Index, f: Fact) -> list[Fact]:
    return [
        s
        for s in ix.credits_of(f)
        if s.value.get("type") in IDENTIFIABLE and names_someone(s.value.get("speaker"))
    ]


def _has_quote(ix: Index, f: Fact) -> bool:
    text = ix.articles[f.source_id].sentences[f.sentence].text
    return any(q in text for q in ('"', "\u201c", "\u201d"))


_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{6,})[\"\u201d]")
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "in",
    "on",
    "for",
    "with",
    "that",
    "this",
    "is",
    "was",
    "we",
    "it",
    "be",
    "by",
    "at",
    "as",
    "our",
    "will",
    "has",
    "have",
}


def _quoted_trigrams(ix: Index, f: Fact) -> frozenset[tuple[str, ...]]:
    """Three-word runs inside quotation marks that are not all function words."""
    return _trigrams_in_quotes(ix.articles[f.source_id].sentences[f.sentence].text)


@lru_cache(maxsize=8192)  # every pair of named speakers asks again for the same sentences
def _trigrams_in_quotes(text: str) -> frozenset[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for quoted in _QUOTED.findall(text):
        words = re.findall(r"[a-z0-9']+", quoted.lower())
        # word trigrams: the shifted copies are shorter, and zip stops at the shortest
        grams |= {
            g
            for g in zip(words, words[1:], words[2:], strict=False)
            if sum(w not in _STOP for w in g) >= 2
        }
    return frozenset(grams)


def _same_quote_candidates(ix: Index, named: Sequence[Fact]) -> list[tuple[int, int]]:
    """Index pairs (i < j, in order) of speakers who may be credited with the same quote:
    the aligner grouped their sentences and one of them has quote marks, or both quote
    the same words ("proportionate military response"). Found through the claim groups
    and an index of quoted word runs, not by testing every pair (a hundred articles
    name a few thousand speakers)."""
    quoted = [_has_quote(ix, f) for f in named]
    by_claim: dict[str, list[int]] = defaultdict(list)
    by_gram: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, f in enumerate(named):
        if (claim := ix.claim(f)) is not None:
            by_claim[claim].append(i)
        for gram in _quoted_trigrams(ix, f):
            by_gram[gram].append(i)
    found: set[tuple[int, int]] = set()
    for members in by_claim.values():
        found.update(
            (x, y)
            for k, x in enumerate(members)
            for y in members[k + 1 :]
            if quoted[x] or quoted[y]
        )
    for members in by_gram.values():
        found.update((x, y) for k, x in enumerate(members) for y in members[k + 1 :])
    return sorted(found)


def attribution_pairs(
    ix: Index, attributions: Sequence[Fact], figure_pairs: Iterable[tuple[Fact, Fact]]
) -> list[tuple[Fact, Fact, Relation]]:
    s = ix.settings
    out: list[tuple[Fact, Fact, Relation]] = []
    seen: set[tuple[int, int]] = set()

    def add(a: Fact, b: Fact, rel: Relation) -> None:
        if (id(a), id(b)) not in seen and (id(b), id(a)) not in seen:
            seen.add((id(a), id(b)))
            out.append((a, b, rel))

    # The same figure credited to different sources, by different outlets: one outlet's
    # updates crediting "the United States", then "President Obama", disagree with no one.
    for fa, fb in figure_pairs:
        if ix.articles[fa.source_id].outlet == ix.articles[fb.source_id].outlet:
            continue
        sa, sb = _sources(ix, fa), _sources(ix, fb)
        if sa and sb and not any(_one_source(x, y, s) for x in sa for y in sb):
            add(sa[0], sb[0], Relation("conflict", "credited-to-different-sources"))

    named = [f for f in attributions if is_credit(f) and f.value.get("type") == "named_person"]
    for i, j in _same_quote_candidates(ix, named):
        a, b = named[i], named[j]
        if a.source_id != b.source_id and not same_person(
            a.value.get("canonical") or a.value.get("speaker", ""),
            b.value.get("canonical") or b.value.get("speaker", ""),
            settings=s,
        ):
            add(a, b, Relation("conflict", "quote-different-speakers"))

    blames = [
        f
        for f in attributions
        if f.value.get("relation") in ("blame", "responsibility") and not _unnamed_actor(f)
    ]
    for i, a in enumerate(blames):
        for b in blames[i + 1 :]:
            if a.source_id == b.source_id or not ix.events_compatible(a, b):
                continue
            actor_a, actor_b = str(a.value.get("actor") or ""), str(b.value.get("actor") or "")
            # "the Syrian regime" / "the Syrian government": one actor, so one asserts what
            # the other denies; "Assad's forces" / "government forces" or "Daesh" / "the
            # Takfiri ISIL group" are no contradiction either (``actors.py``)
            same_actor = same_name(actor_a, actor_b, settings=s) or same_named_actor(
                actor_a, actor_b
            )
            if same_actor and a.value.get("stance") != b.value.get("stance"):
                add(a, b, Relation("conflict", "responsibility-asserted-vs-denied"))
            elif (
                not same_actor
                and not actors_agree(actor_a, actor_b)
                and ix.same_claim(a, b)
                and a.value.get("stance") == b.value.get("stance") == "asserted"
            ):
                add(a, b, Relation("conflict", "blamed-on-different-actors"))
    return out


def _one_source(x: Fact, y: Fact, settings: Settings) -> bool:
    """Two credits name one source: the same name, or two names of one body ("the
    Syrian Observatory for Human Rights" and "the Britain-based war monitor")."""
    a = x.value.get("canonical") or x.value.get("speaker", "")
    b = y.value.get("canonical") or y.value.get("speaker", "")
    people = x.value.get("type") == y.value.get("type") == "named_person"
    return (
        same_name(a, b, settings=settings)
        or one_voice(a, b)
        or one_voice(x.value.get("speaker"), y.value.get("speaker"))
        or same_state(a, b)
        # "Abdel Rahman" / "Rami Abdel Rahman": one person, named in full by one outlet
        or (people and same_person(a, b, settings=settings))
    )


def _unnamed_actor(f: Fact) -> bool:
    """ "Have not said which group carried out ..." names no actor: nothing to contradict."""
    actor = str(f.value.get("actor") or "").strip().lower()
    return not actor or actor.split()[0] in ("which", "who", "whom", "what", "whoever")


REASONS = {
    "ranges-disjoint": "ranges do not overlap",
    "ranges-overlap": "different figures, but the ranges overlap",
    "ranges-touch": "one gives the other's figure as a floor (\u201cmore than\u201d)",
    "different-times": "times differ by more than their precision allows",
    "different-dates": "different dates for the same event",
    "dates-differ-by-a-day": "dates differ by one day; may be the same moment on different clocks",
    "same-time-different-clocks": "the same moment, told on different clocks",
    "times-within-approximation": "different times, but within the 'about' of each",
    "clock-unknown": "one time has no known clock, so it cannot be checked",
    "different-places": "the same event placed in different places",
    "credited-to-different-sources": "the same figure credited to different sources",
    "quote-different-speakers": "the same quote credited to different speakers",
    "responsibility-asserted-vs-denied": "responsibility asserted by one, denied by another",
    "blamed-on-different-actors": "the same event blamed on different actors",
}


def time_reading(f: Fact) -> str:
    """A time as a reader compares it: "23:00 UTC Thu 25 Feb", or its UTC day."""
    start = _dt(f.value.get("start"))
    if start is None or not f.value.get("resolved"):
        return "clock unknown"
    if f.value.get("granularity") in FINE:
        return f"{start:%H:%M} UTC {start:%a %d %b}"
    return f"{start:%a %d %b} (UTC day)"
