"""More rules for attaching counts and places to their event: tables of constructed cases
(headline counts without commas, parts of a toll, "more than", period totals, wire
datelines inside the copy, provinces and broadcasters named after a place)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comparer.disagreements.cards import _ANOTHER
from comparer.disagreements.slots import figure_slots
from comparer.events import resolve_events
from comparer.facts.places import find_places
from comparer.facts.stage import extract_facts
from comparer.records import Article, Fact, Sentence, Source
from comparer.sentences import split_sentences

PUBLISHED = datetime(2024, 5, 4, 12, 0, tzinfo=UTC)
LEAD = (
    "Air strikes on the market in Aleppo on Friday killed 40 people, a war monitor said. "
    "Rescue workers searched the rubble for survivors."
)


@pytest.fixture(scope="module")
def settings():
    from comparer.settings import load_settings

    return load_settings()


def _article(text: str) -> Article:
    source = Source(id="s1", kind="text", text=text, outlet="Harbor Gazette", published=PUBLISHED)
    return Article(
        source=source,
        status="ok",
        outlet="Harbor Gazette",
        text=text,
        sentences=split_sentences(text, source_id="s1"),
        published=PUBLISHED,
    )


def _facts(nlp, settings, text: str) -> list[Fact]:
    article = _article(text)
    return list(resolve_events([article], extract_facts([article], settings, nlp=nlp))[1])


# A headline that drops its comma: the first count is the dead, not the killers.
HEADLINE_COUNTS = [
    ("Nine persons killed 12 injured in rocket attack on the city", "Nine", "killed"),
    ("Ten civilians killed 15 injured in shelling of the old town", "Ten", "killed"),
    ("Seven soldiers killed 30 others injured in an ambush", "Seven", "killed"),
    ("Four rockets killed two guards at the gate", "two", "killed"),
]


# A chemical attack's toll told with a verb of dying by gas: the dead. A noun of the
# symptom ("suffocation cases", "cases of asphyxiation") counts the injured, never the dead.
GAS_TOLLS = [
    ("Rebels accused the army of gassing 300 people in the eastern suburbs.", "300", "killed"),
    ("Activists said troops gassed 120 villagers before dawn.", "120", "killed"),
    ("At least 40 children suffocated in the basement shelter.", "40", "killed"),
    ("Twelve people were asphyxiated when the canister burst.", "Twelve", "killed"),
    ("The shelling caused 35 suffocation cases among residents.", "35", None),
    ("Toxic shells caused cases of asphyxiation to more than 35 people.", "35", None),
    ("Doctors treated 35 people suffering from suffocation.", "35", None),
]


@pytest.mark.parametrize("text, number, role", HEADLINE_COUNTS + GAS_TOLLS)
def test_a_count_takes_the_role_its_words_give(nlp, settings, text, number, role):
    figures = [f for f in _facts(nlp, settings, text) if f.kind == "figure"]
    hit = next(f for f in figures if f.value["number_text"] == number)
    assert hit.value["role"] == role, [(f.text, f.value["role"]) for f in figures]


# "including one ...": a part of the count before it, whether or not a noun follows.
SUBSETS = [
    ("The monitor said 18 fighters including one of foreign nationality were killed.", "one"),
    ("The strike killed 22 people, including four children.", "four"),
]


@pytest.mark.parametrize("text, number", SUBSETS)
def test_a_count_after_including_is_a_part(nlp, settings, text, number):
    figures = [f for f in _facts(nlp, settings, text) if f.kind == "figure"]
    hit = next(f for f in figures if f.value["number_text"] == number)
    assert hit.value["subset"] is True


# "the 10 civilians killed": a definite count restates one the article gave before (marked
# with the sentence it restates); without a count before it, or with another number or
# another role, it is the article's own answer.
RESTATED = [
    (
        "Shelling killed 27 civilians on Friday, including 9 when a minibus was hit. "
        "Funerals for the 9 civilians killed on the minibus were held at dusk.",
        1,
        0,
    ),
    (
        "The raid killed 14 people, the monitor said. The 14 people killed were farmers.",
        1,
        0,
    ),
    ("The 14 people killed in the raid were farmers.", 0, None),
    (
        "The raid killed 14 people, the monitor said. The 12 people killed were farmers.",
        1,
        None,
    ),
    (
        "The raid wounded 14 people, the monitor said. The 14 people killed were farmers.",
        1,
        None,
    ),
    (
        "The raid killed 3 soldiers at the gate. The 3 children killed were in the school.",
        1,
        None,
    ),
    (
        "The raid killed 3 people at the gate. The 3 children killed were in a car.",
        1,
        0,
    ),
]


@pytest.mark.parametrize("text, sentence, restates", RESTATED)
def test_a_definite_count_the_article_gave_before_is_a_restatement(
    nlp, settings, text, sentence, restates
):
    figures = [f for f in _facts(nlp, settings, text) if f.kind == "figure"]
    hit = next(f for f in figures if f.sentence == sentence and f.value["definite"])
    assert hit.value.get("restates") == restates, [(f.text, f.value) for f in figures]


def test_a_restated_part_is_no_answer_in_the_killed_card(nlp, settings):
    from comparer.disagreements.slots import is_part

    text = (
        "Shelling killed 27 civilians on Friday, including 9 when a minibus was hit. "
        "Funerals for the 9 civilians killed on the minibus were held at dusk."
    )
    figures = [f for f in _facts(nlp, settings, text) if f.kind == "figure"]
    answers = sorted(f.value["low"] for f in figures if not is_part(f))
    assert answers == [27]


# Words that make a count a further part of the toll ("another five"), and "more than"
# that does not.
FURTHER_PART = [
    ("Another five were killed", True),
    ("six others died", True),
    ("40 more people died", True),
    ("More than 100 fighters killed", False),
    ("more than 40 people have been confirmed dead", False),
    ("At least 22 people killed", False),
]


@pytest.mark.parametrize("text, further", FURTHER_PART)
def test_more_than_is_a_qualifier_not_a_further_part(text, further):
    assert bool(_ANOTHER.search(text)) is further


def _fig(sentence: int, low: int, counted: str, high: int | None = -1) -> Fact:
    return Fact(
        source_id="s1",
        sentence=sentence,
        kind="figure",
        text=str(low),
        start=0,
        end=1,
        value={
            "low": low,
            "high": low if high == -1 else high,
            "role": "killed",
            "counted": counted,
            "qualifier": "exact" if high == -1 else "at_least",
        },
    )


# (civilians, the whole toll in the same sentence, the civilians' slot)
PART_AND_WHOLE = [
    (6, 22, "killed_civilians"),  # six civilians among 22 killed: a part
    (6, 2, "killed"),  # "six civilians killed ... two people were killed": the larger toll
    (6, None, "killed"),  # no whole beside them: the outlet's toll
    (6, 6, "killed_civilians"),
]


@pytest.mark.parametrize("civilians, whole, slot", PART_AND_WHOLE)
def test_a_part_of_the_toll_cannot_exceed_its_whole(civilians, whole, slot):
    civ = _fig(1, civilians, "civilian")
    facts = [civ] + ([_fig(1, whole, "person")] if whole is not None else [])
    assert figure_slots(facts)[id(civ)] == slot


# Period totals: compared with nothing, never with the event's toll.
PERIOD_TOTALS = [
    ("Reporters counted 66 journalists killed in 2014 across the country.", "66", False),
    # the period told in the participle that describes the count
    (
        "According to figures gathered by the local council office Aleppo bore the brunt of "
        "the heavy raids and shelling with 74 people recorded killed in the city and "
        "countryside during the past week.",
        "74",
        False,
    ),
    ("Medics said 12 people killed in the raid were buried in the city.", "12", True),
    ("Since then more than 300 people have been killed in the district.", "300", False),
    # "mid-September" is three tokens to the parser: "mid - September"
    (
        "At least 412 people have been killed in and around Aleppo since mid-September, "
        "the monitor said.",
        "412",
        False,
    ),
    ("Some 70 people have died in the city since mid-2014.", "70", False),
    ("The monitor said at least 45 people were killed in the strikes.", "45", True),
    (
        "Observers estimate that some 90000 people have been killed and thousands displaced "
        "since the war started in 2012.",
        "90000",
        False,
    ),
    (
        "Talks aim to freeze the lines of the eight-year-old civil war which has claimed an "
        "estimated 90000 lives.",
        "90000",
        False,
    ),
    # "comes a day after": what follows is an earlier occasion, what came before is the event's
    (
        "The raid, which killed four medics, came two days after shelling killed nine people.",
        "four",
        True,
    ),
    (
        "The raid, which killed four medics, came two days after shelling killed nine people.",
        "nine",
        False,
    ),
    # a since-clause on a second verb with its own subject dates that verb's count only
    (
        "The raid killed 12 people, the monitor said, and 300 have died since the army "
        "launched its offensive.",
        "12",
        True,
    ),
    (
        "The raid killed 12 people, the monitor said, and 300 have died since the army "
        "launched its offensive.",
        "300",
        False,
    ),
    # the parser may cut the clause before "began": the words after it still date the count
    (
        "At least 123 civilians have been killed in the suburb by airstrikes and shelling since "
        "the regime and its allies began an offensive two weeks ago the monitor said.",
        "123",
        False,
    ),
    (
        "The raid killed 45 people, by far the worst reported attack on a market in the "
        "eight-year-old civil war.",
        "45",
        True,
    ),
    (
        "Rescuers said 45 people were killed in a district that has been besieged since the "
        "war started.",
        "45",
        True,
    ),
]


# A province holds its towns: a toll told in another province is another place; one told in
# the province of the event's town, or in a province of a town the gazetteer cannot place,
# is not set apart by it.
PROVINCE_TOLLS = [
    ("Three children were killed in a school in Idlib province.", "Three", False),
    ("Three children were killed in villages of the Damascus countryside.", "Three", False),
    ("Three children were killed in villages of the Aleppo countryside.", "Three", True),
    ("Three children were killed in a clinic in Aleppo province.", "Three", True),
]

# A clause of another kind of event than the story's (fighting on the ground in a story of
# an air strike) tells another event; a clause of the same kind (shelling, a blast) does not.
OTHER_KINDS = [
    ("The monitor also said that 12 soldiers were killed in the fighting.", "12", False),
    ("Nine rebels died in clashes with troops near the ring road.", "Nine", False),
    ("The monitor said 40 people were killed in the shelling.", "40", True),
    ("Eleven of the dead were killed by the blast at the entrance.", "Eleven", True),
]

# An event noun in -ing that the parser takes for a verb ("shelling", "bombing") is no clause
# of its own: the town and the period it names are the count's.
GERUND_NOUNS = [
    (
        "A medic said a boy was among nine people killed in army shelling on the town of Douma.",
        "nine",
        False,
    ),
    (
        "The monitor said 150 civilians have died in airstrikes and shelling on the city's "
        "east since a truce broke down in the spring.",
        "150",
        False,
    ),
    ("A medic said nine people were killed in army shelling on the old market.", "nine", True),
]


# An occasion told "a day after" or "hours before" is another one, and so are its places;
# a sentence that names its own town and day does not go on telling the one before.
DAYS_APART = [
    (
        "Shelling killed 4 pupils at a school in Aleppo just a day after 22 children were "
        "killed in air strikes on a school in Idlib.",
        "4",
        True,
    ),
    (
        "Shelling killed 4 pupils at a school in Aleppo just a day after 22 children were "
        "killed in air strikes on a school in Idlib.",
        "22",
        False,
    ),
    (
        "A car bomb in Homs killed nine people a week earlier. At least six children were "
        "killed and 15 injured in the raids on the market in Aleppo on Friday.",
        "six",
        True,
    ),
]


# A toll told for towns of several provinces at once sums attacks far apart (a state
# agency's round-up); towns of one province, or a list the toll's clause does not hold,
# leave it the event's.
SUMMED_TOLLS = [
    (
        "Eight civilians killed, others injured in terrorist rocket attacks in Aleppo and Homs.",
        "Eight",
        False,
    ),
    ("Rocket attacks on Aleppo, Hama and Homs killed 12 people on Friday.", "12", False),
    ("Five people were killed in shelling on Aleppo and Idlib on Friday.", "Five", False),
    # one province: Douma and Harasta are both in the Damascus countryside
    ("Air strikes on Douma and Harasta killed 40 people on Friday.", "40", True),
    # the toll's own clause names one town; the list belongs to another clause
    (
        "Shelling on the market in Aleppo killed nine people, and rockets also fell on "
        "Hama and Homs.",
        "nine",
        True,
    ),
    # a headline's last word and a run-on dateline are no list
    ("Nine killed in Aleppo shelling DAMASCUS (Wire) The toll rose overnight.", "Nine", True),
]


@pytest.mark.parametrize(
    "sentence, number, main",
    PERIOD_TOTALS + PROVINCE_TOLLS + GERUND_NOUNS + OTHER_KINDS + DAYS_APART + SUMMED_TOLLS,
)
def test_a_total_another_place_or_kind_is_no_toll_of_the_event(
    nlp, settings, sentence, number, main
):
    article = _article(f"{LEAD}\n\n{sentence}")
    events, facts = resolve_events([article], extract_facts([article], settings, nlp=nlp))
    main_id = next(e.id for e in events if e.main)
    fig = next(f for f in facts if f.kind == "figure" and f.value.get("number_text") == number)
    assert (fig.event == main_id) is main, (fig.text, fig.event, fig.frame)


# (sentence, place as written, canonical or None when it is no place of the event, level)
PLACES = [
    # a wire dateline left inside run-together copy
    ("DAMASCUS (Wire) The strikes began at dawn.", "DAMASCUS", None, None),
    ("BEIRUT, Lebanon (Wire) Rockets fell overnight.", "BEIRUT", None, None),
    ("The strikes hit DAMASCUS (the capital) overnight.", "DAMASCUS", "Damascus", "city"),
    ("Shelling hit Damascus overnight.", "Damascus", "Damascus", "city"),
    # a city's province or countryside is the region, not the city
    ("An airstrike hit a clinic in Idlib province.", "Idlib", "Idlib province", "region"),
    ("Shelling hit villages in the Aleppo countryside.", "Aleppo", "Aleppo province", "region"),
    ("Shelling hit Aleppo city.", "Aleppo", "Aleppo", "city"),
    # a broadcaster named after a place
    ("He told the Lebanese TV station al-Mayadeen that two died.", "al-Mayadeen", None, None),
    ("He was quoted by Al Mayadeen TV on Friday.", "Al Mayadeen", None, None),
    ("Fighting reached Al Mayadeen on Friday.", "Al Mayadeen", "Al Mayadin", "town"),
]


@pytest.mark.parametrize("text, written, canonical, level", PLACES)
def test_datelines_provinces_and_broadcasters(settings, text, written, canonical, level):
    sentence = Sentence(source_id="s1", index=0, text=text, start=0, end=len(text), paragraph=0)
    places = {f.text: f.value for f in find_places(sentence, None, settings=settings)}
    if canonical is None:
        assert written not in places, places
    else:
        assert places[written]["canonical"] == canonical
        assert places[written]["level"] == level


# A bare number set off by dashes or brackets right after a toll restates that toll ("by
# one report as many as 1,300"); after a comma, or with words of its own, it does not.
ASIDES = [
    (
        "The opposition accused troops of gassing hundreds of people - by one report as many "
        "as 1300 - in a raid before dawn.",
        "1300",
        "killed",
    ),
    ("Air strikes killed 40 people (up to 52, the monitor said) in the town.", "52", "killed"),
    ("Shelling wounded 30 civilians - perhaps 45 - on Sunday.", "45", "wounded"),
    ("The blast killed 12 people - 2 in the market - on Monday.", "2", None),
    # a clause of its own: its own verb gives the role
    ("The blast killed 12 people - and 2 were wounded - on Monday.", "2", "wounded"),
]


@pytest.mark.parametrize("text, number, role", ASIDES)
def test_a_number_in_a_dash_aside_restates_the_toll_before_it(nlp, settings, text, number, role):
    figures = [f for f in _facts(nlp, settings, text) if f.kind == "figure"]
    hit = next((f for f in figures if f.value["number_text"] == number), None)
    assert (None if hit is None else hit.value["role"]) == role, [
        (f.text, f.value["role"]) for f in figures
    ]


@pytest.mark.parametrize(
    "town, province",
    [
        ("Aleppo", "Aleppo province"),  # a province's seat
        ("Palmyra", "Homs province"),  # a town with its province in the gazetteer
        ("Tadmur", "Homs province"),  # ... under another spelling
        ("Hama", "Hama province"),
        ("Khan Shaykhun", "Idlib province"),
        ("Kobane", "Aleppo province"),
        ("Douma", "Damascus province"),  # Rif Dimashq, as English copy names it
        ("Springfield", None),  # not in the gazetteer: containment unknown
    ],
)
def test_province_of_a_town(settings, town, province):
    from comparer.facts.gazetteer import province_of

    assert province_of(town, settings=settings) == province


# Where the speaker sits or the story was filed is no place of the event: "the ministry in
# Moscow said", "a doctor in Damascus told ...", a wire's dateline run into the copy.
SPEAKER_AND_FILING_PLACES = [
    (
        "Forty fighters were killed in air strikes on Raqqa, the defence ministry in Moscow said.",
        "Forty",
        {"Raqqa"},
    ),
    # ... and in copy that lost its commas
    (
        "Forty fighters were killed in air strikes on Raqqa over the past day the defence "
        "ministry in Moscow said on Saturday.",
        "Forty",
        {"Raqqa"},
    ),
    (
        "Six people were killed in shelling on Homs, a doctor in Damascus told the agency.",
        "Six",
        {"Homs"},
    ),
    (
        "Raids on Raqqa killed 12 people Moscow AFP Saturday Russian jets flew sorties.",
        "12",
        {"Raqqa"},
    ),
    # a capital standing for its government, with or without its apostrophe
    (
        "Strikes on the market in Raqqa by Damascuss ally Russia killed 29 civilians.",
        "29",
        {"Raqqa"},
    ),
    ("Strikes on Raqqa by Damascus's ally Russia killed 29 civilians.", "29", {"Raqqa"}),
    ("Shelling of Aleppo's government-held west killed 29 civilians.", "29", {"Aleppo"}),
    # controls: places of the event stay, wherever they stand
    (
        "Forty fighters were killed in air strikes on Raqqa and Homs, the ministry said.",
        "Forty",
        {"Raqqa", "Homs"},
    ),
    ("Six people were killed in Moscow on Friday, the ministry said.", "Six", {"Moscow"}),
]


@pytest.mark.parametrize("sentence, number, towns", SPEAKER_AND_FILING_PLACES)
def test_the_speakers_seat_and_the_dateline_are_no_event_place(
    nlp, settings, sentence, number, towns
):
    facts = _facts(nlp, settings, sentence)
    fig = next(f for f in facts if f.kind == "figure" and f.value.get("number_text") == number)
    assert set(fig.frame.towns) == towns, (fig.text, fig.frame)
