"""Speakers: naming the noun phrase an attribution cue points at.

Shared by the attribution readers: ``blame.py`` finds the cues in the parse and
``attributions.py`` holds the public entry points. A noun phrase is cut to its core
(modifiers and of/for-phrases; no relative clause, apposition or participle) and
classified as ``type``:

==================  ======================================================
named_person        a name, titles stripped ("Defense Secretary Lloyd
                    Austin" -> "Lloyd Austin")
official_role       a definite office naming one unnamed person ("The
                    Pentagon press secretary"): identifiable, so kept apart
                    from anonymous_official
anonymous_official  officials, sources, "a spokesman for X", "the US official"
anonymous_other     witnesses, residents, activists, medics
organisation        institution, government, capital, group or militia
news_outlet         built-in outlet list, a name ending in Times/News/Post/
                    Agency/..., "state media", "news agency"
document            evidence with no author named: a poll, a study, a transcript,
                    data ("polls show", "according to a new survey")
unresolved          a pronoun ("he said"); see ``resolve_speakers``
none                no speaker ("according to a statement")
==================  ======================================================

``organisation`` (canonical) is the body an official speaks for ("a spokesman
for Kataib Hezbollah"; "US officials" -> "United States"). The alias table of
``names.py`` outranks NER, which tags "Kataib Hezbollah" as a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import dropwhile
from typing import Any

from comparer.facts.headlines import is_title_case
from comparer.facts.names import BUILTIN_ALIASES, canonical_name, fold, given_names
from comparer.facts.nlp import QUOTE_TOKENS, doc_text
from comparer.settings import Settings


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRONOUNS = word_set("""he she they it we i you""")
TITLE_WORDS = word_set("""president vice secretary minister spokesman spokeswoman spokesperson
    gen general lt lieutenant col colonel maj major capt captain adm admiral brig sgt sergeant
    sen senator rep representative gov governor mayor dr mr mrs ms prof chief commander cmdr
    ambassador envoy director chairman sheikh king prince ayatollah premier pm cllr councillor
    councilor judge justice sir dame lord rabbi imam pastor bishop rev reverend""")
# Words that sit in front of a title without naming a body ("Press Secretary", "Defense Secretary").
TITLE_MODIFIERS = word_set("""press defense defence foreign interior prime deputy vice assistant
    senior acting former top state chief""")
ROLE_NOUNS = word_set("""spokesman spokeswoman spokesperson secretary minister president chief
    commander director ambassador envoy governor general head chairman leader premier mayor
    administrator adviser advisor colonel lieutenant admiral captain""")
ANON_NOUNS = word_set("""official officer source diplomat aide insider person people staffer
    investigator representative""")
OTHER_NOUNS = word_set("""witness resident activist doctor medic villager survivor eyewitness
    local journalist reporter correspondent analyst expert""")
# Bodies, plus name parts that mark armed groups ("Kataib Hezbollah" is not a person).
ORG_NOUNS = word_set("""militia group ministry army military government coalition command
    department observatory monitor police administration embassy office organization
    organisation movement council force regime authority alliance committee brigade party
    faction pentagon kremlin mission headquarters cabinet parliament agency presidency house
    center centre corps guard guards service unit network battalion division hezbollah
    hizbullah hizballah brigades kataib saraya asaib harakat jihad taliban qaeda isis isil
    daesh hamas houthis irgc pmf hashd cell directorate bureau secretariat""")
OUTLET_NOUNS = word_set("""media medium television tv newspaper broadcaster channel radio outlet
    daily paper wire newswire website tabloid journal magazine""")
DOCUMENT_NOUNS = word_set("""statement report communique release readout post tweet announcement
    letter message note notice poll survey study analysis research transcript memo filing
    document ad advertisement video book article editorial column interview findings data
    figures statistics records estimate estimates clip slide presentation complaint brief
    lawsuit suit ruling decision average chart graphic footage recording tape photo image
    website page email""")
# Documents that carry findings of their own: with no author named they are still a source a
# reader can look up ("polls show", "according to the transcript"); a statement, a letter or
# a tweet without its author names no one ("according to a statement": type none), and a
# video or footage "shows" a scene, not a finding.
FINDING_NOUNS = word_set("""poll survey study analysis research transcript data figures
    statistics records estimate estimates average averages chart findings slide presentation
    document""")
# Common nouns that are no names when capitalised in a title-case headline ("New Poll
# Shows ...") nor when the tagger calls them proper nouns ("the defence ministry").
_COMMON_NOUNS = DOCUMENT_NOUNS | FINDING_NOUNS | OUTLET_NOUNS | ORG_NOUNS
OUTLET_SUFFIXES = word_set("""times news post press wire journal tribune herald gazette
    telegraph guardian chronicle daily broadcasting television tv radio network newspaper
    reuters ledger courier dispatch bulletin observer express mirror examiner inquirer""")
OUTLETS = frozenset(
    fold(n)
    for n in """Fox News|Fox|ABC News|ABC|CNN|Reuters|AP|
    Associated Press|AFP|Agence France-Presse|Agence France Presse|BBC|BBC News|
    Marine Corps Times|Military Times|Defense News|New York Times|NYT|Al Jazeera|Aljazeera|
    Al Arabiya|SANA|Syrian Arab News Agency|NBC|NBC News|CBS|CBS News|Washington Post|
    Wall Street Journal|WSJ|Politico|The Hill|Axios|Bloomberg|The Guardian|The Independent|
    Daily Mail|IRNA|Tasnim|Fars|Press TV|Rudaw|Kurdistan 24|Sky News|DPA|Xinhua|TASS|RIA Novosti|
    Anadolu|Anadolu Agency|HNGN|VOA|Voice of America|NPR|MSNBC|USA Today|Los Angeles Times|
    Financial Times|Times of Israel|Jerusalem Post|Haaretz|Al-Monitor|Middle East Eye|
    Defense One|Stars and Stripes|Breaking Defense|New York Post|Daily Beast|Vice News|HuffPost|
    Business Insider|Newsweek|The Economist|Al Mayadeen TV|Al-Manar|Al Manar|Sputnik|RT|
    Shafaq News|Al Sumaria|Kurdistan24|Euronews|Deutsche Welle|DW|France 24|The National|
    Arab News|Asharq Al-Awsat|Al-Ahram""".split("|")
)  # fold() drops the line breaks
_NP_DEPS = word_set("""det amod compound nmod poss case nummod quantmod npadvmod advmod predet
    prep pobj""")
_NP_PREPS = word_set("""of for at from in with""")
_ARTICLES = {"the", "a", "an"}


# ---------------------------------------------------------------- noun phrases
def inherited_subject(verb: Any) -> Any:
    """The speaker of a cue that has no subject of its own: "Trump tweeted, saying ...",
    "Clinton stressed ... and said ...", "an architect who said ..."."""
    tok = verb
    for _ in range(3):
        if tok.dep_ not in ("conj", "advcl", "xcomp", "relcl", "pcomp") or tok.head.i == tok.i:
            return None
        if tok.dep_ == "relcl":  # "an architect who said": the noun the clause hangs on
            return tok.head if tok.head.pos_ in ("NOUN", "PROPN") else None
        tok = tok.head
        if tok.dep_ == "prep" and tok.head.i != tok.i:  # "began by saying": past the "by"
            tok = tok.head
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj
    return None


def np_tokens(head: Any, *, _top: bool = True) -> list[Any]:
    """The core noun phrase of ``head``: modifiers and of/for-phrases, without
    relative clauses, appositions, conjuncts or participles ("John Kirby, used by ...").
    A possessor's own "'s" is left out ("the governor's claim" -> "the governor"); inside a
    longer phrase it stays ("the Pentagon's press secretary")."""
    keep = [head]
    for child in head.children:
        if child.dep_ == "punct" and child.tag_ == "HYPH":
            keep.append(child)
        elif child.dep_ in _NP_DEPS:
            if child.dep_ == "prep" and (child.lower_ not in _NP_PREPS or child.i < head.i):
                continue
            if child.dep_ == "prep" and not any(g.dep_ == "pobj" for g in child.children):
                continue  # "prosecutors of [taking bribes]": a dangling "of" names nothing
            if child.dep_ == "prep" and child.lower_ == "with" and _absolute(child):
                continue  # "the Observatory, with the death toll expected to rise": news
            if child.dep_ == "case" and _top and head.dep_ == "poss":
                continue
            if child.pos_ in ("VERB", "AUX") and _clause_not_modifier(child, head):
                continue
            keep.extend(np_tokens(child, _top=False))
    det = next((c for c in head.children if c.dep_ == "det" and c.i < head.i), None)
    if det is not None and det.text in ("The", "A", "An") and det.i > 0:
        # words before the phrase's own capitalised article belong to a sentence that lost
        # its full stop ("... 35 killed - YouTube The Observatory and the LCC said")
        keep = [t for t in keep if t.i >= det.i]
    return sorted(keep, key=lambda t: t.i)


def _clause_not_modifier(verb: Any, head: Any) -> bool:
    """A verb the parser hung on a noun as a modifier that is really the end of a clause or a
    quotation before it ('"... you can say it is completely destroyed" regime TV reported'):
    it has a subject of its own, or a quotation mark stands between it and the noun."""
    if any(g.dep_ in ("nsubj", "nsubjpass") for g in verb.children):
        return True
    lo, hi = sorted((verb.i, head.i))
    return any(t.text in QUOTE_TOKENS for t in verb.doc[lo + 1 : hi])


def _absolute(prep: Any) -> bool:
    """ "with the toll expected to rise": a with-phrase that holds a clause of its own."""
    return any(
        g.pos_ in ("VERB", "AUX") and g.dep_ in ("acl", "relcl")
        for p in prep.children
        if p.dep_ == "pobj"
        for g in p.children
    )


def span_of(tokens: Iterable[Any]) -> tuple[int, int]:
    toks = list(tokens)
    return min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)


def text_of(doc: Any, tokens: Sequence[Any]) -> str:
    start, end = span_of(tokens)
    text = doc_text(doc)
    if text[start:end].count('"') % 2:  # keep quotes paired: '"outlaw" groups'
        start -= start > 0 and text[start - 1] == '"'
        end += end < len(text) and text[end] == '"'
    return text[start:end]


def strip_articles(tokens: Sequence[Any]) -> list[Any]:
    """The phrase without its leading articles; a phrase that is only an article ("A" read
    as a noun in odd text) stays as it is, so that it still has a span."""
    return list(dropwhile(lambda t: t.lower_ in _ARTICLES, tokens)) or list(tokens)


def _compound_of(tok: Any, head: Any) -> bool:
    while tok.dep_ in ("compound", "punct") and tok.head.i != tok.i:
        tok = tok.head
        if tok.i == head.i:
            return True
    return False


def _name_chain(head: Any) -> list[Any]:
    """``head`` and the proper-noun compounds glued to its left ("New York Times")."""
    chain, doc = [head], head.doc
    for i in range(head.i - 1, -1, -1):
        tok = doc[i]
        if not (tok.pos_ == "PROPN" or tok.tag_ == "HYPH") or not _compound_of(tok, head):
            break
        chain.insert(0, tok)
    while chain and chain[0].tag_ == "HYPH":
        chain = chain[1:]
    return chain


def _is_title(token: Any) -> bool:
    return token.lower_.rstrip(".") in TITLE_WORDS


def is_outlet_name(name: str, *, alone: bool = False) -> bool:
    """A known outlet, or a name ending like one ("Marine Corps Times"); with ``alone``
    a capitalised single word will do ("told the Ledger")."""
    key = fold(name)
    words = key.split()
    if key in OUTLETS or (alone and len(words) == 1 and name[:1].isupper()):
        return key in OUTLETS or key in OUTLET_SUFFIXES
    return len(words) >= 2 and words[-1] in OUTLET_SUFFIXES and words[0] not in TITLE_WORDS


def _known_org(tokens: Sequence[Any], skip: set[int], settings: Settings | None) -> str | None:
    """The organisation an official speaks for: a proper-noun compound that is not
    part of a title ("Pentagon spokesman", "a spokesman for Kataib Hezbollah")."""
    for tok in tokens:
        if (
            tok.i in skip
            or tok.pos_ != "PROPN"
            or _is_title(tok)
            or tok.lower_ in TITLE_MODIFIERS
            or tok.ent_type_ in ("PERSON", "NORP")
        ):
            continue
        while tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and tok.head.i not in skip:
            tok = tok.head  # "White" -> "White House"
        chain = [t for t in _name_chain(tok) if t.i not in skip]  # "State Department"
        if chain:
            return canonical_name(" ".join(t.text for t in chain), settings=settings)
    for tok in tokens:
        if tok.i not in skip and tok.lemma_.lower() in {"coalition", "militia", "military"}:
            return canonical_name(tok.lower_, settings=settings)
    return None


def _is_known_actor(name: str, settings: Settings | None) -> bool:
    extra = list(settings.facts.aliases.values()) if settings is not None else []
    return canonical_name(name, settings=settings) in {*BUILTIN_ALIASES.values(), *extra}


def describe(
    head: Any, doc: Any, settings: Settings | None, *, _depth: int = 0
) -> dict[str, Any] | None:
    """Classify the noun phrase headed by ``head``: speaker text, type and organisation.

    None when the phrase is not something that speaks (the strike, a truck).
    """
    tokens = np_tokens(head)
    out: dict[str, Any] = {
        "speaker": None,
        "canonical": None,
        "type": "none",
        "organisation": None,
        "tokens": tokens,
    }
    if head.lower_ in PRONOUNS:
        return {**out, "speaker": head.text, "type": "unresolved"}
    named = None
    if (
        head.pos_ == "PROPN"
        and not (head.lower_ in _COMMON_NOUNS and title_case(doc))
        # "the Russian defence ministry" with "ministry" tagged a proper noun: a lower-case
        # common noun is no name, and read as one it lost "Russian defence"
        and not (head.is_lower and head.lower_ in _COMMON_NOUNS)
        # "rampant xenophobe": a phrase with no capital is no name (a handle such as
        # "@nycsouthpaw" is; "Park Geun-hye" ends in a lower-case word)
        and (head.text.startswith("@") or any(t.pos_ == "PROPN" and not t.is_lower for t in tokens))
    ):
        # in a title-case headline "New Poll" and "Popular Website" are no names
        named = _describe_name(head, tokens, doc, settings)
    if named is None and head.pos_ in ("PROPN", "NOUN", "X"):
        named = _describe_common(head, tokens, doc, settings, _depth=_depth)
    if named is None:
        return None
    out.update(named)
    if out["speaker"] and out["canonical"] is None:
        out["canonical"] = canonical_name(out["speaker"], settings=settings)
    return out


def _describe_name(
    head: Any, tokens: list[Any], doc: Any, settings: Settings | None
) -> dict | None:
    chain = _name_chain(head)  # titles end before the name: "Defense Secretary | Lloyd Austin"
    last = max((k for k, t in enumerate(chain) if _is_title(t)), default=-1)
    name, titled = list(dropwhile(lambda t: t.is_punct, chain[last + 1 :])), last >= 0
    # "... Observatory for Human Rights Rami Abdel Rahman" glued into one chain when the
    # commas were lost: a known given name well inside it, with a name of two words or
    # more after it, starts the person's name ("Lloyd Austin" stays whole)
    first = next(
        (k for k, t in enumerate(name) if k >= 2 and fold(t.text) in given_names()),
        None,
    )
    if (
        first is not None
        and len(name) - first >= 2
        and fold(name[first - 1].text) not in given_names()
    ):
        name, titled = name[first:], True
    full = strip_articles(tokens)
    chain_text = text_of(doc, chain)
    if is_outlet_name(chain_text) or is_outlet_name(text_of(doc, full)):
        speaker = chain_text if is_outlet_name(chain_text) else text_of(doc, full)
        return {"speaker": speaker, "type": "news_outlet"}
    left = [t for t in tokens if t.i < chain[0].i]
    titled = titled or any(_is_title(t) for t in left)
    if not name:  # "the President said": a title alone names an office
        org = _known_org(left, {t.i for t in chain}, settings)
        return {"speaker": text_of(doc, full), "type": "official_role", "organisation": org}
    ent = head.ent_type_
    # The alias table holds groups and places, never people: it overrules NER's
    # habit of tagging "Kataib Hezbollah" as a PERSON.
    known = _is_known_actor(text_of(doc, name), settings)
    orgish = known or any(fold(t.text) in ORG_NOUNS for t in full)
    if titled or (ent == "PERSON" and not orgish):
        appos = [t for c in head.children if c.dep_ == "appos" for t in np_tokens(c)]
        org = _known_org([*tokens, *appos], {t.i for t in chain}, settings)
        return {"speaker": text_of(doc, name), "type": "named_person", "organisation": org}
    if ent in ("ORG", "GPE", "NORP", "FAC", "LOC") or orgish:  # the name, not "Britain-based"
        return {
            "speaker": text_of(doc, [t for t in full if t.i >= chain[0].i]),
            "type": "organisation",
        }
    if len(name) >= 2 or ent == "":
        return {"speaker": text_of(doc, name), "type": "named_person"}
    return {"speaker": text_of(doc, full), "type": "organisation"}


def _producer(clause: Any) -> Any:
    """Who produced a document, from the clause that hangs on it: the agent of "released /
    conducted / published by X", or the place of "appeared / published in X"."""
    for c in clause.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "in")):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and (pobj.pos_ == "PROPN" or c.dep_ == "agent"):
                return pobj
    return None


def _describe_common(
    head: Any, tokens: list[Any], doc: Any, settings: Settings | None, *, _depth: int
) -> dict | None:
    lemma, lower = head.lemma_.lower(), head.lower_
    full = strip_articles(tokens)
    # An apposed name names the speaker: "the Pentagon's press secretary, John Kirby,",
    # "a spokesman for the Iraqi military, Yehia Rasool,", "a little-known group, X,".
    for child in [c for t in tokens for c in t.children if c.dep_ == "appos"]:
        if child.pos_ != "PROPN":
            continue
        named = _describe_name(child, np_tokens(child), doc, settings)
        person = child.ent_type_ == "PERSON" and named and named["type"] == "named_person"
        if (
            person
            and named
            and (lemma in ROLE_NOUNS or lemma in ANON_NOUNS or child.head.i == head.i)
        ):
            named["organisation"] = _known_org(tokens, set(), settings)
            return named
        if child.head.i == head.i and lemma in ORG_NOUNS and named:
            return {
                **named,
                "type": "organisation" if named["type"] == "named_person" else named["type"],
            }
    det = next((c.lower_ for c in head.children if c.dep_ in ("det", "poss")), "")
    plural = head.tag_ in ("NNS", "NNPS")
    # "data" and "statistics" have the lemmas "datum" and "statistic": the word counts too
    if (lemma in DOCUMENT_NOUNS or lower in DOCUMENT_NOUNS) and _depth < 2:  # "a statement from"
        for child in head.children:  # ... "the Pentagon's statement", "a Pentagon statement"
            target = (
                child
                # "a Washington Post-ABC News poll": the parser hangs a hyphenated name as nmod
                if (
                    child.dep_ == "poss"
                    or (child.dep_ in ("compound", "nmod") and child.pos_ == "PROPN")
                )
                and child.ent_type_ not in ("DATE", "TIME")  # "a June report"
                # in a title-case headline "New Poll" is no producer; "Gallup Poll" is
                and not (child.ent_type_ == "" and title_case(doc))
                else None
            )
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
            if child.dep_ in ("acl", "relcl") and target is None:
                target = _producer(child)  # "a study released by X", "that appeared in X"
            found = None if target is None else describe(target, doc, settings, _depth=_depth + 1)
            if found is not None:  # the evidence runs on to the author: "a report by X"
                return {
                    **found,
                    "tokens": sorted({*tokens, child, *found["tokens"]}, key=lambda t: t.i),
                }
        if lemma in FINDING_NOUNS or lower in FINDING_NOUNS:
            return {"speaker": text_of(doc, full), "type": "document"}
        return {"speaker": None, "type": "none"}
    if (
        lemma in OUTLET_NOUNS
        or lower in OUTLET_NOUNS
        or (lemma == "agency" and any(t.lower_ == "news" for t in tokens))
    ):
        # the outlet's own name, not a place, a people or a person it belongs to ("the
        # Assad regime's official television channel" is no outlet called "Assad"), nor a
        # lower-case word the tagger called a proper noun ("the state news agency")
        names = [
            t
            for t in tokens
            if t.pos_ == "PROPN" and not t.is_lower and t.ent_type_ not in ("GPE", "NORP", "PERSON")
        ]
        speaker = text_of(doc, _name_chain(names[-1])) if names else text_of(doc, full)
        return {"speaker": speaker, "type": "news_outlet"}
    org = _known_org(tokens, {head.i}, settings)
    if lemma in ANON_NOUNS or lower in ANON_NOUNS:
        return {"speaker": text_of(doc, full), "type": "anonymous_official", "organisation": org}
    if lemma in ROLE_NOUNS or lower in ROLE_NOUNS:
        anonymous = plural or det in ("a", "an", "another", "one", "some", "two", "several")
        kind = "anonymous_official" if anonymous else "official_role"
        return {"speaker": text_of(doc, full), "type": kind, "organisation": org}
    if lemma in OTHER_NOUNS or lower in OTHER_NOUNS:
        return {"speaker": text_of(doc, full), "type": "anonymous_other"}
    if lemma in ORG_NOUNS or lower in ORG_NOUNS or lemma == "authorities":
        return {"speaker": text_of(doc, full), "type": "organisation"}
    return None


def title_case(doc: Any) -> bool:
    """Is the sentence a headline in title case ("New Poll Shows Minor Bump For Clinton")?
    Its verbs are capitalised like every other word, so a capital says nothing there.
    Asked for many tokens of one sentence: the answer is kept on the doc."""
    known = doc.user_data.get("title_case")
    if known is None:
        known = doc.user_data["title_case"] = is_title_case(doc_text(doc))
    return bool(known)


# ---------------------------------------------------------------- any speaking noun
def describe_speaking(subj: Any, doc: Any, settings: Settings | None) -> dict | None:
    """The subject of a reporting cue that ``describe`` does not know, when it can speak: a
    capitalised name ("Trump" mis-tagged as a common noun) or a noun for people or a group of
    them ("His lawyer said", "73 percent said", "the commission says"); None for "no way to
    tell" or "the stakes"."""
    if subj.lower_ in VAGUE_GROUPS and (subj.lower_ != "those" or list(subj.children)):
        # "Some say", "many of his supporters believe", "those close to him say": no one
        # is named, which is what a fact-checker wants flagged, not dropped
        tokens = np_tokens(subj)
        if subj.lower_ == "those":  # "those close to him": the phrase is the description
            tokens = sorted(
                {t for t in subj.subtree if t.i >= subj.i} - set(_clauses(subj)),
                key=lambda t: t.i,
            )
        return _speaking(text_of(doc, tokens), "anonymous_other", tokens)
    of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    members = next((g for g in of.children if g.dep_ == "pobj"), None) if of else None
    if subj.lower_ in QUANTITIES and members is not None:
        # "dozens of papers", "a number of lawmakers": the group is the speaker
        who = describe(members, doc, settings) or describe_speaking(members, doc, settings)
        if who is not None and who.get("type") not in ("none", "unresolved"):
            tokens = np_tokens(subj)
            text = text_of(doc, strip_articles(tokens))
            return {**who, "speaker": text, "canonical": text, "tokens": tokens}
    if subj.pos_ not in ("NOUN", "PROPN", "NUM", "X"):
        return None
    if not (subj.text[:1].isupper() or _human(subj)):
        return None  # "no way to tell", "the stakes ... insist": not someone speaking
    tokens = np_tokens(subj)
    # "His lawyer" -> "lawyer": a possessive pronoun names no one by itself
    full = [t for t in strip_articles(tokens) if not (t.tag_ == "PRP$" and t.i == tokens[0].i)]
    full = full or tokens
    text = text_of(doc, full)
    headline = title_case(doc)
    if headline and (subj.lower_ in FINDING_NOUNS or subj.lower_ in OUTLET_NOUNS):
        # "New Poll Shows ...", "Popular Website Shows ...": capitals name nothing here
        return _speaking(
            text, "document" if subj.lower_ in FINDING_NOUNS else "news_outlet", tokens
        )
    # "Paramedics said", "Shopkeepers said": a common noun capitalised only because it starts
    # the sentence names no body
    sentence_capital = (
        subj.i == subj.sent.start
        and subj.tag_ in ("NN", "NNS")
        and _human(subj)
        # the tagger's entity for the capital ("Paramedics" as ORG) is no evidence either,
        # unless the noun itself is a people's ("Democrats")
        and (not subj.ent_type_ or (subj.ent_type_ == "ORG" and subj.lemma_.lower() in HUMAN_NOUNS))
    )
    if subj.text[:1].isupper() and subj.lower_ not in DETERMINER_LIKE and not sentence_capital:
        kind = (
            "organisation"
            if (subj.ent_type_ in ("ORG", "NORP", "GPE") and not headline)
            or subj.tag_ in ("NNS", "NNPS")
            or (headline and subj.lower_ in HUMAN_NOUNS)
            else "named_person"
        )
        name = [t for t in full if t.pos_ in ("PROPN", "NOUN") and t.text[:1].isupper()]
        if kind == "named_person" and name:
            text = text_of(doc, name)
    else:
        kind = "anonymous_other"
    return _speaking(text, kind, tokens, canonical=canonical_name(text, settings=settings))


def _speaking(text: str, kind: str, tokens: list[Any], *, canonical: str | None = None) -> dict:
    """A ``describe_speaking`` reading: the words as the speaker, no organisation."""
    return {
        "speaker": text,
        "canonical": canonical or text,
        "type": kind,
        "organisation": None,
        "tokens": tokens,
    }


# Pronoun-like words for an unnamed group or person: the vague attributions of news ("some
# believe", "critics say" is a noun and goes through HUMAN_NOUNS).
VAGUE_GROUPS = word_set("""some many most others everyone everybody someone somebody few all
    those""")

QUANTITIES = word_set("""dozens hundreds thousands millions scores number handful couple
    pair group majority minority lot lots""")


def group_members(subj: Any, doc: Any, settings: Settings | None) -> list[str]:
    """The members a group speaker names: "proponents, including the Conference of Mayors,",
    "critics like Senators Grassley and Leahy", "27 states led by West Virginia". A reader
    wants the names, not just "critics"."""
    heads = []
    for c in subj.children:
        such_as = c.lower_ == "as" and any(g.lower_ == "such" for g in c.children)
        if c.dep_ == "prep" and (c.lower_ in ("including", "like") or such_as):
            heads += [g for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ == "acl" and c.lemma_.lower() in ("lead", "include"):
            for g in c.children:
                if g.dep_ == "dobj":
                    heads.append(g)
                elif g.dep_ == "agent":
                    heads += [h for h in g.children if h.dep_ == "pobj"]
    out: list[str] = []
    for head in heads:
        for member in [head, *head.conjuncts]:
            who = describe(member, doc, settings)
            if who is not None and who.get("type") not in ("none", "unresolved"):
                name = str(who.get("canonical") or who.get("speaker"))
                if name not in out:
                    out.append(name)
    return out


def _clauses(tok: Any) -> list[Any]:
    """The tokens of the clauses hanging on ``tok`` ("those who say ...": "who say ...")."""
    return [t for c in tok.children if c.dep_ in ("relcl", "acl") for t in c.subtree]


# Nouns for people and groups of people that the speaker lists of ``speakers.py`` do not
# hold; with the agent suffixes below they let "His lawyer said", "73 percent said" through.
# ("some", "many", "everyone" ... are VAGUE_GROUPS, read before these.)
HUMAN_NOUNS = word_set("""people person percent majority minority half
    public family families staff team camp campaign crowd audience panel jury members member
    critic critics aide aides advocate advocates expert experts economist economists
    medic medics paramedic paramedics
    democrat democrats republican republicans conservative conservatives liberal liberals
    voter voters supporter supporters opponent opponents lawmaker lawmakers leader leaders
    candidate candidates nominee nominees mogul tycoon billionaire veteran veterans student
    students parent parents friend friends colleague colleagues ally allies rival rivals
    victim victims relative relatives neighbour neighbours neighbor neighbors worker workers
    employee employees owner owners host hosts guest guests fan fans citizen citizens
    community communities group groups coalition chorus anyone nobody
    judge judges justice justices attorney attorneys jury doctor doctors insiders
    commission committee company companies firm firms city court courts board union network
    station newspaper website site magazine university school hospital bank county nation
    nations country countries state states lobby industry surrogate surrogates fund funds
    foundation foundations institute institutes charity charities opposition""")
# People known by who they are to someone, or only as a man or a woman: "his wife said", "a
# woman who lives nearby told reporters". Witnesses to a statement, not holders of a stance
# (see ``blame._source_from_learned``).
KIN_NOUNS = word_set("""woman women man men wife husband widow mother father mom dad son
    daughter brother sister girl boy child children kid kids cousin uncle aunt grandmother
    grandfather grandson granddaughter fiancee fiance girlfriend boyfriend witness witnesses
    priest imam cleric nurse nurses""")
_AGENT_SUFFIXES = (
    "er",
    "ers",
    "or",
    "ors",
    "ist",
    "ists",
    "ian",
    "ians",
    "ant",
    "ants",
    "ent",
    "ents",
)
_NOT_AGENTS = word_set("""cancer cancers disorder disorders fever weather river rivers
    number numbers order orders paper papers matter matters letter letters
    water power border borders center centers centre computer computers corner quarter
    parameter meter monitor error errors factor factors sector sectors government content
    event events statement statements percent incident incidents document documents comment
    comments moment moments element elements amendment agreement agreements component
    environment department investment investments payment payments development evidence
    talent client""")


def _human(tok: Any) -> bool:
    word = tok.lower_
    return (
        word in HUMAN_NOUNS
        or tok.lemma_.lower() in HUMAN_NOUNS
        or word in KIN_NOUNS
        or (word.endswith(_AGENT_SUFFIXES) and word not in _NOT_AGENTS and len(word) > 4)
        or (word.endswith(("man", "men", "woman", "women", "person", "people")) and len(word) > 5)
    )


DETERMINER_LIKE = word_set("""the a an this that these those some many most several all both
    each every other others one""")
