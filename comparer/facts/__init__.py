"""Facts per sentence: figures, times, attributions and places (see ``reader.py``)."""
from comparer.facts.reader import extract_facts, needs_parse

__all__ = ["extract_facts", "needs_parse"]
