"""Run every fact reader over the articles' sentences.

The spaCy parse is the expensive part (about 1.2 ms a sentence on one process, a
quarter of encoding it on two threads), so it runs only on sentences that can hold a
figure (a count word or a digit that is not a clock time, year or date) or an
attribution/blame cue, once per distinct sentence text (syndicated copy repeats
sentences verbatim across outlets), batched with ``nlp.pipe``. Times and places are
read without the parse (the parse only helps them rule out names such as "the Sunday
Times"), so every sentence gets them.
"""
from __future__ import annotations

import re
import threading
from dataclasses import replace
from typing import Any, Sequence

from threadpoolctl import threadpool_limits

from comparer.facts.attributions import find_attributions, resolve_speakers
from comparer.facts.context import ArticleContext
from comparer.facts.figures import find_figures
from comparer.facts.frames import frames_with_parse, frames_without_parse
from comparer.facts.nlp import doc_text
from comparer.facts.numbers import may_hold_figure
from comparer.facts.places import article_places, find_places
from comparer.facts.times import find_times
from comparer.models import Article, Fact

# Words that can introduce an attribution, a blame or a claim of responsibility.
_CUES = (r"said|says|say|told|tells|according|as per|citing|confirm\w*|announc\w*|report\w*|"
         r"stat\w+|claim\w*|blam\w+|responsib\w+|carried out|behind|denied|denies|accus\w+|"
         r"attribut\w+|added|noted|spokes\w+|official\w*|describ\w*|call(?:ed|s)|insist\w*|"
         r"warn\w*|wrote|tweet\w*|comment\w*|declin\w*|refus\w*|admit\w*|acknowledg\w*|"
         r"explain\w*|reject\w*|deny|denying|involvement|conduct\w*|launch\w*|perpetrat\w*|"
         r"orchestrat\w*")
ATTRIBUTION_CUE = re.compile(rf"\b(?:{_CUES})\b", re.IGNORECASE)
# Digits that are clock times, years or days of a month hold no count; the time reader
# finds those without a parse, so they alone do not send a sentence to spaCy.
_CLOCK_OR_DATE = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\b\.?)|\b(?:1[89]|20)\d\d\b|\b\d{3,4}\s*(?:GMT|UTC)\b|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\b", re.IGNORECASE)


def needs_parse(text: str) -> bool:
    """Can this sentence hold a figure or an attribution (the readers that need a parse)?"""
    return bool(ATTRIBUTION_CUE.search(text)) or may_hold_figure(_CLOCK_OR_DATE.sub(" ", text))


# Below this many sentences a second parsing process costs more to start than it saves.
PARALLEL_PARSE_MIN = 400
_PARSE_LOCK = threading.Lock()
PARSE_BATCH = 64


def _parse(nlp: Any, texts: list[str], *, side_process: bool) -> list[Any]:
    """spaCy parses on one core; for large events a second process uses the other one
    (measured with the readers: 1,868 sentences in 3.2 s with one process, 2.45 s with
    two; 341 sentences 0.59 s and 0.52 s, hence the threshold).

    spaCy starts its workers by forking, which is only safe from a process's main thread:
    inside a server (the dashboard runs each session in a worker thread) it stays serial.
    A side process (``overlap.py``) already shares the cores with the encoder, and owns
    its copy of the pipeline: one process, no lock to wait for.

    Either way each parsing process keeps the BLAS on one thread (``nlp.py`` routes the
    pipeline's matrix products through numpy's): a second BLAS thread per process would
    only fight the encoder or the other process for the two cores.
    """
    if side_process:
        with threadpool_limits(limits=1, user_api="blas"):
            return list(nlp.pipe(texts, batch_size=PARSE_BATCH))
    parallel = (len(texts) >= PARALLEL_PARSE_MIN
                and threading.current_thread() is threading.main_thread())
    # One pipeline object may serve several dashboard sessions; spaCy does not promise
    # that concurrent calls on it are safe, so parses take turns.
    with _PARSE_LOCK, threadpool_limits(limits=1, user_api="blas"):
        return list(nlp.pipe(texts, batch_size=PARSE_BATCH, n_process=2 if parallel else 1))


_OTHERS = re.compile(r"\bothers?\s*$", re.IGNORECASE)


def others_counted(facts: Sequence[Fact]) -> list[Fact]:
    """ "killed one militia member and wounded several others": the others are more of
    the thing counted just before in the same sentence, not unnamed people. The word as
    written stays in ``counted_as_written``."""
    out: list[Fact] = []
    last: str | None = None
    for f in facts:
        if f.kind == "figure":
            if _OTHERS.search(f.text) and last:
                f = replace(f, value={**f.value, "counted": last,
                                      "counted_as_written": f.value.get("counted")})
            elif f.value.get("counted"):
                last = str(f.value["counted"])
        out.append(f)
    return out


def _with_frames(text: str, doc: Any, found: list[Fact], memo: dict[Any, Any]) -> list[Fact]:
    """Each fact with the frame of its clause (``frames.py``), for the events stage.

    A frame depends on the sentence and on where its facts are and what days and towns
    they name; syndicated copy repeats sentences verbatim across outlets, so frames are
    worked out once per (text, facts) in a comparison (``memo``).
    """
    if not found:
        return found
    key = (text, tuple((f.kind, f.start, f.end, f.value.get("start"), f.value.get("canonical"),
                        f.value.get("granularity"), f.value.get("level")) for f in found))
    frames = memo.get(key)
    if frames is None:
        parsed = doc_text(doc) if doc is not None else None
        base = -1 if parsed is None else 0 if parsed == text else text.find(parsed)
        frames = memo[key] = (frames_with_parse(text, doc, base, found) if base >= 0
                              else frames_without_parse(text, found))
    return [replace(f, frame=fr) for f, fr in zip(found, frames)]


def texts_to_parse(articles: Sequence[Article]) -> list[str]:
    """The distinct sentence texts of the ok articles that go through spaCy."""
    return sorted({s.text for a in articles if a.status == "ok" for s in a.sentences
                   if needs_parse(s.text)})


def extract_facts(articles: Sequence[Article], settings: Any, *, nlp: Any,
                  to_parse: list[str] | None = None, side_process: bool = False
                  ) -> tuple[Fact, ...]:
    """All facts of all ok articles, in article then sentence order.

    ``to_parse``: ``texts_to_parse(articles)`` when the caller has it already;
    ``side_process``: running in a forked child beside the encoder (see ``_parse``).
    """
    ok = [a for a in articles if a.status == "ok"]
    texts = texts_to_parse(ok) if to_parse is None else to_parse
    docs = dict(zip(texts, _parse(nlp, texts, side_process=side_process))) if texts else {}
    facts: list[Fact] = []
    frame_memo: dict[Any, Any] = {}
    for article in ok:
        ctx = ArticleContext(source_id=article.id, published=article.published,
                             places=article_places(article.sentences, settings=settings))
        found_here: list[Fact] = []
        for sentence in article.sentences:
            doc = docs.get(sentence.text)
            found: list[Fact] = []
            if doc is not None:
                found += find_figures(sentence, doc, ctx=ctx, settings=settings)
                found += find_times(sentence, doc, ctx=ctx, settings=settings)
                found += find_attributions(sentence, doc, ctx=ctx, settings=settings)
            else:
                # The time reader works without a parse (regexes, ~0.1 ms), so a sentence
                # the pre-filter skipped still gets its times.
                found += find_times(sentence, None, ctx=ctx, settings=settings)
            found += find_places(sentence, doc, ctx=ctx, settings=settings)
            found = others_counted(sorted(found, key=lambda f: (f.start, f.end, f.kind)))
            found_here.extend(_with_frames(sentence.text, doc, found, frame_memo))
        # "Kirby said" -> John Kirby, "he said" -> the last person speaking, per article.
        facts.extend(resolve_speakers(found_here, settings=settings))
    return tuple(facts)
