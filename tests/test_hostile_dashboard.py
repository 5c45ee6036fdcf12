"""Hostile inputs at the dashboard's edge (issue 16, item 10): who may list and open a run.

Three tables, each row an input and what must happen:

- ``dashboard.saved_runs`` values: anything but "session" or "shared" is refused, naming
  the key;
- ``?run=`` values on a public dashboard (saved_runs = "session"): only the exact id of a
  run saved with an owner opens; a shared run's short id, a prefix, a different case, SQL
  or LIKE wildcards, markup and huge values all get the same "no saved comparison"
  message (escaped), as if the run did not exist;
- owner cookies: a forged or malformed ``crosscheck_session`` value is never used as the
  owner token (which goes into the cookie-setting script); a new random one replaces it.

No models are needed: the runs are written into the store directly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from comparer import report as rpt
from comparer.errors import ConfigError
from comparer.settings import load_settings
from comparer.store import Store
from dashboard import state
from dashboard.safe import md
from tests.test_cards_output import build_report

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PRIVATE_OWNER = "ab" * 16


def _config(tmp_path: Path, saved_runs: str = "session") -> Path:
    path = tmp_path / "crosscheck.toml"
    path.write_text(
        f'[store]\ndata_dir = "{(tmp_path / "data").as_posix()}"\n\n'
        f'[dashboard]\nsaved_runs = "{saved_runs}"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "value",
    [
        '"public"',
        '"Session"',
        '"SHARED"',
        '""',
        '" session"',
        '"session "',
        '"none"',
        '"session\\n"',
        "1",
        "true",
        '["session"]',
        "{}",
    ],
)
def test_bad_saved_runs_values_are_refused_naming_the_key(tmp_path, value):
    path = tmp_path / "bad.toml"
    path.write_text(f"[dashboard]\nsaved_runs = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dashboard\.saved_runs must be"):
        load_settings(path)


@pytest.mark.parametrize("value", ["session", "shared"])
def test_both_saved_runs_values_load(tmp_path, value):
    assert load_settings(_config(tmp_path, value)).dashboard.saved_runs == value
    assert load_settings().dashboard.saved_runs == "session"  # the safe default


@pytest.fixture()
def saved(tmp_path, monkeypatch):
    """A store holding one shared run (as the CLI saves it) and one owned run."""
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(_config(tmp_path)))
    data = rpt.to_json(build_report())
    with Store.open(load_settings(_config(tmp_path))) as store:
        shared = store.save_run(data, title="shared run")
        private = store.save_run(data, title="private run", owner=PRIVATE_OWNER)
    return shared, private


def _open(run: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["run"] = run
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    "make",
    [
        lambda shared, private: shared,  # a shared run's short id
        lambda shared, private: private[:12],  # a prefix of a private id
        lambda shared, private: private[:-1],
        lambda shared, private: private + "0",
        lambda shared, private: private.upper(),  # ids are exact, case too
        lambda shared, private: f" {private}",
        lambda shared, private: "%",  # LIKE wildcards mean nothing
        lambda shared, private: private[:8] + "%",
        lambda shared, private: "*",
        lambda shared, private: "' OR '1'='1",  # SQL is a parameter
        lambda shared, private: f"{shared}' OR owner IS NULL --",
        lambda shared, private: "<script>alert(1)</script>",
        lambda shared, private: "[x](javascript:alert(1))",
        lambda shared, private: "0" * 32,
        lambda shared, private: "f" * 10_000,
        lambda shared, private: "ид-" + private[:29],
    ],
)
def test_only_the_exact_id_of_an_owned_run_opens(saved, make):
    shared, private = saved
    run = make(shared, private)
    at = _open(run)
    assert at.session_state.report is None
    assert [e.value for e in at.error] == [
        md(f"There is no saved comparison “{run}” in this store.")
    ]
    assert not [b for b in at.button if b.key.startswith("open_run_")]


def test_the_exact_owned_id_opens_for_anyone_with_it(saved):
    shared, private = saved
    at = _open(private)
    assert at.session_state.report_origin == "store" and at.session_state.run_id == private
    assert not [b for b in at.button if b.key.startswith("open_run_")]  # not theirs to list


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        "x" * 32,
        "ab" * 15 + "a",
        "ab" * 17,
        ("AB" * 16),
        "ab" * 16 + "\n",
        'abababababababababababababababab"; alert(1); "',
        "</script><script>alert(1)</script>",
        "ab" * 16 + "; path=/admin",
        "%61" * 32,
        "ａｂ" * 16,
    ],
)
def test_a_malformed_owner_cookie_is_replaced(saved, monkeypatch, cookie):
    monkeypatch.setattr(state, "_cookies", lambda: {state.OWNER_COOKIE: cookie})
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    owner = at.session_state.owner
    assert re.fullmatch(r"[0-9a-f]{32}", owner) and owner != cookie
    script = [e.value for e in at.html if "document.cookie" in e.value]
    assert (
        len(script) == 1
        and f'"{state.OWNER_COOKIE}={owner}; path=/; SameSite=Strict"' in script[0]
        and "alert" not in script[0]
    )
    assert not [b for b in at.button if b.key.startswith("open_run_")]


def test_a_well_formed_owner_cookie_lists_its_runs(saved, monkeypatch):
    shared, private = saved
    monkeypatch.setattr(state, "_cookies", lambda: {state.OWNER_COOKIE: PRIVATE_OWNER})
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.session_state.owner == PRIVATE_OWNER
    assert [b.key for b in at.button if b.key.startswith("open_run_")] == [f"open_run_{private}"]
    assert not [e for e in at.html if "document.cookie" in e.value]  # already set


def test_a_shared_dashboard_lists_the_shared_runs_only(saved, tmp_path, monkeypatch):
    shared, private = saved
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(_config(tmp_path, "shared")))
    monkeypatch.setattr(state, "_cookies", lambda: {state.OWNER_COOKIE: PRIVATE_OWNER})
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["run"] = shared
    at.run()
    assert at.session_state.run_id == shared
    assert [b.key for b in at.button if b.key.startswith("open_run_")] == [f"open_run_{shared}"]
    assert not [e for e in at.html if "document.cookie" in e.value]
