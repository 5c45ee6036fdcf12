"""Train the learned cue scorer (``comparer/data/cue_model.json``) on PolNeAR's train split.

    .venv/bin/python -m bench.train_cue_model PATH/data [--out FILE] [--c 0.5] [--folds 5]
        [--threshold 0.5]

Reads only ``train`` (dev measures, test is kept). Each article is read the way the product
reads pasted text (its sentences, its spaCy parse per sentence); every verb outside quotation
marks is an example, labelled a cue when a labelled cue span covers it. A logistic regression
(scikit-learn, here only: the product scores with the saved weights) learns from the features
of ``comparer.facts.cue_model.features``. Prints cross-validated average precision, precision
and recall by threshold over articles, then writes the model trained on all of train. The
model's contextual term (the fine-tuned cue encoder, ``bench/train_cue_encoder.py``) is
trained apart: an ``--out`` file that has one keeps it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def labelled_articles(
    data: Path, split: str, limit: int = 0
) -> Iterator[tuple[int, int, Path, str, list[tuple[int, int]]]]:
    """(number, how many, path, text, labelled cue spans) of each article of a split that
    has a label file (one annotator's, the first by name)."""
    from bench.bench_attributions import read_ann

    text_dir, ann_dir = data / split / "text", data / split / "attributions"
    anns: dict[str, Path] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        anns.setdefault(p.stem.rsplit("_", 1)[0], p)
    texts = sorted(text_dir.glob("*.txt"))[: limit or None]
    for n, path in enumerate(texts):
        ann = anns.get(path.stem)
        if ann is not None:
            cues = [sp for g in read_ann(ann) for sp in g.cue]
            yield n, len(texts), path, path.read_text(encoding="utf-8"), cues


def placed_sentences(text: str, settings: Any, name: str) -> list[tuple[str, int]]:
    """The product's sentences of an article read as pasted text, each with its offset in
    the file (spaces folded as the reader folds them); an unreadable article is reported on
    stderr and gives none."""
    from comparer.pipeline import read_sources
    from comparer.sources import pasted_source

    article = read_sources([pasted_source(text, "PolNeAR", "s1")], settings)[0]
    if article.status != "ok":
        print(f"{name}: {article.error}", file=sys.stderr)
        return []
    flat = "".join(" " if c.isspace() and c not in "\n\r" else c for c in text)
    pos = 0
    placed = []
    for s in article.sentences:
        at = flat.find(s.text, pos)
        if at >= 0:
            placed.append((s.text, at))
            pos = at + len(s.text)
    return placed


def examples(data: Path, limit: int = 0) -> tuple[list[list[str]], list[int], list[int]]:
    """(features, label, article number) for every verb outside quotes in train."""
    from comparer.facts.cue_model import features
    from comparer.facts.nlp import load_nlp
    from comparer.facts.quotes import in_quote, quoted_ranges
    from comparer.settings import load_settings

    settings = load_settings()
    nlp = load_nlp()
    xs: list[list[str]] = []
    ys: list[int] = []
    groups: list[int] = []
    for n, total, path, text, cues in labelled_articles(data, "train", limit):
        placed = placed_sentences(text, settings, path.name)
        for (s_text, base), doc in zip(placed, nlp.pipe([t for t, _ in placed]), strict=True):
            quotes = quoted_ranges(s_text)
            for tok in doc:
                if tok.pos_ != "VERB" or in_quote(tok, quotes):
                    continue
                a, b = base + tok.idx, base + tok.idx + len(tok.text)
                xs.append(features(tok))
                ys.append(int(any(x < b and a < y for x, y in cues)))
                groups.append(n)
        if n % 100 == 0:
            print(f"  read {n + 1}/{total} articles", file=sys.stderr)
    return xs, ys, groups


def _fit(xs: list[list[str]], ys: list[int], c: float) -> Any:
    """The features' model: a logistic regression over the sparse features."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(DictVectorizer(), LogisticRegression(C=c, max_iter=3000))
    model.fit([dict.fromkeys(x, 1.0) for x in xs], ys)
    return model


def _table(name: str, y: Any, scores: Any) -> None:
    from sklearn.metrics import average_precision_score

    print(f"{name}: AP {average_precision_score(y, scores):.4f}")
    print("  threshold  precision  recall")
    for t in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8):
        pred = scores >= t
        tp = int((pred & (y == 1)).sum())
        print(f"  {t:.2f}  {tp / max(1, pred.sum()):.3f}  {tp / max(1, y.sum()):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the data folder of a PolNeAR checkout")
    ap.add_argument("--out", type=Path, default=None, help="where to write the model JSON")
    ap.add_argument("--c", type=float, default=0.5, help="inverse regularisation strength")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--min-count", type=int, default=3, help="drop rarer features")
    ap.add_argument("--min-weight", type=float, default=0.05, help="drop smaller weights")
    ap.add_argument("--cache", type=Path, help="keep the parsed examples here (JSON) for reruns")
    args = ap.parse_args()
    import numpy as np
    from sklearn.model_selection import GroupKFold

    if args.cache and args.cache.exists():
        xs, ys, groups = json.loads(args.cache.read_text())
    else:
        xs, ys, groups = examples(args.data, args.limit)
        if args.cache:
            args.cache.write_text(json.dumps([xs, ys, groups]))
    counts: dict[str, int] = {}
    for x in xs:
        for f in x:
            counts[f] = counts.get(f, 0) + 1
    xs = [[f for f in x if counts[f] >= args.min_count] for x in xs]
    y = np.array(ys)
    print(f"{len(xs)} verbs, {int(y.sum())} labelled cues ({y.mean():.2f})")
    folds = list(GroupKFold(n_splits=args.folds).split(xs, ys, groups))
    scores = np.zeros(len(xs))
    for train_i, test_i in folds:
        m = _fit([xs[i] for i in train_i], [ys[i] for i in train_i], args.c)
        scores[test_i] = m.predict_proba([dict.fromkeys(xs[i], 1.0) for i in test_i])[:, 1]
    _table("features, cross-validated over articles", y, scores)
    final = _fit(xs, ys, args.c)
    vec, lr = final.steps[0][1], final.steps[1][1]
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True)
        if abs(w) >= args.min_weight
    }
    model: dict[str, Any] = {
        "about": "Learned reporting-cue scorer (comparer/facts/cue_model.py); trained on the "
        "PolNeAR train split by bench/train_cue_model.py; features seen fewer than "
        "--min-count times or with |weight| under --min-weight dropped.",
        "trained_on": {"verbs": len(xs), "cues": int(y.sum()), "c": args.c},
        "threshold": args.threshold,
        "bias": round(float(lr.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
    }
    if args.out and args.out.exists():
        # the encoder's term is trained apart (train_cue_encoder.py): a retrain keeps it
        old = json.loads(args.out.read_text(encoding="utf-8"))
        for key in ("context", "context_trained_on"):
            if key in old:
                model[key] = old[key]
    if args.out:
        args.out.write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n")
        print(f"wrote {args.out}: {len(model['weights'])} weights")
    top = sorted(model["weights"].items(), key=lambda kv: -kv[1])[:25]
    print("strongest cue features:", ", ".join(f"{k} {v:+.2f}" for k, v in top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
