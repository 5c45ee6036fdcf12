"""People's names in running text: where a name is, whether it is a person's, and which
pronoun it takes ("he"/"she"), for the speaker readers (``attributions.py``, ``quotes.py``).

A capitalised pair is a person's name only with a title ("Sen. Warren") or a known given name
("Elizabeth Warren", ``data/given_names.txt``), or as the surname of one named before: "New
York" and "White House" are not people, "Trump" after "Donald Trump" is.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple

from comparer.facts.names import fold
from comparer.facts.speakers import TITLE_WORDS

GIVEN_NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "given_names.txt"
FEMALE = frozenset("""mrs ms miss madam madame spokeswoman congresswoman chairwoman businesswoman
    councilwoman assemblywoman anchorwoman she her woman mother queen princess lady dame sister
    wife daughter grandmother actress""".split())
MALE = frozenset("""mr spokesman congressman chairman businessman councilman assemblyman anchorman
    he him his man father king prince sir lord brother husband son grandfather actor""".split())
# A capitalised name, with a title in front when there is one.
_TITLES = r"Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Gen|Lt|Col|Maj|Capt|Adm|Prof|Rev|President|Senator|" \
          r"Secretary|Governor|Mayor|Judge|Justice|Speaker|Minister|Ambassador"
_PERSON_NAME = re.compile(
    rf"(?:\b(?P<title>{_TITLES})\.?\s+)?(?P<name>[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['\u2019-][A-Za-z]+)?"
    rf"(?:\s+[A-Z]\.)?(?:\s+(?:de|al|van|von|bin)?\s*[A-Z][a-z]+(?:[A-Z][a-z]+)?"
    rf"(?:['\u2019-][A-Za-z]+)?){{0,2}})")
_NOT_NAMES = frozenset("""the a an but and or so if as at in on of for to by with from this that
    these those there here it its he she they we i you his her their our my when while after
    before since during then also still yet however meanwhile monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december""".split())
@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    out = {}
    for line in GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, gender = line.split("\t")
            out[name.strip()] = gender.strip()
    return out


def gender_of(text: str) -> str | None:
    """"m", "f" or None, from a title, a role word or a given name."""
    words = [w.strip(".,") for w in fold(text).split()]
    for w in words:
        if w in FEMALE:
            return "f"
        if w in MALE:
            return "m"
    names = [w for w in words if w not in TITLE_WORDS]
    return given_names().get(names[0]) if names else None



class PersonName(NamedTuple):
    start: int
    end: int
    written: str  # with its title: "Sen. Elizabeth Warren"
    name: str  # without: "Elizabeth Warren"
    titled: bool


def person_names(text: str, *, surnames: set[str] | None = None,
                 known: set[str] = frozenset()) -> Iterator[PersonName]:
    """The people named in ``text``, in order. ``surnames`` (folded) grows with each full name
    found and lets a lone surname through later; ``known``: folded names already known to be
    people (speakers)."""
    surnames = set() if surnames is None else surnames
    for m in _PERSON_NAME.finditer(text):
        name = m.group("name").strip()
        parts = fold(name).split()
        start = m.start()
        if parts and parts[0] in _NOT_NAMES:  # "But Clinton", "The Trump campaign"
            if len(parts) < 2 or m.group("title"):
                continue
            name, parts = name.split(None, 1)[1], parts[1:]
            start = m.start("name") + m.group("name").index(name)
        if not parts:
            continue
        titled = bool(m.group("title"))
        is_known = fold(name) in known
        if len(parts) == 1 and not (titled or is_known or parts[0] in surnames):
            continue  # a lone given name ("Paul") or capitalised word is too often something else
        if len(parts) > 1 and not (titled or parts[0] in given_names() or is_known):
            continue
        if len(parts) > 1:
            surnames.add(parts[-1])
        yield PersonName(start if not titled else m.start(), m.end(), m.group(0).strip()
                         if titled else name, name, titled)
