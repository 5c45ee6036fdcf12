"""One exception tree for the whole library.

::

    ComparerError
     ├── ConfigError            bad settings file: unknown key, wrong type, bad TOML
     ├── SourceError            a source spec that cannot be a source (bad path, empty text)
     ├── FetchError             anything that went wrong reading a URL
     │    ├── BlockedAddressError    SSRF guard: loopback/private/... address, or a bad scheme
     │    ├── FetchTimeoutError      connect/read/total time ran out
     │    ├── TooLargeError          body over the size cap
     │    ├── UnsupportedContentError  not HTML or plain text (PDF, image, ...)
     │    ├── HTTPStatusError        4xx/5xx after retries
     │    └── TooManyRedirectsError
     ├── ExtractionError        no article text could be found
     ├── DiscoverError          a search provider or feed answered with something unusable
     ├── StoreError             the SQLite store is corrupt, foreign or newer than this code
     └── ModelLoadError         the embedding model or the spaCy pipeline cannot be loaded

``fetch.py`` translates every httpx error into this tree in one function, and the
pipeline records the error on its source (``Article.error``/``error_type``) so that
one failing outlet never sinks the comparison of the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class ComparerError(Exception):
    """Base of every error this library raises on purpose."""


class ConfigError(ComparerError):
    pass


class SourceError(ComparerError):
    pass


class FetchError(ComparerError):
    pass


class DiscoverError(ComparerError):
    """A search provider or feed answered, but not with results (bad XML, an entity
    bomb, GDELT's plain-text refusals); recorded against that provider."""


class BlockedAddressError(FetchError):
    pass


class FetchTimeoutError(FetchError):
    pass


class TooLargeError(FetchError):
    pass


class UnsupportedContentError(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class TooManyRedirectsError(FetchError):
    pass


class ExtractionError(ComparerError):
    pass


class StoreError(ComparerError):
    pass


class ModelLoadError(ComparerError):
    pass


@contextmanager
def loading(what: str) -> Iterator[None]:
    """Turn whatever a model library raises while ``what`` loads into one ``ModelLoadError``
    naming it. torch, transformers and spaCy raise many types (OSError, ValueError, their
    own) for a missing or broken model; every loader reports them the same way, here."""
    try:
        yield
    except ModelLoadError:
        raise
    except Exception as exc:  # re-raised as one type, the cause kept
        raise ModelLoadError(f"{what} failed to load: {type(exc).__name__}: {exc}") from exc
