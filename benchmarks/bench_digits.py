"""Figures for the shipped digit reader (issue 4), measured on one core.

    .venv/bin/python -m benchmarks.bench_digits [--numbers 300] [--seed 0]   (from the checkout)

Prints: MNIST test accuracy (10 000), USPS test accuracy (2 007, brought to the MNIST
convention), the photos-dev score (20 real photos), accuracy on synthetic single-digit photos,
on photos of handwriting styles MNIST seldom shows (tests/support/synthetic_photos.STYLED), and
whole-number accuracy on synthetic 3–8-digit numbers (tests/support/synthetic_photos.py, MNIST
*test* digits, so never seen in training), and the latency of decode + preprocess + classify
for one 1280×960 JPEG. Needs ../shared/datasets.
Then photos-dev2 (42 real single digits; 4 real photos of numbers, right when every line of
writing is, the label's lines joined by "-") and the accuracy per kind of real failure
(tests/support/synthetic_paper.py: tilted ruled and squared paper, a digit at the edge, tight
crops, handwriting styles, touching digits, pages of 2–5 lines), `--per-kind` photos each.
Single digits are read as `nnbot digits` reads them (the most prominent digit); beside that,
"as the bot answers" counts the bot's own answer, which reads the photo as a number first and
answers a number when it finds several digits (`bot.digits.answers.read_photo`).
"perturbed real" answers the real single digits again after changes people make without
thinking (turned, scaled, cropped right at the ink, darker, blurred, compressed).
"""

from __future__ import annotations

import os

# one core, set before NumPy is imported
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from bot.digits import answers
from bot.digits.ink import otsu_threshold
from bot.digits.mnist_frame import usps_to_mnist
from bot.digits.photo import DEFAULT_MAX_PIXELS, ImageProblem, decode
from bot.digits.reader import WEIGHTS, DigitReader, get_reader
from nncore import datasets
from tests.support import synthetic_paper as paper
from tests.support import synthetic_photos as sp
from tests.support.paths import SHARED_DATASETS as SHARED

SECTIONS = ("mnist", "photos-dev", "synthetic", "photos-dev2", "kinds", "perturbed", "latency")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=300, help="synthetic numbers to read")
    parser.add_argument("--singles", type=int, default=500, help="synthetic digit photos")
    parser.add_argument("--styled", type=int, default=60, help="photos per handwriting style")
    parser.add_argument("--per-kind", type=int, default=100, help="photos per synthetic kind")
    parser.add_argument("--latency-runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        help="measure only these sections (default: all); `kinds` takes --kind to pick kinds",
    )
    parser.add_argument(
        "--kind", nargs="+", choices=paper.KINDS, help="only these synthetic kinds (default: all)"
    )
    parser.add_argument("--misses", action="store_true", help="list the synthetic kinds' misreads")
    parser.add_argument("--save-misses", type=Path, help="write each misread kind photo here")
    args = parser.parse_args(argv)
    wanted = set(args.only or SECTIONS)
    if not SHARED.is_dir():
        print(f"datasets not found: {SHARED}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    reader = get_reader()
    print(
        f"weights load        {1000 * (time.perf_counter() - started):.0f} ms ({WEIGHTS.name}, "
        f"{WEIGHTS.stat().st_size / 1e6:.2f} MB)"
    )

    mnist = datasets.load_mnist(SHARED / "mnist" / "mnist.npz")
    x_test, y_test = mnist["x_test"].astype(np.float32) / 255, mnist["y_test"].astype(int)
    rng = np.random.default_rng(args.seed)
    if "mnist" in wanted:
        test_sets(reader, x_test, y_test)
    if "photos-dev" in wanted:
        photos_dev(reader)
    if "synthetic" in wanted:
        synthetic(reader, mnist["x_test"], y_test, args, rng)
    if "photos-dev2" in wanted:
        photos_dev2(reader)
    if "kinds" in wanted:
        kinds(reader, mnist["x_test"], y_test, args)
    if "perturbed" in wanted:
        perturbed()
    if "latency" in wanted:
        latency(reader, mnist["x_test"], y_test, args.latency_runs, rng)
    return 0


def test_sets(reader: DigitReader, x_test: np.ndarray, y_test: np.ndarray) -> None:
    mnist_acc = (reader.classify(x_test).argmax(1) == y_test).mean()
    print(f"MNIST test          {mnist_acc:.4f}  ({len(y_test)} images)")
    ux, uy = datasets.read_usps(SHARED / "usps" / "zip.test.gz")
    usps_acc = (reader.classify(usps_to_mnist(ux)).argmax(1) == uy).mean()
    print(f"USPS test           {usps_acc:.4f}  ({len(uy)} images, MNIST convention)")


def photos_dev(reader: DigitReader) -> None:
    photos = sorted((SHARED / "photos-dev").glob("*.jpg"))
    right, misses, bot_right = 0, [], 0
    for path in photos:
        label, data = int(path.name.split("_")[0]), path.read_bytes()
        try:
            result = reader.read_digit(data)
            digit, conf = result.digit, result.confidence
        except ImageProblem as problem:
            digit, conf = problem.code, 0.0
        bot_right += bot_text(data) == str(label)
        if digit == label:
            right += 1
        else:
            misses.append(f"{path.name}→{digit}({conf:.2f})")
    print(
        f"photos-dev          {right}/{len(photos)} (as the bot answers {bot_right})"
        + (f"  misread: {' '.join(misses)}" if misses else "")
    )


def synthetic(reader: DigitReader, images, y_test, args, rng) -> None:
    """Synthetic photos of single digits, of 3–8-digit numbers and of drawn styles."""
    by_digit = [np.nonzero(y_test == d)[0] for d in range(10)]
    single_right = 0
    for _ in range(args.singles):
        i = int(rng.integers(len(y_test)))
        data = sp.random_digit_photo(images[i], int(y_test[i]), rng)
        with contextlib.suppress(ImageProblem):
            single_right += reader.read_digit(data).digit == y_test[i]
    if args.singles:
        print(f"synthetic digits    {single_right / args.singles:.4f}  ({args.singles} photos)")

    number_right, digit_right, digit_total = 0, 0, 0
    for _ in range(args.numbers):
        length = int(rng.integers(3, 9))
        digits = [int(d) for d in rng.integers(0, 10, length)]
        data = sp.random_number_photo(
            [images[rng.choice(by_digit[d])] for d in digits], digits, rng
        )
        truth = "".join(map(str, digits))
        try:
            text = reader.read_number(data).text
        except ImageProblem:
            text = ""
        number_right += text == truth
        if len(text) == len(truth):
            digit_right += sum(a == b for a, b in zip(text, truth, strict=True))
        digit_total += len(truth)
    if args.numbers:
        print(
            f"synthetic numbers   {number_right / args.numbers:.4f}  whole-number "
            f"({args.numbers} numbers of 3–8 digits; digits {digit_right / digit_total:.4f})"
        )

    # ways of writing MNIST seldom shows (closed-top 4s, crossed 7s, …), drawn on photos
    styled = []
    for name, (digit, lines) in sp.STYLED.items():
        right = 0
        for k in range(args.styled):
            height = int(rng.uniform(0.25, 0.6) * 480)
            pen = (0.03, 0.06, 0.1)[k % 3] * height
            glyph = sp.stroke_glyph(digit, height, max(2.0, pen), rng, lines)
            with contextlib.suppress(ImageProblem):
                right += reader.read_digit(sp.photo([glyph], rng, size=(640, 480))).digit == digit
        styled.append(f"{name} {right}/{args.styled}")
    print("drawn styles        " + ", ".join(styled))


def _jpeg(image: Image.Image, quality: int = 92) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _ink_box(image: Image.Image, margin: float) -> tuple[int, int, int, int]:
    """The box of the photo's dark ink (Otsu on the grey levels, 0.5 % of it left out at each
    side as specks), widened by `margin` of its size on each side."""
    grey = np.asarray(image.convert("L"), np.float32)
    ys, xs = np.nonzero(grey < 255 * otsu_threshold(grey.ravel() / 255))
    x0, x1 = np.percentile(xs, [0.5, 99.5])
    y0, y1 = np.percentile(ys, [0.5, 99.5])
    dx, dy = margin * (x1 - x0), margin * (y1 - y0)
    h, w = grey.shape
    return (
        max(0, int(x0 - dx)),
        max(0, int(y0 - dy)),
        min(w, int(x1 + 1 + dx)),
        min(h, int(y1 + 1 + dy)),
    )


def variants(image: Image.Image) -> dict[str, Image.Image]:
    """The same real photo as other people would send it: turned, scaled, cropped closer or
    right at the ink, darker, blurred, compressed harder."""
    w, h = image.size
    paper = image.convert("RGB").getpixel((2, 2))
    at_ink = image.crop(_ink_box(image, 0.0))
    return {
        "turned +8°": image.rotate(8, fillcolor=paper),
        "turned −8°": image.rotate(-8, fillcolor=paper),
        "half size": image.resize((max(1, w // 2), max(1, h // 2))),
        "double size": image.resize((2 * w, 2 * h)),
        "cropped to 90 %": image.crop((w // 20, h // 20, w - w // 20, h - h // 20)),
        "cropped to 80 %": image.crop((w // 10, h // 10, w - w // 10, h - h // 10)),
        "cut at the ink + 5 %": image.crop(_ink_box(image, 0.05)),
        "cut at the ink": at_ink,
        "cut at the ink, 60 px tall": at_ink.resize(
            (max(1, round(at_ink.width * 60 / at_ink.height)), 60)
        ),
        "darker": Image.eval(image.convert("RGB"), lambda v: int(v * 0.6)),
        "blurred": image.filter(ImageFilter.GaussianBlur(max(1.0, min(w, h) / 150))),
        "JPEG quality 30": Image.open(io.BytesIO(_jpeg(image, 30))),
    }


def perturbed() -> None:
    """The real single digits (photos-dev and photos-dev2), each changed the ways of
    `variants`, as the bot answers: how much a reading depends on how the photo was taken."""
    photos = [(p, p.name[0]) for p in sorted((SHARED / "photos-dev").glob("*.jpg"))]
    folder = SHARED / "photos-dev2" / "single"
    if folder.is_dir():
        photos += [(p, p.name.split("_")[0]) for p in sorted(folder.iterdir())]
    right: dict[str, int] = {}
    for path, label in photos:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        for name, changed in variants(image).items():
            right[name] = right.get(name, 0) + (bot_text(_jpeg(changed)) == label)
    shown = ", ".join(f"{name} {n}" for name, n in right.items())
    total = sum(right.values())
    print(
        f"perturbed real      {total}/{len(photos) * len(right)} as the bot answers "
        f"({len(photos)} real single digits × {len(right)} changes; of {len(photos)} each: {shown})"
    )


def latency(reader: DigitReader, images, y_test, runs: int, rng) -> None:
    latency_reader = DigitReader(reader.model)
    jpegs = [
        sp.random_digit_photo(
            images[i], int(y_test[i]), rng, size=(1280, 960), orientation=1, quality=90
        )
        for i in range(20)
    ]
    latency_reader.read_digit(jpegs[0])  # warm up
    times = []
    for k in range(runs):
        data = jpegs[k % len(jpegs)]
        t0 = time.perf_counter()
        latency_reader.read_digit(data)
        times.append(time.perf_counter() - t0)
    times_ms = np.array(times) * 1000
    print(
        f"latency 1280×960    median {np.median(times_ms):.1f} ms, p90 "
        f"{np.percentile(times_ms, 90):.1f} ms (decode + preprocess + classify, one core)"
    )


def number_text(reader: DigitReader, data: bytes) -> str:
    """The number a photo shows, its lines of writing joined by "-" (photos-dev2's labels)."""
    try:
        number = reader.read_number(data)
    except ImageProblem as problem:
        return problem.code
    lines = getattr(number, "lines", None)
    return "-".join(lines) if lines else number.text


def bot_text(data: bytes) -> str:
    """What the bot answers to a photo: a number when it holds several digits, else one digit
    (`bot.digits.answers.read_photo`), its lines joined by "-"."""
    try:
        return "-".join(answers.read_photo(decode(data, DEFAULT_MAX_PIXELS)).lines)
    except ImageProblem as problem:
        return problem.code


def photos_dev2(reader: DigitReader) -> None:
    """The 42 single digits and 4 photos of numbers of photos-dev2 (labels in the file names)."""
    folder = SHARED / "photos-dev2"
    if not folder.is_dir():
        print(f"photos-dev2         not found: {folder}")
        return
    singles = sorted((folder / "single").iterdir())
    right, misses, bot_right = 0, [], 0
    for path in singles:
        label, data = int(path.name.split("_")[0]), path.read_bytes()
        try:
            digit = reader.read_digit(data).digit
        except ImageProblem as problem:
            digit = problem.code
        right += digit == label
        bot_right += bot_text(data) == str(label)
        if digit != label:
            misses.append(f"{path.name.split('__')[-1]}({label})→{digit}")
    print(
        f"photos-dev2 single  {right}/{len(singles)} (as the bot answers {bot_right})  "
        f"misread: {' '.join(misses)}"
    )
    numbers = sorted((folder / "numbers").iterdir())
    right, bot_right, misses = 0, 0, []
    for path in numbers:
        label, data = path.name.split("_")[0], path.read_bytes()
        text = number_text(reader, data)
        right += text == label
        bot_right += bot_text(data) == label
        if text != label:
            misses.append(f"{label}→{text}")
    print(
        f"photos-dev2 numbers {right}/{len(numbers)} (as the bot answers {bot_right})  "
        f"misread: {' '.join(misses)}"
    )


def kinds(reader: DigitReader, images, labels, args) -> None:
    """Accuracy per kind of real failure (tests/support/synthetic_paper.py), MNIST test glyphs.

    Each kind has its own random stream, so `--kind` picks the same photos as a full run.
    Beside each figure: how many photos hold only MNIST images that the network reads right as
    plain 28×28 images (a page of 12 digits at 99.5 % each is all right only 94 % of the time),
    and the accuracy on those — the part the photo pipeline answers for.
    """
    # what the network reads from each MNIST image itself, 28×28: no photo can do much better
    itself = reader.classify(images.astype(np.float32) / 255).argmax(1) == labels
    for kind in args.kind or paper.KINDS:
        rng = np.random.default_rng([args.seed, paper.KINDS.index(kind)])
        used: list[int] = []
        source = paper.mnist_source(images, labels, rng, used)
        right, misses, readable, right_readable, bot_right = 0, [], 0, 0, 0
        for k in range(args.per_kind):
            used.clear()
            data, truth = paper.kind_photo(kind, rng, source)
            if paper.is_number_kind(kind):
                read = number_text(reader, data)
            else:
                try:
                    read = str(reader.read_digit(data).digit)
                except ImageProblem as problem:
                    read = problem.code
            bot_right += bot_text(data) == truth
            right += read == truth
            if not used or itself[used].all():
                readable += 1
                right_readable += read == truth
            if read != truth:
                misses.append(f"#{k} {truth}→{read}")
                if args.save_misses:
                    args.save_misses.mkdir(parents=True, exist_ok=True)
                    name = f"{kind.replace(' ', '-')}-{k}-{truth}-read-{read}.jpg"
                    (args.save_misses / name).write_bytes(data)
        bot = f"; as the bot answers {bot_right}"
        print(
            f"kind {kind:<16}    {right / args.per_kind:.3f}  ({right}/{args.per_kind}{bot}; "
            f"{readable} whose MNIST images the network reads right on their own, of those "
            f"{right_readable} read right: {right_readable / max(1, readable):.3f})"
        )
        if args.misses and misses:
            print("    misread: " + ", ".join(misses))


if __name__ == "__main__":
    raise SystemExit(main())
