"""People's names in running text: where a name is, whether it is a person's, and which
pronoun it takes ("he"/"she"), for the speaker readers (``attributions.py``, ``quotes.py``).

A capitalised pair is a person's name only with a title ("Sen. Warren") or a known given name
("Elizabeth Warren", ``data/given_names.txt``), or as the surname of one named before: "New
York" and "White House" are not people, "Trump" after "Donald Trump" is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from comparer.facts.names import fold, given_names
from comparer.facts.speakers import TITLE_WORDS

FEMALE = frozenset(
    """mrs ms miss madam madame spokeswoman congresswoman chairwoman businesswoman
    councilwoman assemblywoman anchorwoman she her woman mother queen princess lady dame sister
    wife daughter grandmother actress""".split()
)
MALE = frozenset(
    """mr spokesman congressman chairman businessman councilman assemblyman anchorman
    he him his man father king prince sir lord brother husband son grandfather actor""".split()
)
# Runs of capitalised words (with initials and name particles): a person's name is found
# inside a run ("Defense Secretary Lloyd Austin" -> title "Secretary", name "Lloyd Austin").
_TITLES = frozenset(
    """mr mrs ms miss dr sen rep gov gen lt col maj capt adm prof rev president
    senator secretary governor mayor judge justice speaker minister ambassador""".split()
)
_RUN = re.compile(
    r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['\u2019-][A-Za-z]+)?\.?|[A-Z]\.)"
    r"(?:\s+(?:(?:de|al|van|von|bin)\s+)?(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?"
    r"(?:['\u2019-][A-Za-z]+)?\.?|[A-Z]\.))*"
)
_NOT_NAMES = frozenset(
    """the a an but and or so if as at in on of for to by with from this that
    these those there here it its he she they we i you his her their our my when while after
    before since during then also still yet however meanwhile monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december""".split()
)


def gender_of(text: str) -> str | None:
    """ "m", "f" or None, from a title, a role word or a given name."""
    titled = title_gender(text)
    if titled is not None:
        return titled
    names = [w.strip(".,") for w in fold(text).split() if w.strip(".,") not in TITLE_WORDS]
    return given_names().get(names[0]) if names else None


def title_gender(text: str) -> str | None:
    """ "m", "f" or None, from a title or a role word alone ("Mrs.", "spokeswoman")."""
    for w in (w.strip(".,") for w in fold(text).split()):
        if w in FEMALE:
            return "f"
        if w in MALE:
            return "m"
    return None


class PersonName(NamedTuple):
    start: int
    end: int
    written: str  # with its title: "Sen. Elizabeth Warren"
    name: str  # without: "Elizabeth Warren"
    titled: bool


def person_names(
    text: str, *, surnames: set[str] | None = None, known: frozenset[str] | set[str] = frozenset()
) -> Iterator[PersonName]:
    """The people named in ``text``, in order. ``surnames`` (folded) grows with each full name
    found and lets a lone surname through later; ``known``: folded names already known to be
    people (speakers)."""
    surnames = set() if surnames is None else surnames
    for run in _RUN.finditer(text):
        words = [(m.start() + run.start(), m.group()) for m in re.finditer(r"\S+", run.group())]
        i = 0
        while i < len(words):
            word = words[i][1].rstrip(".").lower()
            titled = word in _TITLES
            first = i + 1 if titled else i
            while titled and first < len(words) and words[first][1].rstrip(".").lower() in _TITLES:
                first += 1  # "Lt. Col. Wayne Marotto"
            name_words = words[first : first + 3]
            if not name_words:
                break
            parts = [fold(w) for _, w in name_words]
            lead = parts[0]
            if titled or (len(name_words) > 1 and lead in given_names()):
                chosen = name_words
            elif lead in surnames or lead in known:  # "Austin" after "Lloyd Austin"
                chosen = name_words[:1]
            elif fold(" ".join(parts)) in known:
                chosen = name_words
            else:
                i += 1
                continue
            if lead in _NOT_NAMES:
                i = first + 1
                continue
            start, end = chosen[0][0], chosen[-1][0] + len(chosen[-1][1].rstrip("."))
            name = text[start:end]
            if len(chosen) > 1:
                surnames.add(fold(chosen[-1][1].rstrip(".")))
            written = text[words[i][0] : end] if titled else name
            yield PersonName(words[i][0] if titled else start, end, written, name, titled)
            i = first + len(chosen)
