"""Finding the coverage: from one story's link or a few words to the outlets that
covered the same event.

The modules, in the order a search runs through them:

- ``search.py``: the window, the query (from a link: the story's title and entities),
  asking every provider at once, the result (``Discovery``, with ``to_dict`` for JSON);
- ``providers.py``: Google News RSS search, the GDELT DOC 2.0 API and outlet RSS/Atom
  feeds, all fetched through ``fetch.fetch_url`` (SSRF guard, size and time caps) and
  parsed with entity expansion refused (defusedxml);
- ``comparer/urls.py`` (outside the package: the intake uses it too): one address per
  story (tracking parameters, AMP and mobile copies);
- ``rank.py``: window filter, de-duplication, ranking by title similarity and time.
"""

from comparer.discover.providers import Hit, Query, decode_google_link, parse_feed
from comparer.discover.rank import Row, merge, rank
from comparer.discover.search import (
    Discovery,
    ProviderError,
    discover,
    discover_from_url,
    query_from_article,
    query_terms,
    window_for,
)
from comparer.urls import canonical_url, host_key, url_key

__all__ = [
    "Discovery",
    "Hit",
    "ProviderError",
    "Query",
    "Row",
    "canonical_url",
    "decode_google_link",
    "discover",
    "discover_from_url",
    "host_key",
    "merge",
    "parse_feed",
    "query_from_article",
    "query_terms",
    "rank",
    "url_key",
    "window_for",
]
