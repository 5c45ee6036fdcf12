"""Stage 1 of the pipeline: every kind of source read, snapshots reused, failures kept apart."""

from __future__ import annotations

from comparer.pipeline import read_sources
from comparer.sources import pasted_source, source_from_spec
from comparer.store import Store
from tests.conftest import SEED
from tests.localserver import LocalServer
from tests.test_cli import PAGE


def _settings(settings):
    return settings.with_overrides({"fetch.allow_private_hosts": True, "fetch.retries": 0})


def test_a_rerun_reuses_the_stored_snapshot_unless_refresh_is_asked(settings):
    settings = _settings(settings)
    with LocalServer() as srv, Store.open(settings) as store:
        url = srv.route("/story", body=PAGE)
        (first,) = read_sources([source_from_spec(url, "s1")], settings, store=store)
        (second,) = read_sources([source_from_spec(url, "s1")], settings, store=store)
        assert srv.hits("/story") == 1
        assert (first.from_store, second.from_store) == (False, True)
        assert second.text == first.text and second.sha256 == first.sha256
        assert second.fetched_at == first.fetched_at
        (third,) = read_sources([source_from_spec(url, "s1")], settings, store=store, refresh=True)
        assert srv.hits("/story") == 2 and third.from_store is False


def test_one_failing_source_never_sinks_the_others(settings, tmp_path):
    settings = _settings(settings)
    with LocalServer() as srv, Store.open(settings) as store:
        good = srv.route("/good", body=PAGE)
        pdf = srv.route("/file.pdf", body=b"%PDF-1.4 ...", content_type="application/pdf")
        sources = [
            source_from_spec(good, "s1"),
            source_from_spec(pdf, "s2"),
            source_from_spec(str(tmp_path / "missing.html"), "s3"),
            source_from_spec(str(SEED), "s4"),
            pasted_source(
                "Officials said two rockets hit the base on Monday.", "Pasted Wire", "s5"
            ),
        ]
        articles = read_sources(sources, settings, store=store)
    assert [a.status for a in articles] == ["ok", "error", "error", "ok", "ok"]
    assert articles[1].error_type == "UnsupportedContentError"
    assert "application/pdf" in articles[1].error
    assert articles[2].error_type == "SourceError" and "not found" in articles[2].error
    assert articles[3].outlet == "HNGN" and articles[3].source.constructed is False
    assert articles[4].outlet == "Pasted Wire"
    assert articles[4].sentences[0].text == "Officials said two rockets hit the base on Monday."


def test_the_ssrf_guard_is_on_in_the_pipeline_by_default(settings):
    with LocalServer() as srv:
        url = srv.route("/story", body=PAGE)
        (article,) = read_sources([source_from_spec(url, "s1")], settings)
        assert article.status == "error" and article.error_type == "BlockedAddressError"
        assert srv.connections == 0


def test_a_broken_store_is_reported_not_fatal(settings):
    """The store is a cache: when it fails, sources are still read (and the reason shown)."""
    from comparer.errors import StoreError

    class BrokenStore:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise StoreError("database disk image is malformed")

            return fail

    settings = _settings(settings)
    lines: list[str] = []
    with LocalServer() as srv:
        url = srv.route("/story", body=PAGE)
        articles = read_sources(
            [source_from_spec(url, "s1"), source_from_spec(str(SEED), "s2")],
            settings,
            store=BrokenStore(),
            progress=lambda stage, msg: lines.append(msg),
        )
    assert [a.status for a in articles] == ["ok", "ok"]
    assert any("snapshot store unavailable" in line for line in lines)


def test_the_same_url_twice_keeps_both_sources(settings):
    settings = _settings(settings)
    with LocalServer() as srv:
        url = srv.route("/story", body=PAGE)
        articles = read_sources(
            [source_from_spec(url, "s1"), source_from_spec(url, "s2")], settings
        )
    assert [a.id for a in articles] == ["s1", "s2"]
    assert all(a.status == "ok" for a in articles)


def test_a_huge_text_is_cut_with_a_warning(settings):
    settings = settings.with_overrides({"extract.max_chars": 1000})
    text = "\n\n".join(f"Paragraph {n} says officials met on Monday." for n in range(200))
    (article,) = read_sources([pasted_source(text, "Wire", "s1")], settings)
    assert len(article.text) <= 1000
    assert any("extract.max_chars" in w for w in article.warnings)
    assert article.text.endswith("Monday.")
