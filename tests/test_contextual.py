"""Contextual word vectors for the learned cue scorer (comparer/facts/contextual.py) and the
scorer's term over them (cue_model.ContextTerm), with the real packaged encoder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from comparer.errors import ModelLoadError
from comparer.facts.contextual import MAX_PIECES, load_encoder, mean_over
from comparer.facts.cue_model import ContextTerm, load_model, model

ENCODER = "packaged:all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def encoder():
    return load_encoder(ENCODER, 3)


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


def test_mean_over_states_is_the_mean_vector():
    spans = np.array([(0, 3), (4, 7), (7, 9)])
    states = np.array([[1.0, 0.0], [2.0, 4.0], [4.0, 8.0]])
    assert mean_over(spans, states, 4, 9).tolist() == [3.0, 6.0]


def test_piece_states_cover_the_words_and_leave_the_special_tokens_out(encoder):
    text = "The senator unleashed a tirade."
    spans, states = encoder.piece_states(text)
    assert states.shape == (len(spans), 384)
    pieces = [text[a:b].lower() for a, b in spans]
    assert pieces[:2] == ["the", "senator"] and pieces[-1] == "."
    assert "".join(pieces) == text.lower().replace(" ", "")
    # a long run-on block is cut at the encoder's limit, not refused
    long_spans, _ = encoder.piece_states("word " * 400)
    assert 0 < len(long_spans) <= MAX_PIECES


def test_a_words_state_depends_on_its_sentence(encoder):
    """The point of the encoder: one word, two senses, two vectors (a static vector would
    give the same one)."""

    def state(text: str, word: str) -> np.ndarray:
        spans, states = encoder.piece_states(text)
        at = text.index(word)
        hit = (spans[:, 0] < at + len(word)) & (spans[:, 1] > at)
        return states[hit].mean(0)

    a = state("The senator charges that the donors bought access.", "charges")
    b = state("The bank charges a fee for every transfer.", "charges")
    c = state("The governor charges that the report was rigged.", "charges")
    cos = lambda x, y: float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))  # noqa: E731
    assert cos(a, c) > cos(a, b)


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


def test_a_context_term_off_its_direction_adds_its_offset_only(nlp):
    term = ContextTerm(ENCODER, 3, np.zeros(384, dtype=np.float32), 0.25)
    doc = nlp("The mayor laid out her plan.")
    assert term.value(doc[2]) == pytest.approx(0.25)


def test_another_encoder_than_a_packaged_one_is_refused(nlp):
    term = ContextTerm("sentence-transformers/all-mpnet-base-v2", 3, np.ones(4), 0.0)
    with pytest.raises(ModelLoadError, match="packaged encoder"):
        term.value(nlp("The union rejected the offer.")[2])


@pytest.mark.parametrize(
    "context",
    [
        {"encoder": ENCODER, "layers": 3, "direction": [], "offset": 0.0},
        {"encoder": ENCODER, "layers": 3, "direction": [[1.0, 2.0]], "offset": 0.0},
        {"encoder": ENCODER, "layers": 3, "offset": 0.0},
        {"encoder": ENCODER, "layers": "three", "direction": [1.0], "offset": 0.0},
    ],
    ids=["empty direction", "a matrix", "no direction", "layers not a number"],
)
def test_a_broken_context_term_is_an_error_naming_the_file(tmp_path, context):
    path = tmp_path / "cue_model.json"
    data = {"weights": {"l=say": 1.0}, "bias": -1.0, "threshold": 0.5, "context": context}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="cue_model.json"):
        load_model(path)


def _stances(nlp, settings, text: str) -> list[tuple[str | None, str]]:
    from comparer.facts.attributions import find_attributions
    from comparer.facts.context import ArticleContext
    from comparer.records import Sentence

    s = Sentence(source_id="s1", index=0, text=text, start=0, end=len(text), paragraph=0)
    facts = find_attributions(
        s, nlp(text), ctx=ArticleContext(source_id="s1", published=None), settings=settings
    )
    return [(f.value.get("speaker"), f.value["cue"]) for f in facts]


# (sentence, attributions without the contextual term, with it); my own sentences. The
# features alone weigh the lemma and its syntax; in context the scorer sees the sense.
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
    assert not settings.facts.weigh_in_context  # off by default: it costs a pass per sentence
    on = settings.with_overrides({"facts.weigh_in_context": True})
    assert _stances(nlp, settings, text) == without
    assert _stances(nlp, on, text) == with_context


def test_batched_states_are_the_states_one_by_one(encoder):
    """Padding a short sentence to a long one's length in a batch changes none of its
    states (the mask keeps the padding out), so a prefetched term scores as a lazy one."""
    texts = [
        "The minister floated the idea of a snap election.",
        "Protesters, who had gathered outside the parliament since dawn, rejected the offer "
        "the government made on Sunday night.",
        "It rained.",
    ]
    many = encoder.piece_states_many(texts)
    for text, (spans, states) in zip(texts, many, strict=True):
        one_spans, one_states = encoder.piece_states(text)
        assert np.array_equal(spans, one_spans)
        assert np.allclose(states, one_states, atol=1e-4)
    assert encoder.piece_states_many([]) == []


def test_prefetch_encodes_the_sentences_the_scorer_will_weigh(nlp, settings):
    from comparer.facts.blame import prefetch_context

    on = settings.with_overrides({"facts.weigh_in_context": True})
    weighed = nlp("The minister floated the idea of a snap election.")
    lexicon_only = nlp("The minister said the election is in May.")
    prefetch_context([weighed, lexicon_only], on)
    assert "crosscheck.context_terms" in weighed.user_data
    # a sentence whose verbs the lexicon decides never costs a pass
    assert "crosscheck.context_terms" not in lexicon_only.user_data
    # and with the setting off nothing is encoded
    off_doc = nlp("The minister floated the idea of a snap election.")
    prefetch_context([off_doc], settings)
    assert "crosscheck.context_terms" not in off_doc.user_data


def test_a_model_librarys_failure_is_one_load_error_naming_the_model():
    """``errors.loading``: what torch, transformers or spaCy raise while a model loads
    becomes one ModelLoadError naming the model, its cause kept; a ModelLoadError raised
    inside (an unknown packaged name) passes through unchanged."""
    from comparer.errors import loading

    with pytest.raises(
        ModelLoadError, match=r"encoder 'x' \(3 layers\) failed to load: OSError"
    ) as e:
        with loading("encoder 'x' (3 layers)"):
            raise OSError("no config.json in /models/x")
    assert isinstance(e.value.__cause__, OSError)
    with pytest.raises(ModelLoadError, match="^unknown packaged model$"):
        with loading("embedding model"):
            raise ModelLoadError("unknown packaged model")


def test_a_folder_without_an_encoder_is_a_load_error(tmp_path, monkeypatch):
    import comparer.facts.contextual as contextual

    monkeypatch.setattr(contextual, "model_path", lambda setting: str(tmp_path))
    with pytest.raises(ModelLoadError, match="packaged:empty.*failed to load"):
        contextual.load_encoder("packaged:empty", 3)
