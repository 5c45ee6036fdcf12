"""The facts stage's plumbing: the parse pre-filter, the BLAS routing and the one guard."""

from __future__ import annotations

import pytest

from comparer.facts import stage
from comparer.pipeline import read_sources
from comparer.sources import example_sources


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The strike killed 17 fighters.", True),
        ("An American contractor was killed and a US service member was wounded.", True),
        ("Kirby said the operation was proportionate.", True),
        ("It happened about 6 p.m. on Thursday.", False),  # times need no parse
        ("On Feb. 15, in 2021, at 2300 GMT.", False),
        ("Three rockets hit the base on Feb. 15.", True),
        ("The border area is dry and flat.", False),
        # verbs the learned scorer leans towards, beyond the lexicon: worth a parse
        ("In Fort Pierce, Clinton laid out her proposals.", True),
        ("Democrats also slammed the committee for its silence.", True),
        ("The senator blasted the media.", True),
    ],
)
def test_prefilter(text, expected):
    assert stage.needs_parse(text) is expected


def test_two_process_parse_gives_the_same_facts(nlp, settings, monkeypatch):
    articles = read_sources(example_sources(), settings)
    serial = stage.extract_facts(articles, settings, nlp=nlp)
    monkeypatch.setattr(stage, "PARALLEL_PARSE_MIN", 1)
    parallel = stage.extract_facts(articles, settings, nlp=nlp)
    assert [f.to_dict() for f in parallel] == [f.to_dict() for f in serial]
    assert len(serial) > 150


def test_others_are_more_of_the_thing_counted_before(nlp, settings):
    from comparer.records import Article, Source
    from comparer.sentences import split_sentences

    text = "The strike killed one militia member and wounded several others, an official said."
    article = Article(
        source=Source(id="s1", kind="text", text=text, outlet="W"),
        status="ok",
        outlet="W",
        text=text,
        sentences=split_sentences(text, source_id="s1"),
    )
    figures = [f for f in stage.extract_facts([article], settings, nlp=nlp) if f.kind == "figure"]
    wounded = next(f for f in figures if f.value["role"] == "wounded")
    assert wounded.value["counted"] == "militia member"
    assert wounded.value["counted_as_written"] != "militia member"


def test_pipeline_matrix_products_use_numpys_blas(nlp):
    # BLIS runs generic kernels on CPUs it does not know (see comparer/facts/nlp.py)
    def layers():
        return [
            m
            for _, pipe in nlp.pipeline
            if getattr(pipe, "model", None) is not None
            for m in pipe.model.walk()
        ]

    list(nlp.pipe(["The ministry said 17 people were killed in Kabul."]))  # nothing built late
    assert len(layers()) > 20
    assert all(getattr(m.ops, "use_blis", None) is False for m in layers())


def test_parse_holds_blas_to_one_thread_and_then_lets_go(nlp):
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    class Recording:  # the real pipeline, noting the BLAS threads while it parses
        during: list[int] = []

        def pipe(self, texts, **kwargs):
            Recording.during = blas_threads()
            return nlp.pipe(texts, batch_size=kwargs.get("batch_size", 64))

    before = blas_threads()
    docs = stage._parse(Recording(), ["Officials said 17 people were killed."])
    assert [e.text for e in docs[0].ents] == ["17"]
    assert Recording.during and set(Recording.during) == {1}
    assert blas_threads() == before


def _article(text, source_id="s1"):
    from comparer.records import Article, Source
    from comparer.sentences import split_sentences

    return Article(
        source=Source(id=source_id, kind="text", text=text, outlet="W"),
        status="ok",
        outlet="W",
        text=text,
        sentences=split_sentences(text, source_id=source_id),
    )


def _breaks_on(word, original):
    def broken(sentence, doc, **kwargs):
        if word in sentence.text:
            raise ValueError("the reader broke")
        return original(sentence, doc, **kwargs)

    return broken


def test_a_failing_reader_costs_one_sentence_and_says_so(nlp, settings, monkeypatch):
    monkeypatch.delenv(stage.STRICT_ENV, raising=False)
    monkeypatch.setattr(stage, "find_figures", _breaks_on("rockets", stage.find_figures))
    article = _article(
        "Three rockets hit the base, officials said. Two people were killed, police said."
    )
    read = stage.read_facts([article], settings, nlp=nlp)
    assert read.problems == (stage.ReadingProblem("s1", 0, "ValueError: the reader broke"),)
    assert {f.sentence for f in read.facts} == {1}  # the other sentence keeps its facts
    assert any(f.kind == "figure" and f.value["low"] == 2 for f in read.facts)
    assert stage.problem_warnings(read.problems, "s1") == (
        "facts of sentence 1 not read (ValueError: the reader broke)",
    )
    assert stage.problem_warnings(read.problems, "s2") == ()


def test_a_failed_encoder_batch_is_a_warning_on_every_source_it_served(nlp, settings, monkeypatch):
    """The cue encoder's passes are batched over the whole event: when the batch fails,
    each source says so, and each sentence is still read (a verb weighed in context is
    then encoded when asked)."""
    monkeypatch.delenv(stage.STRICT_ENV, raising=False)

    def broken(docs, settings, store=None):
        raise OSError("disk gone")

    monkeypatch.setattr(stage, "prefetch_context", broken)
    articles = [
        _article("The minister floated the idea of a snap election.", "s1"),
        _article("Two people were killed, police said.", "s2"),
    ]
    read = stage.read_facts(articles, settings, nlp=nlp)
    assert read.problems == (
        stage.ReadingProblem("s1", -1, "OSError: disk gone"),
        stage.ReadingProblem("s2", -1, "OSError: disk gone"),
    )
    assert {(f.source_id, f.kind) for f in read.facts} >= {("s1", "attribution"), ("s2", "figure")}


def test_strict_mode_reraises_what_the_guard_would_record(nlp, settings, monkeypatch):
    monkeypatch.setenv(stage.STRICT_ENV, "1")
    monkeypatch.setattr(stage, "find_figures", _breaks_on("rockets", stage.find_figures))
    with pytest.raises(ValueError, match="the reader broke"):
        stage.read_facts([_article("Three rockets hit the base.")], settings, nlp=nlp)


def test_the_tests_run_the_readers_in_strict_mode():
    assert stage.strict_mode()


def test_a_failed_sentence_is_a_warning_on_its_source_in_the_report(
    nlp, embedder, settings, monkeypatch
):
    from comparer.pipeline import compare
    from comparer.sources import pasted_source

    monkeypatch.delenv(stage.STRICT_ENV, raising=False)
    monkeypatch.setattr(stage, "find_figures", _breaks_on("rockets", stage.find_figures))
    sources = [
        pasted_source("Three rockets hit the base on Monday, officials said.", "A", "s1"),
        pasted_source("Two rockets hit the base on Monday, police said.", "B", "s2"),
    ]
    report = compare(sources, settings, embedder=embedder, nlp=nlp)
    broke = "facts of sentence 1 not read (ValueError: the reader broke)"
    warnings = {a.id: a.warnings for a in report.articles}
    assert warnings["s1"][-1] == warnings["s2"][-1] == broke  # after the short-text warning
    from comparer.report import to_json

    assert to_json(report)["sources"][0]["warnings"] == list(warnings["s1"])


def test_a_failed_sentence_is_a_warning_in_the_facts_command_too(nlp, settings, monkeypatch):
    from comparer import cli_text
    from comparer.pipeline import facts_only
    from comparer.sources import pasted_source

    monkeypatch.delenv(stage.STRICT_ENV, raising=False)
    monkeypatch.setattr(stage, "find_figures", _breaks_on("rockets", stage.find_figures))
    sources = [pasted_source("Three rockets hit the base on Monday, officials said.", "A", "s1")]
    articles, _events, facts = facts_only(sources, settings)
    broke = "facts of sentence 1 not read (ValueError: the reader broke)"
    assert articles[0].warnings[-1] == broke
    assert f"[s1] A: warning: {broke}" in cli_text.facts_text(articles, facts)
