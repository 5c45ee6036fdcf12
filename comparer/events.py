"""Which event each fact describes: the main event, background events, and none.

Why: a story about one strike also gives the attack it answers, the war's total toll,
another town's dead and the day an official spoke. Compared with the strike, each of
those is a false disagreement. This stage runs after the fact readers and before the
comparison, and gives every fact an ``event`` (and every time a ``time_role``).

Method, per comparison:

1. **Each article's own frame.** Its lead (the first ``LEAD`` sentences, where the
   headline stands in text sources) names the event it is about: the first event word
   of the lead gives the type (a specific type wins over a bare "attack"), the first
   event time of the lead gives the day (not a statement time, not a background one),
   the first town of the lead in an event clause gives the place.
2. **The same event across outlets.** Two article frames are one event unless their
   days are too far apart: two days when both leads write a calendar date, six when
   either gives a weekday only (it is counted back from a publication time that may be
   off). Towns never split: two outlets placing one strike in two towns is a
   disagreement to show. The **main event** is the group the most outlets lead with;
   other groups are events of their own, compared only among themselves.
3. **Each fact.** A fact belongs to its article's event unless its clause sets it apart
   (``facts/frames.py``): a background marker ("since 2011", "separately", "last
   week"), a day more than a day from the article's event day, a town other than the
   article's event town, or a province that does not hold that town ("in Idlib province"
   in a story of Aleppo; ``gazetteer.province_of``). Then it belongs to a background event keyed by the clause's
   (type, town, day); background events of different outlets are one when they agree on
   at least two of the three, town or day among them. A war-wide total belongs to no
   shared event: it is compared with nothing; nor does a toll summed over towns of
   several provinces ("eight killed in rocket attacks in Aleppo and Homs").
4. **Times** get a role: ``statement`` (hangs on a reporting verb), ``event`` (the
   event's time: an event word or a casualty word in its clause, no background marker,
   the article's event day or no known day), else ``background``; weeks, months and
   years are never an event's time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from comparer.facts.frames import CALENDAR_DATE, GENERIC, SUMMED, Frame, event_words
from comparer.facts.gazetteer import province_of
from comparer.records import Article, Event, EventMention, Fact, TimeRole

_JUDGED = "massacre"
LEAD = 3  # sentences of an article's lead (a text source's headline is its first)
DAY_SLACK = 1  # days two mentions of one event may be apart ("Saturday night" / "Sunday")
# Days two outlets' leads may be apart and still tell one event: a weekday is anchored to
# a publication date that may be a day late or early, and a story filed the next day
# says "on Wednesday" of Tuesday night's strike.
LEAD_DAY_SLACK = 2
# ... and when either lead dates the event by a weekday or "yesterday" only: those are
# counted back from a publication time that may itself be off by days.
WEEKDAY_SLACK = 6
_COARSE = frozenset({"week", "month", "year"})


@dataclass
class ArticleFrame:
    """What one article's lead says its event is."""

    source_id: str
    type: str | None = None
    day: date | None = None
    town: str | None = None
    mentions: list[EventMention] = field(default_factory=list)
    # the day came from the other outlets, not this lead: a looser match (a story filed
    # two days on may date the event by a weekday the others do not use)
    day_borrowed: bool = False
    day_explicit: bool = False  # the lead wrote a calendar date, not a weekday


@dataclass
class _Group:
    """Events being resolved: article frames (main candidates) or background clauses."""

    type_votes: Counter[str] = field(default_factory=Counter)
    days: Counter[date] = field(default_factory=Counter)
    explicit_days: Counter[date] = field(default_factory=Counter)
    towns: Counter[str] = field(default_factory=Counter)
    sources: list[str] = field(default_factory=list)
    mentions: list[EventMention] = field(default_factory=list)

    def note(
        self,
        source_id: str,
        *,
        type_: str | None,
        day: date | None,
        town: str | None,
        explicit: bool = False,
        mentions: Sequence[EventMention] = (),
    ) -> None:
        """One more telling of the event: its cues count as votes."""
        if type_:
            self.type_votes[type_] += 1
        if day:
            self.days[day] += 1
            if explicit:
                self.explicit_days[day] += 1
        if town:
            self.towns[town] += 1
        if source_id not in self.sources:
            self.sources.append(source_id)
        self.mentions.extend(mentions)

    def day(self) -> date | None:
        """The day most tellings give; on a tie the latest, since a story leads with its
        newest event and an earlier day in a lead is usually what it followed."""
        if not self.days:
            return None
        return max(self.days.items(), key=lambda kv: (kv[1], kv[0]))[0]

    def town(self) -> str | None:
        return self.towns.most_common(1)[0][0] if self.towns else None

    def type(self) -> str:
        # "massacre" says how it is judged, not what happened: an air strike named by one
        # outlet and a massacre by another is the air strike
        for vague in ((GENERIC, _JUDGED), (GENERIC,)):
            specific = [(n, k) for k, n in self.type_votes.items() if k not in vague]
            if specific:
                return max(specific)[1]
        return GENERIC if self.type_votes else "event"


def _frame(f: Fact) -> Frame:
    return f.frame if isinstance(f.frame, Frame) else Frame()


# "since 21 May", "until Friday", "by noon": the edge of a period, not when it happened
_PERIOD_EDGE = frozenset({"since", "until", "till", "by", "before", "after", "from"})


def _is_event_time(f: Fact) -> bool:
    fr = _frame(f)
    return (
        f.kind == "time"
        and not fr.statement
        and fr.background is None
        and f.value.get("qualifier") not in _PERIOD_EDGE
        and f.value.get("granularity") not in _COARSE
        and bool(f.value.get("start"))
        and (fr.event_type is not None or fr.casualty)
    )


def article_frame(article: Article, facts: Sequence[Fact]) -> ArticleFrame:
    """The event an article leads with (step 1)."""
    frame = ArticleFrame(article.id)
    lead = [s for s in article.sentences if s.index < LEAD]
    words = [(s, w) for s in lead for w in event_words(s.text)]
    specific = [(s, w) for s, w in words if w[2] != GENERIC]
    first = (specific or words)[:1]
    if first:
        s, (start, end, kind) = first[0]
        frame.type = kind
        frame.mentions.append(EventMention(article.id, s.index, start, end))
    for f in facts:
        if f.sentence < LEAD and frame.day is None and _is_event_time(f):
            frame.day = date.fromisoformat(str(f.value["start"])[:10])
            frame.day_explicit = bool(CALENDAR_DATE.search(f.text))
    # The town: the one the article's event clauses name most, the lead counting double
    # (a story may name no town in its lead: "US strikes in eastern Syria"). Clauses of
    # the article's own type of event vote in full, clauses that name no event at all by
    # half; a clause of another kind of event ("three rockets hit Erbil"), another day or
    # another occasion votes against the town it names.
    votes: dict[str, float] = defaultdict(float)
    for f in facts:
        fr = _frame(f)
        town = _town_of(f)
        if town is None or town not in fr.towns:  # "the London-based monitor"
            continue
        typed = fr.event_type not in (None, GENERIC)
        other = (
            fr.background is not None
            or (typed and fr.event_type != frame.type)
            or bool(fr.days and frame.day and elsewhere(fr, frame))
        )
        if other:
            votes[town] -= 1  # told as another occasion's place: a vote against
        elif typed or fr.casualty:
            votes[town] += 2 if f.sentence < LEAD else 1
        elif fr.event_type is None and f.sentence < LEAD:
            votes[town] += 0.5
    best = max(votes.items(), key=lambda kv: kv[1], default=None)
    if best is not None and best[1] > 0:
        frame.town = best[0]
    return frame


def _town_of(f: Fact) -> str | None:
    if f.kind == "place" and f.value.get("level") in ("town", "city"):
        return str(f.value.get("canonical") or f.value.get("name"))
    return None


def _same_type(a: str | None, b: str | None) -> bool:
    """Types that may name one event: equal, or either unknown or a bare "attack"."""
    return a is None or b is None or a == b or GENERIC in (a, b)


# Kinds of event that coverage of one occasion does not mix: a bombardment (from the air,
# by artillery or rockets, a blast, a gas attack: outlets name one raid all of these ways),
# fighting on the ground, a crash, a quake. A massacre or a bare "attack" may be any.
_FAMILY = {
    "airstrike": "bombardment",
    "shelling": "bombardment",
    "rocket attack": "bombardment",
    "drone strike": "bombardment",
    "explosion": "bombardment",
    "chemical attack": "bombardment",
    "clashes": "ground fighting",
    "shooting": "ground fighting",
    "crash": "crash",
    "earthquake": "earthquake",
}


def _kinds_differ(a: str | None, others: Iterable[str | None]) -> bool:
    """Is event type ``a`` of another kind than every one of ``others`` (when both are
    known)?"""
    mine = _FAMILY.get(a or "")
    theirs = {_FAMILY.get(t or "") for t in others} - {None}
    return mine is not None and bool(theirs) and mine not in theirs


def _frames_agree(a: ArticleFrame, b: _Group) -> bool:
    """May an article's event be the group's? Not when they lead with different kinds of
    event (``_FAMILY``: air strikes and clashes on the ground), nor when their days are more
    than a day apart. Towns alone never split: a lead may place the story where officials reacted
    ("Russia said in Moscow ..."), and two outlets placing one strike in two towns is a
    disagreement to show, not two events."""
    if _kinds_differ(a.type, b.type_votes):
        return False
    if a.day is None:
        return True
    if a.day_explicit and b.explicit_days:
        b_day = b.explicit_days.most_common(1)[0][0]
        return abs((a.day - b_day).days) <= LEAD_DAY_SLACK
    group_day = b.day()
    return group_day is None or abs((a.day - group_day).days) <= WEEKDAY_SLACK


def _group_frames(frames: Sequence[ArticleFrame], outlets: dict[str, str]) -> list[_Group]:
    """Step 2: article frames into events, the main one first."""
    groups: list[_Group] = []
    vague: list[ArticleFrame] = []
    for fr in frames:
        if fr.day is None and fr.town is None:
            vague.append(fr)
            continue
        home = next((g for g in groups if _frames_agree(fr, g)), None)
        if home is None:
            home = _Group()
            groups.append(home)
        _add(home, fr)
    if not groups:
        groups.append(_Group())
    # The main event: the most outlets (not articles: one outlet's three updates are one
    # voice); the first group on a tie, which holds the first article given.
    groups.sort(key=lambda g: -len({outlets[s] for s in g.sources}))
    for fr in vague:
        _add(groups[0], fr)
    return groups


def _add(group: _Group, fr: ArticleFrame) -> None:
    group.note(
        fr.source_id,
        type_=fr.type,
        day=fr.day,
        town=fr.town,
        explicit=fr.day_explicit,
        mentions=fr.mentions,
    )


def elsewhere(fr: Frame, own: ArticleFrame) -> str | None:
    """Why a fact's clause is about another occasion than its article's event, or None."""
    if fr.background:
        return fr.background
    slack = LEAD_DAY_SLACK if own.day_borrowed else DAY_SLACK
    if fr.days and own.day and all(abs((d - own.day).days) > slack for d in fr.days):
        return "another day"
    if fr.towns and own.town and own.town not in fr.towns:
        return "another place"
    if not fr.towns and fr.provinces and own.town:
        # "22 children killed in a school in Idlib province" in a story of a strike on
        # Aleppo: a province that does not hold the event's town is another place. A town
        # the gazetteer cannot place is never set apart this way.
        home = province_of(own.town, settings=None)
        if home is not None and home not in fr.provinces:
            return "another place"
    return None


@dataclass(frozen=True)
class _Key:
    type: str | None
    town: str | None
    day: date | None

    def known(self) -> int:
        return sum(x is not None for x in (self.town, self.day)) + (
            self.type is not None and self.type != GENERIC
        )

    def recalls(self, other: _Key) -> bool:
        """Does a clause with one cue (``other``) name this occasion again?"""
        return (other.town is not None and other.town == self.town) or (
            other.day is not None and other.day == self.day
        )

    def same(self, other: _Key) -> bool:
        """One background event in two outlets: town or day agree, and two of three."""
        agree = 0
        for mine, theirs in ((self.town, other.town), (self.day, other.day)):
            if mine is not None and theirs is not None:
                if mine != theirs:
                    return False
                agree += 1
        if self.type and other.type and GENERIC not in (self.type, other.type):
            if self.type != other.type:
                return False
            agree += 1
        return agree >= 2 and (self.town is not None or self.day is not None)


def _background_key(fr: Frame) -> _Key:
    return _Key(
        fr.event_type, min(fr.towns) if fr.towns else None, min(fr.days) if fr.days else None
    )


def _told_key(key: _Key, group: _Group) -> _Key:
    """A background event's key with what its later tellings added (a day, a town)."""
    type_ = key.type
    if type_ in (None, GENERIC) and group.type_votes:
        type_ = group.type()  # a later telling named its kind ("the attack" -> gas attack)
    return _Key(type_, key.town or group.town(), key.day or group.day())


def _background_event(background: list[tuple[_Key, _Group]], f: Fact, fr: Frame) -> int | None:
    """The background event (index into ``background``) a set-apart fact tells, found or
    started; None when its clause says too little to match other outlets' (a war total),
    or when it sums several occasions (``frames.SUMMED``: a toll over towns of several
    provinces), which no other telling can match."""
    if fr.background == SUMMED:
        return None
    key = _background_key(fr)
    # each event as its tellings so far describe it: the clause that started it may have
    # named the town and a later one the day ("chemical weapon use in Idlib", then "on
    # Tuesday an alleged chemical attack ... claimed the lives of 80")
    known = [_told_key(k, g) for k, g in background]
    n = next((i for i, k in enumerate(known) if k.same(key)), None)
    if n is None and key.known() < 2:
        # one cue alone ("the Erbil attack") names an occasion already told
        n = next((i for i, k in enumerate(known) if k.recalls(key)), None)
    if n is None and key.known() >= 2:
        background.append((key, _Group()))
        n = len(background) - 1
    if n is not None:
        # a clause with no event word ("20 civilians died in Urum al-Kubra on Monday") is
        # still where the outlet tells it: the fact's own words stand for the mention
        # (one per sentence: its first fact)
        group = background[n][1]
        told = any((m.source_id, m.sentence) == (f.source_id, f.sentence) for m in group.mentions)
        mention = (
            [EventMention(f.source_id, f.sentence, *fr.event_span)]
            if fr.event_span
            else []
            if told
            else [EventMention(f.source_id, f.sentence, f.start, f.end)]
        )
        group.note(f.source_id, type_=fr.event_type, day=key.day, town=key.town, mentions=mention)
    return n


def _iso_day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _label(type_: str, town: str | None, day: date | None) -> str:
    kind = "event" if type_ in ("event", GENERIC) and not (town or day) else type_
    when = f"{day.day} {day:%b} {day.year} " if day else ""
    return f"the {when}{kind}" + (f" in {town}" if town else "")


def resolve_events(
    articles: Sequence[Article], facts: Sequence[Fact]
) -> tuple[tuple[Event, ...], tuple[Fact, ...]]:
    """Events of the ok articles (the main one first) and every fact with its event."""
    ok = [a for a in articles if a.status == "ok"]
    by_source: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_source[f.source_id].append(f)
    outlets = {a.id: a.outlet for a in ok}
    frames = {a.id: article_frame(a, by_source.get(a.id, [])) for a in ok}
    groups = _group_frames(list(frames.values()), outlets)
    group_of = {sid: n for n, g in enumerate(groups) for sid in g.sources}

    for lead in frames.values():  # an article is about its group's event: what its lead
        g = groups[group_of[lead.source_id]]  # left unsaid, the other outlets say
        if g.day() is not None and (
            lead.day is None or (not lead.day_explicit and lead.day != g.day())
        ):
            # a lead dated only by a weekday joined the group within the weekday slack: the
            # group's day is the better reading (one lead's first weekday may be a caption's)
            lead.day, lead.day_borrowed = g.day(), True
        lead.town = lead.town or g.town()

    main_group = groups[0]
    main_frame = ArticleFrame(
        "", type=main_group.type(), day=main_group.day(), town=main_group.town()
    )
    background: list[tuple[_Key, _Group]] = []
    assigned: list[Fact] = []
    placed: dict[int, tuple[str, int]] = {}  # id(fact) -> ("main"|"bg", group index)
    # The last sentence of each article set apart as another occasion: a sentence that
    # names no event, town or day of its own goes on telling it ("Three rockets hit Erbil
    # on Feb. 15. One contractor was killed.").
    told: dict[str, tuple[int, tuple[str, int] | None]] = {}
    # Sentences that name an occasion of their own, not set apart, in any of their clauses
    # ("Six children were killed and 15 injured in Aleppo on Thursday" when the parser gave
    # the town and day to the second count only): none of their facts goes on telling the
    # occasion of the sentence before.
    own_cue = {
        (f.source_id, f.sentence)
        for f in facts
        if f.source_id in frames
        and _cued(_frame(f))
        and elsewhere(_frame(f), frames[f.source_id]) is None
    }
    for f in facts:
        own = frames.get(f.source_id)
        if own is None:
            assigned.append(f)
            continue
        fr = _frame(f)
        why = elsewhere(fr, own)
        if (
            why is None
            and f.kind != "attribution"
            and _kinds_differ(fr.event_type, [own.type, main_frame.type])
        ):
            # "19 regime fighters were killed in the fighting" in a story of a rocket attack:
            # a clause of another kind of event than both the story's lead and the main event
            # tells another event. Attributions keep theirs: their clause is a reporting
            # verb's, and the event word nearest it is often one of what is reported.
            why = "another kind of event"
        last = told.get(f.source_id)
        if (
            why is None
            and last is not None
            and last[0] == f.sentence - 1
            and last[1] != ("main", group_of[f.source_id])
            and not _cued(fr)
            and (f.source_id, f.sentence) not in own_cue
        ):
            if last[1] is not None:
                placed[id(f)] = last[1]
            told[f.source_id] = (f.sentence, last[1])
            assigned.append(f)
            continue
        if (
            why is None
            and group_of[f.source_id] != 0
            and _about_main(fr, main_frame)
            and not _kinds_differ(fr.event_type or own.type, [main_frame.type])
        ):
            # a story that leads with something else (a vote on strikes) may still give
            # the main event's toll: a clause of its type, day or town is about it. Not a
            # story of another kind of event (clashes on the day of an air strike), unless
            # the clause names the main event's kind.
            placed[id(f)] = ("main", 0)
            assigned.append(f)
            continue
        if why is None:
            placed[id(f)] = ("main", group_of[f.source_id])
            if f.kind != "attribution":
                told[f.source_id] = (f.sentence, placed[id(f)])
        else:
            n = _background_event(background, f, fr)
            if n is not None:
                placed[id(f)] = ("bg", n)
            told[f.source_id] = (f.sentence, placed.get(id(f)))
        assigned.append(f)

    events: list[Event] = []
    ids: dict[tuple[str, int], str] = {}
    for n, g in enumerate(groups):
        if not g.sources:
            continue
        ids[("main", n)] = eid = f"e{len(events) + 1}"
        events.append(
            Event(
                id=eid,
                type=g.type(),
                main=n == 0,
                place=g.town(),
                time=_iso_day(g.day()),
                mentions=tuple(_unique(g.mentions)),
                label=_label(g.type(), g.town(), g.day()),
            )
        )
    for n, (_key, g) in enumerate(background):
        ids[("bg", n)] = eid = f"e{len(events) + 1}"
        events.append(
            Event(
                id=eid,
                type=g.type(),
                main=False,
                place=g.town(),
                time=_iso_day(g.day()),
                mentions=tuple(_unique(g.mentions)),
                label=_label(g.type(), g.town(), g.day()),
            )
        )

    events = _distinct_labels(events)
    out = []
    for f in assigned:
        where = placed.get(id(f))
        event = ids.get(where) if where else None
        role = _time_role(f, where) if f.kind == "time" else None
        if f.kind == "time" and role != "event":
            # a statement time or another occasion's time is no answer to "when did it happen"
            event = event if role == "background" and where and where[0] == "bg" else None
        out.append(replace(f, event=event, time_role=role))
    return tuple(events), tuple(out)


def _distinct_labels(events: list[Event]) -> list[Event]:
    """Two events told with the same type, town and day (an earlier raid on the city that
    day, set apart by "earlier"): the later in the list reads "another ..." so that their
    cards' questions cannot be taken for one another."""
    seen: set[str] = set()
    out = []
    for e in events:
        if e.label in seen and e.label.startswith("the "):
            e = replace(e, label="another " + e.label[len("the ") :])
        seen.add(e.label)
        out.append(e)
    return out


def _about_main(fr: Frame, main: ArticleFrame) -> bool:
    """Does a clause name the main event: its specific type, or its day or town with a
    casualty or event word, and nothing that sets it apart?"""
    if elsewhere(fr, main) is not None:
        return False
    if fr.event_type not in (None, GENERIC) and fr.event_type == main.type:
        return True
    named = bool((main.day and main.day in fr.days) or (main.town and main.town in fr.towns))
    return named and (fr.casualty or fr.event_type is not None)


def _cued(fr: Frame) -> bool:
    """Does the clause name an event, a town or a day of its own?"""
    # a bare "the attack" names no event of its own: it points back at one told before
    return fr.event_type not in (None, GENERIC) or bool(fr.towns) or bool(fr.days)


def _time_role(f: Fact, where: tuple[str, int] | None) -> TimeRole:
    fr = _frame(f)
    if fr.statement:
        return "statement"
    if where is None or where[0] != "main" or not _is_event_time(f):
        return "background"
    return "event"


def _unique(mentions: list[EventMention]) -> list[EventMention]:
    return list(dict.fromkeys(mentions))


def event_of(events: Sequence[Event], event_id: str | None) -> Event | None:
    return next((e for e in events if e.id == event_id), None)


__all__ = ["ArticleFrame", "LEAD", "article_frame", "elsewhere", "event_of", "resolve_events"]
