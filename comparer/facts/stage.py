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

import os
import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any, NamedTuple

from threadpoolctl import threadpool_limits

from comparer.facts.attributions import find_attributions, resolve_speakers
from comparer.facts.blame import IDIOM_WORDS, prefetch_context
from comparer.facts.context import ArticleContext
from comparer.facts.contextual import LogitStore
from comparer.facts.cue_model import leaning_words
from comparer.facts.cues import cue_words
from comparer.facts.figures import find_figures, restated_counts
from comparer.facts.frames import frames_with_parse, frames_without_parse
from comparer.facts.headlines import names_in, sentence_cased
from comparer.facts.nlp import doc_text, parseable, parsed_at
from comparer.facts.numbers import may_hold_figure
from comparer.facts.places import article_places, find_places
from comparer.facts.quotes import attach_quotes, punctuation_cues
from comparer.facts.times import find_times
from comparer.records import Article, Fact
from comparer.settings import Settings

# Words that can introduce an attribution, a blame or a claim of responsibility beyond the
# cue lexicon's verbs (``cues.cue_words``): blame and responsibility cues, office words.
_CUES = (
    r"blam\w+|responsib\w+|carried out|behind|accus\w+|attribut\w+|spokes\w+|"
    r"official\w*|involvement|conduct\w*|launch\w*|perpetrat\w*|orchestrat\w*|declin\w*|"
    r"refus\w*"
)
ATTRIBUTION_CUE = re.compile(rf"\b(?:{_CUES})\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_COLON = re.compile(r":(?:\s|$)")  # not a clock's "10:30"
# Digits that are clock times, years or days of a month hold no count; the time reader
# finds those without a parse, so they alone do not send a sentence to spaCy.
_CLOCK_OR_DATE = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\b\.?)|\b(?:1[89]|20)\d\d\b|\b\d{3,4}\s*(?:GMT|UTC)\b|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\b",
    re.IGNORECASE,
)


def needs_parse(text: str) -> bool:
    """Can this sentence hold a figure or an attribution (the readers that need a parse)?"""
    if ATTRIBUTION_CUE.search(text) or _COLON.search(text):  # a colon may introduce a quote
        return True
    words = _parse_words()
    if any(w.lower() in words for w in _WORD.findall(text)):
        return True
    return may_hold_figure(_CLOCK_OR_DATE.sub(" ", text))


@lru_cache(maxsize=1)
def _parse_words() -> frozenset[str]:
    """The lexicon's cue words and the verbs the learned scorer leans towards: without
    the latter, 'Clinton laid out her proposals' or 'he blasted the media' was never
    parsed, so never weighed (PolNeAR dev: 173 labelled cues sat in sentences the filter
    skipped; with these words 30 of them are read, at 26 of 34 new facts on a label)."""
    # and the words of light-verb statements: "made (it) clear", "no secret", "put it"
    return cue_words() | leaning_words() | IDIOM_WORDS


# Below this many sentences a second parsing process costs more to start than it saves.
PARALLEL_PARSE_MIN = 400
_PARSE_LOCK = threading.Lock()
PARSE_BATCH = 64


def _parse(nlp: Any, texts: list[str]) -> list[Any]:
    """spaCy parses on one core; for large events a second process uses the other one
    (measured with the readers: 1,868 sentences in 3.2 s with one process, 2.45 s with
    two; 341 sentences 0.59 s and 0.52 s, hence the threshold).

    spaCy starts its workers by forking, which is only safe from a process's main thread:
    inside a server (the dashboard runs each session in a worker thread) it stays serial.

    Each parsing process keeps the BLAS on one thread (``nlp.py`` routes the pipeline's
    matrix products through numpy's): a second BLAS thread per process would only fight
    the other parsing process (or, in the dashboard, another session's encoder) for the
    two cores.
    """
    parallel = (
        len(texts) >= PARALLEL_PARSE_MIN and threading.current_thread() is threading.main_thread()
    )
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
                f = replace(
                    f,
                    value={
                        **f.value,
                        "counted": last,
                        "counted_as_written": f.value.get("counted"),
                    },
                )
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
    key = (
        text,
        tuple(
            (
                f.kind,
                f.start,
                f.end,
                f.value.get("start"),
                f.value.get("canonical"),
                f.value.get("granularity"),
                f.value.get("level"),
            )
            for f in found
        ),
    )
    frames = memo.get(key)
    if frames is None:
        parsed = doc_text(doc) if doc is not None else None
        base = -1 if parsed is None else parsed_at(text, parsed)
        frames = memo[key] = (
            frames_with_parse(text, doc, base, found)
            if base >= 0
            else frames_without_parse(text, found)
        )
    return [replace(f, frame=fr) for f, fr in zip(found, frames, strict=True)]


def parse_texts(article: Article) -> list[str]:
    """Each sentence's text as spaCy gets it: a title-case headline in sentence case
    (``headlines.py``: "Lawmakers Rip Trump" parses as names, "lawmakers rip Trump" as a
    subject and its verb), any other sentence as written. Same lengths as the sentences."""
    names = names_in(s.text for s in article.sentences)
    return [sentence_cased(s.text, names) for s in article.sentences]


class ReadingProblem(NamedTuple):
    """A sentence whose facts could not be read: a warning on its source, not a lost run."""

    source_id: str
    sentence: int
    message: str


class FactsRead(NamedTuple):
    facts: tuple[Fact, ...]
    problems: tuple[ReadingProblem, ...]


STRICT_ENV = "CROSSCHECK_STRICT_FACTS"


def strict_mode() -> bool:
    """Re-raise a fact reader's failure instead of recording it (``CROSSCHECK_STRICT_FACTS=1``;
    the tests turn it on so that a reader that breaks on some text fails them)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def extract_facts(articles: Sequence[Article], settings: Settings, *, nlp: Any) -> tuple[Fact, ...]:
    """All facts of all ok articles, in article then sentence order (``read_facts`` without
    its problems: for callers that only need the facts; the ``facts`` command and
    ``compare`` show the problems as warnings)."""
    return read_facts(articles, settings, nlp=nlp).facts


def read_facts(
    articles: Sequence[Article],
    settings: Settings,
    *,
    nlp: Any,
    store: LogitStore | None = None,
) -> FactsRead:
    """All facts of all ok articles, in article then sentence order, and the sentences whose
    readers failed. ``store`` keeps the cue encoder's logits between comparisons.

    This is the one place a reader's failure is caught: it costs that sentence its facts
    and is recorded as a ``ReadingProblem`` (the pipeline shows it as a warning on the
    source), or re-raised in strict mode. The readers themselves do not catch.
    """
    ok = [a for a in articles if a.status == "ok"]
    as_parsed = [parse_texts(a) for a in ok]
    # the distinct texts that go through spaCy
    texts = parseable(sorted({t for cased in as_parsed for t in cased if needs_parse(t)}), settings)
    docs = dict(zip(texts, _parse(nlp, texts), strict=True)) if texts else {}
    facts: list[Fact] = []
    problems: list[ReadingProblem] = []
    frame_memo: dict[Any, Any] = {}
    guard = _Guard(problems, strict_mode())
    # the cue encoder's passes for the scorer's contextual term, batched over the whole
    # event (a sentence it misses is encoded when asked: slower, never wrong)
    guard.run([a.id for a in ok], -1, prefetch_context, list(docs.values()), settings, store)
    for article, cased in zip(ok, as_parsed, strict=True):
        # Without its places (a reader failed on them) the article is still read.
        places = (
            guard.run(article.id, -1, article_places, article.sentences, settings=settings) or ()
        )
        ctx = ArticleContext(source_id=article.id, published=article.published, places=places)
        found_here: list[Fact] = []
        for sentence, parse_text in zip(article.sentences, cased, strict=True):
            doc = docs.get(parse_text)
            found_here += (
                guard.run(
                    article.id,
                    sentence.index,
                    _sentence_facts,
                    sentence,
                    doc,
                    ctx,
                    settings,
                    frame_memo,
                )
                or []
            )
        # The article-wide passes; when they fail, what each sentence gave is kept.
        facts.extend(
            guard.run(article.id, -1, _article_facts, article, found_here, settings) or found_here
        )
    return FactsRead(tuple(facts), tuple(problems))


class _Guard:
    """The one place a fact reader's failure is caught (see ``read_facts``)."""

    def __init__(self, problems: list[ReadingProblem], strict: bool) -> None:
        self.problems, self.strict = problems, strict

    def run(
        self, source_id: str | Sequence[str], sentence: int, fn: Any, *args: Any, **kwargs: Any
    ) -> Any:
        """``fn(*args, **kwargs)``, or None with the failure recorded (raised when strict) on
        the source, or on each of several sources that the call served together."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # recorded as a warning on the source, never dropped
            if self.strict:
                raise
            for one in [source_id] if isinstance(source_id, str) else source_id:
                self.problems.append(ReadingProblem(one, sentence, _problem(exc)))
            return None


def _sentence_facts(
    sentence: Any, doc: Any, ctx: ArticleContext, settings: Settings, frame_memo: dict[Any, Any]
) -> list[Fact]:
    return _with_frames(
        sentence.text, doc, _read_sentence(sentence, doc, ctx, settings), frame_memo
    )


def _article_facts(article: Article, found: list[Fact], settings: Settings) -> list[Fact]:
    """Punctuation cues, then speakers resolved across sentences ("Kirby said" -> John
    Kirby, "he said" -> the person named before), then each quotation given to its speaker;
    counts the article repeats ("the 10 civilians killed") marked as restatements."""
    found = sorted(
        [*found, *punctuation_cues(article.sentences, settings=settings)],
        key=lambda f: (f.sentence, f.start, f.end, f.kind),
    )
    found = restated_counts(found)
    resolved = resolve_speakers(found, settings=settings, sentences=article.sentences)
    return attach_quotes(article.text, article.sentences, resolved)


def _read_sentence(sentence: Any, doc: Any, ctx: ArticleContext, settings: Settings) -> list[Fact]:
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
    return others_counted(sorted(found, key=lambda f: (f.start, f.end, f.kind)))


def _problem(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def problem_warnings(problems: Sequence[ReadingProblem], source_id: str) -> tuple[str, ...]:
    """One source's reading problems as the warnings its report entry shows."""
    out = []
    for p in problems:
        if p.source_id != source_id:
            continue
        where = f"sentence {p.sentence + 1}" if p.sentence >= 0 else "the article-wide passes"
        out.append(f"facts of {where} not read ({p.message})")
    return tuple(out)
