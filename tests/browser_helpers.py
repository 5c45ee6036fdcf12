"""Run the dashboard for real and drive it with Debian's Chromium (used by tests and bench).

``running_app(config)`` starts ``python -m streamlit run dashboard/app.py`` on 127.0.0.1
and a free port, in its own process group (so Streamlit and anything it spawns are
killed together at the end), with ``CROSSCHECK_CONFIG`` pointing at a settings file,
and waits until ``/_stcore/health`` answers. ``chromium(tmp)`` opens a persistent
Playwright context on ``/usr/bin/chromium`` (never a downloaded browser) with the
flags that keep it quiet and off the network.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(path: Path, *, data_dir: Path, allow_private: bool = False) -> Path:
    """A settings file for the app under test: its own store, optionally local fetching."""
    path.write_text(
        f'[store]\ndata_dir = "{data_dir.as_posix()}"\n\n'
        f"[fetch]\nallow_private_hosts = {'true' if allow_private else 'false'}\n",
        encoding="utf-8",
    )
    return path


@dataclass
class App:
    url: str
    process: subprocess.Popen
    started: float  # perf_counter when the process was launched
    healthy_after: float  # seconds from launch to the first healthy answer
    log: Path


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} not healthy after {timeout} s")


@contextmanager
def running_app(config: Path, log: Path, *, timeout: float = 60) -> Iterator[App]:
    port = free_port()
    env = {**os.environ, "CROSSCHECK_CONFIG": str(config), "PYTHONUNBUFFERED": "1"}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard/app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "minimal",
    ]
    out = log.open("wb")
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, timeout)
        yield App(url, process, started, time.perf_counter() - started, log)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        out.close()


@contextmanager
def chromium(user_data_dir: Path, *, width: int = 1600, height: int = 1000) -> Iterator[Any]:
    """A persistent Chromium context (Playwright) on the system browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(user_data_dir),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()


def run_id(page: Any) -> str:
    """The saved run in the address bar (``?run=ID``), or ""."""
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(page.url).query).get("run", [""])[0]


def wait_for_run(page: Any, *, previous: str = "", timeout: float = 180_000) -> str:
    """Wait until a comparison other than ``previous`` is saved and fully drawn; its id.

    The app puts the new run's id in the address bar when the comparison ends, and
    draws the sidebar's list of saved runs last, so the button for that run appearing
    means the script has drawn everything above it."""
    page.wait_for_function(
        "old => { const r = new URLSearchParams(location.search).get('run');"
        " return r && r !== old; }",
        arg=previous,
        timeout=timeout,
    )
    new = run_id(page)
    page.locator(f".st-key-open_run_{new}").wait_for(timeout=timeout)
    return new
