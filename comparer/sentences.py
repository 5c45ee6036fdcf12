"""Split an article's text into sentences with exact character spans.

Method
------
1. Paragraphs. Every line break is a paragraph break (``extract.py`` writes one
   paragraph per line, separated by a blank line); blank lines are skipped and
   do not count. A sentence never crosses a paragraph break, so a subheading
   alone on its line ("Biden ordered US airstrike against Syria") is a sentence
   of its own even though it has no final full stop.
2. Candidate ends. Inside a paragraph, a sentence may end after ``.``, ``!``,
   ``?`` or ``…`` (runs of them), together with any closing quotes or brackets
   that follow (``."`` stays with its sentence), when whitespace comes next.
3. Deciding. A candidate is a real end when a sentence can open after it: a
   capital or a digit, possibly behind opening quotes or brackets; never a
   lower-case word ("U.S. officials said", 'the U.S. "reserves the right"') nor
   a dash ("GRAND MARSH, Minn. — Voters"). After a bare full stop, also not when
   - the word before it is a title that always precedes a name (Mr., Dr.,
     Gen., Lt. Col., Sen., ...);
   - it is an abbreviation that may or may not end a sentence (U.S., p.m.,
     Inc., Feb., No., St., Ore., initials such as "F.") and the next word is not
     one of the words that usually open a sentence ("The", "He", "But", ...)
     or behind an opening quote. Months and "No." never end before a number
     ("Feb. 15", "No. 2"), nor does a dotted abbreviation ("U.S. 5th Fleet").
   So "at 6 p.m. Thursday" stays whole while "struck the U.S. The Pentagon
   said" splits.

Why our own rules and not pysbd? Measured here on the seed: pysbd
splits "at 6 p.m. Thursday" after "p.m.", runs at about 5,000 sentences a
second (its ``char_span`` mode three times slower) against some 250,000 for
these rules, and the spans are the contract: ``text[s.start:s.end] == s.text``
for every sentence, which this module guarantees by construction because it
never copies or rewrites text, it only chooses cut points. The price is the
usual one of rule-based splitters: an abbreviation that truly ends a sentence
before a name ("... at 6 p.m. Kirby said") is not split.

Over-long sentences (``cap_sentences``)
---------------------------------------
spaCy's parse time grows with the square of a sentence's length (measured: 4,000
emoji in one "sentence" 5 s, 20,000 one minute), and pasted lists, tables or
garbage can be one "sentence" of any length. So a sentence over
``facts.max_sentence_chars`` characters or ``facts.max_sentence_tokens`` tokens
is cut into pieces within both caps, each an ordinary sentence with its exact
span: at the last clause break (``;``, ``:``, ``,``, a dash) in the second half
of the allowed window, else at the last space, else (no space at all, e.g. a run
of emoji) at the cap itself, never inside a combining sequence. Splitting rather
than skipping keeps the facts a long sentence holds; the pipeline puts a warning
on the source. Tokens are counted like spaCy's tokenizer does, one per word and
one per punctuation mark or symbol, which never counts fewer than spaCy makes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from comparer.records import Sentence

# Words that always stand before a name: never the end of a sentence.
TITLES = frozenset(
    """
    mr mrs ms messrs mmes dr prof gen gens lt col cols sgt capt cmdr cdr adm maj cpl pvt
    brig sen sens rep reps gov govs pres amb supt insp det rev hon fr msgr lieut
    vs
""".split()
)

# Abbreviations that do not end a sentence before a number ("Feb. 15", "No. 2").
BEFORE_NUMBER = frozenset(
    """
    jan feb mar apr jun jul aug sep sept oct nov dec no nos art arts vol vols pp p fig figs
    ch sec para ex
""".split()
)

# Abbreviations that may end a sentence: they do when a usual opener follows.
AMBIGUOUS = (
    frozenset(
        """
    inc corp co cos ltd llc plc bros jr sr st mt ft ave blvd rd hwy etc approx dept govt
    est univ assn intl natl
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex vt va wash wis wyo
""".split()
    )
    | BEFORE_NUMBER
)

# Words that commonly open an English news sentence; after an ambiguous
# abbreviation only these (or an opening quote) make it a sentence end.
STARTERS = frozenset(
    """
    the a an he she it they we i you his her its their our my this that these those there
    here in on at after before when while but and or so yet however meanwhile also
    according some many most if as for with since although though still then now last
    earlier later both several each every all what who why how where under despite during
    one two three four five six seven eight nine ten no not nor neither instead asked
    officials police authorities witnesses residents critics
""".split()
)

# A run of terminal punctuation with the closing quotes/brackets after it.
_END_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s)")
_LINE_RE = re.compile(r"[^\r\n]+")
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[^\W\d_]+")
# "U.S", "p.m", "Ph.D", "e.g" (the final full stop is not part of the token).
_DOTTED_RE = re.compile(r"^(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}$")
_OPEN_PUNCT = "\"'\u201c\u2018\u00ab([{"


def _could_open(text: str, nxt: int, p_end: int) -> tuple[bool, int]:
    """Whether a sentence may open at ``nxt``, and where its first word starts.

    A sentence opens with a capital or a digit, possibly behind opening quotes
    or brackets; not with a lower-case word ("the U.S. \"reserves ...") nor a
    dash ("GRAND MARSH, Minn. — Voters").
    """
    word = nxt
    while word < p_end and text[word] in _OPEN_PUNCT:
        word += 1
    if word >= p_end:
        return False, word
    first = text[word]
    return (first.isupper() or first.isdigit()), word


def _ends_after_full_stop(text: str, para_start: int, stop: int, nxt: int, word: int) -> bool:
    """Whether a bare full stop at ``stop`` ends a sentence, given that a sentence could
    open at ``nxt`` (its first word at ``word``)."""
    space = text.rfind(" ", para_start, stop)
    token = text[(space + 1 if space >= 0 else para_start) : stop].lstrip(_OPEN_PUNCT)
    if not token:
        return True
    low = token.lower()
    if low in TITLES:
        return False
    dotted = _DOTTED_RE.match(token) is not None
    if not (low in AMBIGUOUS or dotted or (len(token) == 1 and token.isupper())):
        return True
    if text[word].isdigit():  # "Feb. 15", "No. 2", "U.S. 5th Fleet"
        return low not in BEFORE_NUMBER and not dotted
    if word > nxt:  # an opening quote after "p.m." starts a new sentence
        return True
    found = _WORD_RE.match(text, word)
    return found is not None and found.group().lower() in STARTERS


def split_paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped of surrounding whitespace."""
    spans = []
    for m in _LINE_RE.finditer(text):
        start, end = m.span()
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start += len(line) - len(line.lstrip())
        spans.append((start, start + len(stripped)))
    return spans


def split_sentences(text: str, *, source_id: str) -> tuple[Sentence, ...]:
    """Sentences of ``text`` in order, each with its exact span and paragraph index.

    Every line break is a paragraph break; ``text[s.start:s.end] == s.text``.
    """
    out: list[Sentence] = []
    for para_index, (p_start, p_end) in enumerate(split_paragraph_spans(text)):
        start = p_start
        for m in _END_RE.finditer(text, p_start, p_end):
            end = m.end()
            if end >= p_end:
                break
            space = _SPACE_RE.match(text, end, p_end)
            nxt = space.end() if space else end
            if nxt >= p_end:
                break
            is_end, word = _could_open(text, nxt, p_end)
            if is_end and m.group() == ".":  # only a bare full stop can close an abbreviation
                is_end = _ends_after_full_stop(text, p_start, m.start(), nxt, word)
            if is_end:
                out.append(
                    Sentence(
                        source_id=source_id,
                        index=len(out),
                        text=text[start:end],
                        start=start,
                        end=end,
                        paragraph=para_index,
                    )
                )
                start = nxt
        out.append(
            Sentence(
                source_id=source_id,
                index=len(out),
                text=text[start:p_end],
                start=start,
                end=p_end,
                paragraph=para_index,
            )
        )
    return tuple(out)


# One spaCy-like token: a run of word characters, or any single other non-space character.
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# Clause breaks a piece may end after (the break stays with the piece before it).
_CLAUSE_RE = re.compile(r"[;:,\u2013\u2014](?=\s)|\s[\u2013\u2014-](?=\s)")
# Characters that continue the one before (a cut before them would split a symbol):
# zero-width joiner, variation selectors, skin tones, emoji tags.
_CONTINUES = re.compile(r"[\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")


def over_caps(text: str, *, max_chars: int, max_tokens: int) -> bool:
    """Is ``text`` longer than ``max_chars`` characters or ``max_tokens`` tokens?"""
    if len(text) > max_chars:
        return True
    # A text has at most as many tokens as characters: most sentences need no count.
    return len(text) > max_tokens and sum(1 for _ in _TOKEN_RE.finditer(text)) > max_tokens


def _continues(ch: str) -> bool:
    return bool(unicodedata.combining(ch)) or _CONTINUES.match(ch) is not None


def _piece_end(text: str, start: int, end: int, max_chars: int, max_tokens: int) -> int:
    """Where the piece of ``text[start:end]`` that opens at ``start`` should end."""
    limit = min(end, start + max_chars)
    for n, token in enumerate(_TOKEN_RE.finditer(text, start, limit), start=1):
        if n == max_tokens:
            limit = token.end()
            break
    if limit >= end:
        return end
    # The last clause break, then the last space, in the second half of the window.
    half = start + (limit - start) // 2
    breaks = [m.end() for m in _CLAUSE_RE.finditer(text, half, limit)]
    if breaks:
        return breaks[-1]
    space = max(text.rfind(" ", half, limit + 1), text.rfind("\t", half, limit + 1))
    if space > start:
        return space
    cut = limit
    while cut > start + 1 and _continues(text[cut]):
        cut -= 1
    return cut


def cap_sentences(
    text: str, sentences: Sequence[Sentence], *, max_chars: int, max_tokens: int
) -> tuple[tuple[Sentence, ...], int]:
    """``sentences`` of ``text`` with every one over either cap cut into pieces within
    both (see the module docstring), renumbered; and how many were cut."""
    if max_chars < 1 or max_tokens < 1:
        raise ValueError("sentence caps must be positive")
    out: list[Sentence] = []
    cut = 0
    for s in sentences:
        if not over_caps(s.text, max_chars=max_chars, max_tokens=max_tokens):
            out.append(replace(s, index=len(out)) if s.index != len(out) else s)
            continue
        cut += 1
        start = s.start
        while start < s.end:
            stop = _piece_end(text, start, s.end, max_chars, max_tokens)
            piece_end = stop
            while piece_end > start and text[piece_end - 1].isspace():
                piece_end -= 1
            if piece_end > start:
                out.append(
                    Sentence(
                        source_id=s.source_id,
                        index=len(out),
                        text=text[start:piece_end],
                        start=start,
                        end=piece_end,
                        paragraph=s.paragraph,
                    )
                )
            start = stop
            while start < s.end and text[start].isspace():
                start += 1
    return tuple(out), cut
