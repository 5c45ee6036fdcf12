"""The report contract: JSON valid against its schema, the memo, the CSV, and a failing source."""

from __future__ import annotations

import io
import json

import jsonschema
import pandas as pd
import pytest

import comparer
from comparer import report as rpt
from comparer.pipeline import compare
from comparer.sources import example_sources, source_from_spec
from tests.localserver import LocalServer


@pytest.fixture(scope="module")
def server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def report_with_a_404(embedder, nlp, tmp_path_factory, server):
    from comparer.settings import load_settings

    settings = load_settings().with_overrides(
        {
            "store.data_dir": str(tmp_path_factory.mktemp("store")),
            "fetch.allow_private_hosts": True,
            "fetch.retries": 0,
        }
    )
    sources = example_sources() + [source_from_spec(server.url("/gone"), "s99")]
    return compare(sources, settings, embedder=embedder, nlp=nlp)


def test_json_validates_against_the_schema(report_with_a_404):
    data = json.loads(json.dumps(rpt.to_json(report_with_a_404)))
    jsonschema.Draft202012Validator(rpt.schema()).validate(data)
    assert data["tool"] == {"name": "crosscheck", "version": comparer.__version__}
    assert {
        "generated_at",
        "settings",
        "sources",
        "claims",
        "facts",
        "disagreements",
        "omissions",
        "shared_text",
    } <= set(data)


def test_a_failing_source_is_reported_and_the_others_compared(report_with_a_404):
    failed = report_with_a_404.article("s99")
    assert failed.status == "error" and failed.error_type == "HTTPStatusError"
    assert "404" in failed.error
    assert sum(a.status == "ok" for a in report_with_a_404.articles) == 6
    assert any(d.severity == "conflict" for d in report_with_a_404.disagreements)
    memo = rpt.to_markdown(report_with_a_404)
    assert "error:" in memo and "404" in memo


def test_memo_lists_every_conflict_before_other_differences(report_with_a_404):
    memo = rpt.to_markdown(report_with_a_404)
    conflicts = [d for d in report_with_a_404.disagreements if d.severity == "conflict"]
    assert conflicts
    for d in conflicts:  # headed by the card's question, or by its kind for an old-style flag
        assert f"### {d.id} · {rpt.md_escape(d.question or d.kind)} · conflict" in memo
    assert memo.index("## Conflicts") < memo.index("## Compatible and unresolved differences")
    assert "constructed" in memo
    for a in report_with_a_404.articles:
        if a.sha256:
            assert a.sha256[:16] in memo


def test_csv_has_one_row_per_disagreement_value(report_with_a_404):
    frame = pd.read_csv(io.StringIO(rpt.to_csv(report_with_a_404)))
    assert list(frame.columns) == rpt.CSV_COLUMNS
    assert rpt.CSV_COLUMNS[-5:] == ["event", "slot", "question", "credited_to", "said_when"]
    assert len(frame) == sum(len(d.values) for d in report_with_a_404.disagreements)
    assert set(frame["severity"]) <= {"conflict", "compatible", "unresolved"}


def test_json_round_trips_through_from_json(report_with_a_404):
    data = rpt.to_json(report_with_a_404)
    again = rpt.to_json(rpt.from_json(json.loads(json.dumps(data))))
    assert again == data


def test_markdown_escapes_hostile_source_text():
    assert (
        rpt.md_escape("[click](javascript:alert(1)) <b>x</b>")
        == "\\[click\\](javascript:alert(1)) \\<b\\>x\\</b\\>"
    )


def test_memo_links_and_line_starts_cannot_inject_markdown():
    from comparer.records import Article, Source

    src = Source(
        id="s1",
        kind="url",
        location="x",
        url="https://a.example/x|![i](https://t.example/p.png)> <b>",
    )
    article = Article(source=src, status="ok", outlet="# Heading", url=src.url)
    link = rpt._link(article)
    assert link == "<https://a.example/x%7C![i](https://t.example/p.png)%3E%20%3Cb%3E>"
    assert "|" not in link and link.count(">") == 1
    assert rpt.md_escape("# Heading") == "\\# Heading"
    assert rpt.md_escape("1. item") == "\\1. item"
