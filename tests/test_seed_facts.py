"""Every sentence of the seed article with its expected facts (the full set, nothing more)."""

from __future__ import annotations

import pytest

from comparer.facts import extract_facts
from comparer.pipeline import read_sources
from comparer.sources import source_from_spec
from tests.conftest import SEED

# (sentence index, kind, evidence text) -> the value fields that must match
EXPECTED = {
    (0, "place", "Syria"): {"canonical": "Syria", "level": "country"},
    (0, "time", "Thursday"): {"start": "2021-02-25T00:00:00Z", "granularity": "day"},
    (1, "figure", "Multiple targets"): {
        "low": 2,
        "high": None,
        "counted": "target",
        "qualifier": "vague",
    },
    (2, "place", "Syria"): {"canonical": "Syria"},
    (3, "attribution", "A top US official told Fox News"): {
        "type": "anonymous_official",
        "via": "Fox News",
        "cue": "told",
    },
    (3, "place", "Baghdad"): {"canonical": "Baghdad"},
    (3, "place", "Erbil"): {"canonical": "Erbil"},
    (4, "attribution", "According to Marine Corps Times"): {
        "type": "news_outlet",
        "speaker": "Marine Corps Times",
    },
    (4, "place", "eastern Syria"): {"canonical": "eastern Syria"},
    (4, "time", "about 6 PM East Standard Time Thursday afternoon"): {
        "start": "2021-02-25T23:00:00Z",
        "granularity": "hour",
        "resolved": True,
        "approximate": True,
    },
    (5, "attribution", "The Pentagon press secretary confirmed to reporters"): {
        "type": "official_role",
        "cue": "confirmed",
    },
    (5, "place", "Iraq"): {"canonical": "Iraq"},
    (5, "figure", "wounded an American service member"): {
        "low": 1,
        "high": 1,
        "counted": "service member",
        "role": "wounded",
    },
    (5, "figure", "killed a civilian contractor"): {
        "low": 1,
        "high": 1,
        "counted": "contractor",
        "role": "killed",
    },
    (6, "figure", "numerous installations"): {"low": 2, "high": None, "counted": "installation"},
    (6, "attribution", "said John Kirby"): {"type": "named_person", "speaker": "John Kirby"},
    (7, "attribution", "Kirby said"): {"type": "named_person", "canonical": "John Kirby"},
    (9, "place", "East Syria"): {"canonical": "eastern Syria"},
    (9, "place", "Iraq"): {"canonical": "Iraq"},
    (10, "time", "February 15"): {"start": "2021-02-15T00:00:00Z", "granularity": "day"},
    (10, "figure", "three 107 mm rockets"): {
        "low": 3,
        "high": 3,
        "counted": "rocket",
        "calibre": "107 mm",
        "role": None,
    },
    (10, "place", "Irbil"): {"canonical": "Erbil"},
    (10, "figure", "killing one U.S.-led coalition contractor"): {
        "low": 1,
        "high": 1,
        "counted": "contractor",
        "role": "killed",
    },
    (10, "attribution", "coalition officials announced"): {
        "type": "anonymous_official",
        "cue": "announced",
    },
    (11, "place", "Al Bukamal"): {"canonical": "Al Bukamal", "level": "town"},
    (11, "place", "Iraq"): {"canonical": "Iraq"},
    (11, "attribution", "the US official said"): {"type": "anonymous_official"},
    (12, "attribution", "as per ABC News"): {"type": "news_outlet", "speaker": "ABC News"},
    (13, "attribution", "The Pentagon did not blame the attack on Iranian-backed militias"): {
        "relation": "blame",
        "stance": "denied",
        "actor": "Iranian-backed militias",
    },
    (14, "attribution", "Press Secretary of the White House Jen Psaki said"): {
        "type": "named_person",
        "speaker": "Jen Psaki",
    },
    (14, "time", "last week"): {"start": "2021-02-15T00:00:00Z", "granularity": "week"},
}


@pytest.fixture(scope="module")
def seed_facts(nlp):
    from comparer.settings import load_settings

    settings = load_settings()
    (article,) = read_sources([source_from_spec(str(SEED), "s1")], settings)
    return article, extract_facts([article], settings, nlp=nlp)


def test_seed_yields_exactly_the_expected_facts(seed_facts):
    article, facts = seed_facts
    got = {(f.sentence, f.kind, f.text) for f in facts}
    assert got == set(EXPECTED), (
        f"missing {sorted(set(EXPECTED) - got)}; unexpected {sorted(got - set(EXPECTED))}"
    )


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: f"s{k[0]}-{k[1]}-{k[2][:30]}")
def test_seed_fact_values(seed_facts, key):
    article, facts = seed_facts
    (fact,) = [f for f in facts if (f.sentence, f.kind, f.text) == key]
    assert article.sentences[fact.sentence].text[fact.start : fact.end] == fact.text
    for field, want in EXPECTED[key].items():
        assert fact.value.get(field) == want, f"{key}: {field}={fact.value.get(field)!r}"
