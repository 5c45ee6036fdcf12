"""One card per (event, question) through the whole pipeline, on constructed outlets."""

from __future__ import annotations

import pytest

from comparer.pipeline import compare
from comparer.sources import pasted_source

OUTLETS = [
    (
        "Harbor Gazette",
        "The Syrian Observatory for Human Rights said air strikes on the market in Aleppo on "
        "Friday killed at least 40 people.\n\nThe Syrian Observatory for Human Rights later said "
        "the toll from the strikes had risen to 52.\n\nSyria's war has killed more than 320,000 "
        "people since 2011.",
    ),
    (
        "Valley Post",
        "At least 52 people were killed in air strikes on a market in Aleppo on Friday, the "
        "Britain-based war monitor said on Saturday.\n\nMore than 280,000 people have been killed "
        "in the conflict.",
    ),
    (
        "State Wire",
        "State TV said 35 people were killed when air strikes hit the Aleppo market on Friday."
        "\n\nSeparately, four people died when a bakery was shelled in Homs.",
    ),
]


@pytest.fixture(scope="module")
def report(embedder, nlp, tmp_path_factory):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides(
        {"store.data_dir": str(tmp_path_factory.mktemp("store"))}
    )
    sources = [
        pasted_source(text, outlet, f"s{n}", published="2024-05-04T12:00:00Z", constructed=True)
        for n, (outlet, text) in enumerate(OUTLETS, 1)
    ]
    return compare(sources, settings, embedder=embedder, nlp=nlp)


def _killed(report):
    return [d for d in report.disagreements if d.slot == "killed"]


def test_one_card_answers_how_many_were_killed(report):
    cards = _killed(report)
    assert len(cards) == 1, [d.explanation for d in report.disagreements]
    card = cards[0]
    main = report.main_event
    assert main is not None and card.event == main.id
    assert card.question == f"How many were killed in {main.label}?"
    assert card.severity == "conflict"
    lows = sorted(v.value["low"] for v in card.values)
    assert lows == [35, 40, 52, 52]  # no war-wide total, no other town's dead


def test_a_later_figure_from_the_same_originator_is_a_revision(report):
    card = _killed(report)[0]
    assert [r.originator for r in card.revisions] == ["Syrian Observatory for Human Rights"]
    steps = [card.values[i].value["low"] for i in card.revisions[0].values]
    assert steps[0] == 40 and steps[-1] == 52
    credited = {v.credited_to for v in card.values}
    assert "Syrian Observatory for Human Rights" in credited  # the war monitor folded in
    assert "\u2192" in card.explanation and "revised" in card.explanation
    assert card.explanation.startswith(f"Killed in {report.main_event.label}: ")


def test_the_statement_day_is_when_the_source_spoke(report):
    card = _killed(report)[0]
    valley = [v for v in card.values if v.source_id == "s2"]
    # "said on Saturday": the day only, not a midnight nobody gave
    assert valley and valley[0].said_when == "2024-05-04"


def test_background_tolls_are_never_in_a_main_event_card(report):
    main_id = report.main_event.id
    for d in report.disagreements:
        if d.event == main_id:
            assert all(v.value.get("low", 0) < 1000 for v in d.values if d.kind == "figure")
    war = [f for f in report.facts if f.kind == "figure" and (f.value.get("low") or 0) > 1000]
    assert war and all(f.event is None for f in war)


def _two_outlets(embedder, nlp, tmp_path, first: str, second: str):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path / "store")})
    sources = [
        pasted_source(first, "Harbor Gazette", "s1", published="2024-05-04T12:00:00Z"),
        pasted_source(second, "Valley Post", "s2", published="2024-05-04T12:00:00Z"),
    ]
    return compare(sources, settings, embedder=embedder, nlp=nlp)


@pytest.mark.parametrize(
    ("first_day", "second_day", "card"),
    [
        ("on 1 May", "on 3 May", True),  # two calendar dates two days apart: a question
        ("on Wednesday", "on Friday", False),  # weekdays counted back from publication
        ("on 2 May", "on 3 May", False),  # one day apart: an overnight event told twice
    ],
)
def test_event_days_are_compared_only_as_calendar_dates(
    embedder, nlp, tmp_path, first_day, second_day, card
):
    report = _two_outlets(
        embedder,
        nlp,
        tmp_path,
        f"Air strikes hit the market in Aleppo {first_day}, killing 40 people.",
        f"Air strikes hit the market in Aleppo {second_day}, killing 40 people.",
    )
    times = [d for d in report.disagreements if d.slot == "event_time"]
    assert bool(times) is card, [d.explanation for d in report.disagreements]


def test_an_outlet_answers_with_its_toll_not_with_the_parts_of_it(embedder, nlp, tmp_path):
    report = _two_outlets(
        embedder,
        nlp,
        tmp_path,
        # both parts stand in the lead, where an outlet's figures count as its answers
        "Air strikes on the market in Aleppo on Friday killed 40 people, medics said.\n\n"
        "Ten people were also killed in a nearby village, the medics said.\n\n"
        "The strike on the market killed a guard at its gate.",
        "Air strikes on the Aleppo market on Friday killed 35 people, the civil defence said.",
    )
    card = next(d for d in report.disagreements if d.slot == "killed")
    answers = sorted((v.source_id, v.value["low"]) for v in card.values)
    assert answers == [("s1", 40), ("s2", 35)], card.explanation


@pytest.mark.parametrize(
    "further",
    [
        # the word before the figure says it is one more part
        "Another 27 people were killed in raids on villages west of the city, the medics said.",
        # the sentence says so, away from the figure the reader took
        "Twelve civilians were also killed when jets pounded a nearby district, killing 12 "
        "civilians, the medics said.",
        # another occasion: a sentence that starts "Separate ..."
        "Separate air strikes south of the city killed at least 60 people, the medics said.",
    ],
)
def test_a_further_part_of_the_toll_is_no_answer(embedder, nlp, tmp_path, further):
    report = _two_outlets(
        embedder,
        nlp,
        tmp_path,
        f"Air strikes on the market in Aleppo on Friday killed 40 people, medics said.\n\n"
        f"{further}",
        "Air strikes on the Aleppo market on Friday killed 35 people, the civil defence said.",
    )
    card = next(d for d in report.disagreements if d.slot == "killed")
    answers = sorted((v.source_id, v.value["low"]) for v in card.values)
    assert answers == [("s1", 40), ("s2", 35)], card.explanation


@pytest.mark.parametrize(
    "later,answers",
    [
        # a source of its own, far below the toll: a part of it, not a rival count
        (
            "Four people were killed at the school gate, a teacher told reporters.",
            [("s1", 40), ("s2", 35)],
        ),
        # a source of its own with a count of the whole: a rival answer, kept
        (
            "State television said 28 people were killed in the attack.",
            [("s1", 28), ("s1", 40), ("s2", 35)],
        ),
    ],
)
def test_a_credited_count_far_below_the_toll_is_a_part(embedder, nlp, tmp_path, later, answers):
    report = _two_outlets(
        embedder,
        nlp,
        tmp_path,
        "Air strikes on the market in Aleppo on Friday killed 40 people, medics said.\n\n"
        "Rescue teams worked through the night.\n\nShops stayed closed on Saturday.\n\n"
        f"{later}",
        "Air strikes on the Aleppo market on Friday killed 35 people, the civil defence said.",
    )
    card = next(d for d in report.disagreements if d.slot == "killed")
    got = sorted((v.source_id, v.value["low"]) for v in card.values)
    assert got == answers, card.explanation


def test_a_figure_goes_to_the_source_whose_words_come_before_it(embedder, nlp, tmp_path):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path)})
    texts = [
        (
            "Harbor Gazette",
            '"Every hangar was hit, you could say the base is wrecked," Radio Dawn reported, '
            "while the Harbor Health Ministry said that six people were killed in the strike "
            "on the airbase near Homs on Friday.",
        ),
        (
            "Valley Post",
            "Nine people were killed in the strike on the airbase near Homs on Friday, the "
            "provincial governor said, while Radio Dawn said the base was wrecked.",
        ),
    ]
    sources = [
        pasted_source(text, outlet, f"s{n}", published="2024-05-04T12:00:00Z", constructed=True)
        for n, (outlet, text) in enumerate(texts, 1)
    ]
    report = compare(sources, settings, embedder=embedder, nlp=nlp)
    card = next(d for d in report.disagreements if d.slot == "killed")
    credited = {v.value["low"]: v.credited_to for v in card.values}
    # the first: the last source named before the figure; the second: a figure before
    # every source goes to the first after it
    assert credited == {6: "Harbor Health Ministry", 9: "provincial governor"}


def _credited_cards(embedder, nlp, tmp_path, outlets):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path / "store")})
    sources = [
        pasted_source(text, outlet, f"s{n}", published="2024-05-04T12:00:00Z", constructed=True)
        for n, (outlet, text) in enumerate(outlets, 1)
    ]
    report = compare(sources, settings, embedder=embedder, nlp=nlp)
    return [d for d in report.disagreements if d.slot == "credited"]


GAS_ATTACK = "900 people were killed in the gas attack on Ghouta on Friday."


@pytest.mark.parametrize(
    "outlets, flagged",
    [
        # a state and its capital are one speaker
        (
            [
                ("Harbor Gazette", f"The United States said on Saturday that {GAS_ATTACK}"),
                ("Valley Post", f"Washington said on Saturday that {GAS_ATTACK}"),
            ],
            False,
        ),
        # one outlet's two stories crediting two sources disagree with no other outlet
        (
            [
                ("Valley Post", f"The Syrian Health Ministry said on Saturday that {GAS_ATTACK}"),
                ("Valley Post", f"The Syrian Observatory for Human Rights said that {GAS_ATTACK}"),
            ],
            False,
        ),
        # the control: two outlets crediting the figure to two different sources
        (
            [
                (
                    "Harbor Gazette",
                    f"The Syrian Health Ministry said on Saturday that {GAS_ATTACK}",
                ),
                ("Valley Post", f"The Syrian Observatory for Human Rights said that {GAS_ATTACK}"),
            ],
            True,
        ),
    ],
)
def test_the_same_figure_credited_to_different_sources(embedder, nlp, tmp_path, outlets, flagged):
    cards = _credited_cards(embedder, nlp, tmp_path, outlets)
    assert bool(cards) is flagged, [c.explanation for c in cards]


MARKET = "air strikes on the market in Aleppo on Friday killed"
SOHR = "the Syrian Observatory for Human Rights"


# Which differing figures of one originator are a revision (a timeline) rather than rival
# answers: (outlets as (outlet, text), revised)
REVISIONS = [
    # two outlets' unnamed monitors may be two monitors: rival answers, no timeline
    (
        [
            ("Harbor Gazette", f"A monitor said on Friday that {MARKET} 10 people."),
            ("Valley Post", f"A monitor said on Saturday that {MARKET} 24 people."),
        ],
        False,
    ),
    # one outlet's own monitor, later: a revision
    (
        [
            ("Harbor Gazette", f"A monitor said on Friday that {MARKET} 10 people."),
            (
                "Harbor Gazette",
                f"A monitor said on Saturday that the toll had risen and {MARKET} 24 people.",
            ),
            ("Valley Post", f"Officials said {MARKET} 17 people."),
        ],
        True,
    ),
    # one story, two of the Observatory's figures told with different said-whens and
    # nothing saying one replaced the other: a day's dead and a longer count, no timeline
    (
        [
            (
                "Harbor Gazette",
                f"Air strikes on the market in Aleppo killed 12 people, {SOHR} said on "
                f"Saturday.\n\nIn all, {SOHR} said 45 people were killed in the strikes "
                "on Aleppo.",
            ),
            ("Valley Post", f"Officials said {MARKET} 17 people."),
        ],
        False,
    ),
    # two stories telling the Observatory's figure on two days: its sequence
    (
        [
            ("Harbor Gazette", f"{SOHR.capitalize()} said on Friday that {MARKET} 12 people."),
            ("Valley Post", f"{SOHR.capitalize()} said on Saturday that {MARKET} 20 people."),
        ],
        True,
    ),
]


@pytest.mark.parametrize("outlets, revised", REVISIONS)
def test_which_figures_of_one_originator_are_a_revision(embedder, nlp, tmp_path, outlets, revised):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path / "store")})
    sources = [
        pasted_source(text, outlet, f"s{n}", published="2024-05-04T12:00:00Z", constructed=True)
        for n, (outlet, text) in enumerate(outlets, 1)
    ]
    report = compare(sources, settings, embedder=embedder, nlp=nlp)
    cards = _killed(report)
    assert len(cards) == 1, [d.explanation for d in report.disagreements]
    assert bool(cards[0].revisions) is revised, cards[0].explanation


def test_an_outlet_value_is_shown_with_whoever_gave_it(embedder, nlp, tmp_path):
    """The headline and the body give one count; the card shows the body's, which says
    who gave it, and a count and its own floor ("14" / "at least 14") are no revision."""
    from comparer.settings import load_settings

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path / "store")})
    outlets = [
        (
            "Harbor Gazette",
            "Air strike on Aleppo market kills 14\n\n"
            "An air strike on the market in Aleppo on Friday killed 14 people, the Syrian "
            "Observatory for Human Rights said.\n\n"
            "At least 14 people were killed in the strike on the market, the Syrian "
            "Observatory for Human Rights said on Saturday.",
        ),
        ("Valley Post", f"Officials said {MARKET} 9 people."),
    ]
    sources = [
        pasted_source(text, outlet, f"s{n}", published="2024-05-04T12:00:00Z", constructed=True)
        for n, (outlet, text) in enumerate(outlets, 1)
    ]
    report = compare(sources, settings, embedder=embedder, nlp=nlp)
    card = next(d for d in report.disagreements if d.slot == "killed")
    fourteen = [v for v in card.values if v.source_id == "s1" and v.value.get("high") == 14]
    assert [v.sentence for v in fourteen] == [1], card.explanation
    assert "14 people killed (Syrian Observatory for Human Rights)" in card.explanation
    assert not card.revisions, card.explanation
