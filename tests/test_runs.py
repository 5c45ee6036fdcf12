"""runs.py: a finished comparison saved as a run, as the CLI and the dashboard both save it."""

from __future__ import annotations

import pytest

from comparer.embed import CachedEmbedder
from comparer.errors import StoreError
from comparer.pipeline import compare
from comparer.runs import save_report
from comparer.sources import pasted_source
from comparer.store import Store


@pytest.fixture()
def report(settings, embedder, nlp):
    """A real comparison of two short pasted reports (the real models)."""
    sources = [
        pasted_source(
            "US aircraft struck a border post in eastern Syria on Thursday, "
            "killing 17 fighters, officials said.",
            "Wire A",
            "s1",
        ),
        pasted_source(
            "American jets hit a border post in eastern Syria on Thursday, "
            "killing 22 fighters, a monitor said.",
            "Wire B",
            "s2",
        ),
    ]
    return compare(sources, settings, embedder=CachedEmbedder(embedder), nlp=nlp)


def test_a_saved_run_reads_back_as_the_report_with_its_id(report, settings):
    with Store.open(settings) as store:
        saved = save_report(report, store, settings)
        assert saved.warnings == () and saved.run_id and saved.report.run_id == saved.run_id
        data = store.load_run(saved.run_id)
    assert [s["outlet"] for s in data["sources"]] == ["Wire A", "Wire B"]
    assert report.run_id is None  # the report handed in is left as it was


def test_a_run_saved_for_an_owner_gets_an_unguessable_id(report, settings):
    with Store.open(settings) as store:
        saved = save_report(report, store, settings, owner="a" * 32)
        assert len(saved.run_id) == 32
        assert store.load_run(saved.run_id, private_only=True) is not None


def test_a_full_store_costs_a_warning_and_keeps_the_report(report, settings):
    """SQLite's page limit gives the real "database or disk is full": the store is capped
    at its size, then filled with tiny runs until it refuses one."""
    with Store.open(settings) as store:
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError):
            for n in range(10_000):
                store.save_run({"n": n}, title="")
        saved = save_report(report, store, settings)
    assert saved.run_id is None and saved.report is report
    (warning,) = saved.warnings
    assert warning.startswith("the run could not be saved in the store: ")
    assert "full" in warning


def test_without_a_store_nothing_is_saved(report, settings):
    assert save_report(report, None, settings).report is report


def test_a_comparison_of_fewer_than_two_read_sources_is_not_saved(report, settings):
    from dataclasses import replace

    one_read = replace(
        report,
        articles=(report.articles[0], replace(report.articles[1], status="error", error="gone")),
    )
    with Store.open(settings) as store:
        saved = save_report(one_read, store, settings)
        assert saved.run_id is None and saved.report.run_id is None
        assert saved.notes == ("not saved as a run: fewer than two sources could be read",)
        assert store.recent_runs() == []
        assert save_report(report, store, settings).run_id is not None  # two read: saved
