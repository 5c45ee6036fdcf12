"""What the app keeps: settings, the shared store and models, and one session's state.

Settings are the package's defaults (``comparer/settings.py``), overridden by a TOML file
named either by ``CROSSCHECK_CONFIG`` or by ``--config FILE`` after ``--`` on the command line
(``python -m streamlit run dashboard/app.py -- --config my.toml``). Only this UI layer
reads that variable: the library is always handed a ``Settings`` object. Tests use it to
point the app at a temporary store and to let it fetch from a server on 127.0.0.1.

Shared across sessions (``st.cache_resource``, never mutated after creation): the
``Store`` per data folder (it guards its one SQLite connection with a lock). The models
are the library's business: ``pipeline.load_models``, the CLI's loader too, keeps them
once per process and hands each run a fresh ``CachedEmbedder`` wrapper (it keeps
per-instance memory, so it must not be shared). Nothing heavy is imported at module level: torch and spaCy load in a background thread
(``ModelLoader``) started at the end of the first script run, that is once the first page
is drawn; the page shows how long is left, and a comparison started before they are ready
waits for them with the same countdown.

Saved runs (``dashboard.saved_runs``): in "shared" mode every run is saved for everyone
to list. In "session" mode each run is saved with its browser session's owner token
(``owner``) and listed only there. The token is random (128 bits) and kept in a session
cookie, set by a two-line script, so that a reload or a second tab of the same browser
still lists the runs (a Streamlit session alone ends with the page); it ends when the
browser closes. It only scopes the list: a permalink opens its run for anyone who has it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from comparer.settings import Settings, load_settings

if TYPE_CHECKING:
    from comparer.store import Store

CONFIG_ENV = "CROSSCHECK_CONFIG"

# Session keys and their starting values; app.py calls init() first thing.
DEFAULTS: dict[str, Any] = {
    "report": None,  # the Report on screen
    "report_origin": None,  # "compared" (this session ran it) or "store" (reopened)
    "run_id": None,  # id of the report on screen in the store
    "progress_lines": [],  # what the last comparison printed, kept for later reruns
    "pasted": [],  # pasted texts waiting to be compared (dicts)
    "with_example": False,  # the example event is part of the input
    "trainer": False,  # trainer mode (the toggle's value)
    "revealed": 0,  # trainer mode: flags shown so far
}


OWNER_COOKIE = "crosscheck_session"
_OWNER_FORM = re.compile(r"[0-9a-f]{32}")


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


def settings() -> Settings:
    """Settings for this rerun (a small TOML read; a bad file stops the page with its message)."""
    from comparer.errors import ConfigError

    try:
        return load_settings(config_path())
    except ConfigError as exc:
        st.error(f"Settings could not be loaded: {exc}", icon=":material/settings:")
        st.stop()


@st.cache_resource(show_spinner=False)
def _store(data_dir: str, _settings: Settings) -> Store:
    from comparer.store import Store

    return Store.open(_settings)


def store(settings: Settings) -> Store | None:
    """The store for ``settings.store.data_dir`` (None, with a warning, if it cannot open)."""
    from comparer.errors import StoreError

    try:
        return _store(str(Path(settings.store.data_dir).resolve()), settings)
    except StoreError as exc:
        st.warning(f"The store cannot be opened, so runs will not be saved: {exc}")
        return None


# Seconds a model load is expected to take before one was timed on this machine (the
# import of sentence-transformers and torch is most of it: 5-10 s on 2 busy cores).
DEFAULT_LOAD_SECONDS = 12.0
# Beside the store: how long the last load took here, for the next server's estimate.
TIMING_FILE = "dashboard-model-load.json"


def _read_timing(path: Path | None) -> float | None:
    try:
        seconds = float(json.loads(path.read_text(encoding="utf-8"))["seconds"])
    except (AttributeError, OSError, ValueError, TypeError, KeyError):
        return None  # no file yet, or not ours to trust: the default guess stands
    return seconds if 0 < seconds < 600 else None


class ModelLoader:
    """The language models, loaded once per process in a background thread.

    ``start`` is idempotent and returns at once; ``wait`` blocks up to a timeout;
    ``seconds_left`` counts down from how long the last load took on this machine
    (``timing_file``, written after each successful load), else from
    ``DEFAULT_LOAD_SECONDS``. A failure is kept in ``error`` and left for the
    comparison to report (it loads again through ``models`` and shows the error).
    """

    def __init__(self, load: Callable[[], Any], timing_file: Path | None = None) -> None:
        self._load = load
        self._timing_file = timing_file
        self.expected = _read_timing(timing_file) or DEFAULT_LOAD_SECONDS
        self.started_at: float | None = None  # time.monotonic() at start
        self.seconds: float | None = None  # how long the load took, once done
        self.error: str | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self.started_at is not None:
                return
            self.started_at = time.monotonic()
        threading.Thread(target=self._run, name="crosscheck-models", daemon=True).start()

    def _run(self) -> None:
        try:
            self._load()
        except Exception as exc:  # noqa: BLE001 - kept for the comparison to report
            self.error = f"{type(exc).__name__}: {exc}"
        self.seconds = time.monotonic() - (self.started_at or 0.0)
        if self.error is None and self._timing_file is not None:
            try:
                self._timing_file.write_text(
                    json.dumps({"seconds": round(self.seconds, 2)}), encoding="utf-8"
                )
            except OSError:
                pass  # only the next estimate is lost: the default guess is used then
        self._done.set()  # last: whoever waited finds the measure written

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def elapsed(self) -> float:
        return 0.0 if self.started_at is None else time.monotonic() - self.started_at

    def seconds_left(self) -> float:
        """Estimated seconds until ready (0 when done; never below 1 while loading)."""
        return 0.0 if self.ready else max(1.0, self.expected - self.elapsed())

    def describe(self) -> str:
        """ "Loading the language models: about 6 s left" (or that it is taking longer)."""
        if self.ready:
            return "The language models are ready."
        if self.elapsed() > self.expected:
            return (
                f"Loading the language models: taking longer than the {self.expected:.0f} s "
                "expected."
            )
        return f"Loading the language models: about {self.seconds_left():.0f} s left."


def _load_and_warm(settings: Settings) -> None:
    from comparer.pipeline import load_models

    # The library keeps the models once loaded (one per process): a run's own
    # ``load_models`` call then finds them. No store here, so the warm-up vector is
    # never cached as if it came from an article.
    embedder, nlp = load_models(settings)
    # The first encode and parse in a process set up torch's threads and spaCy's
    # tables: pay that here too, not in the user's first comparison.
    embedder.encode(["A warm-up sentence for the embedding model."])
    nlp("A warm-up sentence for the parser, said an official on Friday.")


@st.cache_resource(show_spinner=False)
def _loader(model: str, batch_size: int, timing_file: str, _settings: Settings) -> ModelLoader:
    return ModelLoader(lambda: _load_and_warm(_settings), Path(timing_file))


def model_loader(settings: Settings) -> ModelLoader:
    """This process's loader for ``settings``' model (created, not started)."""
    timing = Path(settings.store.data_dir).resolve() / TIMING_FILE
    return _loader(str(settings.embed.model), int(settings.embed.batch_size), str(timing), settings)


def warm_up(settings: Settings) -> None:
    """Start loading the models in the background (call it last: the page is drawn)."""
    model_loader(settings).start()


def private_runs(settings: Settings) -> bool:
    """True when saved runs belong to the browser session that made them."""
    return str(settings.dashboard.saved_runs) == "session"


def _cookies() -> dict[str, str]:
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no browser behind this session (AppTest, bare mode)
        return {}


def owner() -> str:
    """This browser session's owner token: the cookie's when it has a well-formed one,
    else a new random one (``remember_owner`` then stores it in the cookie)."""
    ss = st.session_state
    if "owner" not in ss:
        sent = _cookies().get(OWNER_COOKIE, "")
        ss.owner = sent if _OWNER_FORM.fullmatch(sent) else secrets.token_hex(16)
    return ss.owner


def remember_owner() -> None:
    """Put the owner token in a session cookie unless the browser already sent it."""
    token = owner()
    if _cookies().get(OWNER_COOKIE) == token:
        return
    if not _OWNER_FORM.fullmatch(token):  # hex only, so nothing can break out of the script
        raise ValueError(f"malformed owner token {token!r}")
    st.html(
        f'<script>document.cookie = "{OWNER_COOKIE}={token}; path=/; SameSite=Strict"'
        ' + (location.protocol === "https:" ? "; Secure" : "");</script>',
        unsafe_allow_javascript=True,
    )


def show(report: Any, *, origin: str, run_id: str | None, lines: list[str]) -> None:
    """Put a report on screen for this session (and reset what belonged to the last one)."""
    st.session_state.report = report
    st.session_state.report_origin = origin
    st.session_state.run_id = run_id
    st.session_state.progress_lines = lines
    st.session_state.revealed = 0
