"""The digit reader: photo bytes → digit (or number) with probabilities, using the shipped CNN.

    reader = get_reader()                 # loads bot/assets/digits.npz once per process
    result = reader.read_digit(photo)     # DigitResult(digit=7, confidence=0.998, probs, …)
    number = reader.read_number(photo)    # NumberResult(text="2024", digits=[…])

The preprocessing is `bot.digits.vision` (one digit) and `bot.digits.numbers` (a number);
the network is an nncore model trained by
`nnbot train-digits` (see bot/assets/digits.json for how). Layers keep per-call state, so one
lock serialises the (millisecond-long) forward passes when several threads read at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import nncore as nn
from bot.digits import numbers, vision
from bot.digits.photo import DEFAULT_MAX_PIXELS, Decoded

WEIGHTS = Path(__file__).resolve().parents[1] / "assets" / "digits.npz"


@dataclass
class DigitResult:
    digit: int
    confidence: float
    probs: np.ndarray  # (10,)
    image28: np.ndarray  # what the network saw, float32 (28, 28) in [0, 1]
    stages: list[tuple[str, np.ndarray]] = field(default_factory=list)
    # where the digit is: x0, y0, x1, y1 as fractions of the photo's width and height
    box: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)

    def runners_up(self, count: int = 2) -> list[tuple[int, float]]:
        """The next most likely digits after the answer, as (digit, probability)."""
        order = np.argsort(-self.probs)[1 : 1 + count]
        return [(int(d), float(self.probs[d])) for d in order]


@dataclass
class NumberResult:
    text: str  # every digit read, lines of writing one after the other
    digits: list[DigitResult]
    stages: list[tuple[str, np.ndarray]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the digits of each line of writing

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = [self.text]

    @property
    def confidence(self) -> float:
        """How sure the reader is of the whole number: the product of the digits' confidences."""
        return float(np.prod([d.confidence for d in self.digits])) if self.digits else 0.0


class DigitReader:
    """Reads digits with one loaded model; safe to share between threads."""

    def __init__(self, model: nn.Sequential) -> None:
        self.model = model.eval()
        self._lock = threading.Lock()

    def classify(self, images28: np.ndarray) -> np.ndarray:
        """(n, 28, 28) images in [0, 1] (ink = 1) → (n, 10) probabilities."""
        x = np.asarray(images28, dtype=np.float32).reshape(-1, 1, 28, 28)
        with self._lock:
            out = self.model.predict(x, batch_size=500)
        if not isinstance(self.model.layers[-1], nn.Softmax):
            out = nn.softmax(out)
        return np.asarray(out, dtype=np.float64)

    def _result(self, prepared: vision.Prepared, probs: np.ndarray) -> DigitResult:
        digit = int(np.argmax(probs))
        (h, w), (x0, y0, x1, y1) = prepared.frame, prepared.box
        box = (x0 / w, y0 / h, x1 / w, y1 / h)
        return DigitResult(
            digit, float(probs[digit]), probs, prepared.image28, prepared.stages, box
        )

    def read_digit(
        self,
        photo: bytes | Decoded,
        keep_stages: bool = False,
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> DigitResult:
        """The most prominent digit in a photo (its bytes, or decoded once already).
        Raises bot.digits.photo.ImageProblem."""
        prepared = vision.prepare_digit(photo, max_pixels, keep_stages)
        return self._result(prepared, self.classify(prepared.image28[None])[0])

    def read_number(
        self,
        photo: bytes | Decoded,
        keep_stages: bool = False,
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> NumberResult:
        """Every digit: lines of writing top to bottom, each left to right (`lines`).

        Raises bot.digits.photo.ImageProblem.
        """
        parts = numbers.prepare_number(photo, max_pixels, keep_stages, judge=self.classify)
        probs = self.classify(np.stack([p.image28 for p in parts]))
        digits = [self._result(p, pr) for p, pr in zip(parts, probs, strict=True)]
        stages = parts[0].stages if keep_stages else []
        if keep_stages:
            # shared stages once, then each digit's own crop and 28×28 input
            shared = len([s for s in parts[0].stages if s[0] in {"grey", "flat", "ink", "parts"}])
            stages = list(parts[0].stages[:shared])
            for p in parts:
                stages += [s for s in p.stages[shared:] if s[0] == "input"]
        lines = [
            "".join(str(d.digit) for d, p in zip(digits, parts, strict=True) if p.line == n)
            for n in range(parts[-1].line + 1)
        ]
        lines = [line for line in lines if line]
        return NumberResult("".join(lines), digits, stages, lines)


_reader: DigitReader | None = None
_reader_lock = threading.Lock()


def get_reader() -> DigitReader:
    """The process-wide reader, loading the shipped weights on first use."""
    global _reader
    with _reader_lock:
        if _reader is None:
            _reader = DigitReader(nn.load(WEIGHTS))
        return _reader
