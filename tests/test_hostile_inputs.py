"""Hostile inputs, as a table: what a new user or an attacker may hand the reader, the
sentence splitter, the settings loader, the command line's outputs and the store.

Every row names its input and the outcome it must have:

- ``ERROR``: refused with a clear message (matched below) that names the file, key or
  path: never a traceback, and never after the work was done;
- ``WARN``: handled, with a warning (matched below) on the source or on stderr;
- ``OK``: handled, nothing to say.

The rows are grouped by kind: headers and dates, path spellings, long and odd sentences,
settings values, output paths, store failures, settings-file bytes. The network's hostile
inputs have their own table (``test_hostile_network.py``).
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from comparer.errors import ComparerError, ConfigError, StoreError
from comparer.records import Source
from comparer.sentences import over_caps
from comparer.settings import load_settings

ERROR, WARN, OK = "error", "warn", "ok"
CAPS = {"max_chars": 1500, "max_tokens": 250}  # the defaults of facts.max_sentence_*


@pytest.fixture()
def quiet_settings(tmp_path):
    return load_settings().with_overrides({"store.data_dir": str(tmp_path / "data")})


def _read_one(source: Source, settings: Any) -> Any:
    from comparer.pipeline import read_sources

    (article,) = read_sources([source], settings)
    return article


# -- 1. headers and dates of .txt sources (read through the pipeline) --------------------

BODY = (
    "The strike killed 17 fighters near the border on Thursday, officials said. "
    "Residents reported loud explosions late in the evening."
)

# (id, the file's text, outcome, warning pattern, published ISO or None, outlet, first words)
HEADERS = [
    (
        "published-unknown",
        f"Outlet: Wire\nPublished: unknown\n\n{BODY}",
        WARN,
        r"h\.txt: Published: 'unknown' is not an ISO date",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-day-first",
        f"Outlet: Wire\nPublished: 26/02/2021\n\n{BODY}",
        WARN,
        r"'26/02/2021' is not an ISO date",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-feb-30",
        f"Outlet: Wire\nPublished: 2021-02-30\n\n{BODY}",
        WARN,
        r"'2021-02-30' is not an ISO date",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-month-13",
        f"Outlet: Wire\nPublished: 2021-13-01\n\n{BODY}",
        WARN,
        r"'2021-13-01'",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-words",
        f"Outlet: Wire\nPublished: last Thursday\n\n{BODY}",
        WARN,
        r"'last Thursday'",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-year-1-east-of-utc",
        f"Outlet: Wire\nPublished: 0001-01-01T00:00:00+01:00\n\n{BODY}",
        WARN,
        r"'0001-01-01T00:00:00\+01:00'",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-year-9999-west-of-utc",
        f"Outlet: Wire\nPublished: 9999-12-31T23:59:59-14:00\n\n{BODY}",
        WARN,
        r"'9999-12-31T23:59:59-14:00'",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-offset-25h",
        f"Outlet: Wire\nPublished: 2021-02-26T08:30:00+25:00\n\n{BODY}",
        WARN,
        r"is not an ISO date",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-fullwidth-digits",
        f"Outlet: Wire\nPublished: ２０２１-０２-２６\n\n{BODY}",
        WARN,
        r"is not an ISO date",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-10k-chars",
        f"Outlet: Wire\nPublished: {'9' * 10_000}\n\n{BODY}",
        WARN,
        r"Published: '9{60}…' is not an ISO date",
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-empty",
        f"Outlet: Wire\nPublished:\n\n{BODY}",
        OK,
        None,
        None,
        "Wire",
        "The strike",
    ),
    (
        "published-good-utc",
        f"Outlet: Wire\nPublished: 2021-02-26T08:30:00Z\n\n{BODY}",
        OK,
        None,
        "2021-02-26T08:30:00+00:00",
        "Wire",
        "The strike",
    ),
    (
        "published-space-separated",
        f"Outlet: Wire\nPublished: 2021-02-26 08:30\n\n{BODY}",
        OK,
        None,
        "2021-02-26T08:30:00+00:00",
        "Wire",
        "The strike",
    ),
    (
        "no-blank-line-after-header",
        f"Outlet: Wire\nPublished: 2021-02-26\n{BODY}",
        OK,
        None,
        "2021-02-26T00:00:00+00:00",
        "Wire",
        "The strike",
    ),
    (
        "no-blank-line-then-colon-text",
        f"Outlet: Wire\nBeirut: the strike killed 17 fighters, officials said.\n\n{BODY}",
        OK,
        None,
        None,
        "Wire",
        "Beirut: the strike",
    ),
    (
        "crlf-header",
        f"Outlet: Wire\r\nPublished: 2021-02-26\r\n\r\n{BODY}",
        OK,
        None,
        "2021-02-26T00:00:00+00:00",
        "Wire",
        "The strike",
    ),
    ("bom-before-header", f"\ufeffOutlet: Wire\n\n{BODY}", OK, None, None, "Wire", "The strike"),
    (
        "other-names-in-block",
        f"Outlet: Wire\nAuthor: Jane Doe\nSection: World\n\n{BODY}",
        OK,
        None,
        None,
        "Wire",
        "The strike",
    ),
    ("outlet-empty", f"Outlet:\n\n{BODY}", OK, None, None, "h", "The strike"),
    (
        "outlet-twice",
        f"Outlet: First\nOutlet: Second\n\n{BODY}",
        OK,
        None,
        None,
        "Second",
        "The strike",
    ),
    (
        "header-names-shouted",
        f"OUTLET: Wire\nPUBLISHED: 2021-02-26\n\n{BODY}",
        OK,
        None,
        "2021-02-26T00:00:00+00:00",
        "Wire",
        "The strike",
    ),
    (
        "constructed-maybe",
        f"Outlet: Wire\nConstructed: maybe\n\n{BODY}",
        OK,
        None,
        None,
        "Wire",
        "The strike",
    ),
    (
        "header-only",
        "Outlet: Wire\nPublished: unknown\n\n",
        ERROR,
        r"empty|no text",
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    "text, outcome, pattern, published, outlet, first",
    [row[1:] for row in HEADERS],
    ids=[row[0] for row in HEADERS],
)
def test_txt_headers_and_dates(
    tmp_path, quiet_settings, text, outcome, pattern, published, outlet, first
):
    from comparer.sources import source_from_spec

    path = tmp_path / "h.txt"
    path.write_text(text, encoding="utf-8")
    article = _read_one(source_from_spec(str(path), "s1"), quiet_settings)
    if outcome == ERROR:
        assert article.status == "error" and re.search(pattern, article.error)
        return
    assert article.status == "ok", article.error
    header_warnings = [w for w in article.warnings if "Published" in w]
    if outcome == WARN:
        (warning,) = header_warnings
        assert warning.startswith(str(path)) and re.search(pattern, warning), warning
    else:
        assert header_warnings == []
    assert (article.published.isoformat() if article.published else None) == published
    assert article.outlet == outlet
    assert article.sentences[0].text.startswith(first)
    assert not any(s.text.lower().startswith(("outlet:", "published:")) for s in article.sentences)


def test_a_bad_date_in_an_uploaded_file_does_not_stop_the_dashboard(tmp_path, quiet_settings):
    """The dashboard checks uploads before comparing: a header mistake is a warning on that
    source in the comparison, not a refusal of the whole comparison."""
    from comparer.intake import Upload, plan_sources

    uploads = [
        Upload("one.txt", f"Outlet: One\nPublished: unknown\n\n{BODY}".encode()),
        Upload("two.txt", f"Outlet: Two\nPublished: 2021-02-26\n\n{BODY} More.".encode()),
    ]
    plan = plan_sources(uploads=uploads, settings=quiet_settings)
    assert plan.errors == () and len(plan.planned) == 2
    sources = plan.sources(tmp_path)
    article = _read_one(sources[0], quiet_settings)
    assert article.status == "ok" and article.published is None
    assert any(w.startswith("one.txt: Published: 'unknown'") for w in article.warnings)


# -- 2. the same source under two spellings ---------------------------------------------

# (id, specs ({d} is the test folder, which is also the working folder), sources kept)
SPELLINGS = [
    ("dot-slash", ["a.txt", "./a.txt"], 1),
    ("absolute", ["a.txt", "{d}/a.txt"], 1),
    ("symlink", ["a.txt", "link.txt"], 1),
    ("symlink-to-symlink", ["link2.txt", "a.txt"], 1),
    ("hard-link", ["a.txt", "hard.txt"], 1),
    ("dot-dot", ["a.txt", "sub/../a.txt"], 1),
    ("double-slash", ["a.txt", ".//a.txt"], 1),
    ("surrounding-spaces", ["a.txt", "  a.txt  "], 1),
    ("three-spellings", ["a.txt", "./a.txt", "{d}/./a.txt"], 1),
    ("missing-file-two-ways", ["gone.txt", "./gone.txt"], 1),
    ("two-files", ["a.txt", "b.txt"], 2),
    ("other-case-other-file", ["a.txt", "A.txt"], 2),
    ("same-text-other-file", ["a.txt", "copy.txt"], 2),
    ("url-host-case", ["https://news.example/a", "HTTPS://NEWS.EXAMPLE/a"], 1),
    ("url-trailing-slash", ["https://news.example/a", "https://news.example/a/"], 1),
    ("url-default-port", ["https://news.example/a", "https://news.example:443/a"], 1),
    ("url-http-default-port", ["http://news.example/a", "http://news.example:80/a"], 1),
    ("url-fragment", ["https://news.example/a", "https://news.example/a#comments"], 1),
    ("url-ipv6", ["http://[::1]:8080/x", "http://[::1]:8080/x/"], 1),
    ("url-bad-port", ["https://news.example:99999/a", "https://news.example:99999/a/"], 1),
    ("url-other-query", ["https://news.example/a", "https://news.example/a?page=2"], 2),
    ("url-other-scheme", ["http://news.example/a", "https://news.example/a"], 2),
    ("url-path-case", ["https://news.example/A", "https://news.example/a"], 2),
    ("url-other-port", ["https://news.example/a", "https://news.example:8443/a"], 2),
]


@pytest.mark.parametrize(
    "specs, kept", [row[1:] for row in SPELLINGS], ids=[row[0] for row in SPELLINGS]
)
def test_path_and_url_spellings(tmp_path, monkeypatch, quiet_settings, specs, kept):
    from comparer.intake import plan_sources

    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt", "A.txt", "copy.txt"):
        (tmp_path / name).write_text(f"Outlet: {name}\n\n{BODY}", encoding="utf-8")
    (tmp_path / "copy.txt").write_text((tmp_path / "a.txt").read_text("utf-8"), "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "link2.txt").symlink_to(tmp_path / "link.txt")
    (tmp_path / "hard.txt").hardlink_to(tmp_path / "a.txt")
    specs = [s.format(d=tmp_path) for s in specs]
    plan = plan_sources(specs=specs, settings=quiet_settings, comparing=False)
    assert plan.errors == () and len(plan.planned) == kept
    assert len(plan.warnings) == len(specs) - kept  # each copy named, with what it repeats


# -- 3. long and odd sentences ------------------------------------------------------------

WORDS = "officials said the strike killed seventeen fighters near the border town".split()

# (id, pasted text, whether a sentence must be cut)
SENTENCES = [
    ("20k-emoji", "Officials said 17 were killed " + "\U0001f600" * 20_000, True),
    ("100k-emoji", "\U0001f600" * 100_000, True),
    ("5k-exclamation-marks", "Officials said 1 " + "!" * 5_000, True),
    ("60k-char-word", "x" * 60_000, True),
    (
        "3k-name-list",
        "Killed were " + ", ".join(f"Name{i} Surname{i}" for i in range(3_000)) + ".",
        True,
    ),
    ("zwj-families", "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 2_000, True),
    ("combining-accents", "e\u0301" * 5_000, True),
    ("arabic-without-stops", "قال المسؤولون إن الضربة قتلت " * 600, True),
    ("tab-separated-words", "\t".join(WORDS * 500), True),
    ("10k-numbers", "Officials said " + " ".join(str(n) for n in range(10_000)), True),
    ("dotted-run", "a." * 10_000, True),
    ("zero-width-spaces", "\u200b".join(WORDS * 400), True),
    ("251-tokens", "Troops hit " + " ".join(["it"] * 248) + ".", True),  # 1,000 characters
    ("250-tokens", "Troops hit " + " ".join(["it"] * 247) + ".", False),
    (
        "ordinary-article",
        "Officials said the strike killed 17 fighters. "
        "Residents heard explosions late in the evening.\n\nThe Pentagon declined to comment.",
        False,
    ),
    ("a-long-real-sentence", " ".join(WORDS * 7) + ".", False),
]


@pytest.mark.parametrize(
    "text, cut", [row[1:] for row in SENTENCES], ids=[row[0] for row in SENTENCES]
)
def test_long_and_odd_sentences(quiet_settings, text, cut):
    article = _read_one(Source(id="s1", kind="text", text=text, outlet="Paste"), quiet_settings)
    assert article.status == "ok", article.error
    assert article.sentences
    assert all(article.text[s.start : s.end] == s.text for s in article.sentences)
    assert not any(over_caps(s.text, **CAPS) for s in article.sentences)
    cut_warnings = [w for w in article.warnings if "over-long sentence" in w]
    assert len(cut_warnings) == (1 if cut else 0)
    if cut:
        assert "facts.max_sentence_chars" in cut_warnings[0]


class _RecordingNlp:
    """The real spaCy pipeline, noting every text it is asked to parse."""

    def __init__(self, nlp: Any) -> None:
        self.nlp, self.seen = nlp, []

    def pipe(self, texts: Any, **kwargs: Any) -> Any:
        texts = list(texts)
        self.seen += texts
        return self.nlp.pipe(texts, **kwargs)


@pytest.mark.slow
def test_nothing_over_the_caps_reaches_the_parser(nlp, quiet_settings):
    """20,000 emoji in one "sentence" took 62 s in spaCy. Cut by the pipeline, or kept
    whole by a caller that builds its own articles, the parser only sees capped texts."""
    from dataclasses import replace

    from comparer.facts.stage import extract_facts
    from comparer.sentences import split_sentences

    text = "Officials said 17 fighters were killed " + "\U0001f600" * 20_000
    article = _read_one(Source(id="s1", kind="text", text=text, outlet="P"), quiet_settings)
    whole = replace(article, sentences=split_sentences(article.text, source_id="s1"))
    assert any(over_caps(s.text, **CAPS) for s in whole.sentences)
    for a in (article, whole):
        spy = _RecordingNlp(nlp)
        extract_facts([a], quiet_settings, nlp=spy)
        assert not any(over_caps(t, **CAPS) for t in spy.seen)
    # cut, the sentence is still read: its first piece is parsed and holds the figure
    spy = _RecordingNlp(nlp)
    facts = extract_facts([article], quiet_settings, nlp=spy)
    assert spy.seen[0].startswith("Officials said 17 fighters were killed")
    assert any(f.kind == "figure" and f.value.get("low") == 17 for f in facts)


# -- 4. settings values --------------------------------------------------------------------

# (id, TOML text, outcome, message pattern for errors)
SETTINGS = [
    ("threshold-nan", "[align]\nthreshold = nan", ERROR, r"align\.threshold must be a finite"),
    ("threshold-plus-nan", "[align]\nthreshold = +nan", ERROR, r"align\.threshold must be a fin"),
    ("total-timeout-nan", "[fetch]\ntotal_timeout = nan", ERROR, r"fetch\.total_timeout must be"),
    ("total-timeout-inf", "[fetch]\ntotal_timeout = inf", ERROR, r"fetch\.total_timeout .* inf"),
    (
        "read-timeout-huge",
        "[fetch]\nread_timeout = 1e12",
        ERROR,
        r"fetch\.read_timeout must be between 0\.1 and 86400",
    ),
    ("backoff-minus-inf", "[fetch]\nbackoff = -inf", ERROR, r"fetch\.backoff must be a finite"),
    ("backoff-a-day", "[fetch]\nbackoff = 86400.0", ERROR, r"fetch\.backoff must be between"),
    ("about-band-nan", "[facts]\nabout_band = nan", ERROR, r"facts\.about_band"),
    ("max-megabytes-nan", "[store]\nmax_megabytes = nan", ERROR, r"store\.max_megabytes"),
    (
        "max-megabytes-negative",
        "[store]\nmax_megabytes = -1",
        ERROR,
        r"store\.max_megabytes must be at least 0",
    ),
    ("max-megabytes-zero", "[store]\nmax_megabytes = 0", OK, None),
    ("data-dir-empty", '[store]\ndata_dir = ""', ERROR, r"store\.data_dir must not be empty"),
    ("data-dir-blank", '[store]\ndata_dir = " \\t "', ERROR, r"store\.data_dir must not be"),
    (
        "data-dir-nul",
        '[store]\ndata_dir = "a\\u0000b"',
        ERROR,
        r"store\.data_dir must not contain control characters",
    ),
    ("model-empty", '[embed]\nmodel = ""', ERROR, r"embed\.model must not be empty"),
    (
        "user-agent-crlf",
        '[fetch]\nuser_agent = "x\\r\\nCookie: a=b"',
        ERROR,
        r"fetch\.user_agent must not contain control",
    ),
    ("user-agent-empty", '[fetch]\nuser_agent = ""', OK, None),
    (
        "sentence-chars-zero",
        "[facts]\nmax_sentence_chars = 0",
        ERROR,
        r"facts\.max_sentence_chars must be between 100 and 100000",
    ),
    (
        "sentence-tokens-huge",
        "[facts]\nmax_sentence_tokens = 1000000000",
        ERROR,
        r"facts\.max_sentence_tokens must be between 10 and 10000",
    ),
    (
        "sentence-chars-float",
        "[facts]\nmax_sentence_chars = 1500.0",
        ERROR,
        r"facts\.max_sentence_chars must be an integer",
    ),
    (
        "place-unknown-zone",
        '[facts.extra_places]\nMayadin = "Asia/Mayadin"',
        ERROR,
        r"facts\.extra_places\.Mayadin must be an IANA time zone",
    ),
    (
        "place-zone-lower-case",
        '[facts.extra_places]\nMayadin = "asia/damascus"',
        ERROR,
        r"facts\.extra_places\.Mayadin must be an IANA",
    ),
    (
        "place-zone-path",
        '[facts.extra_places]\nMayadin = "/etc/passwd"',
        ERROR,
        r"facts\.extra_places\.Mayadin must be an IANA",
    ),
    (
        "place-zone-number",
        "[facts.extra_places]\nMayadin = 3",
        ERROR,
        r"facts\.extra_places\.Mayadin must be a string, got an integer",
    ),
    (
        "place-zone-table",
        '[facts.extra_places.Mayadin]\nzone = "Asia/Damascus"',
        ERROR,
        r"facts\.extra_places\.Mayadin must be a string, got a table",
    ),
    (
        "place-name-blank",
        '[facts.extra_places]\n" " = "Asia/Damascus"',
        ERROR,
        r"facts\.extra_places has an entry with no usable name",
    ),
    ("place-good", '[facts.extra_places]\n"Deir ez-Zor" = "Asia/Damascus"', OK, None),
    (
        "alias-number",
        "[facts.aliases]\nHizbullah = 7",
        ERROR,
        r"facts\.aliases\.Hizbullah must be a string",
    ),
    (
        "alias-list",
        '[facts.aliases]\nHizbullah = ["Hezbollah"]',
        ERROR,
        r"facts\.aliases\.Hizbullah must be a string, got a list",
    ),
    (
        "alias-punctuation-only",
        '[facts.aliases]\nHizbullah = "--"',
        ERROR,
        r"facts\.aliases\.Hizbullah must be a name",
    ),
    (
        "alias-line-break",
        '[facts.aliases]\nHizbullah = "Hez\\nbollah"',
        ERROR,
        r"facts\.aliases\.Hizbullah must be a name",
    ),
    (
        "alias-quoted-name",
        '[facts.aliases]\n"Kata\'ib" = 5',
        ERROR,
        r"facts\.aliases\.\"Kata'ib\" must be a string",
    ),
    ("alias-persian-zwnj", '[facts.aliases]\n"می\u200cگوید" = "Hezbollah"', OK, None),
    ("threshold-edges", "[align]\nthreshold = 0\ngroup_threshold = 1", OK, None),
]


@pytest.mark.parametrize(
    "body, outcome, pattern", [row[1:] for row in SETTINGS], ids=[row[0] for row in SETTINGS]
)
def test_settings_values(tmp_path, body, outcome, pattern):
    path = tmp_path / "settings.toml"
    path.write_text(body + "\n", encoding="utf-8")
    if outcome == ERROR:
        with pytest.raises(ConfigError, match=pattern) as caught:
            load_settings(path)
        assert str(path) in str(caught.value)
    else:
        load_settings(path)


# -- 5. output paths of `compare` (checked before any work) -------------------------------

# (id, --json, --md, outcome, message pattern); {d} is the test folder
OUTPUTS = [
    ("missing-folder", "{d}/missing/r.json", None, ERROR, r"the folder .*/missing does not exist"),
    ("missing-nested", "{d}/a/b/c/r.json", None, ERROR, r"does not exist; create it first"),
    ("a-folder", "{d}", None, ERROR, r"is a folder; give a file name"),
    ("file-as-folder", "{d}/file.txt/r.json", None, ERROR, r"file\.txt is not a folder"),
    ("same-file-twice", "{d}/r.out", "{d}/./r.out", ERROR, r"writes to the same file"),
    ("same-file-via-link", "{d}/file.txt", "{d}/link.txt", ERROR, r"writes to the same file"),
    (
        "name-too-long",
        "{d}/" + "x" * 300 + ".json",
        None,
        ERROR,
        r"cannot write there \(File name too long\)",
    ),
    ("nul-in-name", "{d}/r\x00.json", None, ERROR, r"cannot write there"),
    ("stdout", "-", "-", OK, None),
    ("dev-null", "/dev/null", None, OK, None),
    ("existing-file", "{d}/file.txt", None, OK, None),
    ("new-file", "{d}/new.json", "{d}/new.md", OK, None),
]


@pytest.mark.parametrize(
    "json_path, md_path, outcome, pattern",
    [row[1:] for row in OUTPUTS],
    ids=[row[0] for row in OUTPUTS],
)
def test_output_paths(tmp_path, json_path, md_path, outcome, pattern):
    from comparer.__main__ import _check_outputs

    (tmp_path / "file.txt").write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "file.txt")
    before = sorted(p.name for p in tmp_path.iterdir())
    args = argparse.Namespace(
        json=json_path.format(d=tmp_path),
        md=md_path.format(d=tmp_path) if md_path else None,
        csv=None,
    )
    if outcome == ERROR:
        with pytest.raises(ComparerError, match=pattern):
            _check_outputs(args)
    else:
        _check_outputs(args)
    # checking writes nothing: no empty file is left behind, no file is truncated
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "old"


# -- 6. store failures (the store is a cache) ----------------------------------------------


def _full(store: Any) -> Any:
    """SQLite's page limit: every write that needs a new page fails "disk is full"."""
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    return store


def _store(tmp_path: Path) -> Any:
    from comparer.store import FILENAME, Store

    return Store(tmp_path / FILENAME)


def _vectors(n: int) -> dict[str, np.ndarray]:
    return {f"k{i}": np.full(384, i, dtype=np.float32) for i in range(n)}


def _cache_full_embeddings(tmp_path: Path) -> tuple[str, str]:
    from comparer.pipeline import CacheStore

    said: list[str] = []
    cache = CacheStore(_full(_store(tmp_path)), lambda stage, m: said.append(m))
    cache.put_embeddings("m", _vectors(200))
    cache.put_embeddings("m", _vectors(300))
    assert len(said) == len(cache.warnings) == 1  # said once, not once per batch
    return WARN, said[0]


def _cache_closed_store(tmp_path: Path) -> tuple[str, str]:
    from comparer.pipeline import CacheStore

    store = _store(tmp_path)
    store.close()
    cache = CacheStore(store)
    assert cache.get_embeddings("m", ["k1"]) == {}
    return WARN, cache.warnings[0]


def _embedder_on_a_full_store(tmp_path: Path) -> tuple[str, str]:
    from comparer.embed import CachedEmbedder
    from comparer.pipeline import CacheStore

    class Counting:  # the test is about the store: any embedder will do
        model_id = "counting"

        def encode(self, texts: Any) -> np.ndarray:
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    cache = CacheStore(_full(_store(tmp_path)))
    out = CachedEmbedder(Counting(), cache).encode([f"sentence {i}" for i in range(500)])
    assert out.shape == (500, 4)
    return WARN, cache.warnings[0]


def _snapshot_on_a_full_store(tmp_path: Path) -> tuple[str, str]:
    from comparer.pipeline import _cache
    from tests.store_helpers import make_snapshot

    said: list[str] = []
    row = _cache(
        _full(_store(tmp_path)),
        "save_snapshot",
        make_snapshot("https://n.example/a", os.urandom(50_000)),
        say=lambda stage, m: said.append(m),
    )
    assert row is None
    return WARN, said[0]


def _run_on_a_full_store(tmp_path: Path) -> tuple[str, str]:
    store = _full(_store(tmp_path))
    try:
        store.save_run({"sources": [{"text": os.urandom(20_000).hex()}]}, title="big")
    except StoreError as exc:  # the CLI turns this into a warning (test_cli.py)
        return ERROR, str(exc)
    return OK, ""


def _data_dir_is_a_file(tmp_path: Path) -> tuple[str, str]:
    from comparer.store import Store

    (tmp_path / "taken").write_text("x", encoding="utf-8")
    settings = load_settings().with_overrides({"store.data_dir": str(tmp_path / "taken")})
    try:
        Store.open(settings)
    except StoreError as exc:
        return ERROR, str(exc)
    return OK, ""


def _foreign_database(tmp_path: Path) -> tuple[str, str]:
    import sqlite3

    from comparer.store import FILENAME, Store

    conn = sqlite3.connect(tmp_path / FILENAME)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.commit()
    conn.close()
    try:
        Store(tmp_path / FILENAME)
    except StoreError as exc:
        return ERROR, str(exc)
    return OK, ""


def _prune_a_full_store(tmp_path: Path) -> tuple[str, str]:
    from tests.store_helpers import make_snapshot

    store = _store(tmp_path)
    for i in range(5):
        store.save_snapshot(make_snapshot(f"https://n.example/{i}", os.urandom(40_000), minutes=i))
    result = _full(store).prune(max_bytes=100_000)
    assert result["deleted"]["snapshots"] >= 3 and result["used_bytes"] <= 100_000
    return OK, ""


def _no_size_limit(tmp_path: Path) -> tuple[str, str]:
    from comparer.store import enforce_size_limit

    settings = load_settings().with_overrides({"store.max_megabytes": 0.0})
    assert enforce_size_limit(_store(tmp_path), settings) is None
    return OK, ""


# (id, scenario -> (outcome, message), outcome, message pattern)
STORE_FAILURES: list[tuple[str, Callable[[Path], tuple[str, str]], str, str | None]] = [
    (
        "full-while-caching-embeddings",
        _cache_full_embeddings,
        WARN,
        r"could not cache embeddings.*database or disk is full",
    ),
    (
        "closed-while-reading-embeddings",
        _cache_closed_store,
        WARN,
        r"could not read cached embeddings.*is closed",
    ),
    ("full-under-the-embedder", _embedder_on_a_full_store, WARN, r"database or disk is full"),
    (
        "full-while-saving-a-snapshot",
        _snapshot_on_a_full_store,
        WARN,
        r"warning: snapshot store unavailable \(save_snapshot\).*disk is full",
    ),
    (
        "full-while-saving-a-run",
        _run_on_a_full_store,
        ERROR,
        r"saving a run failed: database or disk is full",
    ),
    ("data-dir-is-a-file", _data_dir_is_a_file, ERROR, r"cannot create the store folder .*taken"),
    (
        "someone-elses-database",
        _foreign_database,
        ERROR,
        r"not a Crosscheck store .*tables: accounts",
    ),
    ("prune-a-full-store", _prune_a_full_store, OK, None),
    ("no-size-limit", _no_size_limit, OK, None),
]


@pytest.mark.parametrize(
    "scenario, outcome, pattern",
    [row[1:] for row in STORE_FAILURES],
    ids=[row[0] for row in STORE_FAILURES],
)
def test_store_failures(tmp_path, scenario, outcome, pattern):
    got, message = scenario(tmp_path)
    assert got == outcome, message
    if pattern:
        assert re.search(pattern, message), message


@pytest.mark.slow
def test_a_comparison_with_the_dashboards_embedder_survives_a_full_store(
    tmp_path, embedder, nlp, quiet_settings
):
    """The dashboard hands ``compare`` an embedder that caches in the store itself; a
    full store costs a progress warning, and the embedder gets its store back after."""
    from comparer.embed import CachedEmbedder
    from comparer.pipeline import compare

    store = _full(_store(tmp_path))
    cached = CachedEmbedder(embedder, store)
    sources = [
        Source(
            id=f"s{n}",
            kind="text",
            outlet=f"Outlet {n}",
            text=f"{BODY} Outlet {n} added that {n + 2} rockets were fired.",
        )
        for n in (1, 2)
    ]
    lines: list[str] = []
    report = compare(
        sources,
        quiet_settings,
        store=store,
        embedder=cached,
        nlp=nlp,
        progress=lambda stage, message: lines.append(message),
    )
    assert [a.status for a in report.articles] == ["ok", "ok"] and report.claims
    assert any("could not cache embeddings" in line and "disk is full" in line for line in lines)
    assert cached.store is store


# -- 7. the bytes of a settings file ----------------------------------------------------

GOOD = "[align]\nthreshold = 0.6\n"
# (id, the file's bytes, outcome, message pattern)
CONFIG_BYTES = [
    (
        "latin-1-accent",
        b"[align]\nthreshold = 0.6 # caf\xe9\n",
        ERROR,
        r"is not UTF-8 text \(byte 0xe9 at offset 29\)",
    ),
    (
        "utf-16-le-bom",
        b"\xff\xfe" + GOOD.encode("utf-16-le"),
        ERROR,
        r"is not UTF-8 text \(byte 0xff at offset 0\)",
    ),
    ("utf-16-be-bom", b"\xfe\xff" + GOOD.encode("utf-16-be"), ERROR, r"is not UTF-8 text"),
    ("utf-32", GOOD.encode("utf-32"), ERROR, r"is not UTF-8 text"),
    ("lone-continuation-byte", b"[align]\n\x80threshold = 0.6\n", ERROR, r"byte 0x80 at offset 8"),
    ("overlong-slash", b"[align]\nthreshold = 0.6 # \xc0\xaf\n", ERROR, r"byte 0xc0"),
    ("encoded-surrogate", b"[align]\nthreshold = 0.6 # \xed\xa0\x80\n", ERROR, r"byte 0xed"),
    ("cut-multibyte-at-end", b"[align]\nthreshold = 0.6 # \xe2\x82", ERROR, r"byte 0xe2"),
    ("random-binary", bytes(range(256)) * 4, ERROR, r"is not UTF-8 text"),
    ("nul-byte", b"[align]\nthreshold = 0.6\x00\n", ERROR, r"is not valid TOML"),
    ("gzip-magic", b"\x1f\x8b\x08\x00" + b"\x00" * 16, ERROR, r"byte 0x8b"),
    ("utf-8-bom", b"\xef\xbb\xbf" + GOOD.encode(), OK, None),
    ("crlf-lines", GOOD.replace("\n", "\r\n").encode(), OK, None),
    ("empty-file", b"", OK, None),
    ("comments-only", "# réglages\n# nothing set\n".encode(), OK, None),
]


@pytest.mark.parametrize(
    "raw, outcome, pattern", [row[1:] for row in CONFIG_BYTES], ids=[row[0] for row in CONFIG_BYTES]
)
def test_settings_file_bytes(tmp_path, raw, outcome, pattern):
    path = tmp_path / "settings.toml"
    path.write_bytes(raw)
    if outcome == ERROR:
        with pytest.raises(ConfigError, match=pattern) as caught:
            load_settings(path)
        assert str(path) in str(caught.value)
    else:
        load_settings(path)


def test_a_folder_as_the_settings_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=rf"cannot read settings file {re.escape(str(tmp_path))}"):
        load_settings(tmp_path)


def test_the_table_is_as_large_as_promised():
    rows = (
        len(HEADERS)
        + len(SPELLINGS)
        + len(SENTENCES)
        + len(SETTINGS)
        + len(OUTPUTS)
        + len(STORE_FAILURES)
        + len(CONFIG_BYTES)
    )
    assert rows >= 70
