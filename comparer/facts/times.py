"""Times and dates in a sentence, normalised to UTC instants or intervals.

Method, and why (regular expressions, not dateparser): a fact needs an exact
span in the sentence and a normalised value, and wire copy states times in a
few fixed shapes ("about 6 PM EST Thursday", "1 a.m. local time on Friday
(2300 GMT)", "On Feb. 15", "last week"). dateparser parses a string it is
handed but does not find spans, is slow per call and accepts too much ("may",
"second"). So the readers below find *components* and this module assembles them:

1. **Components.** Clock times (``6 PM``, ``18:30``, ``2300 GMT``, ``noon``,
   each with the zone written after it), days (``Thursday``, ``Feb. 15``,
   ``yesterday``, ``Friday night``, ``early Friday``) and periods (``last
   week``, ``in February``, ``in 2019``). Longest match wins where they overlap;
   a qualifier in front ("about", "shortly after", "before") is kept.
2. **Assembly.** A clock takes the nearest day of the same sentence (inside the
   same parentheses if it is in some), so "about 6 PM East Standard Time Thursday
   afternoon" is one fact. A clock in parentheses after another clock with no day
   of its own ("1 a.m. local time Friday (2300 GMT)") is the same moment on
   another clock: it takes the date that puts it nearest to its neighbour. A
   weekday next to a date ("Thursday, Feb. 25") is one day.
3. **Anchoring.** Weekdays and "yesterday"/"last week" count from the article's
   publication date (UTC): a bare weekday is the latest such day on or before
   publication (news is told in the past tense); "next"/"coming" look forward. A
   date without a year takes the publication year, or the year before when that
   would put it after publication. Weeks run Monday to Monday.
4. **Zones.** EST/EDT/ET/"Eastern"/"East Standard Time" (a misspelling seen in
   the seed) are the New York wall clock (zoneinfo applies DST, so a summer "EST"
   is read as the clock the writer looked at); GMT/UTC/Z/Zulu are UTC;
   "Damascus time" is the gazetteer zone of the place; "local time" is the zone of
   the place the sentence names nearest to it (a town before a country), else
   the article's first town-level place (``ctx.places``), else unknown.

Value fields: ``start``/``end`` ISO UTC (end = start + granularity); ``resolved``
is true when ``start`` is a real UTC instant or a calendar date; a clock time or
part of day whose zone is unknown is ``floating``: its wall-clock values are
written as if they were UTC and ``resolved`` is false. A clock with no day has no
``start``; its ``clock`` (local HH:MM) and ``utc_clock`` still compare.

Parts of day (local hours; "early"/"late" before a day with a part named after
it take the first/second half of that part):

    ====================  ===============
    early hours, predawn  00:00 - 06:00
    dawn                  04:00 - 07:00
    early (Friday)        00:00 - 08:00
    morning               06:00 - 12:00
    afternoon             12:00 - 18:00
    evening, late         18:00 - 24:00
    night, overnight      18:00 - 06:00 next day
    ====================  ===============

Not read: durations ("for three hours"), ages, years used as adjectives ("the
2019 attack"); a bare year counts only after "in/during/early/late/since".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from comparer.facts.context import ArticleContext
from comparer.facts.places import place_info, scan_places
from comparer.models import Fact, Sentence, iso

UTC = timezone.utc
PARTS: dict[str, tuple[int, int]] = {
    "early hours": (0, 6), "predawn": (0, 6), "pre-dawn": (0, 6), "dawn": (4, 7),
    "early": (0, 8), "morning": (6, 12), "afternoon": (12, 18), "evening": (18, 24),
    "late": (18, 24), "night": (18, 30), "overnight": (18, 30), "tonight": (18, 30),
}
_WORDNUM = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten "
                                       "eleven twelve".split())}
_WEEKDAYS = "mon tue wed thu fri sat sun".split()
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_APPROX = ("about", "around", "approximately", "approx.", "roughly", "nearly", "almost",
           "circa", "sometime", "shortly after", "shortly before", "just after", "just before",
           "soon after", "right after", "immediately after")

WEEKDAY = (r"(?P<wd>(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon\.|"
           r"Tues?\.|Wed\.|Thu(?:rs?)?\.|Fri\.|Sat\.|Sun\.))")
MONTH = (r"(?P<mon>(?-i:January|February|March|April|May|June|July|August|September|October|"
         r"November|December|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|"
         r"Nov\.?|Dec\.?))(?![a-z])")
YEAR = r"(?P<y>(?:19|20)\d\d)(?![\d])"
_QUAL = re.compile(r"(?:^|(?<=[\s(,]))(?P<q>about|around|approximately|approx\.|roughly|nearly|"
                   r"almost|circa|sometime|(?:shortly|just|soon|right|immediately)\s+(?:after|"
                   r"before)|after|before|by|until|till|since|from)\s+(?:at\s+|on\s+)?$", re.I)
CLOCK = re.compile(r"""(?<![\w.:])(?:
    (?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s?(?P<ap>[ap])\.?\s?m(?![a-z])\.?
  | (?P<h24>[01]?\d|2[0-3])[:h](?P<m24>[0-5]\d)(?!\d)
  | (?P<mil>[01]\d|2[0-3])(?P<milm>[0-5]\d)(?=\s*(?:GMT|UTC|Z\b|hours\b|hrs\b|local\s+time))
  | (?P<word>noon|midday|midnight)
  | (?P<oc>1[0-2]|0?[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)
      \s+o['\u2019]\s?clock)
  (?P<hrs>\s*(?:hours|hrs)\b)?
  (?P<dp>\s+in\s+the\s+(?:morning|afternoon|evening)|\s+at\s+night)?""", re.I | re.X)
DAYS = (  # (name, pattern); each yields a day, a day range, or a period
    ("mdy", re.compile(MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?:\s*[-\u2013]\s*"
                       r"(?P<d2>[0-3]?\d)(?!\d))?(?:,?\s+" + YEAR + ")?", re.I)),
    ("dmy", re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH
                       + r"(?:,?\s+" + YEAR + ")?", re.I)),
    ("iso", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?!\d)")),
    ("my", re.compile(MONTH + r",?\s+" + YEAR, re.I)),
    ("month", re.compile(r"(?P<q>in|during|since|until|by|early|mid-?|late|last|this|next|"
                         r"(?:the\s+)?(?:beginning|end|middle)\s+of)\s*" + MONTH, re.I)),
    ("year", re.compile(r"(?P<q>in|during|early|mid-?|late|since|until|by)\s+" + YEAR
                        + r"(?!-|\s+(?:GMT|UTC|hours|hrs))", re.I)),
    ("weekday", re.compile(r"(?:(?P<mod>last|this\s+past|this\s+coming|next|coming|this)\s+)?"
                           + WEEKDAY + r"(?![a-z])", re.I)),
    ("rel", re.compile(r"(?:(?P<ed>earlier|later)\s+)?(?P<rel>yesterday|today|tonight|"
                       r"last\s+night|this\s+(?:morning|afternoon|evening))\b", re.I)),
    ("period", re.compile(r"(?:(?P<ed>earlier|later)\s+)?(?P<rel>last|this|next|over\s+the)\s+"
                          r"(?P<unit>week|month|year|weekend)\b", re.I)),
    ("ago", re.compile(r"(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
                       r"\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
)
_PART_AFTER = re.compile(r"\s+(?P<p>morning|afternoon|evening|night|overnight)\b", re.I)
_PART_BEFORE = re.compile(r"(?:(?P<el>early|late)(?:\s+on)?|(?:the\s+)?(?P<p>early\s+hours|"
                          r"morning|afternoon|evening|night)\s+of)\s+$", re.I)
_NAMED_DAY = re.compile(r"(?:Good|Black|Cyber|Ash|Palm|Easter|Holy|Super|Maundy|Bloody)\s+$")
_DAY_FOLLOWER = re.compile(r"\s+(?:Times|Telegraph|Express|Post|Mirror|Night\s+Football)\b")
_NOT_DAY_LABELS = {"ORG", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT"}


@dataclass
class _Comp:
    kind: str  # clock | day | period
    start: int
    end: int
    qual: str | None = None
    hm: tuple[int, int] | None = None
    gran: str = "day"
    pm_hint: str | None = None  # part of day said with a 12-hour clock ("7:30 in the evening")
    zone: tuple[tzinfo, str, str, str] | None = None  # tz, label, as written, from where
    local_unknown: bool = False
    day: date | None = None
    part: tuple[int, int] | None = None
    span: tuple[date, date] | None = None  # period: [first day, day after last)
    group: int = -1
    parts: list[_Comp] = field(default_factory=list)


def _pub(ctx: Any) -> date | None:
    published = getattr(ctx, "published", None)
    if not isinstance(published, datetime):
        return None
    if published.tzinfo is not None:
        published = published.astimezone(UTC)
    return published.date()


def _month(text: str) -> int:
    return _MONTHS.index(text[:3].lower()) + 1


def _year_for(month: int, day: int, pub: date | None) -> int | None:
    if pub is None:
        return None
    try:
        return pub.year - 1 if date(pub.year, month, day) > pub else pub.year
    except ValueError:  # 29 February in a common year: let the caller drop it
        return pub.year


def _period(rel: str, unit: str, pub: date) -> tuple[date, date, str]:
    step = {"last": -1, "next": 1}.get(rel.split()[0].lower(), 0)
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        return monday, monday + timedelta(days=7), "week"
    if unit == "weekend":
        sat = pub - timedelta(days=(pub.weekday() - 5) % 7) + timedelta(weeks=max(step, 0))
        return sat, sat + timedelta(days=2), "day"
    if unit == "month":
        y, m = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        y2, m2 = divmod(y * 12 + m + 1, 12)
        return date(y, m + 1, 1), date(y2, m2 + 1, 1), "month"
    return date(pub.year + step, 1, 1), date(pub.year + step + 1, 1, 1), "year"


def _day_comp(name: str, m: re.Match[str], pub: date | None) -> _Comp | None:
    g = m.groupdict()
    c = _Comp("day", m.start(), m.end())
    if name in ("mdy", "dmy", "iso"):
        mo = int(g["mo"]) if name == "iso" else _month(g["mon"])
        d = int(g["d"])
        y = int(g["y"]) if g.get("y") else _year_for(mo, d, pub)
        c.day = date(y, mo, d) if y else None  # ValueError (31 Feb) drops the match
        if g.get("d2") and c.day and int(g["d2"]) > d:
            c.kind, c.span = "period", (c.day, date(y, mo, int(g["d2"])) + timedelta(days=1))
        return c
    c.kind = "period"
    if name in ("my", "month"):
        mo = _month(g["mon"])
        y = int(g["y"]) if g.get("y") else _year_for(mo, 1, pub)
        if name == "month" and g["q"].lower() not in ("in", "during", "last", "this", "next"):
            c.qual = " ".join(g["q"].lower().split())
            c.start = m.start("mon") if c.qual in ("since", "until", "by") else c.start
        else:
            c.start = m.start("mon")
        if y:
            c.span = (date(y, mo, 1), date(y + mo // 12, mo % 12 + 1, 1))
        c.gran = "month"
    elif name == "year":
        y = int(g["y"])
        c.start, c.span, c.gran = m.start("y"), (date(y, 1, 1), date(y + 1, 1, 1)), "year"
        if g["q"].lower() not in ("in", "during"):
            c.qual, c.start = g["q"].lower(), m.start()
    elif name == "period":
        if pub:
            first, last, c.gran = _period(g["rel"], g["unit"].lower(), pub)
            c.span = (first, last)
    elif name == "ago":
        n = _WORDNUM.get(g["n"].lower(), 1) if not g["n"].isdigit() else int(g["n"])
        unit = g["unit"].lower()
        c.kind, c.qual = "day", None if unit == "day" else "about"
        if pub:
            if unit == "month":
                c.kind, c.gran = "period", "month"
                c.span = _period("last", "month", pub)[:2] if n == 1 else None
            elif unit == "year":
                c.kind, c.gran = "period", "year"
                c.span = (date(pub.year - n, 1, 1), date(pub.year - n + 1, 1, 1))
            else:
                c.day = pub - timedelta(days=n * (7 if unit == "week" else 1))
    elif name == "weekday":
        c.kind = "day"
        idx = _WEEKDAYS.index(g["wd"][:3].lower())
        mod = (g.get("mod") or "").lower()
        if pub:
            if mod in ("next", "coming", "this coming"):
                c.day = pub + timedelta(days=(idx - pub.weekday()) % 7 or 7)
            else:
                back = (pub.weekday() - idx) % 7
                c.day = pub - timedelta(days=back or (7 if mod == "last" else 0))
    elif name == "rel":
        c.kind = "day"
        rel = " ".join(g["rel"].lower().split())
        if pub:
            c.day = pub - timedelta(days=1) if rel in ("yesterday", "last night") else pub
        part = rel.split()[-1]
        c.part = PARTS["night" if part == "tonight" else part] if part in PARTS else None
        if rel == "last night":
            c.part = PARTS["night"]
    return c


def _clock(m: re.Match[str], text: str, ctx: Any, settings: Any) -> _Comp | None:
    g = m.groupdict()
    before = text[max(0, m.start() - 40):m.start()]
    hint = g["dp"].split()[-1].lower() if g["dp"] else None
    if g["h"]:
        h, mi = int(g["h"]) % 12 + (12 if g["ap"].lower() == "p" else 0), int(g["m"] or 0)
    elif g["h24"] is not None:
        h, mi = int(g["h24"]), int(g["m24"])
    elif g["mil"] is not None:
        if re.search(r"\bfor\s+$", before, re.I):  # "for 1000 hours" is a duration
            return None
        h, mi = int(g["mil"]), int(g["milm"])
    elif g["word"]:
        h, mi = (0 if g["word"].lower() == "midnight" else 12), 0
    else:
        h, mi = (int(g["oc"]) if g["oc"].isdigit() else _WORDNUM[g["oc"].lower()]), 0
        hint = hint or "12h"
    if hint in ("afternoon", "evening") and h < 12 or hint == "night" and 6 <= h < 12:
        h += 12
    elif hint == "morning" and h == 12:
        h = 0
    zone, unknown, zend = _zone(_ZONE.match(text, m.end()), text, m.start(), ctx, settings)
    if g["h24"] is not None and not (zone or unknown or g["hrs"] or g["dp"]
                                     or _QUAL.search(before)
                                     or re.search(r"\b(?:at|to|and)\s+$", before, re.I)):
        return None  # a bare "3:16" is a verse or a score, not a time
    return _Comp("clock", m.start(), max(m.end(), zend), hm=(h, mi), pm_hint=hint,
                 gran="minute" if mi else "hour", zone=zone, local_unknown=unknown)


def _extend(c: _Comp, text: str, ctx: Any, settings: Any) -> None:
    """Take in a part of day and a qualifier written around a component."""
    if c.kind == "day":
        after = _PART_AFTER.match(text, c.end)
        if after and c.part is None:
            c.part, c.end = PARTS[after["p"].lower()], after.end()
        window = max(0, c.start - 30)
        before = _PART_BEFORE.search(text[window:c.start])
        if before:
            if before["el"] and c.part:
                a, b = c.part
                mid = (a + b) // 2
                c.part = (a, mid) if before["el"].lower() == "early" else (mid, b)
            else:
                key = " ".join((before["el"] or before["p"]).lower().split())
                c.part = PARTS[key]
            c.start = window + before.start()
        if c.part:
            zone, _, zend = _zone(_ZONE.match(text, c.end), text, c.start, ctx, settings)
            c.zone, c.end = zone, max(c.end, zend)
    window = max(0, c.start - 40)
    q = _QUAL.search(text[window:c.start])
    if q and not c.qual:
        c.qual, c.start = " ".join(q["q"].lower().split()), window + q.start("q")


def _not_a_day(c: _Comp, name: str, text: str, doc: Any) -> bool:
    word = text[c.start:c.end]
    if name == "weekday" and (_NAMED_DAY.search(text[:c.start])
                              or _DAY_FOLLOWER.match(text, c.end)):
        return True  # Good Friday, the Sunday Times
    if name == "rel" and word.startswith("Today") and c.start > 0:
        return True  # USA Today
    for ent in getattr(doc, "ents", ()) if doc is not None else ():
        if (ent.label_ in _NOT_DAY_LABELS and ent.start_char <= c.start and c.end <= ent.end_char
                and ent.end_char - ent.start_char > c.end - c.start):
            return True
    return False


def _components(text: str, doc: Any, pub: date | None, ctx: Any, settings: Any
                ) -> list[_Comp]:
    found: list[tuple[_Comp, str]] = []
    for m in CLOCK.finditer(text):
        clock = _clock(m, text, ctx, settings)
        if clock is not None:
            found.append((clock, "clock"))
    for name, pattern in DAYS:
        for m in pattern.finditer(text):
            try:
                comp = _day_comp(name, m, pub)
            except (ValueError, OverflowError):  # 31 February, year 10000
                continue
            if comp is not None and not _not_a_day(comp, name, text, doc):
                found.append((comp, name))
    found.sort(key=lambda f: (f[0].start - f[0].end, f[0].start))
    kept: list[tuple[_Comp, str]] = []
    for comp, name in found:
        if all(comp.end <= k.start or comp.start >= k.end for k, _ in kept):
            kept.append((comp, name))
    kept.sort(key=lambda f: f[0].start)
    merged: list[_Comp] = []
    for comp, name in kept:
        _extend(comp, text, ctx, settings)
        prev = merged[-1] if merged else None
        if (prev is not None and prev.kind == comp.kind == "day" and prev.end <= comp.start
                and re.fullmatch(r"[\s,(]*", text[prev.end:comp.start])
                and (name == "weekday") != (getattr(prev, "_src", "") == "weekday")):
            dated = comp if name != "weekday" else prev  # the written date wins
            prev.day, prev.part = dated.day, prev.part or comp.part
            prev.end, prev.qual = comp.end, prev.qual or comp.qual
            if text.count("(", prev.start, prev.end) > text.count(")", prev.start, prev.end) \
                    and text[prev.end:prev.end + 1] == ")":
                prev.end += 1
            continue
        comp._src = name  # type: ignore[attr-defined]
        merged.append(comp)
    return merged
