"""The forked side job, and the parse that runs in it beside the encoder."""
from __future__ import annotations

import gc
import os
import time

import numpy as np
import pytest

from comparer import overlap
from comparer.embed import CachedEmbedder, cores_shared
from comparer.errors import SideJobError
from comparer.facts.reader import extract_facts
from comparer.pipeline import read_sources
from comparer.side_job import SideJob
from comparer.sources import example_sources


def _add(a: int, b: int, *, times: int = 1) -> list[int]:
    return [a + b] * times


def _fail() -> None:
    raise ValueError("no figures in this one")


def _crash() -> None:
    os._exit(3)


def _sleep() -> None:
    time.sleep(60)


def test_a_side_job_returns_its_result_and_thaws_the_collector():
    job = SideJob(_add, 2, 3, times=2)
    assert job.result(timeout=30) == [5, 5]
    assert job.seconds is not None and job.seconds >= 0
    assert gc.get_freeze_count() == 0


def test_a_large_result_comes_back_whole():
    job = SideJob(_add, 1, 1, times=500_000)  # several megabytes through the pipe
    assert job.result(timeout=60) == [2] * 500_000


def test_an_exception_in_the_child_is_reported_with_its_type():
    with pytest.raises(SideJobError, match="ValueError: no figures in this one"):
        SideJob(_fail).result(timeout=30)
    assert gc.get_freeze_count() == 0


def test_a_child_that_dies_is_reported():
    with pytest.raises(SideJobError, match="died without an answer.*exit code 3"):
        SideJob(_crash).result(timeout=30)


def test_a_child_out_of_time_is_stopped():
    job = SideJob(_sleep)
    pid = job._pid
    started = time.monotonic()
    with pytest.raises(SideJobError, match="no answer within"):
        job.result(timeout=0.5)
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind
    assert gc.get_freeze_count() == 0


def test_encoding_with_shared_cores_gives_the_same_vectors(embedder):
    import torch

    texts = [f"The strike killed {n} fighters near the border, officials said." * (1 + n % 3)
             for n in range(40)]
    plain = embedder.encode(texts)
    threads = torch.get_num_threads()
    calls = []

    def busy() -> bool:
        calls.append(torch.get_num_threads())
        return len(calls) < 2  # busy for the first slice, then done

    with cores_shared(busy):
        shared = embedder.encode(texts)
    assert calls[0] == 1  # the first slice ran on one thread
    assert torch.get_num_threads() == threads
    assert np.allclose(plain, shared, atol=1e-5)


@pytest.fixture(scope="module")
def example_articles():
    from config import load_settings

    return [a for a in read_sources(example_sources(), load_settings()) if a.status == "ok"]


def test_facts_read_beside_the_encoder_equal_the_facts_read_after_it(example_articles,
                                                                    embedder, nlp, settings):
    said: list[str] = []
    timings: dict[str, float] = {}
    cached = CachedEmbedder(embedder)
    alignment, facts = overlap.align_and_read(example_articles, cached, nlp, settings,
                                              say=lambda stage, msg: said.append(msg),
                                              timings=timings)
    assert "facts_side" in timings, said  # the example is big enough to use the side job
    assert facts.facts == extract_facts(example_articles, settings, nlp=nlp)
    assert facts.problems == ()
    assert len(alignment.claims) > 10
    assert gc.get_freeze_count() == 0


def test_a_failing_side_job_falls_back_to_reading_facts_here(example_articles, embedder, nlp,
                                                             settings, monkeypatch):
    monkeypatch.setattr(overlap, "_facts_in_child", lambda *args: _fail())
    said: list[str] = []
    timings: dict[str, float] = {}
    _, facts = overlap.align_and_read(example_articles, CachedEmbedder(embedder), nlp,
                                      settings, say=lambda stage, msg: said.append(msg),
                                      timings=timings)
    assert any("side process failed: ValueError" in m and "reading facts here" in m
               for m in said), said
    assert "facts_side" not in timings
    assert facts.facts == extract_facts(example_articles, settings, nlp=nlp)
    assert facts.problems == ()


@pytest.mark.parametrize("to_parse, to_encode, expected", [
    (10, 10, False),      # too small to be worth a fork
    (100, 0, False),      # warm run: nothing to encode, the parse would only be slower
    (100, 30, False),     # too little encoding to hide a one-process parse
    (100, 100, True),
    (2000, 2000, True),
    (2000, 500, False),
])
def test_when_the_side_parse_pays(to_parse, to_encode, expected):
    assert overlap.side_parse_pays(to_parse, to_encode) is expected


def test_the_heap_is_handed_back_by_the_last_user_only():
    from comparer.heap import freeze_heap, heap_frozen, thaw_heap

    with heap_frozen():
        freeze_heap()  # a side job inside a comparison
        thaw_heap()
        assert gc.get_freeze_count() > 0  # the comparison still holds it
    assert gc.get_freeze_count() == 0
