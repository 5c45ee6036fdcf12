"""The learned cue scorer (comparer/facts/cue_model.py) and the stances it adds: which verbs
outside the lexicon become attributions, which never do, and that a stance credits no figure."""

from __future__ import annotations

import json

import pytest

from comparer.disagreements.rules import is_credit
from comparer.facts.attributions import find_attributions
from comparer.facts.context import ArticleContext
from comparer.facts.cue_model import features, load_model, model, subject_of
from comparer.records import Fact, Sentence

CTX = ArticleContext(source_id="s1", published=None)


def read(nlp, settings, text: str) -> list[tuple[str, str | None, str, str]]:
    s = Sentence(source_id="s1", index=0, text=text, start=0, end=len(text), paragraph=0)
    facts = find_attributions(s, nlp(text), ctx=CTX, settings=settings)
    return [(f.text, f.value.get("speaker"), f.value["cue"], f.value["cue_kind"]) for f in facts]


# (sentence, expected attributions as (evidence, speaker, cue, cue kind)); my own sentences.
ROWS = [
    # stances the lexicon does not hold, read by the scorer: the subject holds them
    (
        "The mayor laid out her plan for the flooded district on Tuesday.",
        [("The mayor laid out", "mayor", "laid out", "stance")],
    ),
    (
        "The opposition party is defending its leader after the vote.",
        [("The opposition party is defending", "opposition party", "defending", "stance")],
    ),
    (
        "The union rejected the offer late on Friday.",
        [("The union rejected", "union", "rejected", "stance")],
    ),
    (
        "The company acknowledged the error in a filing.",
        [("The company acknowledged", "company", "acknowledged", "stance")],
    ),
    # tallies are lexicon cues: the body that counts is the source of the figure
    (
        "The Syrian Observatory documented 24 deaths in the province.",
        [("The Syrian Observatory documented", "Syrian Observatory", "documented", "speech")],
    ),
    (
        "Local activists counted 31 bodies.",
        [("Local activists counted", "Local activists", "counted", "speech")],
    ),
    # acts of war and physical acts are events, never statements
    ("The army shelled the town overnight.", []),
    ("Rebels seized the airport on Sunday.", []),
    ("Police arrested three men near the border.", []),
    ("The president ordered an investigation into the crash.", []),
    ("They opened fire on the crowd.", []),
    ("The coalition launched a new offensive.", []),
    ("The storm destroyed dozens of homes.", []),
    ("Volunteers pulled survivors from the rubble.", []),
    # a headline's title case, and "it" or "you" as the holder, are not read
    ("Read also: Governor Signs New Budget Into Law", []),
    ("It rained heavily in the valley.", []),
    # a lexicon verb the rules turned down stays down, whatever the score
    ("Police told residents to leave the area.", []),
    ("He called the governor on Monday.", []),
    # a stance inside what a rule's cue reports is content, not a second attribution
    (
        "The spokesman said the council rejected the offer.",
        [("The spokesman said", "spokesman", "said", "speech")],
    ),
]


@pytest.mark.parametrize("text,expected", ROWS, ids=[r[0][:40] for r in ROWS])
def test_learned_stances(nlp, settings, text, expected):
    assert read(nlp, settings, text) == expected


def test_a_stance_next_to_a_responsibility_reading_is_not_repeated(nlp, settings):
    text = "The militia denied involvement in the bombing."
    s = Sentence(source_id="s1", index=0, text=text, start=0, end=len(text), paragraph=0)
    facts = find_attributions(s, nlp(text), ctx=CTX, settings=settings)
    assert [f.value["relation"] for f in facts] == ["responsibility"]


def test_the_shipped_model_scores_a_cue_above_an_act(nlp):
    scorer = model()
    said = next(t for t in nlp("The union rejected the offer.") if t.lemma_ == "reject")
    shelled = next(t for t in nlp("The army shelled the town.") if t.lemma_ == "shell")
    assert scorer.probability(said) >= scorer.threshold > scorer.probability(shelled)
    assert 0.0 < scorer.threshold < 1.0


def test_features_name_the_lemma_the_subject_and_the_particle(nlp):
    doc = nlp("The mayor laid out her plan.")
    laid = next(t for t in doc if t.lemma_ == "lay")
    feats = features(laid)
    assert "l=lay" in feats and "lp=lay|out" in feats and "s=NOUN" in feats
    assert subject_of(laid).text == "mayor"
    passive = nlp("The plan was endorsed by the Times.")
    endorsed = next(t for t in passive if t.lemma_ == "endorse")
    assert subject_of(endorsed).text == "Times"


@pytest.mark.parametrize(
    "content",
    ["not json", json.dumps({"bias": 0.1, "threshold": 0.5}), json.dumps([1, 2])],
    ids=["not json", "no weights", "a list"],
)
def test_a_broken_model_file_is_an_error_naming_it(tmp_path, content):
    path = tmp_path / "cue_model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="cue_model.json"):
        load_model(path)


def test_a_stance_credits_no_figure():
    def attribution(cue_kind: str) -> Fact:
        value = {"relation": "source", "speaker": "union", "cue": "x", "cue_kind": cue_kind}
        return Fact("s1", 0, "attribution", "union x", 0, 7, value)

    assert is_credit(attribution("speech"))
    assert is_credit(attribution("according-to"))
    assert not is_credit(attribution("stance"))


# Lexicon readings the scorer turns down in their sentence, and those it may not.
FILTER_ROWS = [
    # a wish nobody voiced: a thought verb the scorer finds unlikely here
    ("Many parents still want neighborhood schools.", []),
    # a refusal stays whatever its score
    (
        "Through a spokesman, the mayor declined to comment.",
        [("the mayor declined to comment", "mayor", "declined to comment", "speech")],
    ),
]


@pytest.mark.parametrize("text,expected", FILTER_ROWS, ids=[r[0][:40] for r in FILTER_ROWS])
def test_unlikely_lexicon_readings(nlp, settings, text, expected):
    """By the features alone (the model the floors were set on)."""
    off = settings.with_overrides({"facts.weigh_in_context": False})
    assert read(nlp, off, text) == expected


def test_in_context_a_wish_held_by_a_group_is_a_stance(nlp, settings):
    """The floor turns the thought verb down; weighed in its sentence (the default), the
    cue encoder takes it, as PolNeAR's annotators do: a stance, which credits no figure."""
    assert read(nlp, settings, "Many parents still want neighborhood schools.") == [
        ("Many parents still want", "Many parents", "want", "stance")
    ]


def test_a_stance_reads_as_one():
    from comparer.describe import describe_value

    value = {"relation": "source", "speaker": "union", "canonical": "union"}
    stance = {**value, "type": "organisation", "cue": "rejected", "cue_kind": "stance"}
    said = {**value, "type": "organisation", "cue": "said", "cue_kind": "speech"}
    assert describe_value("attribution", stance) == "union (organisation), stance: rejected"
    assert describe_value("attribution", said) == "union (organisation)"


def test_the_shipped_weights_speak_the_features_of_today(nlp):
    """Every weight is for a kind of feature ``features`` still makes: a change of features
    without retraining (bench/train_cue_model.py) would leave weights that never fire."""
    doc = nlp(
        'The mayor, who had not been told, said on Monday that she would "fight it" and '
        "went on to reject the plan that the council had endorsed."
    )
    made = {f.split("=", 1)[0] for t in doc for f in features(t)}
    shipped = {name.split("=", 1)[0] for name in model().weights}
    assert shipped <= made, shipped - made
    assert len(model().weights) > 1000
