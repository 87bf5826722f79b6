"""`nnbot digits IMAGE...`: read handwritten digits from image files with the shipped model.

Output, one line per image (tab-separated):
    path<TAB>digit<TAB>confidence            e.g.  photo.jpg	7	0.998
    path<TAB>digits<TAB>confidences          with --number, e.g.  n.jpg	2024	0.99,0.97,1.00,0.98
With --number the lines of writing are separated by a single space, top to bottom
(`12345 67890`), and the confidences follow the digits in the same order. It answers as the
bot does: a digit whose strokes fell apart (a 5 with its bar apart) is that one digit.
A file that cannot be read prints `path<TAB>error<TAB>reason` on stderr; the other files still
go through and the exit status is 1. `--stages DIR` saves each preprocessing stage as PNG;
`--evaluate FILE.npz` prints the model's accuracy on the file's x_test/y_test, last line
`accuracy 0.9xxx`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from bot.digits.photo import ImageProblem, decode
from bot.i18n import t
from bot.text import plain

if TYPE_CHECKING:
    from bot.digits.reader import DigitReader


def _reason(problem: ImageProblem) -> str:
    """The English message for a refused picture, as plain text for a terminal."""
    return plain(t(f"digits.error.{problem.code}", "en", **problem.values))


def save_stages(folder: Path, path: Path, stages: list[tuple[str, np.ndarray]]) -> None:
    """Each preprocessing stage of the photo at `path` as FOLDER/<photo>_<nn>_<stage>.png."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, picture) in enumerate(stages, 1):
        Image.fromarray(picture).save(folder / f"{path.stem}_{i:02d}_{name}.png")


def evaluate(reader: DigitReader, file: Path) -> int:
    """Per-digit and overall accuracy on the x_test/y_test of an MNIST-style file."""
    from nncore import datasets

    try:
        data = datasets.load_mnist(file)
    except datasets.DatasetError as exc:
        print(f"{file}\terror\t{exc}", file=sys.stderr)
        return 1
    x = data["x_test"].astype(np.float32)
    if x.max() > 1.0:
        x /= 255.0
    y = np.asarray(data["y_test"]).astype(np.int64)
    predicted = reader.classify(x).argmax(axis=1)
    for digit in range(10):
        rows = y == digit
        if rows.any():
            print(f"digit {digit}\t{(predicted[rows] == digit).mean():.4f}\t{rows.sum()} images")
    print(f"images {len(y)}")
    print(f"accuracy {(predicted == y).mean():.4f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Read every image given, one line each; 1 if any could not be read, 2 on a usage error."""
    parser = argparse.ArgumentParser(
        prog="nnbot digits", description="Read handwritten digits from photos (JPEG, PNG, …)."
    )
    parser.add_argument("images", nargs="*", type=Path, help="image files")
    parser.add_argument("--number", action="store_true", help="read every digit on the line")
    parser.add_argument("--stages", type=Path, metavar="DIR", help="save preprocessing stages")
    parser.add_argument("--evaluate", type=Path, metavar="FILE.npz", help="accuracy on x_test")
    args = parser.parse_args(argv)
    if not args.images and args.evaluate is None:
        parser.print_usage(sys.stderr)
        print("nnbot digits: give image files or --evaluate FILE.npz", file=sys.stderr)
        return 2

    from bot.digits import answers
    from bot.digits.reader import get_reader

    reader = get_reader()
    failed = 0
    keep = args.stages is not None
    for path in args.images:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{path}\terror\tcannot open the file ({exc.strerror or exc})", file=sys.stderr)
            failed += 1
            continue
        try:
            if args.number:  # what the bot answers: a digit in pieces is one digit
                number = answers.read_photo(decode(data), keep_stages=keep)
                confidences = ",".join(f"{d.confidence:.3f}" for d in number.digits)
                print(f"{path}\t{' '.join(number.lines)}\t{confidences}", flush=True)
                stages = number.stages
            else:
                result = reader.read_digit(data, keep_stages=keep)
                print(f"{path}\t{result.digit}\t{result.confidence:.3f}", flush=True)
                stages = result.stages
        except ImageProblem as problem:
            print(f"{path}\terror\t{_reason(problem)}", file=sys.stderr, flush=True)
            failed += 1
            continue
        if keep:
            save_stages(args.stages, path, stages)
    status = 1 if failed else 0
    if args.evaluate is not None:
        status = max(status, evaluate(reader, args.evaluate))
    return status
