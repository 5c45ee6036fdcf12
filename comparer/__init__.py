"""Crosscheck's library: compare how outlets report one news event.

Usable without Streamlit; the dashboard and the CLI (``python -m comparer``) both
call ``compare``. The stages are listed in ``pipeline.py``.
"""

from comparer.errors import (
    BlockedAddressError,
    ComparerError,
    ConfigError,
    ExtractionError,
    FetchError,
    ModelLoadError,
    SourceError,
    StoreError,
)
from comparer.pipeline import compare, read_sources
from comparer.records import (
    Article,
    Claim,
    Disagreement,
    Event,
    EventMention,
    Fact,
    Omission,
    Report,
    Revision,
    Sentence,
    SharedText,
    Source,
)
from comparer.settings import Settings, load_settings
from comparer.sources import example_sources, pasted_source, sources_from_specs
from comparer.version import __version__

__all__ = [
    "Article",
    "BlockedAddressError",
    "Claim",
    "ComparerError",
    "ConfigError",
    "Disagreement",
    "Event",
    "EventMention",
    "ExtractionError",
    "Fact",
    "FetchError",
    "ModelLoadError",
    "Omission",
    "Report",
    "Revision",
    "Sentence",
    "Settings",
    "SharedText",
    "Source",
    "SourceError",
    "StoreError",
    "compare",
    "example_sources",
    "load_settings",
    "pasted_source",
    "read_sources",
    "sources_from_specs",
    "__version__",
]
