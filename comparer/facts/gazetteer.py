"""The small gazetteer that ships with Crosscheck: places, their clocks, and how to find them.

Why a hand-made table and not a geocoder: the fact readers need two things from
a place name — one canonical spelling, so that "Abu Kamal" and "Al Bukamal"
compare equal, and the IANA time zone, so that "1 a.m. local time" can become
UTC. The data is ``comparer/data/gazetteer.toml``: the places of the bundled
example (eastern Syria, western Iraq), about ninety capitals and their
countries. A deployment adds places with ``[facts] extra_places`` (name = IANA
zone, level "place") and spellings with ``[facts] aliases`` (variant = canonical).

Levels let the disagreement stage compare like with like: ``country``,
``region`` (eastern Syria, a province, a border area), ``city``, ``town``,
``site`` (a base) and ``place``. A country or area spanning several clocks has
zone ``None``: its "local time" cannot be resolved.

Finding names (``scan_places``): the text is folded the way ``names.fold`` folds
a name (accents, case, apostrophes, hyphens) while keeping, for each folded
character, the index of the original one; one regular expression of all folded
spellings (longest first) finds "Abu Kamal", "al-Bukamal" and "ALBUKAMAL" alike,
and the index map gives exact spans back. A match must hold a capital letter
("turkey" the bird is not Turkey) and must not be followed by "Post", "Times"...
(a newspaper); a compass word before a country makes a region ("East Syria" ->
"eastern Syria"). No spaCy is needed, so whole articles are scanned cheaply.

Reading clocks (``zone_after``): the zone words written after a clock time —
EST/EDT/ET/"Eastern"/"East Standard Time" are the New York wall clock (zoneinfo
applies DST, so a summer "EST" means the clock the writer read), GMT/UTC/Z/Zulu
are UTC, "GMT+3" a fixed offset, "Damascus time" the zone of a gazetteer place,
and "local time" the zone of the place the sentence names nearest to the time (a
town before a country), else of the article's first town-level place, else
unknown.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import UTC, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from comparer.facts.names import BUILTIN_ALIASES, fold
from comparer.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data" / "gazetteer.toml"
UTC_NAMES = ("GMT", "UTC", "Z")
ZONES = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CT": "America/Chicago",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "BST": "Europe/London",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow",
}
# Words after a place name that make it part of another name ("Washington Post").
FOLLOWERS = (
    "Post",
    "Times",
    "Journal",
    "Herald",
    "Tribune",
    "Chronicle",
    "Gazette",
    "Observer",
    "Examiner",
    "Star",
    "Sun",
    "Daily",
    "Review",
    "Institute",
    "University",
    "Accord",
    "Agreement",
    "Protocol",
    "Convention",
    "Declaration",
    "Stock",
    "Consensus",
    "Today",
    "Syndrome",
    "Street",
    "Avenue",
    "Road",
    "Square",
    # a broadcaster named after a place ("Al Mayadeen TV channel", "Aleppo Radio")
    "TV",
    "Television",
    "Radio",
    "Channel",
)
_FOLLOWER = re.compile(r"\s+(?:" + "|".join(FOLLOWERS) + r")\b")
# ... and words before it that make it a broadcaster's or paper's name ("told the
# Lebanese TV station al-Mayadeen", "the pan-Arab channel Al Arabiya")
_MEDIA_BEFORE = re.compile(
    r"\b(?:TV|television|radio|satellite)\s+(?:station|channel|network)\s+(?:the\s+)?$|"
    r"\b(?:channel|broadcaster|newspaper|daily|news\s+agency)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_COMPASS = re.compile(r"\b(north|south|east|west)(?:[- ]?(east|west))?(?:ern)?\s+$", re.I)
_APOSTROPHES = set("'`\u00b4\u2018\u2019")
_SEPARATORS = set("-_/\u2010\u2011\u2012\u2013\u2014\u2015")
_ZONE = re.compile(
    r"""\s+(?:
    (?P<local>local\s+time)
  | (?P<est>(?:U\.?S\.?\s+)?East(?:ern)?\s+Standard\s+Time)
  | (?P<edt>(?:U\.?S\.?\s+)?East(?:ern)?\s+Daylight(?:\s+Saving)?\s+Time)
  | (?P<et>(?:U\.?S\.?\s+)?Eastern(?:\s+time)?)
  | (?P<named>(?:Central|Pacific|Mountain)(?:\s+(?:Standard|Daylight))?\s+Time)
  | (?P<utc>Zulu|Greenwich\s+Mean\s+Time|Coordinated\s+Universal\s+Time|universal\s+time)
  | (?P<abbr>(?-i:EST|EDT|ET|CST|CDT|CT|PST|PDT|PT|MST|MDT|GMT|UTC|Z|BST|CEST|CET|EEST|EET|MSK))
      (?:\s*(?P<sign>[+\-\u2212])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d\d))?)?
  | (?P<place>(?-i:[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)?))\s+time
  )(?!\w)""",
    re.I | re.X,
)


class Place(NamedTuple):
    canonical: str
    zone: str | None
    country: str | None
    level: str  # country | region | city | town | site | place
    within: str | None = None  # the province a town lies in ("Palmyra": "Homs province")


class Clock(NamedTuple):
    """A zone as read after a clock time; ``tz`` None when "local time" had no place."""

    tz: Any  # tzinfo | None
    label: str | None  # "America/New_York (EST)", "UTC", "Asia/Damascus (local time at ...)"
    written: str  # the zone words as written
    origin: str | None  # explicit | sentence place | article place | None
    end: int  # end of the zone words in the text


def valid_zone(zone: Any) -> str | None:
    """``zone`` if zoneinfo knows it, else None (a bad setting must not crash a run)."""
    if not isinstance(zone, str) or not zone.strip() or len(zone) > 64:
        return None
    try:
        ZoneInfo(zone.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, or an odd path
        return None
    return zone.strip()


@lru_cache(maxsize=1)
def _builtin() -> tuple[dict[str, Place], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(places, (variant, canonical) pairs, folded keys never read) from the data file."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    places: dict[str, Place] = {}
    variants: list[tuple[str, str]] = []

    def add(
        name: str, zone: str | None, country: str | None, level: str, more: Any, within: Any = None
    ) -> None:
        places[name] = Place(
            name, valid_zone(zone), country, level, within if isinstance(within, str) else None
        )
        variants.extend((v, name) for v in [name, *(more or ())])

    for name, e in data["places"].items():
        level = e.get("level", "place")
        add(name, e.get("zone"), e.get("country"), level, e.get("variants"), e.get("within"))
    for name, e in data["capitals"].items():
        add(name, e["zone"], e["country"], "city", e.get("variants"))
    info = data["countries"]
    zones = {e["country"]: e["zone"] for e in data["capitals"].values()} | info["extra"]
    for country, zone in zones.items():
        if country not in places and country not in info["not_countries"]:
            zone = None if country in info["multi_zone"] else zone
            add(country, zone, country, "country", info["variants"].get(country))
    return places, tuple(variants), tuple(info["not_places"])


def _settings_tables(settings: Settings | None) -> tuple[tuple[tuple[str, str], ...], ...]:
    """(extra_places, aliases) from settings as sorted tuples (hashable for the cache)."""

    def pairs(table: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(table, Mapping):
            return ()
        return tuple(sorted((str(k), str(v)) for k, v in table.items() if fold(str(k))))

    facts = getattr(settings, "facts", None) if settings is not None else None
    if facts is None:  # no settings: the built-in table only
        return (), ()
    return pairs(getattr(facts, "extra_places", {})), pairs(getattr(facts, "aliases", {}))


@lru_cache(maxsize=32)
def _tables(
    extra: tuple[tuple[str, str], ...], aliases: tuple[tuple[str, str], ...]
) -> tuple[dict[str, Place], dict[str, str], re.Pattern[str]]:
    builtin, pairs, never = _builtin()
    places = dict(builtin)
    for name, zone in extra:
        name = " ".join(name.split())
        old = places.get(name)
        places[name] = Place(
            name, valid_zone(zone), old.country if old else None, old.level if old else "place"
        )
    variants: dict[str, str] = {}
    # names.py's aliases first, so the gazetteer's own spellings win a clash
    for variant, canonical in [*BUILTIN_ALIASES.items(), *aliases, *pairs]:
        if canonical in places:
            variants[fold(variant)] = canonical
    variants.update({fold(name): name for name in places})
    for key in ("", *never):
        variants.pop(key, None)
    keys = sorted(variants, key=lambda k: (-len(k), k))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")
    return places, variants, pattern


def tables(settings: Settings | None) -> tuple[dict[str, Place], dict[str, str], re.Pattern[str]]:
    """The gazetteer as ``settings`` extends it: places, folded variants, their regex."""
    return _tables(*_settings_tables(settings))


def lookup(name: Any, *, settings: Settings | None) -> Place | None:
    """The entry for any spelling of ``name`` (exact after folding), else None."""
    if not isinstance(name, str):
        return None
    places, variants, _ = tables(settings)
    return places.get(variants.get(fold(name), ""))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return "".join(
        low
        for part in unicodedata.normalize("NFKD", ch)
        for low in part.lower()
        if not unicodedata.combining(low)
    )


# Each sentence is scanned by the place reader and again by the figure reader.
@lru_cache(maxsize=4096)
def folded_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` folded like ``names.fold`` and, per folded char, its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in _APOSTROPHES:  # dropped inside a name (Qa'im), a word end before a possessive
            if text[i + 1 : i + 2] not in ("s", "S") or text[i + 2 : i + 3].isalnum():
                continue
            ch = " "
        if ch == ".":
            # "D.C." folds to letters; a full stop between words separates them
            if 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
                continue
            ch = " "
        if ch in _SEPARATORS or ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        for low in _fold_char(ch):
            out.append(low)
            where.append(i)
    return "".join(out), tuple(where)


def _region(text: str, start: int, place: Place) -> tuple[int, Place]:
    """Widen a country preceded by a compass word into a region ("eastern Syria")."""
    window = max(0, start - 24)
    m = _COMPASS.search(text[window:start]) if place.level == "country" else None
    if not m:
        return start, place
    direction = (m.group(1) + (m.group(2) or "")).lower() + "ern"
    return window + m.start(), Place(
        f"{direction} {place.canonical}", place.zone, place.country, "region"
    )


def scan_places(text: Any, *, settings: Settings | None) -> list[tuple[int, int, Place]]:
    """Exact gazetteer matches in ``text`` as (start, end, place), in order."""
    if not isinstance(text, str) or not text:
        return []
    places, variants, pattern = tables(settings)
    folded, where = folded_with_map(text)
    found: list[tuple[int, int, Place]] = []
    for m in pattern.finditer(folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if text[end : end + 1] == "." and "." in text[start:end]:
            end += 1  # the last full stop of "U.K." belongs to it
        place = places.get(variants.get(m.group(0), ""))
        if (
            place is None
            or not any(c.isupper() for c in text[start:end])
            or _FOLLOWER.match(text, end)
            or _MEDIA_BEFORE.search(text[max(0, start - 30) : start])
        ):
            continue
        start, place = _region(text, start, place)
        found.append((start, end, place))
    return found


def place_info(name: Any, *, settings: Settings | None) -> Place | None:
    """The entry (canonical, zone, country, level) for any spelling, regions included."""
    place = lookup(name, settings=settings)
    if place is None and isinstance(name, str):
        name = name.strip()
        hits = scan_places(name, settings=settings)
        if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(name):
            place = hits[0][2]  # "eastern Syria" is built, not stored
    return place


def province_of(town: str, *, settings: Settings | None) -> str | None:
    """The province a gazetteer town or city lies in: its ``within``, or for a city the
    province of its own name (Syria's and Iraq's provinces are named for their seats). None
    for a place the gazetteer does not place: containment unknown."""
    place = place_info(town, settings=settings)
    if place is None or place.level not in ("city", "town"):
        return None
    if place.within:
        return place.within
    return f"{place.canonical} province" if place.level == "city" else None


def _local_place(
    text: str, pos: int, places: Any, settings: Settings | None
) -> tuple[Place | None, str]:
    """The place whose clock "local time" means: in the sentence, else in the article."""
    hits = [
        (abs((s + e) // 2 - pos), p) for s, e, p in scan_places(text, settings=settings) if p.zone
    ]
    towns = [h for h in hits if h[1].level != "country"]
    if hits:
        return min(towns or hits, key=lambda h: h[0])[1], "sentence place"
    named = [place_info(name, settings=settings) for name in places or ()]
    infos = [p for p in named if p is not None and p.zone]
    towns2 = [p for p in infos if p.level not in ("country", "region")]
    best = towns2 or infos
    return (best[0] if best else None), "article place"


def zone_after(
    text: str, pos: int, *, anchor: int, places: Any = (), settings: Settings | None = None
) -> Clock | None:
    """The zone written at ``text[pos:]`` (after a clock at ``anchor``), or None."""
    m = _ZONE.match(text, pos)
    if m is None:
        return None
    g, written = m.groupdict(), " ".join(m.group(0).split())
    if g["local"]:
        place, origin = _local_place(text, anchor, places, settings)
        if place is None or place.zone is None:
            return Clock(None, None, written, None, m.end())
        return Clock(
            ZoneInfo(place.zone),
            f"{place.zone} (local time at {place.canonical})",
            written,
            origin,
            m.end(),
        )
    if g["place"]:
        place = place_info(g["place"], settings=settings)
        if place is None or place.zone is None:
            return None
        return Clock(
            ZoneInfo(place.zone),
            f"{place.zone} ({place.canonical} time)",
            written,
            "explicit",
            m.end(),
        )
    abbr = (g["abbr"] or "").upper()
    if g["est"] or g["edt"] or g["et"]:
        abbr = "EST" if g["est"] else "EDT" if g["edt"] else "ET"
    elif g["named"]:
        words = g["named"].upper().split()
        abbr = words[0][0] + (words[1][0] if len(words) > 2 else "") + "T"
    if g["sign"] and abbr in ("GMT", "UTC"):
        minutes = int(g["oh"]) * 60 + int(g["om"] or 0)
        if minutes > 14 * 60:
            return None
        sign = 1 if g["sign"] == "+" else -1
        tz = timezone(timedelta(minutes=sign * minutes))
        return Clock(tz, str(tz), written, "explicit", m.end())
    if g["utc"] or abbr in UTC_NAMES:
        return Clock(UTC, "UTC", written, "explicit", m.end())
    if abbr in ZONES:
        return Clock(ZoneInfo(ZONES[abbr]), f"{ZONES[abbr]} ({abbr})", written, "explicit", m.end())
    return None
