"""Shared fixtures: settings, the real models (loaded once per test session) and a local HTTP server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Fact readers re-raise in the tests instead of recording a failed sentence as a warning
# (comparer/facts/stage.py): a reader that breaks on some text must fail its test.
os.environ.setdefault("CROSSCHECK_STRICT_FACTS", "1")

from comparer.settings import load_settings
from tests.localserver import LocalServer

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
EXAMPLE_DIR = REPO / "comparer" / "examples" / "syria-2021-02-25"
SEED = EXAMPLE_DIR / "01-hngn.txt"


@pytest.fixture()
def settings(tmp_path):
    """Defaults with the store in a fresh temporary folder."""
    return load_settings().with_overrides({"store.data_dir": str(tmp_path / "data")})


@pytest.fixture(scope="session")
def embedder():
    """The real packaged all-MiniLM-L6-v2, loaded once per session."""
    from comparer.embed import load_embedder

    return load_embedder(load_settings())


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy English pipeline, loaded once per session."""
    from comparer.facts.nlp import load_nlp

    return load_nlp()


@pytest.fixture()
def local_server() -> Iterator[LocalServer]:
    """A started LocalServer (tests/localserver.py) on 127.0.0.1, stopped after the test."""
    with LocalServer() as srv:
        yield srv
