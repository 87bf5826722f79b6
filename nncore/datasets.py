"""Reading the handwritten-digit datasets nnbot learns from, and fetching MNIST safely.

What is here:
  * `read_idx(path)` — the IDX format MNIST is published in (gzipped or raw), any rank;
  * `load_mnist(path)` — MNIST from a `.npz` (Keras layout) or from a folder of IDX files;
  * `read_usps(path)` — the USPS text format (`label v1 … v256`, grey values in [-1, 1]);
  * `download(url, sha256, cache_dir)` — one file into a cache folder, refused unless its SHA-256
    matches; `download_mnist(cache_dir)` fetches the four official files that way.

Only the standard library and NumPy: no Pillow, no network libraries. The loaders return plain
arrays; turning USPS into the MNIST convention (20×20 box, centre of mass) lives with the digit
pipeline in `bot/vision.py`, which has the image tools for it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

# IDX type codes (third byte of the magic number) → NumPy big-endian dtypes.
_IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
# SHA-256 of the four files as the MNIST authors published them (gzip-compressed).
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": (
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
    ),
    "train-labels-idx1-ubyte.gz": (
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
    ),
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}


class DatasetError(ValueError):
    """A dataset file is missing, malformed, or failed its checksum."""


# --------------------------------------------------------------------------- reading


def _open_maybe_gzip(path: Path):
    """Open `path` for binary reading, decompressing when it starts with the gzip magic."""
    with open(path, "rb") as probe:
        head = probe.read(2)
    return gzip.open(path, "rb") if head == b"\x1f\x8b" else open(path, "rb")


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (raw or gzipped) into an array of its declared shape and type.

    Layout: two zero bytes, a type code, the number of dimensions n, then n big-endian uint32
    sizes, then the values row-major. Images come out as (count, rows, cols) uint8.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    with _open_maybe_gzip(path) as f:
        try:
            data = f.read()
        except (OSError, EOFError) as exc:
            raise DatasetError(f"{path}: cannot decompress ({exc})") from exc
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise DatasetError(f"{path}: not an IDX file (bad magic number)")
    dtype, ndim = _IDX_TYPES[data[2]], data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"{path}: header cut short")
    shape = tuple(int(s) for s in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) - header != expected:
        raise DatasetError(
            f"{path}: {len(data) - header} data bytes, the header promises {expected} for {shape}"
        )
    values = np.frombuffer(data, dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def _find(folder: Path, stem: str) -> Path:
    for name in (f"{stem}.gz", stem, stem.replace("-idx", ".idx")):
        if (folder / name).is_file():
            return folder / name
    raise DatasetError(f"{folder}: missing {stem}[.gz]")


def load_mnist(path: str | Path) -> dict[str, np.ndarray]:
    """MNIST as {"x_train", "y_train", "x_test", "y_test"} (uint8 images (n,28,28), labels (n,)).

    `path` is a `.npz` with those four arrays (the Keras `mnist.npz` layout) or a folder holding
    the IDX files. A folder without the training images still gives the test half (x_test, y_test).
    """
    path = Path(path)
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError) as exc:
            raise DatasetError(f"{path}: not a readable .npz ({exc})") from exc
        if not {"x_test", "y_test"} <= arrays.keys():
            raise DatasetError(f"{path}: expected arrays x_test and y_test, found {sorted(arrays)}")
    elif path.is_dir():
        arrays = {
            "x_test": read_idx(_find(path, "t10k-images-idx3-ubyte")),
            "y_test": read_idx(_find(path, "t10k-labels-idx1-ubyte")),
        }
        try:
            arrays["x_train"] = read_idx(_find(path, "train-images-idx3-ubyte"))
            arrays["y_train"] = read_idx(_find(path, "train-labels-idx1-ubyte"))
        except DatasetError:
            arrays.pop("x_train", None)
    else:
        raise DatasetError(f"{path}: no such file or folder")
    for half in ("train", "test"):
        x, y = arrays.get(f"x_{half}"), arrays.get(f"y_{half}")
        if x is not None and (y is None or len(x) != len(y)):
            raise DatasetError(f"{path}: x_{half} and y_{half} differ in length")
    return arrays


def read_usps(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """USPS digits: images (n,16,16) float32 in [-1, 1] (−1 = paper, 1 = ink) and labels (n,) int64.

    Each line is `label v1 … v256`; the file may be gzipped.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    with _open_maybe_gzip(path) as f:
        text = f.read().decode("ascii", errors="replace")
    rows = [line.split() for line in text.splitlines() if line.strip()]
    if not rows:
        raise DatasetError(f"{path}: empty")
    bad = next((i for i, r in enumerate(rows) if len(r) != 257), None)
    if bad is not None:
        raise DatasetError(f"{path}: line {bad + 1} has {len(rows[bad])} values, expected 257")
    try:
        table = np.array(rows, dtype=np.float32)
    except ValueError as exc:
        raise DatasetError(f"{path}: non-numeric value ({exc})") from exc
    labels = table[:, 0].astype(np.int64)
    return table[:, 1:].reshape(-1, 16, 16), labels


# --------------------------------------------------------------------------- downloading


def default_cache_dir() -> Path:
    """$NNCORE_DATA, else $XDG_CACHE_HOME/nncore, else ~/.cache/nncore."""
    if os.environ.get("NNCORE_DATA"):
        return Path(os.environ["NNCORE_DATA"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nncore"


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(
    url: str,
    sha256: str,
    cache_dir: str | Path | None = None,
    filename: str | None = None,
    timeout: float = 60.0,
) -> Path:
    """Fetch `url` into the cache folder unless a file with the right SHA-256 is already there.

    The body goes to a temporary file in the same folder and is renamed into place only after
    its checksum matches, so a broken or tampered download never looks like a cached one.
    Raises DatasetError on a network failure or a checksum mismatch.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (filename or url.rstrip("/").rsplit("/", 1)[-1])
    if target.is_file() and sha256_of(target) == sha256.lower():
        return target
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    shutil.copyfileobj(response, out)
            except OSError as exc:  # URLError, HTTPError and timeouts are all OSErrors
                raise DatasetError(f"cannot download {url}: {exc}") from exc
        actual = sha256_of(tmp)
        if actual != sha256.lower():
            raise DatasetError(
                f"{url}: checksum mismatch (expected sha256 {sha256}, got {actual}); not saved"
            )
        os.replace(tmp, target)
        return target
    finally:
        tmp.unlink(missing_ok=True)


def download_mnist(
    cache_dir: str | Path | None = None,
    base_url: str = MNIST_URL,
    files: dict[str, str] | None = None,
) -> Path:
    """Download the four MNIST IDX files (verified) and return their folder for `load_mnist`."""
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "mnist"
    for name, digest in (files or MNIST_FILES).items():
        download(base_url.rstrip("/") + "/" + name, digest, folder, name)
    return folder
