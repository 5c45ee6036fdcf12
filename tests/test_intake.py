"""intake.py: the rules on what a user gave, and the CLI and the dashboard applying them alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from comparer.intake import EMPTY, ONE_SOURCE, Pasted, Upload, plan_sources
from tests.conftest import REPO, SEED


def test_sources_are_numbered_in_input_order(settings, tmp_path):
    plan = plan_sources(
        urls=["https://a.example/one", "", "  https://b.example/two  "],
        pasted=[Pasted("Some words here.", "Desk", published="2021-02-26")],
        uploads=[Upload("notes.txt", b"Outlet: Paper\nConstructed: yes\n\nBody text.")],
        settings=settings,
    )
    assert plan.errors == plan.warnings == ()
    sources = plan.sources(tmp_path)
    assert [(s.id, s.kind, s.outlet) for s in sources] == [
        ("s1", "url", None),
        ("s2", "url", None),
        ("s3", "text", "Desk"),
        ("s4", "text", "Paper"),
    ]
    assert sources[1].location == "https://b.example/two"
    assert sources[2].published.isoformat() == "2021-02-26T00:00:00+00:00"
    assert sources[3].constructed and sources[3].text == "Body text."


def test_uploaded_pages_are_written_to_the_run_folder(settings, tmp_path):
    plan = plan_sources(
        uploads=[Upload("a.html", b"<p>x</p>"), Upload("b.htm", b"<p>y</p>")], settings=settings
    )
    sources = plan.sources(tmp_path)
    assert plan.ok and [s.kind for s in sources] == ["file", "file"]
    assert Path(sources[0].location).read_bytes() == b"<p>x</p>"
    assert Path(sources[0].location).is_relative_to(tmp_path)
    assert Path(sources[1].location).name == "b.htm"
    with pytest.raises(ValueError):  # never written to the working folder by default
        plan.sources()


# (id, urls, uploads, errors, warnings): the dashboard's inputs; the CLI's are below
RULES = [
    ("empty", [], [], [EMPTY], []),
    (
        "no-scheme",
        ["www.example.com/a", "https://ok.example/b"],
        [],
        ["“www.example.com/a” is not a web address: start it with http:// or https://."],
        [],
    ),
    (
        "ftp",
        ["https://ok.example/a", "ftp://files.example/x"],
        [],
        ["“ftp://files.example/x” is not a web address: start it with http:// or https://."],
        [],
    ),
    # a duplicate is dropped with a warning naming both; one source is left, too few
    (
        "duplicate-url",
        ["https://a.example/x", "https://a.example/x/"],
        [],
        [ONE_SOURCE],
        ["https://a.example/x/ is the same as https://a.example/x; it is compared once"],
    ),
    (
        "tracking-copy",
        ["https://a.example/x", "https://b.example/y", "https://www.a.example/x?utm_source=rss"],
        [],
        [],
        [
            "https://www.a.example/x?utm_source=rss is the same as https://a.example/x; it is compared once"
        ],
    ),
    (
        "same-url-twice",
        ["https://a.example/x", "https://a.example/y", "https://a.example/x"],
        [],
        [],
        ["https://a.example/x is given twice; it is compared once"],
    ),
    (
        "same-upload-bytes",
        ["https://a.example/x"],
        [("a.txt", b"t1"), ("b.txt", b"t1")],
        [],
        ["b.txt is the same as a.txt; it is compared once"],
    ),
    ("one-source", ["https://a.example/x"], [], [ONE_SOURCE], []),
    (
        "not-text",
        ["https://a.example/x"],
        [("a.pdf", b"%PDF")],
        ["Uploaded file a.pdf: only .html, .htm and .txt files can be compared"],
        [],
    ),
    # a header mistake costs a warning on that source (comparer.sources), not the run
    (
        "bad-header-date",
        [],
        [("bad.txt", b"Outlet: X\nPublished: yesterday\n\nText."), ("b.txt", b"Other.")],
        [],
        [],
    ),
]


@pytest.mark.parametrize(
    "urls, uploads, errors, warnings", [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_rules(settings, urls, uploads, errors, warnings):
    plan = plan_sources(urls=urls, uploads=[Upload(*u) for u in uploads], settings=settings)
    assert (list(plan.errors), list(plan.warnings)) == (errors, warnings)


def test_max_sources_counts_the_sources_left_after_duplicates(settings):
    urls = [f"https://site{n}.example/story" for n in range(14)]
    plan = plan_sources(urls=urls + urls[:3], example=True, settings=settings)
    assert len(plan.planned) == 20 and plan.ok  # 6 example + 14, the copies dropped
    plan = plan_sources(
        urls=urls + ["https://site99.example/story"], example=True, settings=settings
    )
    assert len(plan.planned) == 21
    assert plan.errors == (
        "21 sources given; one comparison takes at most 20 (setting "
        "compare.max_sources). Remove some.",
    )


def test_pasted_text_is_checked_like_the_add_button_checks_it(settings):
    plan = plan_sources(
        pasted=[
            Pasted("Text.", "Desk", url="javascript:alert(1)"),
            Pasted("Text.", "  "),
            Pasted("Text.", "Desk", published="yesterday"),
        ],
        settings=settings,
    )
    assert plan.errors == (
        "Pasted text: the URL “javascript:alert(1)” is not a web address: start it with "
        "http:// or https://.",
        "Pasted text: pasted text needs an outlet name.",
        "Pasted text: Published: 'yesterday' is not an ISO date or datetime.",
    )


def test_cli_specs_take_paths_the_dashboard_never_does(settings, tmp_path, monkeypatch):
    """A CLI argument may be a local file; the dashboard's web-address lines never read a
    path on the server."""
    monkeypatch.chdir(REPO)
    rel = str(SEED.relative_to(REPO))
    plan = plan_sources(specs=[str(SEED), rel, "notes.pdf"], settings=settings, comparing=False)
    assert [p.source.location for p in plan.planned] == [str(SEED)]
    assert plan.warnings == (f"{rel} is the same as {SEED}; it is compared once",)
    assert plan.errors == (
        "“notes.pdf” is not a web address (http:// or https://) or a .html, .htm or .txt file.",
    )
    plan = plan_sources(urls=[str(SEED)], settings=settings)
    assert plan.planned == () and "is not a web address" in plan.errors[0]


def test_reading_one_source_is_fine_comparing_it_is_not(settings):
    assert plan_sources(specs=[str(SEED)], settings=settings, comparing=False).ok
    assert plan_sources(specs=[str(SEED)], settings=settings).errors == (ONE_SOURCE,)


def test_the_example_and_its_own_file_are_one_source(settings):
    plan = plan_sources(specs=[str(SEED)], example=True, settings=settings)
    assert len(plan.planned) == 6 and plan.ok
    assert plan.warnings == (f"{SEED} is the same as example: {SEED.name}; it is compared once",)


# -- one answer from both front ends ---------------------------------------------------

# (id, web addresses, extra settings, errors, warnings): typed as the CLI's arguments and
# as the dashboard's lines, the same input gets the same messages, and is refused by both
SAME = [
    ("empty", [], "", [EMPTY], []),
    (
        "invalid-url",
        ["https://ok.example/a", "ftp://files.example/x"],
        "",
        ["“ftp://files.example/x” is not a web address: start it with http:// or https://."],
        [],
    ),
    (
        "duplicates",
        ["https://a.example/x", "HTTPS://A.example/x/"],
        "",
        [ONE_SOURCE],
        ["HTTPS://A.example/x/ is the same as https://a.example/x; it is compared once"],
    ),
    (
        "too-many",
        [
            "https://a.example/x",
            "https://b.example/y",
            "https://a.example/x",
            "https://c.example/z",
        ],
        "[compare]\nmax_sources = 2\n",
        [
            "3 sources given; one comparison takes at most 2 (setting compare.max_sources). "
            "Remove some."
        ],
        ["https://a.example/x is given twice; it is compared once"],
    ),
]


@pytest.mark.parametrize(
    "urls, extra, errors, warnings", [r[1:] for r in SAME], ids=[r[0] for r in SAME]
)
def test_cli_and_dashboard_give_the_same_answer(
    tmp_path, monkeypatch, capsys, urls, extra, errors, warnings
):
    from streamlit.testing.v1 import AppTest

    from comparer.__main__ import main
    from dashboard.safe import md
    from tests.test_dashboard_apptest import APP, TIMEOUT, _config

    config = _config(tmp_path, extra)
    assert main(["compare", *urls, "--config", str(config)]) == 2
    said = capsys.readouterr().err.splitlines()
    assert said == [f"warning: {w}" for w in warnings] + [f"error: {e}" for e in errors]
    assert not (tmp_path / "data").exists()  # refused before the store was opened

    monkeypatch.setenv("CROSSCHECK_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.text_area(key="urls").input("\n".join(urls))
    at.button(key="compare").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [md(e) for e in errors]
    assert [w.value for w in at.warning] == [md(w) for w in warnings]
    assert at.session_state.report is None and not at.status
