"""Title-case headlines are parsed in sentence case, with the article's names kept."""

from __future__ import annotations

import pytest

from comparer.facts import stage
from comparer.facts.headlines import is_title_case, names_in, sentence_cased
from comparer.pipeline import read_sources
from comparer.sources import pasted_source

BODY = (
    "Members of the caucus said on Tuesday that Governor Daniel Okafor had misled voters. "
    "Okafor, speaking to reporters in Lagos, rejected the charge. "
    "The GOP did not comment."
)
NAMES = names_in([BODY])


@pytest.mark.parametrize(
    "text, expected",
    [
        # verbs and common nouns lowered; the article's names, acronyms and the first word kept
        (
            "Black Lawmakers Rip Governor Okafor As A 'Disgusting Fraud'",
            "Black lawmakers rip Governor Okafor as a 'disgusting fraud'",
        ),
        ("Caucus Says GOP Misled Voters In Lagos", "Caucus says GOP misled voters in Lagos"),
        # a known given name stays even where the article never writes it mid-sentence
        (
            "Senators Grill Maria About Her Budget Plans",
            "Senators grill Maria about her budget plans",
        ),
        ("McConnell Blocks The Vote On Tuesday", "McConnell blocks the vote on Tuesday"),
        # an ordinary sentence is left as written
        ("The caucus said Okafor misled voters.", "The caucus said Okafor misled voters."),
        ("Okafor Wins", "Okafor Wins"),  # too short to tell a headline
    ],
)
def test_sentence_cased(text, expected):
    out = sentence_cased(text, NAMES)
    assert out == expected
    assert len(out) == len(text)


def test_names_come_from_running_text_only():
    assert {"Governor", "Daniel", "Okafor", "Lagos", "Tuesday"} <= NAMES
    assert "Members" not in NAMES  # a sentence's first word says nothing
    # a title-case line is no evidence of names
    assert "Rip" not in names_in(["Black Lawmakers Rip Governor Okafor As A Fraud", BODY])
    assert is_title_case("Black Lawmakers Rip Governor Okafor As A Fraud")
    assert not is_title_case(BODY)


def test_a_title_case_headline_gets_its_attribution(nlp, settings):
    text = "Black Lawmakers Rip Governor Okafor As A 'Disgusting Fraud'\n\n" + BODY
    article = read_sources([pasted_source(text, "Example", "s1")], settings)[0]
    assert article.sentences[0].text.startswith("Black Lawmakers Rip")
    facts = stage.extract_facts([article], settings, nlp=nlp)
    head = [f for f in facts if f.sentence == 0 and f.kind == "attribution"]
    assert [(f.value["speaker"], f.value["cue"]) for f in head] == [("Black lawmakers", "rip")]
    # the evidence is the headline as written, not its sentence-cased parse
    assert head[0].text == "Black Lawmakers Rip"
