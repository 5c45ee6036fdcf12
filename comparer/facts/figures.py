"""Counts in a sentence, as intervals: "at least 17 fighters were killed" -> [17, None].

Method, over the spaCy tokens of one sentence:

1. **Number runs** (``numbers.py``): digits ("22", "1,500", "2.5 million"),
   words ("Seventeen", "twenty-two", "a dozen") and vague quantities ("dozens",
   "a handful", "hundreds of thousands", one table ``numbers.VAGUE``); a
   qualifier before ("at least", "up to", "some") or a second number after
   ("100-300", "two or three") makes the value an interval.
2. **Not counts**: years, dates ("Feb. 15"), clock times ("6 p.m."),
   designations ("Resolution 2254", "Route 4", "Boeing 737"; "F-15" is never a
   number token), money, percentages, durations ("three days") and measures
   ("5 miles", "500-pound") are dropped by the words around them. A measure
   between a count and its noun is the count's calibre: "three 107 mm rockets"
   is 3 rockets, calibre "107 mm". NER is a second opinion only: a number
   inside a DATE/TIME entity is dropped when it has no counted noun either.
3. **What is counted**: the head of the noun phrase after the number (a token
   is a modifier when its parse head lies to its right inside the phrase), or
   after "of the" (then ``subset`` is true, as for "including five children").
   Lower-case singular lemma; "people"/"dead"/"deaths" -> "person"; "member"
   keeps its compound ("service member").
4. **Role**: a casualty word next to the phrase ("killing one ...", "22 dead",
   "were wounded"), else the parse (object or passive subject of kill/wound/
   capture, subject of die; through conj, appos and "including"), else a death
   toll the number belongs to ("the death toll rose to 22": person, killed).
   "a"/"an" counts as 1 only for the object or passive subject of a casualty
   verb ("wounded an American service member"); "no one was hurt" counts 0.
   A number with neither a counted noun nor a role is dropped: it compares
   with nothing.

Evidence span (``Fact.text``): the contiguous stretch from the first of
{adjacent casualty word before, qualifier, number} to the last of {number,
counted noun, adjacent casualty word after} ("killing one U.S.-led coalition
contractor", "Seventeen fighters were killed"); a death toll's span starts at
"death toll". ``event_hint`` lists the dates and places (canonical spelling) of
the clause that holds the figure, "; "-joined, or None.
``find_figures`` never raises: a sentence the reader cannot handle gives [].
"""
from __future__ import annotations

from typing import Any

from comparer.facts.context import ArticleContext
from comparer.facts.names import canonical_name
from comparer.facts.numbers import (PLURAL_SCALES, SCALES, VAGUE, NumberRun, is_digits,
                                    read_number_at, split_range_token, word_kind)
from comparer.models import Fact, Sentence

_MONTHS = frozenset("""January February March April May June July August September October
November December Jan Jan. Feb Feb. Mar Mar. Apr Apr. Jun Jun. Jul Jul. Aug Aug. Sep Sep.
Sept Sept. Oct Oct. Nov Nov. Dec Dec.""".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_CLOCK = frozenset("a.m. p.m. am pm a.m p.m o'clock gmt utc est edt et cet bst hrs local".split())
_MONEY_BEFORE = frozenset("$ us$ £ € ¥ usd eur gbp".split())
_MONEY_AFTER = frozenset("""dollar dollars euro euros usd eur gbp dinar dinars rial rials
lira liras yuan yen rupee rupees sterling""".split())
_PERCENT = frozenset("% percent pct per percentage".split())
_TIME_UNITS = frozenset("""second seconds minute minutes hour hours day days week weeks month
months year years decade decades century centuries night nights weekend weekends time times
morning mornings""".split())
_UNITS = frozenset("""mm millimeter millimeters millimetre millimetres cm centimeter centimeters
centimetre centimetres inch inches caliber calibre m meter meters metre metres km kilometer
kilometers kilometre kilometres mile miles foot feet ft yard yards pound pounds lb lbs kg
kilogram kilograms gram grams ton tons tonne tonnes kiloton kilotons megaton liter liters litre
litres gallon gallons acre acres hectare hectares degree degrees knot knots mph kph km/h
square sq""".split()) | _TIME_UNITS
_DESIGNATIONS = frozenset("""resolution route highway road article flight chapter section phase
number no no. # camp gate block building terminal platform line channel version model type
class series page paragraph item clause amendment level stage grade category tier round room
hangar sector district zone squadron brigade battalion division regiment mark mk station
checkpoint exit""".split())
_YEAR_BEFORE = frozenset("""the in since by until till before after of from during early late
mid this that 's spring summer autumn fall winter""".split())
# Casualty words in every form wire copy uses them, mapped to the role they give.
_ROLE_FORMS = {
    "killed": "kill kills killed killing slay slays slew slain execute executes executed "
              "executing behead beheaded massacre massacred murder murdered assassinate "
              "assassinated dead die dies died dying perish perished",
    "wounded": "wound wounds wounded wounding injure injures injured injuring hurt hurts "
               "hurting maim maimed",
    "missing": "missing disappeared vanished",
    "captured": "capture captures captured capturing kidnap kidnaps kidnapped kidnapping "
                "abduct abducts abducted abducting detain detains detained detaining arrest "
                "arrests arrested arresting",
}
_ROLE = {form: role for role, forms in _ROLE_FORMS.items() for form in forms.split()}
_INTRANSITIVE = frozenset("dead die dies died dying perish perished missing disappeared vanished".split())
_AUX = frozenset("""was were is are be been being has have had reportedly also later all
confirmed reported believed feared found left""".split())
# Counted nouns that carry their own role or another name.
_NOUN_ROLE = {"death": ("person", "killed"), "deaths": ("person", "killed"),
              "fatality": ("person", "killed"), "fatalities": ("person", "killed"),
              "dead": ("person", "killed"), "injury": ("person", "wounded"),
              "injuries": ("person", "wounded"), "wounded": ("person", "wounded"),
              "injured": ("person", "wounded"), "missing": ("person", "missing")}
_IRREGULAR = {"people": "person", "persons": "person", "men": "man", "women": "woman",
              "children": "child", "bases": "base", "them": "person", "those": "person",
              "whom": "person", "us": "person", "lives": "person", "police": "police officer",
              "personnel": "personnel", "others": "other"}
# Nouns that "a"/"an" or "one" do not count: collectives, parts, idioms.
_NOT_COUNTED = frozenset("""total number handful couple few dozen score lot series barrage wave
spate string majority minority half third quarter fraction portion rest bunch point hand side
way thing another other result statement percent % time""".split())
_PARTITIVE_DETS = frozenset("the those these their its his her our all".split())


def find_figures(sentence: Sentence, doc: Any, *, ctx: ArticleContext, settings: Any) -> list[Fact]:
    """Every count in ``sentence`` as a ``figure`` Fact (offsets into ``sentence.text``)."""
    if doc is None:
        return []
    try:
        return _find(sentence, doc, ctx, settings)
    except Exception:  # a reader must never break the pipeline on odd text
        return []


def _band(settings: Any) -> float:
    try:
        value = float(settings.facts.about_band)
        return value if 0 <= value < 1 else 0.1
    except Exception:
        return 0.1


def _find(sentence: Sentence, doc: Any, ctx: ArticleContext, settings: Any) -> list[Fact]:
    text = sentence.text
    base = 0 if doc.text == text else text.find(doc.text)
    if base < 0 or not doc.text:
        return []
    toks = list(doc)
    words = [t.lower_ for t in toks]
    found: list[dict[str, Any]] = []
    counted_heads: set[int] = set()
    k = 0
    while k < len(toks):
        run = None
        if _may_start(words, k):
            run = read_number_at(words, k, band=_band(settings))
        if run is None or run.end < k:
            k += 1
            continue
        calibre, noun_from = _calibre(toks, words, run)
        if not _not_a_count(toks, words, run):
            fig = _figure(toks, words, run, calibre, noun_from)
            if fig is not None:
                found.append(fig)
                if fig["head"] is not None:
                    counted_heads.add(fig["head"])
        k = max(run.end, noun_from - 1) + 1
    found += _articles(toks, words, counted_heads)
    facts = []
    for fig in sorted(found, key=lambda f: f["first"]):
        start = base + toks[fig["first"]].idx
        end = base + toks[fig["last"]].idx + len(toks[fig["last"]].text)
        if text[start:end] != doc.text[start - base:end - base]:
            continue
        value = dict(fig["value"])
        value["event_hint"] = _event_hint(doc, toks[fig["anchor"]], fig["first"], fig["last"], settings)
        facts.append(Fact(source_id=ctx.source_id, sentence=sentence.index, kind="figure",
                          text=text[start:end], start=start, end=end, value=value))
    return facts


def _may_start(words: list[str], k: int) -> bool:
    w = words[k]
    if w == "one" and k > 0 and words[k - 1] in ("no", "any", "every", "each", "which", "this", "that"):
        return False  # "no one" is read as zero by _articles; "any one" is no count
    if w == "one" and k + 1 < len(words) and words[k + 1] in ("another", "other"):
        return False
    return bool(word_kind(w)) or w in VAGUE or w in ("a", "an", "half") or split_range_token(w) is not None


def _unit_after(toks: list[Any], i: int) -> int | None:
    """Index of a unit word right after token i ("107 mm", "500-pound", "5 miles"), or None."""
    j = i + 1
    if j < len(toks) and toks[j].text in ("-", "\u2013") and not toks[j].whitespace_:
        j += 1
    if j < len(toks) and (toks[j].lower_ in _UNITS or toks[j].lemma_.lower() in _UNITS
                          or toks[j].lower_ in _PERCENT or toks[j].lower_ in _MONEY_AFTER
                          or toks[j].lower_ in ("year-old", "years-old")):
        return j
    return None


def _calibre(toks: list[Any], words: list[str], run: NumberRun) -> tuple[str | None, int]:
    """A measure right after the count and before a noun: ("107 mm", index after the unit)."""
    j = run.end + 1
    if j >= len(toks) or not is_digits(words[j]) or run.qualifier == "vague":
        return None, j
    unit = _unit_after(toks, j)
    if unit is None or unit + 1 >= len(toks) or toks[unit + 1].pos_ not in ("NOUN", "ADJ", "PROPN", "VERB"):
        return None, j
    if toks[unit].lower_ in _TIME_UNITS or toks[unit].lower_ in _PERCENT | _MONEY_AFTER:
        return None, j
    return f"{toks[j].text} {toks[unit].text}", unit + 1


def _not_a_count(toks: list[Any], words: list[str], run: NumberRun) -> bool:
    """Years, dates, clock times, designations, money, percentages, measures."""
    n = len(toks)
    first, last = toks[run.start], toks[run.end]
    prev = toks[run.start - 1] if run.start > 0 else None
    nxt = toks[run.end + 1] if run.end + 1 < n else None
    if first.ent_type_ in ("MONEY", "PERCENT") or _unit_after(toks, run.end) is not None:
        return True
    if prev is not None and (prev.lower_ in _MONEY_BEFORE or prev.text.endswith(("$", "£", "€"))):
        return True
    if nxt is not None and (nxt.lower_ in _CLOCK or nxt.text in _MONTHS):
        return True
    if prev is not None and (prev.text in _MONTHS or (prev.text == "." and run.start > 1
                                                      and toks[run.start - 2].text in _MONTHS)):
        return True
    if run.start == run.end and run.value is not None and len(first.text) == 4 and first.text.isdigit():
        if 1800 <= int(first.text) <= 2100:  # a year unless "2000 people" (not "the 2019 attacks")
            count_like = (nxt is not None and nxt.tag_ == "NNS" and nxt.lower_ not in _TIME_UNITS
                          and (prev is None or prev.lower_ not in _YEAR_BEFORE)
                          and first.ent_type_ != "DATE")
            if not count_like:
                return True
    if prev is not None and run.first == run.start and run.qualifier != "vague":
        if prev.lower_ in _DESIGNATIONS:
            return True
        if (prev.text[:1].isupper() and prev.text.isalpha() and prev.pos_ in ("PROPN", "NOUN")
                and prev.text not in _MONTHS and prev.lower_ not in _WEEKDAYS):
            heads = {first.head.i, last.head.i}
            if prev.i in heads or nxt is None or nxt.pos_ not in ("NOUN", "ADJ", "PROPN", "NUM"):
                return True  # "Resolution 2254", "Boeing 737", "Route 4" - not "told Reuters 17 people"
    return False


def _is_np_token(toks: list[Any], i: int) -> bool:
    t = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if t.lower_ in _ROLE and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")):
        return False  # "22 dead", "fighters killed": the role, not a modifier
    if t.pos_ == "PROPN" and (t.ent_type_ in ("DATE", "TIME") or t.text in _MONTHS
                              or t.lower_ in _WEEKDAYS):
        return False
    if t.pos_ in ("ADJ", "NOUN", "PROPN"):
        return True
    if t.text in ("-", "\u2013") and not t.whitespace_ and i > 0 and not toks[i - 1].whitespace_:
        return True
    if t.pos_ == "VERB" and (t.dep_ == "amod" or (i > 0 and toks[i - 1].text == "-")):
        return True
    return t.pos_ == "ADV" and nxt is not None and nxt.pos_ in ("ADJ", "VERB") and nxt.dep_ == "amod"


def _head_of_phrase(toks: list[Any], start: int) -> tuple[int | None, int]:
    """(head noun index or None, index after the phrase) of the noun phrase at ``start``."""
    end = start
    while end < len(toks) and end - start < 8 and _is_np_token(toks, end):
        end += 1
    for i in range(start, end):
        t = toks[i]
        headable = t.pos_ == "NOUN" or (t.pos_ == "PROPN" and (t.tag_ == "NNPS" or t.ent_type_ == "NORP"))
        if headable and not (i < t.head.i < end):
            return i, end
    return None, end


def _counted_name(toks: list[Any], i: int, role: str | None) -> str:
    t = toks[i]
    low = t.lower_
    if low in _NOUN_ROLE:
        return _NOUN_ROLE[low][0]
    if low in _IRREGULAR:
        name = _IRREGULAR[low]
        return "person" if name == "other" and role else name
    lemma = t.lemma_.lower()
    if t.tag_ in ("NNS", "NNPS"):
        name = lemma if lemma and lemma != low and t.pos_ != "PROPN" else _singular(low)
    else:
        name = lemma if t.pos_ == "NOUN" and lemma else low
    if name == "member" and i > 0 and toks[i - 1].pos_ == "NOUN" and toks[i - 1].dep_ == "compound":
        name = f"{toks[i - 1].lower_} member"  # "service member", "militia member"
    return name


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _role_after(toks: list[Any], i: int) -> tuple[str | None, int | None]:
    """A casualty word after token i, auxiliaries allowed between: "fighters were killed"."""
    j, skipped = i + 1, 0
    while j < len(toks) and toks[j].lower_ in _AUX and skipped < 3:
        j, skipped = j + 1, skipped + 1
    if j < len(toks) and toks[j].lower_ in _ROLE:
        t = toks[j]
        has_object = any(c.dep_ in ("dobj", "obj") for c in t.children)
        if t.lower_ in _INTRANSITIVE or not has_object:  # "rockets killed one" is an agent
            return _ROLE[t.lower_], j
    return None, None


def _role_before(toks: list[Any], first: int) -> tuple[str | None, int | None]:
    """A casualty verb right before the figure: "killing one", "wounded an American"."""
    j = first - 1
    if j >= 0 and toks[j].lower_ in _ROLE and toks[j].lower_ not in _INTRANSITIVE \
            and toks[j].pos_ in ("VERB", "AUX"):
        return _ROLE[toks[j].lower_], j
    return None, None


def _parse_role(tok: Any) -> str | None:
    """The role the dependency parse gives ``tok``: object/passive subject of a casualty verb."""
    t = tok
    for _ in range(6):
        for c in t.children:  # "17 fighters killed in the strike", "two wounded soldiers"
            if c.dep_ in ("acl", "amod") and c.lower_ in _ROLE and c.tag_ in ("VBN", "JJ"):
                return _ROLE[c.lower_]
        h, dep = t.head, t.dep_
        if h.i == t.i:
            return None
        hw = h.lower_
        if dep in ("dobj", "obj", "nsubjpass", "oprd") and hw in _ROLE:
            return _ROLE[hw]
        if dep == "nsubj" and hw in _INTRANSITIVE:
            return _ROLE[hw]
        if dep == "nsubj" and h.lemma_ in ("be", "remain"):
            for c in h.children:
                if c.dep_ in ("acomp", "attr") and c.lower_ in _INTRANSITIVE:
                    return _ROLE[c.lower_]
        if dep == "pobj" and hw == "of":
            owner = h.head.lower_  # "the deaths of three soldiers", "the killing of two"
            if owner in _NOUN_ROLE or owner in _ROLE:
                return _NOUN_ROLE[owner][1] if owner in _NOUN_ROLE else _ROLE[owner]
        if dep in ("conj", "appos") or (t.pos_ == "NUM" and dep in ("nummod", "quantmod", "compound")):
            t = h
            continue
        if dep == "pobj" and hw in ("including", "among", "of"):
            t = h.head
            continue
        return None
    return None


def _toll(toks: list[Any], run: NumberRun) -> tuple[str, str | None, int] | None:
    """("person", "killed", first index) when the number is what a death toll stands at."""
    ancestors = {a.i for a in toks[run.start].ancestors}
    for i in range(run.start - 1, max(-1, run.start - 9), -1):
        if toks[i].lower_ != "toll":
            continue
        if i not in ancestors and toks[i].head.i not in ancestors:
            return None
        kind = toks[i - 1].lower_ if i > 0 else ""
        first = i - 1 if kind in ("death", "casualty", "injury") else i
        if kind == "casualty":
            return "casualty", None, first
        return "person", ("wounded" if kind == "injury" else "killed"), first
    return None


def _figure(toks: list[Any], words: list[str], run: NumberRun, calibre: str | None,
            noun_from: int) -> dict[str, Any] | None:
    n = len(toks)
    head, subset, noun_role = None, False, None
    i = noun_from
    if i < n and words[i] == "of":
        j = i + 1
        if j < n and words[j] in ("them", "us", "whom", "those"):
            head, subset = j, True
        elif j < n and words[j] in _PARTITIVE_DETS:
            subset, j = True, j + 1
            if j < n and toks[j].pos_ == "NUM":  # "12 of the 30 passengers"
                j += 1
            if j < n and toks[j].tag_ == "JJS":
                return None  # "one of the deadliest attacks" is no count
            head = j if j < n and words[j] in _NOUN_ROLE else _head_of_phrase(toks, j)[0] if j < n else None
        elif run.qualifier == "vague" and j < n:
            head = _head_of_phrase(toks, j)[0]
    else:
        head = _head_of_phrase(toks, i)[0] if i < n else None
    if head is not None:
        if words[head] in _NOT_COUNTED or words[head] in _TIME_UNITS \
                or toks[head].lemma_.lower() in _TIME_UNITS:
            return None  # "three days", "one point", "three times"
        noun_role = _NOUN_ROLE.get(words[head], (None, None))[1]
        if toks[head].dep_ == "pobj" and toks[head].head.lower_ in ("including", "among"):
            subset = True
    tail = head if head is not None else run.end
    role, after = _role_after(toks, tail)
    before = None
    if role is None:
        role, before = _role_before(toks, run.first)
    role = role or noun_role
    if role is None:
        role = (_parse_role(toks[head]) if head is not None else None) or _parse_role(toks[run.end])
    counted, toll_first = None, None
    if head is None:
        toll = _toll(toks, run) if role is None else None
        if toll is not None:
            counted, role, toll_first = toll
        elif role is None or toks[run.start].ent_type_ in ("DATE", "TIME"):
            return None  # a bare number compares with nothing
        counted = counted or "person"
    else:
        counted = _counted_name(toks, head, role)
    first = min(x for x in (run.first, before, toll_first) if x is not None)
    last = max(x for x in (run.end, head, after, noun_from - 1 if calibre else None) if x is not None)
    doc_text = toks[0].doc.text
    number_text = doc_text[toks[run.start].idx:toks[run.end].idx + len(toks[run.end].text)]
    return {"first": first, "last": last, "head": head, "anchor": head if head is not None else run.start,
            "value": {"low": run.low, "high": run.high, "counted": counted, "role": role,
                      "qualifier": run.qualifier, "number_text": number_text,
                      "calibre": calibre, "subset": subset}}


def _articles(toks: list[Any], words: list[str], counted_heads: set[int]) -> list[dict[str, Any]]:
    """'a'/'an' as 1 and 'no'/'no one'/'nobody' as 0, only where a casualty word applies."""
    out = []
    for t in toks:
        w = t.lower_
        if w == "nobody" or (w == "no" and t.i + 1 < len(toks) and words[t.i + 1] == "one"):
            head = t if w == "nobody" else toks[t.i + 1]
        elif w in ("a", "an", "no") and t.dep_ == "det" and t.i < t.head.i <= t.i + 6:
            head = t.head
            if head.pos_ != "NOUN" or (w != "no" and head.tag_ != "NN") \
                    or not all(_is_np_token(toks, x) for x in range(t.i + 1, head.i)):
                continue
        else:
            continue
        if head.i in counted_heads or head.lower_ in _NOT_COUNTED or head.lower_ in _TIME_UNITS:
            continue
        role, after = _role_after(toks, head.i)
        before = None
        if role is None:
            role, before = _role_before(toks, t.i)
        noun_role = _NOUN_ROLE.get(head.lower_, (None, None))[1]
        role = role or noun_role or _parse_role(head)
        if role is None and not (w == "no" and head.lower_ in ("casualty", "casualties")):
            continue
        zero = w in ("no", "nobody")
        subset = head.dep_ == "pobj" and head.head.lower_ in ("including", "among")
        counted = "person" if head.lower_ in ("one", "nobody") else _counted_name(toks, head.i, role)
        first = before if before is not None else t.i
        last = max(x for x in (head.i, after) if x is not None)
        out.append({"first": first, "last": last, "head": head.i, "anchor": head.i,
                    "value": {"low": 0 if zero else 1, "high": 0 if zero else 1, "counted": counted,
                              "role": role, "qualifier": "exact",
                              "number_text": "no one" if head.lower_ == "one" else t.text,
                              "calibre": None, "subset": subset}})
    return out


def _event_hint(doc: Any, anchor: Any, first: int, last: int, settings: Any) -> str | None:
    """Dates and places in the clause that holds the figure ("February 15; Erbil")."""
    verb = anchor
    for _ in range(12):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    for _ in range(6):  # "..., killing one contractor" belongs to the main clause's event
        if verb.dep_ in ("advcl", "conj", "xcomp", "pcomp", "acl") and verb.tag_ in ("VBG", "VBN") \
                and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    inside = {t.i for t in verb.subtree}
    parts: list[str] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "GPE", "LOC", "FAC") or (ent.start <= last and ent.end > first):
            continue
        if not all(i in inside for i in range(ent.start, ent.end)):
            continue
        root = ent.root
        if ent.label_ != "DATE" and not (root.dep_ in ("pobj", "npadvmod") or (
                root.dep_ in ("conj", "appos") and root.head.dep_ == "pobj")):
            continue  # "in Irbil" says where; "US troops", "The US has" do not
        label = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        if ent.label_ != "DATE":
            label = canonical_name(label, settings=settings)
        if label and label not in parts:
            parts.append(label)
    return "; ".join(parts) or None
