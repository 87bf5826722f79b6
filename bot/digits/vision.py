"""From a phone photo of handwriting to the 28×28 picture an MNIST-trained network expects.

MNIST digits are white strokes on black, about 2–3 px thick, fitted into a 20×20 box and
placed so their centre of mass sits at (14, 14) of a 28×28 image. A phone photo is nothing
like that: grey paper, shadows, a thin pen, a rotated camera. Shrinking the whole photo to
28×28 reads about one digit in ten; these steps, in this order, read nearly all of them:

  1. decode safely (size checked before decoding), honour EXIF rotation, greyscale, shrink;
  2. decide the polarity (dark ink on light paper, or chalk-like light on dark) from which
     way the strongest local deviations go;
  3. flatten the lighting: divide by an estimate of the bare paper (a wide max-filter, blurred);
  4. find the ink: Otsu threshold, connected components; drop specks and blobs touching the
     photo's border (paper edges, shadows); keep the main digit and the strokes near it;
  5. thicken a thin pen stroke to MNIST's proportions;
  6. fit into 20×20 keeping the aspect ratio, centre by centre of mass in 28×28.

`prepare_digit` returns one digit (the most prominent); `prepare_number` every digit on the
line, left to right. Both can keep each stage as a small picture for the bot's "what I saw".
Problems a user can cause raise `ImageProblem(code)`; the code names an i18n message
`digits.error.<code>`. Pillow + NumPy only.
"""

from __future__ import annotations

import io
import itertools
import threading
import warnings
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_PIXELS = 40_000_000
WORK_SIDE = 640  # the photo's long side while we look for ink
NUMBER_SIDE = 1024  # … and for a number, whose digits are smaller
MIN_SIDE = 16  # smaller pictures cannot hold a readable digit
MAX_ASPECT = 12  # longer/shorter side; beyond that it is a strip, not a photo
BOX = 20  # MNIST fits the digit into 20×20 …
SIZE = 28  # … inside 28×28
FIT = 80  # intermediate crop size where strokes are measured and thickened
TARGET_STROKE = 0.12  # MNIST stroke width as a fraction of the digit's longer side
STAGE_SIDE = 320  # stage pictures are kept at most this big
PAPER_RADIUS = 12  # closing radius on the ~120 px copy: wider than the thickest marker stroke
POLARITY_RADIUS = 20  # mean-filter radius on that copy for the polarity decision (~1/3 photo)


class ImageProblem(ValueError):
    """A picture we cannot read a digit from; `code` selects the message for the user."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class Prepared:
    """One digit ready for the network: `image28` float32 (28, 28) in [0, 1], ink = 1."""

    image28: np.ndarray
    stages: list[tuple[str, np.ndarray]] = field(default_factory=list)
    box: tuple[int, int, int, int] = (0, 0, 0, 0)  # x0, y0, x1, y1 in the working photo


# --------------------------------------------------------------------------- decoding


def load_grey(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS, side: int = WORK_SIDE):
    """Decode `data` into a greyscale float32 array (long side ≤ `side`), upright per EXIF.

    The pixel count is checked from the header before any decoding, so a decompression bomb
    costs nothing. JPEGs are decoded straight at a reduced scale (`draft`), which is most of
    the speed of the whole pipeline.
    """
    if not data:
        raise ImageProblem("not_image", "empty file")
    with _DECODING:
        return _decode_grey(data, max_pixels, side)


# A full-size decode of a big PNG briefly needs ~4 bytes per pixel (RGB, then grey): at most
# two at once per process keeps memory bounded however many chats send pictures together.
_DECODING = threading.BoundedSemaphore(2)


def _decode_grey(data: bytes, max_pixels: int, side: int) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageProblem("too_large", f"{width}×{height}")
            if min(width, height) < MIN_SIDE or max(width, height) > MAX_ASPECT * min(
                width, height
            ):
                raise ImageProblem("too_small", f"{width}×{height}")
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)  # an animation: read its first frame
            orientation = image.getexif().get(0x0112, 1)
            if image.format == "JPEG":
                scale = max(width, height) / side
                image.draft("L", (int(width / scale), int(height / scale)))
            image.load()
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem("too_large", str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise ImageProblem("not_image", str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem("broken", str(exc)) from exc
    if orientation != 1:
        image.getexif()[0x0112] = orientation
        image = ImageOps.exif_transpose(image)
    if max(image.size) >= 2 * side and image.mode in ("L", "RGB", "RGBA", "LA"):
        image = image.reduce(max(image.size) // side)  # box-average first: a smaller grey copy
    image = _to_grey(image)
    if max(image.size) > side:
        factor = max(image.size) / side
        new = (max(1, round(image.width / factor)), max(1, round(image.height / factor)))
        image = image.resize(new, Image.Resampling.BOX)
    return np.asarray(image, dtype=np.float32)


def _to_grey(image: Image.Image) -> Image.Image:
    """Greyscale, with transparency composited onto white paper."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    if image.mode in ("I", "I;16", "I;16B", "F"):
        array = np.asarray(image, dtype=np.float32)
        low, high = float(array.min()), float(array.max())
        array = (array - low) / (high - low or 1) * 255
        return Image.fromarray(array.astype(np.uint8))
    return image.convert("L")


# --------------------------------------------------------------------------- ink


def _max_filter(a: np.ndarray, radius: int, combine=np.maximum) -> np.ndarray:
    """Max over a (2r+1)² square, separably: out[y, x] = max a[y-r..y+r, x-r..x+r]."""
    if radius <= 0:
        return a
    out = a
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if i == axis else (0, 0) for i in (0, 1)], "edge")
        n = out.shape[axis]
        result = padded.take(range(0, n), axis=axis)
        for shift in range(1, 2 * radius + 1):
            combine(result, padded.take(range(shift, shift + n), axis=axis), out=result)
        out = result
    return out


def _min_filter(a: np.ndarray, radius: int) -> np.ndarray:
    return _max_filter(a, radius, np.minimum)


def _mean_filter(a: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a (2r+1)² square (edges repeated), separably with cumulative sums."""
    out = a
    for axis in (0, 1):
        padded = np.pad(
            out, [(radius + 1, radius) if i == axis else (0, 0) for i in (0, 1)], "edge"
        )
        sums = np.cumsum(padded, axis=axis, dtype=np.float64)
        n = out.shape[axis]
        upper = sums.take(range(2 * radius + 1, 2 * radius + 1 + n), axis=axis)
        lower = sums.take(range(0, n), axis=axis)
        out = ((upper - lower) / (2 * radius + 1)).astype(np.float32)
    return out


def _shrink(grey: np.ndarray) -> np.ndarray:
    """The photo at about 120 px on its long side (box-averaged)."""
    h, w = grey.shape
    step = max(1, max(h, w) // 120)
    size = (max(1, w // step), max(1, h // step))
    return np.asarray(Image.fromarray(grey).resize(size, Image.Resampling.BOX), dtype=np.float32)


def _enlarge(small: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    image = Image.fromarray(small.astype(np.float32))
    return np.asarray(image.resize((shape[1], shape[0]), Image.Resampling.BILINEAR))


def paper_estimate(grey: np.ndarray) -> np.ndarray:
    """The brightness of bare paper at every pixel: a grey-level closing of a small copy.

    A max-filter wipes out dark strokes thinner than its window (the maximum around any stroke
    pixel is paper); the min-filter after it moves the edges of large dark areas — shadows,
    the table around the sheet — back where they were, so they stay in the estimate and are
    divided out instead of turning into fake ink along their border.
    """
    small = _shrink(grey)
    radius = PAPER_RADIUS
    paper = _mean_filter(_min_filter(_max_filter(small, radius), radius), 1)
    return _enlarge(paper, grey.shape)


def is_light_on_dark(grey: np.ndarray) -> bool:
    """Whether the writing is lighter than its background (chalk, white pen on dark paper).

    Ink is what differs most from its surroundings. Against a blurred copy of the photo, dark
    ink makes a long negative tail and light ink a positive one; a shadow's edge or the border
    of the sheet deviates about equally both ways, so it does not tip the decision.
    """
    local = _enlarge(_mean_filter(_shrink(grey), POLARITY_RADIUS), grey.shape)
    deviation = (grey - local)[::2, ::2]
    low, high = np.percentile(deviation, [0.1, 99.9])
    return bool(high > -low)


def ink_map(grey: np.ndarray) -> tuple[np.ndarray, bool, np.ndarray]:
    """Ink strength in [0, 1] per pixel, whether the photo was light-on-dark, and the flat image."""
    light_on_dark = is_light_on_dark(grey)
    if light_on_dark:
        grey = 255.0 - grey
    paper = np.maximum(paper_estimate(grey), 1.0)
    flat = np.clip(grey / paper, 0.0, 1.0)
    return 1.0 - flat, light_on_dark, flat


def otsu_threshold(values: np.ndarray, bins: int = 128) -> float:
    """The threshold in [0, 1] that best splits `values` into two classes (Otsu, 1979)."""
    hist, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    p = hist.astype(np.float64) / max(1, hist.sum())
    centres = (edges[:-1] + edges[1:]) / 2
    weight0 = np.cumsum(p)
    mean0 = np.cumsum(p * centres)
    total = mean0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total * weight0 - mean0) ** 2 / (weight0 * (1 - weight0))
    between = np.nan_to_num(between)
    return float(edges[int(np.argmax(between)) + 1])


# --------------------------------------------------------------------------- components


@dataclass
class Components:
    """Connected components of a binary mask (8-connectivity), described by their runs."""

    count: int
    run_row: np.ndarray
    run_start: np.ndarray
    run_end: np.ndarray  # exclusive
    run_label: np.ndarray
    area: np.ndarray
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray  # exclusive
    y1: np.ndarray  # exclusive

    def mask_of(self, labels: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """A boolean image of the pixels belonging to any of `labels`."""
        out = np.zeros(shape, dtype=bool)
        keep = np.isin(self.run_label, labels)
        for r, s, e in zip(
            self.run_row[keep], self.run_start[keep], self.run_end[keep], strict=True
        ):
            out[r, s:e] = True
        return out


def label_components(mask: np.ndarray) -> Components:
    """Label 8-connected components without SciPy: union of horizontal runs.

    Each row's mask is cut into runs of True pixels. Runs on neighbouring rows that overlap
    (allowing a diagonal touch) belong together; all runs start with their own label and
    repeatedly take the smallest label among their neighbours, with pointer jumping
    (label = label[label]) so long chains settle in a few rounds.
    """
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded.ravel())  # +1 where a run starts, −1 just after it ends
    start_at = np.flatnonzero(change == 1)
    rows_s, starts = np.divmod(start_at, w + 2)
    ends = np.flatnonzero(change == -1) % (w + 2)
    n = len(starts)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return Components(0, empty, empty, empty, empty, empty, empty, empty, empty, empty)
    row = rows_s.astype(np.int64)
    # Edges between a run on row r and the runs on row r+1 that touch it, diagonals included:
    # bottom run j touches top run i when start_j <= end_i and end_j >= start_i. Keys
    # row·(w+2) + column grow along the run list, so two binary searches find every j at once.
    span = w + 2
    start_key = row * span + starts
    end_key = row * span + ends
    first = np.searchsorted(end_key, (row + 1) * span + starts, side="left")
    last = np.searchsorted(start_key, (row + 1) * span + ends, side="right")
    counts = np.maximum(last - first, 0)
    a_list, b_list = [], []
    if counts.sum():
        a = np.repeat(np.arange(n), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        a_list.append(a)
        b_list.append(np.repeat(first, counts) + offsets)
    label = np.arange(n)
    if a_list:
        a = np.concatenate(a_list)
        b = np.concatenate(b_list)
        while True:
            low = np.minimum(label[a], label[b])
            new = label.copy()
            np.minimum.at(new, a, low)
            np.minimum.at(new, b, low)
            new = new[new]
            new = new[new]
            if np.array_equal(new, label):
                break
            label = new
    roots, run_label = np.unique(label, return_inverse=True)
    count = len(roots)
    length = ends - starts
    area = np.bincount(run_label, weights=length, minlength=count).astype(np.int64)
    x0 = np.full(count, w, dtype=np.int64)
    y0 = np.full(count, h, dtype=np.int64)
    x1 = np.zeros(count, dtype=np.int64)
    y1 = np.zeros(count, dtype=np.int64)
    np.minimum.at(x0, run_label, starts)
    np.minimum.at(y0, run_label, row)
    np.maximum.at(x1, run_label, ends)
    np.maximum.at(y1, run_label, row + 1)
    return Components(count, row, starts, ends, run_label, area, x0, y0, x1, y1)


def remove_ruled_lines(mask: np.ndarray, fraction: float = 0.75) -> np.ndarray:
    """Clear straight runs of ink longer than `fraction` of the photo: ruled or squared paper.

    A handwritten stroke is rarely that long and that straight; a printed line is. Strokes that
    crossed the line are cut there, and the fragment merging later joins them again.
    """
    out = mask.copy()
    for view in (out, out.T):
        rows, cols = view.shape
        padded = np.zeros((rows, cols + 2), dtype=np.int8)
        padded[:, 1:-1] = view
        change = np.diff(padded.ravel())
        row, start = np.divmod(np.flatnonzero(change == 1), cols + 2)
        end = np.flatnonzero(change == -1) % (cols + 2)
        for r, s, e in zip(row, start, end, strict=True):
            if e - s >= fraction * cols:
                view[r, s:e] = False
    return out


# --------------------------------------------------------------------------- 28×28


def stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a binary drawing: area divided by half its outline length."""
    area = float(mask.sum())
    if area == 0:
        return 0.0
    inner = mask.copy()
    inner[1:, :] &= mask[:-1, :]
    inner[:-1, :] &= mask[1:, :]
    inner[:, 1:] &= mask[:, :-1]
    inner[:, :-1] &= mask[:, 1:]
    outline = area - float(inner.sum())
    return 2.0 * area / max(outline, 1.0)


def crop_to_ink(ink: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """The smallest rectangle of `ink` holding every pixel above `threshold` (all of it if none)."""
    ys, xs = np.nonzero(ink > threshold)
    if len(ys) == 0:
        return ink
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def to_mnist(ink: np.ndarray, thicken: bool = True, stages: list | None = None) -> np.ndarray:
    """A cropped ink picture (any size, ink = 1) → MNIST-style float32 (28, 28) in [0, 1].

    The longer side is fitted into 20 px keeping the aspect ratio (via an 80 px intermediate
    where a thin stroke is thickened to MNIST's proportions), then the image is shifted so its
    intensity centre of mass lands on (14, 14).
    """
    h, w = ink.shape
    scale = FIT / max(h, w)
    fw, fh = max(1, round(w * scale)), max(1, round(h * scale))
    fitted = np.asarray(
        Image.fromarray(ink.astype(np.float32)).resize((fw, fh), Image.Resampling.BILINEAR),
        dtype=np.float32,
    )
    fitted = np.clip(fitted, 0.0, 1.0)
    if thicken:
        width = stroke_width(fitted > 0.5)
        missing = TARGET_STROKE * FIT - width
        if missing > 1.0:
            fitted = _max_filter(fitted, round(missing / 2))
        if stages is not None:
            stages.append(("thick", _as_uint8(fitted)))
    bw, bh = max(1, round(fw * BOX / FIT)), max(1, round(fh * BOX / FIT))
    small = Image.fromarray(fitted).resize((bw, bh), Image.Resampling.BOX)
    small = np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)
    return centre_by_mass(small)


def centre_by_mass(small: np.ndarray) -> np.ndarray:
    """Paste `small` (≤ 20×20 or so) into 28×28 with its centre of mass at (14, 14)."""
    h, w = small.shape
    total = float(small.sum())
    if total <= 0:
        cy, cx = (h - 1) / 2, (w - 1) / 2
    else:
        cy = float((small.sum(axis=1) * np.arange(h)).sum() / total)
        cx = float((small.sum(axis=0) * np.arange(w)).sum() / total)
    # pixel centres: MNIST's centre of mass (13.996, 14.007) means index 14 at the middle
    top = round(14 - cy)
    left = round(14 - cx)
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    ys, xs = max(0, top), max(0, left)
    ye, xe = min(SIZE, top + h), min(SIZE, left + w)
    if ye > ys and xe > xs:
        out[ys:ye, xs:xe] = small[ys - top : ye - top, xs - left : xe - left]
    return out


def usps_to_mnist(images: np.ndarray) -> np.ndarray:
    """USPS (n, 16, 16) in [-1, 1] → MNIST convention (n, 28, 28) in [0, 1], 20 px box, COM."""
    out = np.empty((len(images), SIZE, SIZE), dtype=np.float32)
    for i, image in enumerate(images):
        ink = (np.asarray(image, dtype=np.float32) + 1) / 2
        ys, xs = np.nonzero(ink > 0.05)
        if len(ys):
            ink = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        h, w = ink.shape
        scale = BOX / max(h, w)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = Image.fromarray(ink).resize(size, Image.Resampling.BILINEAR)
        out[i] = centre_by_mass(np.clip(np.asarray(small, dtype=np.float32), 0, 1))
    return out


def _as_uint8(a: np.ndarray) -> np.ndarray:
    return np.clip(a * 255 + 0.5, 0, 255).astype(np.uint8)


def _stage_picture(a: np.ndarray) -> np.ndarray:
    """Shrink a stage for keeping (uint8, long side ≤ STAGE_SIDE)."""
    image = Image.fromarray(a)
    if max(image.size) > STAGE_SIDE:
        image.thumbnail((STAGE_SIDE, STAGE_SIDE), Image.Resampling.BOX)
    return np.asarray(image)


# --------------------------------------------------------------------------- the pipeline


@dataclass
class _Found:
    """What the front half of the pipeline finds in one photo."""

    ink: np.ndarray  # float ink strength, working resolution
    mask: np.ndarray  # thresholded ink
    parts: Components
    keep: np.ndarray  # indices of the components that are plausible strokes
    stages: list[tuple[str, np.ndarray]]


def _find_ink(data: bytes, max_pixels: int, keep_stages: bool, side: int = WORK_SIDE) -> _Found:
    grey = load_grey(data, max_pixels, side)
    stages: list[tuple[str, np.ndarray]] = []
    if keep_stages:
        stages.append(("grey", _stage_picture(grey.astype(np.uint8))))
    if float(grey.max() - grey.min()) < 12:
        raise ImageProblem("blank", "no contrast")
    ink, _inverted, flat = ink_map(grey)
    if keep_stages:
        stages.append(("flat", _stage_picture(_as_uint8(flat))))
    sample = ink[::2, ::2]
    strong = float(np.percentile(sample, 99.9))
    if strong < 0.12:
        raise ImageProblem("blank", f"faint ink {strong:.3f}")
    inked = sample[sample > 0.02]
    threshold = max(otsu_threshold(inked) if inked.size else 0.5, 0.1)
    threshold = max(threshold, 0.25 * strong)
    mask = remove_ruled_lines(ink > threshold)
    if keep_stages:
        stages.append(("ink", _stage_picture(np.where(mask, 0, 255).astype(np.uint8))))
    parts = label_components(mask)
    if parts.count == 0:
        raise ImageProblem("blank", "no ink")
    h, w = mask.shape
    big = parts.area.max()
    specks = parts.area < max(6, 0.01 * big, 1e-5 * h * w)
    border = (parts.x0 <= 0) | (parts.y0 <= 0) | (parts.x1 >= w) | (parts.y1 >= h)
    heights = parts.y1 - parts.y0
    widths = parts.x1 - parts.x0
    keep = np.nonzero(~specks & ~border)[0]
    if len(keep) == 0:
        # a digit that touches the edge of the photo: accept it unless it spans the whole photo
        small_enough = (heights < 0.9 * h) & (widths < 0.9 * w)
        keep = np.nonzero(~specks & small_enough & (heights > 0.05 * max(h, w)))[0]
    if len(keep) == 0:
        raise ImageProblem("no_digit", "no plausible strokes")
    # drop tiny dots compared with the biggest stroke that survived (dust, paper texture)
    keep = keep[parts.area[keep] >= 0.03 * parts.area[keep].max()]
    return _Found(ink, mask, parts, keep, stages)


def _crop(found: _Found, labels: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The ink of the given components only, cropped to their box, normalised to ink ≈ 1."""
    parts = found.parts
    x0, y0 = int(parts.x0[labels].min()), int(parts.y0[labels].min())
    x1, y1 = int(parts.x1[labels].max()), int(parts.y1[labels].max())
    shape = found.mask.shape
    mask = parts.mask_of(labels, shape)[y0:y1, x0:x1]
    # keep the soft edge pixels next to the strokes, nothing else
    halo = _max_filter(mask.astype(np.float32), 1) > 0
    crop = np.where(halo, found.ink[y0:y1, x0:x1], 0.0).astype(np.float32)
    level = float(np.percentile(crop[mask], 75)) if mask.any() else 1.0
    crop = np.clip(crop / max(level, 1e-3), 0.0, 1.0)
    return crop, (x0, y0, x1, y1)


def _main_digit(found: _Found) -> np.ndarray:
    """The components of the most prominent digit: the heaviest stroke plus fragments near it."""
    parts, keep = found.parts, found.keep
    h, w = found.mask.shape
    cx = (parts.x0[keep] + parts.x1[keep]) / 2 / w - 0.5
    cy = (parts.y0[keep] + parts.y1[keep]) / 2 / h - 0.5
    centrality = 1.0 - 0.8 * np.sqrt(cx**2 + cy**2)
    main = keep[int(np.argmax(parts.area[keep] * centrality))]
    chosen = [main]
    box = [parts.x0[main], parts.y0[main], parts.x1[main], parts.y1[main]]
    changed = True
    while changed:
        changed = False
        size = max(box[2] - box[0], box[3] - box[1])
        gap = 0.2 * size
        for c in keep:
            if c in chosen:
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


def _finish(found: _Found, labels: np.ndarray, keep_stages: bool, prefix=()) -> Prepared:
    crop, box = _crop(found, labels)
    stages = list(prefix)
    if keep_stages:
        stages.append(("crop", _stage_picture(_as_uint8(crop))))
    image28 = to_mnist(crop, stages=stages if keep_stages else None)
    if keep_stages:
        stages.append(("input", _as_uint8(image28)))
    return Prepared(image28=image28, stages=stages, box=box)


def prepare_digit(
    data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS, keep_stages: bool = False
) -> Prepared:
    """The most prominent handwritten digit in a photo, as an MNIST-style 28×28 image."""
    found = _find_ink(data, max_pixels, keep_stages)
    labels = _main_digit(found)
    if keep_stages:
        found.stages.append(("parts", _stage_picture(_highlight(found, labels))))
    return _finish(found, labels, keep_stages, found.stages)


def _digit_groups(found: _Found) -> list[np.ndarray]:
    """Components grouped into digits along a line of writing, left to right.

    Pieces on top of each other (the bar of a 5, the dot-like parts of a broken stroke) join the
    digit they overlap horizontally. Marks far above or below the line of digits, or much smaller
    than the digits, are ignored.
    """
    parts, keep = found.parts, found.keep
    order = keep[np.argsort(parts.x0[keep])]
    groups: list[list[int]] = []
    spans: list[list[int]] = []
    for c in order:
        x0, x1 = parts.x0[c], parts.x1[c]
        if groups:
            s0, s1 = spans[-1]
            overlap = min(s1, x1) - max(s0, x0)
            if overlap > 0.5 * min(x1 - x0, s1 - s0):
                groups[-1].append(c)
                spans[-1] = [min(s0, x0), max(s1, x1)]
                continue
        groups.append([c])
        spans.append([x0, x1])
    arrays = _join_fragments(parts, [np.array(g) for g in groups])
    heights = np.array([parts.y1[g].max() - parts.y0[g].min() for g in arrays])
    mids = np.array([(parts.y1[g].max() + parts.y0[g].min()) / 2 for g in arrays])
    tall = heights.max()
    line = np.median(mids[heights >= 0.5 * tall])
    good = (heights >= 0.35 * tall) & (np.abs(mids - line) < 0.75 * tall)
    return [g for g, ok in zip(arrays, good, strict=True) if ok]


def _join_fragments(parts: Components, groups: list[np.ndarray]) -> list[np.ndarray]:
    """Join a piece much shorter than the digits around it to its nearest neighbour.

    Such a piece is part of a digit: the bar of a 5 that did not touch its body, one stroke of
    a 4 drawn in two. Only close neighbours (gap under a quarter of a digit's height) qualify.
    """

    def height(g: np.ndarray) -> int:
        return int(parts.y1[g].max() - parts.y0[g].min())

    def gap(a: np.ndarray, b: np.ndarray) -> int:
        return int(
            max(parts.x0[b].min() - parts.x1[a].max(), parts.x0[a].min() - parts.x1[b].max())
        )

    changed = True
    while changed and len(groups) > 1:
        changed = False
        typical = float(np.percentile([height(g) for g in groups], 75))
        for i, group in enumerate(groups):
            if height(group) >= 0.6 * typical:
                continue
            neighbours = [
                (gap(group, groups[j]), j) for j in (i - 1, i + 1) if 0 <= j < len(groups)
            ]
            distance, j = min(neighbours)
            if distance < 0.25 * typical:
                groups[min(i, j)] = np.concatenate([groups[min(i, j)], groups[max(i, j)]])
                del groups[max(i, j)]
                changed = True
                break
    return groups


def _split_wide(found: _Found, group: np.ndarray) -> list[tuple[int, int]]:
    """Column ranges for touching digits: a blob much wider than tall is cut at ink minima."""
    parts = found.parts
    x0, x1 = int(parts.x0[group].min()), int(parts.x1[group].max())
    y0, y1 = int(parts.y0[group].min()), int(parts.y1[group].max())
    width, height = x1 - x0, y1 - y0
    # a single digit is seldom wider than 1.6× its height (a wide 2 or 5 can reach 1.5);
    # touching digits are ~0.75 h each
    pieces = round(width / (0.75 * height)) if width > 1.6 * height else 1
    if pieces < 2:
        return [(x0, x1)]
    strokes = parts.mask_of(group, found.mask.shape)[y0:y1, x0:x1]
    profile = strokes.sum(axis=0).astype(float)
    cuts = [0]
    for k in range(1, pieces):
        centre = k * width / pieces
        lo, hi = int(centre - 0.25 * width / pieces), int(centre + 0.25 * width / pieces) + 1
        cuts.append(lo + int(np.argmin(profile[lo:hi])))
    cuts.append(width)
    # every piece must be a whole digit: one much shorter than the blob is a stroke sticking
    # out (a long bar, a tail), so the blob is one digit after all
    for a, b in itertools.pairwise(cuts):
        rows = np.nonzero(strokes[:, a:b].any(axis=1))[0]
        if len(rows) == 0 or rows[-1] - rows[0] + 1 < 0.6 * height:
            return [(x0, x1)]
    return [(x0 + a, x0 + b) for a, b in itertools.pairwise(cuts) if b - a > 1]


def prepare_number(
    data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS, keep_stages: bool = False
) -> list[Prepared]:
    """Every digit on the main line of writing, left to right, each as an MNIST-style image."""
    found = _find_ink(data, max_pixels, keep_stages, NUMBER_SIDE)
    groups = _digit_groups(found)
    if not groups:
        raise ImageProblem("no_digit", "no plausible digits")
    if keep_stages:
        found.stages.append(("parts", _stage_picture(_highlight(found, np.concatenate(groups)))))
    digits = []
    for group in groups:
        columns = _split_wide(found, group)
        if len(columns) == 1:
            digits.append(_finish(found, group, keep_stages, found.stages))
            continue
        for a, b in columns:
            piece = _columns_of(found, group, a, b)
            if len(piece.keep):
                digits.append(_finish(piece, piece.keep, keep_stages, found.stages))
    if not digits:
        raise ImageProblem("no_digit", "no plausible digits")
    return digits


def _columns_of(found: _Found, group: np.ndarray, a: int, b: int) -> _Found:
    """The strokes of `group` between columns a and b, as if nothing else were on the page."""
    mask = np.zeros_like(found.mask)
    mask[:, a:b] = found.parts.mask_of(group, found.mask.shape)[:, a:b]
    parts = label_components(mask)
    keep = np.nonzero(parts.area >= 0.05 * max(1, parts.area.max(initial=0)))[0]
    return _Found(found.ink, mask, parts, keep, [])


def _highlight(found: _Found, labels: np.ndarray) -> np.ndarray:
    """The ink mask in grey with the chosen components in colour (RGB uint8)."""
    h, w = found.mask.shape
    picture = np.full((h, w, 3), 255, dtype=np.uint8)
    picture[found.mask] = (190, 190, 190)
    chosen = found.parts.mask_of(labels, (h, w))
    picture[chosen] = (200, 30, 30)
    return picture
