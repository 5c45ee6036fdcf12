"""Times and dates in wire-copy sentences, normalised to UTC, read with the real spaCy pipeline."""

from __future__ import annotations

from datetime import UTC as UTC_ZONE  # `UTC` below is the expected zone label
from datetime import datetime

import pytest

from comparer.facts.context import ArticleContext
from comparer.facts.times import find_times
from comparer.records import Sentence

SEED_STRIKE = (
    "According to Marine Corps Times, US troops attacked a border checkpoint in eastern "
    "Syria used by Iranian-backed militant groups about 6 PM East Standard Time Thursday "
    "afternoon."
)
FEB26 = "2021-02-26"  # the seed's publication date


def when(day: str | None) -> datetime | None:
    return None if day is None else datetime.fromisoformat(day).replace(tzinfo=UTC_ZONE)


def times(nlp, settings, text, published=FEB26, places=(), *, parse=True):
    sentence = Sentence(source_id="s1", index=0, text=text, start=0, end=len(text), paragraph=0)
    ctx = ArticleContext(source_id="s1", published=when(published), places=tuple(places))
    facts = find_times(sentence, nlp(text) if parse else None, ctx=ctx, settings=settings)
    for f in facts:  # every span is exact evidence
        assert text[f.start : f.end] == f.text == f.value["original"]
        assert (f.kind, f.source_id, f.sentence) == ("time", "s1", 0)
    return facts


def rows(facts):
    return [
        (
            f.text,
            f.value["start"],
            f.value["end"],
            f.value["granularity"],
            f.value["zone"],
            f.value["resolved"],
            f.value["approximate"],
        )
        for f in facts
    ]


NY_EST, UTC = "America/New_York (EST)", "UTC"
AT_BUKAMAL = "Asia/Damascus (local time at Al Bukamal)"
# (sentence, published, article places,
#  [(span, start, end, granularity, zone, resolved, approximate), ...])
TABLE = [
    (
        SEED_STRIKE,
        FEB26,
        (),
        [
            (
                "about 6 PM East Standard Time Thursday afternoon",
                "2021-02-25T23:00:00Z",
                "2021-02-26T00:00:00Z",
                "hour",
                NY_EST,
                True,
                True,
            )
        ],
    ),
    (
        "The strikes hit buildings in Al Bukamal at 1 a.m. local time on Friday, a war monitor said.",
        FEB26,
        (),
        [
            (
                "1 a.m. local time on Friday",
                "2021-02-25T23:00:00Z",
                "2021-02-26T00:00:00Z",
                "hour",
                AT_BUKAMAL,
                True,
                False,
            )
        ],
    ),
    (
        "The raid came at 1 a.m. local time on Friday.",
        FEB26,
        ("Syria", "Al Bukamal", "Iraq"),
        [
            (
                "1 a.m. local time on Friday",
                "2021-02-25T23:00:00Z",
                "2021-02-26T00:00:00Z",
                "hour",
                AT_BUKAMAL,
                True,
                False,
            )
        ],
    ),
    (
        "The strike in Al Bukamal happened at about 2 a.m. local time on Friday.",
        FEB26,
        (),
        [
            (
                "about 2 a.m. local time on Friday",
                "2021-02-26T00:00:00Z",
                "2021-02-26T01:00:00Z",
                "hour",
                AT_BUKAMAL,
                True,
                True,
            )
        ],
    ),
    # no known place: the wall clock is kept, floating, and the time is not resolved
    (
        "Officials said the rockets were fired at 1 a.m. local time on Friday.",
        FEB26,
        (),
        [
            (
                "1 a.m. local time on Friday",
                "2021-02-26T01:00:00Z",
                "2021-02-26T02:00:00Z",
                "hour",
                None,
                False,
                False,
            )
        ],
    ),
    (
        "On February 15, three 107 mm rockets targeted the Iraqi airbase in Irbil.",
        FEB26,
        (),
        [("February 15", "2021-02-15T00:00:00Z", "2021-02-16T00:00:00Z", "day", None, True, False)],
    ),
    (
        "On December 30, rockets landed near the embassy compound.",
        "2021-01-05",
        (),
        [("December 30", "2020-12-30T00:00:00Z", "2020-12-31T00:00:00Z", "day", None, True, False)],
    ),
    (
        "Press Secretary Jen Psaki said last week that the US reserves the right to respond.",
        FEB26,
        (),
        [("last week", "2021-02-15T00:00:00Z", "2021-02-22T00:00:00Z", "week", None, True, False)],
    ),
    (
        "The US military launched an airstrike against a paramilitary base in Syria on Thursday.",
        FEB26,
        (),
        [("Thursday", "2021-02-25T00:00:00Z", "2021-02-26T00:00:00Z", "day", None, True, False)],
    ),
    (
        "Biden approved the strike Thursday afternoon, officials said.",
        FEB26,
        (),
        [
            (
                "Thursday afternoon",
                "2021-02-25T12:00:00Z",
                "2021-02-25T18:00:00Z",
                "part_of_day",
                None,
                False,
                False,
            )
        ],
    ),
    (
        "Residents of Al Mayadin said they heard explosions Friday night.",
        "2021-02-27",
        (),
        [
            (
                "Friday night",
                "2021-02-26T18:00:00Z",
                "2021-02-27T06:00:00Z",
                "part_of_day",
                None,
                False,
                False,
            )
        ],
    ),
    # the same moment on two clocks, the second in parentheses
    (
        "The strikes took place at about 1 a.m. local time on Friday (2300 GMT Thursday) near Abu "
        "Kamal, the Syrian Observatory said.",
        FEB26,
        (),
        [
            (
                "about 1 a.m. local time on Friday",
                "2021-02-25T23:00:00Z",
                "2021-02-26T00:00:00Z",
                "hour",
                AT_BUKAMAL,
                True,
                True,
            ),
            (
                "2300 GMT Thursday",
                "2021-02-25T23:00:00Z",
                "2021-02-26T00:00:00Z",
                "hour",
                UTC,
                True,
                False,
            ),
        ],
    ),
    # a clock with no known zone restated on one that has it is that moment: its offset is
    # read off the pair, and a day inside the parentheses is the nearest clock's
    (
        "The shells fell around 3 a.m. (0000 GMT) on Thursday.",
        FEB26,
        (),
        [
            (
                "around 3 a.m.",
                "2021-02-25T00:00:00Z",
                "2021-02-25T01:00:00Z",
                "hour",
                "UTC+03:00",
                True,
                True,
            ),
            ("0000 GMT", "2021-02-25T00:00:00Z", "2021-02-25T01:00:00Z", "hour", UTC, True, False),
        ],
    ),
    (
        "The attack took place at around 3:00 a.m. (0000 GMT / 8:00 p.m. Wednesday EDT).",
        FEB26,
        (),
        [
            (
                "around 3:00 a.m.",
                "2021-02-25T00:00:00Z",
                "2021-02-25T01:00:00Z",
                "hour",
                "UTC+03:00",
                True,
                True,
            ),
            ("0000 GMT", "2021-02-25T00:00:00Z", "2021-02-25T01:00:00Z", "hour", UTC, True, False),
            (
                "8:00 p.m. Wednesday",
                "2021-02-25T00:00:00Z",
                "2021-02-25T01:00:00Z",
                "hour",
                "UTC-04:00",
                True,
                False,
            ),
        ],
    ),
    (
        "Kirby said the strike was carried out at about 6 p.m. ET (2300 GMT) on Thursday.",
        FEB26,
        (),
        [
            (
                "about 6 p.m. ET",
                "2021-02-25T23:00:00Z",
                "2021-02-26T00:00:00Z",
                "hour",
                "America/New_York (ET)",
                True,
                True,
            ),
            ("2300 GMT", "2021-02-25T23:00:00Z", "2021-02-26T00:00:00Z", "hour", UTC, True, False),
        ],
    ),
    (
        "The attack came at 9:30 p.m. Baghdad time on Feb. 15, security officials said.",
        FEB26,
        (),
        [
            (
                "9:30 p.m. Baghdad time on Feb. 15",
                "2021-02-15T18:30:00Z",
                "2021-02-15T18:31:00Z",
                "minute",
                "Asia/Baghdad (Baghdad time)",
                True,
                False,
            )
        ],
    ),
    (
        "Rockets struck the base shortly after midnight on Monday, Iraqi officials said.",
        FEB26,
        (),
        [
            (
                "shortly after midnight on Monday",
                "2021-02-22T00:00:00Z",
                "2021-02-22T01:00:00Z",
                "hour",
                None,
                False,
                True,
            )
        ],
    ),
    (
        "The drone attack happened at 6 p.m. EDT on July 4, officials said.",
        "2021-07-06",
        (),
        [
            (
                "6 p.m. EDT on July 4",
                "2021-07-04T22:00:00Z",
                "2021-07-04T23:00:00Z",
                "hour",
                "America/New_York (EDT)",
                True,
                False,
            )
        ],
    ),
    (
        "The first strike began at 0100 GMT on Friday, the monitor said.",
        FEB26,
        (),
        [
            (
                "0100 GMT on Friday",
                "2021-02-26T01:00:00Z",
                "2021-02-26T02:00:00Z",
                "hour",
                UTC,
                True,
                False,
            )
        ],
    ),
    (
        "The attack, at 3 p.m. Eastern time on Thursday, was the first under Biden.",
        FEB26,
        (),
        [
            (
                "3 p.m. Eastern time on Thursday",
                "2021-02-25T20:00:00Z",
                "2021-02-25T21:00:00Z",
                "hour",
                "America/New_York (ET)",
                True,
                False,
            )
        ],
    ),
    (
        "Syrian state media said the strikes hit at dawn on Friday.",
        FEB26,
        (),
        [
            (
                "at dawn on Friday",
                "2021-02-26T04:00:00Z",
                "2021-02-26T07:00:00Z",
                "part_of_day",
                None,
                False,
                False,
            )
        ],
    ),
    (
        "Defense Secretary Lloyd Austin told reporters traveling with him early Friday.",
        FEB26,
        (),
        [
            (
                "early Friday",
                "2021-02-26T00:00:00Z",
                "2021-02-26T08:00:00Z",
                "part_of_day",
                None,
                False,
                False,
            )
        ],
    ),
    (
        "The Pentagon announced the strike yesterday.",
        FEB26,
        (),
        [("yesterday", "2021-02-25T00:00:00Z", "2021-02-26T00:00:00Z", "day", None, True, False)],
    ),
    (
        "Militias have fired rockets at US bases since October.",
        FEB26,
        (),
        [
            (
                "since October",
                "2020-10-01T00:00:00Z",
                "2020-11-01T00:00:00Z",
                "month",
                None,
                True,
                False,
            )
        ],
    ),
    (
        "The coalition carried out 20 strikes in 2019.",
        FEB26,
        (),
        [("2019", "2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "year", None, True, False)],
    ),
    (
        "Talks between the two sides are due next Tuesday.",
        FEB26,
        (),
        [
            (
                "next Tuesday",
                "2021-03-02T00:00:00Z",
                "2021-03-03T00:00:00Z",
                "day",
                None,
                True,
                False,
            )
        ],
    ),
    (
        "A rocket attack on Erbil on Monday evening killed a contractor.",
        FEB26,
        (),
        [
            (
                "Monday evening",
                "2021-02-22T18:00:00Z",
                "2021-02-23T00:00:00Z",
                "part_of_day",
                None,
                False,
                False,
            )
        ],
    ),
    (
        "The strike on Thursday, Feb. 25, hit a border crossing.",
        FEB26,
        (),
        [
            (
                "Thursday, Feb. 25",
                "2021-02-25T00:00:00Z",
                "2021-02-26T00:00:00Z",
                "day",
                None,
                True,
                False,
            )
        ],
    ),
    (
        "The airstrikes began at 2300 Zulu on Feb. 25, a defense official said.",
        FEB26,
        (),
        [
            (
                "2300 Zulu on Feb. 25",
                "2021-02-25T23:00:00Z",
                "2021-02-26T00:00:00Z",
                "hour",
                UTC,
                True,
                False,
            )
        ],
    ),
    (
        "American warplanes bombed positions held by militias in eastern Syria overnight.",
        "2021-02-26T09:15:00",
        (),
        [
            (
                "overnight",
                "2021-02-25T18:00:00Z",
                "2021-02-26T06:00:00Z",
                "part_of_day",
                None,
                False,
                False,
            )
        ],
    ),
    (
        "The rockets were fired on 15 February 2021 from a village south of Erbil.",
        FEB26,
        (),
        [
            (
                "15 February 2021",
                "2021-02-15T00:00:00Z",
                "2021-02-16T00:00:00Z",
                "day",
                None,
                True,
                False,
            )
        ],
    ),
    # "before midnight on Thursday" is the end of Thursday, "after midnight on Friday" its start
    (
        "The attack happened just before midnight on Thursday.",
        FEB26,
        (),
        [
            (
                "just before midnight on Thursday",
                "2021-02-26T00:00:00Z",
                "2021-02-26T01:00:00Z",
                "hour",
                None,
                False,
                True,
            )
        ],
    ),
    (
        "Strikes were reported overnight Thursday and again on Feb. 20-22.",
        FEB26,
        (),
        [
            (
                "overnight Thursday",
                "2021-02-25T18:00:00Z",
                "2021-02-26T06:00:00Z",
                "part_of_day",
                None,
                False,
                False,
            ),
            (
                "Feb. 20-22",
                "2021-02-20T00:00:00Z",
                "2021-02-23T00:00:00Z",
                "day",
                None,
                True,
                False,
            ),
        ],
    ),
    (
        "The attack took place at about 9:30 p.m. local time on Thursday in Erbil.",
        FEB26,
        (),
        [
            (
                "about 9:30 p.m. local time on Thursday",
                "2021-02-25T18:30:00Z",
                "2021-02-25T18:31:00Z",
                "minute",
                "Asia/Baghdad (local time at Erbil)",
                True,
                True,
            )
        ],
    ),
    # no publication date: a weekday cannot be placed
    (
        "The strike took place on Thursday.",
        None,
        (),
        [("Thursday", None, None, "day", None, False, False)],
    ),
    # future tense before a bare weekday: the next one (published Friday 26 Feb)
    (
        "The Pentagon will brief reporters on Monday about the strike.",
        FEB26,
        (),
        [("Monday", "2021-03-01T00:00:00Z", "2021-03-02T00:00:00Z", "day", None, True, False)],
    ),
    (
        "Congress is expected to debate the strike on Tuesday.",
        FEB26,
        (),
        [("Tuesday", "2021-03-02T00:00:00Z", "2021-03-03T00:00:00Z", "day", None, True, False)],
    ),
    (
        "Officials said on Monday that the strike had been planned for weeks.",
        FEB26,
        (),
        [("Monday", "2021-02-22T00:00:00Z", "2021-02-23T00:00:00Z", "day", None, True, False)],
    ),
    # not times: durations, ages, years as adjectives, newspapers, named days
    (
        "The fighting went on for three hours, and a 6-year-old boy was among 17 people hurt.",
        FEB26,
        (),
        [],
    ),
    (
        "The 2019 attack was reported by the Sunday Times and USA Today on Good Friday.",
        FEB26,
        (),
        [],
    ),
]


@pytest.mark.parametrize(
    "text,published,places,expected", TABLE, ids=[f"{i:02d}" for i in range(len(TABLE))]
)
def test_time_table(nlp, settings, text, published, places, expected):
    assert rows(times(nlp, settings, text, published, places)) == expected


def test_seed_strike_full_value(nlp, settings):
    [fact] = times(nlp, settings, SEED_STRIKE)
    assert fact.start == SEED_STRIKE.index("about 6 PM")
    assert dict(fact.value) == {
        "start": "2021-02-25T23:00:00Z",
        "end": "2021-02-26T00:00:00Z",
        "granularity": "hour",
        "zone": "America/New_York (EST)",
        "resolved": True,
        "original": "about 6 PM East Standard Time Thursday afternoon",
        "approximate": True,
        "qualifier": "about",
        "floating": False,
        "clock": "18:00",
        "utc_clock": "23:00",
        "zone_text": "East Standard Time",
        "zone_from": "explicit",
    }


def test_clock_without_a_day_keeps_its_clock(nlp, settings):
    [fact] = times(nlp, settings, "The strike was carried out at about 6 p.m. EST, Kirby said.")
    assert (
        fact.text,
        fact.value["start"],
        fact.value["resolved"],
        fact.value["clock"],
        fact.value["utc_clock"],
    ) == ("about 6 p.m. EST", None, False, "18:00", "23:00")


def test_local_time_from_an_extra_place(nlp, settings):
    extra = settings.with_overrides({"facts.extra_places": {"Hajin": "Asia/Damascus"}})
    text = "Shelling hit Hajin at 4 p.m. local time on Thursday."
    assert rows(times(nlp, extra, text)) == [
        (
            "4 p.m. local time on Thursday",
            "2021-02-25T14:00:00Z",
            "2021-02-25T15:00:00Z",
            "hour",
            "Asia/Damascus (local time at Hajin)",
            True,
            False,
        )
    ]
    assert rows(times(nlp, settings, text))[0][4:6] == (None, False)  # unknown without it


def test_same_result_without_a_parse(nlp, settings):
    assert rows(times(nlp, settings, SEED_STRIKE, parse=False)) == rows(
        times(nlp, settings, SEED_STRIKE)
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "6 p.m.",
        "Feb. 30",
        "Feb. 29",
        "(2300 GMT)",
        "UTC+99",
        "31 June 2021",
        "9999-12-31 overnight",
        "\u00a0)(",
        "next month on December 31st 9999",
    ],
)
@pytest.mark.parametrize(
    "published", [None, datetime(9999, 12, 31, tzinfo=UTC_ZONE), datetime(2021, 2, 26)]
)  # naive: taken as UTC
def test_never_raises(settings, text, published):
    sentence = Sentence(source_id="s1", index=0, text=text, start=0, end=len(text), paragraph=0)
    for ctx in (None, ArticleContext(source_id="s1", published=published, places=("Nowhere",))):
        facts = find_times(sentence, None, ctx=ctx, settings=settings)
        assert all(text[f.start : f.end] == f.text for f in facts)
