"""Alignment and fact reading side by side: the parse in a forked child, the encode here.

Why: on a cold comparison the sentence encoder and the spaCy parse are the two big costs
and neither needs the other's output. On the two-core machine we measure on (100
articles, 1,874 distinct sentences) they cost about 8.3 s (encode, two threads) + 2.5 s
(facts, two parsing processes) one after the other; side by side, with the encoder on
one thread until the parse is done, the whole comparison takes 10.5-11.3 s
(``bench/bench_compare.py``). The rule for when it pays is below.

Anything that goes wrong in the child is reported through ``say`` and the facts are then
read here as before: the overlap is an optimisation, never a new way to fail.
"""
from __future__ import annotations

import time
from contextlib import nullcontext
from typing import Any, Callable, Sequence

from comparer.align import Alignment, align
from comparer.embed import cores_shared
from comparer.errors import SideJobError
from comparer.facts.reader import FactsRead, read_facts, texts_to_parse
from comparer.models import Article
from comparer.side_job import SideJob, can_fork

# Below this many sentences to parse, forking costs more than it saves.
SIDE_PARSE_MIN = 16
# The side parse runs in one process; in-process it would use two for large events
# (1.3 times faster), and a warm run has next to nothing to encode. It pays when the
# encode left to do is long enough to hide the one-process parse: measured costs per
# sentence are about 8 ms to encode on one thread and 1.9 ms to parse and read in the
# child, so the break-even is near 0.25 sentences to encode per sentence to parse; 0.4
# leaves a margin for machines where the parse is relatively slower.
MIN_ENCODE_PER_PARSE = 0.4
# Seconds the child may take: a fixed allowance plus a generous time per sentence
# (about 13 times what it needs), so that a stuck child cannot hang a comparison.
TIMEOUT_BASE_S = 60.0
TIMEOUT_PER_SENTENCE_S = 0.05


def side_parse_pays(to_parse: int, to_encode: int) -> bool:
    """Is it worth parsing in a forked child while ``to_encode`` sentences are encoded?"""
    return to_parse >= SIDE_PARSE_MIN and to_encode >= MIN_ENCODE_PER_PARSE * to_parse


def _facts_in_child(articles: Sequence[Article], settings: Any, nlp: Any,
                    to_parse: list[str]) -> FactsRead:
    return read_facts(articles, settings, nlp=nlp, to_parse=to_parse, side_process=True)


def align_and_read(articles: Sequence[Article], embedder: Any, nlp: Any, settings: Any, *,
                   say: Callable[[str, str], None], timings: dict[str, float]
                   ) -> tuple[Alignment, FactsRead]:
    """``align`` and ``read_facts`` of the same ok articles, side by side when it pays.

    ``timings`` gets ``align`` and ``facts`` (wall seconds each stage added here) and,
    when the parse ran beside the encode, ``facts_side`` (seconds the child worked).
    """
    texts = [s.text for a in articles for s in a.sentences]
    to_parse = texts_to_parse(articles)
    prefetch = getattr(embedder, "prefetch", None)
    to_encode = prefetch(texts) if prefetch is not None else len(set(texts))
    job: SideJob | None = None
    if can_fork() and side_parse_pays(len(to_parse), to_encode):
        try:
            job = SideJob(_facts_in_child, list(articles), settings, nlp, to_parse)
        except (SideJobError, OSError) as exc:
            say("facts", f"could not start a side process ({exc}); reading facts afterwards")

    t = time.perf_counter()
    with cores_shared(lambda: not job.done()) if job is not None else nullcontext():
        try:
            alignment = align(articles, embedder, settings)
        except BaseException:
            if job is not None:
                job.close()
            raise
    timings["align"] = time.perf_counter() - t

    t = time.perf_counter()
    facts: FactsRead | None = None
    if job is not None:
        try:
            facts = job.result(TIMEOUT_BASE_S + TIMEOUT_PER_SENTENCE_S * len(to_parse))
            timings["facts_side"] = float(job.seconds or 0.0)
        except SideJobError as exc:
            say("facts", f"{exc}; reading facts here instead")
    if facts is None:
        facts = read_facts(articles, settings, nlp=nlp, to_parse=to_parse)
    timings["facts"] = time.perf_counter() - t
    return alignment, facts


__all__ = ["align_and_read", "side_parse_pays"]
