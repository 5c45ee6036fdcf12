"""The cue encoder (comparer/facts/contextual.py: the packaged MiniLM with the shipped
fine-tuning added) and the scorer's term over it (cue_model.ContextTerm), with the real
packaged model and the real shipped weights."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from comparer.errors import ModelLoadError
from comparer.facts.contextual import (
    MAX_PIECES,
    CueLogits,
    add_difference,
    load_cue_encoder,
    mean_over,
)
from comparer.facts.cue_model import DATA, ContextTerm, load_model, model

ENCODER = "packaged:all-MiniLM-L6-v2"
WEIGHTS = DATA.parent / "cue_encoder.npz"


@pytest.fixture(scope="module")
def encoder():
    return load_cue_encoder(ENCODER, WEIGHTS)


# (spans of pieces, values, characters asked, expected mean)
MEANS = [
    ([(0, 3), (4, 9)], [1.0, 3.0], (4, 9), 3.0),
    # a word cut into two pieces is the mean of both
    ([(0, 4), (4, 7), (8, 10)], [2.0, 4.0, 9.0], (0, 7), 3.0),
    # a piece that only touches the span's edge is not in it
    ([(0, 3), (3, 6)], [1.0, 5.0], (3, 6), 5.0),
    # no piece there (past the encoder's cut)
    ([(0, 3)], [1.0], (10, 14), None),
    # an empty piece (a zero-width span) is never counted
    ([(4, 4), (4, 9)], [100.0, 3.0], (4, 9), 3.0),
    ([], [], (0, 3), None),
]


@pytest.mark.parametrize("spans,values,where,expected", MEANS)
def test_mean_over_the_pieces_of_a_word(spans, values, where, expected):
    got = mean_over(
        np.array(spans, dtype=np.int64).reshape(-1, 2), np.array(values, dtype=np.float32), *where
    )
    assert got == (None if expected is None else pytest.approx(expected))


def test_piece_logits_cover_the_words_and_leave_the_special_tokens_out(encoder):
    text = "The senator unleashed a tirade."
    spans, logits = encoder.piece_logits(text)
    assert logits.shape == (len(spans),) and np.isfinite(logits).all()
    pieces = [text[a:b].lower() for a, b in spans]
    assert pieces[:2] == ["the", "senator"] and pieces[-1] == "."
    assert "".join(pieces) == text.lower().replace(" ", "")
    # a long run-on block is cut at the encoder's limit, not refused
    long_spans, _ = encoder.piece_logits("word " * 400)
    assert 0 < len(long_spans) <= MAX_PIECES


def _logit(encoder, text: str, word: str) -> float:
    spans, logits = encoder.piece_logits(text)
    at = text.index(word)
    return float(mean_over(spans, logits, at, at + len(word)))


# (sentence, word, the same word in a sentence where it reports nothing); my own sentences
SENSES = [
    ("The senator charges that the donors bought access.", "charges",
     "The bank charges a fee for every transfer."),
    ("The union slammed the offer as an insult.", "slammed", "The driver slammed the door."),
    ("Officials stressed that the strike was limited.", "stressed",
     "The heat stressed the cattle in the yard."),
    ("The minister floated the idea of a snap election.", "floated",
     "The boat floated down the river."),
]  # fmt: skip


@pytest.mark.parametrize("text,word,other", SENSES, ids=[r[1] for r in SENSES])
def test_the_shipped_encoder_tells_a_cue_from_the_same_word_in_another_sense(
    encoder, text, word, other
):
    """The point of the encoder: one verb, two senses, two answers (the features, which see
    a lemma and its syntax, cannot always tell them apart). The reporting sense scores a
    cue (logit over 0), the other not."""
    assert _logit(encoder, text, word) > 0 > _logit(encoder, other, word)


def test_the_difference_is_added_to_the_packaged_weights():
    """``add_difference``: a factor pair adds its product, a whole difference itself, other
    keys (the head's) are left alone; a name or shape the model lacks is an error."""
    import torch

    layer = torch.nn.Linear(3, 2)
    before = {k: v.clone() for k, v in layer.state_dict().items()}
    a = np.array([[1.0], [2.0]], np.float16)
    b = np.array([[0.5, 0.0, -1.0]], np.float16)
    add_difference(
        layer,
        {"a:weight": a, "b:weight": b, "d:bias": np.array([1.0, -1.0]), "head:bias": np.ones(1)},
    )
    after = layer.state_dict()
    assert torch.allclose(after["weight"] - before["weight"], torch.tensor(a @ b).float())
    assert torch.allclose(after["bias"] - before["bias"], torch.tensor([1.0, -1.0]))
    with pytest.raises(ValueError, match="does not have"):
        add_difference(layer, {"d:other.bias": np.ones(2)})
    with pytest.raises(ValueError, match="bias"):
        add_difference(layer, {"d:bias": np.ones(5)})


def test_batched_logits_are_the_logits_one_by_one(encoder):
    """Padding a short sentence to a long one's length in a batch changes none of its
    logits (the mask keeps the padding out), so a prefetched term scores as a lazy one."""
    texts = [
        "The minister floated the idea of a snap election.",
        "Protesters, who had gathered outside the parliament since dawn, rejected the offer "
        "the government made on Sunday night.",
        "It rained.",
    ]
    many = encoder.piece_logits_many(texts)
    for text, (spans, logits) in zip(texts, many, strict=True):
        one_spans, one_logits = encoder.piece_logits(text)
        assert np.array_equal(spans, one_spans)
        assert np.allclose(logits, one_logits, atol=1e-4)
    assert encoder.piece_logits_many([]) == []


class _Counting:
    """The real encoder, counting the sentences it is asked to read."""

    def __init__(self, encoder):
        self.inner = encoder
        self.name = encoder.name
        self.read: list[str] = []

    def piece_logits_many(self, texts):
        self.read.extend(texts)
        return self.inner.piece_logits_many(texts)


def test_logits_kept_in_the_store_are_read_back_and_not_computed_again(encoder, tmp_path):
    from comparer.settings import load_settings
    from comparer.store import Store

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path)})
    texts = ["The minister floated the idea.", "It rained.", "The minister floated the idea."]
    with Store.open(settings) as store:
        first = _Counting(encoder)
        computed = CueLogits(first, store).many(texts)  # type: ignore[arg-type]
        assert first.read == ["The minister floated the idea.", "It rained."]
        again = _Counting(encoder)
        stored = CueLogits(again, store).many(texts[:2] + ["The mayor said no."])  # type: ignore[arg-type]
        assert again.read == ["The mayor said no."]
    for (s1, l1), (s2, l2) in zip(computed[:2], stored[:2], strict=True):
        assert np.array_equal(s1, s2)
        assert np.allclose(l1, l2)
    assert np.array_equal(computed[0][0], computed[2][0])


def test_the_shipped_scorer_weighs_the_verb_in_its_sentence(nlp):
    scorer = model()
    assert scorer.context is not None and scorer.context.encoder == ENCODER
    doc = nlp("The governor rejected the plan, and the council endorsed it.")
    rejected, endorsed = (t for t in doc if t.lemma_ in ("reject", "endorse"))
    first = scorer.context.value(rejected)
    # one pass per sentence: both verbs are read from the doc's memo
    assert len(doc.user_data["crosscheck.context_terms"]) == 1
    assert scorer.context.value(endorsed) != first
    assert scorer.context.value(rejected) == first


def test_outside_its_band_the_term_leaves_the_features_to_decide(nlp):
    """A verb the features are sure of either way costs no pass: its score in context is
    its score without."""
    scorer = model()
    term = scorer.context
    assert term is not None and term.band[0] < 0 < term.band[1]
    doc = nlp("The army shelled the village and the rebels fled.")
    shelled = next(t for t in doc if t.lemma_ == "shell")
    assert not term.weighs(scorer.logit(shelled))
    assert scorer.probability(shelled, in_context=True) == scorer.probability(shelled)
    assert scorer.is_cue(shelled, in_context=True) is False
    assert "crosscheck.context_terms" not in doc.user_data


def test_another_encoder_than_a_packaged_one_is_refused(nlp):
    term = ContextTerm("sentence-transformers/all-mpnet-base-v2", WEIGHTS, (-9.0, 9.0))
    with pytest.raises(ModelLoadError, match="packaged encoder"):
        term.value(nlp("The union rejected the offer.")[2])


def _write_model(tmp_path, context) -> object:
    path = tmp_path / "cue_model.json"
    data = {"weights": {"l=say": 1.0}, "bias": -1.0, "threshold": 0.5, "context": context}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "context",
    [
        {"encoder": ENCODER, "weights": "missing.npz", "band": [-1, 1]},
        {"encoder": ENCODER, "weights": "cue_encoder.npz", "band": [1, -1]},
        {"encoder": ENCODER, "weights": "cue_encoder.npz", "band": [1]},
        {"encoder": ENCODER, "weights": "cue_encoder.npz", "band": ["low", "high"]},
        {"encoder": ENCODER, "weights": "cue_encoder.npz"},
    ],
    ids=["weights missing", "empty band", "one bound", "bounds not numbers", "no band"],
)
def test_a_broken_context_term_is_an_error_naming_the_file(tmp_path, context):
    shutil.copy(WEIGHTS, tmp_path / "cue_encoder.npz")
    with pytest.raises(ValueError, match="cue_model.json"):
        load_model(_write_model(tmp_path, context))


def test_weights_cut_from_another_model_are_a_load_error(tmp_path, nlp):
    """A difference file whose names the packaged model does not have (cut from another
    model) fails the load with the file named, not a silent half-adapted encoder."""
    np.savez(
        tmp_path / "other.npz",
        **{"d:decoder.weight": np.ones(3), "head:weight": np.ones(384), "head:bias": np.zeros(1)},
    )
    with pytest.raises(ModelLoadError, match="other.npz.*does not have"):
        load_cue_encoder(ENCODER, tmp_path / "other.npz")


def _stances(nlp, settings, text: str) -> list[tuple[str | None, str]]:
    from comparer.facts.attributions import find_attributions
    from comparer.facts.context import ArticleContext
    from comparer.records import Sentence

    s = Sentence(source_id="s1", index=0, text=text, start=0, end=len(text), paragraph=0)
    facts = find_attributions(
        s, nlp(text), ctx=ArticleContext(source_id="s1", published=None), settings=settings
    )
    return [(f.value.get("speaker"), f.value["cue"]) for f in facts]


# (sentence, attributions by the features alone, in context); my own sentences. The
# features weigh the lemma and its syntax; in context the scorer sees the sense.
IN_CONTEXT = [
    # a trial balloon is a stance; the features alone find "float" too rare to say
    ("The minister floated the idea of a snap election.", [], [("minister", "floated")]),
    # a lexicon speech verb is weighed by its features either way ("said" never waits)
    ("The mayor said the bridge will reopen.", [("mayor", "said")], [("mayor", "said")]),
    # a verb the features already take stays a cue in its sentence
    (
        "The minister brushed aside the criticism.",
        [("minister", "brushed")],
        [("minister", "brushed")],
    ),
]


@pytest.mark.parametrize(
    "text,without,with_context", IN_CONTEXT, ids=[r[0][:40] for r in IN_CONTEXT]
)
def test_the_setting_weighs_verbs_in_their_sentence(nlp, settings, text, without, with_context):
    assert settings.facts.weigh_in_context  # on by default
    off = settings.with_overrides({"facts.weigh_in_context": False})
    assert _stances(nlp, off, text) == without
    assert _stances(nlp, settings, text) == with_context


def test_prefetch_encodes_the_sentences_the_scorer_will_weigh(nlp, settings):
    from comparer.facts.blame import prefetch_context

    weighed = nlp("The minister floated the idea of a snap election.")
    lexicon_only = nlp("The minister said the election is in May.")
    prefetch_context([weighed, lexicon_only], settings)
    assert "crosscheck.context_terms" in weighed.user_data
    # a sentence whose verbs the lexicon decides never costs a pass
    assert "crosscheck.context_terms" not in lexicon_only.user_data
    # and with the setting off nothing is encoded
    off_doc = nlp("The minister floated the idea of a snap election.")
    prefetch_context([off_doc], settings.with_overrides({"facts.weigh_in_context": False}))
    assert "crosscheck.context_terms" not in off_doc.user_data


def test_a_model_librarys_failure_is_one_load_error_naming_the_model():
    """``errors.loading``: what torch, transformers or spaCy raise while a model loads
    becomes one ModelLoadError naming the model, its cause kept; a ModelLoadError raised
    inside (an unknown packaged name) passes through unchanged."""
    from comparer.errors import loading

    with pytest.raises(ModelLoadError, match=r"encoder 'x' failed to load: OSError") as e:
        with loading("encoder 'x'"):
            raise OSError("no config.json in /models/x")
    assert isinstance(e.value.__cause__, OSError)
    with pytest.raises(ModelLoadError, match="^unknown packaged model$"):
        with loading("embedding model"):
            raise ModelLoadError("unknown packaged model")


def test_a_folder_without_an_encoder_is_a_load_error(tmp_path, monkeypatch):
    import comparer.facts.contextual as contextual

    monkeypatch.setattr(contextual, "model_path", lambda setting: str(tmp_path))
    with pytest.raises(ModelLoadError, match="packaged:empty.*failed to load"):
        contextual.load_cue_encoder("packaged:empty", WEIGHTS)


def test_the_facts_stage_keeps_the_logits_in_the_store(nlp, encoder, tmp_path):
    """``read_facts`` hands its store to the encoder's batch: the sentence weighed in
    context has its logits there afterwards, under the encoder's name; one the scorer
    never weighs does not."""
    from comparer.embed import text_key
    from comparer.facts.stage import read_facts
    from comparer.pipeline import read_sources
    from comparer.settings import load_settings
    from comparer.sources import pasted_source
    from comparer.store import Store

    weighed, plain = "The minister floated the idea of a snap election.", "It rained in May."
    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path)})
    [article] = read_sources([pasted_source(f"{weighed} {plain}", "W", "s1")], settings)
    with Store.open(settings) as store:
        read_facts([article], settings, nlp=nlp, store=store)
        kept = store.get_embeddings(encoder.name, [text_key(weighed), text_key(plain)])
    assert set(kept) == {text_key(weighed)}
