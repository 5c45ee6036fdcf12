"""How counts are written: number words, qualifiers, vague quantities, units.

Wire copy writes counts in three ways: digits ("22", "1,500", "2.5 million"),
words ("three", "Seventeen", "twenty-two", "one hundred and fifty", "a dozen")
and vague quantities ("dozens", "a handful", "several hundred"). This module
turns them into values and intervals (``read_number_at`` over a sentence's
lower-case words: qualifier before, range after) and holds the vocabulary that
tells a number is *not* a count (months, clock words, units, designations).
It is plain Python over strings, so ``figures.py`` can test it without spaCy,
and it never raises: anything it does not understand gives ``None``.

Ordinals ("first", "3rd") are deliberately absent from every table: they are
positions, not counts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
UNITS: dict[str, int] = {w: i for i, w in enumerate(_UNIT_WORDS)}
TENS: dict[str, int] = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
# Multipliers written after a number ("2.5 million", "two dozen", "a hundred").
SCALES: dict[str, int] = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}

# Vague quantities as closed intervals (low, high); high None = no upper bound.
# ONE table, deliberately generous: two outlets only "disagree" when a stated
# number falls clearly outside the band ("dozens" vs "150"), never on rounding.
#   couple/few/handful/several: everyday usage, a handful kept just above a few;
#   dozens/tens: 20+ (loose newsroom use) up to where writers switch to "hundreds";
#   scores: two scores (40) and up; hundreds/thousands/millions: 2x the unit to
#   just under ten times it; multiple/numerous/many: "more than one", no ceiling.
# A vague word followed by a scale ("several hundred", "a few dozen",
# "hundreds of thousands") multiplies the band by that scale.
VAGUE: dict[str, tuple[int, int | None]] = {
    "a couple": (2, 3),
    "a few": (2, 5),
    "a handful": (2, 6),
    "several": (3, 9),
    "tens": (20, 99),
    "dozens": (20, 99),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
    "multiple": (2, None),
    "numerous": (2, None),
    "many": (3, None),
}
# Plural scales that may follow "<vague> of" ("tens of thousands").
PLURAL_SCALES: dict[str, int] = {"hundreds": 100, "thousands": 1_000, "millions": 1_000_000}

# Larger "counts" are digit strings, not reports (and lose precision as floats).
MAX_COUNT = 10**12
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_RANGE_TOKEN = re.compile(r"^(\d[\d,]*)[-\u2013](\d[\d,]*)$")


def is_digits(word: str) -> bool:
    """'22', '1,500', '2.5' - a plain decimal numeral (not '3rd', 'F-15', '18:00')."""
    return bool(_DIGITS.match(word or ""))


def digit_value(word: str) -> int | float | None:
    if not is_digits(word):
        return None
    try:
        value = float(word.replace(",", ""))
    except ValueError:
        return None
    return as_number(value) if value <= MAX_COUNT else None


def as_number(value: float) -> int | float:
    """An int when the value is whole (counts are), else the float itself."""
    if math.isfinite(value) and float(value).is_integer():
        return int(value)
    return value


def split_range_token(word: str) -> tuple[int | float, int | float] | None:
    """A range written as one token ('100-300', '10–12'), if spaCy kept it whole."""
    m = _RANGE_TOKEN.match(word or "")
    if not m:
        return None
    low, high = digit_value(m.group(1)), digit_value(m.group(2))
    if low is None or high is None:
        return None
    return low, high


def word_kind(word: str) -> str | None:
    """'digits', 'unit', 'tens', 'scale', 'hyphenated' or None for a single lower-case token."""
    w = (word or "").lower()
    if is_digits(w):
        return "digits"
    if w in UNITS:
        return "unit"
    if w in TENS:
        return "tens"
    if w in SCALES:
        return "scale"
    parts = w.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and 0 < UNITS[parts[1]] < 10:
        return "hyphenated"
    return None


def parse_number(words: list[str]) -> int | float | None:
    """The value of a run of number words, or None when the run is not one number.

    Accepts '22', '1,500', '2.5 million', 'three', 'Seventeen', 'twenty-two',
    'twenty - two', 'one hundred and fifty', 'a dozen', 'two dozen',
    'half a dozen', 'a hundred', 'a thousand'.
    """
    return _parse(words)


def _parse(words: list[str]) -> int | float | None:
    ws = [w.lower() for w in words if w and w not in ("-", "\u2013")]
    if not ws:
        return None
    if ws[:3] == ["half", "a", "dozen"] and len(ws) == 3:
        return 6
    if ws[0] in ("a", "an"):
        if len(ws) == 1 or ws[1] not in SCALES:
            return None
        ws = ["one"] + ws[1:]
    total = 0.0  # completed groups (thousands, millions)
    group = 0.0  # the group being built ("one hundred and fifty")
    seen_any = False
    last = None  # kind of the previous word, to refuse "three four" or "22 five"
    for w in ws:
        if w == "and":
            if last not in ("scale",):
                return None
            last = "and"
            continue
        kind = word_kind(w)
        if kind is None:
            return None
        if kind == "digits":
            if seen_any:
                return None
            value = digit_value(w)
            if value is None:
                return None
            group = float(value)
        elif kind in ("unit", "tens", "hyphenated"):
            if kind == "hyphenated":
                a, b = w.split("-")
                value = TENS[a] + UNITS[b]
            else:
                value = UNITS.get(w, TENS.get(w, 0))
            # a unit may follow tens ("twenty two") or a scale/and; never another unit
            if last in ("unit", "digits", "hyphenated"):
                return None
            if last == "tens" and (kind != "unit" or value >= 10):
                return None
            group += value
        else:  # scale
            scale = SCALES[w]
            if not seen_any:
                return None
            if scale == 100:
                group = (group or 1) * 100
            elif scale == 12:
                group = (group or 1) * 12
            else:
                total += (group or 1) * scale
                group = 0.0
        seen_any = True
        last = kind
    if not seen_any or last == "and" or total + group > MAX_COUNT:
        return None
    return as_number(total + group)


def vague_band(phrase: str, scale: int = 1) -> tuple[int, int | None] | None:
    """The band for a vague phrase ('dozens', 'a few'), times ``scale``; None if unknown."""
    band = VAGUE.get((phrase or "").lower())
    if band is None:
        return None
    low, high = band
    # "hundreds of thousands" runs to 999,999, not 999,000: fill the last unit of the scale
    pad = scale - 1 if scale >= 100 else 0
    return low * scale, (None if high is None else high * scale + pad)


def about_band(value: int | float, fraction: float) -> tuple[int, int]:
    """'about N' as whole counts, rounded outward: about 500 at 0.1 -> (450, 550)."""
    low = round(value * (1 - fraction), 6)
    high = round(value * (1 + fraction), 6)
    return max(0, math.floor(low)), math.ceil(high)


# Words next to a number that make it something other than a count (see figures.py).
MONTHS = frozenset(
    """January February March April May June July August September October
November December Jan Jan. Feb Feb. Mar Mar. Apr Apr. Jun Jun. Jul Jul. Aug Aug. Sep Sep.
Sept Sept. Oct Oct. Nov Nov. Dec Dec.""".split()
)  # capitalised only: "may have", "march on"
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
CLOCK = frozenset("a.m. p.m. am pm a.m p.m o'clock gmt utc est edt et cet bst hrs local".split())
MONEY_BEFORE = frozenset("$ us$ £ € ¥ usd eur gbp".split())
MONEY_AFTER = frozenset(
    """dollar dollars euro euros usd eur gbp dinar dinars rial rials lira
liras yuan yen rupee rupees sterling""".split()
)
PERCENT = frozenset("% percent pct per percentage".split())
# Counted nouns whose plural is not the singular plus -s, singular -> plural: read back
# to the singular by figures.py ("children" counts "child"), written out by describe.py.
IRREGULAR_PLURALS = {
    "person": "people",
    "child": "children",
    "woman": "women",
    "man": "men",
    "staff": "staff",
    "personnel": "personnel",
    "medium": "media",
}

TIME_UNITS = frozenset(
    """second seconds minute minutes hour hours day days week weeks month
months year years decade decades century centuries night nights weekend weekends time times
morning mornings year-old years-old""".split()
)
MEASURES = frozenset(
    """mm millimeter millimeters millimetre millimetres cm centimeter
centimeters centimetre centimetres inch inches caliber calibre m meter meters metre metres km
kilometer kilometers kilometre kilometres mile miles foot feet ft yard yards pound pounds lb lbs
kg kilogram kilograms gram grams ton tons tonne tonnes kiloton kilotons megaton liter liters
litre litres gallon gallons acre acres hectare hectares degree degrees knot knots mph kph km/h
square sq""".split()
)
# A number right after one of these names a thing: "Route 4", "Resolution 2254", "No. 10".
DESIGNATIONS = frozenset(
    """resolution route highway road article flight chapter section phase
number no no. # camp gate block building terminal platform line channel version model type
class series page paragraph item clause amendment level stage grade category tier round room
hangar sector district zone squadron brigade battalion division regiment mark mk station
checkpoint exit""".split()
)
# "the 2019 attacks", "in 2021": a four-digit number after these is a year.
YEAR_BEFORE = frozenset(
    """the in since by until till before after of from during early late
mid this that 's spring summer autumn fall winter""".split()
)


# Casualty words in the forms wire copy uses, mapped to the role they give.
ROLE_FORMS = {
    "killed": "kill kills killed killing slay slew slain execute executed executing behead "
    "beheaded massacre massacred murder murdered assassinated dead die dies died "
    "dying perish perished gassed gassing suffocate suffocated suffocating asphyxiate "
    "asphyxiated",
    "wounded": "wound wounds wounded wounding injure injures injured injuring hurt hurting maim "
    "maimed",
    "missing": "missing disappeared vanished",
    "captured": "capture captures captured capturing kidnap kidnapped kidnapping abduct abducted "
    "abducting detain detains detained detaining arrest arrests arrested arresting",
}
# The cheap pre-filter before any parse: a sentence without one of these holds no figure.
# Casualty words are in it because "killed a civilian contractor" has no number word.
_CUE_WORDS = (
    set(UNITS)
    | set(TENS)
    | set(SCALES)
    | set(PLURAL_SCALES)
    | set(" ".join(ROLE_FORMS.values()).split())
    | set(
        """dozens tens scores several handful few couple
    multiple numerous many single nobody death deaths fatality fatalities casualty casualties toll
    injury injuries""".split()
    )
)
FIGURE_CUE = re.compile(r"\d|\b(?:" + "|".join(sorted(_CUE_WORDS)) + r")\b", re.IGNORECASE)


def may_hold_figure(text: str) -> bool:
    """False only when ``find_figures`` would certainly find nothing (no parse needed)."""
    return isinstance(text, str) and bool(FIGURE_CUE.search(text))


# ---------------------------------------------------------------------------
# Reading a number expression from a sentence's lower-case words.

# Words before a number that make it an interval. Longest first so "no more than"
# wins over "more than". "more than N" is N+1 because a count is whole.
_QUALIFIER_TABLE = {
    "at_least": "at least|no fewer than|no less than|not less than|a minimum of",
    "more_than": "more than|greater than|over|upwards of|in excess of",
    "less_than": "fewer than|less than|under",
    "up_to": "up to|as many as|at most|no more than|not more than|a maximum of",
    "about": "about|around|nearly|roughly|some|approximately|almost|an estimated|estimated|"
    "close to|approx.|circa",
    "between": "between",
    "from": "from",
}
QUALIFIERS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (tuple(phrase.split()), kind)
            for kind, phrases in _QUALIFIER_TABLE.items()
            for phrase in phrases.split("|")
        ),
        key=lambda q: -len(q[0]),
    )
)
# "rose from 17 to 22" reports a change, not a range: keep 22 only.
CHANGE_WORDS = frozenset(
    """rose risen rise rises rising climbed climb climbs climbing jumped
jump jumps increased increase increases grew grown went gone raised revised fell fall
dropped drop decreased up""".split()
)
_RANGE_JOINERS = ("-", "\u2013", "to", "or", "and")


@dataclass
class NumberRun:
    """One number expression: tokens [first, end] hold qualifier and number words."""

    first: int  # first token, qualifier included
    start: int  # first number token
    end: int  # last number token (the second number of a range included)
    low: int | float
    high: int | float | None
    qualifier: str
    value: int | float | None  # the number as written (None when vague)


def _read_value(
    words: Sequence[str], k: int
) -> tuple[int, int | float | None, tuple[int, int | None] | None]:
    """(last index, exact value, vague band) of the number starting at k, or (k-1, None, None)."""
    n = len(words)
    w = words[k]
    nxt = words[k + 1] if k + 1 < n else ""
    # vague quantities, possibly scaled: "a few", "several hundred", "hundreds of thousands"
    phrase, last = None, k
    if w in ("a", "an") and nxt in ("couple", "few", "handful"):
        phrase, last = "a " + nxt, k + 1
    elif w in VAGUE and (w not in ("tens", "scores") or nxt == "of"):
        prev = words[k - 1] if k > 0 else ""
        if not (w == "many" and prev in ("as", "how", "so", "too", "that")):
            phrase = w
    if phrase is not None:
        after = words[last + 1] if last + 1 < n else ""
        scale = 1
        if after in SCALES:
            scale, last = SCALES[after], last + 1
        elif after == "of" and last + 2 < n and words[last + 2] in PLURAL_SCALES:
            scale, last = PLURAL_SCALES[words[last + 2]], last + 2
        elif w == "tens":
            return k - 1, None, None
        return last, None, vague_band(phrase, scale)
    if w in ("a", "an") and nxt == "single":
        return k + 1, 1, None
    if split_range_token(w) is not None:
        return k, None, None  # handled by the caller as a range
    # exact numbers: the longest run that parses
    j = k
    while j + 1 < n and (word_kind(words[j + 1]) or words[j + 1] in ("and", "-", "a", "dozen")):
        j += 1
    for end in range(j, k - 1, -1):
        if words[end] in ("-", "and", "a"):
            continue  # "100-300" is a range, not "100-" followed by 300
        value = parse_number(list(words[k : end + 1]))
        if value is not None:
            # "1.5m people", "2bn": a letter scale glued on in British copy ("100m" may be metres)
            glued = words[end + 1] if end + 1 < n else ""
            if glued in ("mn", "bn") or (glued == "m" and "." in w):
                scaled = as_number(value * (1e9 if glued == "bn" else 1e6))
                return (end + 1, scaled, None) if scaled <= MAX_COUNT else (k - 1, None, None)
            return end, value, None
    return k - 1, None, None


def read_number_at(words: Sequence[str], k: int, *, band: float = 0.1) -> NumberRun | None:
    """The number expression whose number words start at token ``k``, or None."""
    return _read_at(words, k, band)


def _read_at(words: Sequence[str], k: int, band: float) -> NumberRun | None:
    n = len(words)
    rng = split_range_token(words[k])
    if rng is not None:
        if rng[1] <= rng[0]:
            return None
        return NumberRun(k, k, k, rng[0], rng[1], "between", rng[0])
    end, value, vague = _read_value(words, k)
    if end < k:
        return None
    if vague is not None:
        return NumberRun(k, k, end, vague[0], vague[1], "vague", None)
    if value is None:
        return None
    qual, first = "exact", k
    for q_words, kind in QUALIFIERS:
        m = len(q_words)
        if k - m >= 0 and tuple(words[k - m : k]) == q_words:
            qual, first = kind, k - m
            break
    # "the toll went up to 22" is 22, not "at most 22"
    if qual == "up_to" and first > 0 and words[first] == "up" and words[first - 1] in CHANGE_WORDS:
        qual, first = "exact", k
    # a second number: "100 and 300", "100-300", "100 to 300", "two or three"
    joiner = words[end + 1] if end + 1 < n else ""
    if joiner in _RANGE_JOINERS and end + 2 < n and (joiner != "and" or qual == "between"):
        end2, value2, vague2 = _read_value(words, end + 2)
        if value2 is not None and vague2 is None and end2 >= end + 2 and value2 > value:
            if qual == "from" and any(w in CHANGE_WORDS for w in words[max(0, first - 4) : first]):
                return NumberRun(end + 2, end + 2, end2, value2, value2, "exact", value2)
            if qual in ("exact", "between", "from"):
                return NumberRun(first, k, end2, value, value2, "between", value)
    if qual in ("between", "from"):
        qual, first = "exact", k
    tail = tuple(words[end + 1 : end + 3])
    if tail[:2] == ("or", "more"):
        qual, end = "at_least", end + 2
    elif tail[:2] == ("or", "so"):
        qual, end = "about", end + 2
    low, high = _interval(value, qual, band)
    # "fewer than 20" is reported as "up to 19": one word for every upper bound
    return NumberRun(first, k, end, low, high, "up_to" if qual == "less_than" else qual, value)


def _interval(value: int | float, qual: str, band: float) -> tuple[int | float, int | float | None]:
    if qual == "at_least":
        return value, None
    if qual == "more_than":
        return (value + 1 if float(value).is_integer() else math.ceil(value)), None
    if qual == "up_to":
        return 0, value
    if qual == "less_than":
        return 0, (value - 1 if float(value).is_integer() else math.floor(value))
    if qual == "about":
        return about_band(value, band)
    return value, value
