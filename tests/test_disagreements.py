"""Disagreements on the labelled example event and on the seed against a constructed outlet."""

from __future__ import annotations

import pytest

from comparer.pipeline import compare
from comparer.sources import example_sources, pasted_source, source_from_spec
from tests.conftest import SEED
from tests.event_helpers import describe, matches, planted


@pytest.fixture(scope="module")
def example_report(embedder, nlp, tmp_path_factory):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides(
        {"store.data_dir": str(tmp_path_factory.mktemp("store"))}
    )
    return compare(example_sources(), settings, embedder=embedder, nlp=nlp)


def test_every_planted_disagreement_is_found(example_report):
    truths = planted(example_report)
    missing = [
        f"{t['id']} {t['kind']}/{t['severity']}/{t['relation']}: {t['note']}"
        for t in truths
        if not any(matches(d, t, truths) for d in example_report.disagreements)
    ]
    found = "\n".join(describe(d, example_report) for d in example_report.disagreements)
    assert not missing, "not found:\n" + "\n".join(missing) + "\nflags were:\n" + found


def test_no_flags_beyond_the_planted_ones(example_report):
    truths = planted(example_report)
    unexpected = [
        describe(d, example_report)
        for d in example_report.disagreements
        if not any(matches(d, t, truths) for t in truths)
    ]
    assert not unexpected, "unexpected flags:\n" + "\n".join(unexpected)


def test_conflicts_come_first_and_ids_are_in_order(example_report):
    severities = [d.severity for d in example_report.disagreements]
    assert severities == sorted(
        severities, key={"conflict": 0, "unresolved": 1, "compatible": 2}.get
    )
    assert [d.id for d in example_report.disagreements] == [
        f"d{n}" for n in range(1, len(example_report.disagreements) + 1)
    ]


def test_explanations_name_each_outlet_and_the_reason(example_report):
    figure = next(
        d for d in example_report.disagreements if d.kind == "figure" and d.severity == "conflict"
    )
    outlets = {example_report.article(v.source_id).outlet for v in figure.values}
    for outlet in outlets:
        assert outlet in figure.explanation
    assert "conflict: ranges do not overlap" in figure.explanation
    assert "1" in figure.explanation and "17" in figure.explanation


CONSTRUCTED_OUTLET = (
    "US aircraft struck Iranian-backed militia positions in Al Bukamal, Syria. "
    "The strike hit Al Bukamal at about 2 a.m. local time on Friday. "
    "A war monitor said 22 militia fighters were killed in the strike.\n\n"
    "The February 15 rocket attack on Erbil killed two civilian contractors."
)


@pytest.fixture(scope="module")
def seed_pair_report(embedder, nlp, tmp_path_factory):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides(
        {"store.data_dir": str(tmp_path_factory.mktemp("store"))}
    )
    sources = [
        source_from_spec(str(SEED), "s1"),
        pasted_source(
            CONSTRUCTED_OUTLET,
            "Constructed Post",
            "s2",
            published="2021-02-26T06:00:00Z",
            constructed=True,
        ),
    ]
    return compare(sources, settings, embedder=embedder, nlp=nlp)


def test_seed_against_a_constructed_outlet_gives_exactly_the_expected_flags(seed_pair_report):
    r = seed_pair_report
    got = sorted((d.kind, d.severity, d.relation) for d in r.disagreements)
    assert got == [
        ("figure", "conflict", "ranges-disjoint"),
        ("time", "compatible", "times-within-approximation"),
    ], "\n".join(describe(d, r) for d in r.disagreements)

    figure = next(d for d in r.disagreements if d.kind == "figure")
    by_source = {v.source_id: v.value for v in figure.values}
    assert by_source["s2"]["low"] == by_source["s2"]["high"] == 2
    assert by_source["s1"]["low"] == by_source["s1"]["high"] == 1
    # "22 killed" in the strike is a different event from the Erbil contractor: not flagged.
    assert all(v.value.get("low") != 22 for v in figure.values)

    time = next(d for d in r.disagreements if d.kind == "time")
    starts = {v.source_id: v.value["start"] for v in time.values}
    # 6 PM Eastern (UTC-5) Thursday and 2 a.m. Friday in Al Bukamal (UTC+2) are one hour
    # apart: different instants, but both are "about" an hour, so they overlap.
    assert starts == {"s1": "2021-02-25T23:00:00Z", "s2": "2021-02-26T00:00:00Z"}


@pytest.fixture(scope="module")
def pairwise_reports(embedder, nlp, tmp_path_factory):
    """The example event compared two outlets at a time (15 pairs)."""
    from itertools import combinations

    from comparer.settings import load_settings

    settings = load_settings().with_overrides(
        {"store.data_dir": str(tmp_path_factory.mktemp("store"))}
    )
    sources = example_sources()
    return [
        compare([a, b], settings, embedder=embedder, nlp=nlp) for a, b in combinations(sources, 2)
    ]


@pytest.mark.slow
def test_no_pair_of_outlets_gives_a_flag_beyond_the_planted_ones(pairwise_reports):
    """With two outlets the aligner has less to go on; flags must still be planted ones
    (kind, severity and relation agree and every cited sentence is a planted member)."""
    unexpected = []
    for report in pairwise_reports:
        truths = planted(report, partial=True)
        for d in report.disagreements:
            if not any(matches(d, t, truths) for t in truths):
                unexpected.append(describe(d, report))
    assert not unexpected, "unexpected flags:\n" + "\n".join(unexpected)
    found = sum(len(r.disagreements) for r in pairwise_reports)
    assert found >= 15  # most planted pairs are still found two outlets at a time


def test_a_sentence_in_a_disagreement_is_not_an_omission(example_report):
    disputed = {(v.source_id, v.sentence) for d in example_report.disagreements for v in d.values}
    assert disputed and not disputed & {(o.source_id, o.sentence) for o in example_report.omissions}
    assert example_report.omissions  # the background paragraphs stay omissions


def test_unrelated_stories_are_not_compared(embedder, nlp, tmp_path):
    """Ten pages about different events (harbour vote, school levy, bridge works, fires ...)
    share no claim, so their clock times and counts are never set against each other."""
    from comparer.settings import load_settings
    from comparer.sources import sources_from_specs
    from tests.conftest import FIXTURES

    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path / "data")})
    pages = sorted(str(p) for p in (FIXTURES / "pages").glob("*.html"))
    report = compare(sources_from_specs(pages), settings, embedder=embedder, nlp=nlp)
    assert sum(a.status == "ok" for a in report.articles) >= 8
    assert sum(1 for f in report.facts if f.kind == "time") >= 5  # there were times to compare
    assert report.disagreements == (), "\n".join(describe(d, report) for d in report.disagreements)


def test_narrowed_pairs_are_the_pairs_a_full_scan_would_accept():
    """``meet`` only skips pairs ``comparable`` would refuse, and keeps the scan's order."""
    import random

    from comparer.disagreements.pairs import _pairs
    from comparer.records import Fact

    rng = random.Random(7)
    facts = [
        Fact(
            source_id=f"s{rng.randrange(4)}",
            sentence=n,
            kind="figure",
            text="3",
            start=0,
            end=1,
            value={
                "role": rng.choice(["killed", None]),
                "claim": rng.choice(["c1", "c2", "c3", None]),
                "town": rng.choice([True, None]),
            },
        )
        for n in range(120)
    ]

    def comparable(a: Fact, b: Fact) -> bool:  # the shape of _place_comparable's rule
        same_claim = a.value["claim"] is not None and a.value["claim"] == b.value["claim"]
        return same_claim or (a.value["town"] is True and b.value["town"] is True)

    def role(f: Fact):
        return f.value["role"]

    full = list(_pairs(facts, comparable, bucket=role))
    narrowed = list(
        _pairs(
            facts,
            comparable,
            bucket=role,
            meet=lambda key: [lambda f: f.value["claim"], lambda f: f.value["town"]],
        )
    )
    assert len(full) > 300
    assert [(a.sentence, b.sentence) for a, b in narrowed] == [
        (a.sentence, b.sentence) for a, b in full
    ]


@pytest.mark.parametrize(
    "slot, title, asked",
    [
        ("count:bus", "Number of buses", "How many buses in the event?"),
        ("count:truck", "Number of trucks", "How many trucks in the event?"),
        ("count:casualty", "Number of casualties", "How many casualties in the event?"),
        ("count:service member", "Number of service members", None),
        ("count:militia man", "Number of militia men", None),
        ("count:unnamed", "Number of items", "How many items in the event?"),
    ],
)
def test_a_count_card_names_its_things_in_the_plural(slot, title, asked):
    from comparer.disagreements.slots import question, slot_title

    assert slot_title(slot) == title
    if asked is not None:
        assert question(slot, None) == asked
