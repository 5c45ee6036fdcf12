"""Title-case headlines read as ordinary sentences.

US outlets capitalise every word of a headline ("Black Lawmakers Rip Donald Trump As A
'Disgusting Fraud'"). spaCy's tagger reads capitals as names, so the verb becomes part of a
proper-noun run and the parse has no subject and no cue: the headline's attribution, often
the story's main one, is lost. Before parsing, such a sentence is put in sentence case: a
word keeps its capital only when the article shows it is a name (capitalised in the middle
of one of its ordinary sentences, or a known given name), an acronym, or the first word.

The recased text has the same length as the original, character for character, so every
offset a reader takes from the parse still points into the sentence as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from comparer.facts.names import given_names

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
# A capitalised word right after a lower-case word or a comma: mid-sentence, so a name.
_NAME_IN_RUNNING_TEXT = re.compile(r"(?<=[a-z,;] )[A-Z][A-Za-z'\u2019-]*")


def is_title_case(text: str) -> bool:
    """Most longer words capitalised: a headline's title case (the test the speaker reader
    applies to a parsed sentence, ``speakers.title_case``, on the text alone)."""
    words = [w for w in _WORD.findall(text) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.85 * len(words)


def names_in(sentences: Iterable[str]) -> frozenset[str]:
    """The capitalised words an article uses as names in its ordinary sentences."""
    return frozenset(
        w for s in sentences if not is_title_case(s) for w in _NAME_IN_RUNNING_TEXT.findall(s)
    )


def sentence_cased(text: str, names: frozenset[str]) -> str:
    """``text`` with the capitals of common words lowered, when it is in title case;
    otherwise ``text`` itself. Same length as ``text``."""
    if not is_title_case(text):
        return text

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        lowered = word.lower()
        keep = (
            m.start() == 0
            or word == "I"
            or (len(word) > 1 and word.isupper())  # an acronym: "CEO", "GOP"
            or any(c.isupper() for c in word[1:])  # "DuVernay", "McConnell"
            or word in names
            or _stem(word) in names  # "Trump's" where the article has "Trump"
            or lowered in given_names()
            or len(lowered) != len(word)  # (never change the text's length)
        )
        return word if keep else lowered

    return _WORD.sub(fix, text)


def _stem(word: str) -> str:
    return re.sub(r"['\u2019]s?$", "", word)
