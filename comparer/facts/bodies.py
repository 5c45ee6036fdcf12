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


@lru_cache(maxsize=2)
def _table(section: str = "bodies") -> dict[str, str]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for canonical, variants in data[section].items():
        for name in (canonical, *variants):
            table[_fold(name)] = canonical
    return table


@lru_cache(maxsize=1)
def _umbrellas() -> dict[str, frozenset[str]]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return {name: frozenset(members) for name, members in data["umbrellas"].items()}


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return frozenset(_fold(n) for names in data["generic"].values() for n in names)


def _state_outlet(name: str | None) -> bool:
    """A listed state outlet ("SANA", "Syrian state television") or a name of one that does
    not say which state ("state TV")."""
    if not name:
        return False
    if _fold(name) in _generic():
        return True
    umbrellas = _umbrellas()
    listed = set(umbrellas) | {m for members in umbrellas.values() for m in members}
    return canonical_body(name) in listed


def one_voice(a: str | None, b: str | None) -> bool:
    """One body, one name covering the other ("Syrian state media" and SANA), or a state
    outlet that names no state beside a listed one ("state TV" and SANA)."""
    if same_body(a, b):
        return True
    ca, cb = canonical_body(a), canonical_body(b)
    umbrellas = _umbrellas()
    if (ca in umbrellas and cb in umbrellas[ca]) or (cb in umbrellas and ca in umbrellas[cb]):
        return True
    generic = _generic()
    return bool(a and b) and (
        (_fold(a or "") in generic and _state_outlet(b))
        or (_fold(b or "") in generic and _state_outlet(a))
    )


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


__all__ = ["canonical_body", "listed_body", "one_voice", "same_body", "same_state"]
