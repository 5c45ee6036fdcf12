"""Fine-tune the packaged MiniLM to mark reporting cues word piece by word piece: the cue encoder.

    .venv/bin/python -m bench.train_cue_encoder PATH/data [--out FILE.npz] [--epochs 1]
        [--rank 32] [--limit N] [--seed 0] [--install] [--band -2 2]

The learned cue scorer (``comparer/facts/cue_model.py``) weighs a verb by its lemma and syntax,
and with ``facts.weigh_in_context`` (the default) adds the logit of this encoder
(``comparer/facts/contextual.py``): the packaged ``all-MiniLM-L6-v2`` and a one-number head,
trained together on PolNeAR's ``train`` split, every word piece labelled a cue when a labelled
cue span covers it, over the product's own sentences (the article read as pasted text). One
epoch, AdamW at 5e-5 decaying to 0, batches of 32: about 35 minutes alone on two cores.

It then measures on ``dev`` (test is kept and refused): over the verbs outside quotation marks
that the scorer weighs, the average precision of the shipped features' score, of the encoder's
score (the mean of the verb's word pieces' logits), and of their sum in logits, with how many
more labelled verbs each finds at the features' own precision.

The fine-tuned weights are 22 million numbers; what ships is their difference from the
packaged model cut to ``--rank`` (each matrix's leading singular directions, the small vectors
whole) in half precision, and the head; the dev figures printed last are those of that cut
model. ``--out`` writes it to a file, ``--install`` into the package with the scorer's term
pointing at it. Nothing of PolNeAR is written.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ENCODER = "packaged:all-MiniLM-L6-v2"
# The features' logits where the installed term asks the encoder (``ContextTerm.band``):
# chosen on train articles (the fine-tuned term on 160 of them), the narrowest band outside
# which the encoder's logit turned no decision of the features.
BAND = (-2.0, 2.0)
BATCH = 32
MAX_PIECES = 128


def sentences(data: Path, split: str, limit: int = 0, verbs: bool = False) -> list[dict[str, Any]]:
    """The product's sentences of a split, each with its labelled cue spans (sentence
    offsets) and, with ``verbs``, the verbs the scorer weighs: (start, end, label, the
    shipped features' score)."""
    from bench.train_cue_model import labelled_articles, placed_sentences
    from comparer.facts.cue_model import model
    from comparer.facts.nlp import load_nlp
    from comparer.facts.quotes import in_quote, quoted_ranges
    from comparer.settings import load_settings

    if split not in ("train", "dev"):
        raise SystemExit(
            "only train and dev may be read (test is kept for independent measurement)"
        )
    settings = load_settings()
    nlp = load_nlp() if verbs else None
    scorer = model()
    rows: list[dict[str, Any]] = []
    for n, total, path, text, cues in labelled_articles(data, split, limit):
        placed = placed_sentences(text, settings, path.name)
        docs = nlp.pipe([t for t, _ in placed]) if nlp else [None] * len(placed)
        for (s_text, base), doc in zip(placed, docs, strict=True):
            spans = [
                (max(0, a - base), min(len(s_text), b - base))
                for a, b in cues
                if a < base + len(s_text) and base < b
            ]
            row: dict[str, Any] = {"text": s_text, "cues": spans, "verbs": []}
            if doc is not None:
                quotes = quoted_ranges(s_text)
                for tok in doc:
                    if tok.pos_ != "VERB" or in_quote(tok, quotes):
                        continue
                    a, b = tok.idx, tok.idx + len(tok.text)
                    label = any(x < b and a < y for x, y in spans)
                    row["verbs"].append((a, b, int(label), scorer.probability(tok)))
            rows.append(row)
        if n % 100 == 0:
            print(f"  {split}: read {n + 1}/{total} articles", file=sys.stderr)
    return rows


def _batch(tokenizer: Any, rows: list[dict[str, Any]]) -> tuple[Any, Any, Any, Any]:
    """Encoder inputs, word-piece spans, labels and the mask of real word pieces."""
    import numpy as np
    import torch

    from comparer.facts.contextual import tokenized

    enc, spans, real = tokenized(tokenizer, [r["text"] for r in rows], MAX_PIECES)
    labels = np.zeros(spans.shape[:2], np.float32)
    for i, r in enumerate(rows):
        for j, (a, b) in enumerate(spans[i]):
            if real[i, j] and any(x < b and a < y for x, y in r["cues"]):
                labels[i, j] = 1.0
    return enc, spans, torch.tensor(labels), torch.tensor(real)


def fine_tune(rows: list[dict[str, Any]], epochs: float, seed: int = 0) -> tuple[Any, Any, Any]:
    """(tokenizer, encoder, head) trained on the rows: AdamW at 5e-5 decaying to 0, word
    pieces weighed alike (binary cross-entropy on each)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from comparer.embed import model_path

    torch.manual_seed(seed)
    rng = random.Random(seed)
    path = model_path(ENCODER)
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    head = torch.nn.Linear(encoder.config.hidden_size, 1)
    params = list(encoder.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=5e-5, weight_decay=0.01)
    steps = max(1, int(len(rows) / BATCH * epochs))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / steps))
    order: list[int] = []
    while len(order) < steps * BATCH:
        more = list(range(len(rows)))
        rng.shuffle(more)
        order += more
    encoder.train()
    started = time.perf_counter()
    for step in range(steps):
        enc, _spans, labels, real = _batch(
            tokenizer, [rows[i] for i in order[step * BATCH : (step + 1) * BATCH]]
        )
        logits = head(encoder(**enc).last_hidden_state).squeeze(-1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[real], labels[real])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 50 == 0:
            took = time.perf_counter() - started
            print(f"  step {step}/{steps} loss {loss.item():.4f} {took:.0f} s", file=sys.stderr)
    encoder.eval()
    return tokenizer, encoder, head


def low_rank(encoder: Any, rank: int) -> dict[str, Any]:
    """The fine-tuned weights' difference from the packaged model: a matrix as two factors
    of ``rank`` (``a:NAME`` rows x rank, ``b:NAME`` rank x columns), anything smaller whole
    (``d:NAME``), in half precision. Position and type embeddings are kept whole."""
    import numpy as np
    import torch
    from transformers import AutoModel

    from comparer.embed import model_path

    base = AutoModel.from_pretrained(model_path(ENCODER)).state_dict()
    out: dict[str, Any] = {}
    for name, w in encoder.state_dict().items():
        d = (w - base[name]).float()
        if not torch.any(d):
            continue
        whole = d.dim() != 2 or min(d.shape) <= rank or "position" in name or "type" in name
        if whole:
            out[f"d:{name}"] = d.numpy().astype(np.float16)
            continue
        u, s, vt = torch.linalg.svd(d, full_matrices=False)
        out[f"a:{name}"] = (u[:, :rank] * s[:rank]).numpy().astype(np.float16)
        out[f"b:{name}"] = vt[:rank].numpy().astype(np.float16)
    return out


def verb_scores(tokenizer: Any, encoder: Any, head: Any, rows: list[dict[str, Any]]) -> Any:
    """(label, features' score, encoder's logit) of every verb in the rows: the encoder's
    logit is the mean over the verb's word pieces (-5 past the cut)."""
    import numpy as np
    import torch

    out = []
    with torch.inference_mode():
        for at in range(0, len(rows), BATCH):
            chunk = rows[at : at + BATCH]
            enc, spans, _labels, real = _batch(tokenizer, chunk)
            logits = head(encoder(**enc).last_hidden_state).squeeze(-1).numpy()
            for i, r in enumerate(chunk):
                for a, b, label, p in r["verbs"]:
                    sel = [j for j, (x, y) in enumerate(spans[i]) if real[i, j] and x < b and a < y]
                    out.append((label, p, float(np.mean(logits[i, sel])) if sel else -5.0))
    return np.array(out)


def report(scores: Any) -> None:
    """Average precision of each score over dev verbs, and the labelled verbs each finds at
    the features' precision at their threshold (0.5)."""
    import numpy as np
    from sklearn.metrics import average_precision_score

    y, p, g = scores[:, 0], scores[:, 1], scores[:, 2]
    q = np.clip(p, 1e-6, 1 - 1e-6)
    both = np.log(q / (1 - q)) + g
    chosen = p >= 0.5
    aim = (y[chosen] == 1).sum() / max(1, chosen.sum())
    print(f"dev verbs {len(y)}, labelled cues {int(y.sum())}")
    print(f"features at 0.5: {int((y[chosen] == 1).sum())} found, precision {aim:.3f}")
    for name, s in (("features", p), ("encoder", g), ("features + encoder", both)):
        found = 0
        for t in np.sort(np.unique(s)):
            pick = s >= t
            if (y[pick] == 1).sum() / max(1, pick.sum()) >= aim:
                found = int((y[pick] == 1).sum())
                break
        print(f"  {name:<20} AP {average_precision_score(y, s):.4f}  at that precision {found}")


def install(parts: dict[str, Any], band: Sequence[float], seed: int) -> None:
    """The cut model into the package, and the cue model's contextual term pointing at it
    (the features' weights stay as they are)."""
    import json

    import numpy as np

    from comparer.facts.cue_model import DATA

    target = DATA.parent / "cue_encoder.npz"
    np.savez_compressed(target, **parts)
    model = json.loads(DATA.read_text(encoding="utf-8"))
    model["about"] = model["about"].split(" The 'context'")[0] + (
        " The 'context' term (used when facts.weigh_in_context is on) is the packaged MiniLM"
        " fine-tuned to mark cue word pieces, its difference in cue_encoder.npz, trained on the"
        " PolNeAR train split by bench/train_cue_encoder.py --install."
    )
    model["context_trained_on"] = {
        "split": "PolNeAR train",
        "epochs": 1,
        "seed": seed,
        "rank": int(next(v.shape[1] for k, v in parts.items() if k.startswith("a:"))),
    }
    model["context"] = {
        "encoder": ENCODER,
        "weights": target.name,
        "band": [float(band[0]), float(band[1])],
        "sparse_scale": 1.0,
        "threshold": 0.5,
    }
    DATA.write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"installed {target} ({target.stat().st_size} bytes) and the term in {DATA}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the data folder of a PolNeAR checkout")
    ap.add_argument("--out", type=Path, default=None, help="where to write the cut model (.npz)")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--rank", type=int, default=32)
    ap.add_argument("--limit", type=int, default=0, help="read only the first N articles")
    ap.add_argument("--seed", type=int, default=0, help="the batches' order and the head's start")
    ap.add_argument(
        "--install",
        action="store_true",
        help="write the cut model into the package (comparer/data/cue_encoder.npz) and make "
        "it the cue scorer's contextual term (comparer/data/cue_model.json)",
    )
    ap.add_argument(
        "--band",
        type=float,
        nargs=2,
        default=BAND,
        metavar=("LOW", "HIGH"),
        help="the features' logits where the installed term asks the encoder",
    )
    args = ap.parse_args()
    import numpy as np
    import torch

    torch.set_num_threads(2)
    train = sentences(args.data, "train", args.limit)
    dev = sentences(args.data, "dev", args.limit, verbs=True)
    print(f"{len(train)} train sentences, {len(dev)} dev sentences")
    tokenizer, tuned, head = fine_tune(train, args.epochs, args.seed)
    print("fine-tuned encoder:")
    report(verb_scores(tokenizer, tuned, head, dev))
    parts = low_rank(tuned, args.rank)
    from transformers import AutoModel

    from comparer.embed import model_path
    from comparer.facts.contextual import add_difference

    cut = AutoModel.from_pretrained(model_path(ENCODER)).eval()
    add_difference(cut, parts)
    print(f"cut to rank {args.rank} ({sum(v.size for v in parts.values())} numbers):")
    report(verb_scores(tokenizer, cut, head, dev))
    parts["head:weight"] = head.weight.detach().numpy().reshape(-1).astype(np.float32)
    parts["head:bias"] = head.bias.detach().numpy().astype(np.float32)
    if args.out:
        np.savez_compressed(args.out, **parts)
        print(f"wrote {args.out}")
    if args.install:
        install(parts, args.band, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
