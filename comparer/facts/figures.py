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
