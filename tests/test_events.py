"""Which event a fact describes: tables of constructed cases, read through the real
readers (spaCy parse included) and the events stage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comparer.events import resolve_events
from comparer.facts.bodies import canonical_body, same_body
from comparer.facts.stage import extract_facts
from comparer.records import Article, Source
from comparer.sentences import split_sentences

PUBLISHED = datetime(2024, 5, 4, 12, 0, tzinfo=UTC)  # a Saturday
LEAD = (
    "Air strikes on the market in Aleppo on Friday killed 40 people, a war monitor said. "
    "Rescue workers searched the rubble for survivors."
)


def _article(
    text: str, sid: str = "s1", outlet: str = "Harbor Gazette", published: datetime = PUBLISHED
) -> Article:
    source = Source(id=sid, kind="text", text=text, outlet=outlet, published=published)
    return Article(
        source=source,
        status="ok",
        outlet=outlet,
        text=text,
        sentences=split_sentences(text, source_id=sid),
        published=published,
    )


@pytest.fixture(scope="module")
def settings():
    from comparer.settings import load_settings

    return load_settings()


def _read(nlp, settings, *articles: Article):
    facts = extract_facts(list(articles), settings, nlp=nlp)
    return resolve_events(list(articles), facts)


def _figure(facts, number_text: str):
    hits = [f for f in facts if f.kind == "figure" and number_text in f.text]
    assert hits, f"no figure {number_text!r} among {[f.text for f in facts]}"
    return hits[0]


# A sentence after the lead, and whether the count in it is the main event's.
BACKGROUND_TOLLS = [
    ("Syria's war has killed more than 320,000 people since 2011.", "320,000", False),
    ("More than 280,000 people have been killed in the conflict.", "280,000", False),
    (
        "The five-year conflict which has killed more than 250,000 people shows no sign of ending.",
        "250,000",
        False,
    ),
    ("Separately, four people died when a bakery was shelled in Homs.", "four", False),
    ("Elsewhere, six soldiers were killed in an ambush.", "six", False),
    ("Meanwhile, 13 rebels were killed in clashes near Hama.", "13", False),
    ("Separate air strikes south of the city killed at least 12 people.", "12", False),
    (
        "The monitor said 213 civilians have been killed in and around the city since a "
        "U.S.-Russian brokered cease-fire collapsed.",
        "213",
        False,
    ),
    ("At least 90 people have died since the regime offensive on the district began.", "90", False),
    ("The raid came after a drone attack on 9 April that killed two guards.", "two", False),
    ("Last week, a similar strike killed 12 people in the same district.", "12", False),
    ("In March more than 60 civilians were killed by barrel bombs on the town.", "60", False),
    ("More than 300 civilians have been killed in Aleppo since April.", "300", False),
    ("In the past two weeks more than 200 civilians have been killed in the city.", "200", False),
    ("Earlier this month, shelling killed nine people in Idlib.", "nine", False),
    (
        "The strike was in retaliation for recent rocket attacks that killed three soldiers.",
        "three",
        False,
    ),
    ("Eleven children were among the dead, the monitor said.", "Eleven", True),
    ("The death toll from the Friday strikes rose to 52.", "52", True),
    ("Medics said 17 of the wounded were in critical condition.", "17", True),
    ("The war monitor said at least 45 people were killed in the strikes.", "45", True),
]


@pytest.mark.parametrize("sentence, number, main", BACKGROUND_TOLLS)
def test_a_toll_belongs_to_the_main_event_or_to_another_occasion(
    nlp, settings, sentence, number, main
):
    events, facts = _read(nlp, settings, _article(f"{LEAD}\n\n{sentence}"))
    main_id = next(e.id for e in events if e.main)
    fig = _figure(facts, number)
    assert (fig.event == main_id) is main, (fig.text, fig.event, fig.frame)


# A time in a sentence after the lead, and the role it plays.
TIME_ROLES = [
    ("A police source said Sunday that the toll could rise.", "Sunday", "statement"),
    ("On Saturday, the governor said the market would stay closed.", "Saturday", "statement"),
    ("The strikes hit the market at about 9 a.m. on Friday, residents said.", "9 a.m.", "event"),
    ("The group emerged in Syria in 2013.", "2013", "background"),
    ("A similar strike hit the town last month.", "last month", "background"),
    ("The blast on Friday destroyed three shops.", "Friday", "event"),
    ("The monitor announced on Saturday that 52 people had died.", "Saturday", "statement"),
    ("In a separate attack on 12 April, a car bomb killed four people.", "12 April", "background"),
    ("The siege of the district has lasted since 21 April.", "since 21 April", "background"),
    (
        "Air strikes on the district killed two more people until Saturday.",
        "Saturday",
        "background",
    ),
    # "claimed the lives of" reports a toll, not a claim: no statement time
    ("On Saturday a car bomb in Idlib claimed the lives of 12 people.", "Saturday", "background"),
    # the event word sits in a clause describing the subject: the evening is when the
    # families watched, not when the strike was
    (
        "The families, who asked to see footage of the strike, watched it on Friday evening.",
        "Friday evening",
        "background",
    ),
]


@pytest.mark.parametrize("sentence, time_text, role", TIME_ROLES)
def test_a_time_is_the_event_time_the_statement_time_or_another_occasion(
    nlp, settings, sentence, time_text, role
):
    _, facts = _read(nlp, settings, _article(f"{LEAD}\n\n{sentence}"))
    times = [f for f in facts if f.kind == "time" and time_text in f.text and f.sentence > 0]
    assert times, [f.text for f in facts if f.kind == "time"]
    assert times[0].time_role == role, (times[0].text, times[0].frame)


def test_a_drone_strike_is_named_as_one_and_met_by_a_strike(nlp, settings):
    a = _article(
        "A drone strike on a wedding in Aleppo on Friday killed 14 people, medics said.",
        "s1",
        "Harbor Gazette",
    )
    b = _article(
        "At least 20 people were killed when a strike hit a wedding in Aleppo on Friday.",
        "s2",
        "Valley Post",
    )
    events, facts = _read(nlp, settings, a, b)
    main = next(e for e in events if e.main)
    assert main.type == "drone strike"  # not a "rocket attack"
    assert {m.source_id for m in main.mentions} == {"s1", "s2"}
    assert _figure(facts, "14").event == _figure(facts, "20").event == main.id


def test_the_main_event_is_what_most_outlets_lead_with(nlp, settings):
    a = _article(LEAD, "s1", "Harbor Gazette")
    b = _article(
        "Government air strikes on Aleppo's market killed 35 people on Friday, state TV said.",
        "s2",
        "Valley Post",
    )
    c = _article(
        "A car bomb exploded in Idlib on 20 April, killing eight people. The blast "
        "hit a checkpoint.",
        "s3",
        "Idlib Today",
    )
    events, facts = _read(nlp, settings, a, b, c)
    main = next(e for e in events if e.main)
    assert main.type == "airstrike" and main.place == "Aleppo" and main.time == "2024-05-03"
    assert {m.source_id for m in main.mentions} == {"s1", "s2"}
    assert _figure(facts, "eight").event != main.id  # another day's blast: its own event
    assert _figure(facts, "35").event == _figure(facts, "40").event == main.id


def test_a_lead_of_another_kind_of_event_is_another_event(nlp, settings):
    # the same town and day: fighting on the ground is not the air strike, but a lead that
    # calls the raid shelling or a bombing is (outlets name one bombardment all these ways)
    a = _article(LEAD, "s1", "Harbor Gazette")
    b = _article(
        "Artillery shelling of the Aleppo market killed 35 people on Friday, state TV said.",
        "s2",
        "Valley Post",
    )
    c = _article(
        "Over 60 fighters killed in clashes with the army in Aleppo on Friday. The fighting "
        "raged near the airport.",
        "s3",
        "Front Line Daily",
    )
    events, facts = _read(nlp, settings, a, b, c)
    main = next(e for e in events if e.main)
    assert {m.source_id for m in main.mentions} == {"s1", "s2"}
    assert _figure(facts, "35").event == _figure(facts, "40").event == main.id
    clashes = _figure(facts, "60").event
    assert clashes is not None and clashes != main.id
    assert next(e for e in events if e.id == clashes).type == "clashes"


def test_an_outlet_placing_the_event_elsewhere_is_the_same_event(nlp, settings):
    a = _article(LEAD, "s1")
    b = _article(
        "Air strikes on a market in Homs on Friday killed 40 people, a war monitor said.",
        "s2",
        "Valley Post",
    )
    events, facts = _read(nlp, settings, a, b)
    assert len([e for e in events if e.main]) == 1
    assert (
        _figure(facts, "40").event
        == [f for f in facts if f.source_id == "s2" and f.kind == "figure"][0].event
    )


def test_a_sentence_without_cues_goes_on_telling_the_occasion_before_it(nlp, settings):
    text = (
        f"{LEAD}\n\nIn the most serious of the earlier attacks, three rockets hit Idlib on "
        "12 April. One contractor was killed."
    )
    events, facts = _read(nlp, settings, _article(text))
    main_id = next(e.id for e in events if e.main)
    contractor = _figure(facts, "One contractor")
    assert contractor.event is not None and contractor.event != main_id


ONE_BODY = [
    ("the Syrian Observatory for Human Rights", "the Britain-based war monitor", True),
    ("SOHR", "Syrian Observatory for Human Rights", True),
    ("the Syrian Arab News Agency", "SANA", True),
    ("the White Helmets", "Syria Civil Defence", True),
    ("the Pentagon", "the US Defense Department", True),
    ("the Syrian Observatory for Human Rights", "SANA", False),
    ("a monitor", "the Syrian Observatory for Human Rights", False),
    ("state TV", "the White Helmets", False),
    # where a body is based is no part of its name
    ("the Britain-based Syrian Observatory", "SOHR", True),
    ("the Damascus-based SANA news agency", "SANA", True),
    ("a London-based group", "the Syrian Observatory for Human Rights", False),
]


@pytest.mark.parametrize("a, b, same", ONE_BODY)
def test_two_names_of_one_body_are_one_source(a, b, same):
    assert same_body(a, b) is same
    assert canonical_body("  the   Observatory ") == "Syrian Observatory for Human Rights"


def test_a_fact_keeps_its_event_in_the_report_json(nlp, settings):
    events, facts = _read(nlp, settings, _article(LEAD))
    d = _figure(facts, "40").to_dict()
    assert d["event"] == next(e.id for e in events if e.main)
    assert "frame" not in d  # working data, not part of the report
    times = [f.to_dict() for f in facts if f.kind == "time"]
    assert times and all(t["time_role"] in ("event", "statement", "background") for t in times)


def test_leads_split_on_calendar_dates_but_weekdays_are_given_slack(nlp, settings):
    may4, may8 = PUBLISHED, datetime(2024, 5, 8, 9, 0, tzinfo=UTC)
    a = _article(
        "Air strikes on the market in Aleppo on 3 May killed 40 people.",
        "s1",
        "Harbor Gazette",
        may4,
    )
    # a weekday three days off: the outlet filed later and counted back from its own date
    b = _article(
        "Air strikes on the Aleppo market on Monday killed 35 people.", "s2", "Valley Post", may8
    )
    # a calendar date five days before: another strike
    c = _article(
        "Air strikes on the market in Aleppo on 28 April killed 12 people.",
        "s3",
        "State Wire",
        may4,
    )
    events, facts = _read(nlp, settings, a, b, c)
    main = next(e for e in events if e.main)
    assert _figure(facts, "40").event == _figure(facts, "35").event == main.id
    assert _figure(facts, "12").event not in (None, main.id)


def test_a_lead_dated_by_weekday_takes_the_groups_day_and_ties_go_to_the_latest(nlp, settings):
    thursday = datetime(2024, 5, 9, 12, 0, tzinfo=UTC)
    a = _article(
        "A bomb blast killed six people in the Salah district of Aleppo on Wednesday, state TV "
        "said.",
        "s1",
        "Harbor Gazette",
        thursday,
    )
    # the first weekday of this lead is a caption's, about Saturday's convoy bombing
    b = _article(
        "A boy wounded in a bomb blast on a bus convoy outside Aleppo on Saturday rests in a "
        "tent. A bomb killed six people in Aleppo on Wednesday, state TV said. Saturday's "
        "convoy bombing killed 126 people, the monitor said.",
        "s2",
        "Valley Post",
        thursday,
    )
    events, facts = _read(nlp, settings, a, b)
    main = next(e for e in events if e.main)
    assert main.time == "2024-05-08"  # one vote each: the latest day
    assert _figure(facts, "126").event != main.id  # Saturday's bombing is another day's
    sixes = [f for f in facts if f.kind == "figure" and "six" in f.text]
    assert len(sixes) == 2 and all(f.event == main.id for f in sixes)


def test_a_war_total_no_marker_gave_away_is_no_answer():
    from comparer.disagreements.cards import _without_outliers
    from comparer.records import Fact

    def toll(sid: str, low: int) -> Fact:
        return Fact(
            source_id=sid,
            sentence=0,
            kind="figure",
            text=str(low),
            start=0,
            end=1,
            value={"low": low, "high": low, "role": "killed", "counted": "person"},
        )

    kept = _without_outliers([toll("s1", 40), toll("s2", 35), toll("s2", 400000), toll("s3", 52)])
    assert sorted(f.value["low"] for f in kept) == [35, 40, 52]
    quake = [toll("s1", 41000), toll("s2", 35000), toll("s3", 44000)]
    assert _without_outliers(quake) == quake


def test_two_events_told_alike_get_labels_that_tell_them_apart():
    from comparer.events import _distinct_labels
    from comparer.records import Event

    label = "the 20 Sep 2016 airstrike in Aleppo"
    events = [
        Event(id="e1", type="airstrike", main=True, label=label),
        Event(id="e2", type="airstrike", main=False, label=label),
        Event(id="e3", type="shelling", main=False, label="the shelling in Aleppo"),
    ]
    assert [e.label for e in _distinct_labels(events)] == [
        label,
        "another 20 Sep 2016 airstrike in Aleppo",
        "the shelling in Aleppo",
    ]


def test_a_background_event_told_without_an_event_word_keeps_where_it_was_told(nlp, settings):
    article = _article(f"{LEAD} Separately, 20 civilians died in Homs on Thursday.")
    events, facts = _read(nlp, settings, article)
    homs = next(e for e in events if e.place == "Homs")
    assert not homs.main
    assert [(m.source_id, m.sentence) for m in homs.mentions] == [("s1", 2)]
    said = article.sentences[2].text[homs.mentions[0].start : homs.mentions[0].end]
    assert said in {f.text for f in facts if f.event == homs.id}


def test_a_background_event_learns_its_day_from_a_later_telling(nlp, settings):
    # one outlet names the gas attack's town, another its town and day, a third its day
    # only: all three tell one background event, not two
    a = _article(
        f"{LEAD} The raid came a week after a gas attack in Douma.", "s1", "Harbor Gazette"
    )
    b = _article(
        f"{LEAD} The gas attack in Douma on 12 April was blamed on the army.", "s2", "Valley Post"
    )
    c = _article(
        f"{LEAD} On 12 April an alleged gas attack claimed the lives of 33 people.",
        "s3",
        "River Times",
    )
    events, facts = _read(nlp, settings, a, b, c)
    gas = [e for e in events if e.type == "chemical attack"]
    assert len(gas) == 1, [(e.label, e.place, e.time) for e in events]
    assert (gas[0].place, gas[0].time) == ("Douma", "2024-04-12")
    toll = _figure(facts, "33 people")
    assert toll.event == gas[0].id


@pytest.mark.parametrize(
    "first, second, kind",
    [
        # "massacre" judges the event; the other outlet says what happened
        (
            "Massacre in Aleppo: 29 civilians killed in a market on Monday.",
            "Air strikes on a market in Aleppo killed 29 civilians on Monday.",
            "airstrike",
        ),
        ("Massacre in Aleppo: 29 killed on Monday.", "Massacre in Aleppo on Monday.", "massacre"),
    ],
)
def test_the_main_event_is_named_for_what_happened(nlp, settings, first, second, kind):
    events, _ = _read(
        nlp,
        settings,
        _article(first, "s1", "Harbor Gazette"),
        _article(second, "s2", "Valley Post"),
    )
    assert next(e for e in events if e.main).type == kind
