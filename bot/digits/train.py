"""`nnbot train-digits`: train the shipped digit reader, a small CNN built with nncore.

    nnbot train-digits --data ../shared/datasets/mnist/mnist.npz

writes `bot/assets/digits.npz` (nncore weights, float32) and `bot/assets/digits.json`, the
model card: data, architecture, epochs, augmentation, accuracy and training time.

Every epoch sees freshly distorted copies of the training digits, because a photo that went
through `bot.digits.vision` is never quite MNIST: shifted a little off centre, slanted, bent,
thicker or thinner, blurred, fainter, its stroke crisp and even where MNIST's is soft — and
written by someone who learnt other shapes than MNIST's American writers (`bot.digits.styles`).
The distortions (`augment`) take about 20 s an epoch and are drawn from a seeded generator, so
one seed gives one model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

import nncore as nn
from bot.digits import mnist_frame, styles
from nncore import datasets

ASSETS = Path(__file__).resolve().parents[1] / "assets"
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "mnist" / "mnist.npz"

AUGMENTATION = {
    "rotation_degrees": 12,
    "scale": [0.8, 1.15],
    "aspect": [0.85, 1.15],
    "shear": 0.25,
    "shift_pixels": 2.5,
    "elastic": "on 50%: a smooth random displacement field (5×5 control points, σ 1.3 px, "
    "bilinear in between), as in Simard et al. 2003",
    "stroke": "thicker (35%) or thinner (20%) by up to one pixel",
    "blur": "3×3 blur on 25%",
    "contrast": "peak ink × 0.5–1.0 on 30%, gamma 0.7–1.4",
    "noise": "Gaussian σ 0–0.05 on 20%",
    "pen": "30% redrawn the way bot.digits.vision redraws a photo: the stroke cut at a random ink "
    "level 0.3–0.8 (a thin ballpoint keeps only the core) and re-thickened to a uniform width",
    "drawn": "8% replaced by a drawn digit of the same label in a style MNIST rarely shows "
    "(bot/digits/styles.py: closed-top 4s, crossed 7s, flagged 1s, pointed 9s, and the usual "
    "shapes)",
    "clean_fraction": 0.1,
}
DRAWN_FRACTION = 0.08
PEN_FRACTION = 0.3
PEN_LEVELS = (0.3, 0.8)


# --------------------------------------------------------------------------- model


def build_model(width: int = 32, seed: int = 0) -> nn.Sequential:
    """conv3×3(width) → pool → conv3×3(2·width) → pool → dense 128 → dropout → 10 classes."""
    w2 = 2 * width
    return nn.Sequential(
        [
            nn.Conv2D(1, width, 3, padding=1, rng=seed),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Conv2D(width, w2, 3, padding=1, rng=seed + 1),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Flatten(),
            nn.Dense(w2 * 7 * 7, 128, init="he", rng=seed + 2),
            nn.ReLU(),
            nn.Dropout(0.35, rng=seed + 3),
            nn.Dense(128, 10, rng=seed + 4),
            nn.Softmax(),
        ]
    )


# --------------------------------------------------------------------------- augmentation


def _control_grid(points: int, size: int) -> np.ndarray:
    """(size, points) weights that interpolate `points` evenly spaced values linearly."""
    where = np.linspace(0, points - 1, size)
    left = np.minimum(np.floor(where).astype(int), points - 2)
    frac = where - left
    weights = np.zeros((size, points))
    weights[np.arange(size), left] = 1 - frac
    weights[np.arange(size), left + 1] = frac
    return weights.astype(np.float32)


def _elastic_field(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(2, n, size·size) smooth random displacements, zero for half of the images.

    Random offsets at 5×5 control points, interpolated in between: the hand's wobble that a
    global affine map cannot produce (Simard, Steinkraus and Platt, 2003).
    """
    grid = _control_grid(5, size)
    offsets = rng.normal(0, 1.3, (2, n, 5, 5)).astype(np.float32)
    offsets[:, rng.random(n) >= 0.5] = 0
    field = np.einsum("yi,cnij,xj->cnyx", grid, offsets, grid)
    return field.reshape(2, n, size * size)


def affine(x: np.ndarray, rng: np.random.Generator, amounts: dict = AUGMENTATION) -> np.ndarray:
    """Rotate, scale, shear, shift and gently bend every image by its own random amount
    (`amounts`: the ranges, as in AUGMENTATION; the digits lab passes milder ones).

    For each output pixel p we look up the source position  A⁻¹·(p − c − t) + c + e(p)  with
    A = rotation · shear · scale about the centre c and e a smooth elastic displacement, and
    interpolate the four neighbours (bilinear).
    """
    n, size = len(x), x.shape[1]
    angle = np.deg2rad(rng.uniform(-1, 1, n) * amounts["rotation_degrees"])
    scale = rng.uniform(*amounts["scale"], n)
    aspect = rng.uniform(*amounts["aspect"], n)
    shear = rng.uniform(-1, 1, n) * amounts["shear"]
    shift = rng.uniform(-1, 1, (n, 2)) * amounts["shift_pixels"]
    cos, sin = np.cos(angle), np.sin(angle)
    sx, sy = scale * aspect, scale / aspect
    # A = R @ Sh @ S with R = [[cos, -sin], [sin, cos]], Sh = [[1, shear], [0, 1]], S = diag(sx, sy)
    a00, a01 = cos * sx, (cos * shear - sin) * sy
    a10, a11 = sin * sx, (sin * shear + cos) * sy
    det = a00 * a11 - a01 * a10
    i00, i01, i10, i11 = a11 / det, -a01 / det, -a10 / det, a00 / det
    c = (size - 1) / 2
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    px = xs.ravel()[None, :] - c - shift[:, :1]
    py = ys.ravel()[None, :] - c - shift[:, 1:]
    elastic = _elastic_field(n, size, rng)
    src_x = i00[:, None] * px + i01[:, None] * py + c + elastic[0]
    src_y = i10[:, None] * px + i11[:, None] * py + c + elastic[1]
    padded = np.zeros((n, size + 2, size + 2), dtype=np.float32)
    padded[:, 1:-1, 1:-1] = x
    src_x = np.clip(src_x + 1, 0, size + 0.999)
    src_y = np.clip(src_y + 1, 0, size + 0.999)
    x0 = np.floor(src_x).astype(np.int64)
    y0 = np.floor(src_y).astype(np.int64)
    fx = (src_x - x0).astype(np.float32)
    fy = (src_y - y0).astype(np.float32)
    flat = padded.reshape(n, -1)
    side = size + 2
    base = y0 * side + x0
    rows = np.arange(n)[:, None]
    top = flat[rows, base] * (1 - fx) + flat[rows, base + 1] * fx
    bottom = flat[rows, base + side] * (1 - fx) + flat[rows, base + side + 1] * fx
    return (top * (1 - fy) + bottom * fy).reshape(n, size, size)


def _plus_filter(x: np.ndarray, combine) -> np.ndarray:
    """Combine each pixel with its 4 neighbours (max = thicker strokes, min = thinner)."""
    out = x.copy()
    combine(out[:, 1:, :], x[:, :-1, :], out=out[:, 1:, :])
    combine(out[:, :-1, :], x[:, 1:, :], out=out[:, :-1, :])
    combine(out[:, :, 1:], x[:, :, :-1], out=out[:, :, 1:])
    combine(out[:, :, :-1], x[:, :, 1:], out=out[:, :, :-1])
    return out


def _blur(x: np.ndarray) -> np.ndarray:
    """Separable [1, 2, 1]/4 blur."""
    out = x * 0.5
    out[:, 1:, :] += x[:, :-1, :] * 0.25
    out[:, :-1, :] += x[:, 1:, :] * 0.25
    tmp = out * 0.5
    tmp[:, :, 1:] += out[:, :, :-1] * 0.25
    tmp[:, :, :-1] += out[:, :, 1:] * 0.25
    return tmp


def redraw(image: np.ndarray, level: float) -> np.ndarray:
    """One MNIST digit as the photo pipeline would deliver it had it been written with a pen.

    MNIST strokes have soft edges; `bot.digits.vision` makes every photo's stroke crisp and of
    one width (thin ballpoint lines are thickened). So the digit is enlarged to the pipeline's
    working size, cut at `level` (0.8 keeps only the core of the stroke, 0.3 almost all of it)
    and handed to `bot.digits.mnist_frame.to_mnist`, which thickens, fits and centres it exactly
    as for a photo.
    """
    a = np.asarray(image, dtype=np.float32)
    a = mnist_frame.crop_to_ink(a / max(float(a.max()), 1e-6))
    h, w = a.shape
    s = mnist_frame.FIT / max(h, w)
    size = (max(1, round(w * s)), max(1, round(h * s)))
    big = np.asarray(Image.fromarray(a).resize(size, Image.Resampling.BICUBIC), dtype=np.float32)
    ink = np.clip((big - level) / 0.1 + 0.5, 0.0, 1.0)  # the pen's edge: about a pixel soft
    return mnist_frame.to_mnist(ink)


def augment(
    x: np.ndarray, rng: np.random.Generator, labels: np.ndarray | None = None
) -> np.ndarray:
    """Randomly distorted copies of images x (n, 28, 28) float32 in [0, 1].

    With `labels`, some images are first swapped for drawn digits of the same label.
    """
    n = len(x)
    x = x.copy()
    if labels is not None:
        drawn = np.nonzero(rng.random(n) < DRAWN_FRACTION)[0]
        x[drawn] = styles.draw_many(labels[drawn], rng)
    pen = np.nonzero(rng.random(n) < PEN_FRACTION)[0]
    if len(pen):
        levels = rng.uniform(*PEN_LEVELS, len(pen))
        for i, level in zip(pen, levels, strict=True):
            x[i] = redraw(x[i], float(level))
    out = affine(x, rng)

    def pick(p: float) -> np.ndarray:
        return np.nonzero(rng.random(n) < p)[0]

    mix = rng.uniform(0.3, 1.0, (n, 1, 1)).astype(np.float32)
    thick = pick(0.35)
    out[thick] += mix[thick] * (_plus_filter(out[thick], np.maximum) - out[thick])
    thin = np.setdiff1d(pick(0.2), thick)
    out[thin] += mix[thin] * (_plus_filter(out[thin], np.minimum) - out[thin])
    blurred = pick(0.25)
    out[blurred] = _blur(out[blurred])
    faint = pick(0.3)
    out[faint] *= rng.uniform(0.5, 1.0, (len(faint), 1, 1)).astype(np.float32)
    np.clip(out, 0.0, 1.0, out=out)
    gamma = pick(0.3)
    out[gamma] **= rng.uniform(0.7, 1.4, (len(gamma), 1, 1)).astype(np.float32)
    noisy = pick(0.2)
    sigma = rng.uniform(0, 0.05, (len(noisy), 1, 1))
    out[noisy] += (rng.standard_normal((len(noisy), 28, 28)) * sigma).astype(np.float32)
    clean = pick(AUGMENTATION["clean_fraction"])
    out[clean] = x[clean]
    return np.clip(out, 0.0, 1.0)


# --------------------------------------------------------------------------- progress


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most a few times a second."""

    def __init__(self, epochs: int, stream=sys.stderr, quiet: bool = False) -> None:
        self.epochs, self.stream, self.quiet = epochs, stream, quiet
        self.started = time.perf_counter()
        self.last = 0.0
        self.epoch_offset = 0

    def __call__(self, p: nn.Progress) -> None:
        now = time.perf_counter()
        # a terminal gets a live bar; a log file a line every 20 s
        interval = 0.5 if self.stream.isatty() else 20.0
        if self.quiet or (p.event == "batch" and now - self.last < interval):
            return
        self.last = now
        done = (self.epoch_offset + (p.batch / p.batches)) / self.epochs
        elapsed = now - self.started
        eta = elapsed / done - elapsed if done > 0 else 0.0
        bar = "#" * int(30 * done) + "." * (30 - int(30 * done))
        acc = f" acc {100 * p.accuracy:5.2f}%" if p.accuracy is not None else ""
        end = "" if self.stream.isatty() else "\n"
        self.stream.write(
            f"\r[{bar}] epoch {self.epoch_offset + 1}/{self.epochs} "
            f"batch {p.batch}/{p.batches} loss {p.loss:.4f}{acc} "
            f"elapsed {_clock(elapsed)} eta {_clock(eta)}  {end}"
        )
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


# --------------------------------------------------------------------------- training


def to_input(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) images, uint8 0..255 or float 0..1 → the network's (n, 1, 28, 28) float32."""
    x = np.asarray(images)
    x = x.astype(np.float32) / 255 if x.dtype == np.uint8 else x.astype(np.float32)
    return x.reshape(len(x), 1, 28, 28)


def accuracy(model: nn.Sequential, images: np.ndarray, labels: np.ndarray) -> float:
    probs = model.predict(to_input(images), batch_size=500)
    return float((probs.argmax(axis=1) == np.asarray(labels)).mean())


def train(
    data: dict[str, np.ndarray],
    epochs: int,
    width: int,
    batch_size: int,
    lr: float,
    seed: int,
    augmentation: bool,
    limit: int | None = None,
    log: Callable[[str], None] = print,
    quiet: bool = False,
    start: nn.Sequential | None = None,
) -> tuple[nn.Sequential, dict]:
    """Train a fresh CNN on data["x_train"]; return it with the figures for the model card."""
    rng = np.random.default_rng(seed)
    x = data["x_train"].astype(np.float32) / 255
    y = data["y_train"].astype(np.int64)
    if limit:
        keep = rng.permutation(len(x))[:limit]
        x, y = x[keep], y[keep]
    model = start if start is not None else build_model(width, seed)
    loss = nn.SoftmaxCrossEntropy()
    optimizer = nn.Adam(lr)
    bar = ProgressBar(epochs, quiet=quiet)
    started = time.perf_counter()
    per_epoch = []
    for epoch in range(epochs):
        epoch_started = time.perf_counter()
        # cosine decay from lr to lr/20 over the run
        optimizer.lr = lr * (0.05 + 0.95 * 0.5 * (1 + np.cos(np.pi * epoch / max(1, epochs))))
        inputs = augment(x, rng, y) if augmentation else x
        bar.epoch_offset = epoch
        history = model.fit(
            to_input(inputs),
            y,
            loss,
            optimizer,
            epochs=1,
            batch_size=batch_size,
            seed=seed * 1000 + epoch,
            callbacks=[bar],
        )
        epoch_seconds = time.perf_counter() - epoch_started
        per_epoch.append(
            {
                "epoch": epoch + 1,
                "loss": history.loss[-1],
                "lr": optimizer.lr,
                "seconds": round(epoch_seconds, 1),
            }
        )
        if not quiet and sys.stderr.isatty():
            sys.stderr.write("\n")
        log(
            f"epoch {epoch + 1}/{epochs}: loss {history.loss[-1]:.4f} "
            f"train acc {100 * history.accuracy[-1]:.2f}% lr {optimizer.lr:.2e} "
            f"({epoch_seconds:.1f} s this epoch, {time.perf_counter() - started:.0f} s in all)"
        )
    seconds = time.perf_counter() - started
    model.eval()
    return model, {"training_seconds": round(seconds, 1), "per_epoch": per_epoch}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nnbot train-digits", description="Train the digit-reading CNN on MNIST (nncore)."
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="mnist.npz or a folder of MNIST IDX files (default: ../shared/datasets/mnist/"
        "mnist.npz if present, else a verified download into the cache)",
    )
    parser.add_argument("--out", type=Path, default=ASSETS, help="folder for digits.npz/.json")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--width", type=int, default=32, help="filters in the first conv layer")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="train on this many images")
    parser.add_argument("--no-augment", action="store_true", help="train on plain MNIST")
    parser.add_argument("--usps", type=Path, default=None, help="also report USPS accuracy")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads for nncore's batch loops; more is faster on several cores, but sums are "
        "then added in another order, so only 1 (the default) rebuilds the shipped weights "
        "bit for bit",
    )
    parser.add_argument(
        "--start", type=Path, default=None, help="continue from these weights (fine-tuning)"
    )
    return parser


def _load_training_data(path: Path | None) -> tuple[Path, dict[str, np.ndarray] | None]:
    """The MNIST file to train on and its arrays; None (after saying why on stderr) if unusable."""
    if path is None:
        path = DEFAULT_DATA if DEFAULT_DATA.is_file() else datasets.download_mnist()
    try:
        data = datasets.load_mnist(path)
    except datasets.DatasetError as exc:
        print(f"nnbot train-digits: {exc}", file=sys.stderr)
        return path, None
    if "x_train" not in data:
        print(f"nnbot train-digits: {path} has no training images", file=sys.stderr)
        return path, None
    return path, data


def _scores(
    model: nn.Sequential, data: dict[str, np.ndarray], usps: Path | None
) -> dict[str, float]:
    """Test accuracy on MNIST, and on USPS (in the MNIST convention) when given."""
    scores = {"mnist_test": round(accuracy(model, data["x_test"], data["y_test"]), 4)}
    if usps is not None:
        from bot.digits.mnist_frame import usps_to_mnist

        ux, uy = datasets.read_usps(usps)
        scores["usps_test"] = round(accuracy(model, usps_to_mnist(ux), uy), 4)
    return scores


def _model_card(
    args: argparse.Namespace,
    path: Path,
    data: dict[str, np.ndarray],
    model: nn.Sequential,
    figures: dict,
    scores: dict[str, float],
    weights: Path,
) -> dict:
    """digits.json: how the weights in `weights` were made and how well they read."""
    return {
        "name": "nnbot digit reader",
        "task": "one handwritten digit, 28×28 MNIST convention (ink = 1) → 10 probabilities",
        "data": {
            "train": f"MNIST training set ({len(data['x_train'])} images)"
            + (f", random subset of {args.limit}" if args.limit else ""),
            "file": Path(path).name,
            "sha256": datasets.sha256_of(path) if Path(path).is_file() else None,
            "test": "MNIST test set (10 000 images)",
        },
        "architecture": model.summary((1, 28, 28)).splitlines(),
        "parameters": model.param_count(),
        "epochs": args.epochs,
        "started_from": str(args.start) if args.start else None,
        "batch_size": args.batch_size,
        "optimizer": f"Adam, lr {args.lr} with cosine decay to {args.lr / 20:g}",
        "seed": args.seed,
        "augmentation": AUGMENTATION if not args.no_augment else None,
        "accuracy": scores,
        "training_seconds": figures["training_seconds"],
        "per_epoch": figures["per_epoch"],
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}",
        "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
    }


def main(argv: list[str] | None = None) -> int:
    """Train, report the accuracy, write digits.npz and its model card digits.json."""
    args = _parser().parse_args(argv)
    if args.threads < 1:
        print("nnbot train-digits: --threads must be at least 1", file=sys.stderr)
        return 2
    nn.set_threads(args.threads)
    path, data = _load_training_data(args.data)
    if data is None:
        return 1
    count = min(len(data["x_train"]), args.limit or len(data["x_train"]))
    print(f"training on {count} images from {path} with {args.threads} thread(s)", flush=True)
    model, figures = train(
        data,
        epochs=args.epochs,
        width=args.width,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        augmentation=not args.no_augment,
        limit=args.limit,
        log=lambda line: print(line, flush=True),
        quiet=args.quiet,
        start=nn.load(args.start) if args.start else None,
    )
    scores = _scores(model, data, args.usps)
    print("accuracy: " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()), flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    weights = args.out / "digits.npz"
    model.save(weights)
    card = _model_card(args, path, data, model, figures, scores, weights)
    (args.out / "digits.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {weights} ({weights.stat().st_size / 1e6:.2f} MB) and digits.json", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
