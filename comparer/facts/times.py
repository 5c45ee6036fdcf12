"""Times and dates in a sentence, normalised to UTC instants or intervals.

Why regular expressions and not dateparser: a fact needs an exact span, and
wire copy writes times in a few fixed shapes ("about 6 PM EST Thursday", "1 a.m.
local time on Friday (2300 GMT)", "On Feb. 15"); dateparser finds no spans, costs
milliseconds a call and accepts too much ("may", "second"). So:

1. **Components.** Clock times (``6 PM``, ``2300 GMT``, ``noon``) with the zone
   written after them (``gazetteer.zone_after``), days (``Feb. 15``, ``Friday
   night``, ``early Friday``, ``yesterday``) and periods (``last week``, ``in
   2019``). Longest match wins; a qualifier before ("about", "after") is kept.
2. **Assembly.** A clock takes the nearest day of its sentence (of its own
   parentheses if in some): "about 6 PM East Standard Time Thursday afternoon"
   is one fact, 6 PM on Thursday. A clock in parentheses after another, with no
   day of its own ("1 a.m. local time Friday (2300 GMT)"), is the same moment on
   another clock: it takes the date nearest its twin. A clock with no known zone
   restated on one that has it ("around 3 a.m. (0000 GMT) on Wednesday") is that moment:
   it takes the instant, with the offset the pair shows ("UTC+03:00"). Inside the
   parentheses a day is the nearest clock's ("(0000 GMT / 8:00 p.m. Tuesday EDT)").
   "Thursday, Feb. 25" is one day.
3. **Anchoring.** Weekdays, "yesterday", "last week" count from the publication
   date (UTC): a bare weekday is the latest such day on or before it (news is
   told in the past tense); "next"/"coming", or a future tense just before it
   ("will brief reporters on Monday"), look forward. A date without a year
   takes the publication year, or the year before when that would put it after
   publication. Weeks run Monday to Monday.

Values: ``start``/``end`` ISO UTC (end = start + one ``granularity``); ``resolved``
when ``start`` is a true UTC instant or a date. A clock or part of day with no
known zone (none written, or "local time" with no known place) is ``floating``:
wall-clock values written as if UTC, not resolved. A clock with no day has no
``start``, but its ``clock`` (local HH:MM) and ``utc_clock`` compare. Parts of
day in local hours ("early"/"late" + a day naming a part: its first/second half):

    early hours, predawn  00:00 - 06:00  (also "before dawn")
    at dawn               04:00 - 07:00
    early (Friday)        00:00 - 08:00
    morning               06:00 - 12:00
    afternoon             12:00 - 18:00
    evening, late         18:00 - 24:00
    night, overnight      18:00 - 06:00 next day

Not read: durations ("for three hours"), ages, years as adjectives ("the 2019 attack": a
year needs in/during/since/by...). ":00" is hour granularity (on-the-hour times are rounded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from comparer.facts.context import ArticleContext
from comparer.facts.gazetteer import Clock, zone_after
from comparer.records import Fact, Sentence, iso
from comparer.settings import Settings

PARTS: dict[str, tuple[int, int]] = {
    "early hours": (0, 6),
    "predawn": (0, 6),
    "before dawn": (0, 6),
    "at dawn": (4, 7),
    "early": (0, 8),
    "morning": (6, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
    "late": (18, 24),
    "night": (18, 30),
    "overnight": (18, 30),
    "tonight": (18, 30),
}
_WORDNUM = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_WEEKDAYS, _MONTHS = (
    "mon tue wed thu fri sat sun".split(),
    "jan feb mar apr may jun jul aug sep oct nov dec".split(),
)
_APPROX = (
    "about",
    "around",
    "approximately",
    "approx.",
    "roughly",
    "nearly",
    "almost",
    "circa",
    "sometime",
    "shortly after",
    "shortly before",
    "just after",
    "just before",
    "soon after",
    "right after",
    "immediately after",
)
WEEKDAY = (
    r"(?P<wd>(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon\.|"
    r"Tues?\.|Wed\.|Thu(?:rs?)?\.|Fri\.|Sat\.|Sun\.))"
)
MONTH = (
    r"(?P<mon>(?-i:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|"
    r"Nov\.?|Dec\.?))(?![a-z])"
)
YEAR = r"(?P<y>(?:19|20)\d\d)(?!\w)"
_QUAL = re.compile(
    r"(?:^|(?<=[\s(,]))(?P<q>about|around|approximately|approx\.|roughly|nearly|"
    r"almost|circa|sometime|(?:shortly|just|soon|right|immediately)\s+(?:after|"
    r"before)|after|before|by|until|till|since|from)\s+(?:at\s+|on\s+)?$",
    re.I,
)
CLOCK = re.compile(
    r"""(?<![\w.:])(?:
    (?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s?(?P<ap>[ap])\.?\s?m(?![a-z])\.?
  | (?P<h24>[01]?\d|2[0-3])[:h](?P<m24>[0-5]\d)(?!\d)
  | (?P<mil>[01]\d|2[0-3])(?P<milm>[0-5]\d)
      (?=\s*(?:GMT|UTC|Z\b|Zulu|hours|hrs|local\s+time|[ECMP][SD]?T\b))
  | (?P<word>noon|midday|midnight)
  | (?P<oc>1[0-2]|0?[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)
      \s+o['\u2019]\s?clock)
  (?P<hrs>\s*(?:hours|hrs)\b)?
  (?P<dp>\s+in\s+the\s+(?:morning|afternoon|evening)|\s+at\s+night)?""",
    re.I | re.X,
)
DAYS = (  # (name, pattern); each yields a day, a day range, or a period
    (
        "mdy",
        re.compile(
            MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?:\s*[-\u2013]\s*"
            r"(?P<d2>[0-3]?\d)(?!\d))?(?:,?\s+" + YEAR + ")?",
            re.I,
        ),
    ),
    (
        "dmy",
        re.compile(
            r"(?<![\d.])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + MONTH
            + r"(?:,?\s+"
            + YEAR
            + ")?",
            re.I,
        ),
    ),
    ("iso", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?!\d)")),
    ("my", re.compile(MONTH + r",?\s+" + YEAR, re.I)),
    (
        "month",
        re.compile(
            r"\b(?:(?P<q>in|during|since|until|by|early|late|last|this|next|"
            r"(?:the\s+)?(?:beginning|end|middle)\s+of)\s+|(?P<mid>mid-))" + MONTH,
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:(?P<q>in|during|early|late|since|until|by)\s+|(?P<mid>mid-))"
            + YEAR
            + r"(?!-|\s+(?:GMT|UTC|hours|hrs))",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?:(?P<mod>last|this\s+past|this\s+coming|next|coming|this)\s+)?"
            + WEEKDAY
            + r"(?![a-z])",
            re.I,
        ),
    ),
    (
        "rel",
        re.compile(
            r"(?:(?:earlier|later)\s+)?(?P<rel>yesterday|today|tonight|"
            r"last\s+night|overnight|this\s+(?:morning|afternoon|evening))\b",
            re.I,
        ),
    ),
    (
        "period",
        re.compile(
            r"(?:(?:earlier|later)\s+)?(?P<rel>last|this|next|over\s+the)\s+"
            r"(?P<unit>week|month|year)\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
            r"\s+(?P<unit>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
    ),
)
_PART_AFTER = re.compile(r"\s+(?P<p>morning|afternoon|evening|night|overnight)\b", re.I)
_PART_BEFORE = re.compile(
    r"(?:(?P<el>early|late|overnight|pre-?dawn|(?:at|before)\s+dawn)"
    r"(?:\s+on)?|(?:the\s+)?(?P<p>early\s+hours|morning|afternoon|evening|"
    r"night)\s+of)\s+$",
    re.I,
)
_NAMED_DAY = re.compile(r"(?:Good|Black|Cyber|Ash|Palm|Easter|Holy|Super|Maundy|Bloody)\s+$")
_DAY_FOLLOWER = re.compile(r"\s+(?:Times|Telegraph|Express|Post|Mirror|Night\s+Football)\b")
_GLUE = re.compile(r"[\s,]*(?:(?:on|at|of)\s+)?[\s,]*", re.I)  # clock+day in one span
_FUTURE = re.compile(r"\b(?:will|'ll|plans? to|(?:is|are) (?:expected|due|scheduled) to)\b", re.I)
_AS_WRITTEN = ("", "in", "during", "last", "this", "next", "since", "until", "by")  # not early/late
_BEFORE = ("before", "until", "till", "by")
_NOT_DAY_LABELS = {"ORG", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT"}


@dataclass
class _Comp:
    kind: str  # clock | day | period
    start: int
    end: int
    src: str = ""  # which reader found it
    qual: str | None = None
    hm: tuple[int, int] = (0, 0)
    gran: str = "day"
    hint: str | None = None  # part of day said with the clock, "12h" for "six o'clock"
    zone: Clock | None = None
    day: date | None = None
    part: tuple[int, int] | None = None
    span: tuple[date, date] | None = None  # period: [first day, day after the last)
    group: int = -1  # index of the parentheses it sits in


def _month_span(y: int, m: int) -> tuple[date, date]:
    y, m = divmod(y * 12 + m - 1, 12)  # m may run outside 1..12
    first = date(y, m + 1, 1)
    return first, (first + timedelta(days=32)).replace(day=1)


def _year_for(month: int, day: int, pub: date | None) -> int | None:
    return None if pub is None else pub.year - ((month, day) > (pub.month, pub.day))


def _day_comp(name: str, m: re.Match[str], pub: date | None) -> _Comp:
    """One day or period from one reader's match (ValueError for 31 February)."""
    g = m.groupdict()
    c = _Comp(
        "day" if name in ("mdy", "dmy", "iso", "weekday", "rel") else "period",
        m.start(),
        m.end(),
        src=name,
    )
    mo = (
        int(g["mo"])
        if name == "iso"
        else _MONTHS.index(g["mon"][:3].lower()) + 1
        if g.get("mon")
        else 0
    )
    if name in ("mdy", "dmy", "iso"):
        d = int(g["d"])
        y = int(g["y"]) if g.get("y") else _year_for(mo, d, pub)
        c.day = date(y, mo, d) if y else None
        if g.get("d2") and c.day and int(g["d2"]) > d:  # "Feb. 25-26"
            c.kind, c.span = "period", (c.day, c.day.replace(day=int(g["d2"])) + timedelta(days=1))
    elif name in ("my", "month"):
        y = int(g["y"]) if g.get("y") else _year_for(mo, 1, pub)
        q = " ".join((g.get("q") or g.get("mid") or "").lower().split())
        c.gran, c.span = "month", _month_span(y, mo) if y else None
        c.start, c.qual = (m.start("mon"), None) if q in _AS_WRITTEN else (c.start, q.rstrip("-"))
    elif name == "year":
        y = int(g["y"])
        c.gran, c.span = "year", (date(y, 1, 1), date(y + 1, 1, 1))
        q = (g["q"] or g["mid"]).lower()
        c.start, c.qual = (m.start("y"), None) if q in _AS_WRITTEN else (c.start, q.rstrip("-"))
    elif name == "weekday" and pub:
        idx = _WEEKDAYS.index(g["wd"][:3].lower())
        mod = " ".join((g.get("mod") or "").lower().split())
        if mod in ("next", "coming", "this coming") or (
            not mod and _FUTURE.search(m.string[max(0, m.start() - 80) : m.start()])
        ):
            c.day = pub + timedelta(days=(idx - pub.weekday()) % 7 or 7)
        else:
            c.day = pub - timedelta(days=(pub.weekday() - idx) % 7 or (7 if mod == "last" else 0))
    elif name == "rel":
        rel = " ".join(g["rel"].lower().split())
        back = rel in ("yesterday", "last night", "overnight")
        c.day = pub - timedelta(days=back) if pub else None
        word = rel.split()[-1]
        c.part = PARTS[word] if word in PARTS else None
    elif name == "period" and pub:
        rel, unit = g["rel"].lower().split()[0], g["unit"].lower()
        step = {"last": -1, "next": 1}.get(rel, 0)
        if unit == "week":
            monday = pub - timedelta(days=pub.weekday(), weeks=-step)
            c.gran, c.span = "week", (monday, monday + timedelta(days=7))
        elif unit == "month":
            c.gran, c.span = "month", _month_span(pub.year, pub.month + step)
        else:
            c.gran, c.span = "year", (date(pub.year + step, 1, 1), date(pub.year + step + 1, 1, 1))
    elif name == "ago":
        n = int(g["n"]) if g["n"].isdigit() else _WORDNUM.get(g["n"].lower(), 1)
        unit = g["unit"].lower()
        c.qual = None if unit == "day" else "about"
        if unit in ("day", "week"):
            c.kind, c.day = "day", pub - timedelta(**{unit + "s": n}) if pub else None
        elif pub:
            c.gran, c.span = (
                unit,
                (
                    _month_span(pub.year, pub.month - n)
                    if unit == "month"
                    else (date(pub.year - n, 1, 1), date(pub.year - n + 1, 1, 1))
                ),
            )
    return c


def _clock(m: re.Match[str], text: str, ctx: Any, settings: Settings | None) -> _Comp | None:
    g = m.groupdict()
    before = text[max(0, m.start() - 40) : m.start()]
    hint = g["dp"].split()[-1].lower() if g["dp"] else None
    if g["h"]:
        h, mi = int(g["h"]) % 12 + (12 if g["ap"].lower() == "p" else 0), int(g["m"] or 0)
    elif g["h24"] is not None:
        h, mi = int(g["h24"]), int(g["m24"])
    elif g["mil"] is not None:  # "for 1000 hours" is a duration
        h, mi = (int(g["mil"]), int(g["milm"])) if not re.search(r"\bfor\s+$", before) else (-1, 0)
    elif g["word"]:
        h, mi, hint = (0, 0, "midnight") if g["word"].lower() == "midnight" else (12, 0, hint)
    else:
        h, mi = (int(g["oc"]) if g["oc"].isdigit() else _WORDNUM[g["oc"].lower()]), 0
        hint = hint or "12h"
    if hint in ("afternoon", "evening") and h < 12 or hint == "night" and 6 <= h < 12:
        h += 12
    zone = zone_after(
        text, m.end(), anchor=m.start(), places=getattr(ctx, "places", ()), settings=settings
    )
    context = (
        zone
        or g["hrs"]
        or g["dp"]
        or _QUAL.search(before)
        or re.search(r"\b(?:at|to|and)\s+$", before, re.I)
    )
    if h < 0 or g["h24"] is not None and not context:
        return None  # a bare "3:16" is a verse or a score, not a time
    return _Comp(
        "clock",
        m.start(),
        zone.end if zone else m.end(),
        src="clock",
        hm=(h, mi),
        hint=hint,
        gran="minute" if mi else "hour",
        zone=zone,
    )


def _extend(c: _Comp, text: str, ctx: Any, settings: Settings | None) -> None:
    """Take in the part of day and the qualifier written around a component."""
    if c.kind == "day":
        after = _PART_AFTER.match(text, c.end)
        if after and c.part is None:
            c.part, c.end = PARTS[after["p"].lower()], after.end()
        window = max(0, c.start - 30)
        before = _PART_BEFORE.search(text[window : c.start])
        if before:
            if (before["el"] or "").lower() in ("early", "late") and c.part:  # its first half
                a, b, early = *c.part, before["el"].lower() == "early"
                c.part = (a, (a + b) // 2) if early else ((a + b) // 2, b)
            else:
                key = " ".join((before["el"] or before["p"]).lower().split())
                c.part = PARTS[key.replace("-", "")]
            c.start = window + before.start()
        if c.part:  # "Friday night local time"
            c.zone = zone_after(
                text, c.end, anchor=c.start, places=getattr(ctx, "places", ()), settings=settings
            )
            c.end = c.zone.end if c.zone else c.end
    window = max(0, c.start - 40)
    q = _QUAL.search(text[window : c.start])
    if q and not c.qual:
        c.qual, c.start = " ".join(q["q"].lower().split()), window + q.start("q")


def _not_a_day(c: _Comp, text: str, doc: Any) -> bool:
    named = _NAMED_DAY.search(text[: c.start]) or _DAY_FOLLOWER.match(text, c.end)
    if (
        c.src == "weekday"
        and named
        or c.src == "rel"
        and c.start > 0
        and text.startswith("Today", c.start)
    ):
        return True  # Good Friday, the Sunday Times, USA Today
    return any(
        ent.label_ in _NOT_DAY_LABELS
        and ent.start_char < c.end
        and c.start < ent.end_char
        and (
            ent.label_ == "PERSON"
            or ent.start_char <= c.start
            and c.end <= ent.end_char
            and ent.end_char - ent.start_char > c.end - c.start
        )  # "Theresa May 15"
        for ent in (getattr(doc, "ents", ()) if doc is not None else ())
    )


def _components(
    text: str, doc: Any, pub: date | None, ctx: Any, settings: Settings | None
) -> list[_Comp]:
    found = [c for c in (_clock(m, text, ctx, settings) for m in CLOCK.finditer(text)) if c]
    for name, pattern in DAYS:
        for m in pattern.finditer(text):
            try:
                comp = _day_comp(name, m, pub)
            except (ValueError, OverflowError):  # 31 February, year 10000
                continue
            if not _not_a_day(comp, text, doc):
                found.append(comp)
    kept: list[_Comp] = []  # longest first, then no overlaps
    for comp in sorted(found, key=lambda c: (c.start - c.end, c.start)):
        kept += [comp] if all(comp.end <= k.start or comp.start >= k.end for k in kept) else []
    merged: list[_Comp] = []
    for comp in sorted(kept, key=lambda c: c.start):
        _extend(comp, text, ctx, settings)
        prev = merged[-1] if merged else None
        if prev and comp.start < prev.end:  # "overnight Thursday": read once, the longer way
            merged[-1] = max(prev, comp, key=lambda x: x.end - x.start)
            continue
        if (
            prev
            and prev.kind == comp.kind == "day"
            and prev.end <= comp.start
            and (prev.src == "weekday") != (comp.src == "weekday")
            and re.fullmatch(r"[\s,(]*", text[prev.end : comp.start])
        ):
            prev.day = (comp if comp.src != "weekday" else prev).day  # the written date wins
            closing = "(" in text[prev.end : comp.start] and text.startswith(")", comp.end)
            prev.part, prev.end, prev.qual = (
                prev.part or comp.part,
                comp.end + closing,
                prev.qual or comp.qual,
            )
            continue
        merged.append(comp)
    return merged


def _at(c: _Comp, day: date, part: tuple[int, int] | None = None) -> tuple[datetime, bool]:
    """(UTC instant, floating) of clock ``c`` on local ``day``."""
    h, mi = c.hm
    if c.hint == "12h" and part and part[0] >= 12 and h < 12:  # "six o'clock Friday evening"
        h += 12
    naive = datetime.combine(day, time(h, mi))  # "before midnight on Thursday": its end
    naive += timedelta(days=c.hint == "midnight" and (c.qual or "").endswith(_BEFORE))
    if c.zone is not None and c.zone.tz is not None:
        return naive.replace(tzinfo=c.zone.tz).astimezone(UTC), False
    return naive.replace(tzinfo=UTC), True


def _value(
    text: str,
    start: datetime | None,
    end: datetime | None,
    gran: str,
    c: _Comp,
    floating: bool,
    qual: str | None,
    utc_hm: datetime | None = None,
) -> dict[str, Any]:
    z = c.zone
    return {
        "start": iso(start),
        "end": iso(end),
        "granularity": gran,
        "zone": z.label if z else None,
        "resolved": start is not None and not floating,
        "original": text,
        "approximate": qual in _APPROX,
        "qualifier": qual,
        "floating": floating,
        "clock": f"{c.hm[0]:02d}:{c.hm[1]:02d}" if c.kind == "clock" else None,
        "utc_clock": utc_hm.strftime("%H:%M") if utc_hm else None,
        "zone_text": z.written if z else None,
        "zone_from": z.origin if z else None,
    }


def _pairs(text: str, comps: list[_Comp]) -> tuple[dict[int, _Comp], dict[int, _Comp]]:
    """(clock -> its day, clock -> the clock it restates in parentheses), keyed by id."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]
    for c in comps:
        c.group = next((i for i, (a, b) in enumerate(groups) if a <= c.start and c.end <= b), -1)
    clocks, days = [c for c in comps if c.kind == "clock"], [c for c in comps if c.kind == "day"]
    twin: dict[int, _Comp] = {}
    for c in clocks:
        near = [
            a
            for a in clocks
            if c.group >= 0 and a.group != c.group and 0 <= groups[c.group][0] - a.end <= 30
        ]
        if near:
            outer = near[-1]
            twin[id(c)] = outer
            # the outer clock's twin: a clock of the parentheses with a known zone if any
            # ("3:00 a.m. (0000 GMT / 8:00 p.m. Tuesday EDT)": the GMT one)
            if twin.get(id(outer)) is None or (_zoned(c) and not _zoned(twin[id(outer)])):
                twin[id(outer)] = c
    # Inside parentheses a day belongs to the clock nearest it: in "(0000 GMT / 8:00 p.m.
    # Tuesday EDT)" Tuesday is the EDT clock's day, not the GMT clock's.
    owner: dict[int, _Comp] = {}
    for d in days:
        mates = [c for c in clocks if d.group >= 0 and c.group == d.group]
        if mates:
            owner[id(d)] = min(mates, key=lambda c: max(d.start - c.end, c.start - d.end))
    free = {id(c): [d for d in days if owner.get(id(d), c) is c] for c in clocks}
    own = {id(c): [d for d in free[id(c)] if d.group == c.group] for c in clocks}
    pair: dict[int, _Comp] = {}
    for c in clocks:
        other = twin.get(id(c))
        choice = own[id(c)] or ([] if other is not None and own[id(other)] else free[id(c)])
        if choice:
            pair[id(c)] = min(choice, key=lambda d: max(d.start - c.end, c.start - d.end))
    return pair, twin


def _zoned(c: _Comp) -> bool:
    return c.zone is not None and c.zone.tz is not None


def _offset_label(hm: tuple[int, int], moment: datetime) -> str:
    """ "UTC+03:00": the offset that makes wall clock ``hm`` the UTC ``moment``."""
    minutes = (hm[0] * 60 + hm[1]) - (moment.hour * 60 + moment.minute)
    minutes = (minutes + 12 * 60) % (24 * 60) - 12 * 60  # within -12:00 .. +11:59
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _assemble(sentence: Sentence, comps: list[_Comp], pub: date | None) -> list[Fact]:
    text = sentence.text
    pair, twin = _pairs(text, comps)
    clocks = [c for c in comps if c.kind == "clock"]
    at: dict[int, tuple[datetime, bool]] = {}
    for c in clocks:
        paired = pair.get(id(c))  # the day component the clock is read on
        if paired is not None and paired.day is not None:
            at[id(c)] = _at(c, paired.day, paired.part)
    for c in clocks:  # a restated clock: the date that puts it nearest its twin
        mates = [twin.get(id(c))] + [m for m in clocks if c.group >= 0 and m.group == c.group]
        other = next((m for m in mates if m is not None and m is not c and id(m) in at), None)
        if id(c) not in at and other is not None:
            target = at[id(other)][0]
            tries = [_at(c, target.date() + timedelta(days=k)) for k in (-1, 0, 1)]
            at[id(c)] = min(tries, key=lambda t: abs(t[0] - target))
    # A clock with no known zone restated on one that has it ("around 3 a.m. (0000 GMT) on
    # Wednesday") is that same moment: it takes the instant, and its offset is read off
    # the pair. Compared as two times, the pair would be a conflict inside one sentence.
    restated: dict[int, str] = {}
    for _ in range(2):  # twice: a third clock restated on one restated in the first pass
        for c in clocks:
            other = twin.get(id(c))
            if (
                other is None
                or _zoned(c)
                or id(c) in restated
                or id(other) not in at
                or not (_zoned(other) or id(other) in restated)
            ):
                continue
            moment = at[id(other)][0]
            at[id(c)] = (moment, False)
            restated[id(c)] = _offset_label(c.hm, moment)
    facts: list[tuple[int, int, dict[str, Any]]] = []
    for c in clocks:
        d = pair.get(id(c))
        start, floating = at.get(id(c), (None, c.zone is None or c.zone.tz is None))
        s, e, qual = c.start, c.end, c.qual
        if d is not None and _GLUE.fullmatch(text[min(c.end, d.end) : max(c.start, d.start)]):
            s, e, qual = min(s, d.start), max(e, d.end), qual or d.qual
        try:
            end = start + timedelta(**{c.gran + "s": 1}) if start else None  # hours or minutes
        except OverflowError:  # the last minute of year 9999
            end = None
        utc_hm = start if start and not floating else None
        if start is None and pub and c.zone is not None and c.zone.tz is not None:
            utc_hm = _at(c, pub)[0]  # no day: the publication day's offset (DST) will do
        value = _value(text[s:e], start, end, c.gran, c, floating, qual, utc_hm)
        if id(c) in restated:
            value["zone"], value["zone_from"] = restated[id(c)], "restated"
        facts.append((s, e, value))
    used = {id(d) for d in pair.values()}
    for c in comps:
        if c.kind == "clock" or id(c) in used:
            continue
        start = end = None
        tz = c.zone.tz if c.zone is not None and c.part else None
        if c.kind == "period" and c.span:
            start, end = (datetime.combine(x, time(), UTC) for x in c.span)
        elif c.day is not None:
            naive = datetime.combine(c.day, time())
            try:
                start, end = (
                    (naive + timedelta(hours=h)).replace(tzinfo=tz or UTC).astimezone(UTC)
                    for h in c.part or (0, 24)
                )
            except OverflowError:  # 31 December 9999: the calendar's edge, no instant
                start = end = None
        facts.append(
            (
                c.start,
                c.end,
                _value(
                    text[c.start : c.end],
                    start,
                    end,
                    "part_of_day" if c.part else c.gran,
                    c,
                    c.part is not None and tz is None,
                    c.qual,
                ),
            )
        )
    return [
        Fact(
            source_id=sentence.source_id,
            sentence=sentence.index,
            kind="time",
            text=text[s:e],
            start=s,
            end=e,
            value=v,
        )
        for s, e, v in sorted(facts, key=lambda f: (f[0], f[1]))
    ]


def find_times(
    sentence: Sentence,
    doc: Any,
    *,
    ctx: ArticleContext | None = None,
    settings: Settings | None = None,
) -> list[Fact]:
    """Time facts of one sentence; ``doc`` (spaCy, of ``sentence.text``) may be None."""
    # A failure here is caught once, by the reader's guard (``reader.read_facts``).
    published = getattr(ctx, "published", None)  # naive is taken as UTC
    pub = (
        published.replace(tzinfo=published.tzinfo or UTC).astimezone(UTC).date()
        if isinstance(published, datetime)
        else None
    )
    return _assemble(sentence, _components(sentence.text, doc, pub, ctx, settings), pub)
