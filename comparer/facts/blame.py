"""Who is blamed and who did it: blame and responsibility attributions.

Two relations, both read from the dependency parse:

* ``blame`` — someone (the ``speaker``) points at an ``actor``: "US officials
  blamed the attack on Iranian-backed militias", "accused Iran of ...",
  "attributed the attack to ...", "held Iran responsible".
* ``responsibility`` — an ``actor`` carried the act out or owns it: "carried
  out by Kataib Hezbollah", "Iran was behind the attack", "claimed
  responsibility", "denied involvement", "was responsible for".

``stance`` is the polarity of the cue: "denied" when it is negated ("The
Pentagon did not blame ..."), a denial ("denied involvement"), or claimed by
no one ("No group has claimed responsibility": actor None). Comparing
outlets then means comparing (relation, actor_canonical, stance).

The speaker of a responsibility statement is whoever the sentence attributes it
to ("..., officials said"): the source attribution whose verb governs the cue,
else the sentence's first one, else none. Self-claims and denials ("claimed
responsibility", "denied involvement") are spoken by the actor itself.

Active "carried out" needs a definite event object ("carried out the strike"):
"militias that had carried out similar attacks in the past" is background, not
the claim, and must not put a name on this attack.
"""
from __future__ import annotations

from typing import Any, Sequence

from comparer.facts.attributions import describe, np_tokens, span_of
from comparer.facts.names import canonical_name

EVENT_NOUNS = {"attack", "strike", "airstrike", "bombing", "raid", "assault", "operation",
               "shelling", "ambush", "killing", "explosion", "blast", "barrage", "assassination",
               "incident", "attacks", "strikes", "bombardment"}
DOER_VERBS = {"carry", "conduct", "perpetrate", "orchestrate", "launch", "stage", "mount",
              "execute", "commit", "plan", "fire"}
ACTIVE_DOERS = {"carry", "perpetrate", "orchestrate", "commit"}
INVOLVEMENT = {"involvement", "responsibility", "role", "part", "link", "links",
               "connection", "participation", "complicity"}
CLAIMED = {"responsibility", "credit"}
_DEFINITE = {"the", "this", "that", "these", "those", "thursday", "friday", "saturday",
             "sunday", "monday", "tuesday", "wednesday"}
_NOBODY = {"no", "nobody", "none", "noone"}


def _child(tok: Any, *deps: str, text: str | None = None) -> Any:
    for c in tok.children:
        if c.dep_ in deps and (text is None or c.lower_ == text):
            return c
    return None


def _pobj(prep: Any) -> Any:
    return _child(prep, "pobj") if prep is not None else None


def _negated(verb: Any) -> bool:
    return _child(verb, "neg") is not None


def _neg_cue(verb: Any) -> str:
    auxes = [c.lower_ for c in verb.children if c.dep_ == "aux" and c.i < verb.i]
    return " ".join([*auxes, "not", verb.lower_])


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
    if head is None:
        return []
    if head.lower_ in ("that", "which", "who") and head.head.dep_ == "relcl":
        head = head.head.head
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
        if tok in set(cue.ancestors):
            return value
    return sources[0][2] if sources else None


def _build(doc: Any, settings: Any, *, relation: str, cue: str, stance: str, verb: Any,
           actor: Any, speaker_head: Any, sources: Sequence, tokens: list[Any]) -> tuple:
    value: dict[str, Any] = {"relation": relation, "speaker": None, "canonical": None,
                             "type": "none", "organisation": None, "via": None}
    who = describe(_named(speaker_head), doc, settings) if speaker_head is not None else None
    if who is not None and who["type"] == "unresolved" and speaker_head.lower_ in ("we", "i"):
        who = None  # "'We blame Iran,' Kirby said": the quoted speaker is the source
    if who is not None:
        value.update({k: who[k] for k in ("speaker", "canonical", "type", "organisation")})
        tokens = tokens + who["tokens"] + np_tokens(speaker_head)
    else:
        src = _speaker_from(sources, verb)
        if src is not None:
            value.update({k: src.get(k) for k in ("speaker", "canonical", "type",
                                                  "organisation", "via")})
    if actor is None:
        value.update(actor=None, actor_canonical=None, actor_type="none")
    else:
        named = _named(actor)
        found = describe(named, doc, settings)
        atoks = found["tokens"] if found else np_tokens(named)
        while atoks and atoks[0].lower_ in ("the", "a", "an"):
            atoks = atoks[1:]
        start, end = span_of(atoks)
        text = doc.text[start:end]
        value.update(actor=text, actor_canonical=canonical_name(text, settings=settings),
                     actor_type=found["type"] if found else "unknown")
        tokens = tokens + atoks + np_tokens(actor)
    value.update(cue=cue, stance=stance)
    start, end = span_of([verb, *tokens])
    return start, end, value


def blame_in(doc: Any, sources: Sequence[tuple[Any, list[Any], dict]], *,
             settings: Any = None) -> list[tuple[int, int, dict]]:
    """(start, end, value) for every blame or responsibility cue in ``doc``."""
    found: list[tuple[int, int, dict]] = []
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        for item in _cues(verb):
            relation, cue, stance, actor_head, speaker_head, extra = item
            actors = _actors(actor_head) if actor_head is not None else [None]
            for actor in actors:
                found.append(_build(doc, settings, relation=relation, cue=cue, stance=stance,
                                    verb=verb, actor=actor, speaker_head=speaker_head,
                                    sources=sources, tokens=list(extra)))
    return found


def _cues(verb: Any) -> list[tuple]:
    """(relation, cue, stance, actor head, speaker head, extra evidence tokens)."""
    lemma = verb.lemma_.lower()
    neg = _negated(verb)
    stance = "denied" if neg else "asserted"
    subj = _child(verb, "nsubj")
    dobj = _child(verb, "dobj")
    passive = _child(verb, "nsubjpass", "auxpass") is not None
    out: list[tuple] = []
    if lemma == "blame":
        on = _child(verb, "prep", text="on") or (dobj is not None and _child(dobj, "prep", text="on"))
        agent = _pobj(_child(verb, "agent"))
        speaker = agent if passive else subj
        if on is not None and _pobj(on) is not None:
            cue = _neg_cue(verb) if neg else f"{verb.lower_} ... on"
            out.append(("blame", cue, stance, _pobj(on), speaker, [on]))
        elif dobj is not None and not _is_event(dobj):
            out.append(("blame", _neg_cue(verb) if neg else verb.lower_, stance, dobj, speaker, []))
    elif lemma == "accuse" and dobj is not None and not passive:
        out.append(("blame", _neg_cue(verb) if neg else verb.lower_, stance, dobj, subj, []))
    elif lemma == "attribute":
        to = _child(verb, "prep", text="to")
        if _pobj(to) is not None:
            speaker = _pobj(_child(verb, "agent")) if passive else subj
            cue = _neg_cue(verb) if neg else f"{verb.lower_} ... to"
            out.append(("blame", cue, stance, _pobj(to), speaker, [to]))
    elif lemma == "hold" and dobj is not None:
        resp = _child(verb, "oprd", "acomp", "xcomp", "ccomp")
        if resp is not None and resp.lower_ in ("responsible", "accountable"):
            cue = (_neg_cue(verb) if neg else verb.lower_) + f" {resp.lower_}"
            out.append(("blame", cue, stance, dobj, subj, [resp]))
    elif lemma in DOER_VERBS:
        prt = _child(verb, "prt")
        words = verb.lower_ + (f" {prt.lower_}" if prt is not None else "")
        if lemma == "carry" and prt is None:
            return out
        agent = _child(verb, "agent")
        if _pobj(agent) is not None:
            cue = (_neg_cue(verb) if neg else words) + " by"
            out.append(("responsibility", cue, stance, _pobj(agent), None, [agent]))
        elif (lemma in ACTIVE_DOERS and not passive and subj is not None and _is_event(dobj)
              and _definite(dobj)):
            cue = _neg_cue(verb) + (f" {prt.lower_}" if prt else "") if neg else words
            out.append(("responsibility", cue, stance, subj, None, [dobj]))
    elif lemma in ("claim", "take") and dobj is not None and dobj.lemma_.lower() in CLAIMED:
        cue = f"{verb.lower_} {dobj.lower_}"
        if subj is not None:
            det = _child(subj, "det")
            if subj.lower_ in _NOBODY or (det is not None and det.lower_ == "no"):
                out.append(("responsibility", cue, "denied", None, None,
                            [*np_tokens(subj), dobj]))
            else:
                out.append(("responsibility", cue, stance, subj, subj, [dobj]))
    elif lemma in ("deny", "reject") and subj is not None:
        target = dobj
        if target is None or target.lemma_.lower() not in INVOLVEMENT:
            comp = _child(verb, "ccomp")
            target = _child(comp, "dobj") if comp is not None else None
        if target is not None and target.lemma_.lower() in INVOLVEMENT:
            cue = f"{verb.lower_} {target.lower_}" if target is dobj else f"{verb.lower_} ... {target.lower_}"
            out.append(("responsibility", cue, "denied", subj, subj, [target]))
        else:
            comp = _child(verb, "xcomp", "pcomp")  # "denied carrying out the attack"
            if comp is not None and comp.lemma_.lower() in DOER_VERBS:
                out.append(("responsibility", f"{verb.lower_} {comp.lower_}", "denied",
                            subj, subj, [comp]))
    elif lemma == "be" and subj is not None:
        behind = _child(verb, "prep", text="behind")
        resp = _child(verb, "acomp")
        if behind is not None and _is_event(_pobj(behind)):
            cue = (_neg_cue(verb) if neg else verb.lower_) + " behind"
            out.append(("responsibility", cue, stance, subj, None, [behind]))
        elif resp is not None and resp.lower_ == "responsible":
            cue = (_neg_cue(verb) if neg else verb.lower_) + " responsible"
            out.append(("responsibility", cue, stance, subj, None, [resp]))
    return out
