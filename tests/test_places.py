"""Place names in wire-copy sentences, mapped to the shipped gazetteer (real spaCy pipeline)."""

from __future__ import annotations

import pytest

from comparer.facts.context import ArticleContext
from comparer.facts.gazetteer import lookup, tables, valid_zone
from comparer.facts.places import article_places, find_places, place_level, place_zone
from comparer.records import Sentence
from comparer.sentences import split_sentences
from comparer.sources import split_header
from tests.conftest import SEED

CTX = ArticleContext(source_id="s1", published=None)


def sentence(text, index=0):
    return Sentence(source_id="s1", index=index, text=text, start=0, end=len(text), paragraph=0)


def places(nlp, settings, text, *, parse=True):
    facts = find_places(sentence(text), nlp(text) if parse else None, ctx=CTX, settings=settings)
    for f in facts:  # every span is exact evidence
        assert text[f.start : f.end] == f.text == f.value["name"]
        assert f.kind == "place"
    return facts


def rows(facts):
    return [
        (f.text, f.value["canonical"], f.value["zone"], f.value["country"], f.value["level"])
        for f in facts
    ]


DAM, BAG = "Asia/Damascus", "Asia/Baghdad"
# (sentence, [(span, canonical, zone, country, level), ...])
TABLE = [
    (
        "A top US official told Fox News that the strike was intended to stop rocket attacks by the "
        "militia group that recently struck Baghdad and Erbil.",
        [("Baghdad", "Baghdad", BAG, "Iraq", "city"), ("Erbil", "Erbil", BAG, "Iraq", "city")],
    ),
    (
        "On February 15, three 107 mm rockets targeted the Iraqi airbase in Irbil, where US troops "
        "are stationed.",
        [("Irbil", "Erbil", BAG, "Iraq", "city")],
    ),
    (
        "US troops attacked a border checkpoint in eastern Syria used by Iranian-backed groups.",
        [("eastern Syria", "eastern Syria", DAM, "Syria", "region")],
    ),
    (
        "We have worked to de-escalate the overall situation in East Syria and Iraq.",
        [
            ("East Syria", "eastern Syria", DAM, "Syria", "region"),
            ("Iraq", "Iraq", BAG, "Iraq", "country"),
        ],
    ),
    (
        "The strikes hit near Abu Kamal on the Syria-Iraq border, the monitor said.",
        [
            ("Abu Kamal", "Al Bukamal", DAM, "Syria", "town"),
            ("Syria-Iraq border", "Syria\u2013Iraq border", None, None, "region"),
        ],
    ),
    (
        "The raid hit a border post outside Boukamal, the Syrian town that faces Al-Qa'im across "
        "the frontier.",
        [
            ("Boukamal", "Al Bukamal", DAM, "Syria", "town"),
            ("Al-Qa'im", "Al Qaim", BAG, "Iraq", "town"),
        ],
    ),
    (
        "Militia convoys moved from Al Mayadin in Deir el-Zour province toward the border.",
        [
            ("Al Mayadin", "Al Mayadin", DAM, "Syria", "town"),
            ("Deir el-Zour province", "Deir ez-Zor province", DAM, "Syria", "region"),
        ],
    ),
    ("The Washington Post first reported the strike, citing Michael Jordan, a contractor.", []),
    (
        "Officials in Kiev and Ankara spoke with the U.K. about the Syrian capital Damascus.",
        [
            ("Kiev", "Kyiv", "Europe/Kyiv", "Ukraine", "city"),
            ("Ankara", "Ankara", "Europe/Istanbul", "Turkey", "city"),
            ("U.K.", "United Kingdom", "Europe/London", "United Kingdom", "country"),
            ("Damascus", "Damascus", DAM, "Syria", "city"),
        ],
    ),
    (
        "Rockets landed near Erbil International Airport, the Baghdad Operations Command said.",
        [("Erbil", "Erbil", BAG, "Iraq", "city")],
    ),
    (
        "The strike was near the town of Boukamel in the east.",
        [("Boukamel", "Al Bukamal", DAM, "Syria", "town")],
    ),  # a spelling no table has: fuzzy
    ("The U.S.-led coalition said US troops were unharmed.", []),  # "US" is a modifier
    (
        "Rockets hit Baghdad's Green Zone and Iraq\u2019s Kurdistan region.",
        [
            ("Baghdad", "Baghdad", BAG, "Iraq", "city"),
            ("Iraq", "Iraq", BAG, "Iraq", "country"),
            ("Kurdistan region", "Kurdistan Region", BAG, "Iraq", "region"),
        ],
    ),
    # a wire's filing place and date run into the copy: where the story was filed
    (
        "Russia strikes kill 120 fighters in Syria Moscow AFP Saturday 7 Oct 2017 Russian "
        "strikes in Syria hit a depot near Damascus.",
        [
            ("Russia", "Russia", None, "Russia", "country"),
            ("Syria", "Syria", DAM, "Syria", "country"),
            ("Syria", "Syria", DAM, "Syria", "country"),
            ("Damascus", "Damascus", DAM, "Syria", "city"),
        ],
    ),
    # a capital or country standing for its government is an actor, not a place
    ("Damascus denied the accusation.", []),
    ("Ankara accused Damascus of the attack.", []),
    # "blamed X on Y" names who is blamed, wherever the parser hangs the "on"
    ("Ankara blamed the bombing on Damascus.", []),
    (
        "Paris blamed the shelling in Khan al-Asal on Damascus.",
        [],
    ),
    (
        "Activists blamed Moscow for the strike on Idlib.",
        [("Idlib", "Idlib", DAM, "Syria", "city")],
    ),
    (
        "Moscow said its jets struck Idlib.",
        [("Idlib", "Idlib", DAM, "Syria", "city")],
    ),
    ("Aleppo saw heavy fighting.", [("Aleppo", "Aleppo", DAM, "Syria", "city")]),
    ("Damascus was shelled overnight.", [("Damascus", "Damascus", DAM, "Syria", "city")]),
    (
        "The president spoke in Washington, D.C., and later flew to New York.",
        [
            ("Washington", "Washington", "America/New_York", "United States", "city"),
            ("New York", "New York", "America/New_York", "United States", "city"),
        ],
    ),
]


@pytest.mark.parametrize("text,expected", TABLE, ids=[f"{i:02d}" for i in range(len(TABLE))])
def test_place_table(nlp, settings, text, expected):
    assert rows(places(nlp, settings, text)) == expected


@pytest.mark.parametrize(
    "spelling",
    [
        "Al Bukamal",
        "Al-Bukamal",
        "al-Bukamal",
        "Abu Kamal",
        "Boukamal",
        "Albu Kamal",
        "Al Bu Kamal",
        "Abukamal",
        "ALBUKAMAL",
        "Al Boukamal",
        "Bukamal",
    ],
)
def test_every_spelling_is_one_town(nlp, settings, spelling):
    text = f"The airstrike hit buildings in {spelling} on Thursday."
    [fact] = places(nlp, settings, text, parse=False)
    assert (fact.text, fact.start, fact.value["canonical"], fact.value["zone"]) == (
        spelling,
        text.index(spelling),
        "Al Bukamal",
        DAM,
    )


def test_exact_matches_need_no_parse(nlp, settings):
    text = TABLE[4][0]
    assert rows(places(nlp, settings, text, parse=False)) == TABLE[4][1]


def test_extra_places_and_aliases_from_settings(nlp, settings):
    from dataclasses import replace

    from comparer.errors import ConfigError

    tables = {
        "facts.extra_places": {"Hajin": "Asia/Damascus", "Atlantis": "Not/A_Zone"},
        "facts.aliases": {"Al-Boukamel": "Al Bukamal"},
    }
    with pytest.raises(ConfigError, match="facts.extra_places.Atlantis"):  # the loader refuses it
        settings.with_overrides(tables)
    # ... and a bad zone that reaches the gazetteer anyway (settings built by hand) is dropped
    extra = replace(
        settings,
        facts=replace(
            settings.facts,
            extra_places=tables["facts.extra_places"],
            aliases=tables["facts.aliases"],
        ),
    )
    text = "Shelling hit Hajin and Al-Boukamel, and Atlantis."
    assert rows(places(nlp, extra, text, parse=False)) == [
        ("Hajin", "Hajin", DAM, None, "place"),
        ("Al-Boukamel", "Al Bukamal", DAM, "Syria", "town"),
        ("Atlantis", "Atlantis", None, None, "place"),
    ]  # a bad zone is dropped, not raised
    assert places(nlp, settings, text, parse=False) == []
    assert place_zone("Hajin", settings=extra) == DAM
    assert place_zone("Hajin", settings=settings) is None


def test_article_places_of_the_seed(settings):
    _, body = split_header(SEED.read_text(encoding="utf-8"))
    sentences = split_sentences(body, source_id="hngn")
    assert article_places(sentences, settings=settings) == (
        "Syria",
        "Baghdad",
        "Erbil",
        "eastern Syria",
        "Iraq",
        "China",
        "Al Bukamal",
    )


@pytest.mark.parametrize(
    "name,zone,level",
    [
        ("Abu Kamal", DAM, "town"),
        ("Irbil", BAG, "city"),
        ("eastern Syria", DAM, "region"),
        ("Syria\u2013Iraq border", None, "region"),
        ("United States", None, "country"),
        ("Syria", DAM, "country"),
        ("Tokyo", "Asia/Tokyo", "city"),
        ("Nowhere", None, None),
        ("", None, None),
    ],
)
def test_place_zone_and_level(settings, name, zone, level):
    assert (place_zone(name, settings=settings), place_level(name, settings=settings)) == (
        zone,
        level,
    )


def test_gazetteer_is_sound(settings):
    places_by_name, variants, _ = tables(settings)
    assert len([p for p in places_by_name.values() if p.level == "city"]) >= 60
    for place in places_by_name.values():  # every zone is one zoneinfo knows
        assert place.zone is None or valid_zone(place.zone) == place.zone
    assert "us" not in variants and lookup("U.S.", settings=settings) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u0627\u0644\u0628\u0648\u0643\u0645\u0627\u0644",
        "...",
        "U.K.",
        "-Syria-",
        "eastern",
        "\U0001f600 Erbil",
        "\u0130stanbul \ufb01",
    ],
)
def test_never_raises(nlp, settings, text):
    for doc in (None, nlp(text)):
        for opts in (settings, None):
            facts = find_places(sentence(text), doc, ctx=CTX, settings=opts)
            assert all(text[f.start : f.end] == f.text for f in facts)
    assert article_places([sentence(text)], settings=settings) is not None
    assert article_places(None, settings=settings) == ()
