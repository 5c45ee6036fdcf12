"""Who is blamed: when two outlets name the same actor in different words.

Outlets rarely name a perpetrator alike. "Assad's forces", "government forces" and "the
regime" are one side of the Syrian war; "Daesh", "the Takfiri ISIL group" and "IS" one
group; "Russian war jets" and "Russian planes" one air force. A card that set them against
each other ("the same event blamed on different actors") would be false, and that is the
card a fact-checker reads first.

An actor is read as a set of parties (countries or named bodies: "either Syrian or Russian
planes" names two) and a kind (aircraft, armed forces, rebels, a named group, an unnamed
person). Two actors contradict each other only when both name parties and the parties do
not overlap, or when they name different bodies. An actor with no party ("the bomber",
"gunmen", "government forces") is less specific, not a different answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from comparer.facts.bodies import canonical_body, listed_body
from comparer.facts.names import DEMONYMS

# Parties by the words that name them: the nationality words of ``names.DEMONYMS``, plus
# country names, capitals and leaders standing for a state. Compass and "the" never name
# a party.
_PARTIES = {
    **DEMONYMS,
    **dict.fromkeys(("syria", "syrias", "damascus", "assad", "assads"), "syria"),
    **dict.fromkeys(("russia", "russias", "moscow", "kremlin"), "russia"),
    **dict.fromkeys(("u s", "america", "washington", "pentagon", "united states"), "us"),
    **dict.fromkeys(("turkey", "ankara", "turkiye"), "turkey"),
    **dict.fromkeys(("iran", "irans", "tehran"), "iran"),
    **dict.fromkeys(("israel", "israels"), "israel"),
    **dict.fromkeys(("iraq", "iraqs", "baghdad"), "iraq"),
    **dict.fromkeys(("kurds", "ypg", "sdf"), "kurds"),
    **dict.fromkeys(("coalition",), "us-led coalition"),
    **dict.fromkeys(("ukraine", "kyiv", "kiev"), "ukraine"),
    **dict.fromkeys(("saudis", "riyadh"), "saudi arabia"),
}
# Words that say what kind of actor it is, by kind.
_KINDS = {
    **dict.fromkeys(
        """jet jets warplane warplanes plane planes aircraft aircrafts airforce
        helicopter helicopters drone drones aviation""".split(),
        "aircraft",
    ),
    **dict.fromkeys(
        """government regime army military forces force troops soldiers loyalists
        authorities artillery""".split(),
        "state",
    ),
    **dict.fromkeys("""rebels rebel opposition insurgents""".split(), "rebels"),
}
# Descriptions that add nothing to who it is: "the Takfiri ISIL group", "terrorist groups".
_NOISE = frozenset(
    """the a an of its their group groups organisation organization takfiri terrorist
    terrorists jihadist jihadists extremist extremists so called war backed led pro either
    or and allied ally allies those""".split()
)


@dataclass(frozen=True)
class ActorKey:
    parties: frozenset[str]
    kind: str  # aircraft, state, rebels, group (a listed armed group), other
    body: str | None  # a listed body ("Islamic State"), when the name is one


def _words(name: str) -> list[str]:
    text = name.lower().replace("\u2019", "'").replace("'s ", " ").replace("u.s.", "us")
    return re.findall(r"[a-z]+", text.replace("-", " "))


@lru_cache(maxsize=4096)
def actor_key(name: str) -> ActorKey:
    """The parties, kind and body an actor's name points at."""
    words = _words(name)
    body = listed_body(name)
    kept = [w for w in words if w not in _NOISE]
    # a body named inside a longer description: "Takfiri ISIL group", "Daesh terrorists"
    for size in (3, 2, 1):
        for i in range(len(kept) - size + 1):
            if body is None:
                body = listed_body(" ".join(kept[i : i + size]))
    if body is not None:  # "Russian Defence Ministry" is a state's; "Islamic State" a group
        parties = _parties(_words(body))
        return ActorKey(parties, "state" if parties else "group", body)
    kinds = {_KINDS[w] for w in words if w in _KINDS}
    if "air" in words and "force" in words:
        kinds = {"aircraft"}
    kind = "aircraft" if "aircraft" in kinds else (min(kinds) if kinds else "other")
    return ActorKey(_parties(words), kind, None)


def _parties(words: list[str]) -> frozenset[str]:
    found = set()
    for i, w in enumerate(words):
        pair = " ".join(words[i : i + 2])
        if pair in _PARTIES:
            found.add(_PARTIES[pair])
        elif w in _PARTIES:
            found.add(_PARTIES[w])
    return frozenset(found)


# Kinds that cannot be the same actor: a state's forces or planes against rebels or a
# named armed group. "other" (the bomber, gunmen, an ally) agrees with anything.
_APART = {
    frozenset(("state", "rebels")),
    frozenset(("aircraft", "rebels")),
    frozenset(("state", "group")),
    frozenset(("aircraft", "group")),
}


def same_actor(a: str | None, b: str | None) -> bool:
    """Do two named actors not contradict each other? One body, overlapping parties, or one
    of them too vague to be another answer ("the bomber", "government forces" against
    "Assad's forces")."""
    if not a or not b or canonical_body(a) == canonical_body(b):
        return True
    ka, kb = actor_key(a), actor_key(b)
    if ka.body is not None and kb.body is not None:
        return ka.body == kb.body
    if ka.parties and kb.parties and not ka.parties & kb.parties:
        return False  # "Russian war jets" / "Syrian planes"
    return frozenset((ka.kind, kb.kind)) not in _APART


def same_named_actor(a: str | None, b: str | None) -> bool:
    """Two names of one specific actor: one body, or the same parties and kind ("the
    Syrian regime" / "the Syrian government"); vague names are never the same."""
    if not a or not b:
        return False
    ka, kb = actor_key(a), actor_key(b)
    if ka.body is not None or kb.body is not None:
        return ka.body == kb.body
    return bool(ka.parties) and ka == kb


__all__ = ["ActorKey", "actor_key", "same_actor", "same_named_actor"]
