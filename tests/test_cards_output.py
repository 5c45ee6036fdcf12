"""One card per question, written out: the memo, the CSV, the dashboard's card markup and
charts, on a Report built by hand (constructed text, no models needed).

The report: three outlets on a market bombing (the main event) and an earlier shelling
(a background event). A war monitor's toll is revised from 40 to 52; state TV says 35.
One outlet's name and one question are hostile, and one card is an old-style flag with
no question and no event, as the pipeline writes them until the event stage lands.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest

from comparer import report as rpt
from comparer.records import (
    Article,
    Disagreement,
    DisagreementValue,
    Event,
    EventMention,
    Report,
    Revision,
    Sentence,
    Source,
)
from dashboard import cards, charts, render

HOSTILE_OUTLET = 'Evil <img src=x onerror="alert(1)"> [x](javascript:alert(1))'
HOSTILE_QUESTION = "Who ran *it*? [click](javascript:alert(2)) <script>alert(3)</script> | x"


def _article(sid: str, outlet: str, sentences: list[str], **extra) -> Article:
    text, spans, at = "", [], 0
    for i, s in enumerate(sentences):
        spans.append(Sentence(sid, i, s, at, at + len(s), paragraph=i))
        text += s + " "
        at += len(s) + 1
    return Article(
        source=Source(id=sid, kind="text", constructed=True),
        status="ok",
        outlet=outlet,
        text=text.rstrip(),
        sentences=tuple(spans),
        **extra,
    )


def _value(article: Article, index: int, evidence: str, value: dict, **extra) -> DisagreementValue:
    sentence = article.sentences[index].text
    start = sentence.index(evidence)
    return DisagreementValue(
        article.id, index, evidence, start, start + len(evidence), value, **extra
    )


def _toll(low: int, high: int | None, qualifier: str | None = None) -> dict:
    return {"low": low, "high": high, "counted": "person", "role": "killed", "qualifier": qualifier}


def _time(start: str) -> dict:
    return {
        "start": start,
        "end": start,
        "granularity": "hour",
        "zone": "UTC",
        "resolved": True,
        "original": start,
    }


def build_report() -> Report:
    gazette = _article(
        "s1",
        "Harbor Gazette",
        [
            "At least 40 people were killed in the market bombing in Dara on Friday, "
            "the war monitor said.",
            "The monitor later raised the toll to at least 52.",
            "Twelve people died in the shelling of Nahr last month.",
        ],
        dateline_place="DARA",
        dateline_date=date(2024, 5, 4),
    )
    post = _article(
        "s2",
        "Valley Post",
        [
            "State TV said 35 people were killed when the bomb went off at 9 a.m.",
            "About a dozen people were killed in the April shelling of Nahr.",
        ],
    )
    evil = _article(
        "s3",
        HOSTILE_OUTLET,
        ["The blast at 10 a.m. killed 35 people <script>alert(4)</script>, it said."],
    )
    main = Event(
        "e1",
        "bombing",
        True,
        place="Dara",
        time="2024-05-03",
        label="the 3 May market bombing in Dara",
        mentions=(
            EventMention("s1", 0, 35, 43),
            EventMention("s2", 0, 42, 46),
            EventMention("s3", 0, 4, 9),
        ),
    )
    shelling = Event(
        "e2",
        "shelling",
        False,
        place="Nahr",
        time="2024-04-12",
        label="the 12 Apr shelling of Nahr",
        mentions=(EventMention("s1", 2, 28, 36), EventMention("s2", 1, 42, 50)),
    )
    monitor = "the war monitor"
    killed = Disagreement(
        "d1",
        "figure",
        "conflict",
        ("c1",),
        "Killed in the 3 May market bombing: at least 40 → at least 52 (war monitor, "
        "revised) · 35 (state TV) · conflict",
        (
            _value(
                gazette,
                0,
                "At least 40",
                _toll(40, None, "at_least"),
                credited_to=monitor,
                said_when="2024-05-03T18:00:00Z",
            ),
            _value(
                gazette,
                1,
                "at least 52",
                _toll(52, None, "at_least"),
                credited_to=monitor,
                said_when="2024-05-04",
            ),
            _value(post, 0, "35", _toll(35, 35), credited_to="state TV"),
        ),
        relation="ranges-disjoint",
        event="e1",
        slot="killed",
        question="How many were killed in the 3 May market bombing in Dara?",
        revisions=(Revision(monitor, (0, 1)),),
    )
    earlier = Disagreement(
        "d2",
        "figure",
        "compatible",
        ("c2",),
        "Killed in the shelling: 12 · about 12",
        (
            _value(gazette, 2, "Twelve", _toll(12, 12)),
            _value(post, 1, "About a dozen", _toll(10, 14, "about")),
        ),
        relation="ranges-overlap",
        event="e2",
        slot="killed",
        question="How many were killed in the 12 Apr shelling of Nahr?",
    )
    when = Disagreement(
        "d3",
        "time",
        "conflict",
        ("c3",),
        "When: 09:00 UTC · 10:00 UTC",
        (
            _value(post, 0, "9 a.m.", _time("2024-05-03T09:00:00Z")),
            _value(evil, 0, "10 a.m.", _time("2024-05-03T10:00:00Z")),
        ),
        event="e1",
        slot="event_time",
        question=HOSTILE_QUESTION,
    )
    old_style = Disagreement(
        "d4",
        "figure",
        "unresolved",
        ("c4",),
        "Harbor Gazette and the other say 35 and 40",
        (
            _value(evil, 0, "35", _toll(35, 35)),
            _value(gazette, 0, "At least 40", _toll(40, None, "at_least")),
        ),
    )
    return Report(
        generated_at=datetime(2024, 5, 5, tzinfo=UTC),
        settings={},
        articles=(gazette, post, evil),
        events=(main, shelling),
        disagreements=(killed, earlier, when, old_style),
    )


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report()


@pytest.fixture(scope="module")
def memo(report) -> str:
    return rpt.to_markdown(report)


def _card(memo: str, card_id: str) -> str:
    start = memo.index(f"### {card_id} ")
    end = memo.find("\n### ", start + 1)
    section = memo.find("\n## ", start + 1)
    ends = [x for x in (end, section) if x > 0]
    return memo[start : min(ends) if ends else None]


# -- the memo ----------------------------------------------------------------------------


def test_memo_heads_each_card_with_its_question(memo):
    card = _card(memo, "d1")
    assert card.startswith(
        "### d1 · How many were killed in the 3 May market bombing in Dara? "
        "· conflict (ranges-disjoint)\n"
    )
    assert "**Answer:** Killed in the 3 May market bombing: at least 40 → at least 52" in card
    assert "| Outlet | Answer | Credited to | Said | Sentence |" in card


def test_memo_rows_carry_answer_credit_when_and_the_quoted_sentence(memo):
    rows = [line for line in _card(memo, "d1").splitlines() if line.startswith("| Harbor")]
    assert len(rows) == 2
    assert " | at least 40 people killed | the war monitor | 2024-05-03 18:00 UTC | " in rows[0]
    assert rows[0].endswith(
        "| “**At least 40** people were killed in the market bombing in "
        "Dara on Friday, the war monitor said.” |"
    )
    assert " | at least 52 people killed | the war monitor | 2024-05-04 | " in rows[1]
    state_tv = [line for line in _card(memo, "d1").splitlines() if "Valley Post" in line]
    assert " | 35 people killed | state TV | — | " in state_tv[0]


def test_memo_writes_a_revision_as_a_timeline_line(memo):
    assert (
        "Revised by the war monitor: at least 40 people killed → at least 52 people killed "
        "(Harbor Gazette)"
    ) in _card(memo, "d1")
    assert "Revised by" not in _card(memo, "d2")


def test_memo_lists_the_main_event_then_the_background_ones(memo):
    events = memo[memo.index("## Events") : memo.index("## Conflicts")]
    assert memo.index("## Sources") < memo.index("## Events")
    assert (
        "**Main event:** the 3 May market bombing in Dara (bombing, Dara, 2024-05-03, id e1): "
        "mentioned by Harbor Gazette, Valley Post, " + rpt.md_escape(HOSTILE_OUTLET)
    ) in events
    assert (
        "- the 12 Apr shelling of Nahr (shelling, Nahr, 2024-04-12, id e2): mentioned by "
        "Harbor Gazette, Valley Post."
    ) in events


def test_an_outlet_with_two_articles_on_an_event_is_named_once():
    articles = (
        _article("s1", "Harbor Gazette", ["Rockets hit the port."]),
        _article("s2", "Harbor Gazette", ["The port was hit by rockets."]),
        _article("s3", "Valley Post", ["Rockets struck the port."]),
    )
    event = Event(
        id="e1",
        type="rocket attack",
        main=True,
        mentions=tuple(EventMention(a.id, 0, 0, 7) for a in articles),
    )
    report = Report(generated_at=datetime(2024, 5, 4, tzinfo=UTC), settings={}, articles=articles)
    assert rpt.event_outlets(report, event) == ["Harbor Gazette (2 articles)", "Valley Post"]


def test_memo_adds_a_dateline_column_only_when_a_story_has_one(report, memo):
    assert "| Id | Outlet | Link | Published | Dateline | Fetched (UTC) |" in memo
    assert "| DARA, 2024-05-04 |" in memo
    plain = rpt.to_markdown(
        Report(generated_at=report.generated_at, settings={}, articles=report.articles[1:])
    )
    assert "Dateline" not in plain and "## Events" not in plain


def test_memo_keeps_hostile_names_and_questions_literal(memo):
    card = _card(memo, "d3")
    assert card.startswith(
        "### d3 · Who ran \\*it\\*? \\[click\\](javascript:alert(2)) "
        "\\<script\\>alert(3)\\</script\\> \\| x · conflict\n"
    )
    escaped_outlet = rpt.md_escape(HOSTILE_OUTLET)
    assert f"| {escaped_outlet} (pasted text) |" in card
    assert (
        "“The blast at **10 a.m.** killed 35 people \\<script\\>alert(4)\\</script\\>, it said.”"
    ) in card
    # every "<", "[", "]" and "*" from the sources arrives with its backslash
    for raw in (r"(?<!\\)<(img|script)", r"(?<!\\)\]\(javascript", r"(?<!\\)\*it"):
        assert not re.search(raw, memo), raw


def test_an_old_style_flag_is_headed_by_its_kind(memo):
    card = _card(memo, "d4")
    assert card.startswith("### d4 · figure · unresolved\n\nHarbor Gazette and the other say")
    assert "**Answer:**" not in card


def test_evidence_that_cannot_be_found_leaves_the_sentence_plain(report):
    article = report.articles[0]
    ghost = DisagreementValue("s1", 0, "ninety", 0, 6, _toll(90, 90))
    assert rpt._quoted_sentence(article, ghost) == f"“{article.sentences[0].text}”"
    assert rpt._quoted_sentence(article, DisagreementValue("s1", 9, "x*", 0, 2, {})) == "“x\\*”"


@pytest.mark.parametrize(
    "when, shown",
    [
        (None, ""),
        ("2024-05-04", "2024-05-04"),
        ("2024-05-03T18:00:00Z", "2024-05-03 18:00 UTC"),
        ("2024-05-03T20:00:00+02:00", "2024-05-03 18:00 UTC"),
        ("Tnot a time", "Tnot a time"),
    ],
)
def test_said_reads_instants_in_utc(when, shown):
    assert rpt.said(when) == shown


# -- the CSV -----------------------------------------------------------------------------


def test_csv_appends_the_card_columns(report):
    rows = list(csv.DictReader(io.StringIO(rpt.to_csv(report))))
    assert rpt.CSV_COLUMNS[:15] == [
        "disagreement",
        "kind",
        "severity",
        "relation",
        "claims",
        "explanation",
        "source",
        "outlet",
        "url",
        "sentence_index",
        "sentence",
        "evidence",
        "start",
        "end",
        "value",
    ]
    assert rpt.CSV_COLUMNS[15:] == ["event", "slot", "question", "credited_to", "said_when"]
    first = rows[0]
    assert (
        first["disagreement"],
        first["event"],
        first["slot"],
        first["credited_to"],
        first["said_when"],
    ) == ("d1", "e1", "killed", "the war monitor", "2024-05-03T18:00:00Z")
    assert first["question"] == "How many were killed in the 3 May market bombing in Dara?"
    old = [r for r in rows if r["disagreement"] == "d4"]
    assert [(r["event"], r["slot"], r["question"], r["credited_to"]) for r in old] == [
        ("", "", "", "")
    ] * 2
    assert len(rows) == sum(len(d.values) for d in report.disagreements)


# -- the dashboard's markup and charts ---------------------------------------------------


def _by_id(report: Report) -> dict[str, Article]:
    return {a.id: a for a in report.articles}


def test_card_shows_the_question_answers_credits_and_revisions(report):
    html = cards.card_html(report.disagreements[0], _by_id(report))
    assert html.startswith('<div class="cc-head">')
    assert (
        '<div class="cc-question">How many were killed in the 3 May market bombing in Dara?</div>'
    ) in html
    assert "credited to the war monitor · said 2024-05-03 18:00 UTC" in html
    assert "credited to state TV</div>" in html
    assert (
        '<span class="cc-step">at least 40 people killed</span> → '
        '<span class="cc-step">at least 52 people killed</span>, the war monitor'
    ) in html
    assert html.index("cc-question") < html.index("cc-explain") < html.index("cc-grid")


def test_card_escapes_hostile_questions_and_outlets(report):
    html = cards.card_html(report.disagreements[2], _by_id(report))
    assert (
        "Who ran *it*? [click](javascript:alert(2)) &lt;script&gt;alert(3)&lt;/script&gt; | x"
    ) in html
    assert "Evil &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<script" not in html and "<img" not in html


def test_an_old_style_card_has_no_question_and_a_background_card_says_so(report):
    old = cards.card_html(report.disagreements[3], _by_id(report))
    assert "cc-question" not in old and "cc-rev" not in old
    assert "Harbor Gazette and the other say 35 and 40" in old
    background = cards.card_html(report.disagreements[1], _by_id(report), background=True)
    assert "· background event" in background


def test_events_overview_lists_main_and_background_events_escaped(report):
    html = render.events_html(report)
    assert "Main event: <b>the 3 May market bombing in Dara</b>" in html
    assert "reported by Harbor Gazette, Valley Post, Evil &lt;img" in html
    assert "<li><b>the 12 Apr shelling of Nahr</b>" in html
    assert "<img" not in html
    assert (
        render.events_html(
            Report(generated_at=report.generated_at, settings={}, articles=report.articles)
        )
        == ""
    )


def test_charts_keep_only_the_main_event(report):
    shown, by_id = list(report.disagreements), _by_id(report)
    rows = charts.figure_rows(shown, by_id, event="e1")
    assert sorted((r["outlet"], r["low"]) for r in rows) == [
        ("Harbor Gazette", 40),
        ("Harbor Gazette", 52),
        ("Valley Post", 35),
    ]
    assert {r["credited"] for r in rows} == {"the war monitor", "state TV"}
    times, unplaced = charts.time_rows(shown, by_id, event="e1")
    assert [t["outlet"] for t in times] == ["Valley Post", HOSTILE_OUTLET] and not unplaced
    assert charts.time_rows(shown, by_id, event="e2") == ([], [])


def test_charts_without_events_keep_every_card(report):
    shown, by_id = list(report.disagreements), _by_id(report)
    lows = sorted(r["low"] for r in charts.figure_rows(shown, by_id))
    assert lows == [10, 12, 35, 35, 40, 52]
