"""nncore.datasets: IDX/npz/USPS readers and the verified, cached download (local server only)."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from nncore import datasets


def repository_root() -> Path:
    """The checkout: the nearest folder above this file holding pyproject.toml."""
    here = Path(__file__).resolve()
    return next(folder for folder in here.parents if (folder / "pyproject.toml").is_file())


SHARED = repository_root().parent / "shared" / "datasets"


def write_idx(path: Path, array: np.ndarray, type_code: int = 0x08, gz: bool = False) -> Path:
    header = bytes([0, 0, type_code, array.ndim]) + np.array(array.shape, ">u4").tobytes()
    body = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    path.write_bytes(gzip.compress(body) if gz else body)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_round_trips_images_raw_and_gzipped(tmp_path, gz):
    images = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    path = write_idx(tmp_path / "img", images, gz=gz)
    np.testing.assert_array_equal(datasets.read_idx(path), images)


def test_read_idx_reads_big_endian_int32_and_float32(tmp_path):
    ints = np.array([[1, -2, 70000]], dtype=np.int32)
    floats = np.array([0.5, -1.25], dtype=np.float32)
    np.testing.assert_array_equal(datasets.read_idx(write_idx(tmp_path / "i", ints, 0x0C)), ints)
    np.testing.assert_array_equal(
        datasets.read_idx(write_idx(tmp_path / "f", floats, 0x0D)), floats
    )


def test_read_idx_rejects_bad_magic_and_truncated_data(tmp_path):
    (tmp_path / "junk").write_bytes(b"hello world")
    with pytest.raises(datasets.DatasetError, match="magic"):
        datasets.read_idx(tmp_path / "junk")
    path = write_idx(tmp_path / "cut", np.zeros((3, 4, 4), np.uint8))
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(datasets.DatasetError, match="header promises"):
        datasets.read_idx(path)
    with pytest.raises(datasets.DatasetError, match="no such file"):
        datasets.read_idx(tmp_path / "absent")


def test_load_mnist_from_a_folder_of_idx_files_and_from_npz(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (4, 28, 28), dtype=np.uint8)
    y = np.array([3, 1, 4, 1], np.uint8)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", x, gz=True)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", y)
    data = datasets.load_mnist(tmp_path)
    np.testing.assert_array_equal(data["x_test"], x)
    np.testing.assert_array_equal(data["y_test"], y)
    assert "x_train" not in data
    np.savez(tmp_path / "m.npz", x_train=x, y_train=y, x_test=x[:2], y_test=y[:2])
    assert datasets.load_mnist(tmp_path / "m.npz")["x_test"].shape == (2, 28, 28)
    np.savez(tmp_path / "bad.npz", x_test=x, y_test=y[:1])
    with pytest.raises(datasets.DatasetError, match="differ in length"):
        datasets.load_mnist(tmp_path / "bad.npz")


def test_read_usps_parses_labels_and_16x16_grids(tmp_path):
    rows = ["3 " + " ".join(["-1"] * 255 + ["1"]), "7 " + " ".join(["0.5"] * 256)]
    (tmp_path / "u.txt").write_text("\n".join(rows) + "\n")
    x, y = datasets.read_usps(tmp_path / "u.txt")
    assert x.shape == (2, 16, 16) and x.dtype == np.float32
    assert y.tolist() == [3, 7] and x[0, 15, 15] == 1 and x[1, 0, 0] == 0.5
    (tmp_path / "short.txt").write_text("1 2 3\n")
    with pytest.raises(datasets.DatasetError, match="line 1"):
        datasets.read_usps(tmp_path / "short.txt")


def test_real_files_match_each_other():
    if not (SHARED / "mnist").is_dir():
        pytest.skip(f"datasets not found: {SHARED}")
    idx = datasets.load_mnist(SHARED / "mnist")
    npz = datasets.load_mnist(SHARED / "mnist" / "mnist.npz")
    np.testing.assert_array_equal(idx["x_test"], npz["x_test"])
    np.testing.assert_array_equal(idx["y_test"], npz["y_test"])
    assert npz["x_train"].shape == (60000, 28, 28)
    x, y = datasets.read_usps(SHARED / "usps" / "zip.test.gz")
    assert x.shape == (2007, 16, 16) and set(y.tolist()) == set(range(10))
    assert x.min() >= -1 and x.max() <= 1


@pytest.fixture
def http_folder(tmp_path):
    """A local HTTP server on 127.0.0.1 serving tmp_path/"srv" (never the internet)."""
    root = tmp_path / "srv"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_download_verifies_caches_and_refuses_a_tampered_file(http_folder, tmp_path):
    root, url = http_folder
    body = b"digits" * 1000
    (root / "a.bin").write_bytes(body)
    digest = hashlib.sha256(body).hexdigest()
    cache = tmp_path / "cache"
    path = datasets.download(url + "a.bin", digest, cache)
    assert path.read_bytes() == body
    (root / "a.bin").write_bytes(b"evil")  # the cached copy is used, the server not asked again
    assert datasets.download(url + "a.bin", digest, cache).read_bytes() == body
    path.write_bytes(b"corrupt")  # a damaged cache is fetched again, and the tampered body refused
    with pytest.raises(datasets.DatasetError, match="checksum mismatch"):
        datasets.download(url + "a.bin", digest, cache)
    assert not path.exists() or path.read_bytes() == b"corrupt"
    assert not list(cache.glob("*.part"))
    with pytest.raises(datasets.DatasetError, match="cannot download"):
        datasets.download(url + "missing.bin", digest, cache)


def test_download_mnist_fetches_the_files_and_load_mnist_reads_them(http_folder, tmp_path):
    root, url = http_folder
    rng = np.random.default_rng(2)
    x = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, 6).astype(np.uint8)
    files = {}
    for name, arr in [
        ("train-images-idx3-ubyte.gz", x),
        ("train-labels-idx1-ubyte.gz", y),
        ("t10k-images-idx3-ubyte.gz", x[:3]),
        ("t10k-labels-idx1-ubyte.gz", y[:3]),
    ]:
        files[name] = datasets.sha256_of(write_idx(root / name, arr, gz=True))
    folder = datasets.download_mnist(tmp_path / "cache", base_url=url, files=files)
    data = datasets.load_mnist(folder)
    np.testing.assert_array_equal(data["x_train"], x)
    np.testing.assert_array_equal(data["y_test"], y[:3])


def test_official_checksums_are_well_formed():
    assert len(datasets.MNIST_FILES) == 4
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in datasets.MNIST_FILES.values())
