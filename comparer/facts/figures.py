"""Counts in a sentence, as intervals: "at least 17 fighters were killed" -> [17, None].

Method, over the spaCy tokens of one sentence:

1. **Number runs** (``numbers.py``): digits, number words and vague quantities
   (one table, ``numbers.VAGUE``); a qualifier before ("at least", "up to",
   "some") or a second number after ("100-300", "two or three") gives an interval.
2. **Not counts**, judged by the words around the number: years, dates, clock
   times, designations ("Resolution 2254", "Boeing 737"; "F-15" is no number
   token), money, percentages, durations, measures ("5 miles", "500-pound"). A
   measure between a count and its noun is its calibre: "three 107 mm rockets" is
   3 rockets, calibre "107 mm". NER is only a second opinion: a number inside a
   DATE/TIME entity is dropped when nothing is counted either.
3. **What is counted**: the head of the noun phrase after the number (a modifier's
   parse head lies to its right inside the phrase), or after "of the" (then
   ``subset``, as after "including"); singular lower-case lemma, "people"/"dead"
   -> "person", "member" keeps its compound ("service member").
4. **Role**: a casualty word next to the phrase ("killing one", "22 dead", "were
   wounded"), else the parse (object or passive subject of kill/wound/capture,
   subject of die; through conj, appos, "including"), else the death toll the
   number belongs to. "a"/"an" is 1 only as object or passive subject of a
   casualty verb ("wounded an American service member"); "no one was hurt" is 0.
   A number with neither counted noun nor role is dropped: a bare "17" compares
   with nothing (so the elliptic "and 2,500 in Iraq" is lost), unless a dash or
   bracket sets it off right after a count with a role, which it restates ("gassing
   hundreds of people - by one report as many as 1,300 -").

Evidence span (``Fact.text``): from the first of {adjacent casualty word before,
qualifier, number} to the last of {number, counted noun, adjacent casualty word
after, auxiliaries between}: "killing one U.S.-led coalition contractor",
"Seventeen fighters were killed"; a death toll's span starts at "death toll".
``find_figures`` never raises: a sentence it cannot handle gives [].
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from comparer.facts import numbers as N
from comparer.facts.context import ArticleContext
from comparer.facts.frames import lexicon as event_lexicon
from comparer.facts.gazetteer import scan_places
from comparer.facts.nlp import doc_text, parsed_at
from comparer.facts.numbers import NumberRun, read_number_at
from comparer.records import Fact, Sentence
from comparer.settings import Settings

_ROLE = {form: role for role, forms in N.ROLE_FORMS.items() for form in forms.split()}
_INTRANSITIVE = frozenset(
    "dead die dies died dying perish perished missing disappeared vanished suffocated".split()
)
_AUX = frozenset(
    """was were is are be been being has have had reportedly also later all
confirmed reported believed feared found left""".split()
)
# Counted words that carry their own role; "lives" as in "claimed 22 lives".
_NOUN_ROLE = {
    "death": "killed",
    "deaths": "killed",
    "fatality": "killed",
    "fatalities": "killed",
    "dead": "killed",
    "lives": "killed",
    "injury": "wounded",
    "injuries": "wounded",
    "wounded": "wounded",
    "injured": "wounded",
    "missing": "missing",
    "execution": "killed",  # "the execution of 17 young men"
    "executions": "killed",
    "massacre": "killed",
}
# "leaving 23 civilians - including nine children - dead": the state an attack left people
# in, wherever the parse hung it (on "leaving", or on the verb "leaving" depends on)
_LEFT_IN = {"dead": "killed", "injured": "wounded", "wounded": "wounded", "missing": "missing"}
_IRREGULAR = {
    **{plural: one for one, plural in N.IRREGULAR_PLURALS.items() if plural != one},
    "persons": "person",
    "bases": "base",
    "them": "person",
    "those": "person",
    "whom": "person",
    "us": "person",
    "police": "police officer",
    "others": "other",
}
# Nouns that "a"/"an" or a number do not count: collectives, parts, idioms.
_NOT_COUNTED = (
    frozenset(
        """total number handful couple few dozen score lot series barrage wave
spate string majority minority half third quarter fraction portion rest bunch point hand side
way thing another other result statement""".split()
    )
    | N.TIME_UNITS
    | N.PERCENT
)
# Who reports, never who is counted: in a headline that lost its colon ("Aleppo bomb blast
# kills six Syrian state TV", "... kills 32 Medical source", a title cut at "six Syrian
# state") the count stands alone.
_REPORTERS = frozenset(
    """tv television media medium source agency monitor observatory newspaper radio channel
    news reporter correspondent state""".split()
)
_PARTITIVE_DETS = frozenset("the those these their its his her our all".split())
_SAY = frozenset("say tell confirm report announce add state claim note speak".split())
_UNIT_WORDS = N.MEASURES | N.TIME_UNITS | N.PERCENT | N.MONEY_AFTER


def find_figures(
    sentence: Sentence, doc: Any, *, ctx: ArticleContext, settings: Settings
) -> list[Fact]:
    """Every count in ``sentence`` as a ``figure`` Fact (offsets into ``sentence.text``)."""
    if doc is None:
        return []
    return _find(sentence, doc, ctx, settings)  # failures: the reader's one guard


def _find(sentence: Sentence, doc: Any, ctx: ArticleContext, settings: Settings) -> list[Fact]:
    text = sentence.text
    parsed = doc_text(doc)
    base = parsed_at(text, parsed)  # a doc of the stripped text still maps
    band = float(getattr(getattr(settings, "facts", None), "about_band", 0.1))
    toks, words = list(doc), [t.lower_ for t in doc]
    if base < 0 or not toks:
        return []
    found: list[dict[str, Any]] = []
    k = 0
    while k < len(toks):
        run = (
            read_number_at(words, k, band=band if 0 <= band < 1 else 0.1)
            if _may_start(words, k)
            else None
        )
        if run is None or run.end < k:
            k += 1
            continue
        calibre, noun_from = _calibre(toks, run)
        if not _not_a_count(toks, run):
            fig = _figure(toks, words, run, calibre, noun_from) or _aside(toks, run, found)
            found += [fig] if fig else []
        k = max(run.end, noun_from - 1) + 1
    found += _articles(toks, words, {f["head"] for f in found})
    facts = []
    for fig in sorted(found, key=lambda f: f["first"]):
        start = base + toks[fig["first"]].idx
        end = base + toks[fig["last"]].idx + len(toks[fig["last"]].text)
        value = dict(fig["value"], event_hint=_event_hint(doc, toks[fig["anchor"]], fig, settings))
        facts.append(
            Fact(
                source_id=ctx.source_id,
                sentence=sentence.index,
                kind="figure",
                text=text[start:end],
                start=start,
                end=end,
                value=value,
            )
        )
    return facts


_ASIDE_OPEN = frozenset({"-", "\u2013", "\u2014", "(", "--"})
_ASIDE_CLOSE = frozenset({"-", "\u2013", "\u2014", ")", "--", ",", ";", "."})
_ASIDE_GAP = 6  # words between a count and a bare number restating it


def _aside(toks: list[Any], run: NumberRun, found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A bare number set off by a dash or bracket just after a count with a role restates
    that count: "gassing hundreds of people - by one report as many as 1,300 - in ..." and
    "killed 40 people (up to 52, the monitor said)". It takes the count's noun and role.
    Only a dash or bracket opens such an aside: after a comma, "killed 20 people, 12 in
    Homs" gives a part of the toll, not another telling of it."""
    if run.end + 1 < len(toks) and toks[run.end + 1].text not in _ASIDE_CLOSE:
        return None  # a number with a word after it that was not read as its noun
    prior = next((f for f in reversed(found) if f["value"]["role"] and f["last"] < run.first), None)
    if prior is None or toks[run.start].ent_type_ in ("DATE", "TIME"):
        return None
    gap = toks[prior["last"] + 1 : run.first]
    if not gap or gap[0].text not in _ASIDE_OPEN or len(gap) > _ASIDE_GAP:
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.lower_ != "according" for t in gap):
        return None  # "- and 12 were wounded": a clause of its own
    value = dict(prior["value"], low=run.low, high=run.high, qualifier=run.qualifier)
    value.update(
        number_text=doc_text(toks[0].doc)[
            toks[run.start].idx : toks[run.end].idx + len(toks[run.end].text)
        ],
        calibre=None,
    )
    return {"first": run.first, "last": run.end, "head": None, "anchor": run.start, "value": value}


def _may_start(words: list[str], k: int) -> bool:
    w, prev = words[k], words[k - 1] if k > 0 else ""
    if w == "one" and (
        prev in ("no", "any", "every", "each", "which", "this", "that")
        or words[k + 1 : k + 2] in (["another"], ["other"])
    ):
        return False  # "no one" is read as zero by _articles; "one another" is no count
    return (
        bool(N.word_kind(w))
        or w in N.VAGUE
        or w in ("a", "an", "half")
        or N.split_range_token(w) is not None
    )


def _unit_after(toks: list[Any], i: int) -> int | None:
    """Index of a unit right after token i ("107 mm", "500-pound", "5 miles", "20 %")."""
    j = (
        i + 2
        if i + 2 < len(toks) and toks[i + 1].text in ("-", "\u2013") and not toks[i + 1].whitespace_
        else i + 1
    )
    if j < len(toks):
        t = toks[j]
        if t.lower_ in _UNIT_WORDS or t.lemma_.lower() in _UNIT_WORDS:
            return j
    return None


def _calibre(toks: list[Any], run: NumberRun) -> tuple[str | None, int]:
    """A measure between the count and a noun: ("107 mm", index after the unit)."""
    j = run.end + 1
    if j >= len(toks) or not N.is_digits(toks[j].text) or run.qualifier == "vague":
        return None, j
    unit = _unit_after(toks, j)
    if (
        unit is None
        or unit + 1 >= len(toks)
        or toks[unit].lower_ not in N.MEASURES
        or toks[unit + 1].pos_ not in ("NOUN", "ADJ", "PROPN", "VERB")
    ):
        return None, j
    return f"{toks[j].text} {toks[unit].text}", unit + 1


_PARENTS = frozenset("father mother parent grandfather grandmother grandparent dad mom mum".split())


def _not_a_count(toks: list[Any], run: NumberRun) -> bool:
    """Years, dates, clock times, designations, money, percentages, measures."""
    first, last = toks[run.start], toks[run.end]
    prev = toks[run.start - 1] if run.start > 0 else None
    nxt = toks[run.end + 1] if run.end + 1 < len(toks) else None
    pprev = toks[run.start - 2].text if run.start > 1 else ""
    if first.ent_type_ in ("MONEY", "PERCENT") or _unit_after(toks, run.end) is not None:
        return True
    if nxt is not None and (nxt.lower_ in N.CLOCK or nxt.text in N.MONTHS):
        return True
    if prev is None:
        return False
    if prev.lower_ == "of" and pprev.lower() in _PARENTS:
        # "Scott, 43, a father of seven", "a mother of three children": the children, not a
        # toll (the parent is counted by "a father")
        return True
    if (
        prev.lower_ in N.MONEY_BEFORE
        or prev.text.endswith(("$", "£", "€"))
        or prev.text in N.MONTHS
        or (prev.text == "." and pprev in N.MONTHS)
    ):
        return True
    if (
        run.start == run.end
        and len(first.text) == 4
        and first.text.isdigit()
        and 1800 <= int(first.text) <= 2100
    ):  # a year, unless "killed 2000 people"
        return not (
            nxt is not None
            and nxt.tag_ == "NNS"
            and nxt.lower_ not in N.TIME_UNITS
            and prev.lower_ not in N.YEAR_BEFORE
            and first.ent_type_ != "DATE"
        )
    if run.first != run.start or run.qualifier == "vague":
        return False
    if prev.lower_ in N.DESIGNATIONS:
        return True
    if (
        prev.text[:1].isupper()
        and prev.text.isalpha()
        and prev.pos_ in ("PROPN", "NOUN")
        and prev.text not in N.MONTHS
        and prev.lower_ not in N.WEEKDAYS
    ):
        # "Resolution 2254", "Boeing 737 crashed", "two Boeing 737 jets"; not "told Reuters 17"
        return (
            prev.i in (first.head.i, last.head.i)
            or nxt is None
            or bool(N.word_kind(pprev))
            or nxt.pos_ not in ("NOUN", "ADJ", "PROPN", "NUM")
        )
    return False


def _is_np_token(toks: list[Any], i: int) -> bool:
    t = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if t.lower_ in _ROLE and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")):
        return False  # "22 dead", "fighters killed": the role, not a modifier
    if t.pos_ == "PROPN" and (
        t.ent_type_ in ("DATE", "TIME") or t.text in N.MONTHS or t.lower_ in N.WEEKDAYS
    ):
        return False
    if t.pos_ in ("ADJ", "NOUN", "PROPN") or (
        N.is_digits(t.text) and i > 0 and toks[i - 1].pos_ == "PROPN"
    ):
        return True  # (a model number inside the phrase: "two Boeing 737 jets")
    if t.text in ("-", "\u2013"):
        return not t.whitespace_ and i > 0 and not toks[i - 1].whitespace_
    if t.pos_ == "VERB":
        return t.dep_ == "amod" or (i > 0 and toks[i - 1].text == "-")  # "Iranian-backed"
    return (
        t.pos_ == "ADV" and nxt is not None and nxt.pos_ in ("ADJ", "VERB") and nxt.dep_ == "amod"
    )


def _head_of_phrase(toks: list[Any], start: int) -> int | None:
    """The head noun of the noun phrase starting at ``start``, or None."""
    end = start
    while end < len(toks) and end - start < 8 and _is_np_token(toks, end):
        if end > start and _tag_speaker(toks, end):
            break  # "killed 13 people MSF said": the comma before the speaker was lost
        end += 1
    for i in range(start, end):
        t = toks[i]
        noun = t.pos_ == "NOUN" or (
            t.pos_ == "PROPN" and (t.tag_ == "NNPS" or t.ent_type_ == "NORP")
        )
        if noun and not i < t.head.i < end:
            return _joined_plural(toks, i)
    return None


def _tag_speaker(toks: list[Any], i: int) -> bool:
    """A capitalised word right before a verb of saying: the speaker of a closing tag."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return toks[i].text[:1].isupper() and nxt is not None and nxt.lemma_ in _SAY


def _joined_plural(toks: list[Any], i: int) -> int:
    """ "70 regime and rebel fighters", "12 army and police officers": the singular word is
    a modifier shared with the plural noun after "and", which is what is counted."""
    t = toks[i]
    if t.tag_ != "NN" or i + 1 >= len(toks) or toks[i + 1].lower_ not in ("and", "or"):
        return i
    # the parser makes the plural a conjunct of the singular, or the singular its modifier
    joined = [c for c in t.children if c.dep_ == "conj"]
    if t.dep_ in ("nmod", "compound"):
        joined.append(t.head)
    plural = next((c for c in joined if c.tag_ == "NNS" and 0 < c.i - i <= 4), None)
    if plural is None or any(toks[k].like_num for k in range(i + 1, plural.i)):
        return i  # "one man and two women": a count of its own
    return plural.i


def _counted_name(toks: list[Any], i: int, role: str | None) -> str:
    t = toks[i]
    low, lemma = t.lower_, t.lemma_.lower()
    if low in _NOUN_ROLE or (low == "others" and role):  # "wounded nine others": people
        return "person"
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if t.tag_ in ("NNS", "NNPS"):
        # the lemmatizer leaves proper plurals ("Americans", "JDAMs") as they are
        name = (
            lemma
            if lemma and lemma != low and t.pos_ != "PROPN"
            else low[:-1]
            if low.endswith("s") and not low.endswith("ss") and len(low) > 3
            else low
        )
    else:
        name = lemma if t.pos_ == "NOUN" and lemma else low
    if name == "member" and i > 0 and toks[i - 1].pos_ == "NOUN" and toks[i - 1].dep_ == "compound":
        name = f"{toks[i - 1].lower_} member"  # "service member", "militia member"
    return name


def _role(
    toks: list[Any], head: int | None, tail: int, first: int
) -> tuple[str | None, int | None, int | None]:
    """(role, casualty word before, casualty word after) for a phrase from ``first`` to ``tail``."""
    j = tail + 1
    while j < len(toks) and toks[j].lower_ in _AUX and j - tail <= 3:
        j += 1
    if j < len(toks) and toks[j].lower_ in _ROLE:  # "fighters were killed", "22 dead"
        t = toks[j]
        if t.lower_ in _INTRANSITIVE or not any(_victims(c) for c in t.children):
            return _ROLE[t.lower_], None, j  # ("rockets killed one": the rockets are the agent)
    b = toks[first - 1] if first > 0 else None
    if (
        b is not None
        and b.lower_ in _ROLE
        and b.lower_ not in _INTRANSITIVE
        and b.pos_ in ("VERB", "AUX")
    ):
        return _ROLE[b.lower_], first - 1, None  # "killing one", "wounded an American"
    if head is not None and toks[head].lower_ in _NOUN_ROLE:
        return _NOUN_ROLE[toks[head].lower_], None, None
    starts = [toks[head]] if head is not None else []
    for tok in starts + [toks[tail]]:
        role = _parse_role(tok)
        if role:
            return role, None, None
    return None, None, None


def _victims(c: Any) -> bool:
    """Is ``c`` the object of a casualty verb, its victims? Not in a headline that drops
    its comma: in "Nine persons killed 12 injured" the "12 injured" is a count of its own
    (its own casualty participle hangs on it), so the nine are the dead, not the agent."""
    return c.dep_ in ("dobj", "obj") and not any(
        g.dep_ in ("acl", "amod") and g.lower_ in _ROLE for g in c.children
    )


def _left_in(t: Any, verb: Any) -> str | None:
    """ "leaving 23 civilians - including nine children - dead": the state word after the
    object, before the clause ends, hung (by a parse that varies with the dashes) on the
    verb's phrase or beside the verb."""
    doc = t.doc
    for j in range(t.i + 1, min(len(doc), t.i + 14)):
        w = doc[j]
        # another verb ends the clause; "including" (a preposition here) does not
        if w.text in (",", ";", ".") or (
            w.pos_ in ("VERB", "AUX") and w.i != verb.i and w.dep_ != "prep"
        ):
            return None
        if w.lower_ in _LEFT_IN and (
            verb.i in {a.i for a in w.ancestors} or w.head.i == verb.head.i
        ):
            return _LEFT_IN[w.lower_]
    return None


def _parse_role(tok: Any) -> str | None:
    """The role the dependency parse gives ``tok``: object/passive subject of a casualty verb."""
    t = tok
    for _ in range(6):
        for c in t.children:  # "17 fighters killed in the strike", "two wounded soldiers"
            if c.dep_ in ("acl", "amod") and c.lower_ in _ROLE and c.tag_ in ("VBN", "JJ"):
                return _ROLE[c.lower_]
        h, dep, hw = t.head, t.dep_, t.head.lower_
        if h.i == t.i:
            return None
        if dep in ("dobj", "obj") and h.lemma_.lower() == "leave":
            left = _left_in(t, h)
            if left:
                return left
        if hw in _ROLE and (
            dep in ("dobj", "obj", "nsubjpass", "oprd") or (dep == "nsubj" and hw in _INTRANSITIVE)
        ):
            return _ROLE[hw]
        if dep == "nsubj" and h.lemma_ in ("be", "remain"):  # "three were missing"
            for c in h.children:
                if c.dep_ in ("acomp", "attr") and c.lower_ in _INTRANSITIVE:
                    return _ROLE[c.lower_]
        owner = h.head.lower_
        if dep == "pobj" and hw == "of" and (owner in _NOUN_ROLE or owner in _ROLE):
            return _NOUN_ROLE.get(owner) or _ROLE[owner]  # "the deaths of three soldiers"
        if dep in ("conj", "appos") or (
            t.pos_ == "NUM" and dep in ("nummod", "quantmod", "compound")
        ):
            t = h
        elif dep == "pobj" and hw in ("including", "among", "of"):
            t = h.head
            if t.pos_ == "VERB" and t.lower_ in _ROLE:  # "killed 22, including 17 fighters"
                return _ROLE[t.lower_]
        else:
            return None
    return None


# "the number of X is N": what N counts, by X
_TOLL_NOUNS = {
    "victims": "killed",
    "dead": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "injured": "wounded",
    "wounded": "wounded",
}


def _toll(toks: list[Any], run: NumberRun) -> tuple[str, str | None, int] | None:
    """("person", "killed", first index) when the number is what a death toll stands at."""
    ancestors = {a.i for a in toks[run.start].ancestors}
    # a dozen tokens back: "the number of victims [in the explosion] is at least 70"
    for i in range(run.start - 1, max(-1, run.start - 13), -1):
        # "the number of victims [in the blast] is at least 70": a toll by another name
        if (
            toks[i].lower_ in _TOLL_NOUNS
            and i >= 2
            and toks[i - 1].lower_ == "of"
            and toks[i - 2].lower_ == "number"
            and (toks[i - 2].i in ancestors or toks[i - 2].head.i in ancestors)
        ):
            return "person", _TOLL_NOUNS[toks[i].lower_], i - 2
        if toks[i].lower_ == "toll":
            if i not in ancestors and toks[i].head.i not in ancestors:
                return None
            kind = toks[i - 1].lower_ if i > 0 else ""
            first = i - 1 if kind in ("death", "casualty", "injury") else i
            if kind == "casualty":
                return "casualty", None, first
            return "person", ("wounded" if kind == "injury" else "killed"), first
    return None


def _figure(
    toks: list[Any], words: list[str], run: NumberRun, calibre: str | None, noun_from: int
) -> dict[str, Any] | None:
    n, i = len(toks), noun_from
    head, subset = None, False
    if i < n and words[i] == "of":  # "three of the rockets", "dozens of fighters", "one of them"
        j = i + 1
        if j < n and words[j] in ("them", "us", "whom", "those"):
            head, subset = j, True
        elif j < n and words[j] in _PARTITIVE_DETS:
            subset, j = True, j + 1 + (j + 1 < n and toks[j + 1].pos_ == "NUM")
            if j < n and toks[j].tag_ == "JJS":
                return None  # "one of the deadliest attacks" is no count
            if j < n:
                head = j if words[j] in _NOUN_ROLE else _head_of_phrase(toks, j)
        elif run.qualifier == "vague" and j < n:
            head = _head_of_phrase(toks, j)
    elif i < n:
        head = _head_of_phrase(toks, i)
    if head is not None:
        if words[head] in _NOT_COUNTED or toks[head].lemma_.lower() in N.TIME_UNITS:
            return None  # "three days", "one point", "three times"
        # "22 killed, including 17 fighters": the 17 are a part. Not "among": in "six
        # civilians were among at least 22 people killed" the 22 are the whole toll.
        subset = subset or (toks[head].dep_ == "pobj" and toks[head].head.lower_ == "including")
    elif toks[run.start].dep_ == "pobj" and toks[run.start].head.lower_ == "including":
        subset = True  # "18 militants including one of Chinese nationality": a part
    role, before, after = _role(toks, head, head if head is not None else run.end, run.first)
    if (
        role is None
        and head is not None
        and toks[head].dep_ == "nsubj"
        and toks[head].head.lemma_ in _SAY
    ):
        return None  # "two officials said": who reports, not what happened
    toll_first = None
    if head is None:
        toll = _toll(toks, run) if role is None else None
        if toll is not None:
            counted, role, toll_first = toll
        elif role is None or toks[run.start].ent_type_ in ("DATE", "TIME"):
            return None  # a bare number compares with nothing
        else:
            counted = "person"
    else:
        counted = _counted_name(toks, head, role)
        if role is not None and counted in _REPORTERS:
            counted = "person"
        if not any(c.isalpha() for c in counted):
            return None  # "updated 1601 07.04.2017": a clock and a dotted date, no count
    first = min(x for x in (run.first, before, toll_first) if x is not None)
    ends = (run.end, head, after, noun_from - 1 if calibre else None)
    last = max(x for x in ends if x is not None)
    number_text = doc_text(toks[0].doc)[
        toks[run.start].idx : toks[run.end].idx + len(toks[run.end].text)
    ]
    # "the 10 civilians killed on the bus": a count the article has introduced before
    # (``restated_counts`` checks that it has)
    definite = run.first > 0 and toks[run.first - 1].lower_ in ("the", "these", "those")
    return {
        "first": first,
        "last": last,
        "head": head,
        "anchor": run.start if head is None else head,
        "value": {
            "low": run.low,
            "high": run.high,
            "counted": counted,
            "role": role,
            "qualifier": run.qualifier,
            "number_text": number_text,
            "calibre": calibre,
            "subset": subset,
            "definite": definite,
        },
    }


def _articles(toks: list[Any], words: list[str], counted: set[int | None]) -> list[dict[str, Any]]:
    """'a'/'an' as 1 and 'no'/'no one'/'nobody' as 0, only where a casualty word applies."""
    out = []
    for t in toks:
        w = t.lower_
        if w == "nobody" or (w == "no" and words[t.i + 1 : t.i + 2] == ["one"]):
            head = t if w == "nobody" else toks[t.i + 1]
        elif w in ("a", "an", "no") and t.dep_ == "det" and t.i < t.head.i <= t.i + 6:
            head = t.head
            if (
                head.pos_ != "NOUN"
                or (w != "no" and head.tag_ != "NN")
                or not all(_is_np_token(toks, x) for x in range(t.i + 1, head.i))
            ):
                continue
        else:
            continue
        if head.i in counted or head.lower_ in _NOT_COUNTED or head.lemma_.lower() in _REPORTERS:
            continue  # "an informed source told Sputnik": who reports is not one of the dead
        if head.lemma_.lower() in event_lexicon()[0]:
            continue  # "A bomb blast killed six": the event, not one of its dead
        role, before, after = _role(toks, head.i, head.i, t.i)
        if role is None and not (w == "no" and head.lower_ in ("casualty", "casualties")):
            continue  # "a rocket attack" counts nothing; "no casualties" is still a count
        zero = w in ("no", "nobody")
        name = "person" if head.lower_ in ("one", "nobody") else _counted_name(toks, head.i, role)
        out.append(
            {
                "first": t.i if before is None else before,
                "last": max(head.i, after or 0),
                "head": head.i,
                "anchor": head.i,
                "value": {
                    "low": 0 if zero else 1,
                    "high": 0 if zero else 1,
                    "counted": name,
                    "role": role,
                    "qualifier": "exact",
                    "number_text": "no one" if head.lower_ == "one" else t.text,
                    "calibre": None,
                    "subset": head.dep_ == "pobj" and head.head.lower_ == "including",
                },
            }
        )
    return out


def _event_hint(doc: Any, anchor: Any, fig: dict[str, Any], settings: Settings) -> str | None:
    """Dates (NER) and gazetteer places (NER calls the Syrian Observatory a GPE) in the figure's
    clause, "; "-joined: "February 15; Erbil". Places only where they say where ("in Irbil")."""
    verb = anchor
    for _ in range(12):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    for _ in range(6):  # "..., killing one contractor" and "... and wounded nine" share the event
        if verb.dep_ == "conj" or (
            verb.dep_ in ("advcl", "xcomp", "pcomp", "acl") and verb.tag_ in ("VBG", "VBN")
        ):
            verb = verb.head
    inside = {t.i for t in verb.subtree} - set(range(fig["first"], fig["last"] + 1))
    found = [
        (e.start_char, e.end_char, e.text)
        for e in doc.ents
        if e.label_ == "DATE" and all(i in inside for i in range(e.start, e.end))
    ]
    for start, end, place in scan_places(doc_text(doc), settings=settings):
        span = doc.char_span(start, end, alignment_mode="expand")
        root = span.root if span is not None and len(span) else None
        if (
            root is not None
            and all(t.i in inside for t in span)
            and (
                root.dep_ in ("pobj", "npadvmod")
                or (root.dep_ in ("conj", "appos") and root.head.dep_ == "pobj")
            )
        ):
            found.append((start, end, place.canonical))
    parts: list[str] = []
    for _, _, label in sorted(found):
        if label not in parts:
            parts.append(label)
    return "; ".join(parts) or None


_GENERIC_COUNTED = frozenset({None, "person", "people"})


def restated_counts(facts: Sequence[Fact]) -> list[Fact]:
    """An article's facts, with each definite count that repeats a count of the same role
    stated before it in the article marked ``restates`` (the sentence it repeats):
    "killed 31 civilians, including 10 when their bus was hit ... the 10 civilians killed
    on the bus" gives the ten once. A restatement is no new answer to "how many?": the
    cards and pairs compare it as they do a part (``disagreements.slots.is_part``)."""
    out: list[Fact] = []
    seen: list[Fact] = []
    for f in facts:
        if f.kind != "figure":
            out.append(f)
            continue
        v = f.value
        earlier = next(
            (
                e
                for e in seen
                if e.value.get("role") == v.get("role")
                and e.value.get("low") == v.get("low")
                and e.value.get("high") == v.get("high")
                # "the 3 children killed" repeats "3 people", not "3 soldiers"
                and (
                    e.value.get("counted") == v.get("counted")
                    or _GENERIC_COUNTED & {e.value.get("counted"), v.get("counted")}
                )
            ),
            None,
        )
        if v.get("definite") and v.get("role") and earlier is not None:
            f = dataclasses.replace(f, value={**v, "restates": earlier.sentence})
        seen.append(f)
        out.append(f)
    return out
