"""Figures (counts) in wire-copy sentences, read with the real spaCy pipeline."""

from __future__ import annotations

import pytest

from comparer.facts.context import ArticleContext
from comparer.facts.figures import find_figures
from comparer.facts.numbers import (
    about_band,
    may_hold_figure,
    parse_number,
    read_number_at,
    vague_band,
)
from comparer.records import Sentence

CTX = ArticleContext(source_id="s1", published=None)
SEED_ROCKETS = (
    "On February 15, three 107 mm rockets targeted the Iraqi airbase in Irbil, where US "
    "troops are stationed, killing one U.S.-led coalition contractor and wounding US "
    "service members and others, Iraqi security officials, raising concerns of fresh "
    "warfare, coalition officials announced."
)
SEED_PENTAGON = (
    "The Pentagon press secretary confirmed to reporters that the US airstrike was in "
    "revenge for recent missile attacks on US bases in Iraq and coalition forces and "
    "civilians, including wounded an American service member and killed a civilian "
    "contractor."
)


def figures(nlp, settings, text, index=0):
    sentence = Sentence(source_id="s1", index=index, text=text, start=0, end=len(text), paragraph=0)
    return find_figures(sentence, nlp(text), ctx=CTX, settings=settings)


def rows(facts):
    return [
        (
            f.text,
            f.value["low"],
            f.value["high"],
            f.value["counted"],
            f.value["role"],
            f.value["calibre"],
        )
        for f in facts
    ]


# (sentence, [(evidence span, low, high, counted, role, calibre), ...]); [] = no count at all
TABLE = [
    (
        SEED_ROCKETS,
        [
            ("three 107 mm rockets", 3, 3, "rocket", None, "107 mm"),
            ("killing one U.S.-led coalition contractor", 1, 1, "contractor", "killed", None),
        ],
    ),
    (
        SEED_PENTAGON,
        [
            ("wounded an American service member", 1, 1, "service member", "wounded", None),
            ("killed a civilian contractor", 1, 1, "contractor", "killed", None),
        ],
    ),
    (
        "At least 17 Iranian-backed militia fighters were killed in the strikes, the Syrian "
        "Observatory for Human Rights said.",
        [
            (
                "At least 17 Iranian-backed militia fighters were killed",
                17,
                None,
                "fighter",
                "killed",
                None,
            )
        ],
    ),
    (
        "The strike killed 22 people, most of them fighters, the monitor said.",
        [("killed 22 people", 22, 22, "person", "killed", None)],
    ),
    (
        "The death toll rose to 22, according to the war monitor.",
        [("death toll rose to 22", 22, 22, "person", "killed", None)],
    ),
    (
        "The toll rose from 17 to 22 on Friday.",
        [("toll rose from 17 to 22", 22, 22, "person", "killed", None)],
    ),
    (
        "Seventeen fighters were killed, the monitor said.",
        [("Seventeen fighters were killed", 17, 17, "fighter", "killed", None)],
    ),
    (
        "One militia member was killed and several were wounded, a militia official told Reuters.",
        [
            ("One militia member was killed", 1, 1, "militia member", "killed", None),
            ("several were wounded", 3, 9, "person", "wounded", None),
        ],
    ),
    (
        "The Pentagon said the strikes destroyed nine facilities and damaged two others.",
        [
            ("nine facilities", 9, 9, "facility", None, None),
            ("two others", 2, 2, "other", None, None),
        ],
    ),
    (
        "More than 20 rockets were fired at the base.",
        [("More than 20 rockets", 21, None, "rocket", None, None)],
    ),
    (
        "Up to five drones were shot down, officials said.",
        [("Up to five drones", 0, 5, "drone", None, None)],
    ),
    (
        "As many as 40 people may have been killed.",
        [("As many as 40 people", 0, 40, "person", "killed", None)],
    ),
    (
        "Some 500 troops are stationed at the base.",
        [("Some 500 troops", 450, 550, "troop", None, None)],
    ),
    (
        "About 2,500 U.S. troops remain in Iraq.",
        [("About 2,500 U.S. troops", 2250, 2750, "troop", None, None)],
    ),
    (
        "Between 100 and 300 fighters were in the area, an official said.",
        [("Between 100 and 300 fighters", 100, 300, "fighter", None, None)],
    ),
    (
        "The group keeps 100-300 fighters in the town.",
        [("100-300 fighters", 100, 300, "fighter", None, None)],
    ),
    (
        "Dozens of fighters were wounded.",
        [("Dozens of fighters were wounded", 20, 99, "fighter", "wounded", None)],
    ),
    (
        "Hundreds of thousands of people have fled the fighting.",
        [("Hundreds of thousands of people", 200_000, 999_999, "person", None, None)],
    ),
    (
        "Two or three rockets landed near the airport.",
        [("Two or three rockets", 2, 3, "rocket", None, None)],
    ),
    (
        "The strike left 22 dead and dozens wounded.",
        [
            ("22 dead", 22, 22, "person", "killed", None),
            ("dozens wounded", 20, 99, "person", "wounded", None),
        ],
    ),
    (
        "The attack killed three and wounded five.",
        [
            ("killed three", 3, 3, "person", "killed", None),
            ("wounded five", 5, 5, "person", "wounded", None),
        ],
    ),
    (
        "A security source told Reuters 17 people were killed.",
        [("17 people were killed", 17, 17, "person", "killed", None)],
    ),
    (
        "Three people were reported missing after the attack.",
        [("Three people were reported missing", 3, 3, "person", "missing", None)],
    ),
    (
        "The militants captured two soldiers.",
        [("captured two soldiers", 2, 2, "soldier", "captured", None)],
    ),
    (
        "A rocket attack killed a civilian contractor and wounded nine others, including a US service member.",
        [
            ("killed a civilian contractor", 1, 1, "contractor", "killed", None),
            ("wounded nine others", 9, 9, "person", "wounded", None),
            ("a US service member", 1, 1, "service member", "wounded", None),
        ],
    ),
    (
        "Nearly 2.5 million people live in the province.",
        [("Nearly 2.5 million people", 2_250_000, 2_750_000, "person", None, None)],
    ),
    ("A handful of militants escaped.", [("A handful of militants", 2, 6, "militant", None, None)]),
    (
        "No one was hurt in the attack, the Pentagon said.",
        [("No one was hurt", 0, 0, "person", "wounded", None)],
    ),
    (
        "Two F-15E jets dropped seven 500-pound precision-guided bombs.",
        [
            ("Two F-15E jets", 2, 2, "jet", None, None),
            ("seven 500-pound precision-guided bombs", 7, 7, "bomb", None, "500 pound"),
        ],
    ),
    (
        "Nearly a dozen rockets hit the base, and more than a dozen people were hurt.",
        [
            ("Nearly a dozen rockets", 10, 14, "rocket", None, None),
            ("more than a dozen people were hurt", 13, None, "person", "wounded", None),
        ],
    ),
    (
        "Twenty-two soldiers and one hundred and fifty civilians were evacuated.",
        [
            ("Twenty-two soldiers", 22, 22, "soldier", None, None),
            ("one hundred and fifty civilians", 150, 150, "civilian", None, None),
        ],
    ),
    (
        "Iraqi officials said two 122 mm rockets hit the embassy compound.",
        [("two 122 mm rockets", 2, 2, "rocket", None, "122 mm")],
    ),
    (
        "Five of them were killed and 12 of the 30 passengers were injured.",
        [
            ("Five of them were killed", 5, 5, "person", "killed", None),
            ("12 of the 30 passengers were injured", 12, 12, "passenger", "wounded", None),
            ("30 passengers were injured", 30, 30, "passenger", "wounded", None),
        ],
    ),
    (
        "The strike killed 22, including 17 fighters.",
        [
            ("killed 22", 22, 22, "person", "killed", None),
            ("17 fighters", 17, 17, "fighter", "killed", None),
        ],
    ),
    (
        "Fewer than 10 civilians were killed, and no US personnel were hurt.",
        [
            ("Fewer than 10 civilians were killed", 0, 9, "civilian", "killed", None),
            ("no US personnel were hurt", 0, 0, "personnel", "wounded", None),
        ],
    ),
    (
        "The 2019 attacks killed 2000 people.",
        [("killed 2000 people", 2000, 2000, "person", "killed", None)],
    ),
    (
        "Two rockets slammed into the base, wounding five.",
        [
            ("Two rockets", 2, 2, "rocket", None, None),
            ("wounding five", 5, 5, "person", "wounded", None),
        ],
    ),
    (
        "At least one person was killed and five others wounded in the rocket attack on Feb. 15.",
        [
            ("At least one person was killed", 1, None, "person", "killed", None),
            ("five others wounded", 5, 5, "person", "wounded", None),
        ],
    ),
    (
        "A militia official said one fighter had been killed and several wounded.",
        [
            ("one fighter had been killed", 1, 1, "fighter", "killed", None),
            ("several wounded", 3, 9, "person", "wounded", None),
        ],
    ),
    (
        "The Observatory put the death toll at 22.",
        [("death toll at 22", 22, 22, "person", "killed", None)],
    ),
    # "the number of victims" is a toll by another name, even with an editor's insertion
    (
        "The number of victims [in the explosion] is at least 70; over 130 are injured.",
        [
            (
                "number of victims [in the explosion] is at least 70",
                70,
                None,
                "person",
                "killed",
                None,
            ),
            ("over 130 are injured", 131, None, "person", "wounded", None),
        ],
    ),
    (
        "The number of injured rose to 41.",
        [("number of injured rose to 41", 41, 41, "person", "wounded", None)],
    ),
    ("A number of victims were taken to hospital.", []),
    # the state an attack left people in, past a parenthesis between dashes
    (
        "Clashes have rocked the city leaving 23 civilians - including nine children - dead, "
        "the monitor said.",
        [
            ("23 civilians", 23, 23, "civilian", "killed", None),
            ("nine children", 9, 9, "child", "killed", None),
        ],
    ),
    (
        "The attack left 12 soldiers wounded.",
        [("12 soldiers wounded", 12, 12, "soldier", "wounded", None)],
    ),
    ("They left 40 trucks at the border and fled.", [("40 trucks", 40, 40, "truck", None, None)]),
    (
        "A video showed the execution of 17 young men from the town.",
        [("17 young men", 17, 17, "man", "killed", None)],
    ),
    (
        "In 2020, 3 American troops were killed in a rocket attack at Camp Taji.",
        [("3 American troops were killed", 3, 3, "troop", "killed", None)],
    ),
    ("Two Boeing 737 jets were damaged.", [("Two Boeing 737 jets", 2, 2, "jet", None, None)]),
    # who reports is not what happened: "two officials" is no figure
    (
        "Two officials told Reuters that 17 fighters died.",
        [("17 fighters died", 17, 17, "fighter", "killed", None)],
    ),
    # a headline that lost its colon: the source after the count is not what is counted
    (
        "Aleppo bomb blast kills six Syrian state TV",
        [("kills six Syrian state TV", 6, 6, "person", "killed", None)],
    ),
    (
        "Suicide attack on wedding kills 32 Medical source AFP",
        [("kills 32 Medical source", 32, 32, "person", "killed", None)],
    ),
    # the event is not one of its dead; a title cut short leaves no counted noun
    ("A bomb blast killed six people.", [("killed six people", 6, 6, "person", "killed", None)]),
    (
        "Aleppo bomb blast kills six Syrian state",
        [("kills six Syrian state", 6, 6, "person", "killed", None)],
    ),
    # who reports is not one of the dead; a clock before a dotted date is no count
    (
        "The missile strike killed four children an informed source in Homs told Sputnik.",
        [("killed four children", 4, 4, "child", "killed", None)],
    ),
    (
        "(updated 1601 07.04.2017) The strike killed four.",
        [("killed four", 4, 4, "person", "killed", None)],
    ),
    # not counts: years, dates, clock times, ordinals, calibres, designations, money, measures
    ("The war began in 2011 and the attack happened on Feb. 15, 2021.", []),
    ("The base was hit at 6 PM East Standard Time on February 15.", []),
    ("It was the first strike of Biden's presidency and the 3rd this year.", []),
    ("Iraqi officials said the rockets were 122 mm Katyushas.", []),
    ("The F-15 and the Boeing 737 are American-made aircraft.", []),
    ("The UN Security Council passed Resolution 2254 in 2015.", []),
    ("Traffic on Route 4 resumed at 6 p.m. local time.", []),
    ("The aid package is worth $5 million, or 20 percent of the budget.", []),
    ("The strikes came about 5 miles from the border and lasted 24 hours.", []),
    ("US jets dropped 500-pound bombs.", []),
    ("It was one of the deadliest attacks in years.", []),
    ("A rocket attack hit the base on Thursday.", []),
    ("Flight 752 was shot down in January 2020.", []),
    # a parent's children are no count of the event
    (
        "The strike killed Omar, 41, a father of five.",
        [("a father", 1, 1, "father", "killed", None)],
    ),
    # a modifier shared across "and": the fighters are counted, not the "regime"
    (
        "At least 70 regime and rebel fighters have been killed in 24 hours near the city.",
        [
            (
                "At least 70 regime and rebel fighters have been killed",
                70,
                None,
                "fighter",
                "killed",
                None,
            )
        ],
    ),
    (
        "Twelve army and police officers were killed in the ambush.",
        [("Twelve army and police officers were killed", 12, 12, "officer", "killed", None)],
    ),
    # ... but a second noun with a count of its own is counted on its own
    (
        "One man and two women were wounded.",
        [
            ("One man", 1, 1, "man", "wounded", None),
            ("two women were wounded", 2, 2, "woman", "wounded", None),
        ],
    ),
    # a closing tag that lost its comma: the charity speaks, it is not counted
    (
        "Air strikes on the clinic killed 13 people MSF said on Monday.",
        [("killed 13 people", 13, 13, "person", "killed", None)],
    ),
]


@pytest.mark.parametrize("text,expected", TABLE, ids=[t[0][:40] for t in TABLE])
def test_figure_table(nlp, settings, text, expected):
    facts = figures(nlp, settings, text)
    assert rows(facts) == expected
    for f in facts:
        assert text[f.start : f.end] == f.text
        assert (f.kind, f.source_id, f.sentence) == ("figure", "s1", 0)


@pytest.mark.parametrize(
    "text,qualifier,number_text",
    [
        ("At least 17 fighters were killed.", "at_least", "17"),
        ("More than 20 rockets were fired.", "more_than", "20"),
        ("Up to five drones were shot down.", "up_to", "five"),
        ("About 500 troops remain.", "about", "500"),
        ("Between 100 and 300 fighters fled.", "between", "100 and 300"),
        ("Dozens of fighters were wounded.", "vague", "Dozens"),
        ("Seventeen fighters were killed.", "exact", "Seventeen"),
        ("Nearly 2.5 million people live there.", "about", "2.5 million"),
        ("Twenty or so rockets were fired.", "about", "Twenty or so"),
    ],
)
def test_qualifier_and_number_text(nlp, settings, text, qualifier, number_text):
    [fact] = figures(nlp, settings, text)
    assert (fact.value["qualifier"], fact.value["number_text"]) == (qualifier, number_text)


def test_seed_event_hint_ties_figures_to_date_and_canonical_place(nlp, settings):
    facts = figures(nlp, settings, SEED_ROCKETS)
    assert [f.value["event_hint"] for f in facts] == ["February 15; Erbil", "February 15; Erbil"]


def test_event_hint_is_shared_by_conjoined_clauses(nlp, settings):
    facts = figures(
        nlp,
        settings,
        "The rocket attack on Feb. 15 killed one civilian contractor and wounded nine others.",
    )
    assert [f.value["event_hint"] for f in facts] == ["Feb. 15", "Feb. 15"]


def test_subset_marks_partitive_and_including(nlp, settings):
    facts = figures(
        nlp, settings, "The strike killed 22, including 17 fighters. Seven of the dead were Iraqi."
    )
    assert [(f.text, f.value["subset"]) for f in facts] == [
        ("killed 22", False),
        ("17 fighters", True),
        ("Seven of the dead", True),
    ]


def test_about_band_comes_from_settings(nlp, settings):
    wide = settings.with_overrides({"facts.about_band": 0.2})
    [fact] = figures(nlp, wide, "About 500 troops remain in Iraq.")
    assert (fact.value["low"], fact.value["high"]) == (400, 600)


def test_offsets_index_the_sentence_text(nlp, settings):
    text = "  Officials said 3 rockets hit the base."
    sentence = Sentence(
        source_id="s1", index=4, text=text, start=10, end=10 + len(text), paragraph=2
    )
    [fact] = find_figures(sentence, nlp(text.strip()), ctx=CTX, settings=settings)
    assert (fact.text, fact.start, fact.end, fact.sentence) == ("3 rockets", 17, 26, 4)


def test_no_doc_means_no_figures(settings):
    sentence = Sentence(source_id="s1", index=0, text="17 fighters", start=0, end=11, paragraph=0)
    assert find_figures(sentence, None, ctx=CTX, settings=settings) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u00a0\n",
        "1e9 -1 0 ::",
        "99999999999999999999999 people were killed",
        "9" * 400 + " rockets",
        "at least at least more than up to - and",
        "between and 3 to",
        "a a a an an the of of",
        "\U0001f600 22 \U0001f600 killed",
        "No. # 0 , . 1,2,3 .5 fighters",
        "the death toll toll toll rose to",
        "Hundreds of of thousands of",
        "killing a",
    ],
)
def test_odd_input_never_raises_and_spans_hold(nlp, settings, text):
    for f in figures(nlp, settings, text):
        assert text[f.start : f.end] == f.text
        assert f.value["high"] is None or f.value["high"] >= f.value["low"]


@pytest.mark.parametrize(
    "words,value",
    [
        (["22"], 22),
        (["1,500"], 1500),
        (["2.5", "million"], 2_500_000),
        (["Seventeen"], 17),
        (["twenty", "-", "two"], 22),
        (["one", "hundred", "and", "fifty"], 150),
        (["a", "dozen"], 12),
        (["two", "dozen"], 24),
        (["half", "a", "dozen"], 6),
        (["a", "thousand"], 1000),
        (["three", "four"], None),
        (["3rd"], None),
        (["F-15"], None),
        (["18:00"], None),
        (["and"], None),
    ],
)
def test_parse_number(words, value):
    assert parse_number(words) == value


def test_vague_and_about_bands():
    assert vague_band("dozens") == (20, 99)
    assert vague_band("several", 100) == (300, 999)
    assert vague_band("hundreds", 1000) == (200_000, 999_999)
    assert vague_band("numerous") == (2, None)
    assert vague_band("lots") is None
    assert about_band(500, 0.1) == (450, 550)
    assert about_band(22, 0.1) == (19, 25)


def test_read_number_keeps_only_the_new_value_of_a_change():
    run = read_number_at("the toll rose from 17 to 22".split(), 4)
    assert (run.start, run.low, run.high, run.qualifier) == (6, 22, 22, "exact")
    run = read_number_at("fighting raged from 17 to 22 february".split(), 3)
    assert (run.low, run.high, run.qualifier) == (17, 22, "between")


@pytest.mark.parametrize(
    "text,cue",
    [
        ("killed a civilian contractor", True),
        ("No one was hurt.", True),
        ("Seventeen fighters", True),
        ("a handful of militants", True),
        ("Gunmen executed a policeman.", True),
        ("3 rockets", True),
        ("The Pentagon did not blame the attack.", False),
        ("Skilled workers left the base.", False),
    ],
)
def test_pre_filter_lets_through_every_sentence_a_figure_can_come_from(nlp, settings, text, cue):
    assert may_hold_figure(text) is cue
    if not cue:
        assert figures(nlp, settings, text) == []
