"""The relations an attribution states: source, blame and responsibility.

Each reader starts from one cue token of the spaCy parse and names what it
points at with ``speakers.describe``.

Source (``sources_in``): a speech verb and its ``nsubj`` ("Kirby said", "said
John Kirby"; a passive takes its "by" agent), or "according to X", "as per X",
"citing X". A recipient ("told Fox News", "confirmed to reporters", "in an
interview with CNN") is the ``via`` when it is an outlet; "citing" is relayed
via the outlet that cites. Verbs that need content ("added", "denied") count
only with a reported clause or as a closing tag, "described"/"called" only with
"as"/a complement, "told" never when it orders ("told residents to leave").
``stance``: "asserted", "denied" (deny, reject), "declined" ("has not said").
A noun of speech with its author and content is a cue too ("the governor's claim
that ..."). Verbs outside the lexicon go to the learned scorer (``cue_model.py``):
one it takes for a cue, with a subject that can hold a view and not a verb of war,
is a source with ``cue_kind`` "stance" ("the union rejected the offer"); the scorer
also turns down lexicon readings it finds unlikely in their sentence.

Blame (``blame_in``): a speaker points at an ``actor`` ("blamed the attack on
X", "accused X", "attributed ... to X", "held X responsible"). Responsibility:
an actor did it or owns it ("carried out by X", "X carried out the strike", "X
was behind the attack", "was responsible", "claimed responsibility", "denied
involvement"). ``stance`` is the cue's polarity: "denied" when negated ("did
not blame"), withheld ("stopped short of blaming"), a denial, or claimed by no
one (actor None). ``cue`` is a readable label; compare relation,
actor_canonical and stance. A responsibility statement is spoken by the source
whose verb governs it ("..., officials said"), else the sentence's first
source; self-claims and denials by the actor. Active "carried out" needs a
definite event object: "militias that had carried out similar attacks in the
past" names no one for this attack, nor does "who was behind it".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from comparer.facts.contextual import LogitStore
from comparer.facts.cue_model import model as cue_model
from comparer.facts.cue_model import subject_of
from comparer.facts.cues import lexicon
from comparer.facts.frames import lexicon as event_lexicon
from comparer.facts.names import canonical_name
from comparer.facts.nlp import OPENING_QUOTE_TOKENS, doc_text
from comparer.facts.quotes import find_quotes, in_quote, quoted_ranges
from comparer.facts.speakers import (
    DOCUMENT_NOUNS,
    KIN_NOUNS,
    describe,
    describe_speaking,
    group_members,
    inherited_subject,
    is_outlet_name,
    np_tokens,
    span_of,
    strip_articles,
    text_of,
    title_case,
    word_set,
)
from comparer.settings import Settings

# Speech verbs, by lemma, from the cue lexicon (``data/cues.txt``). Those in NEEDS_CONTENT
# are cues only with reported content ("added that ...", not "added pressure"),
# CHARACTERISING ones only with "as"/a complement, ONLY_NEGATED ones only declined or negated
# ("did not comment"). Blame verbs are read by ``blame_in`` (their speaker is the blamer), not
# as sources as well.
_LEXICON = {w: c for w, c in lexicon().items() if " " not in w and c.kind != "according-to"}
BLAME_VERBS = word_set("""blame accuse attribute""")
SPEECH = frozenset(_LEXICON) - BLAME_VERBS
CHARACTERISING = frozenset(w for w, c in _LEXICON.items() if c.needs_as)
NEEDS_CONTENT = frozenset(w for w, c in _LEXICON.items() if c.needs_clause)
ONLY_NEGATED = frozenset(w for w, c in _LEXICON.items() if c.only_negated)
DENYING = frozenset(w for w, c in _LEXICON.items() if c.denies)
DECLINING = {"decline", "refuse"}
# Who a statement is made to without being an outlet ("told reporters").
RECIPIENTS = word_set("""reporter journalist press newsman medium media""")


def _child(tok: Any, *deps: str, text: str | None = None) -> Any:
    for c in tok.children:
        if c.dep_ in deps and (text is None or c.lower_ == text):
            return c
    return None


def _pobj(prep: Any) -> Any:
    return _child(prep, "pobj") if prep is not None else None


def _neg_cue(verb: Any) -> str:
    auxes = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    return " ".join([*auxes, "not", verb.lower_])


def _counted_dead(subj: Any) -> bool:
    """A subject that is the count a casualty word just before it took ("killed at least
    60 civilians"): the dead do not speak."""
    first = subj.left_edge.i
    # the count on the subject, or on a common noun the parser hung before it ("killed 13
    # people MSF said": "people" a compound of "MSF"); not on a title ("injured seven Homs
    # Governor Talal Barazi said": the governor speaks)
    counted = [subj, *(c for c in subj.children if c.dep_ == "compound" and c.pos_ == "NOUN")]
    return (
        any(c.dep_ == "nummod" for t in counted for c in t.children)
        and first > 0
        and subj.doc[first - 1].lemma_.lower() in event_lexicon()[2]
    )


# What may stand between a closing quotation mark and its speaker's verb: a name with its
# title ("head of the Syrian Observatory for Human Rights Rami Abdel Rahman said").
_TAG_POS = frozenset(("PROPN", "NOUN", "ADP", "DET", "ADJ", "PUNCT", "CCONJ", "PART"))


def _name_after_quote(verb: Any, quotes: Sequence[tuple[int, int]]) -> Any:
    """The speaker of a closing tag, read between the quotation's closing mark and the verb
    ('"..." Obama's former campaign strategist said', '"..." Flynn, a top surrogate, said',
    '"..." head of the Observatory Rami Abdel Rahman said' with its comma lost): the parser
    may give the verb no subject, or a word of the quotation or of a title after it."""
    ends = [e for _s, e in quotes if e <= verb.idx]
    if not ends:
        return None
    between = [t for t in verb.doc[: verb.i] if t.idx >= max(ends)]
    if not between or len(between) > 12 or any(t.pos_ not in _TAG_POS for t in between):
        return None
    opened = [t.i for t in between if t.text == "("]
    if opened:  # "Rep. Elijah E. Cummings (D-Md.) said": the party label is no name
        between = [t for t in between if t.i < opened[0]]
    if not between:
        return None
    if between[-1].pos_ == "PROPN":
        # the name next to the verb, after its title; the whole name when that is the
        # end of an of/for phrase ('"..." the Syrian Observatory for Human Rights said')
        last = between[-1]
        link = last.head if last.dep_ == "pobj" else None
        if (
            link is not None
            and link.lower_ in ("for", "of")
            and link.head.pos_ == "PROPN"
            and link.head.i >= between[0].i
        ):
            return link.head
        return last
    # else the first phrase, up to an apposition's comma: its last noun is its head
    first: list[Any] = []
    for tok in between:
        if tok.text == ",":
            if first:
                break
            continue
        first.append(tok)
    heads = [t for t in first if t.pos_ in ("PROPN", "NOUN")]
    return heads[-1] if heads else None


def _is_tag(verb: Any, subj: Any, deps: set[str]) -> bool:
    """A closing attribution tag: '..., a senior commander insisted (in a statement).'"""
    before = min(t.i for t in np_tokens(subj)) - 1
    inside = {t.i for t in verb.subtree}
    return (
        not deps & {"dobj", "xcomp", "attr", "acomp", "ccomp"}
        and before >= 0
        and verb.doc[before].text in (",", '"', "\u201d")
        and subj.i < verb.i
        and all(t.is_punct or t.i in inside for t in verb.doc[verb.i + 1 :])
    )


def _run_on_tag(verb: Any, deps: set[str]) -> Any:
    """The speaker of a closing tag whose comma was lost, which the parser hung on the
    clause before ("... killing 11 people the Syrian Observatory reported"): a named body or
    a phrase opened by an article, right before a sentence-final speech verb and right
    after the end of the clause it reports (a noun or a number, not a verb: "told reporters
    the ministry said" keeps its parse)."""
    doc = verb.doc
    if verb.i < 2 or deps & {"nsubj", "dobj", "xcomp", "attr", "acomp", "ccomp"}:
        return None
    inside = {t.i for t in verb.subtree}
    if not all(t.is_punct or t.i in inside for t in doc[verb.i + 1 :]):
        return None
    near = doc[verb.i - 1]
    phrase = next((e for e in doc.ents if e.start <= near.i < e.end), None)
    if phrase is None or phrase.end != verb.i or phrase.label_ not in _SPEAKING_LABELS:
        phrase = next((c for c in doc.noun_chunks if c.end == verb.i), None)
        if phrase is None or phrase[0].lower_ not in ("the", "a", "an"):
            return None
    start = phrase.start
    if start > 0 and doc[start].lower_ in ("the", "a", "an") and phrase.root.i == start:
        return None
    edge = doc[start - 1] if start > 0 else None
    if edge is None or edge.pos_ not in ("NOUN", "PROPN", "NUM", "ADV"):
        return None
    return phrase.root if phrase.root.pos_ in ("NOUN", "PROPN") else None


# Entity labels of a speaker; FAC too, since the small model often labels "the Syrian
# Observatory for Human Rights" a facility.
_SPEAKING_LABELS = frozenset({"ORG", "PERSON", "NORP", "GPE", "FAC"})


# Verbs after which a "to" clause happened: "went on to explain", "continued to insist".
_CONTINUING = word_set("""continue proceed""")


def _appositive_tag(verb: Any) -> Any:
    """ "... killed 14 people, the Syrian Observatory for Human Rights said.": the parser
    hung the speaker on the dead as an apposition and left the verb without a subject. The
    speaker is the one noun phrase between the last comma and the verb, when only the
    verb's own words (a time, a place) and punctuation follow it."""
    doc = verb.doc
    comma = next((t.i for t in reversed(doc[: verb.i]) if t.text == ","), None)
    if comma is None or comma + 1 >= verb.i:
        return None
    span = range(comma + 1, verb.i)
    heads = [doc[i] for i in span if doc[i].head.i not in span]
    after = [t for t in doc[verb.i + 1 :] if not t.is_punct]
    own = {t.i for c in verb.children if c.i > verb.i and c.dep_ != "ccomp" for t in c.subtree}
    if (
        len(heads) != 1
        or heads[0].pos_ not in ("PROPN", "NOUN")
        or any(t.i not in own for t in after)
    ):
        return None
    return heads[0]


def _goes_on(head: Any) -> bool:
    """ "went on to explain", "continued to insist that": the speech verb after them was
    spoken, unlike after "needs to" or "was sworn in to"."""
    lemma = head.lemma_.lower()
    return lemma in _CONTINUING or (lemma == "go" and _child(head, "prt", text="on") is not None)


def _names_as(verb: Any, obj: Any) -> bool:
    """ "called the citation and the demand a transparent ploy": the name the speaker gives
    is an indefinite noun phrase after a long object, which the parser may hang on the object
    as an apposition. Not a second thing called ("called the police and a lawyer"), nor the
    object of a preposition or of a clause inside the object."""
    if obj is None:
        return False
    inside = {t.i for t in verb.subtree}
    for tok in verb.doc[obj.i + 1 :]:
        if tok.lower_ not in ("a", "an") or tok.dep_ != "det" or tok.head.i not in inside:
            continue
        # (not the object of a clause inside: "called the hotel that had sent a letter")
        if tok.head.dep_ in ("appos", "oprd", "attr", "npadvmod"):
            return True
    return False


def _introduces(verb: Any) -> bool:
    """Reported content follows the cue: a colon or an opening quotation mark close after it
    ("wrote on social media:", "said, \u201cWe ..."), not a title ('wrote "War Diaries"')."""
    for tok in verb.doc[verb.i + 1 : verb.i + 8]:
        if tok.text == ":":
            return True
        if tok.text in ("\u201c", '"', "\u2018"):
            rest = doc_text(verb.doc)[tok.idx :]
            quoted = next((q for q in find_quotes(rest) if q.start == 0), None)
            return quoted is not None and quoted.is_speech
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "aux":
            return False
    return False


# Set phrases with a speech verb that report nothing: "it goes without saying", "needless to
# say", "that is to say", "so to speak", "truth be told".
_IDIOMS = re.compile(
    r"\b(?:goes without saying|needless to say|that is to say|so to speak|truth be told"
    r"|suffice it to say|to say nothing of|i mean)\b",
    re.IGNORECASE,
)


# Verbs that in an "as"-clause tell when, not whose words: "as Obama spoke", "as the talks
# continued".
_AS_WHILE = word_set("""speak talk continue""")


def _as_remarked(verb: Any, subj: Any, deps: set[str]) -> bool:
    """ "As Mr. Bown observed, ...", "..., as Trump points out.": the cue's content is the
    sentence around its "as"-clause (PolNeAR train: 26 of 31 such verbs, their content
    not otherwise found, are labelled cues). Not a passive ("as recalled by", "as it is
    called"), not a verb with an object or a complement of its own ("as charitable as he
    claims to be" compares), and the speaker stands before the verb."""
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if mark is None or _compares(mark):
        return False
    return (
        not deps & {"dobj", "auxpass", "nsubjpass", "xcomp"}
        and verb.lemma_.lower() not in _AS_WHILE
        and subj.i < verb.i
    )


def _compares(mark: Any) -> bool:
    """The second "as" of a comparison: "as wealthy as Mr. Trump claims", "as much as"."""
    doc = mark.doc
    prev = doc[mark.i - 1] if mark.i > 0 else None
    return (
        prev is not None
        and prev.pos_ in ("ADJ", "ADV")
        and any(t.lower_ in ("as", "so") for t in doc[max(0, prev.i - 3) : prev.i])
    )


def _in_idiom(verb: Any) -> bool:
    doc = verb.doc
    window = doc[max(0, verb.i - 3) : verb.i + 3]
    return any(
        m.start() <= verb.idx - window.start_char < m.end() for m in _IDIOMS.finditer(window.text)
    )


def _reported_from(verb: Any) -> bool:
    """A byline's "Julie Davis reported from Midway Atoll": where a reporter worked, with
    nothing reported (no clause, no object)."""
    return (
        verb.lemma_.lower() == "report"
        and not any(c.dep_ in ("ccomp", "dobj", "parataxis") for c in verb.children)
        and any(c.dep_ == "prep" and c.lower_ == "from" for c in verb.children)
        and not _introduces(verb)
    )


def _source_from_verb(
    verb: Any, doc: Any, settings: Settings, quotes: Sequence[tuple[int, int]] = ()
) -> tuple[list[Any], dict] | None:
    lemma = verb.lemma_.lower()
    if _in_idiom(verb) or _reported_from(verb):
        return None
    deps = {c.dep_ for c in verb.children}
    stance = "denied" if lemma in DENYING else "asserted"
    # "to" on the verb, or on the first of two joined ("needs to sell herself and tell jokes")
    to_verb = verb.head if verb.dep_ == "conj" and verb.head.tag_ == "VB" else verb
    if (
        verb.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in to_verb.children)
        and to_verb.head.lemma_.lower() not in DECLINING | WITHHOLDING
        and not _goes_on(to_verb.head)
    ):
        return None  # "needs to tell more jokes", "sworn in to tell the truth": not said
    if (
        verb.tag_ == "VB"
        and verb.dep_ == "ROOT"
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        and verb.i > 0
        and verb.doc[verb.i - 1].text == ","
        and _child(verb, "nsubj") is not None
        and _child(verb, "nsubj").i < verb.i
    ):
        return None  # "Mr. Trump, tell me ...": a name addressed, and an order, not a report
    if lemma in ("ask", "request") and any(
        t.lower_ in ("named", "identified", "quoted", "anonymity")
        for c in verb.children
        if c.dep_ in ("xcomp", "dobj", "prep")
        for t in c.subtree
    ):
        return None  # "officials, who asked not to be named, said": the words are the "said"
    # Two subjects are text run together where a comma was lost ("held by the Takfiri
    # terrorists a monitoring group says"): the one next to the verb is the speaker.
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    before = [c for c in subjects if c.i < verb.i]
    subj = before[-1] if len(subjects) > 1 and before else next(iter(subjects), None)
    if subj is None and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in DECLINING:
        subj, stance = _child(verb.head, "nsubj"), "declined"
    agent = _child(verb, "agent")
    if "auxpass" in deps or "nsubjpass" in deps:  # "was confirmed by the Pentagon"
        subj = _pobj(agent)
    if subj is None and verb.is_sent_start and verb.dep_ == "compound" and verb.head.i > verb.i:
        subj = verb.head  # "Said Ellis: ...": the parser made the inverted cue part of the name
    if subj is None and verb.i > 0 and verb.doc[verb.i - 1].pos_ in ("PROPN", "NOUN"):
        near = verb.doc[verb.i - 1]  # a closing tag the parser left without a subject
        subj = near if _is_tag(verb, near, deps) else None
    if subj is None and quotes:
        subj = _name_after_quote(verb, quotes)
    if subj is None and verb.dep_ in ("advcl", "conj"):
        subj = _run_on_tag(verb, deps)
    if subj is None and verb.dep_ == "ROOT" and "ccomp" in deps:
        subj = _appositive_tag(verb)
    # (a bare participle is a reduced passive, "the plan announced Monday"; with "has" it is
    # active: "... and has called for ending the loophole")
    if subj is None and (verb.tag_ != "VBN" or "aux" in deps) and "auxpass" not in deps:
        subj = inherited_subject(verb)
    if subj is not None:
        subj = _antecedent(subj, verb)
    if subj is not None and _counted_dead(subj):
        # "killed at least 60 civilians trying to flee ... a war monitor said" with the
        # commas lost: the parser made the dead the speaker. The speaker is the apposition
        # ("killed 22 fighters, the Observatory reported") or the noun before the verb.
        near = verb.doc[verb.i - 1] if verb.i > 0 else None
        subj = _child(subj, "appos") or (
            near if near is not None and _is_tag(verb, near, deps) else None
        )
    if subj is not None and in_quote(subj, list(quotes)):
        # The parser took a word of the quotation for the speaker ('..." Axelrod said' when
        # the quote began in an earlier sentence): the speaker is after the verb, or unknown.
        subj = _name_after_quote(verb, quotes) or next(
            (
                c
                for c in verb.children
                if c.i > verb.i
                and c.pos_ in ("PROPN", "NOUN")
                and c.dep_ in ("nsubj", "dobj", "npadvmod", "attr", "appos")
                and not in_quote(c, list(quotes))
            ),
            None,
        )
    obj = _child(verb, "dobj")  # "called the strike a response", "described the raid as ..."
    as_ = _child(verb, "prep", text="as")
    if as_ is None and obj is not None:
        as_ = _child(obj, "prep", text="as")
    # "called for restraint", "called on Congress to ...", not "called Machado on Monday"
    calls_for = (
        lemma == "call"
        and obj is None
        and any(
            c.dep_ in ("prep", "prt")  # "called on police to ...": a particle to the parser
            and c.lower_ in ("for", "on")
            and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)
            for c in verb.children
        )
    )
    if subj is None and agent is None and "auxpass" in deps:
        return _agentless(verb, deps, as_, stance)
    if (
        subj is None
        or (lemma in ONLY_NEGATED and stance != "declined" and "neg" not in deps)
        or (
            lemma in NEEDS_CONTENT
            and not (
                deps & {"ccomp", "parataxis"}
                or _is_tag(verb, subj, deps)
                or verb.dep_ == "parataxis"
                or _introduces(verb)
                or _as_remarked(verb, subj, deps)
                # "was written by Springsteen": what was written is the passive's subject
                or (agent is not None and "nsubjpass" in deps)
            )
        )
        or (lemma == "tell" and "xcomp" in deps and "ccomp" not in deps)  # "told to leave"
        or (
            lemma in CHARACTERISING
            and "oprd" not in deps
            and as_ is None
            and not calls_for
            # "calls Obamacare 'crazy system'": the parser takes the quoted name for the object
            # (in a headline's single quotes, an opening mark the parser hangs on it)
            and not (
                obj is not None
                and (in_quote(obj, list(quotes)) or any(c.tag_ == "``" for c in obj.children))
            )
            and not _names_as(verb, obj)
        )
        # "I think", "you know": thoughts in the first or second person are inside
        # someone's words (a quotation the marks did not close), not the article's
        or (_LEXICON[lemma].kind == "thought" and subj.lower_ in ("i", "we", "you"))
        # a thought is never told inverted: "(think Brexit, for example)" is an aside to the
        # reader, not Brexit thinking
        or (_LEXICON[lemma].kind == "thought" and _inverted(verb, subj))
        or (lemma == "claim" and obj is not None and obj.lemma_ in CLAIMED)
    ):
        return None
    if "neg" in deps and stance == "asserted":
        stance = "declined"
    who = describe(subj, doc, settings)
    appos = _child(subj, "appos")
    if who is None and appos is not None:  # "22 fighters, the ... Observatory reported"
        who = describe(appos, doc, settings)
    if who is None:
        who = describe_speaking(subj, doc, settings)
    if who is None:
        return None
    extra, via = [verb, *who["tokens"], *([agent] if agent is not None else [])], None
    for child in verb.children:  # recipients: "told Fox News", "confirmed to reporters"
        prep = child.lower_ if child.dep_ == "prep" else None
        target = (
            _pobj(child)
            if prep in ("to", "in")
            else (child if child.dep_ == "dobj" and lemma == "tell" else None)
        )
        kind = target.lemma_.lower() if target is not None else ""
        if target is None or (prep == "in" and kind not in ("statement", "interview")):
            continue
        piece = [child, *np_tokens(target)]
        if kind == "interview":  # "in an interview with CNN"
            with_ = _child(target, "prep", text="with")
            outlet = _pobj(with_)
            if outlet is not None and is_outlet_name(_outlet_text(doc, outlet)):
                piece += [with_, *np_tokens(outlet)]
                via = _outlet_text(doc, outlet)
        elif is_outlet_name(_outlet_text(doc, target), alone=child.dep_ == "dobj"):
            via = _outlet_text(doc, target)
        elif prep == "to" and kind not in RECIPIENTS:
            continue
        extra += piece
    cue = _neg_cue(verb) if "neg" in deps else verb.lower_
    if calls_for:  # "called for restraint", "called on Congress"
        prep = next(
            c for c in verb.children if c.dep_ in ("prep", "prt") and c.lower_ in ("for", "on")
        )
        extra.append(prep)
        cue = f"{cue} {prep.lower_}"
        particles = []
    else:  # the particle is part of the cue: "pointed out", "spoke up"
        particles = [c for c in verb.children if c.dep_ == "prt"]
        extra += particles
        cue = " ".join([cue, *(c.lower_ for c in particles)])
    if stance == "declined" and verb.dep_ == "xcomp":
        extra.append(verb.head)
        cue = " ".join([verb.head.lower_, "to", verb.lower_, *(c.lower_ for c in particles)])
    return extra, _with_members(
        _value(who, cue, via, stance, _LEXICON[lemma].kind), subj, doc, settings
    )


# Passives that name a thing, not a speaker: "is called the Golden Week", "was told to leave"
_NAMING = word_set("""call term dub name tell""")


def _agentless(verb: Any, deps: set[str], as_: Any, stance: str) -> tuple[list[Any], dict] | None:
    """A speech verb in the passive with no one behind it: "he has been harshly criticized
    for", "a curfew was announced", "the claim was labeled 'Mostly True'", "he is said to
    have ordered". Nobody is named, which is what a fact-checker wants to see flagged."""
    lemma = verb.lemma_.lower()
    if (
        lemma in _NAMING
        or lemma in ONLY_NEGATED
        # their condition is content after the verb, which the passive moved to its subject
        # ("it was later revealed", "they are seen"): nothing left to check. A thought with
        # a "to" clause keeps it ("turnout is expected to fall", "he is thought to have
        # fled"): a forecast or a belief nobody is named for, the weasel words a
        # fact-checker asks "by whom?" of
        or (lemma in NEEDS_CONTENT and not (_LEXICON[lemma].kind == "thought" and "xcomp" in deps))
        or (lemma in CHARACTERISING and as_ is None and "oprd" not in deps)
        or verb.dep_ in ("amod", "acl")  # "the so-called deal", "a plan announced Monday"
    ):
        return None
    if "neg" in deps and stance == "asserted":
        stance = "declined"
    parts = [c for c in verb.children if c.dep_ in ("auxpass", "neg")]
    cue = " ".join(t.lower_ for t in sorted([*parts, verb], key=lambda t: t.i))
    who = {"speaker": None, "canonical": None, "type": "none", "organisation": None}
    return [*parts, verb], _value(who, cue, None, stance, _LEXICON[lemma].kind)


def _with_members(value: dict, subj: Any, doc: Any, settings: Settings) -> dict:
    """The value with ``members`` when a group speaker names them ("critics, like ...")."""
    members = group_members(subj, doc, settings)
    return {**value, "members": members} if members else value


def _value(
    who: dict, cue: str, via: str | None, stance: str = "asserted", cue_kind: str = "speech"
) -> dict:
    return {
        "relation": "source",
        **{k: who.get(k) for k in ("speaker", "canonical", "type")},
        "cue": cue,
        "via": via,
        "organisation": who.get("organisation"),
        "stance": stance,
        "cue_kind": cue_kind,
    }


def _outlet_text(doc: Any, head: Any) -> str:
    return text_of(doc, strip_articles(np_tokens(head)))


def _source_from_prep(tok: Any, doc: Any, settings: Settings) -> tuple[list[Any], dict] | None:
    """'according to X', 'as per X', 'citing X'."""
    if tok.lower_ in ("according", "as"):
        word = "to" if tok.lower_ == "according" else "per"
        link = _child(tok, "prep", text=word)
        obj, cue = _pobj(link), f"{tok.lower_} {word}"
        if obj is None and link is not None:
            # "according to show insiders": the parser read the noun "show" as a verb
            # whose object is the source
            verb = _child(link, "pcomp")
            obj = _child(verb, "dobj") if verb is not None and verb.tag_ == "VB" else None
    elif tok.lemma_.lower() == "cite" and tok.tag_ == "VBG":
        obj, cue = _child(tok, "dobj"), "citing"
    else:
        return None
    who = describe(obj, doc, settings) if obj is not None else None
    if who is None and obj is not None:  # "according to show insiders"
        who = describe_speaking(obj, doc, settings)
    if who is None and obj is not None and obj.pos_ == "NOUN":
        # "according to a Washington Post database", "according to a speech Mrs. Clinton
        # gave": the thing is no speaker, its author is
        author = _author_of(obj)
        who = describe(author, doc, settings) if author is not None else None
        if who is not None and who.get("type") in ("none", "unresolved"):
            who = None
        if who is not None:
            who = {**who, "tokens": [*who["tokens"], obj]}
    if who is None:
        return None
    via = None
    if cue == "citing":  # the outlet doing the citing relays the cited source
        for anc in tok.ancestors:
            if anc.lemma_.lower() in SPEECH:
                subj = _child(anc, "nsubj")
                if subj is not None and is_outlet_name(_outlet_text(doc, subj)):
                    via = _outlet_text(doc, subj)
                break
    tokens = [tok, *who["tokens"]] + [t for t in obj.ancestors if t.i > tok.i and t.i < obj.i]
    return tokens, _value(who, cue, via, cue_kind="according-to")


_POLLS = word_set("""poll polls survey surveys""")


def _source_from_poll(tok: Any, doc: Any, settings: Settings) -> tuple[list[Any], dict] | None:
    """ "In the latest Harbor Gazette poll, the mayor led by five points": the sentence's
    figures come from the poll, set off by a comma before the main clause. Not "in polls
    behind her rivals" (no opening phrase) nor "In a statement, ..." (a verb of speech
    follows and names its own speaker)."""
    obj = _pobj(tok)
    if tok.dep_ != "prep" or obj is None or obj.lower_ not in _POLLS:
        return None
    after = max(t.i for t in tok.subtree) + 1
    if after >= len(doc) or doc[after].text != "," or tok.head.dep_ != "ROOT":
        return None
    if tok.head.lemma_.lower() in SPEECH:  # "In the poll, 73 percent said ...": they speak
        return None
    who = describe(obj, doc, settings)
    if who is None or who.get("type") in ("none", "unresolved"):
        who = {
            "speaker": text_of(doc, strip_articles(np_tokens(obj))),
            "type": "document",
            "tokens": np_tokens(obj),
        }
        who["canonical"] = who["speaker"]
    return [tok, *who["tokens"]], _value(who, "in", None, cue_kind="according-to")


# "its report", "their count": a pronoun points at a thing or body; who it is, the clause
# or the article says
_POSSESSIVE_PRONOUNS = word_set("""its their his her my our your""")


def _author_of(thing: Any) -> Any:
    """Who made a thing named after "according to": a possessive or a name before it ("the
    Post's count", "a Washington Post database"), or the subject of the clause on it ("a
    speech Mrs. Clinton gave")."""
    for c in thing.children:
        if c.dep_ == "poss" and c.lower_ not in _POSSESSIVE_PRONOUNS:
            return c
    names = [c for c in thing.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if names:
        return names[-1]
    for c in thing.children:
        if c.dep_ in ("relcl", "acl"):
            subj = _child(c, "nsubj")
            if subj is not None and subj.pos_ == "PROPN":
                return subj
    return None


_NAME = r"[A-Z][\w'.&-]*"
_REGEX_SOURCE = re.compile(
    rf"\b((?i:according to|as per))\s+((?:the\s+)?{_NAME}(?:\s+(?:of\s+|for\s+)?{_NAME})*)"
)


def regex_sources(text: str, *, settings: Settings | None = None) -> list[tuple[int, int, dict]]:
    """Parse-free fallback: 'according to <Proper Name>' and 'as per <Proper Name>'."""
    found = []
    for m in _REGEX_SOURCE.finditer(text):
        name = re.sub(r"^the\s+", "", m.group(2), flags=re.IGNORECASE).rstrip(".")
        kind = "news_outlet" if is_outlet_name(name) else "organisation"
        end = m.start(2) + len(m.group(2).rstrip("."))
        who = {"speaker": name, "canonical": canonical_name(name, settings=settings), "type": kind}
        found.append(
            (m.start(), end, _value(who, m.group(1).lower(), None, cue_kind="according-to"))
        )
    return found


def _nested_thought(verb: Any) -> bool:
    """A thought inside what someone else says ("have not said which group they believe
    carried out"): part of that statement's content, not an attribution of its own."""
    return _LEXICON[verb.lemma_.lower()].kind == "thought" and any(
        a.pos_ in ("VERB", "AUX") and a.lemma_.lower() in SPEECH for a in verb.ancestors
    )


# Verbs of violence and of physical acts: in war reporting they are the event ("the army
# shelled the town"), never a statement, whatever a model trained on political news says of
# "attacked" or "hit". The event and casualty words of ``data/events.toml`` (attack, strike,
# shell, kill ...) count too (``_event_words``); these are the verbs that file does not hold.
_ACTS = word_set("""hit fire shoot target launch destroy capture seize storm invade occupy
    besiege execute behead kidnap abduct detain arrest bombard flee evacuate rescue bury burn
    loot drop land fly move enter withdraw retreat advance order authorize authorise send
    deploy""")
# Verbs of violence that politics uses for words: "Trump attacked Machado in tweets",
# "Christie blasted Clinton as a disgrace". Only with a mark of speech (``_criticises``).
_CRITICISING = word_set("""attack blast hit slam pound hammer assail target""")
# The forum words were said in: "attacked her in a speech", "blasted him in an interview".
_FORUMS = word_set("""tweet tweets speech interview statement debate post ad op-ed column
    editorial letter remarks comments podcast""")


def _criticises(verb: Any) -> bool:
    """A verb of violence used for criticism: what it calls its object ("attacked her
    opponent as a fraud"), why ("blasted the media for being dishonest"), where it was said
    ("in early-morning tweets"), a quotation for its object, or one named person attacking
    another. A strike on a town has none of these."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as" and _calls_someone(verb, _child(c, "pobj")):
            return True
        if c.dep_ == "prep" and c.lower_ == "for" and _child(c, "pcomp") is not None:
            return True
        if c.dep_ == "prep" and c.lower_ == "in":
            place = _child(c, "pobj")
            if place is not None and place.lemma_.lower() in _FORUMS:
                return True
        if c.dep_ == "dobj":
            if _quoted_phrase(c, after=verb):
                return True
            as_ = _child(c, "prep", text="as")
            if as_ is not None and _calls_someone(verb, _child(as_, "pobj")):
                return True
            subj = subject_of(verb)
            if c.ent_type_ == "PERSON" and subj is not None and subj.ent_type_ == "PERSON":
                return True
    return False


def _quoted_phrase(head: Any, *, after: Any = None) -> bool:
    """Does the phrase of ``head`` open with a quotation mark, its own or one right before
    it (but after ``after``, the verb it hangs on)?"""
    first = head.left_edge
    if first.text in OPENING_QUOTE_TOKENS:
        return True
    lo = after.i if after is not None else -1
    return first.i - 1 > lo and head.doc[first.i - 1].text in OPENING_QUOTE_TOKENS


# "as a warning", "as a reprisal": why a blow was struck, not what its target is called
_PURPOSES = word_set("""warning response retaliation reprisal punishment revenge lesson
    part message signal precaution""")


def _calls_someone(verb: Any, name: Any) -> bool:
    """ "attacked her opponent as a fraud": someone, called something ("a fraud", "a
    'con artist'"). Not "attacked rebel positions as part of an offensive" or "hit the town
    as retaliation": a place is called nothing, and the phrase gives a purpose."""
    if name is None:
        return False
    indefinite = any(d.lower_ in ("a", "an") for d in name.children)
    if not (indefinite or _quoted_phrase(name)) or name.lemma_.lower() in _PURPOSES:
        return False
    obj = _child(verb, "dobj")
    return obj is not None and (
        obj.ent_type_ in ("PERSON", "ORG", "NORP")
        or obj.lower_ in ("him", "her", "them", "me", "us")
        or describe_speaking(obj, obj.doc, None) is not None
    )


# Light verbs: their sense is in the object ("made the case" / "made a fortune"), which the
# scorer does not weigh, so they are no learned cue.
_LIGHT = word_set("""make take have get do give""")


# Below this score a speech verb of the lexicon is almost never an attribution in its
# sentence ("the museum will tell an American story", "a company that had declared
# bankruptcy"); PolNeAR dev: 27 such readings, 6 of them right.
_SPEECH_FLOOR = 0.15
# A thought verb needs an even chance ("voters want lower taxes" does not have it). Both
# floors are on the features' score alone; the learned cues' own threshold is the model's.
_THOUGHT_FLOOR = 0.5


def _unlikely_cue(verb: Any, value: dict) -> bool:
    """A lexicon reading the scorer finds unlikely in this sentence: a thought verb ("want",
    "hope", "plan") under its floor ("voters want lower taxes" reports a wish nobody
    voiced; "the senator believes the deal is dead" stays), a speech verb under a low floor.
    Refusals and denials stay whatever the score: "declined to comment" is what a
    fact-checker looks for.

    The verb is weighed by its features alone (the model the floors were set on), without
    its sentence's contextual vector: nearly every sentence with a "said" in it would pay an
    encoder pass for it."""
    if value.get("stance") in ("declined", "denied"):
        return False
    scorer = cue_model()
    if value.get("cue_kind") == "thought":
        return scorer.probability(verb) < _THOUGHT_FLOOR
    return value.get("cue_kind") == "speech" and scorer.probability(verb) < _SPEECH_FLOOR


def _learned_cue(tok: Any, *, lexicon_too: bool = False) -> bool | None:
    """May the learned scorer (``cue_model.py``) take this verb for a cue? False when it may
    not (outside its remit, or a lexicon verb whose rules decide it), True when it is one
    whatever the score (an act of criticism: "slammed the plan"), None when the score
    decides (``_learned_source`` asks it last). ``lexicon_too``: a lexicon verb whose own
    condition was not met is weighed like any other."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    # A capitalised verb mid-sentence is a headline's or a link's title case: only a verb of
    # the lexicon is weighed there ("New Poll Shows ..."), not any act ("Biden Revokes ...")
    if (
        tok.text[:1].isupper()
        and not tok.is_sent_start
        and not (lemma in _LEXICON and title_case(tok.doc))
    ):
        return False
    if lemma in _LEXICON and (not lexicon_too or _LEXICON[lemma].strict):
        return False
    if lemma in _ACTS or lemma in _LIGHT or lemma in _event_words():
        return lemma in _CRITICISING and _criticises(tok)
    return None


def _learned_source(
    tok: Any,
    doc: Any,
    settings: Settings,
    quotes: Sequence[tuple[int, int]],
    *,
    lexicon_too: bool = False,
) -> tuple[list[Any], dict] | None:
    """An attribution through a verb the learned scorer takes for a cue (``_learned_cue``,
    ``_source_from_learned``). The features' score is a sum of weights and goes first: most
    verbs stop there. In context (the setting ``facts.weigh_in_context``) the score costs
    a pass of the encoder over the sentence, so it goes last, after the speaker rules,
    which most verbs fail."""
    cue = _learned_cue(tok, lexicon_too=lexicon_too)
    if cue is False or (lexicon_too and _said_only_where(tok)):
        return None
    in_context = settings.facts.weigh_in_context
    if cue is None and not in_context and not cue_model().is_cue(tok, in_context=False):
        return None
    hit = _source_from_learned(tok, doc, settings, quotes)
    if hit is None or cue or not in_context:
        return hit
    return hit if cue_model().is_cue(tok, in_context=True) else None


# Prepositions that only place a report ("reported from Aleppo", "wrote in the Times").
_PLACING = frozenset("from in at near outside inside".split())


def _said_only_where(verb: Any) -> bool:
    """A lexicon verb with nothing said, only where: "Maria Lopez reported from Aleppo" is
    a byline, "she wrote in the Times" a venue. Its rule found no content, and weighed
    again like any other verb the encoder would take it for a cue (it is one, most times
    it is seen), so it is not weighed again."""
    complements = ("dobj", "ccomp", "xcomp", "dative", "attr", "oprd", "acomp", "advcl")
    if any(c.dep_ in complements for c in verb.children):
        return False
    preps = [c.lower_ for c in verb.children if c.dep_ == "prep"]
    return bool(preps) and all(p in _PLACING for p in preps)


def prefetch_context(
    docs: Sequence[Any], settings: Settings, store: LogitStore | None = None
) -> None:
    """With ``facts.weigh_in_context`` on: put through the cue encoder, in batches, the
    sentences where ``_learned_source`` will ask for a verb's score in context (a verb the
    score decides, with a speaking subject, whose features' score the encoder can still
    turn), before they are read one by one; ``store`` keeps their logits for the next
    comparison. A sentence this misses (``_asks_in_context`` walks ahead of the reading
    and could fall out of step with it) is still encoded when asked. The speaker rules run here and again when the sentence is read: a
    few token walks, against the third of a pass each batched sentence saves."""
    scorer = cue_model()
    if scorer.context is None or not settings.facts.weigh_in_context:
        return
    wanted = []
    for doc in docs:
        quotes = quoted_ranges(doc_text(doc))
        if any(_asks_in_context(tok, doc, settings, quotes) for tok in doc):
            wanted.append(doc)
    scorer.context.prefetch(wanted, store)


def _asks_in_context(
    tok: Any, doc: Any, settings: Settings, quotes: Sequence[tuple[int, int]]
) -> bool:
    """Will ``sources_in`` ask the encoder about this verb? Its path, walked ahead: a verb
    whose features' score the encoder can turn (cheap, so first), whose lexicon rule (if
    it has one) found no attribution the scorer keeps, with a speaking subject."""
    if tok.pos_ != "VERB" or in_quote(tok, quotes) or not cue_model().weighs_in_context(tok):
        return False
    lemma = tok.lemma_.lower()
    lexicon_too = False
    if lemma in SPEECH and not _nested_thought(tok):
        hit = _source_from_verb(tok, doc, settings, quotes)
        if hit is not None and not _unlikely_cue(tok, hit[1]):
            return False
        lexicon_too = True
        if _said_only_where(tok):
            return False
    elif lemma in ("make", "put") and _source_from_idiom(tok, doc, settings, quotes):
        return False
    return (
        _learned_cue(tok, lexicon_too=lexicon_too) is None
        and _source_from_learned(tok, doc, settings, quotes) is not None
    )


@lru_cache(maxsize=1)
def _event_words() -> frozenset[str]:
    """The one-word event and casualty words of ``data/events.toml``."""
    single, _multi, casualty = event_lexicon()
    return frozenset(single) | casualty


def _speaking_subject(verb: Any, quotes: Sequence[tuple[int, int]]) -> Any:
    """The verb's subject as a possible speaker: outside the quotation, not the dead of a
    toll the parser made its subject, a relative pronoun replaced by its noun; or None."""
    subj = subject_of(verb)
    if subj is None or in_quote(subj, list(quotes)) or _counted_dead(subj):
        return None
    return _antecedent(subj, verb)


def _inverted(verb: Any, subj: Any) -> bool:
    """The verb's own subject stands after it ("think Brexit"): only speech is told
    inverted ("said Ms. Alvarez"); a passive's agent ("supported by 42 percent") is no
    subject here."""
    return subj.dep_ == "nsubj" and subj.head.i == verb.i and subj.i > verb.i


def _source_from_learned(
    verb: Any, doc: Any, settings: Settings, quotes: Sequence[tuple[int, int]]
) -> tuple[list[Any], dict] | None:
    """An attribution through a verb the scorer learned ("Clinton laid out her plan", "the
    campaign is defending the tweets"): its speaker is the verb's subject, and it must be
    someone who can take a stance. ``cue_kind`` "stance" tells these from the lexicon's
    speech and writing, so that figures are credited only through the latter."""
    subj = _speaking_subject(verb, quotes)
    if subj is None or _inverted(verb, subj):
        return None
    who = describe(subj, doc, settings) or describe_speaking(subj, doc, settings)
    if who is not None and who.get("type") == "none" and _document_quoted(verb, subj, quotes):
        # '"...," the letter reads': the words are the document's, and a reader can look
        # it up (its author, when named before, is the resolver's business)
        who = {**who, "speaker": text_of(doc, strip_articles(who["tokens"])), "type": "document"}
        who["canonical"] = who["speaker"]
    # a stance needs someone who holds it: not "it", not the reader ("you"), not a
    # first person (an opinion column's "I", or words inside an unclosed quotation)
    if who is None or who.get("type") == "none" or subj.lower_ in ("you", "i", "we"):
        return None
    if subj.lower_ in KIN_NOUNS:
        # "the two women spoke", "the daughter of Aung San enjoyed": a stance read from an
        # unnamed man or woman is the scorer's noisiest guess; their statements still count
        return None
    # "it issued a policy paper": a body named before may act; "it seems", "it appeared
    # that" are no one. Only "it" with an object of its own, and only where the article
    # names the body it points at (``attributions.resolve_speakers`` drops the rest).
    pointing = subj.lower_ == "it"
    if pointing and not any(c.dep_ == "dobj" for c in verb.children):
        return None
    parts = [c for c in verb.children if c.dep_ in ("prt", "neg")]
    cue = " ".join(t.lower_ for t in sorted([verb, *parts], key=lambda t: t.i))
    stance = "declined" if any(c.dep_ == "neg" for c in parts) else "asserted"
    kind = "writing" if who.get("type") == "document" and quotes else "stance"
    value = _with_members(_value(who, cue, None, stance, kind), subj, doc, settings)
    if pointing:
        value["needs_antecedent"] = True
    return [verb, *parts, *who["tokens"]], value


# The words that make a light verb a statement (``_idiom_word``): the parse filter lets
# sentences holding them through.
IDIOM_WORDS = word_set("""clear secret put""")


def _idiom_word(verb: Any) -> Any:
    """The word that turns a light verb into a statement: "made (it) clear that ...", "made
    no secret of ...", "as Rosenthal put it"; None for any other "make" or "put"."""
    if verb.lemma_.lower() == "put":
        obj = _child(verb, "dobj")
        marked = any(
            c.dep_ in ("mark", "advmod") and c.lower_ in ("as", "how") for c in verb.children
        )
        return obj if obj is not None and obj.lower_ == "it" and marked else None
    for c in verb.children:
        if c.lower_ == "clear" and c.dep_ in ("ccomp", "oprd", "acomp", "xcomp", "dobj", "advmod"):
            # "made it clear", "made clear his plans", not "made the road clear of mines"
            # the parser puts "the road" on either word: an object, or the subject of "clear"
            held = [o for o in verb.children if o.dep_ == "dobj"]
            held += [o for o in c.children if o.dep_ == "nsubj"]
            if any(o.i < c.i and o.lower_ != "it" for o in held):
                return None
            return c
        if (
            c.lower_ == "secret"
            and c.dep_ == "dobj"
            and any(a.lower_ in ("no", "little") for a in c.children)
        ):
            return c
    return None


def _source_from_idiom(
    verb: Any, doc: Any, settings: Settings, quotes: Sequence[tuple[int, int]]
) -> tuple[list[Any], dict] | None:
    """ "Ham made it clear he had misgivings", "the leaders made no secret of their
    disagreements", "as the lawyer put it, ...": a statement through a light verb, which
    the scorer cannot weigh (its sense is in the object). The speaker is the subject, as
    for any verb of speech."""
    word = _idiom_word(verb)
    subj = _speaking_subject(verb, quotes) if word is not None else None
    if word is None or subj is None:
        return None
    who = describe(subj, doc, settings) or describe_speaking(subj, doc, settings)
    if who is None or who.get("type") == "none":
        return None
    det = [a for a in word.children if a.lower_ in ("no", "little")]
    cue = " ".join(t.lower_ for t in [verb, *det, word])
    return [verb, word, *who["tokens"]], _value(who, cue, None)


# Verbs a document's words are given with: '"...," the letter reads', 'the sign said'.
_DOCUMENT_VOICE = word_set("""read say state declare note""")


def _document_quoted(verb: Any, subj: Any, quotes: Sequence[tuple[int, int]]) -> bool:
    """A document noun whose verb gives a quotation of its sentence ('"We are ready," the
    letter reads')."""
    return (
        bool(quotes)
        and verb.lemma_.lower() in _DOCUMENT_VOICE
        and subj.lemma_.lower() in DOCUMENT_NOUNS
    )


# "The Observatory put the death toll at 45", "medics gave a toll of 31", "officials raised
# the toll to 52": a source stating a figure with no verb of speech. The speaker is the verb's
# subject, and a figure in the sentence is credited to it like one after "said".
TOLL_VERBS = word_set("""give put raise revise update place set lower bring""")
_TOLL_NOUNS = word_set("""toll tally""")


def _source_from_toll(
    verb: Any, doc: Any, settings: Settings, quotes: Sequence[tuple[int, int]]
) -> tuple[list[Any], dict] | None:
    obj = _child(verb, "dobj")
    if obj is None or obj.lemma_.lower() not in _TOLL_NOUNS:
        return None
    subj = _speaking_subject(verb, quotes)
    if subj is None:
        return None
    who = describe(subj, doc, settings)
    if who is None or who.get("type") == "none" or subj.lower_ in ("you", "i", "we"):
        return None
    return [verb, obj, *who["tokens"]], _value(who, f"{verb.lower_} ... {obj.lower_}", None)


# Nouns for something said or written: with its author attached ("Trump's claim that ...",
# "the ministry's statement", "a warning from the UN", "a New York Times report") the noun
# is the cue and the author the speaker.
SPEECH_NOUNS = word_set("""claim statement announcement remark remarks comment comments
    assertion allegation accusation warning criticism pledge promise admission testimony
    tweet speech denial insistence argument suggestion prediction assessment confirmation
    complaint endorsement condemnation apology threat vow appeal demand report letter
    interview op-ed editorial memo""")
_WRITTEN_NOUNS = word_set("""tweet report letter op-ed editorial memo""")


def _has_content(noun: Any) -> bool:
    """The noun carries what was said: a clause ("the claim that ..."), a colon or an
    opening quotation mark right after it."""
    if any(c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX") for c in noun.children):
        return True
    nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    return nxt is not None and (nxt.text == ":" or nxt.text in OPENING_QUOTE_TOKENS)


# Verbs that hand over words named by their object: "made the following comment:", "gave
# Clinton a glowing endorsement:", "issued a statement saying ...".
_ISSUING = word_set("""make give issue release offer deliver post publish""")


def _source_from_noun(noun: Any, doc: Any, settings: Settings) -> tuple[list[Any], dict] | None:
    """A nominal cue with its author: a possessive ("Trump's claim"), a name before it ("a
    Pentagon statement"), or "by/from X" after it ("a report by Amnesty")."""
    author, link = None, None
    for c in noun.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"):
            author = c
        elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
            author = next((g for g in c.children if g.dep_ == "pobj"), None)
            link = c
        if author is not None:
            break
    if author is None and noun.dep_ == "dobj" and noun.head.lemma_.lower() in _ISSUING:
        author = subject_of(noun.head)  # "Sanders made the following comment: ..."
    if author is None or author.lower_ in _POSSESSIVE_PRONOUNS - {"his", "her"}:
        return None  # "its report" points at a thing; the verb's subject will say who
    if author.ent_type_ in ("DATE", "TIME") or not _has_content(noun):
        return None  # "a June report"; "Trump's comments drew criticism" reports nothing
    who = describe(author, doc, settings)
    if who is None or who.get("type") == "none":
        return None
    kind = "writing" if noun.lemma_.lower() in _WRITTEN_NOUNS else "speech"
    tokens = [noun, *who["tokens"], *([link] if link is not None else [])]
    return tokens, _value(who, noun.lower_, None, "asserted", kind)


def _antecedent(subj: Any, verb: Any) -> Any:
    """The noun a relative pronoun stands for: the head of its relative clause ("an official
    who said"), or, when the parser hung the clause elsewhere ("turned to the Police
    Department which reported ..." as an adverbial clause), the noun right before "which" or
    "who"."""
    if subj.lower_ not in ("who", "that", "which"):
        return subj
    if verb.dep_ == "relcl":
        return verb.head
    before = subj.doc[subj.i - 1] if subj.i > 0 else None
    if subj.lower_ != "that" and before is not None and before.pos_ in ("NOUN", "PROPN"):
        return before
    return subj


def _verb_tagged_noun(tok: Any) -> bool:
    """A lexicon verb the tagger read as a plural noun ("But Trump claims that he ...", "the
    former doctor maintains."): the parse still gives it a subject and a clause of its own."""
    return (
        tok.tag_ == "NNS"
        and tok.lemma_.lower() in SPEECH
        and any(c.dep_ == "nsubj" for c in tok.children)
        and any(c.dep_ == "ccomp" for c in tok.children)
        # "the candidate's former doctor maintains" parsed with "doctor" as a compound of the
        # verb: the subject is cut, and no speaker is better than half of one
        and not any(c.dep_ in ("compound", "amod") for c in tok.children)
    )


def sources_in(doc: Any, settings: Settings) -> list[tuple[Any, list[Any], dict]]:
    """(cue token, evidence tokens, value) for every source attribution outside quotes."""
    quotes = quoted_ranges(doc_text(doc))
    found = []
    for tok in doc:
        hit = None
        if quotes and in_quote(tok, quotes):  # (most sentences quote nobody: skip the test)
            continue
        if tok.lower_ in ("according", "as", "citing"):
            hit = _source_from_prep(tok, doc, settings)
        elif tok.lower_ == "in" and tok.is_sent_start:
            hit = _source_from_poll(tok, doc, settings)
        if (
            hit is None
            and tok.pos_ in ("VERB", "AUX")
            and tok.lemma_.lower() in SPEECH
            and not _nested_thought(tok)
        ):
            hit = _source_from_verb(tok, doc, settings, quotes)
            if hit is not None and _unlikely_cue(tok, hit[1]):
                hit = None
            if hit is None:
                # the lexicon's condition failed ("disputes the idea", "is stressing the
                # need"): the verb may still state a stance, weighed like any other
                hit = _learned_source(tok, doc, settings, quotes, lexicon_too=True)
        elif hit is None and tok.pos_ == "VERB" and tok.lemma_.lower() in ("make", "put"):
            # the idiom first: "as Rosenthal put it" is speech, weighed or not
            hit = _source_from_idiom(tok, doc, settings, quotes)
            if hit is None:
                hit = _learned_source(tok, doc, settings, quotes)
        elif hit is None and tok.pos_ == "VERB":
            hit = _learned_source(tok, doc, settings, quotes)
        elif hit is None and _verb_tagged_noun(tok):
            hit = _source_from_verb(tok, doc, settings, quotes)
        elif hit is None and tok.pos_ == "NOUN" and tok.lemma_.lower() in SPEECH_NOUNS:
            hit = _source_from_noun(tok, doc, settings)
        if hit is None and tok.pos_ == "VERB" and tok.lemma_.lower() in TOLL_VERBS:
            hit = _source_from_toll(tok, doc, settings, quotes)
        if hit is not None:
            found.append((tok, hit[0], hit[1]))
    return _independent_stances(found)


def _independent_stances(
    found: list[tuple[Any, list[Any], dict]],
) -> list[tuple[Any, list[Any], dict]]:
    """Learned stances kept only in clauses of their own: one inside what a rule's cue
    reports ("the official said the strike *targeted* ...") is content, and one governing a
    rule's cue ("*declined* to say", "identified ... as per ABC News") restates it."""
    rule_cues = [tok for tok, _t, v in found if v.get("cue_kind") != "stance"]
    out = []
    for tok, tokens, value in found:
        if value.get("cue_kind") == "stance" and any(
            tok.is_ancestor(c) or c.is_ancestor(tok) for c in rule_cues
        ):
            continue
        out.append((tok, tokens, value))
    return out


# ---------------------------------------------------------------- blame, responsibility
EVENT_NOUNS = word_set("""attack strike airstrike bombing raid assault operation shelling ambush
    killing explosion blast barrage assassination incident attacks strikes bombardment""")
DOER_VERBS = word_set("""carry conduct perpetrate orchestrate launch stage mount execute commit
    plan fire""")
INVOLVEMENT = word_set("""involvement responsibility role part link links connection
    participation complicity""")
ACTIVE_DOERS = {"carry", "perpetrate", "orchestrate", "commit"}
CLAIMED = {"responsibility", "credit"}
_DEFINITE = word_set("""the this that these those thursday friday saturday sunday monday tuesday
    wednesday""")
WITHHOLDING = word_set("""decline refuse refrain avoid stop fail hesitate""")
_WH = word_set("""that which who whom what whoever""")
_NOBODY = {"no", "nobody", "none", "noone"}


def _named(head: Any) -> Any:
    """'a group called Saraya Awliya al-Dam' -> the name after 'called'."""
    for acl in head.children:
        if acl.dep_ == "acl" and acl.lemma_.lower() in ("call", "name", "know"):
            name = _child(acl, "oprd", "attr", "dobj")
            if name is None:
                name = _pobj(_child(acl, "prep", text="as"))
            if name is not None:
                return name
    return head


def _actors(head: Any) -> list[Any]:
    """The actor and its conjuncts ('Kataib Hezbollah and Kataib Sayyid al-Shuhada')."""
    if head.lower_ in _WH and head.head.dep_ == "relcl":
        head = head.head.head
    if head.lower_ in _WH or any(c.lower_ in _WH for c in head.children if c.dep_ == "det"):
        return []  # "not clear who/which group was behind the attack": an open question
    out = [head]
    for c in head.children:
        if c.dep_ == "conj":
            out.extend(_actors(c))
    return out


def _is_event(tok: Any) -> bool:
    return tok is not None and tok.lemma_.lower() in EVENT_NOUNS


def _definite(tok: Any) -> bool:
    det = [c for c in tok.children if c.dep_ in ("det", "poss")]
    if any(c.lower_ in ("similar", "previous", "past", "other", "earlier") for c in tok.children):
        return False
    return any(c.lower_ in _DEFINITE or c.dep_ == "poss" for c in det)


def _speaker_from(sources: Sequence[tuple[Any, list[Any], dict]], cue: Any) -> dict | None:
    for tok, _tokens, value in sources:
        if tok.i in {a.i for a in cue.ancestors}:
            return value
    return sources[0][2] if sources else None


def _build(
    doc: Any,
    settings: Settings | None,
    *,
    relation: str,
    cue: str,
    stance: str,
    verb: Any,
    actor: Any,
    speaker_head: Any,
    sources: Sequence,
    tokens: list[Any],
) -> tuple:
    value: dict[str, Any] = {
        "relation": relation,
        "speaker": None,
        "canonical": None,
        "type": "none",
        "organisation": None,
        "via": None,
    }
    who = None
    if speaker_head is not None:  # "prosecutors accused him", "he was accused by critics"
        named = _named(speaker_head)
        who = describe(named, doc, settings) or describe_speaking(named, doc, settings)
    if who is not None and who["type"] == "unresolved" and speaker_head.lower_ in ("we", "i"):
        who = None  # "'We blame Iran,' Kirby said": the quoted speaker is the source
    if who is not None:
        value.update({k: who[k] for k in ("speaker", "canonical", "type", "organisation")})
        tokens = tokens + who["tokens"] + np_tokens(speaker_head)
    else:
        src = _speaker_from(sources, verb)
        if src is not None:
            value.update(
                {k: src.get(k) for k in ("speaker", "canonical", "type", "organisation", "via")}
            )
    if actor is None:
        value.update(actor=None, actor_canonical=None, actor_type="none")
    else:
        named = _named(actor)
        found = describe(named, doc, settings)
        # "blamed Assad's forces for the strikes": the parser may hang the reason on the
        # actor; what they are blamed for is not who they are
        reason = {
            t.i
            for c in named.children
            if c.dep_ == "prep" and c.lower_ == "for" and c.i > named.i
            for t in c.subtree
        }
        atoks = [
            t
            for t in (
                strip_articles(found["tokens"] if found else np_tokens(named))
                or np_tokens(named)  # an actor that is only "the": keep the word
            )
            if t.i not in reason
        ]
        text = (
            found["speaker"] if found and found["speaker"] and not reason else text_of(doc, atoks)
        )
        value.update(
            actor=text,
            actor_canonical=canonical_name(text, settings=settings),
            actor_type=found["type"] if found else "unknown",
        )
        tokens = tokens + atoks + np_tokens(actor)
    value.update(cue=cue, stance=stance)
    if _child(verb, "neg") is not None:  # the negation is part of the evidence
        tokens += [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg")]
    start, end = span_of([verb, *tokens])
    return start, end, value


def blame_in(
    doc: Any, sources: Sequence[tuple[Any, list[Any], dict]], *, settings: Settings | None = None
) -> list[tuple[int, int, dict]]:
    """(start, end, value) for every blame or responsibility cue in ``doc``."""
    found: list[tuple[int, int, dict]] = []
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        for item in _cues(verb):
            relation, cue, stance, actor_head, speaker_head, extra = item
            # no actors at all for "who was behind it"; [None] for "no group claimed it"
            for actor in _actors(actor_head) if actor_head is not None else [None]:
                found.append(
                    _build(
                        doc,
                        settings,
                        relation=relation,
                        cue=cue,
                        stance=stance,
                        verb=verb,
                        actor=actor,
                        speaker_head=speaker_head,
                        sources=sources,
                        tokens=list(extra),
                    )
                )
    return found


def _cues(verb: Any) -> list[tuple]:
    """(relation, cue, stance, actor head, speaker head, extra evidence tokens)."""
    held = _withheld(verb)
    subj = _child(verb, "nsubj")
    if subj is None and held is not None:
        subj = _child(held, "nsubj")
    if held is None:
        return _cues_of(verb, subj, neg=_child(verb, "neg") is not None)
    phrase = doc_text(verb.doc)[held.idx : verb.idx + len(verb.text)]  # "declined to blame"
    return [
        (r, phrase, "denied", a, sp, [*x, held])
        for r, _c, _s, a, sp, x in _cues_of(verb, subj, neg=False)
    ]


def _withheld(verb: Any) -> Any:
    """The verb that withholds this one ("declined to blame", "stopped short of blaming")."""
    tok = verb
    for _ in range(4):
        if tok.dep_ not in ("xcomp", "pcomp", "pobj", "prep", "advmod", "acomp"):
            return None
        tok = tok.head
        if tok.lemma_.lower() in WITHHOLDING and tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def blame_on(verb: Any) -> Any:
    """The "on" of "blamed X on Y", which names who is blamed: the verb's own, or one the
    parser hung inside the object ("blamed [the attack on Damascus]", "blamed [the attack
    in Khan Sheikhoun on Damascus]"). Not an "on" under another preposition: in "blamed
    Russia for the strike on Idlib" Idlib is where the strike fell."""
    if verb.lemma_.lower() != "blame":
        return None
    own = _child(verb, "prep", text="on")
    dobj = _child(verb, "dobj")
    if own is not None or dobj is None:
        return own
    for tok in dobj.subtree:
        if tok.dep_ != "prep" or tok.lower_ != "on":
            continue
        # the path up to the object runs through nouns and "in"/"at"/"near" phrases only
        node, ok = tok.head, True
        while node.i != dobj.i and ok:
            ok = node.dep_ in ("pobj", "compound", "conj") or (
                node.dep_ == "prep" and node.lower_ in ("in", "at", "near")
            )
            node = node.head
        if ok:
            return tok
    return None


def _cues_of(verb: Any, subj: Any, *, neg: bool) -> list[tuple]:
    lemma, dobj = verb.lemma_.lower(), _child(verb, "dobj")
    stance = "denied" if neg else "asserted"
    said = _neg_cue(verb) if neg else verb.lower_  # "blamed" / "did not blame"
    passive = _child(verb, "nsubjpass", "auxpass") is not None
    if passive:  # "was blamed on X by officials"
        subj = _pobj(_child(verb, "agent"))
    if lemma == "blame":
        on = blame_on(verb)
        if _pobj(on) is not None:
            return [("blame", said if neg else f"{said} ... on", stance, _pobj(on), subj, [on])]
        if dobj is not None and not _is_event(dobj):
            return [("blame", said, stance, dobj, subj, [])]
        blamed, for_ = _child(verb, "nsubjpass"), _child(verb, "prep", text="for")
        if passive and blamed is not None and for_ is not None and not _is_event(blamed):
            # "peacekeepers have been blamed for the outbreak": who is blamed, by someone
            # the sentence may not name (then the speaker stays unknown)
            return [("blame", said, stance, blamed, subj, [for_])]
    elif lemma == "accuse" and dobj is not None and not passive:
        return [("blame", said, stance, dobj, subj, [])]
    elif lemma == "accuse" and passive and _child(verb, "nsubjpass") is not None:
        of = _child(verb, "prep", text="of")  # "the mayor was accused of fraud"
        return [("blame", said, stance, _child(verb, "nsubjpass"), subj, [of] if of else [])]
    elif lemma == "attribute" and _pobj(_child(verb, "prep", text="to")) is not None:
        to = _child(verb, "prep", text="to")
        return [("blame", said if neg else f"{said} ... to", stance, _pobj(to), subj, [to])]
    elif lemma == "hold" and dobj is not None:
        resp = _child(verb, "oprd", "acomp", "xcomp", "ccomp")
        if resp is not None and resp.lower_ in ("responsible", "accountable"):
            return [("blame", f"{said} {resp.lower_}", stance, dobj, subj, [resp])]
    elif lemma in DOER_VERBS:
        prt = _child(verb, "prt")
        words = said + (f" {prt.lower_}" if prt is not None else "")  # "carried out"
        agent = _child(verb, "agent")
        if lemma == "carry" and prt is None:
            return []
        if _pobj(agent) is not None:
            return [("responsibility", f"{words} by", stance, _pobj(agent), None, [agent])]
        if (
            lemma in ACTIVE_DOERS
            and not passive
            and subj is not None
            and _is_event(dobj)
            and _definite(dobj)
        ):
            return [("responsibility", words, stance, subj, None, [dobj])]
    elif lemma in ("claim", "take") and dobj is not None and dobj.lemma_.lower() in CLAIMED:
        cue = f"{verb.lower_} {dobj.lower_}"
        det = _child(subj, "det") if subj is not None else None
        if subj is not None and (
            subj.lower_ in _NOBODY or (det is not None and det.lower_ == "no")
        ):
            return [("responsibility", cue, "denied", None, None, [*np_tokens(subj), dobj])]
        if subj is not None:
            return [("responsibility", cue, stance, subj, subj, [dobj])]
    elif lemma in ("deny", "reject") and subj is not None:
        comp = _child(verb, "ccomp")
        target = (
            dobj
            if dobj is not None and dobj.lemma_.lower() in INVOLVEMENT
            else (_child(comp, "dobj") if comp is not None else None)
        )  # "denied it had any role"
        if target is not None and target.lemma_.lower() in INVOLVEMENT:
            gap = " " if target is dobj else " ... "
            return [
                (
                    "responsibility",
                    f"{verb.lower_}{gap}{target.lower_}",
                    "denied",
                    subj,
                    subj,
                    [target],
                )
            ]
        comp = _child(verb, "xcomp", "pcomp")  # "denied carrying out the attack"
        if comp is not None and comp.lemma_.lower() in DOER_VERBS:
            return [
                ("responsibility", f"{verb.lower_} {comp.lower_}", "denied", subj, subj, [comp])
            ]
    elif lemma == "be" and subj is not None:
        behind, resp = _child(verb, "prep", text="behind"), _child(verb, "acomp")
        if behind is not None and _is_event(_pobj(behind)):
            return [("responsibility", f"{said} behind", stance, subj, None, [behind])]
        if resp is not None and resp.lower_ == "responsible":
            return [("responsibility", f"{said} responsible", stance, subj, None, [resp])]
    return []
