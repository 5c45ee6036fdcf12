"""embed.py: the packaged model, its process-wide cache, and the text-keyed embeddings cache."""

from __future__ import annotations

import numpy as np
import pytest

from comparer.embed import CachedEmbedder, Embedder, load_embedder, text_key
from comparer.errors import ModelLoadError
from comparer.store import Store

pytestmark = pytest.mark.slow  # the real model (loaded once per session)

STRIKE = (
    "U.S. forces carried out airstrikes on Thursday against buildings used by militias in Syria."
)
STRIKE_2 = "The US military launched an airstrike against a militia base in Syria on Thursday."
OTHER = "The White House weighs how to revive the 2015 nuclear agreement with Iran."


class Counting:
    """Wraps an embedder and records every batch that reaches the model."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.batches: list[list[str]] = []

    def encode(self, texts):
        self.batches.append(list(texts))
        return self.inner.encode(texts)


def test_packaged_model_gives_unit_float32_rows(embedder):
    vectors = embedder.encode([STRIKE, STRIKE_2, OTHER])
    assert embedder.model_id == "packaged:all-MiniLM-L6-v2"
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    # Two wordings of the strike are closer to each other than to the Iran-deal sentence.
    assert sims[0, 1] > 0.6
    assert sims[0, 1] > sims[0, 2] + 0.2
    assert isinstance(embedder, Embedder)


def test_empty_input_gives_zero_rows(embedder):
    assert embedder.encode([]).shape == (0, 384)


def test_model_is_loaded_once_per_setting(embedder, settings):
    again = load_embedder(settings)
    assert again is embedder
    other_batch = load_embedder(settings.with_overrides({"embed.batch_size": 8}))
    assert other_batch.model is embedder.model
    assert other_batch.batch_size == 8
    np.testing.assert_allclose(other_batch.encode([STRIKE]), embedder.encode([STRIKE]), atol=1e-5)


def test_unknown_packaged_model_is_a_model_load_error(settings):
    with pytest.raises(ModelLoadError, match="unknown packaged model 'packaged:nope'"):
        load_embedder(settings.with_overrides({"embed.model": "packaged:nope"}))


def test_folder_without_a_model_is_a_model_load_error(settings, tmp_path):
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    with pytest.raises(ModelLoadError, match="failed to load"):
        load_embedder(settings.with_overrides({"embed.model": str(empty)}))


def test_cache_in_memory_encodes_each_text_once(embedder):
    counting = Counting(embedder)
    cached = CachedEmbedder(counting)
    first = cached.encode([STRIKE, OTHER, STRIKE])
    assert counting.batches == [[STRIKE, OTHER]]  # the repeat is encoded once
    assert cached.encoded == 2
    np.testing.assert_array_equal(first[0], first[2])
    second = cached.encode([OTHER, STRIKE_2])
    assert counting.batches[1:] == [[STRIKE_2]]
    assert cached.encoded == 3
    np.testing.assert_array_equal(second[0], first[1])
    assert cached.encode([]).shape == (0, 384)
    assert cached.calls == 2


def test_memory_keeps_only_the_newest_vectors(embedder):
    counting = Counting(embedder)
    cached = CachedEmbedder(counting, memory_limit=2)
    first = cached.encode([STRIKE, STRIKE_2, OTHER])  # all three returned, two kept
    assert first.shape == (3, 384)
    cached.encode([STRIKE_2, OTHER])
    assert cached.encoded == 3  # still in memory
    cached.encode([STRIKE])
    assert counting.batches[-1] == [STRIKE]  # forgotten, so encoded again
    assert cached.encoded == 4


def test_second_run_over_a_store_encodes_nothing(embedder, settings):
    texts = [STRIKE, STRIKE_2, OTHER]
    with Store.open(settings) as store:
        first_model = Counting(embedder)
        first = CachedEmbedder(first_model, store).encode(texts)
        assert sum(len(b) for b in first_model.batches) == 3
        stored = store.get_embeddings(embedder.model_id, [text_key(t) for t in texts])
        assert len(stored) == 3
    with Store.open(settings) as store:  # a new process would see the same file
        second_model = Counting(embedder)
        cached = CachedEmbedder(second_model, store)
        again = cached.encode(texts)
        assert second_model.batches == []
        assert cached.encoded == 0
        np.testing.assert_array_equal(again, first)


def test_cache_keys_by_model(embedder, settings):
    class Renamed(Counting):
        def __init__(self, inner):
            super().__init__(inner)
            self.model_id = "another-model"

    with Store.open(settings) as store:
        CachedEmbedder(embedder, store).encode([STRIKE])
        other = Renamed(embedder)
        CachedEmbedder(other, store).encode([STRIKE])
        assert other.batches == [[STRIKE]]  # a vector of one model is never served for another


def test_text_key_is_sha256_of_utf8():
    assert text_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
