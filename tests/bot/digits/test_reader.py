"""bot.digits.reader with the shipped weights: accuracy on MNIST, on synthetic photos, on numbers.

Tests that need MNIST or the real photos skip when ../shared/datasets is absent; the photos
drawn with Pillow lines run everywhere.
"""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from bot.digits import reader as digits
from bot.digits.mnist_frame import usps_to_mnist
from bot.digits.photo import ImageProblem
from bot.digits.reader import DigitReader, get_reader
from tests.support import synthetic_photos as sp
from tests.support.paths import SHARED_DATASETS

SHARED = SHARED_DATASETS


@pytest.fixture(scope="module")
def reader() -> DigitReader:
    return get_reader()


@pytest.fixture(scope="module")
def mnist() -> dict:
    path = SHARED / "mnist" / "mnist.npz"
    if not path.is_file():
        pytest.skip(f"MNIST not found: {path}")
    from nncore import datasets

    return datasets.load_mnist(path)


def test_shipped_weights_are_small_float32_with_a_model_card():
    assert digits.WEIGHTS.stat().st_size <= 2_000_000
    with np.load(digits.WEIGHTS) as npz:
        arrays = [npz[k] for k in npz.files if npz[k].dtype.kind == "f"]
    assert arrays and all(a.dtype == np.float32 for a in arrays)
    card = json.loads(digits.WEIGHTS.with_suffix(".json").read_text())
    for field in ("data", "architecture", "epochs", "augmentation", "accuracy", "training_seconds"):
        assert field in card


def test_the_reader_is_loaded_once_and_shared(reader):
    assert get_reader() is reader
    results = []

    def read():
        results.append(reader.classify(np.zeros((3, 28, 28), np.float32)).shape)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [(3, 10)] * 4


def test_probabilities_sum_to_one(reader):
    probs = reader.classify(np.random.default_rng(0).random((5, 28, 28), dtype=np.float32))
    assert probs.shape == (5, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1, atol=1e-5)


def test_mnist_subset_accuracy(reader, mnist):
    x = mnist["x_test"][:2000].astype(np.float32) / 255
    accuracy = (reader.classify(x).argmax(1) == mnist["y_test"][:2000]).mean()
    assert accuracy >= 0.985


def test_drawn_digit_photos_are_read(reader):
    rng = np.random.default_rng(42)
    right = 0
    for digit in range(10):
        for stroke in ("thin", "normal", "thick"):
            data = sp.random_digit_photo(None, digit, rng, stroke=stroke, size=(640, 480))
            right += reader.read_digit(data).digit == digit
    assert right >= 26, f"{right}/30"


def test_mnist_digit_photos_are_read(reader, mnist):
    rng = np.random.default_rng(7)
    picks = rng.choice(len(mnist["y_test"]), 40, replace=False)
    right = 0
    for i in picks:
        data = sp.random_digit_photo(
            mnist["x_test"][i], int(mnist["y_test"][i]), rng, size=(640, 480)
        )
        right += reader.read_digit(data).digit == mnist["y_test"][i]
    assert right >= 37, f"{right}/40"


def test_mnist_numbers_are_read(reader, mnist):
    rng = np.random.default_rng(8)
    by_digit = [np.nonzero(mnist["y_test"] == d)[0] for d in range(10)]
    right = 0
    for _ in range(15):
        values = [int(d) for d in rng.integers(0, 10, int(rng.integers(3, 9)))]
        images = [mnist["x_test"][rng.choice(by_digit[d])] for d in values]
        photo = sp.random_number_photo(images, values, rng, size=(960, 720))
        number = reader.read_number(photo)
        right += number.text == "".join(map(str, values))
        assert len(number.digits) == len(number.text)
    assert right >= 12, f"{right}/15"


def test_a_drawn_number_is_read_with_a_confidence_per_digit(reader):
    rng = np.random.default_rng(3)
    number = reader.read_number(
        sp.random_number_photo([None] * 4, [2, 0, 4, 7], rng, stroke="normal", gap=0.4)
    )
    assert number.text == "2047"
    assert all(0 <= d.confidence <= 1 for d in number.digits)
    assert 0 < number.confidence <= 1


def test_photos_dev_are_read(reader):
    folder = SHARED / "photos-dev"
    if not folder.is_dir():
        pytest.skip(f"photos-dev not found: {folder}")
    wrong = []
    for path in sorted(folder.glob("*.jpg")):
        result = reader.read_digit(path.read_bytes())
        if result.digit != int(path.name[0]):
            wrong.append(f"{path.name}→{result.digit}")
    # 4_b (a closed-top 4 with a high, short bar) is the borderline one: the shipped weights
    # read it as 4, yet other seeds of the same recipe read 9 (README, "How well it reads").
    assert wrong == []


def test_usps_accuracy(reader):
    path = SHARED / "usps" / "zip.test.gz"
    if not path.is_file():
        pytest.skip(f"USPS not found: {path}")
    from nncore import datasets

    x, y = datasets.read_usps(path)
    accuracy = (reader.classify(usps_to_mnist(x[:600])).argmax(1) == y[:600]).mean()
    assert accuracy >= 0.93


def test_stages_come_with_a_digit_result(reader):
    rng = np.random.default_rng(5)
    photo = sp.random_digit_photo(None, 3, rng, size=(640, 480))
    result = reader.read_digit(photo, keep_stages=True)
    assert [name for name, _ in result.stages][-1] == "input"
    runners = result.runners_up(2)
    assert len(runners) == 2 and result.digit not in [d for d, _ in runners]


def test_problems_surface_as_image_problem(reader):
    with pytest.raises(ImageProblem):
        reader.read_digit(b"not an image")
    with pytest.raises(ImageProblem):
        reader.read_number(b"not an image")
