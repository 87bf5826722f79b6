"""Fit the stretch judge of bot/digits/touching.py: bot/assets/digit_cuts.npz and its card.

    .venv/bin/python -m benchmarks.fit_digit_cuts [--photos 1200] [--seed 0] [--out bot/assets]

A blob of touching digits is over-segmented into stretches between candidate cuts; the judge
scores each stretch (the FEATURES of bot.digits.touching) by how much it looks like one whole
digit, and the reader keeps the cover of the blob with the best total. This script makes it:

1. **Photos.** Synthetic photos of touching numbers, of pages of 2–5 lines and of spaced numbers
   (tests/support), their glyphs drawn from MNIST's *training* images and from drawn strokes:
   the digits benchmark reads MNIST *test* glyphs, so the judge is measured on digits it has
   never seen.
2. **Labels.** Every line of writing is cut the way the reader would, with every candidate
   stretch. The cover of the line that reads its true digits most surely (a forced alignment,
   the product of the reader's probabilities of the true digits) marks its stretches as whole
   digits and every other stretch as not. Lines whose alignment has a digit under p = 0.5, or
   whose photo splits into another number of lines, teach nothing and are left out.
3. **Model.** A small nncore network, FEATURES → 32 → 1, trained with binary cross-entropy on
   four fifths of the photos; the features' standardisation is folded into its first layer.
4. **Bonus.** The dynamic programme adds up scores, so a constant per stretch sets how readily
   it cuts. It is the one that reads the most lines of the held-out fifth right, and is folded
   into the last bias.

Needs ../shared/datasets/mnist. Takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import hashlib
import json
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

import nncore as nn
from bot.digits import numbers, photo, touching
from bot.digits.reader import WEIGHTS, get_reader
from bot.digits.vision import find_ink
from nncore import datasets
from tests.support import synthetic_paper as paper
from tests.support import synthetic_photos as sp
from tests.support.paths import SHARED_DATASETS as SHARED

KINDS = ("touching numbers", "lines", "spaced numbers")
BONUSES = np.arange(-2.0, 8.01, 0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1200, help="synthetic photos, all kinds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=touching.CUTS.parent)
    args = parser.parse_args(argv)
    if not (SHARED / "mnist" / "mnist.npz").is_file():
        print(f"MNIST not found under {SHARED}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    jobs = [(args.seed, k, KINDS[k % len(KINDS)]) for k in range(args.photos)]
    with Pool(os.cpu_count() or 1) as pool:
        photos = pool.map(photo_lattices, jobs, chunksize=8)
    lines_total = sum(len(p) for p in photos)
    labelled = [[line for line in p if line is not None] for p in photos]
    held = np.random.default_rng(args.seed).random(len(photos)) < 0.2
    train = [line for p, h in zip(labelled, held, strict=True) if not h for line in p]
    test = [line for p, h in zip(labelled, held, strict=True) if h for line in p]
    x, y = rows(train)
    model, fit_accuracy = fit(x, y, args.seed)
    xt, yt = rows(test)
    test_accuracy = float(((model.predict(xt)[:, 0] > 0) == yt).mean())
    right = {float(b): lines_right(model, test, b) for b in BONUSES}
    bonus = max(right, key=lambda b: (right[b], -abs(b)))
    model.layers[-1].params["b"] += bonus
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / touching.CUTS.name
    model.save(target)
    card = {
        "what": "the stretch judge of bot/digits/touching.py: FEATURES → score of one whole digit",
        "command": "python -m benchmarks.fit_digit_cuts " + " ".join(argv or sys.argv[1:]),
        "features": list(touching.FEATURES),
        "photos": args.photos,
        "kinds": list(KINDS),
        "glyphs": "MNIST training images and drawn strokes (the benchmark reads MNIST test ones)",
        "lines": lines_total,
        "lines_labelled": len(train) + len(test),
        "stretches_fitted": len(y),
        "whole_share": round(float(y.mean()), 4),
        "stretch_accuracy_fitted": round(fit_accuracy, 4),
        "stretch_accuracy_held_out": round(test_accuracy, 4),
        "held_out_lines": len(test),
        "held_out_lines_right_by_bonus": {f"{b:g}": r for b, r in right.items()},
        "bonus": bonus,
        "reader_sha256": hashlib.sha256(WEIGHTS.read_bytes()).hexdigest(),
        "seconds": round(time.perf_counter() - started),
    }
    target.with_suffix(".json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    print(
        f"{len(y)} stretches from {len(train)} lines, {y.mean():.1%} whole; stretch accuracy "
        f"{fit_accuracy:.4f} fitted, {test_accuracy:.4f} held out; bonus {bonus:g} reads "
        f"{right[bonus]}/{len(test)} held-out lines right; {card['seconds']} s → {target}"
    )
    return 0


def kind_photo(kind: str, rng: np.random.Generator, drawn: bool) -> tuple[bytes, str]:
    """A photo of the kind and its truth, the glyphs drawn or MNIST training images."""
    mnist = _mnist_train()
    images, labels = mnist["x_train"], mnist["y_train"].astype(int)
    if kind != "spaced numbers":
        source = paper.drawn_source(rng) if drawn else paper.mnist_source(images, labels, rng)
        return paper.kind_photo(kind, rng, source)
    digits = [int(d) for d in rng.integers(0, 10, int(rng.integers(3, 9)))]
    glyphs = [None if drawn else images[rng.choice(np.nonzero(labels == d)[0])] for d in digits]
    return sp.random_number_photo(glyphs, digits, rng), "".join(map(str, digits))


def photo_lattices(job: tuple[int, int, str]) -> list[dict | None]:
    """One photo's lines, each its truth and its blobs' lattices with the aligned stretches
    marked ({"truth", "blobs"}), or None for a line that teaches nothing."""
    seed, index, kind = job
    data, truth = kind_photo(kind, np.random.default_rng([seed, index]), drawn=index % 2 == 1)
    reader = get_reader()
    try:
        found = find_ink(data, photo.DEFAULT_MAX_PIXELS, False, photo.NUMBER_SIDE)
        lines = numbers.digit_groups(found)
    except photo.ImageProblem:
        return []
    truths = truth.split("-")
    if len(lines) != len(truths):
        return [None] * len(lines)
    out: list[dict | None] = []
    for groups, text in zip(lines, truths, strict=True):
        blobs = [blob_lattice(found, group, reader.classify) for group in groups]
        path = align(blobs, [int(c) for c in text])
        if path is None or min(p for _, _, p in path) < 0.5:
            out.append(None)
            continue
        for b, blob in enumerate(blobs):
            blob["whole"] = np.zeros(len(blob["keys"]), dtype=bool)
            blob["whole"][[k for bb, k, _ in path if bb == b]] = True
        out.append({"truth": text, "blobs": blobs})
    return out


_MNIST: dict = {}


def _mnist_train() -> dict:
    if not _MNIST:
        _MNIST.update(datasets.load_mnist(SHARED / "mnist" / "mnist.npz"))
    return _MNIST


def blob_lattice(found, group: np.ndarray, judge: touching.Judge) -> dict:
    """A blob's stretches (index pairs of its cuts), their features and the reader's
    probabilities; a blob read whole is one stretch that is not judged."""
    spans = touching.spans_of(found, group, judge, False)
    if spans is None:
        (piece,) = touching.prepare_columns(found, group, [touching.whole(found, group)], False)
        probs = judge(piece.image28[None])
        return {"keys": [(0, 1)], "cuts": 2, "features": None, "probs": probs}
    at, keys, features, pieces = spans
    probs = judge(np.stack([pieces[k].image28 for k in keys]))
    return {"keys": keys, "cuts": len(at), "features": features, "probs": probs}


def align(blobs: list[dict], digits: list[int]) -> list[tuple[int, int, float]] | None:
    """The cover of the line by stretches, one per digit in order, with the largest product of
    the reader's probabilities of the true digits: (blob, stretch, p) per digit, or None."""
    # best[(b, cut, k)]: log-probability of reading digits[:k] up to blob b's cut, and whence
    best: dict[tuple[int, int, int], tuple[float, tuple | None]] = {(0, 0, 0): (0.0, None)}
    for b, blob in enumerate(blobs):
        if b > 0:  # a blob starts where the one before it ends
            last = blobs[b - 1]["cuts"] - 1
            for k in range(len(digits) + 1):
                if (b - 1, last, k) in best:
                    best[(b, 0, k)] = (best[(b - 1, last, k)][0], ("join", b - 1, last, k))
        for s, (i, j) in sorted(enumerate(blob["keys"]), key=lambda t: t[1][1]):
            for k in range(len(digits)):
                if (b, i, k) not in best:
                    continue
                p = float(blob["probs"][s, digits[k]])
                total = best[(b, i, k)][0] + np.log(p + 1e-12)
                if (b, j, k + 1) not in best or total > best[(b, j, k + 1)][0]:
                    best[(b, j, k + 1)] = (total, ("take", b, i, k, s, p))
    node = (len(blobs) - 1, blobs[-1]["cuts"] - 1, len(digits))
    if node not in best:
        return None
    path = []
    while best[node][1] is not None:
        step = best[node][1]
        if step[0] == "join":
            node = step[1:]
            continue
        _, b, i, k, s, p = step
        path.append((b, s, p))
        node = (b, i, k)
    return path[::-1]


def rows(lines: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Every judged stretch's features and whether it is a whole digit."""
    blobs = [blob for line in lines for blob in line["blobs"] if blob["features"] is not None]
    if not blobs:
        return np.zeros((0, len(touching.FEATURES)), np.float32), np.zeros(0, bool)
    x = np.concatenate([blob["features"] for blob in blobs]).astype(np.float32)
    return x, np.concatenate([blob["whole"] for blob in blobs])


def fit(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[nn.Sequential, float]:
    """The judge trained on standardised features, the standardisation then folded into its
    first layer (so it takes the features as they are); and its accuracy on them."""
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-3
    model = nn.Sequential(
        [nn.Dense(x.shape[1], 32, rng=seed), nn.ReLU(), nn.Dense(32, 1, rng=seed + 1)]
    )
    model.fit(
        (x - mean) / spread,
        y[:, None].astype(np.float32),
        nn.BinaryCrossEntropy(from_logits=True),
        nn.Adam(0.003),
        epochs=40,
        batch_size=64,
        seed=seed,
    )
    first = model.layers[0].params
    # ((x − mean) / spread) · W + b  =  x · (W / spread) + (b − (mean / spread) · W)
    first["b"] = first["b"] - (mean / spread) @ first["W"]
    first["W"] = first["W"] / spread[:, None]
    model.eval()
    return model, float(((model.predict(x)[:, 0] > 0) == y).mean())


def lines_right(model: nn.Sequential, lines: list[dict], bonus: float) -> int:
    """How many lines the dynamic programme reads right with this bonus per stretch."""
    right = 0
    for line in lines:
        read = []
        for blob in line["blobs"]:
            if blob["features"] is None:
                read.append(int(blob["probs"][0].argmax()))
                continue
            score = model.predict(blob["features"].astype(np.float32))[:, 0] + bonus
            path = touching.best_path(dict(zip(blob["keys"], score, strict=True)), blob["cuts"])
            index = {key: s for s, key in enumerate(blob["keys"])}
            read += [int(blob["probs"][index[key]].argmax()) for key in path]
        right += "".join(map(str, read)) == line["truth"]
    return right


if __name__ == "__main__":
    sys.exit(main())
