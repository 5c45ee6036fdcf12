"""Attributions: who says so, who is blamed, who did it.

``find_attributions`` returns one ``Fact`` (kind "attribution") per cue, with
its evidence span; ``value["relation"]`` is ``source`` ("said John Kirby", "A
top US official told Fox News", "according to Marine Corps Times"), ``blame``
("blamed the attack on ...") or ``responsibility`` ("carried out by ...",
"claimed responsibility", "denied involvement"). ``blame.py`` reads those cues
from the spaCy dependency parse (the cue words are ``data/cues.txt``), ``speakers.py``
names and types who a cue points at (``named_person``, ``official_role``,
``anonymous_official``, ..., ``unresolved`` for a pronoun), ``quotes.py`` links quotations
to their cue across sentences. ``resolve_speakers`` below gives pronouns and definite nouns
("the spokesman", "the newspaper") the name an earlier sentence used.

A reader that fails raises: the one guard is in ``stage.py``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from comparer.facts.blame import blame_in, regex_sources, sources_in
from comparer.facts.bodies import TOO_GENERIC, listed_body, may_be_called
from comparer.facts.context import ArticleContext
from comparer.facts.names import fold
from comparer.facts.nlp import doc_text, parsed_at
from comparer.facts.people import gender_of, person_names, title_gender
from comparer.facts.speakers import ANON_NOUNS, OUTLET_NOUNS, ROLE_NOUNS, is_outlet_name, span_of
from comparer.records import Fact, Sentence
from comparer.settings import Settings


# ---------------------------------------------------------------- public API
def find_attributions(
    sentence: Sentence, doc: Any, *, ctx: ArticleContext, settings: Settings
) -> list[Fact]:
    """Source, blame and responsibility attributions in one sentence."""
    text = sentence.text
    if not isinstance(text, str) or not text.strip():
        return []
    # the parse of this sentence, or of its sentence-cased headline (same length)
    parsed = doc_text(doc) if hasattr(doc, "user_data") else None
    if parsed is None or len(parsed) != len(text) or parsed_at(text, parsed) != 0:
        spans = regex_sources(text, settings=settings)
    else:
        sources = sources_in(doc, settings)
        spans = [(*span_of(tokens), value) for _cue, tokens, value in sources]
        spans += blame_in(doc, sources, settings=settings)
    # A learned stance on words a blame or responsibility reading took ("denied" in "denied
    # involvement", "claimed" in "claimed responsibility") would say the same more vaguely.
    taken = [(s, e) for s, e, v in spans if v.get("relation") != "source"]
    spans = [
        (s, e, v)
        for s, e, v in spans
        if v.get("cue_kind") != "stance" or not any(a < e and s < b for a, b in taken)
    ]
    facts, seen = [], set()
    for start, end, value in sorted(spans, key=lambda s: (s[0], s[1])):
        while end > start and text[end - 1] in " ,;:":
            end -= 1
        key = (start, end, value.get("relation"), value.get("actor"))
        if end <= start or key in seen:
            continue
        seen.add(key)
        facts.append(
            Fact(
                source_id=sentence.source_id,
                sentence=sentence.index,
                kind="attribution",
                text=text[start:end],
                start=start,
                end=end,
                value=dict(value),
            )
        )
    return facts


# ---------------------------------------------------------------- who "he" and "the spokesman" are
# Nouns a definite description can point back with ("the newspaper", "the ministry").
OUTLET_BACK = frozenset(OUTLET_NOUNS | {"magazine", "network", "station", "publication"})
BODY_BACK = frozenset(
    """ministry campaign committee department company agency group organization
    organisation government party administration office council commission board
    foundation institute observatory monitor militia coalition army military police fund bank
    court union charity""".split()
)
PERSON_BACK = frozenset(
    ROLE_NOUNS
    | ANON_NOUNS
    | {
        "senator",
        "candidate",
        "nominee",
        "lawmaker",
        "congressman",
        "congresswoman",
        "businessman",
        "businesswoman",
        "lawyer",
        "attorney",
        "author",
        "professor",
    }
)
_BODY_NAME = re.compile(
    # "the Ministry of Health" before "The Ministry": at one position the first that fits wins
    r"(?P<name>\b(?:The\s+|the\s+)?(?:Ministry|Department|Office|Committee) of (?:the )?"
    r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*|"
    r"(?:[A-Z][\w'\u2019.&-]*\s+){1,4}(?:campaign|administration)\b|"
    r"(?:[A-Z][\w'\u2019.&-]*\s+){1,4}(?:Ministry|Department|Committee|Campaign|Party|Agency|"
    r"Company|Commission|Council|Foundation|Institute|Observatory|Fund|Bank|Court|Union|"
    # and a name's "for"/"of" tail: "the Syrian Observatory for Human Rights"
    r"Charity)\b(?:\s+(?:for|of)\s+(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)?)"
)
_OUTLET_NAME = re.compile(r"(?<!\w)(?:[A-Z][\w&'-]*\s+){0,3}[A-Z][\w&'-]*")
# Name mentions that are not speakers point back this far (sentences); speakers, any distance.
MENTION_WINDOW = 4


@dataclass
class _Mention:
    """Someone or something an article names, in reading order."""

    sentence: int
    start: int
    written: str  # as the article wrote it ("Sen. Elizabeth Warren")
    kind: str  # person, body, outlet
    value: dict  # speaker, canonical, type, organisation
    gender: str | None = None
    plural: bool = False
    roles: frozenset[str] = frozenset()
    spoke: bool = False

    @property
    def at(self) -> tuple[int, int]:
        return self.sentence, self.start


def _name_mentions(sentences: Sequence[Sentence], speakers: set[str]) -> list[_Mention]:
    """People (``people.py``) and bodies named in the text, whether or not they speak there."""
    out: list[_Mention] = []
    surnames: set[str] = set()
    for s in sentences:
        words = re.findall(r"[a-z]+", s.text.lower())
        for p in person_names(s.text, surnames=surnames, known=speakers):
            near = set(
                words[max(0, _word_index(s.text, p.start) - 6) : _word_index(s.text, p.end) + 6]
            )
            out.append(
                _Mention(
                    s.index,
                    p.start,
                    p.written,
                    "person",
                    {
                        "speaker": p.name,
                        "canonical": p.name,
                        "type": "named_person",
                        "organisation": None,
                    },
                    gender=gender_of(p.written),
                    roles=frozenset(near & PERSON_BACK),
                )
            )
        for m in _OUTLET_NAME.finditer(s.text):  # "The Daily Ledger published ..."
            name = re.sub(r"^(?:The|A)\s+", "", m.group(0))
            if is_outlet_name(name):
                out.append(
                    _Mention(
                        s.index,
                        m.start(),
                        m.group(0),
                        "outlet",
                        {
                            "speaker": name,
                            "canonical": name,
                            "type": "news_outlet",
                            "organisation": None,
                        },
                    )
                )
        for m in _BODY_NAME.finditer(s.text):
            # a capitalised article inside the run starts the name: the words before it end
            # a sentence that lost its full stop ("35 killed - YouTube The Observatory said")
            name = re.sub(r"^(?:.*\s)?(?:The|A)\s+|^the\s+", "", m.group("name").strip())
            out.append(
                _Mention(
                    s.index,
                    m.start(),
                    name,
                    "body",
                    {
                        "speaker": name,
                        "canonical": name,
                        "type": "organisation",
                        "organisation": None,
                    },
                )
            )
    return out


def _word_index(text: str, pos: int) -> int:
    return len(text[:pos].split())


def _speaker_mention(fact: Fact) -> _Mention | None:
    value, kind = fact.value, fact.value.get("type")
    words = fold(str(value.get("speaker") or "")).split()
    plural = any(w[-1:] == "s" and w[:-1] in ANON_NOUNS | ROLE_NOUNS for w in words) or (
        "people" in words
    )
    keep = {k: value.get(k) for k in ("speaker", "canonical", "type", "organisation")}
    if kind in ("named_person", "official_role") or (kind == "anonymous_official" and not plural):
        return _Mention(
            fact.sentence,
            fact.start,
            str(value.get("speaker")),
            "person",
            keep,
            gender=gender_of(fact.text),
            spoke=True,
            roles=frozenset(set(fold(fact.text).split()) & PERSON_BACK),
        )
    if kind in ("organisation", "news_outlet", "anonymous_official", "anonymous_other"):
        return _Mention(
            fact.sentence,
            fact.start,
            str(value.get("speaker")),
            "outlet" if kind == "news_outlet" else "body",
            keep,
            spoke=True,
            plural=plural or kind in ("anonymous_official", "anonymous_other"),
        )
    return None


def _definite_back(fact: Fact) -> tuple[str, str] | None:
    """("person"|"body"|"outlet", noun) for a definite description that points back: "the
    spokesman said", "the newspaper reported" -- not "a spokesman", not "officials"."""
    speaker = str(fact.value.get("speaker") or "")
    words = fold(speaker).split()
    if (
        not words
        or len(words) > 3
        or speaker[:1].isupper()
        and fact.value.get("type") in ("named_person",)
    ):
        return None
    head = words[-1]
    if any(w[:1].isupper() for w in speaker.split()[:-1]):
        return None  # "the Trump campaign", "the Pentagon spokesman": named, not pointing back
    # fold() drops articles: the definite article is looked for in the words as written
    if not re.search(rf"\bthe\s+(?:\w+\s+){{0,2}}{re.escape(head)}\b", fact.text.lower()):
        return None
    if head in PERSON_BACK:
        return "person", head
    if head in OUTLET_BACK:
        return "outlet", head
    if head in BODY_BACK:
        return "body", head
    return None


def _body_description(fact: Fact) -> str | None:
    """The words of a speaker that describes a body without naming it -- "a monitor", "the
    war monitor", "a Britain-based monitoring group" (where it sits is capitalised, and is
    no name; ``bodies.may_be_called`` sets it aside) -- or None for a name ("the Trump
    campaign"), a lone generic noun ("a group" may be any group) or no body at all."""
    if fact.value.get("type") not in ("organisation", "anonymous_other"):
        return None
    words = str(fact.value.get("speaker") or "").split()
    if (
        not words
        or len(words) > 4
        or any(w[:1].isupper() and not w.lower().endswith("-based") for w in words)
    ):
        return None
    folded = fold(" ".join(words))
    last = folded.split()[-1:]
    if folded in TOO_GENERIC or not last or last[0] not in BODY_BACK:
        return None
    return folded


def _the_one_body(
    spoken: Sequence[_Mention], mentions: Sequence[_Mention], here: tuple[int, int], noun: str
) -> _Mention | None:
    """The body a description of one ("a monitor", "the war monitor") stands for, when the
    article names exactly one listed body that may be called so (``bodies.may_be_called``):
    its nearest mention before the speaker, else its first after. Wire copy introduces the
    Observatory as "a monitor" in the headline and lead and names it further down; with two
    such bodies named the description stays as written."""
    fits = [m for m in (*spoken, *mentions) if m.kind == "body" and _answers_to(m, noun)]
    if (
        len({listed_body(str(m.value.get("canonical") or m.value.get("speaker"))) for m in fits})
        != 1
    ):
        return None
    before = [m for m in fits if m.at < here]
    if before:
        return max(before, key=lambda m: m.at)
    return min(fits, key=lambda m: m.at)


def resolve_speakers(
    facts: Sequence[Fact], *, settings: Settings | None = None, sentences: Sequence[Sentence] = ()
) -> list[Fact]:
    """Give pronoun, surname and definite-noun speakers the name used earlier in the article.

    A post-pass over one article's facts in reading order (``sentences``: the article's, for
    the names it mentions without quoting them):

    - "he"/"she" take the nearest person before them whose gender agrees (a title, a role
      word or a given name; unknown agrees with both): a speaker anywhere earlier, or a
      person named in the last few sentences ("Sen. Alvarez voted no. ... she said");
    - "they" the nearest group, body or several speakers; "it" the nearest body or outlet;
    - "the spokesman"/"the official" the nearest person introduced with that word ("John
      Kirby, the Pentagon spokesman"); "the newspaper" the nearest outlet; "the ministry" /
      "the campaign" the nearest body whose name holds the word;
    - a lone surname ("Kirby said") keeps its words and gets the longest form of the name
      the article uses ("John Kirby") as ``canonical``.

    A replaced speaker stays in ``written``; ``resolved_from`` is the mention it points at.
    """
    speakers_named = {
        fold(str(f.value.get("speaker")))
        for f in facts
        if f.kind == "attribution"
        and f.value.get("type") == "named_person"
        and f.value.get("speaker")
    }
    mentions = _name_mentions(sentences, speakers_named)
    full_names = [m for m in mentions if m.kind == "person" and len(m.value["speaker"].split()) > 1]
    _surname_genders(mentions, full_names)
    out: list[Fact] = []
    spoken: list[_Mention] = []
    for fact in facts:
        speaker = fact.value.get("speaker") if fact.kind == "attribution" else None
        if not isinstance(speaker, str):
            out.append(fact)
            continue
        value, kind, here = fact.value, fact.value.get("type"), (fact.sentence, fact.start)
        target: _Mention | None = None
        pronoun = fold(speaker)
        pronoun_gender = {"he": "m", "she": "f"}.get(pronoun) if kind == "unresolved" else None
        if pronoun_gender is not None:
            target = _nearest(spoken, mentions, here, kind="person", gender=pronoun_gender)
        elif kind == "unresolved" and pronoun == "they":
            target = _nearest(
                [m for m in spoken if m.plural or m.kind == "body"],
                [],
                here,
                kind=("body", "outlet"),
            )
        elif kind == "unresolved" and pronoun == "it":
            target = _nearest(
                [
                    m
                    for m in spoken
                    if not m.plural or m.value.get("type") in ("organisation", "news_outlet")
                ],
                [],
                here,
                kind=("body", "outlet"),
            )
        elif kind not in ("unresolved", None):
            back = _definite_back(fact)
            if back is not None:
                target = _nearest(spoken, mentions, here, kind=back[0], noun=back[1])
            if target is None and (described := _body_description(fact)) is not None:
                target = _the_one_body(spoken, mentions, here, described)
        new: dict[str, Any] | None = None
        if target is not None:
            name = target.value.get("canonical") or target.value.get("speaker")
            new = {
                **target.value,
                "speaker": _longest(name, full_names, here, gender=pronoun_gender) or name,
                "written": speaker,
                "resolved_from": target.written,
            }
            new["canonical"] = new["speaker"] if target.kind == "person" else name
        elif kind in ("named_person", "organisation") and " " not in speaker.strip():
            full = _longest(speaker, full_names, here, spoken=spoken)
            if full and full != speaker:  # the surname of someone named: keep it as written
                new = {"canonical": full, "type": "named_person"}
        if value.get("needs_antecedent"):
            if new is None:
                continue  # a stance of "it" that points at no body the article names
            value = {k: v for k, v in value.items() if k != "needs_antecedent"}
        if new is not None:
            value = {**value, **new}
            fact = dataclasses.replace(fact, value=value)
        mention = _speaker_mention(fact)
        if mention is not None:
            _surname_genders([mention], full_names)
            spoken.append(mention)
        out.append(fact)
    return out


def _surname_genders(mentions: Sequence[_Mention], full_names: Sequence[_Mention]) -> None:
    """A person named by surname alone ("Trump said") takes the gender of the full names the
    article gives that surname ("Donald Trump"), so that "she said" does not point at him;
    not when they disagree ("Bill Clinton" and "Hillary Clinton": "Clinton" is either)."""
    for m in mentions:
        if m.kind != "person":
            continue
        words = fold(str(m.value.get("speaker") or "")).split()
        # A lone word the article also gives as a surname is that surname ("Scott said"
        # after "Keith Lamont Scott"), whatever given name it looks like; a title still wins.
        lone = len(words) == 1 and title_gender(m.written) is None
        if m.gender is not None and not lone:
            continue
        last = words[-1:]
        if not last:
            continue
        genders = {
            gender_of(str(f.value["speaker"]))
            for f in full_names
            if fold(str(f.value["speaker"])).split()[-1:] == last
        }
        if len(genders) == 1:
            m.gender = genders.pop()


def _nearest(
    spoken: list[_Mention],
    mentions: list[_Mention],
    here: tuple[int, int],
    *,
    kind: str | tuple[str, ...],
    gender: str | None = None,
    noun: str | None = None,
) -> _Mention | None:
    kinds = (kind,) if isinstance(kind, str) else kind
    best: _Mention | None = None
    pool = [*spoken, *(m for m in mentions if here[0] - m.sentence <= MENTION_WINDOW)]
    for m in pool:
        if m.at >= here or m.kind not in kinds:
            continue
        if gender is not None and (m.plural or (m.gender is not None and m.gender != gender)):
            continue
        if noun is not None and not _answers_to(m, noun):
            continue
        if best is None or m.at > best.at:
            best = m
    return best


def _answers_to(m: _Mention, noun: str) -> bool:
    """Can "the <noun>" mean this mention?"""
    if m.kind == "person":
        return noun in m.roles and m.value.get("type") == "named_person"
    if m.kind == "outlet":
        return noun in OUTLET_BACK
    name = str(m.value.get("canonical") or m.value.get("speaker"))
    return noun in fold(str(m.value.get("speaker"))).split() or may_be_called(name, noun)


def _longest(
    name: str | None,
    full_names: list[_Mention],
    here: tuple[int, int],
    *,
    spoken: Sequence[_Mention] = (),
    gender: str | None = None,
) -> str | None:
    """The longest form of a person's name the article uses: the nearest full name before
    ``here`` whose last word is ``name``'s last word, else the first one after it. With a
    ``gender`` (the "she" that points at "Kane"), only a full name that may have it."""
    if not name:
        return None
    last = fold(name).split()[-1:]
    if not last:
        return None
    pool = [
        *full_names,
        *(m for m in spoken if m.kind == "person" and m.value.get("type") == "named_person"),
    ]
    same = [
        m
        for m in pool
        if fold(m.value["speaker"]).split()[-1:] == last
        and len(m.value["speaker"].split()) > len(name.split())
        and (gender is None or gender_of(str(m.value["speaker"])) in (None, gender))
    ]
    before = [m for m in same if m.at < here]
    pick = (
        max(before, key=lambda m: m.at) if before else min(same, key=lambda m: m.at, default=None)
    )
    return pick.value.get("canonical") or pick.value["speaker"] if pick else None
