"""A learned reporting-cue scorer: how likely a verb is to attribute a stance or an act of
communication to its subject, beyond the words of the lexicon (``data/cues.txt``).

The lexicon holds the verbs that are cues whatever the context ("said", "told"). Political
news attributes far more through verbs whose meaning depends on the sentence: "Clinton *laid
out* her proposals", "the campaign *is defending* the tweets", "the FBI *decided* not to
recommend charges". No hand list keeps up with them, so a logistic model weighs the verb's
lemma together with its syntax (who its subject is, whether a clause or a "to"-infinitive
follows, its particles) and gives a probability.

A second term weighs the verb in its sentence: the contextual vector of its word pieces from
the first layers of the packaged MiniLM (``contextual.py``), projected on a learned direction.
It tells "Trump charges that ..." from "the bank charges a fee", which lemma and syntax cannot.
It costs an encoder pass per sentence, so it is used only when the setting
``facts.weigh_in_context`` is on; the lexicon's floors never use it.

The weights are data (``data/cue_model.json``), trained on the PolNeAR *train* split by
``bench/train_cue_model.py`` and never on the dev or test splits. Scoring is a sum of
weights over the features of one token plus that one projection: no model library beyond the
encoder is needed at run time.

The rules that turn a scored verb into an attribution (a speaker is required, verbs of
violence never count) live in ``blame.py``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from comparer.facts.contextual import load_encoder, mean_over
from comparer.facts.cues import inflections
from comparer.facts.nlp import QUOTE_TOKENS
from comparer.facts.speakers import inherited_subject

DATA = Path(__file__).resolve().parents[1] / "data" / "cue_model.json"

# Pronouns kept as their own feature value: "he"/"she"/"they" speak, "it" and "there" rarely.
_PRONOUNS = frozenset("he she they we i you it there this that who which".split())
# Entity labels that stand for someone who can take a stance.
_SPEAKING_ENTS = frozenset(("PERSON", "ORG", "NORP", "GPE"))


# Where a doc keeps each term's projections of its word pieces.
_MEMO = "crosscheck.context_terms"


# eq=False: a term is memoised on each doc by identity (its direction is an array)
@dataclass(frozen=True, eq=False)
class ContextTerm:
    """The scorer's correction by a verb's contextual vector, fitted on top of the features'
    model: ``sparse_scale * z + direction . state + offset``, z being the features' logit and
    the state the mean over the verb's word pieces (the training's standardisation and scale
    are folded into the direction and the offset)."""

    encoder: str
    layers: int
    direction: np.ndarray
    offset: float
    sparse_scale: float = 1.0
    # the decision threshold in context: where the precision on train matches the
    # features' model's at its own threshold (``bench/train_cue_model.py`` prints both)
    threshold: float = 0.5

    def prefetch(self, docs: Sequence[Any]) -> None:
        """Put the docs through the encoder together (batched, about three times cheaper
        than one by one), for the verbs of theirs that ``value`` will be asked about."""
        docs = [d for d in docs if self not in d.user_data.get(_MEMO, {})]
        if not docs:
            return
        encoder = load_encoder(self.encoder, self.layers)
        for doc, (spans, states) in zip(
            docs, encoder.piece_states_many([d.text for d in docs]), strict=True
        ):
            doc.user_data.setdefault(_MEMO, {})[self] = (spans, states @ self.direction)

    def value(self, tok: Any) -> float:
        """The term for one token. The sentence goes through the encoder once (unless
        ``prefetch`` did it), the first time one of its verbs asks, and only its
        projections are kept on the doc."""
        if self not in tok.doc.user_data.get(_MEMO, {}):
            self.prefetch([tok.doc])
        spans, projected = tok.doc.user_data[_MEMO][self]
        mean = mean_over(spans, projected, tok.idx, tok.idx + len(tok.text))
        # a verb the encoder did not reach (a cut run-on sentence) counts as an average one
        return 0.0 if mean is None else float(mean) + self.offset


@dataclass(frozen=True)
class CueModel:
    weights: dict[str, float]
    bias: float
    threshold: float
    context: ContextTerm | None = None

    def is_cue(self, tok: Any, *, in_context: bool) -> bool:
        """Is the token a cue: the features' score over the model's threshold, or in context
        (when the model has a contextual term) the corrected score over the term's own."""
        if in_context and self.context is not None:
            return self.probability(tok, in_context=True) >= self.context.threshold
        return self.probability(tok) >= self.threshold

    def probability(self, tok: Any, *, in_context: bool = False) -> float:
        """How likely the token is a cue: by the features' model alone (no encoder pass; the
        lexicon's floors were set on it), or ``in_context`` with the contextual term."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features(tok))
        if in_context and self.context is not None:
            z = self.context.sparse_scale * z + self.context.value(tok)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def subject_of(tok: Any) -> Any:
    """The token's own subject, or the agent of a passive ("was endorsed by the Times"), or
    the subject it shares with the verb it hangs on ("went on to discuss", "an architect
    who said"): ``speakers.inherited_subject``, as the lexicon's rules use it."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    for c in tok.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return inherited_subject(tok)


def subject_class(subj: Any) -> str:
    """A coarse kind of subject: a pronoun by its word, a named entity by its label, else the
    part of speech ("none" when there is no subject)."""
    if subj is None:
        return "none"
    if subj.lower_ in _PRONOUNS:
        return subj.lower_
    if subj.ent_type_ in _SPEAKING_ENTS:
        return subj.ent_type_
    return subj.pos_


def features(tok: Any) -> list[str]:
    """The features of one token (a verb or a noun), as strings. Training and scoring both
    call this, so the model sees exactly what it was trained on."""
    lemma = tok.lemma_.lower()
    out = [f"l={lemma}", f"t={tok.tag_}", f"d={tok.dep_}", f"ld={lemma}|{tok.dep_}"]
    for c in tok.children:
        out.append(f"c={c.dep_}")
        if c.dep_ in ("prep", "prt", "agent"):
            out.append(f"p={c.lower_}")
            out.append(f"lp={lemma}|{c.lower_}")
        elif c.dep_ in ("aux", "auxpass", "neg"):
            out.append(f"a={c.lower_}")
        elif c.dep_ in ("ccomp", "xcomp", "dobj"):
            out.append(f"lc={lemma}|{c.dep_}")
    subj = subject_of(tok)
    kind = subject_class(subj)
    out += [f"s={kind}", f"ls={lemma}|{kind}"]
    if subj is not None and subj.pos_ == "NOUN":
        out.append(f"sl={subj.lemma_.lower()}")
    if tok.dep_ in ("xcomp", "ccomp", "conj", "advcl", "relcl", "acl", "pcomp"):
        out.append(f"h={tok.head.lemma_.lower()}|{tok.dep_}")
    if _quotes_in_sentence(tok):
        out.append("q")
    return out


def _quotes_in_sentence(tok: Any) -> bool:
    """Does the token's sentence hold a quotation mark? Memoised on the doc: every verb of a
    sentence asks, and the answer is the sentence's."""
    sent = tok.sent
    key = f"crosscheck.quotes_in_sentence.{sent.start}"
    memo = tok.doc.user_data
    if key not in memo:
        memo[key] = any(t.text in QUOTE_TOKENS for t in sent)
    return bool(memo[key])


def load_model(path: Path = DATA) -> CueModel:
    """The model from its JSON; a broken file is an error naming it (it ships with the
    package, so a mistake must fail the tests, not disable the scorer)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        term = data.get("context")
        context = None
        if term is not None:
            direction = np.asarray(term["direction"], dtype=np.float32)
            if direction.ndim != 1 or not len(direction):
                raise ValueError("the context direction is not a vector")
            context = ContextTerm(
                encoder=str(term["encoder"]),
                layers=int(term["layers"]),
                direction=direction,
                offset=float(term["offset"]),
                sparse_scale=float(term.get("sparse_scale", 1.0)),
                threshold=float(term.get("threshold", data["threshold"])),
            )
        return CueModel(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            context=context,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"cannot read the cue model {path}: {exc}") from exc


@lru_cache(maxsize=1)
def model() -> CueModel:
    return load_model()


@lru_cache(maxsize=1)
def leaning_words() -> frozenset[str]:
    """Every form of the verbs whose own weight leans towards a cue ("blast", "tout",
    "lay out"): a sentence holding one is worth parsing, or the scorer never sees it."""
    lemmas = (
        f[2:]
        for f, w in model().weights.items()
        if f.startswith("l=") and w > 0 and f[2:].isalpha()
    )
    return frozenset(form for lemma in lemmas for form in inflections(lemma))
