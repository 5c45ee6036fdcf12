"""The pair rules and event cues on their own, one row per case."""

from __future__ import annotations

import pytest

from comparer.disagreements.rules import figure_relation, place_relation, time_relation
from comparer.event_cues import Cues, cues_differ, sentence_cues, share_event
from comparer.records import Fact
from comparer.settings import load_settings

SETTINGS = load_settings()


def fact(kind: str, **value) -> Fact:
    return Fact(source_id="s1", sentence=0, kind=kind, text="x", start=0, end=1, value=value)


def fig(low, high, counted="fighter", role="killed", qualifier="exact"):
    return fact("figure", low=low, high=high, counted=counted, role=role, qualifier=qualifier)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (fig(1, 1), fig(17, None, qualifier="at_least"), ("conflict", "ranges-disjoint")),
        (fig(17, None, qualifier="at_least"), fig(22, 22), ("compatible", "ranges-overlap")),
        (fig(22, 22), fig(22, 22), None),  # same reading: no flag
        # "more than 85" beside "85": the figure told as a floor; beside "80", a conflict
        (fig(86, None, qualifier="more_than"), fig(85, 85), ("compatible", "ranges-touch")),
        (fig(85, 85), fig(86, None, qualifier="more_than"), ("compatible", "ranges-touch")),
        (fig(86, None, qualifier="more_than"), fig(80, 80), ("conflict", "ranges-disjoint")),
        (fig(86, None, qualifier="at_least"), fig(85, 85), ("conflict", "ranges-disjoint")),
        (fig(1, 1, counted="contractor"), fig(17, 17), None),  # contractor vs fighter
        (fig(1, 1, counted="militia member"), fig(17, 17), ("conflict", "ranges-disjoint")),
        (fig(17, 17, counted=None), fig(1, 1), ("conflict", "ranges-disjoint")),  # "killed 17"
        (
            fig(3, 9, counted="facility", role=None, qualifier="vague"),
            fig(2, 2, counted="facility", role=None),
            None,
        ),  # "several" vs "two"
        (fig(20, 99, qualifier="vague"), fig(3, 3), ("conflict", "ranges-disjoint")),  # dozens
        (fig(3, 9, qualifier="vague"), fig(4, 4), None),  # "several" vs 4
        (fig(9, 9, counted=None, role=None), fig(7, 7, counted=None, role=None), None),
    ],
)
def test_figure_relation(a, b, expected):
    rel = figure_relation(a, b, SETTINGS)
    assert (None if rel is None else (rel.severity, rel.label)) == expected


def t(
    start, end, granularity="hour", zone="America/New_York (EST)", resolved=True, approximate=False
):
    return fact(
        "time",
        start=start,
        end=end,
        granularity=granularity,
        zone=zone,
        resolved=resolved,
        approximate=approximate,
    )


EST6 = t("2021-02-25T23:00:00Z", "2021-02-26T00:00:00Z", approximate=True)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (
            EST6,
            t("2021-02-25T23:00:00Z", "2021-02-26T00:00:00Z", zone="Asia/Damascus (local time)"),
            ("compatible", "same-time-different-clocks"),
        ),
        (
            EST6,
            t("2021-02-25T23:00:00Z", "2021-02-26T00:00:00Z", zone="America/New_York (EST)"),
            None,
        ),  # same clock, same time
        (
            EST6,
            t("2021-02-25T21:00:00Z", "2021-02-25T22:00:00Z", approximate=True),
            ("conflict", "different-times"),
        ),  # 4 p.m. vs 6 p.m.
        (
            EST6,
            t(
                "2021-02-26T00:00:00Z",
                "2021-02-26T01:00:00Z",
                zone="Asia/Damascus",
                approximate=True,
            ),
            ("compatible", "times-within-approximation"),
        ),
        (
            EST6,
            t("2021-02-26T01:00:00Z", "2021-02-26T02:00:00Z", zone=None, resolved=False),
            ("unresolved", "clock-unknown"),
        ),
        (
            t("2021-02-25T00:00:00Z", "2021-02-26T00:00:00Z", "day", zone=None),
            t("2021-02-26T00:00:00Z", "2021-02-27T00:00:00Z", "day", zone=None),
            ("unresolved", "dates-differ-by-a-day"),
        ),  # Thursday vs Friday
        (
            t("2021-02-15T00:00:00Z", "2021-02-16T00:00:00Z", "day", zone=None),
            t("2021-02-25T00:00:00Z", "2021-02-26T00:00:00Z", "day", zone=None),
            ("conflict", "different-dates"),
        ),
        (t("2021-02-25T00:00:00Z", "2021-02-26T00:00:00Z", "day", zone=None), EST6, None),
    ],
)
def test_time_relation(a, b, expected):
    rel = time_relation(a, b, SETTINGS)
    assert (None if rel is None else (rel.severity, rel.label)) == expected


def place(canonical, level="town", country="Syria"):
    return fact("place", name=canonical, canonical=canonical, level=level, country=country)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (place("Al Bukamal"), place("Al Mayadin"), ("conflict", "different-places")),
        (place("Al Bukamal"), place("Abu Kamal"), None),  # one town, two spellings
        (
            place("Al Bukamal"),
            place("Al Qaim", country="Iraq"),
            None,
        ),  # a landmark across the border
        (place("Al Bukamal"), place("Syria", level="country"), None),  # not like with like
        # a province's seat may name the province: a town in it is no rival place ...
        (place("Deir ez-Zor", level="city"), place("Al Mayadin"), None),
        (place("Al Mayadin"), place("Deir ez-Zor", level="city"), None),
        # ... but another province's seat is
        (place("Raqqa", level="city"), place("Al Mayadin"), ("conflict", "different-places")),
    ],
)
def test_place_relation(a, b, expected):
    rel = place_relation(a, b, SETTINGS)
    assert (None if rel is None else (rel.severity, rel.label)) == expected


@pytest.mark.parametrize(
    "text_a, text_b, differ, shared",
    [
        ("Three rockets hit the base in Erbil.", "The strike killed 17 fighters.", True, False),
        ("US troops attacked a border checkpoint.", "The strike hit at 6 p.m.", False, True),
        ("The vote came at 11:40 p.m.", "The strike hit at 6 p.m.", False, False),
        ("The strike was revenge for rocket attacks.", "The strike killed 17.", False, True),
    ],
)
def test_event_cues(text_a, text_b, differ, shared):
    a, b = sentence_cues(text_a, []), sentence_cues(text_b, [])
    assert cues_differ(a, b) is differ
    assert share_event(a, b) is shared


def test_towns_and_dates_tell_events_apart():
    from datetime import date

    assert cues_differ(Cues(towns=frozenset({"Erbil"})), Cues(towns=frozenset({"Al Bukamal"})))
    assert cues_differ(
        Cues(dates=frozenset({date(2021, 2, 15)})), Cues(dates=frozenset({date(2021, 2, 25)}))
    )
    assert not cues_differ(
        Cues(dates=frozenset({date(2021, 2, 25)})), Cues(dates=frozenset({date(2021, 2, 26)}))
    )  # a day apart: clocks
