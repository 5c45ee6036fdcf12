"""Event cues: what in a sentence tells one event from another.

A story about a retaliatory strike also reports the attack it answers; both have
casualty figures and times. Two sentences are taken to speak of *different* events
when their cues disagree: they name different towns, explicit calendar dates more
than a day apart, or different kinds of event (a rocket attack vs an airstrike).
Sentences without cues are compatible with anything; alignment then decides.
Across claim groups, clock times are compared only when both sentences name an event
(``share_event``): "the vote at 11:40 p.m." is not the time of the strike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from comparer.records import Fact

GENERIC = "attack"
# Kinds of event named in conflict coverage; a sentence may name several.
EVENT_WORDS: dict[str, str] = {
    r"rockets?|missiles?|rocket attacks?|mortars?|drones? attacks?": "rocket attack",
    r"air ?strikes?|strikes?|struck by|bomb(?:ing|ed|s)|raids?|retaliat\w+": "airstrike",
    # "attacked a border checkpoint": an event of some kind, compatible with any other
    r"attack(?:s|ed|ing)?": GENERIC,
}
_EVENT_RES = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), kind) for p, kind in EVENT_WORDS.items()]
_MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)


@dataclass(frozen=True)
class Cues:
    towns: frozenset[str] = frozenset()
    dates: frozenset[date] = frozenset()
    events: frozenset[str] = frozenset()


def sentence_cues(text: str, facts: Iterable[Fact]) -> Cues:
    towns: set[str] = set()
    dates: set[date] = set()
    for f in facts:
        if f.kind == "place" and f.value.get("level") in ("town", "city"):
            towns.add(str(f.value.get("canonical") or f.value.get("name")))
        elif (
            f.kind == "time"
            and f.value.get("granularity") == "day"
            and f.value.get("start")
            and _MONTHS.search(f.text)
        ):
            dates.add(date.fromisoformat(str(f.value["start"])[:10]))
    events = {kind for rx, kind in _EVENT_RES if rx.search(text)}
    return Cues(frozenset(towns), frozenset(dates), frozenset(events))


def cues_differ(a: Cues, b: Cues) -> bool:
    if a.towns and b.towns and not (a.towns & b.towns):
        return True
    if a.dates and b.dates and min(abs((x - y).days) for x in a.dates for y in b.dates) > 1:
        return True
    ea, eb = a.events - {GENERIC}, b.events - {GENERIC}
    return bool(ea and eb and not (ea & eb))


def share_event(a: Cues, b: Cues) -> bool:
    """Both sentences name an event, and the same kind of event (a bare "attack" matches
    any kind): the least a clock time needs before it is compared with another."""
    if not (a.events and b.events):
        return False
    return bool(a.events & b.events) or GENERIC in a.events or GENERIC in b.events
