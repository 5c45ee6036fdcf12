"""What the app keeps: settings, the shared store and models, and one session's state.

Settings come from ``config/defaults.toml``, overridden by a TOML file named either by
``CROSSCHECK_CONFIG`` or by ``--config FILE`` after ``--`` on the command line
(``python -m streamlit run dashboard/app.py -- --config my.toml``). Only this UI layer
reads that variable: the library is always handed a ``Settings`` object. Tests use it to
point the app at a temporary store and to let it fetch from a server on 127.0.0.1.

Shared across sessions (``st.cache_resource``, never mutated after creation): the
``Store`` per data folder (it guards its one SQLite connection with a lock) and the raw
embedding model plus the spaCy pipeline. The embedder is wrapped per run in a
``CachedEmbedder`` (that wrapper keeps per-instance memory, so it must not be shared).
Nothing heavy is imported at module level: torch and spaCy load on the first comparison.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import streamlit as st

from config import load_settings

CONFIG_ENV = "CROSSCHECK_CONFIG"

# Session keys and their starting values; app.py calls init() first thing.
DEFAULTS: dict[str, Any] = {
    "report": None,           # the Report on screen
    "report_origin": None,    # "compared" (this session ran it) or "store" (reopened)
    "run_id": None,           # id of the report on screen in the store
    "progress_lines": [],     # what the last comparison printed, kept for later reruns
    "pasted": [],             # pasted texts waiting to be compared (dicts)
    "with_example": False,    # the example event is part of the input
    "trainer": False,         # trainer mode (the toggle's value)
    "revealed": 0,            # trainer mode: flags shown so far
}


def init() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, list(value) if isinstance(value, list) else value)


def config_path() -> str | None:
    """The user settings file: ``--config FILE`` given to the script, else the env var."""
    argv = sys.argv
    if argv and argv[0].endswith("app.py") and "--config" in argv[1:]:
        i = argv.index("--config")
        if i + 1 < len(argv):
            return argv[i + 1]
    return os.environ.get(CONFIG_ENV) or None


def settings() -> Any:
    """Settings for this rerun (a small TOML read; a bad file stops the page with its message)."""
    from comparer.errors import ConfigError

    try:
        return load_settings(config_path())
    except ConfigError as exc:
        st.error(f"Settings could not be loaded: {exc}", icon=":material/settings:")
        st.stop()


@st.cache_resource(show_spinner=False)
def _store(data_dir: str, _settings: Any) -> Any:
    from comparer.store import Store

    return Store.open(_settings)


def store(settings: Any) -> Any | None:
    """The store for ``settings.store.data_dir`` (None, with a warning, if it cannot open)."""
    from comparer.errors import StoreError

    try:
        return _store(str(Path(settings.store.data_dir).resolve()), settings)
    except StoreError as exc:
        st.warning(f"The store cannot be opened, so runs will not be saved: {exc}")
        return None


def _load(settings: Any) -> tuple[Any, Any]:
    from comparer.embed import load_embedder
    from comparer.facts.nlp import load_nlp

    return load_embedder(settings), load_nlp()


@st.cache_resource(show_spinner=False)
def _models(model: str, batch_size: int, _settings: Any) -> tuple[Any, Any]:
    return _load(_settings)


@st.cache_resource(show_spinner=False)
def _warm_up(model: str, batch_size: int, _settings: Any) -> threading.Thread:
    """Load the models in a background thread, once per process, so that the first
    comparison does not wait for them. The library's loaders cache per process, so
    ``_models`` later finds them loaded. A failure here is left for the comparison to
    report (it loads again and shows the error)."""
    def load() -> None:
        try:
            _load(_settings)
        except Exception:  # noqa: BLE001 - reported by the comparison that needs them
            pass

    thread = threading.Thread(target=load, name="crosscheck-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up(settings: Any) -> None:
    """Start loading the models after the page is drawn (call it last in the script)."""
    _warm_up(str(settings.embed.model), int(settings.embed.batch_size), settings)


def models(settings: Any, store: Any | None) -> tuple[Any, Any]:
    """(embedder wrapped for this run, spaCy pipeline); the model loads once per process."""
    from comparer.embed import CachedEmbedder

    raw, nlp = _models(str(settings.embed.model), int(settings.embed.batch_size), settings)
    return CachedEmbedder(raw, store), nlp


def show(report: Any, *, origin: str, run_id: str | None, lines: list[str]) -> None:
    """Put a report on screen for this session (and reset what belonged to the last one)."""
    st.session_state.report = report
    st.session_state.report_origin = origin
    st.session_state.run_id = run_id
    st.session_state.progress_lines = lines
    st.session_state.revealed = 0
