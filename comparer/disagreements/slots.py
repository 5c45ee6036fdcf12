"""The questions a card answers: one slot per thing a reader asks about an event.

A figure's slot comes from its role and what it counts: "17 fighters killed" and "22
people killed" answer "how many were killed?"; "six civilians killed" answers "how many
civilians were killed?" (a part of the toll, not a rival total); "three rockets" answers
"how many munitions?". Times answer "when?", places "where?", attributions "who gave the
figure?", "who is blamed?" and "who said it?".
"""

from __future__ import annotations

from collections.abc import Sequence

from comparer.records import Event, Fact

CASUALTY_ROLES = ("killed", "wounded", "missing", "captured")
# Parts of a toll that outlets count apart; every other kind of person counts in the toll.
TOLL_PARTS = {"civilian": "civilians", "child": "children", "woman": "women"}
CASUALTY_SLOTS = frozenset(CASUALTY_ROLES) | frozenset(
    f"{role}_{part}" for role in CASUALTY_ROLES for part in TOLL_PARTS.values()
)
# Counted things by the question they answer (singular, lower case).
THINGS: dict[str, tuple[str, ...]] = {
    "munitions": (
        "rocket",
        "missile",
        "bomb",
        "shell",
        "mortar",
        "projectile",
        "round",
        "grenade",
        "barrel bomb",
        "munition",
        "warhead",
        "drone",
    ),
    "aircraft": (
        "aircraft",
        "jet",
        "warplane",
        "plane",
        "helicopter",
        "bomber",
        "fighter jet",
        "airplane",
        "f-15",
        "f-16",
        "f-15e",
    ),
    "buildings": (
        "building",
        "facility",
        "house",
        "home",
        "structure",
        "installation",
        "bunker",
        "depot",
        "warehouse",
        "school",
        "hospital",
        "site",
        "compound",
        "shop",
        "mosque",
        "apartment",
    ),
    "strikes": ("strike", "airstrike", "air strike", "raid", "sortie"),
}
_THING_SLOT = {word: slot for slot, words in THINGS.items() for word in words}

_QUESTIONS = {
    "killed": "How many were killed",
    "wounded": "How many were wounded",
    "missing": "How many are missing",
    "captured": "How many were captured",
    "munitions": "How many munitions were used",
    "aircraft": "How many aircraft took part",
    "buildings": "How many buildings were hit",
    "strikes": "How many strikes were carried out",
    "event_time": "When did it happen",
    "event_place": "Where did it happen",
    "speaker": "Who said it",
}
ATTRIBUTION_SLOTS = {
    "credited-to-different-sources": "credited",
    "quote-different-speakers": "speaker",
    "responsibility-asserted-vs-denied": "blamed",
    "blamed-on-different-actors": "blamed",
}


def figure_slot(f: Fact) -> str:
    """The question a figure answers: "killed", "killed_civilians", "munitions" ..."""
    v = f.value
    counted = str(v.get("counted") or "").lower()
    role = v.get("role")
    if role in CASUALTY_ROLES:
        part = TOLL_PARTS.get(counted) or TOLL_PARTS.get(counted.split(" ")[-1])
        return f"{role}_{part}" if part else str(role)
    thing = _THING_SLOT.get(counted) or _THING_SLOT.get(counted.split(" ")[-1])
    return thing or f"count:{counted or 'unnamed'}"


def is_part(f: Fact) -> bool:
    """A figure that answers no "how many?" of its own: a part of a toll ("including 10
    children", ``subset``) or a count the article already gave ("the 10 civilians
    killed", ``restates``)."""
    return bool(f.value.get("subset")) or f.value.get("restates") is not None


def figure_slots(facts: Sequence[Fact]) -> dict[int, str]:
    """The slot of every figure (by ``id``), read with its outlet's other figures: an
    outlet whose only count of the dead is "15 civilians killed" answers "how many were
    killed?" with it; beside "at least 22 people killed" the civilians are a part."""
    figures = [f for f in facts if f.kind == "figure"]
    slots = {id(f): figure_slot(f) for f in figures}
    # a sentence that gives the whole toll beside the civilians ("six civilians were among
    # at least 22 people killed") makes them a part; elsewhere they are the outlet's toll.
    # A part cannot exceed its whole: beside "two people were killed" (run together from
    # another paragraph) "six civilians were killed" is the larger toll, not a part of it.
    wholes: dict[tuple[str, int, str], float] = {}
    for f in figures:
        if (
            slots[id(f)] in CASUALTY_ROLES
            and not is_part(f)
            and f.value.get("qualifier") != "vague"
        ):
            key = (f.source_id, f.sentence, slots[id(f)])
            high = f.value.get("high")
            wholes[key] = max(wholes.get(key, 0.0), float("inf") if high is None else float(high))
    for f in figures:
        role = f.value.get("role")
        whole = wholes.get((f.source_id, f.sentence, str(role)))
        if slots[id(f)] == f"{role}_civilians" and (
            whole is None or whole < float(f.value.get("low") or 0)
        ):
            slots[id(f)] = str(role)
    return slots


def fact_slot(f: Fact, relation: str, slots: dict[int, str] | None = None) -> str:
    if f.kind == "figure":
        return (slots or {}).get(id(f)) or figure_slot(f)
    if f.kind == "time":
        return "event_time"
    if f.kind == "place":
        return "event_place"
    return ATTRIBUTION_SLOTS.get(relation, "attribution")


def plural(noun: str) -> str:
    """ "bus" -> "buses", "casualty" -> "casualties", "truck" -> "trucks"; a count of no
    named thing is a count of "items"."""
    if noun in ("", "unnamed"):
        return "items"
    last = noun.rsplit(" ", 1)[-1]
    irregular = {"person": "people", "man": "men", "woman": "women", "child": "children"}
    if last in irregular:
        return noun[: len(noun) - len(last)] + irregular[last]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def slot_title(slot: str) -> str:
    """ "killed_civilians" -> "Civilians killed", "event_time" -> "Time"."""
    if "_" in slot and slot.split("_")[0] in CASUALTY_ROLES:
        role, part = slot.split("_", 1)
        return f"{part.capitalize()} {role}"
    if slot.startswith("count:"):
        return f"Number of {plural(slot[6:])}"
    return {
        "event_time": "Time",
        "event_place": "Place",
        "credited": "Source of the figure",
        "blamed": "Blame",
        "speaker": "Speaker",
    }.get(slot, slot.capitalize())


def question(slot: str, event: Event | None, *, quote: str | None = None) -> str:
    """The card's question in plain words, naming the event (and, given ``quote``, the
    quoted words a speaker card is about or the figure a credit card is about)."""
    about = event.label if event is not None and event.label else "the event"
    if slot == "speaker" and quote:
        return f"Who said \u201c{quote}\u201d?"
    if "_" in slot and slot.split("_")[0] in CASUALTY_ROLES:
        role, part = slot.split("_", 1)
        verb = "are" if role == "missing" else "were"
        return f"How many {part} {verb} {role} in {about}?"
    if slot.startswith("count:"):
        return f"How many {plural(slot[6:])} in {about}?"
    if slot == "event_time":
        return f"When did {about} happen?"
    if slot == "event_place":
        return f"Where did {about} happen?"
    if slot == "credited":  # ``quote`` is the figure's reading here, when all share one
        figure = f" \u201c{quote}\u201d" if quote else ""
        return f"Who gave the figure{figure} for {about}?"
    if slot == "blamed":
        return f"Who is blamed for {about}?"
    return f"{_QUESTIONS.get(slot, slot.capitalize())} in {about}?"


__all__ = [
    "ATTRIBUTION_SLOTS",
    "CASUALTY_ROLES",
    "CASUALTY_SLOTS",
    "THINGS",
    "fact_slot",
    "figure_slot",
    "figure_slots",
    "question",
    "slot_title",
]
