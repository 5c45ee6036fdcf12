"""A learned reporting-cue scorer: how likely a verb is to attribute a stance or an act of
communication to its subject, beyond the words of the lexicon (``data/cues.txt``).

The lexicon holds the verbs that are cues whatever the context ("said", "told"). Political
news attributes far more through verbs whose meaning depends on the sentence: "Clinton *laid
out* her proposals", "the campaign *is defending* the tweets", "the FBI *decided* not to
recommend charges". No hand list keeps up with them, so a logistic model weighs the verb's
lemma together with its syntax (who its subject is, whether a clause or a "to"-infinitive
follows, its particles) and gives a probability.

A second term weighs the verb in its sentence: the logit of the packaged MiniLM fine-tuned to
mark reporting cues (``contextual.py``), averaged over the verb's word pieces and added to the
features'. It tells "Trump charges that ..." from "the bank charges a fee", which lemma and
syntax cannot. It costs an encoder pass per sentence, so it is asked only where the features
are unsure (their logit in the term's band) and only when the setting
``facts.weigh_in_context`` is on (the default); the lexicon's floors never use it.

The features' weights are data (``data/cue_model.json``), trained on the PolNeAR *train* split
by ``bench/train_cue_model.py``; the encoder's difference from the packaged weights is
``data/cue_encoder.npz``, trained on the same split by ``bench/train_cue_encoder.py``; neither
ever saw the dev or test splits. Scoring is a sum of weights over the features of one token
plus that one logit: no model library beyond the encoder is needed at run time.

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

from comparer.facts.contextual import CueLogits, LogitStore, load_cue_encoder, mean_over
from comparer.facts.cues import inflections
from comparer.facts.nlp import QUOTE_TOKENS
from comparer.facts.speakers import inherited_subject

DATA = Path(__file__).resolve().parents[1] / "data" / "cue_model.json"

# Pronouns kept as their own feature value: "he"/"she"/"they" speak, "it" and "there" rarely.
_PRONOUNS = frozenset("he she they we i you it there this that who which".split())
# Entity labels that stand for someone who can take a stance.
_SPEAKING_ENTS = frozenset(("PERSON", "ORG", "NORP", "GPE"))


# Where a doc keeps each term's logits of its word pieces.
_MEMO = "crosscheck.context_terms"
# Where a doc keeps its tokens' features' logits, by (model, token).
_LOGITS = "crosscheck.cue_logits"


# eq=False: a term is memoised on each doc by identity
@dataclass(frozen=True, eq=False)
class ContextTerm:
    """The scorer's correction by the cue encoder (``contextual.py``): ``sparse_scale * z +
    logit``, z being the features' logit and the logit the encoder's, averaged over the
    verb's word pieces. The encoder was trained on its own (on the labels, not on the
    features' errors), so the two are added as independent evidence.

    The encoder is asked only where it can change the decision: a verb whose features'
    logit lies in ``band`` (``weighs``). Outside it the features decide as they do without
    the encoder: on 160 PolNeAR train articles no decision the encoder turned had a
    features' logit outside [-2, 2] (``bench/train_cue_encoder.py``, ``BAND``), so a pass
    there would almost never change the answer, and the passes are most of the cost."""

    encoder: str
    weights: Path
    band: tuple[float, float]
    sparse_scale: float = 1.0
    threshold: float = 0.5

    def weighs(self, z: float) -> bool:
        """Is a verb whose features' logit is ``z`` worth the encoder's pass?"""
        return self.band[0] <= z <= self.band[1]

    def prefetch(self, docs: Sequence[Any], store: LogitStore | None = None) -> None:
        """Put the docs through the encoder together (batched, about three times cheaper
        than one by one), for the verbs of theirs that ``value`` will be asked about; with
        ``store``, the logits an earlier comparison kept are read from it instead."""
        docs = [d for d in docs if self not in d.user_data.get(_MEMO, {})]
        if not docs:
            return
        logits = CueLogits(load_cue_encoder(self.encoder, self.weights), store)
        for doc, pair in zip(docs, logits.many([d.text for d in docs]), strict=True):
            doc.user_data.setdefault(_MEMO, {})[self] = pair

    def value(self, tok: Any) -> float:
        """The encoder's logit for one token. The sentence goes through the encoder once
        (unless ``prefetch`` did it), the first time one of its verbs asks."""
        if self not in tok.doc.user_data.get(_MEMO, {}):
            self.prefetch([tok.doc])
        spans, logits = tok.doc.user_data[_MEMO][self]
        mean = mean_over(spans, logits, tok.idx, tok.idx + len(tok.text))
        # a verb the encoder did not reach (a cut run-on sentence) leaves it undecided
        return 0.0 if mean is None else float(mean)


@dataclass(frozen=True)
class CueModel:
    weights: dict[str, float]
    bias: float
    threshold: float
    context: ContextTerm | None = None

    def logit(self, tok: Any) -> float:
        """The features' logit of the token (no encoder), memoised on its doc: the walk
        ahead of the encoder's batch (``blame.prefetch_context``) asks for every verb
        before the reading does."""
        memo = tok.doc.user_data.setdefault(_LOGITS, {})
        key = (id(self), tok.i)
        if key not in memo:
            memo[key] = self.bias + sum(self.weights.get(f, 0.0) for f in features(tok))
        return float(memo[key])

    def weighs_in_context(self, tok: Any) -> bool:
        """Would ``in_context`` ask the encoder about this token (``ContextTerm.weighs``)?"""
        return self.context is not None and self.context.weighs(self.logit(tok))

    def is_cue(self, tok: Any, *, in_context: bool) -> bool:
        """Is the token a cue: the features' score over the model's threshold, or in context,
        where the encoder is asked, the corrected score over the term's own."""
        if in_context and self.context is not None and self.context.weighs(self.logit(tok)):
            return self.probability(tok, in_context=True) >= self.context.threshold
        return self.probability(tok) >= self.threshold

    def probability(self, tok: Any, *, in_context: bool = False) -> float:
        """How likely the token is a cue: by the features' model alone (no encoder pass; the
        lexicon's floors were set on it), or ``in_context`` with the encoder's logit added
        where the term weighs the verb (elsewhere the features' score stands)."""
        z = self.logit(tok)
        if in_context and self.context is not None and self.context.weighs(z):
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
            weights = path.parent / str(term["weights"])
            if not weights.is_file():
                raise ValueError(f"the cue encoder's weights {weights} are missing")
            low, high = (float(x) for x in term["band"])
            if not low < high:
                raise ValueError(f"the context band {term['band']} is empty")
            context = ContextTerm(
                encoder=str(term["encoder"]),
                weights=weights,
                band=(low, high),
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


def load_context_encoder() -> None:
    """Load the contextual term's encoder now, with the other models (``pipeline.load_models``),
    rather than inside the first comparison that weighs a verb in context."""
    term = model().context
    if term is not None:
        load_cue_encoder(term.encoder, term.weights)


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
