"""Where outlets disagree: one card per (event, question), comparing like with like.

Stages, in order:

1. **Index** (``pairs.build_index``): claim groups, facts per sentence, event cues.
2. **Pairs** (``pairs.related_pairs``): facts of one event and one question (``slots.py``)
   from different outlets, each judged by ``rules.py`` (conflict, compatible,
   unresolved, or nothing).
3. **Cards** (``cards.build_cards``): the pairs of one (event, question) become one card
   with every outlet's answer, who it is credited to and when it was said, revisions as
   a timeline, a severity from the set and an explanation that reads as an answer.

Why not compare every pair of facts? Because a news story is full of numbers about
different things (rockets, facilities, earlier attacks, the war's total); flags that
compare unlike things teach users to ignore the tool.
"""

from __future__ import annotations

from collections.abc import Sequence

from comparer.disagreements.cards import build_cards
from comparer.disagreements.pairs import build_index, related_pairs
from comparer.records import Article, Claim, Disagreement, Event, Fact
from comparer.settings import Settings


def find_disagreements(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    facts: Sequence[Fact],
    settings: Settings,
    *,
    events: Sequence[Event] = (),
) -> tuple[Disagreement, ...]:
    """Every card, conflicts first, with ids d1, d2, ... in that order. Facts with no event
    (``events.py`` gave none) are compared with nothing."""
    ix = build_index([a for a in articles if a.status == "ok"], claims, facts, settings)
    return build_cards(ix, related_pairs(ix, facts), facts, events)


__all__ = ["find_disagreements"]
