"""The dataclasses every pipeline stage speaks.

Data flows one way (see ``pipeline.py``)::

    Source -> Article (with Sentence spans) -> Claim / Omission / SharedText
                                            -> Fact
                                            -> Disagreement -> Report

Offsets: ``Sentence.start``/``end`` index the article's extracted ``text``
(``article.text[s.start:s.end] == s.text``); ``Fact.start``/``end`` index the
sentence's own text (``sentence.text[f.start:f.end] == f.text``).

Every ``to_dict`` returns plain JSON-ready data; these dicts are the JSON
contract of the CLI and the report, so fields are added, never renamed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, overload

SourceKind = Literal["url", "file", "text"]
Status = Literal["ok", "error"]
FactKind = Literal["figure", "time", "attribution", "place"]
# What a time says: when the event happened, when someone spoke of it, or when some
# other (earlier, background) event happened.
TimeRole = Literal["event", "statement", "background"]
Severity = Literal["conflict", "compatible", "unresolved"]
# How disagreements are ordered everywhere: what cannot both be true comes first.
SEVERITY_ORDER: dict[str, int] = {"conflict": 0, "unresolved": 1, "compatible": 2}


@overload
def iso(dt: datetime) -> str: ...
@overload
def iso(dt: None) -> None: ...
@overload
def iso(dt: datetime | None) -> str | None: ...
def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a trailing Z, or None."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Source:
    """What the user asked to compare, before anything is read.

    ``location`` is the URL for ``url``, the path for ``file`` and empty for
    pasted ``text`` (whose body is in ``text``). ``outlet``, ``url`` and
    ``published`` are what the user (or a .txt header) declared; extraction
    may fill them in later on the Article.
    """

    id: str
    kind: SourceKind
    location: str = ""
    text: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    constructed: bool = False  # test material written for the project, not real reporting
    warnings: tuple[str, ...] = ()  # found before reading (a .txt header's bad date)


@dataclass(frozen=True)
class Sentence:
    source_id: str
    index: int  # position within its article, from 0
    text: str
    start: int  # span in Article.text
    end: int
    paragraph: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "i": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
        }


@dataclass(frozen=True)
class Snapshot:
    """One fetch as the store keeps it (bodies are stored compressed)."""

    requested_url: str
    final_url: str
    http_status: int
    fetched_at: datetime
    content_type: str
    sha256: str
    body: bytes
    encoding: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Article:
    """A source after reading and extraction; ``status == "error"`` keeps the reason."""

    source: Source
    status: Status
    outlet: str
    text: str = ""
    sentences: tuple[Sentence, ...] = ()
    url: str | None = None
    final_url: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    fetched_at: datetime | None = None
    sha256: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    from_store: bool = False
    error: str | None = None
    error_type: str | None = None
    warnings: tuple[str, ...] = ()
    # A leading wire dateline ("KABUL, Aug 27 (Reuters) -"): where and when the story was
    # filed, metadata and never a fact about the event. Removed from ``text``.
    dateline_place: str | None = None
    dateline_date: date | None = None

    @property
    def id(self) -> str:
        return self.source.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.source.id,
            "kind": self.source.kind,
            "location": self.source.location,
            "outlet": self.outlet,
            "url": self.url,
            "final_url": self.final_url,
            "title": self.title,
            "author": self.author,
            "published": iso(self.published),
            "language": self.language,
            "fetched_at": iso(self.fetched_at),
            "sha256": self.sha256,
            "http_status": self.http_status,
            "content_type": self.content_type,
            "from_store": self.from_store,
            "constructed": self.source.constructed,
            "status": self.status,
            "error": self.error,
            "error_type": self.error_type,
            "warnings": list(self.warnings),
            "dateline_place": self.dateline_place,
            "dateline_date": self.dateline_date.isoformat() if self.dateline_date else None,
            "sentences": [s.to_dict() for s in self.sentences],
        }


@dataclass(frozen=True)
class ClaimMember:
    source_id: str
    sentences: tuple[int, ...]  # one index, or two adjacent ones when a claim spans them

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_id,
            "sentence": self.sentences[0],
            "sentences": list(self.sentences),
        }


@dataclass(frozen=True)
class Claim:
    """Sentences from different sources that report the same thing."""

    id: str
    members: tuple[ClaimMember, ...]
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "members": [m.to_dict() for m in self.members],
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Omission:
    """A sentence no other source has a counterpart for ("only X reports ...")."""

    source_id: str
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source_id, "sentence": self.sentence}


@dataclass(frozen=True)
class SharedText:
    """Two sources whose texts are near copies: not independent confirmations."""

    sources: tuple[str, str]
    share: float  # fraction of the shorter text found in the other

    def to_dict(self) -> dict[str, Any]:
        return {"sources": list(self.sources), "share": round(self.share, 4)}


@dataclass(frozen=True)
class Fact:
    """One typed, normalised fact with its evidence span inside a sentence.

    ``value`` per kind (all JSON-ready):
      figure:      low, high (None = unbounded), counted, role, qualifier, calibre?, event?
      time:        start, end (ISO UTC or None), granularity, zone, resolved, original
      attribution: speaker, type, cue, stance, via?, canonical?
      place:       name, canonical, zone?
    """

    source_id: str
    sentence: int
    kind: FactKind
    text: str
    start: int
    end: int
    value: Mapping[str, Any]
    event: str | None = None  # id of the Event it describes (``events.py``), None = unknown
    time_role: TimeRole | None = None  # times only
    # What the fact's clause says about its event (``facts/frames.py``): working data of
    # the events stage, not part of the report.
    frame: Any = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "source": self.source_id,
            "sentence": self.sentence,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": dict(self.value),
            "event": self.event,
        }
        if self.kind == "time":
            out["time_role"] = self.time_role
        return out


@dataclass(frozen=True)
class EventMention:
    """Where one outlet names an event: the event word's span in a sentence."""

    source_id: str
    sentence: int
    start: int  # offsets into the sentence's text
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_id,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Event:
    """One happening the outlets report (a strike, a blast ...), resolved across outlets.

    ``main`` marks the event the comparison is about (what most outlets lead with);
    every other event is background and is compared only with itself.
    """

    id: str
    type: str
    main: bool
    place: str | None = None  # canonical place, when the outlets say
    time: str | None = None  # ISO date (UTC day) when the outlets say
    mentions: tuple[EventMention, ...] = ()
    label: str = ""  # how a card names it: "the 3 May airstrike in Raqqa"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "main": self.main,
            "place": self.place,
            "time": self.time,
            "label": self.label,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class DisagreementValue:
    """One outlet's answer on a card: the fact's span and value, who the outlet credits
    it to (``credited_to``: "the Syrian Observatory for Human Rights") and when that
    source spoke (``said_when``: an ISO day from "said on Sunday", an instant in UTC from
    "said at 3 p.m. on Sunday")."""

    source_id: str
    sentence: int
    text: str
    start: int
    end: int
    value: Mapping[str, Any]
    credited_to: str | None = None
    said_when: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_id,
            "sentence": self.sentence,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": dict(self.value),
            "credited_to": self.credited_to,
            "said_when": self.said_when,
        }


@dataclass(frozen=True)
class Revision:
    """One originator's figure changing over time ("40, then 52"), in the order told.

    ``values`` index into the card's ``values``; a revision is a timeline, not a conflict.
    """

    originator: str
    values: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"originator": self.originator, "values": list(self.values)}


@dataclass(frozen=True)
class Disagreement:
    """One card: a question about one event (how many were killed in it? when did it
    happen?) with every outlet's answer.

    ``values`` hold each outlet's answer; ``revisions`` the answers that are one
    originator's earlier and later figures. ``relation`` is the finer label of the worst
    difference in the set ("ranges-disjoint", "same-time-different-clocks" ...).
    """

    id: str
    kind: FactKind
    severity: Severity
    claims: tuple[str, ...]
    explanation: str
    values: tuple[DisagreementValue, ...]
    relation: str = ""
    event: str | None = None  # Event.id the question is about
    slot: str = ""  # killed, wounded, munitions, aircraft, buildings, event_time, event_place ...
    question: str = ""  # "How many were killed in the 25 Feb airstrike in Al Bukamal?"
    revisions: tuple[Revision, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "relation": self.relation,
            "claims": list(self.claims),
            "explanation": self.explanation,
            "values": [v.to_dict() for v in self.values],
            "event": self.event,
            "slot": self.slot,
            "question": self.question,
            "revisions": [r.to_dict() for r in self.revisions],
        }


@dataclass(frozen=True)
class Report:
    """Everything one comparison produced; ``report.py`` writes it out."""

    generated_at: datetime
    settings: Mapping[str, Any]
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...] = ()
    facts: tuple[Fact, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    omissions: tuple[Omission, ...] = ()
    shared_text: tuple[SharedText, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    run_id: str | None = None
    events: tuple[Event, ...] = ()

    @property
    def main_event(self) -> Event | None:
        return next((e for e in self.events if e.main), None)

    def article(self, source_id: str) -> Article:
        for a in self.articles:
            if a.source.id == source_id:
                return a
        raise KeyError(source_id)
