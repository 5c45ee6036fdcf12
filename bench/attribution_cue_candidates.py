"""Candidate cue verbs from PolNeAR's train split, for review before they enter
``comparer/data/cues.txt``. Prints figures; changes nothing.

    .venv/bin/python -m bench.attribution_cue_candidates PATH/data [--min-count 3] [--min-share 0.4]

For each verb lemma, how often it heads a labelled cue in the train split and how often it
occurs as a verb at all: a lemma that is a cue most times it is used ("say") is a good cue; one
that is rarely a cue ("make") is not. Only ``train`` is read (dev measures, test is kept).
Review the list by hand: verbs of violence ("attack", "hit") are cues in political news and
events in war news, and stay out of the lexicon.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path


def main() -> int:
    from bench.bench_attributions import read_ann
    from comparer.facts.cues import lexicon
    from comparer.facts.nlp import load_nlp

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--min-share", type=float, default=0.4)
    args = ap.parse_args()
    nlp = load_nlp()
    text_dir, ann_dir = args.data / "train" / "text", args.data / "train" / "attributions"
    anns: dict[str, Path] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        anns.setdefault(p.stem.rsplit("_", 1)[0], p)
    as_cue: Counter[str] = Counter()
    as_verb: Counter[str] = Counter()
    for path in sorted(text_dir.glob("*.txt")):
        ann = anns.get(path.stem)
        if ann is None:
            continue
        text = path.read_text(encoding="utf-8")
        cue_at = {a for g in read_ann(ann) for s, e in g.cue for a in range(s, e)}
        for doc in nlp.pipe(p for p in text.split("\n") if p.strip()):
            base = text.find(doc.text)
            for tok in doc:
                if tok.pos_ != "VERB":
                    continue
                lemma = tok.lemma_.lower()
                as_verb[lemma] += 1
                if base >= 0 and base + tok.idx in cue_at:
                    as_cue[lemma] += 1
    known = lexicon()
    rows = [
        (lemma, n, as_verb[lemma], n / as_verb[lemma])
        for lemma, n in as_cue.items()
        if n >= args.min_count and as_verb[lemma] and n / as_verb[lemma] >= args.min_share
    ]
    rows.sort(key=lambda r: -r[1])
    print(f"{'lemma':<16}{'as cue':>8}{'as verb':>9}{'share':>7}  in lexicon")
    for lemma, n, total, share in rows:
        print(f"{lemma:<16}{n:>8}{total:>9}{share:>7.2f}  {'yes' if lemma in known else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
