"""Facts per sentence: figures, times, attributions and places (see ``stage.py``)."""

from comparer.facts.stage import extract_facts, needs_parse

__all__ = ["extract_facts", "needs_parse"]
