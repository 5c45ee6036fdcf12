"""A leading dateline split off the article text into metadata.

Wire copy opens with where and when the story was filed: ``KABUL, Aug 27 (Reuters) -``.
That is metadata about the story, not a fact about the event; left in the text it
would be read as a place and a time of the event. ``split_dateline`` looks at the
start of the first paragraph only and recognises these shapes:

* wire: ``PLACE[, REGION][, DATE] [(AGENCY) | /AGENCY/] SEP`` where SEP is a dash,
  a double hyphen or a colon: ``KABUL, Aug 27:``, ``BEIRUT (Reuters) -``,
  ``DAMASCUS, Syria (AP) —``, ``BEIRUT, Lebanon, Aug. 27 (UPI) --``,
  ``NEW YORK, March 3, 2021 /PRNewswire/ --``, ``WASHINGTON —``, ``KABUL:``;
* date and agency: ``Aug. 30 (Wire) --``, ``(Example News - 26th Aug, 2021) :``;
* a full date leading the story, as in corpora stripped of commas (FA-KES):
  ``Sun 05 Jul 2015 ...``, ``Wed 05 Apr 2017 at 0914 ...``, ``Published July 5 2015 ...``,
  ``Date of publication 21 September 2016 ...``,
  ``05-07-2015 ...`` (day-month-year), ``Monday 17 August 2014 ...``, ``Aug 17 2014 ...``.

Precision over recall: a missed dateline costs a little metadata, a stripped
sentence start costs a claim. So a place in title case ("Kabul") needs a date or an
agency after it ("Kabul, the capital, was quiet" stays), a bare capitalised place
("WASHINGTON —") must not be a known label or acronym ("UPDATE:", "ISIS —") and must
be followed by a sentence, and a leading date must be followed by the start of a
sentence, not by a verb ("17 August 2014 was the deadliest day" stays).

A date without a year takes the publication year, or the year before when that
would put the dateline more than two days after publication (two days, not zero:
a story filed in Kabul on the 27th may be published on the 26th in UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["AGENCIES", "ANY_DATE", "Dateline", "split_dateline"]


@dataclass(frozen=True)
class Dateline:
    """Where and when a story was filed, and the dateline as written."""

    place: str | None
    date: date | None
    written: str


# --- date pieces ----------------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?:\.|\b)"
)
_WEEKDAY = (
    r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:19|20)\d{2}"
_MM = r"(?:1[0-2]|0?[1-9])"

# Named groups so that a matched date can be read; ``_unnamed`` strips the names for the
# combined patterns (one pattern may not repeat a group name).
_DMY = rf"(?P<d>{_DAY})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH}),?(?:\s+(?P<y>{_YEAR})\b)?"
_MDY = rf"(?P<m>{_MONTH})\s*(?P<d>{_DAY})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{_YEAR})\b)?"
_NUMERIC = rf"(?P<d>{_DAY})[-/.](?P<mm>{_MM})[-/.](?P<y>{_YEAR})\b"
_ISO = rf"(?P<y>{_YEAR})-(?P<mm>{_MM})-(?P<d>{_DAY})\b"
_DATE_FORMS = tuple(re.compile(rf"(?:{_WEEKDAY},?\s+)?{p}") for p in (_DMY, _MDY, _NUMERIC, _ISO))


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_ANY_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?"
    rf"(?:{'|'.join(_unnamed(p) for p in (_DMY, _MDY, _NUMERIC, _ISO))})"
)
# Public for the readers that find a dateline or a credit run into the copy (places.py,
# furniture.py): a date in any of the forms above, and the agencies that file or credit.
ANY_DATE = _ANY_DATE
AGENCIES = (
    r"(?:AFP|AP|AA|EPA|IHA|DPA|UPI|Reuters|REUTERS|Sputnik|SANA|Xinhua|Anadolu(?: Agency)?"
    r"|Getty)"
)
# A clock time after a leading date: "at 0914", "22:14 GMT", "10.30 a.m."; a bare number
# is not taken ("Sun 05 Jul 2015 22 dead ...": 22 is the story).
_TIME = (
    r"(?:at\s+\d{1,2}[:.]?\d{2}|\d{1,2}[:.]\d{2}|\d{3,4}(?=\s*(?:GMT|UTC)))"
    r"(?:\s*[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|[ECMP][SD]?T))?\b"
)

# --- place and agency pieces ----------------------------------------------------------

_CAPS_WORD = r"[A-Z][A-Z'\u2019.-]*[A-Z.]"
_CAPS_PLACE = rf"{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}}"
_TITLE_WORD = r"(?:(?:al|el|ez|es|ad|ar|as|an)-)?[A-Z][a-z'\u2019]+(?:-[A-Z][a-z'\u2019]+)*\.?"
_PARTICLE = r"(?:al|el|de|del|di|da|la|le|du|van|von|bin|of)"
_TITLE_PLACE = rf"{_TITLE_WORD}(?: (?:{_PARTICLE} )?{_TITLE_WORD}){{0,2}}"
_NOT_DATE = rf"(?!{_MONTH}|{_WEEKDAY})"
_PLACE = rf"{_NOT_DATE}(?:{_CAPS_PLACE}|{_TITLE_PLACE})"
_AGENCY = r"\(\s*[A-Za-z][\w .&'\u2019/+-]{0,38}\)|/[A-Za-z][\w .&-]{1,38}/"
# A hyphen counts only with a space beside it ("AL-QAIM" is one word); dashes and colons
# count as they come.
_SEP = r"(?:\s+-{1,2}\s*|-{1,2}\s+|\s*[\u2013\u2014]{1,2}\s*|\s*:\s*)"

_WIRE_RE = re.compile(
    rf"(?P<place>{_PLACE})(?P<region>(?:,\s*{_PLACE}){{0,2}}?)"
    rf"(?:,?\s+(?P<date>{_ANY_DATE}))?\s*(?P<agency>{_AGENCY})?(?P<sep>{_SEP})"
)
_DATE_AGENCY_RE = re.compile(rf"(?P<date>{_ANY_DATE})\s*(?P<agency>{_AGENCY})(?P<sep>{_SEP})")
_PAREN_RE = re.compile(
    rf"\(\s*(?P<agency>[A-Za-z][^()\n]{{0,40}}?)\s*[-\u2013\u2014,|]\s*(?P<date>{_ANY_DATE})\s*\)"
    rf"(?P<sep>\s*[-\u2013\u2014:]{{0,2}}\s*)"
)
_LEADING_DATE_RE = re.compile(
    rf"(?:(?i:published|posted|date of publication)(?:\s+on)?\s*:?\s+)?"
    rf"(?P<date>{_ANY_DATE})(?:,?\s+{_TIME})?"
    r"(?=\s|$|[-\u2013\u2014:|,])"
)

# Capitalised words that open a paragraph as labels or as the subject, never as places.
_NOT_PLACES = frozenset(
    """
    UPDATE UPDATED BREAKING EXCLUSIVE ANALYSIS OPINION EDITORIAL COMMENT LIVE WATCH VIDEO
    PHOTOS PHOTO FILE NOTE CORRECTION EXPLAINER INTERVIEW REVIEW WARNING ALERT FLASH URGENT
    SPONSORED ADVERTISEMENT NEW LATEST RELATED MORE TOP DEVELOPING AUDIO LISTEN PICTURED POLL
    ISIS ISIL NATO UN U.N. US U.S. UK U.K. EU E.U. IS AP AFP CNN BBC FBI CIA WHO IMF OPEC SDF
    YPG PKK HTS IRGC GOP CEO PM MP NGO
""".split()
) | frozenset(
    (
        "BREAKING NEWS",
        "FILE PHOTO",
        "EDITOR'S NOTE",
        "FACT CHECK",
        "READ MORE",
        "JUST IN",
        "LIVE UPDATES",
        "TOP STORIES",
        "WATCH LIVE",
    )
)
_SENTENCE_START = re.compile(r"[A-Z0-9\"'\u201c\u2018(]")
_LEAD_TRIM = re.compile(r"^[\s:;,|\-\u2013\u2014]+")


# --- reading the pieces ---------------------------------------------------------------


def _month_number(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _with_year(month: int, day: int, published: datetime | None) -> date | None:
    """The dateline's day in the publication's year, or the year before when that would
    put it more than two days after publication (see the module docstring)."""
    if published is None:
        return None
    ref = published.date()
    for year in (ref.year, ref.year - 1):
        try:
            found = date(year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if found <= ref + timedelta(days=2):
            return found
    return None


def _read_date(written: str, *, published: datetime | None) -> date | None:
    """The day a dateline's date names; None when it is impossible or has no year to take."""
    for form in _DATE_FORMS:
        m = form.fullmatch(written.strip())
        if m is None:
            continue
        parts = m.groupdict()
        month = int(parts["mm"]) if parts.get("mm") else _month_number(parts["m"])
        day = int(parts["d"])
        if not parts.get("y"):
            return _with_year(month, day, published)
        try:
            return date(int(parts["y"]), month, day)
        except ValueError:
            return None
    return None


def _title_piece(piece: str) -> str:
    if len(piece) > 2 and piece[1] in "'\u2019":  # O'HARE, N'DJAMENA
        return piece[0].upper() + piece[1] + piece[2:].capitalize()
    return piece.capitalize()


def _title_word(word: str) -> str:
    """An all-caps word in title case: "NEW" -> "New", "AL-QAIM" -> "Al-Qaim",
    "N'DJAMENA" -> "N'Djamena"; a word already in mixed case is kept as written."""
    if not word.isupper():
        return word
    return "-".join(_title_piece(p) for p in word.lower().split("-"))


def _place(place: str, region: str) -> str:
    words = f"{place}{region}".split(" ")
    return " ".join(_title_word(w) for w in words)


def _is_label(place: str) -> bool:
    return place.rstrip(".").upper() in _NOT_PLACES or place.upper() in _NOT_PLACES


def _starts_sentence(rest: str) -> bool:
    return not rest or bool(_SENTENCE_START.match(rest))


# --- the shapes -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    end: int
    place: str | None
    date: date | None


def _wire(head: str, published: datetime | None) -> _Found | None:
    m = _WIRE_RE.match(head)
    if m is None or _is_label(m["place"]):
        return None
    rest = _LEAD_TRIM.sub("", head[m.end() :])
    caps = m["place"].isupper()
    if not m["agency"]:
        if not _starts_sentence(rest):
            return None
        if not m["date"]:
            # A bare place: only an all-caps one, followed by a sentence in ordinary case
            # (an all-caps headline "US STRIKES SYRIA — REPORT" is not a dateline).
            if not caps or len(re.sub(r"\W", "", m["place"])) < 3:
                return None
            if not re.search(r"[a-z]", rest[:40]):
                return None
    elif not caps and not m["date"] and not _starts_sentence(rest):
        return None
    when = _read_date(m["date"], published=published) if m["date"] else None
    return _Found(m.end(), _place(m["place"], m["region"]), when)


def _date_and_agency(head: str, published: datetime | None) -> _Found | None:
    m = _DATE_AGENCY_RE.match(head) or _PAREN_RE.match(head)
    if m is None:
        return None
    return _Found(m.end(), None, _read_date(m["date"], published=published))


def _leading_date(head: str, published: datetime | None) -> _Found | None:
    m = _LEADING_DATE_RE.match(head)
    if m is None:
        return None
    rest = _LEAD_TRIM.sub("", head[m.end() :])
    if not _starts_sentence(rest):  # "17 August 2014 was the deadliest day"
        return None
    when = _read_date(m["date"], published=published)
    # Only a full, possible date counts here: it is the whole evidence of a dateline.
    if when is None or not re.search(rf"\b{_YEAR}\b", m["date"]):
        return None
    return _Found(m.end(), None, when)


_SHAPES = (_wire, _date_and_agency, _leading_date)


def _is_headline(paragraph: str) -> bool:
    """A short first paragraph with no sentence end: a headline, not the story's start."""
    text = paragraph.strip()
    return 0 < len(text) <= 200 and not text.endswith((".", "!", "?", '"', "\u201d", ":"))


def split_dateline(text: str, *, published: datetime | None) -> tuple[Dateline | None, str]:
    """The dateline opening ``text`` (first paragraph only) and the text without it.

    ``text`` follows extract.py's paragraph convention and so does the result: the
    rest of the first paragraph is kept with its leading dashes, colons and spaces
    trimmed; a first paragraph that was only the dateline is dropped. When no
    dateline is found, or nothing would be left, ``(None, text)`` comes back.
    """
    found, rest = _split_first(text, published)
    head, sep, tail = text.partition("\n\n")
    if found is None and _is_headline(head) and tail:
        # a text source often starts with its headline as a paragraph of its own; the
        # dateline then opens the paragraph after it ("Friday 29 Jul 2016 At least ...")
        second, after = _split_first(tail, published)
        if second is not None:
            return second, f"{head}{sep}{after}"
    return found, rest


def _split_first(text: str, published: datetime | None) -> tuple[Dateline | None, str]:
    """``split_dateline`` on the first paragraph alone."""
    head, sep, tail = text.partition("\n\n")
    for shape in _SHAPES:
        found = shape(head, published)
        if found is None:
            continue
        rest = _LEAD_TRIM.sub("", head[found.end :]).strip()
        remaining = f"{rest}{sep}{tail}" if rest else tail
        if not remaining.strip():
            return None, text
        written = head[: found.end].strip(" :;,|-\u2013\u2014")
        return Dateline(found.place, found.date, written), remaining
    return None, text
