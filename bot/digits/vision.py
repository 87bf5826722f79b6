"""From a phone photo of handwriting to the 28×28 picture an MNIST-trained network expects.

A phone photo is nothing like MNIST: grey paper, shadows, a thin pen, a rotated camera.
Shrinking the whole photo to 28×28 reads about one digit in ten; these steps, in this order,
read nearly all of them (each stage's module in brackets):

  1. decode safely (size checked before decoding), honour EXIF rotation, greyscale, shrink
     [`bot.digits.photo`];
  2. decide the polarity (dark ink on light paper, or chalk-like light on dark) from which
     way the strongest local deviations go [`bot.digits.ink`];
  3. flatten the lighting: divide by an estimate of the bare paper [`bot.digits.ink`];
  4. find the ink: Otsu threshold [`bot.digits.ink`], connected components
     [`bot.digits.components`]; drop specks and blobs touching the photo's border (paper
     edges, shadows); keep the main digit and the strokes near it [here];
  5. thicken a thin pen stroke to MNIST's proportions [`bot.digits.mnist_frame`];
  6. fit into 20×20 keeping the aspect ratio, centre by centre of mass in 28×28
     [`bot.digits.mnist_frame`].

`prepare_digit` (here) returns one digit, the most prominent; `bot.digits.numbers.prepare_number`
every digit on the line, left to right. Both can keep each stage as a small picture for the
bot's "what I saw". Problems a user can cause raise `bot.digits.photo.ImageProblem`.
Pillow + NumPy only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from bot.digits.candidates import (
    SMALL,
    SMALL_PAPER_REACH,
    pad_small,
    prominence,
    shape_score,
    small_light_on_dark,
    with_edge_digit,
)
from bot.digits.components import Components, label_components
from bot.digits.filters import as_uint8, max_filter
from bot.digits.ink import PAPER_REACH, ink_map, is_light_on_dark, otsu_threshold
from bot.digits.mnist_frame import to_mnist
from bot.digits.photo import DEFAULT_MAX_PIXELS, WORK_SIDE, Decoded, ImageProblem, load_grey
from bot.digits.printed_lines import remove_printed_lines

STAGE_SIDE = 320  # stage pictures are kept at most this big


@dataclass
class Prepared:
    """One digit ready for the network: `image28` float32 (28, 28) in [0, 1], ink = 1."""

    image28: np.ndarray
    stages: list[tuple[str, np.ndarray]] = field(default_factory=list)
    box: tuple[int, int, int, int] = (0, 0, 0, 0)  # x0, y0, x1, y1 in the working photo
    frame: tuple[int, int] = (1, 1)  # the working photo's height and width
    line: int = 0  # which line of writing it is on, 0 = the top one (numbers only)


def stage_picture(a: np.ndarray) -> np.ndarray:
    """Shrink a stage for keeping (uint8, long side ≤ STAGE_SIDE)."""
    image = Image.fromarray(a)
    if max(image.size) > STAGE_SIDE:
        image.thumbnail((STAGE_SIDE, STAGE_SIDE), Image.Resampling.BOX)
    return np.asarray(image)


@dataclass
class Found:
    """What the front half of the pipeline finds in one photo."""

    ink: np.ndarray  # float ink strength, working resolution
    mask: np.ndarray  # thresholded ink
    parts: Components
    keep: np.ndarray  # indices of the components that are plausible strokes
    stages: list[tuple[str, np.ndarray]]


def find_ink(
    source: bytes | Decoded, max_pixels: int, keep_stages: bool, side: int = WORK_SIDE
) -> Found:
    """Stages 1–4: decode the photo (unless it already is), find its ink, keep the components
    that may be strokes."""
    decoded = isinstance(source, Decoded)
    grey = source.at(side) if decoded else load_grey(source, max_pixels, side)
    stages: list[tuple[str, np.ndarray]] = []
    if keep_stages:
        stages.append(("grey", stage_picture(grey.astype(np.uint8))))
    if float(grey.max() - grey.min()) < 12:
        raise ImageProblem("blank", "no contrast")
    if max(grey.shape) < SMALL:
        light_on_dark = small_light_on_dark(grey)
        grey = pad_small(grey, light_on_dark)
        reach = SMALL_PAPER_REACH
    else:
        light_on_dark = is_light_on_dark(grey)
        reach = PAPER_REACH
    ink, _inverted, flat = ink_map(grey, light_on_dark, reach)
    if keep_stages:
        stages.append(("flat", stage_picture(as_uint8(flat))))
    sample = ink[::2, ::2]
    strong = float(np.percentile(sample, 99.9))
    if strong < 0.12:
        raise ImageProblem("blank", f"faint ink {strong:.3f}")
    inked = sample[sample > 0.02]
    threshold = max(otsu_threshold(inked) if inked.size else 0.5, 0.1)
    threshold = max(threshold, 0.25 * strong)
    mask = remove_printed_lines(ink > threshold)
    if keep_stages:
        stages.append(("ink", stage_picture(np.where(mask, 0, 255).astype(np.uint8))))
    parts = label_components(mask)
    if parts.count == 0:
        raise ImageProblem("blank", "no ink")
    h, w = mask.shape
    big = parts.area.max()
    specks = parts.area < max(6, 0.01 * big, 1e-5 * h * w)
    border = (parts.x0 <= 0) | (parts.y0 <= 0) | (parts.x1 >= w) | (parts.y1 >= h)
    keep = with_edge_digit(
        parts, np.nonzero(~specks & ~border)[0], np.nonzero(~specks & border)[0], (h, w)
    )
    if len(keep) == 0:
        raise ImageProblem("no_digit", "no plausible strokes")
    # drop tiny dots compared with the biggest stroke that survived (dust, paper texture)
    keep = keep[parts.area[keep] >= 0.03 * parts.area[keep].max()]
    return Found(ink, mask, parts, keep, stages)


def _crop(found: Found, labels: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The ink of the given components only, cropped to their box, normalised to ink ≈ 1."""
    parts = found.parts
    x0, y0 = int(parts.x0[labels].min()), int(parts.y0[labels].min())
    x1, y1 = int(parts.x1[labels].max()), int(parts.y1[labels].max())
    shape = found.mask.shape
    mask = parts.mask_of(labels, shape)[y0:y1, x0:x1]
    # keep the soft edge pixels next to the strokes, nothing else
    halo = max_filter(mask.astype(np.float32), 1) > 0
    crop = np.where(halo, found.ink[y0:y1, x0:x1], 0.0).astype(np.float32)
    level = float(np.percentile(crop[mask], 75)) if mask.any() else 1.0
    crop = np.clip(crop / max(level, 1e-3), 0.0, 1.0)
    return crop, (x0, y0, x1, y1)


def _main_digit(found: Found) -> np.ndarray:
    """The components of the most prominent digit: the heaviest stroke plus fragments near it."""
    parts, keep = found.parts, found.keep
    main = keep[int(np.argmax(prominence(parts, keep, found.mask.shape)))]
    line_like = set(keep[shape_score(parts, keep) < 0.3].tolist())
    chosen = [main]
    box = [parts.x0[main], parts.y0[main], parts.x1[main], parts.y1[main]]
    changed = True
    while changed:
        changed = False
        size = max(box[2] - box[0], box[3] - box[1])
        gap = 0.2 * size
        for c in keep:
            if c in chosen or c in line_like:
                continue
            near = (
                parts.x0[c] < box[2] + gap
                and parts.x1[c] > box[0] - gap
                and parts.y0[c] < box[3] + gap
                and parts.y1[c] > box[1] - gap
            )
            if near and parts.area[c] >= 0.02 * parts.area[main]:
                chosen.append(c)
                box = [
                    min(box[0], parts.x0[c]),
                    min(box[1], parts.y0[c]),
                    max(box[2], parts.x1[c]),
                    max(box[3], parts.y1[c]),
                ]
                changed = True
    return np.array(chosen)


def finish(
    found: Found,
    labels: np.ndarray,
    keep_stages: bool,
    prefix: Iterable[tuple[str, np.ndarray]] = (),
) -> Prepared:
    """Stages 5–6 for the given components: crop their ink, fit it into 28×28.

    The stages kept start with `prefix` (the photo's shared ones), then this digit's own.
    """
    crop, box = _crop(found, labels)
    stages = list(prefix)
    if keep_stages:
        stages.append(("crop", stage_picture(as_uint8(crop))))
    image28 = to_mnist(crop, stages=stages if keep_stages else None)
    if keep_stages:
        stages.append(("input", as_uint8(image28)))
    return Prepared(image28=image28, stages=stages, box=box, frame=found.mask.shape)


def prepare_digit(
    source: bytes | Decoded, max_pixels: int = DEFAULT_MAX_PIXELS, keep_stages: bool = False
) -> Prepared:
    """The most prominent handwritten digit in a photo, as an MNIST-style 28×28 image."""
    found = find_ink(source, max_pixels, keep_stages)
    labels = _main_digit(found)
    if keep_stages:
        found.stages.append(("parts", stage_picture(highlight(found, labels))))
    return finish(found, labels, keep_stages, found.stages)


def highlight(found: Found, labels: np.ndarray) -> np.ndarray:
    """The ink mask in grey with the chosen components in colour (RGB uint8)."""
    h, w = found.mask.shape
    picture = np.full((h, w, 3), 255, dtype=np.uint8)
    picture[found.mask] = (190, 190, 190)
    chosen = found.parts.mask_of(labels, (h, w))
    picture[chosen] = (200, 30, 30)
    return picture
