"""Who is blamed and who gave a figure, in other words: one actor or source named two ways
is no disagreement; two sides are. Constructed names and sentences."""

from __future__ import annotations

import pytest

from comparer.describe import describe_value
from comparer.facts.actors import actor_key, same_actor, same_named_actor
from comparer.facts.bodies import canonical_body, one_voice, same_body, same_state
from comparer.facts.names import same_person
from comparer.pipeline import compare
from comparer.sources import pasted_source

# (actor a, actor b, no contradiction, one named actor)
ACTORS = [
    ("government forces", "President Bashar al-Assad's forces", True, False),
    ("the Syrian regime", "the Syrian government", True, True),
    ("Daesh", "the Takfiri ISIL group", True, True),
    ("Islamic State terrorists", "IS", True, True),
    ("the Takfiri ISIL group", "the suicide bomber", True, False),
    ("either Syrian or Russian war planes", "either Syrian or Russian aircraft", True, True),
    ("Russian war jets", "Russian planes", True, True),
    ("Russian warplanes", "the Russian air force", True, True),
    ("Russian Defence Ministry", "Russian jets", True, False),
    ("Russian war jets", "those of a government ally", True, False),
    ("Kataib Hezbollah", "Iran-backed militias", True, False),
    # two sides, or a state against a named group
    ("Russian planes", "Syrian planes", False, False),
    ("rebels", "government forces", False, False),
    ("Syrian rebels", "Syrian army troops", False, False),
    ("Islamic State", "Russian planes", False, False),
    ("IS", "government forces", False, False),
    ("Turkish artillery", "Kurdish fighters", False, False),
]


@pytest.mark.parametrize("a, b, agree, one", ACTORS)
def test_actors_in_other_words(a, b, agree, one):
    assert same_actor(a, b) is agree
    assert same_actor(b, a) is agree
    assert same_named_actor(a, b) is one


def test_an_actor_key_reads_parties_kind_and_body():
    key = actor_key("either Syrian or Russian war planes")
    assert (key.parties, key.kind, key.body) == (frozenset({"syria", "russia"}), "aircraft", None)
    assert actor_key("the Takfiri ISIL group").body == "Islamic State"
    assert actor_key("Russian Defence Ministry").parties == frozenset({"russia"})
    assert actor_key("gunmen").kind == "other" and not actor_key("gunmen").parties


PEOPLE = [
    ("Kirby", "John Kirby", True),
    ("Abdel Rahman", "Rami Abdel Rahman", True),
    ("Russian Konashenkov", "Igor Konashenkov", True),
    ("Syrian Talal Barazi", "Talal Barazi", True),
    ("Hillary Clinton", "Bill Clinton", False),
    ("Abdel Rahman", "Abdel Karim", False),
    ("Rahman Khan", "Rami Abdel Rahman", False),
]


@pytest.mark.parametrize("a, b, same", PEOPLE)
def test_one_person_named_in_full_or_in_part(a, b, same):
    assert same_person(a, b) is same
    assert same_person(b, a) is same


@pytest.mark.parametrize(
    "a, b",
    [
        ("Syrian state TV", "Syrian state television"),
        ("the Assad regime's official television channel", "Syrian state TV"),
        ("Rami Abdel Rahman", "the Syrian Observatory for Human Rights"),
    ],
)
def test_one_source_under_two_names(a, b):
    assert same_body(a, b)


@pytest.mark.parametrize(
    "a, b, one",
    [
        ("Syrian state media", "SANA", True),  # the umbrella covers the agency ...
        ("Syria's state media", "Syrian state TV", True),  # ... and the television
        ("SANA", "Syrian state television", False),  # two bodies under it are two
        ("Syrian state media", "the Syrian Observatory for Human Rights", False),
        # a state outlet that names no state speaks with any listed one ...
        ("state-run TV", "Syrian state television", True),
        ("state TV", "SANA", True),
        ("state TV", "the Syrian Observatory for Human Rights", False),
    ],
)
def test_a_name_that_covers_a_body_is_its_voice(a, b, one):
    assert one_voice(a, b) is one and one_voice(b, a) is one


def test_a_state_outlet_that_names_no_state_is_no_body_of_its_own():
    # ... but is not Syria's: in a story of Iran "state TV" is Iran's
    assert canonical_body("state TV") == "state TV"
    assert canonical_body("Syrian state TV") == "Syrian state television"


@pytest.mark.parametrize(
    "a, b, one",
    [
        ("the United States", "Washington", True),
        ("U.S.", "the US administration", True),
        ("Russia", "the Kremlin", True),
        ("Russia", "Washington", False),
        ("Moscow", "the Russian Defence Ministry", False),  # a ministry is its own source
    ],
)
def test_a_state_and_its_capital_are_one_speaker(a, b, one):
    assert same_state(a, b) is one


READINGS = [
    (
        {"relation": "responsibility", "speaker": "Daesh", "actor": "Daesh"},
        "asserted",
        "Daesh claims responsibility",
    ),
    (
        {"relation": "responsibility", "speaker": "The group", "actor": "it"},
        "asserted",
        "The group claims responsibility",
    ),
    (
        {"relation": "responsibility", "speaker": "The army", "actor": None},
        "denied",
        "The army denies responsibility",
    ),
    (
        {"relation": "responsibility", "speaker": "Observatory", "actor": "Russian jets"},
        "asserted",
        "Observatory holds Russian jets responsible",
    ),
    (
        {"relation": "responsibility", "speaker": "Moscow", "actor": "its planes"},
        "denied",
        "Moscow: its planes not responsible",
    ),
    (
        {"relation": "blame", "speaker": "The ministry", "actor": "rebels"},
        "asserted",
        "The ministry blames rebels",
    ),
    (
        {"relation": "blame", "speaker": None, "actor": "rebels"},
        "asserted",
        "unnamed source blames rebels",
    ),
    (
        {"relation": "blame", "speaker": "Ankara", "actor": "Kurdish fighters"},
        "denied",
        "Ankara: Kurdish fighters not to blame",
    ),
]


@pytest.mark.parametrize("value, stance, reading", READINGS)
def test_blame_reads_as_a_sentence(value, stance, reading):
    assert describe_value("attribution", {**value, "stance": stance}) == reading


def _report(embedder, nlp, tmp_path, texts):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path / "data")})
    sources = [
        pasted_source(text, f"Outlet {k}", f"s{k}", published="2024-05-04T12:00:00Z")
        for k, text in enumerate(texts, 1)
    ]
    return compare(sources, settings, embedder=embedder, nlp=nlp)


def test_one_side_blamed_in_other_words_gives_no_card_and_two_sides_do(embedder, nlp, tmp_path):
    lead = "Air strikes on a market in the town of Saraqeb killed 12 people on Friday."
    report = _report(
        embedder,
        nlp,
        tmp_path,
        [
            f"{lead} The Syrian Observatory for Human Rights blamed government forces for "
            "the air strikes on the market.",
            f"{lead} Local activists blamed President Bashar al-Assad's forces for the air "
            "strikes on the market.",
            f"{lead} The defence ministry blamed rebels for the air strikes on the market.",
        ],
    )
    blame = [d for d in report.disagreements if d.slot == "blamed"]
    assert len(blame) == 1, [d.explanation for d in blame]
    outlets = {v.source_id for v in blame[0].values}
    assert "s3" in outlets and outlets & {"s1", "s2"}
    assert blame[0].severity == "conflict"


def test_a_figure_from_a_monitor_and_its_director_is_one_source(embedder, nlp, tmp_path):
    report = _report(
        embedder,
        nlp,
        tmp_path,
        [
            "Air strikes on a market in the town of Saraqeb killed 12 people on Friday, "
            "Rami Abdel Rahman, the head of the Syrian Observatory for Human Rights, said.",
            "Air strikes on a market in the town of Saraqeb killed 12 people on Friday, "
            "Abdel Rahman said.",
            "Air strikes on a market in the town of Saraqeb killed 12 people on Friday, "
            "the Syrian Observatory for Human Rights said.",
        ],
    )
    credited = [d for d in report.disagreements if d.slot == "credited"]
    assert credited == [], [d.explanation for d in credited]
    killed = [f for f in report.facts if f.kind == "figure" and f.value.get("role") == "killed"]
    assert len({f.source_id for f in killed}) == 3  # the figure was read in every outlet


@pytest.mark.parametrize(
    "counted, low, reading",
    [
        ("child", 4, "4 children killed"),
        ("gunman", 2, "2 gunmen killed"),
        ("woman", 3, "3 women killed"),
        ("staff", 4, "4 staff killed"),
        ("service member", 2, "2 service members killed"),
        ("human", 5, "5 humans killed"),
        ("person", 1, "1 person killed"),
    ],
)
def test_counted_nouns_read_in_their_plural(counted, low, reading):
    value = {"low": low, "high": low, "counted": counted, "role": "killed", "qualifier": "exact"}
    assert describe_value("figure", value) == reading


@pytest.mark.parametrize(
    "counted, low, reading",
    [
        ("fighter", 1, "at least 1 fighter killed"),
        ("people", 1, "at least 1 person killed"),
        ("fighter", 17, "at least 17 fighters killed"),
    ],
)
def test_an_open_range_reads_in_the_number_of_its_floor(counted, low, reading):
    value = {
        "low": low,
        "high": None,
        "counted": counted,
        "role": "killed",
        "qualifier": "at_least",
    }
    assert describe_value("figure", value) == reading


def test_a_figure_credited_to_two_sources_names_the_figure(embedder, nlp, tmp_path):
    lead = "Air strikes on a market in the town of Saraqeb killed 12 people on Friday"
    report = _report(
        embedder,
        nlp,
        tmp_path,
        [
            f"{lead}, the Syrian Observatory for Human Rights said. Dozens were wounded, "
            "the Observatory said.",
            f"{lead}, the Health Ministry said. Dozens were wounded, the Health Ministry said.",
        ],
    )
    credited = [d for d in report.disagreements if d.slot == "credited"]
    assert len(credited) == 1, [d.explanation for d in credited]
    assert credited[0].question.startswith("Who gave the figure \u201c12 people killed\u201d for")
    # "dozens" twice is two vague words, not one figure credited twice: no second card
    assert {v.sentence for v in credited[0].values} == {0}


def test_a_denial_that_names_no_event_joins_the_blame_of_the_event(embedder, nlp, tmp_path):
    lead = "US missiles struck the Shayrat air base near Homs on Friday, killing six people."
    report = _report(
        embedder,
        nlp,
        tmp_path,
        [
            f"{lead} The strike came in response to a chemical attack that Washington has "
            "blamed on the Syrian government. The Syrian government has strongly denied "
            "responsibility.",
            f"{lead} Washington blames the Syrian government for the chemical attack on "
            "Tuesday in Khan Sheikhoun in Idlib province.",
        ],
    )
    blame = [d for d in report.disagreements if d.slot == "blamed"]
    assert len(blame) == 1, [d.explanation for d in report.disagreements]
    assert blame[0].relation == "responsibility-asserted-vs-denied"
    event = next(e for e in report.events if e.id == blame[0].event)
    assert (event.type, event.main) == ("chemical attack", False)
    # a capital standing for its government is no place of the event
    assert not [f for f in report.facts if f.kind == "place" and f.text == "Washington"]
