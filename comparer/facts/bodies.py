"""One name per body that figures are credited to (``data/bodies.toml``).

"The Syrian Observatory for Human Rights", "SOHR" and "the Britain-based war monitor"
are one source; a card that set them against each other ("the same figure credited to
different sources") would be false, and a revision ("40, then 52") is only seen when
both figures come from one originator.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "bodies.toml"


def _fold(name: str) -> str:
    text = re.sub(r"[^\w\s-]", " ", name.lower().replace("\u2019", "'").replace("'s ", " "))
    words = [w for w in text.replace("-", " ").split() if w not in ("the", "a", "an")]
    return " ".join(words)


@lru_cache(maxsize=1)
def _data() -> dict:
    """``bodies.toml``, read once."""
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def _table(section: str = "bodies") -> dict[str, str]:
    """Folded name -> canonical name, for the ``bodies`` or ``states`` section."""
    table: dict[str, str] = {}
    for canonical, variants in _data()[section].items():
        for name in (canonical, *variants):
            table[_fold(name)] = canonical
    return table


@lru_cache(maxsize=1)
def _umbrellas() -> dict[str, frozenset[str]]:
    return {name: frozenset(members) for name, members in _data()["umbrellas"].items()}


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(_fold(n) for names in _data()["generic"].values() for n in names)


@lru_cache(maxsize=1)
def _listed_state_outlets() -> frozenset[str]:
    """The umbrella names and the bodies under them ("SANA", "Syrian state television")."""
    return frozenset(_umbrellas()).union(*_umbrellas().values())


def _state_outlet(name: str) -> bool:
    """A listed state outlet or a name of one that does not say which state ("state TV")."""
    return _fold(name) in _generic() or canonical_body(name) in _listed_state_outlets()


def one_voice(a: str | None, b: str | None) -> bool:
    """One body, one name covering the other ("Syrian state media" and SANA), or a state
    outlet that names no state beside a listed one ("state TV" and SANA)."""
    if not a or not b:
        return False
    if same_body(a, b):
        return True
    ca, cb = canonical_body(a), canonical_body(b)
    umbrellas = _umbrellas()
    if cb in umbrellas.get(ca or "", ()) or ca in umbrellas.get(cb or "", ()):
        return True
    generic = _generic()
    return (_fold(a) in generic and _state_outlet(b)) or (_fold(b) in generic and _state_outlet(a))


def same_state(a: str | None, b: str | None) -> bool:
    """Do two speakers name one state ("the United States" / "Washington")?"""
    if not a or not b:
        return False
    states = _table("states")
    sa, sb = states.get(_fold(a)), states.get(_fold(b))
    return sa is not None and sa == sb


# "Britain-based", "UK-based", "London-based": where a body sits, not part of its name
_BASED = re.compile(r"^(?:\w+ ){1,2}based ")


def _lookup(name: str) -> str | None:
    folded = _fold(name)
    table = _table()
    found = table.get(folded)
    if found is None and (m := _BASED.match(folded)):
        found = table.get(folded[m.end() :])
    return found


def canonical_body(name: str | None) -> str | None:
    """The body's one name, or the name as given (folded spaces) when it is not listed."""
    if not name or not name.strip():
        return None
    return _lookup(name) or " ".join(name.split())


def listed_body(name: str | None) -> str | None:
    """The body's one name when ``name`` is one of the listed names, else None."""
    if not name or not name.strip():
        return None
    return _lookup(name)


def same_body(a: str | None, b: str | None) -> bool:
    ca, cb = canonical_body(a), canonical_body(b)
    return ca is not None and cb is not None and _fold(ca) == _fold(cb)


# Words too generic to point back at one listed body: "the group said" may be any group.
TOO_GENERIC = frozenset("group body organisation organization agency".split())


def may_be_called(body: str | None, description: str) -> bool:
    """Can "the <description>" ("the monitor", "the war monitor", "the monitoring group")
    mean this listed body? Only when one of the body's listed names ends in those words:
    "the monitor" after "the Syrian Observatory for Human Rights" is the Observatory (its
    names include "Britain-based war monitor"); a lone generic noun points at no one."""
    canonical = listed_body(body)
    words = _fold(description)
    if m := _BASED.match(words):  # "a London-based monitor": where it sits, not what it is
        words = words[m.end() :]
    if canonical is None or not words or words in TOO_GENERIC:
        return False
    return any(
        name == canonical and f" {folded}".endswith(f" {words}")
        for folded, name in _table().items()
    )


__all__ = [
    "TOO_GENERIC",
    "canonical_body",
    "listed_body",
    "may_be_called",
    "one_voice",
    "same_body",
    "same_state",
]
