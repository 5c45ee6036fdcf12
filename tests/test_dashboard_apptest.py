"""The dashboard through Streamlit's AppTest: inputs, messages, the example, failures, permalinks.

Each test points the app at its own settings file (``CROSSCHECK_CONFIG``, read only by
``dashboard/state.py``) whose store lives in the test's temporary folder. The real
models are used; Streamlit's ``cache_resource`` keeps them loaded across tests.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from comparer.report import ordered
from config import setting_help
from dashboard import inputs
from dashboard.safe import md
from tests.localserver import local_server  # noqa: F401  (pytest fixture)

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
TIMEOUT = 180


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "crosscheck.toml"
    path.write_text(f'[store]\ndata_dir = "{(tmp_path / "data").as_posix()}"\n{extra}',
                    encoding="utf-8")
    return path


@pytest.fixture()
def app(tmp_path, monkeypatch):
    """A fresh app session on a temporary store, already drawn once."""
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(_config(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def cards(at: AppTest) -> list[str]:
    """The HTML of the disagreement cards on screen, in screen order."""
    return [e.value for e in at.html if e.value.startswith('<div class="cc-head">')]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# -- plan(): the input rules, without Streamlit ---------------------------------------------

def test_plan_numbers_sources_in_input_order(tmp_path):
    items, errs = inputs.plan("https://a.example/one\n\n  https://b.example/two  \n",
                              [{"outlet": "Desk", "text": "Some words here.", "url": "",
                                "published": "2021-02-26"}],
                              [("notes.txt", b"Outlet: Paper\nConstructed: yes\n\nBody text.")],
                              with_example=False, max_sources=20)
    assert errs == []
    sources = inputs.build(items, tmp_path)
    assert [(s.id, s.kind, s.outlet) for s in sources] == [
        ("s1", "url", None), ("s2", "url", None), ("s3", "text", "Desk"), ("s4", "text", "Paper")]
    assert sources[1].location == "https://b.example/two"
    assert sources[2].published.isoformat() == "2021-02-26T00:00:00+00:00"
    assert sources[3].constructed and sources[3].text == "Body text."


def test_plan_writes_html_uploads_to_the_run_folder(tmp_path):
    items, errs = inputs.plan("", [], [("a.html", b"<p>x</p>"), ("b.htm", b"<p>y</p>")],
                              with_example=False, max_sources=20)
    sources = inputs.build(items, tmp_path)
    assert errs == [] and [s.kind for s in sources] == ["file", "file"]
    assert Path(sources[0].location).read_bytes() == b"<p>x</p>"
    assert Path(sources[1].location).name == "b.htm"


@pytest.mark.parametrize("urls, uploads, expected", [
    ("", [], [inputs.EMPTY]),
    ("www.example.com/a\nhttps://ok.example/b",  [],
     ["Line 1 of the web addresses, “www.example.com/a”, is not a web address: start it "
      "with http:// or https://."]),
    ("https://ok.example/a\nftp://files.example/x", [],
     ["Line 2 of the web addresses, “ftp://files.example/x”, is not a web address: start it "
      "with http:// or https://."]),
    ("https://a.example/x\nhttps://a.example/x/", [],
     ["“https://a.example/x/” is given twice: remove the copy."]),
    ("https://a.example/x", [("a.txt", b"t1"), ("b.txt", b"t1")],
     ["“b.txt” is given twice: remove the copy."]),
    ("https://a.example/x", [], ["Only one source given: add at least one more to compare it "
                                 "with."]),
    ("", [("bad.txt", b"Outlet: X\nPublished: yesterday\n\nText.")],
     ["Uploaded file Published: 'yesterday' is not an ISO date or datetime"]),
])
def test_plan_messages(urls, uploads, expected):
    assert inputs.plan(urls, [], uploads, with_example=False, max_sources=20)[1] == expected


def test_plan_refuses_more_than_the_maximum():
    urls = "\n".join(f"https://site{n}.example/story" for n in range(15))
    items, errs = inputs.plan(urls, [], [], with_example=True, max_sources=20)
    assert len(items) == 21
    assert errs == ["21 sources given; one comparison takes at most 20 (setting "
                    "compare.max_sources). Remove some."]


# -- the app ---------------------------------------------------------------------------------

def test_first_paint_shows_the_inputs_and_no_report(app):
    assert app.title[0].value == "Crosscheck"
    assert app.button(key="load_example").label == "Load the example event"
    assert app.session_state.report is None and not cards(app)


@pytest.mark.parametrize("urls, message", [
    ("", inputs.EMPTY),
    ("example.com/news", "Line 1 of the web addresses, “example.com/news”, is not a web "
                         "address: start it with http:// or https://."),
    ("https://a.example/x\nhttps://a.example/x", "“https://a.example/x” is given twice: "
                                                 "remove the copy."),
    ("\n".join(f"https://s{n}.example/x" for n in range(21)),
     "21 sources given; one comparison takes at most 20 (setting compare.max_sources). "
     "Remove some."),
])
def test_bad_input_gets_its_message_and_starts_nothing(app, urls, message):
    app.text_area(key="urls").input(urls)
    app.button(key="compare").click().run()
    assert not app.exception
    assert errors(app) == [md(message)]
    assert app.session_state.report is None and not app.status


@pytest.mark.slow  # compares, with the real models
def test_example_renders_its_conflicts(app):
    app.button(key="load_example").click().run()
    assert not app.exception and not errors(app)
    report = app.session_state.report
    assert [a.status for a in report.articles] == ["ok"] * 6
    shown = cards(app)
    expected = ordered(report.disagreements)
    assert len(shown) == len(expected) > 0
    for html, d in zip(shown, expected):  # conflicts first, each card names its flag
        assert f"· {d.id}" in html and f">{d.severity}</span>" in html
    conflicts = [c for c in shown if ">conflict</span>" in c]
    assert conflicts == shown[:len(conflicts)]
    # planted disagreements of the example event (see its README): Kirby vs Austin, the place
    assert any("Lloyd Austin" in c and "Kirby" in c for c in conflicts)
    assert any("Al Mayadin" in c for c in conflicts)
    assert any("constructed test material" in c for c in shown)
    assert any("Coastline Courier reprints Meridian Wire" in w.value.replace("\\", "")
               for w in app.warning)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Sources read"] == "6 of 6"
    assert metrics["Places in conflict"] == str(sum(d.kind == "place" and d.severity == "conflict"
                                                    for d in report.disagreements))
    table = app.dataframe[0].value  # the Sources tab comes before the claim matrix
    assert list(table["outlet"]) == ["HNGN", "Meridian Wire", "The Levant Ledger",
                                     "Capitol Dispatch", "Northstar Times", "Coastline Courier"]
    assert list(table["note"].str.startswith("constructed test material")) == [False] + [True] * 5
    assert app.query_params["run"] == report.run_id
    assert [b.label for b in app.download_button] == ["JSON report", "Markdown memo", "CSV"]


@pytest.mark.slow  # compares, with the real models
def test_settings_apply_to_the_next_run(app):
    app.slider(key="set_threshold").set_value(0.9)
    app.slider(key="set_about_band").set_value(0.25)
    app.checkbox(key="set_refresh").check()
    app.button(key="load_example").click().run()
    used = app.session_state.report.settings
    assert (used["align"]["threshold"], used["facts"]["about_band"], used["store"]["refresh"]) \
        == (0.9, 0.25, True)
    assert app.slider(key="set_threshold").help == setting_help()["align.threshold"]


@pytest.mark.slow  # compares, with the real models
def test_filters_and_trainer_mode(app):
    app.button(key="load_example").click().run()
    report = app.session_state.report
    app.multiselect(key="filter_kind").set_value(["place"]).run()
    assert cards(app) and all('">place</span>' in c for c in cards(app))
    app.toggle(key="trainer").set_value(True).run()
    assert cards(app) == [] and app.metric[2].value == "?"
    app.button(key="reveal_next").click().run()
    first = cards(app)
    assert len(first) == 1 and "· d" in first[0]
    assert report.disagreements and app.session_state.revealed == 1
    app.button(key="reveal_next").click().run()
    assert len(cards(app)) == min(2, len(report.disagreements))
    app.button(key="reveal_reset").click().run()
    assert cards(app) == []


@pytest.mark.slow  # compares, with the real models
def test_a_failed_source_shows_its_error_while_the_rest_renders(tmp_path, monkeypatch,
                                                                local_server):  # noqa: F811
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(_config(
        tmp_path, "\n[fetch]\nallow_private_hosts = true\nretries = 0\n")))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    missing = local_server.url("/gone")
    at.text_area(key="urls").input(missing)
    at.button(key="load_example").click().run()
    assert not at.exception
    report = at.session_state.report
    failed = [a for a in report.articles if a.status == "error"]
    assert [a.source.location for a in failed] == [missing]
    assert failed[0].error_type == "HTTPStatusError"
    assert len(errors(at)) == 1 and "404" in errors(at)[0] and "could not be read" in errors(at)[0]
    assert cards(at) and at.metric[0].value == "6 of 7"
    assert local_server.hits("/gone") == 1


@pytest.mark.slow  # compares, with the real models
def test_a_blocked_address_is_reported_not_fetched(app):
    app.text_area(key="urls").input("http://127.0.0.1:9/private")
    app.button(key="load_example").click().run()
    assert not app.exception
    failed = [a for a in app.session_state.report.articles if a.status == "error"]
    assert [a.error_type for a in failed] == ["BlockedAddressError"]
    assert len(errors(app)) == 1 and cards(app)


@pytest.mark.slow  # compares, with the real models
def test_pasted_text_and_uploads_join_the_comparison(app):
    seed = Path(inputs.example_sources()[0].location).read_bytes()
    app.file_uploader(key="uploads").set_value([
        ("wire.txt", b"Outlet: Upload Wire\nPublished: 2021-02-26\nConstructed: yes\n\n"
                     + seed.split(b"\n\n", 1)[1], "text/plain")])
    app.run()
    app.text_input(key="paste_outlet").input("Pasted Post")
    app.text_area(key="paste_text").input("US forces struck militia sites in Syria on Thursday, "
                                          "killing 30 fighters, officials said.")
    app.text_input(key="paste_published").input("2021-02-26")
    app.button(key="paste_add").click().run()
    assert app.session_state.pasted[0]["outlet"] == "Pasted Post"
    app.button(key="load_example").click().run()
    assert not app.exception and not errors(app)
    articles = app.session_state.report.articles
    assert [(a.outlet, a.source.kind, a.source.constructed) for a in articles[6:]] == [
        ("Pasted Post", "text", False), ("Upload Wire", "text", True)]
    assert all(a.status == "ok" for a in articles)
    # the upload is a copy of the seed: flagged as shared text, not an independent source
    assert any("Upload Wire" in w.value for w in app.warning)


@pytest.mark.slow  # compares, with the real models
def test_hostile_pasted_text_is_escaped_everywhere(app):
    outlet = 'Evil <img src=x onerror="alert(1)"> [x](javascript:alert(1))'
    script = "<script>window.__xss=1</script>"
    app.text_input(key="paste_outlet").input(outlet)
    app.text_area(key="paste_text").input(
        f"At least 40 militia fighters were killed {script} in the US strikes in eastern Syria "
        "on Thursday, Syrian state media reported. ![x](http://127.0.0.1:1/x.png) :red[hi] $x$")
    app.button(key="paste_add").click().run()
    app.button(key="load_example").click().run()
    assert not app.exception
    app.selectbox(key="read_outlet").set_value("s7").run()
    html = "\n".join(e.value for e in app.html)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "Evil &lt;img src=&quot;x&quot;" not in html and "Evil &lt;img src=x onerror=" in html
    assert "<script" not in html and "<img" not in html and "onerror=\"" not in html
    markdown = [e.value for e in (*app.markdown, *app.caption, *app.warning, *app.error)]
    assert f"pasted: {md(outlet)} (24 words)" in " ".join(markdown)
    assert not [m for m in markdown if "](javascript" in m or "![x](" in m or ":red[" in m]


def test_pasted_text_needs_an_outlet(app):
    app.text_area(key="paste_text").input("Some text.")
    app.button(key="paste_add").click().run()
    assert app.session_state.pasted == []
    assert errors(app) == [md("Pasted text not added: pasted text needs an outlet name")]


@pytest.mark.slow  # compares, with the real models
def test_permalink_reopens_a_saved_run_without_comparing(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(_config(tmp_path)))
    first = AppTest.from_file(APP, default_timeout=TIMEOUT)
    first.run()
    first.button(key="load_example").click().run()
    saved = first.session_state.report
    run_id = saved.run_id

    import comparer.fetch
    import comparer.pipeline

    def refuse(*args, **kwargs):
        raise AssertionError("a reopened run must not fetch or compare")
    monkeypatch.setattr(comparer.pipeline, "compare", refuse)
    monkeypatch.setattr(comparer.pipeline, "read_sources", refuse)
    monkeypatch.setattr(comparer.fetch, "fetch_all", refuse)
    again = AppTest.from_file(APP, default_timeout=TIMEOUT)
    again.query_params["run"] = run_id
    again.run()
    assert not again.exception
    assert again.session_state.report_origin == "store"
    assert again.session_state.run_id == run_id
    assert cards(again) == cards(first)
    assert any("reopened from the store" in c.value for c in again.caption)
    assert again.button(key=f"open_run_{run_id}").disabled


@pytest.mark.slow  # compares, with the real models
def test_a_recent_run_reopens_from_the_sidebar(app):
    app.button(key="load_example").click().run()
    older = app.session_state.run_id
    app.button(key="load_example").click().run()
    newer = app.session_state.run_id
    assert newer != older and app.button(key=f"open_run_{newer}").disabled
    app.button(key=f"open_run_{older}").click().run()
    assert not app.exception
    assert (app.session_state.run_id, app.session_state.report_origin) == (older, "store")
    assert app.query_params["run"] == older and cards(app)


def test_an_unknown_run_id_says_so(app):
    app.query_params["run"] = "nosuchrun"
    app.run()
    assert errors(app) == [md("There is no saved comparison “nosuchrun” in this store.")]
    assert app.session_state.report is None


@pytest.mark.slow  # compares, with the real models
def test_an_unsaved_run_is_not_replaced_by_an_old_permalink(app, monkeypatch):
    """A run that could not be saved clears ?run=, so the next rerun keeps it on screen."""
    from comparer.errors import StoreError
    from comparer.store import Store

    app.button(key="load_example").click().run()
    first = app.session_state.run_id
    assert app.query_params["run"] == first

    def refuse(self, report, *, title):
        raise StoreError("disk full")
    monkeypatch.setattr(Store, "save_run", refuse)
    app.button(key="load_example").click().run()
    assert app.session_state.run_id is None
    assert "run" not in app.query_params
    assert any("could not be saved" in w.value for w in app.warning)
    fresh = app.session_state.report
    app.toggle(key="trainer").set_value(True).run()  # any later interaction
    assert app.session_state.report is fresh and app.session_state.report_origin == "compared"


def test_a_report_with_events_shows_its_questions_and_events(app):
    """A hand-built report of question cards (``test_cards_output``) drawn by the app."""
    from tests.test_cards_output import HOSTILE_OUTLET, build_report

    report = build_report()
    app.session_state["report"] = report
    app.run()
    assert not app.exception
    shown = cards(app)
    expected = ordered(report.disagreements)
    assert len(shown) == len(expected) and all(f"· {d.id}" in c for c, d in zip(shown, expected))
    assert 'class="cc-question">How many were killed in the 3 May market bombing' in shown[0]
    assert "credited to the war monitor" in shown[0] and 'class="cc-rev"' in shown[0]
    assert "· background event" in [c for c in shown if "12 Apr shelling" in c][0]
    events = [e.value for e in app.html if e.value.startswith('<div class="cc-events">')]
    assert len(events) == 1 and "Main event: <b>the 3 May market bombing in Dara</b>" in events[0]
    assert any("the 3 May market bombing in Dara only" in c.value for c in app.caption)
    html = "\n".join(e.value for e in app.html)
    assert HOSTILE_OUTLET not in html and "<script" not in html and "<img" not in html
