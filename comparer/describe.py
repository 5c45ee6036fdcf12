"""Short human readings of normalised fact values ("at least 17 fighters killed").

Shared by the explanations, the memo, the CLI and the dashboard, so that a value
reads the same everywhere.
"""

from __future__ import annotations

import re
from typing import Any

from comparer.facts.numbers import IRREGULAR_PLURALS

_MAN = re.compile(
    r"(?:gun|police|service|fire|camera|chair|spokes|fisher|tribes|militia|clans|kins|"
    r"country|congress|business|border|lines|watch|crafts|frontier|sea|air)man"
)


def _plural(noun: str, count: float | None) -> str:
    if noun and count == 1 and noun.split()[-1] == "people":  # "at least one person"
        return noun[: -len("people")] + "person"
    if not noun or count == 1:
        return noun
    words = noun.split()
    last = words[-1]
    if last in IRREGULAR_PLURALS:
        return " ".join([*words[:-1], IRREGULAR_PLURALS[last]])
    if _MAN.fullmatch(last):  # gunman, policeman, serviceman; not "human", "German"
        return noun[:-3] + "men"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _num(x: Any) -> str:
    return f"{x:,.0f}" if isinstance(x, (int, float)) and float(x).is_integer() else f"{x}"


def figure_reading(value: dict[str, Any]) -> str:
    """ "at least 17 fighters killed", "1 militia member killed", "3–9 (several) people"."""
    # a figure's low is always a number (None only in a malformed value, which fails as before)
    low: Any = value.get("low")
    high, qual = value.get("high"), value.get("qualifier")
    if high is None:
        amount = f"more than {_num(low - 1)}" if qual == "more_than" else f"at least {_num(low)}"
    elif low == high:
        amount = _num(low)
    elif qual == "up_to" and not low:
        amount = f"up to {_num(high)}"
    else:
        amount = f"{_num(low)}–{_num(high)}"
        if qual == "vague" and value.get("number_text"):
            amount += f" ({value['number_text']})"
        elif qual == "about" and value.get("number_text"):
            amount = f"about {value['number_text']} ({amount})"
    # "at least 1 fighter killed": an open range reads in the number of its floor
    noun = _plural(str(value.get("counted") or ""), low if low == high or high is None else None)
    role = value.get("role")
    return " ".join(x for x in (amount, noun, role or "") if x)


# Words that make the actor the speaker itself: "IS claimed responsibility", "it denied".
_SELF = {"it", "itself", "they", "themselves", "he", "she", "we", "i"}


def _blame_reading(rel: str, value: dict[str, Any]) -> str:
    """ "Daesh claims responsibility", "the Observatory holds Russian jets responsible",
    "the ministry blames rebels", "the army denies responsibility"."""
    speaker = str(value.get("speaker") or "unnamed source")
    actor = str(value.get("actor") or "").strip()
    stance = str(value.get("stance"))
    own = not actor or actor.lower() in _SELF or actor.lower() == speaker.lower()
    if rel == "responsibility":
        if own:
            verb = {"asserted": "claims", "denied": "denies", "declined": "does not claim"}
            return f"{speaker} {verb.get(stance, stance)} responsibility"
        if stance == "denied":
            return f"{speaker}: {actor} not responsible"
        if stance == "declined":
            return f"{speaker} declines to say who is responsible"
        return f"{speaker} holds {actor} responsible"
    if stance == "denied":
        return f"{speaker}: {actor} not to blame"
    if stance == "declined":
        return f"{speaker} declines to name who is to blame"
    return f"{speaker} blames {actor}"


def describe_value(fact_kind: str, value: dict[str, Any]) -> str:
    """A short human reading of a normalised fact value."""
    if fact_kind == "figure":
        return figure_reading(value)
    if fact_kind == "time":
        zone = value.get("zone") or "clock unknown"
        start = value.get("start") or "unresolved"
        return f"{start} [{value.get('granularity')}] ({zone})"
    if fact_kind == "attribution":
        rel = value.get("relation", "source")
        kind = str(value.get("type") or "").replace("_", " ")
        if rel in ("blame", "responsibility"):
            return _blame_reading(rel, value)
        via = f" via {value['via']}" if value.get("via") else ""
        who = value.get("canonical") or value.get("speaker")
        members = value.get("members")
        if members:  # "critics (anonymous other, including Grassley, Leahy)"
            kind = f"{kind}, including {', '.join(map(str, members))}"
        if value.get("cue_kind") == "stance":  # an act or a position, not words reported
            return f"{who} ({kind}), stance: {value.get('cue')}"
        return f"{who} ({kind}){via}"
    if fact_kind == "place":
        return str(value.get("canonical") or value.get("name"))
    return str(value)
