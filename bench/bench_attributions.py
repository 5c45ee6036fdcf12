"""Attributions on real political news: the PolNeAR dev split. Prints figures; asserts nothing.

    .venv/bin/python -m bench.bench_attributions PATH/data [--split dev] [--show N] [--limit N]
        [--features-only]

PolNeAR is never committed: ``PATH/data`` is the ``data`` folder of the public repository
``networkdynamics/PolNeAR`` (``<split>/text/*.txt`` and ``<split>/attributions/*.ann``, brat
standoff with Source, Cue and Content spans). Only ``train`` and ``dev`` may be read; ``test`` is
kept for independent measurement and this script refuses it.

Each article is read as pasted text (the product's own reading, sentences and fact readers) and
its attribution facts are set against the labelled attributions (one annotator's file per
article, the first by name):

- **cue recall**: labelled attributions whose cue sits in a sentence where the product reports an
  attribution. Target >= 0.8.
- **precision**: the product's attribution facts whose own words (the speaker as written, or the
  cue) overlap a labelled source or cue. Target >= 0.9.
- **speaker accuracy**: of the labelled attributions whose source holds a name (a proper noun),
  the share for which the product gives an attribution of that cue (or of that quotation)
  whose speaker shares the name. Overall (target >= 0.75) and for direct quotes, whose content
  is in quotation marks (target >= 0.85).

``--show N`` prints N misses of each kind, for reading.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUOTE_MARKS = '"\u201c\u201d'
# Titles and role words that are capitalised but name no one ("President", "Sen.").
_NOT_NAMES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "president",
    "senator",
    "the",
    "former",
    "presidential",
    "candidate",
    "nominee",
    "secretary",
    "gen",
    "lt",
    "col",
    "speaker",
    "leader",
    "chairman",
    "director",
    "spokesman",
    "spokeswoman",
    "st",
    "jr",
    "sr",
}


@dataclass
class Gold:
    """One labelled attribution: spans as (start, end) pieces of the article text."""

    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)


def _spans(field_text: str) -> list[tuple[int, int]]:
    out = []
    for piece in field_text.split(";"):
        a, b = piece.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path) -> list[Gold]:
    """The attributions of one brat file (events ``E`` linking Source, Cue and Content)."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("T", "E")) and "\t" not in line:
            print(f"{path.name}: skipped a malformed line: {line[:60]!r}", file=sys.stderr)
            continue
        if line.startswith("T"):
            tid, rest = line.split("\t")[:2]
            label, _, where = rest.partition(" ")
            spans[tid] = (label, _spans(where))
        elif line.startswith("E"):
            events.append(line.split("\t")[1].split())
    golds = []
    for args in events:
        g = Gold()
        for arg in args[1:]:
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role).lower()
            if tid in spans and role in ("source", "cue", "content"):
                getattr(g, role).extend(spans[tid][1])
        if g.cue:
            golds.append(g)
    return golds


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x < d and c < y for x, y in a for c, d in b)


def _name_tokens(text: str, nlp: Any) -> set[str]:
    """Proper nouns of a labelled source ("Hillary Clinton's team" -> {hillary, clinton})."""
    doc = nlp(text)
    out = set()
    for tok in doc:
        word = re.sub(r"['\u2019]s$", "", tok.text).lower().strip(".")
        if tok.pos_ == "PROPN" and word and word not in _NOT_NAMES and word[0].isalpha():
            out.add(word)
    return out


def _speaker_words(value: dict[str, Any]) -> set[str]:
    words: set[str] = set()
    members = value.get("members") or []  # a group's named members: "critics, like X,"
    for v in [
        *(value.get(k) for k in ("speaker", "canonical", "organisation", "resolved_from")),
        *members,
    ]:
        if isinstance(v, str):
            words |= {
                re.sub(r"['\u2019]s$", "", w).lower().strip(".,") for w in re.split(r"[\s-]+", v)
            }
    return words


def _find_in(text: str, needle: str | None, lo: int, hi: int) -> tuple[int, int] | None:
    if not needle:
        return None
    at = text.find(needle, lo, hi)
    return (at, at + len(needle)) if at >= 0 else None


@dataclass
class Found:
    """One attribution fact of the product, with article offsets."""

    sentence: int
    span: tuple[int, int]
    own: list[tuple[int, int]]  # the speaker as written and the cue: its own words
    quote: list[tuple[int, int]]
    value: dict[str, Any]
    text: str


def product_attributions(text: str, settings: Any, nlp: Any) -> tuple[list[Any], list[Found]]:
    """The product's sentences (article offsets) and attribution facts for one article."""
    from comparer.facts.stage import extract_facts
    from comparer.pipeline import read_sources
    from comparer.sources import pasted_source

    article = read_sources([pasted_source(text, "PolNeAR", "s1")], settings)[0]
    if article.status != "ok":
        raise RuntimeError(article.error)
    # Article text may differ from the file (furniture, a dateline, runs of spaces and
    # zero-width characters the reader folds): place each sentence in a flattened copy of
    # the file by searching forward, and map flattened offsets back to the file's, so that
    # offsets compare with the labels.
    flat, where = _flatten(text)

    def orig(i: int) -> int:  # the file offset of flattened offset i (a start)
        return where[i] if i < len(where) else len(text)

    def orig_end(i: int) -> int:  # the file offset just after flattened offset i - 1
        return where[i - 1] + 1 if i > 0 else 0

    starts, pos = [], 0
    for s in article.sentences:
        at = flat.find(s.text, pos)
        starts.append(at if at >= 0 else -1)
        pos = at + len(s.text) if at >= 0 else pos
    sentences = [
        (s, orig(a) if a >= 0 else -1, orig_end(a + len(s.text)) if a >= 0 else -1)
        for s, a in zip(article.sentences, starts, strict=True)
    ]
    facts = extract_facts([article], settings, nlp=nlp)
    found = []
    for f in facts:
        if f.kind != "attribution":
            continue
        base = starts[f.sentence]
        if base < 0:
            continue
        span = (orig(base + f.start), orig_end(base + f.end))
        s_text = article.sentences[f.sentence].text
        own = []
        written = f.value.get("written") or f.value.get("speaker")
        cue = (f.value.get("cue") or "").split(" ... ")[0]
        for needle in (written, cue):
            hit = _find_in(s_text, needle, f.start, f.end) or _find_in(
                s_text, needle, 0, len(s_text)
            )
            if hit:
                own.append((orig(base + hit[0]), orig_end(base + hit[1])))
        quote = []
        q = f.value.get("quote")
        if isinstance(q, str) and q:  # the quoted words: place them near the sentence
            at = flat.find(q, max(0, base - 5000))
            if at >= 0:
                quote.append((orig(at), orig_end(at + len(q))))
        found.append(Found(f.sentence, span, own or [span], quote, dict(f.value), f.text))
    return sentences, found


_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def _flatten(text: str) -> tuple[str, list[int]]:
    """The file's text as the reader sees it -- other spaces as one plain space, zero-width
    characters gone, a typewriter double quote ('' or ``) one straight mark -- and, for
    each of its characters, the file offset it came from."""
    out: list[str] = []
    where: list[int] = []
    paired = -1  # the offset of a pair's second half, already written with the first
    for i, c in enumerate(text):
        if c in _ZERO_WIDTH or i == paired:
            continue
        if c in "'`" and text[i : i + 2] == c * 2:
            c, paired = '"', i + 1
        if c.isspace() and c not in "\n\r":
            if out and out[-1] == " ":
                continue
            c = " "
        out.append(c)
        where.append(i)
    return "".join(out), where


def _sentence_at(sentences: list[Any], pos: int) -> int | None:
    """The index of the sentence (from ``product_attributions``) holding article offset ``pos``."""
    for s, a, e in sentences:
        if a >= 0 and a <= pos < e:
            return s.index
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, nargs="?", help="the data folder of a PolNeAR checkout")
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="read only the first N articles")
    ap.add_argument(
        "--features-only",
        action="store_true",
        help="with the setting facts.weigh_in_context off (the cue scorer's features alone)",
    )
    args = ap.parse_args()
    if args.data is None:  # `make bench` runs every script: say what this one needs
        print("bench_attributions.py: skipped (give the data folder of a PolNeAR checkout)")
        return 0

    from comparer.facts.nlp import load_nlp
    from comparer.settings import load_settings

    settings = load_settings()
    if args.features_only:
        settings = settings.with_overrides({"facts.weigh_in_context": False})
    nlp = load_nlp()
    text_dir, ann_dir = args.data / args.split / "text", args.data / args.split / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        print(f"no {args.split}/text and {args.split}/attributions under {args.data}")
        return 2
    anns: dict[str, Path] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        anns.setdefault(p.stem.rsplit("_", 1)[0], p)  # one annotator's file per article
    texts = sorted(text_dir.glob("*.txt"))
    if args.limit:
        texts = texts[: args.limit]

    cue_hit = cue_all = 0
    prec_ok = prec_all = 0
    spk = {"all": [0, 0], "direct": [0, 0]}
    by_relation: dict[str, list[int]] = {}
    misses: dict[str, list[str]] = {"cue recall": [], "precision": [], "speaker": []}
    missed_cues: dict[str, int] = {}
    started = time.perf_counter()
    n_sentences = 0
    for path in texts:
        ann = anns.get(path.stem)
        if ann is None:
            continue
        text = path.read_text(encoding="utf-8")
        golds = read_ann(ann)
        sentences, found = product_attributions(text, settings, nlp)
        n_sentences += len(sentences)

        with_attr = {f.sentence for f in found}
        gold_src_cue = [sp for g in golds for sp in g.source + g.cue]
        for f in found:
            if f.value.get("cue_sentence", f.sentence) != f.sentence:
                continue  # a quotation's later sentence: its cue is judged where it stands
            rel = f.value.get("relation", "?")
            ok = _overlaps(f.own, gold_src_cue)
            prec_all += 1
            prec_ok += ok
            # by relation, and for sources by the kind of cue (lexicon speech, writing ...,
            # or "stance" from the learned scorer): which path costs precision
            for key in (rel, f"{rel}/{f.value.get('cue_kind')}") if rel == "source" else (rel,):
                by_relation.setdefault(key, [0, 0])
                by_relation[key][0] += ok
                by_relation[key][1] += 1
            if not ok and len(misses["precision"]) < args.show:
                misses["precision"].append(f"{path.stem[:40]}: {f.text!r} {_brief(f.value)}")
        for g in golds:
            cue_all += 1
            si = _sentence_at(sentences, g.cue[0][0])
            if si is not None and si in with_attr:
                cue_hit += 1
            else:
                cue_text = " ".join(text[a:b] for a, b in g.cue)
                word = cue_text.lower().strip()
                missed_cues[word] = missed_cues.get(word, 0) + 1
            if (si is None or si not in with_attr) and len(misses["cue recall"]) < args.show:
                sent = next((s.text for s, _a, _e in sentences if s.index == si), "?")
                misses["cue recall"].append(f"{path.stem[:40]}: cue {cue_text!r} in: {sent[:220]}")
            if not g.source:
                continue
            src_text = " ".join(text[a:b] for a, b in g.source)
            names = _name_tokens(src_text, nlp)
            if not names:
                continue
            content = " ".join(text[a:b] for a, b in g.content).strip()
            direct = bool(content) and (
                content[0] in QUOTE_MARKS
                or content[-1] in QUOTE_MARKS
                or content.rstrip(".,")[-1:] in QUOTE_MARKS
            )
            match = (
                next(
                    (
                        f
                        for f in found
                        if f.value.get("relation") == "source" and _overlaps(f.own, g.cue)
                    ),
                    None,
                )
                or next(
                    (f for f in found if f.quote and g.content and _overlaps(f.quote, g.content)),
                    None,
                )
                or next(
                    (
                        f
                        for f in found
                        if _overlaps([f.span], g.source) and f.value.get("relation") == "source"
                    ),
                    None,
                )
            )
            ok = match is not None and bool(names & _speaker_words(match.value))
            for key in ("all", "direct") if direct else ("all",):
                spk[key][0] += ok
                spk[key][1] += 1
            if not ok and len(misses["speaker"]) < args.show:
                got = _brief(match.value) if match else "no attribution"
                cue_text = " ".join(text[a:b] for a, b in g.cue)
                misses["speaker"].append(
                    f"{path.stem[:40]}: gold {src_text!r} / {cue_text!r}"
                    f"{' (quote)' if direct else ''} -> {got}"
                )
    elapsed = time.perf_counter() - started

    def ratio(ok: int, n: int) -> str:
        return f"{ok / n:.2f} ({ok}/{n})" if n else "n/a"

    print(f"PolNeAR {args.split}: {len(texts)} articles, {n_sentences} sentences, {elapsed:.1f} s")
    print(f"cue recall        {ratio(cue_hit, cue_all)}   target >= 0.80")
    print(f"precision         {ratio(prec_ok, prec_all)}   target >= 0.90")
    for rel, (ok, n) in sorted(by_relation.items()):
        print(f"  {rel:<22} {ratio(ok, n)}")
    print(f"speaker accuracy  {ratio(*spk['all'])}   target >= 0.75")
    print(f"  direct quotes   {ratio(*spk['direct'])}   target >= 0.85")
    top = sorted(missed_cues.items(), key=lambda kv: -kv[1])[:40]
    print("most missed cues:", ", ".join(f"{w!r} {n}" for w, n in top))
    for kind, rows in misses.items():
        if rows:
            print(f"\n{kind} misses:")
            for r in rows:
                print("  -", r)
    return 0


def _brief(value: dict[str, Any]) -> str:
    keys = ("relation", "speaker", "canonical", "type", "cue", "cue_kind", "resolved_from")
    return "{" + ", ".join(f"{k}={value[k]!r}" for k in keys if value.get(k)) + "}"


if __name__ == "__main__":
    sys.exit(main())
