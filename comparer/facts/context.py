"""What a fact reader may know beyond the sentence: its article's source and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArticleContext:
    source_id: str
    published: datetime | None  # anchor for "Thursday", "last week"; aware UTC
    places: tuple[str, ...] = ()  # canonical gazetteer places the article names, in order
