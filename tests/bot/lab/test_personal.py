"""The chat's handwriting examples: stored as 28×28, read back, held out fairly."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import nncore as nn
from bot.lab import personal
from bot.store import Store
from tests.bot.digits.helpers import drawn_photo


def test_an_example_round_trips_as_uint8():
    image = np.linspace(0, 1, 784, dtype=np.float32).reshape(28, 28)
    data = personal.encode_example(image)
    back = personal.decode_example(data, 10_000_000)
    assert back.dtype == np.uint8 and back[0, 0] == 0 and back[-1, -1] == 255


def test_a_28_by_28_png_and_an_old_photo_correction_are_read_too():
    square = np.zeros((28, 28), np.uint8)
    square[5:20, 10:15] = 255
    buffer = io.BytesIO()
    Image.fromarray(square).save(buffer, "PNG")
    assert np.array_equal(personal.decode_example(buffer.getvalue(), 10_000_000), square)
    photo = personal.decode_example(drawn_photo(4, seed=3), 10_000_000)
    assert photo.shape == (28, 28) and photo.max() > 200


def test_a_photo_without_a_digit_is_skipped():
    blank = io.BytesIO()
    Image.new("RGB", (300, 200), (240, 240, 240)).save(blank, "JPEG")
    images, labels = personal.examples_from([(3, blank.getvalue())], 10_000_000)
    assert len(images) == len(labels) == 0


def test_the_held_out_examples_cover_each_digit_written_twice_or_more():
    labels = np.array([0, 0, 0, 0, 1, 1, 2] + [3] * 8)
    train, held = personal.held_out_split(labels, seed=1)
    assert sorted(set(labels[held])) == [0, 1, 3]  # 2 has one example: it is only trained on
    assert np.bincount(labels[held]).tolist() == [1, 1, 0, 2]
    assert sorted([*train, *held]) == list(range(len(labels)))


def test_chat_files_are_kept_and_reset_deletes_them(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.save_file(5, "lab.npz", b"one")
    store.save_file(5, "lab.npz", b"two")
    store.add_correction(5, personal.encode_example(np.zeros((28, 28))), 3)
    assert store.load_file(5, "lab.npz") == b"two" and store.load_file(6, "lab.npz") is None
    store.delete(5)
    assert store.load_file(5, "lab.npz") is None and store.corrections(5) == []


def test_the_personal_job_scores_before_and_after_on_held_out_examples(monkeypatch):
    from bot.digits import styles

    monkeypatch.setattr(personal, "EPOCHS", 1)
    monkeypatch.setattr(personal, "REPEATS", 1)
    monkeypatch.setattr(personal, "MNIST_MIX", 64)
    labels = np.repeat(np.arange(10), 3)
    images = personal.as_uint8(styles.draw_many(labels, np.random.default_rng(2)))
    reports = []
    outcome = personal.run_personal_job(
        {"images": images, "labels": labels, "seed": 1}, reports.append, lambda: False
    )
    assert (outcome.held_out, outcome.trained_on) == (10, 20)  # one of each digit held out
    assert outcome.mnist_count == 2_000 and outcome.reason == "done"
    for accuracy in (outcome.before, outcome.after):
        assert accuracy * 10 == round(accuracy * 10)  # whole digits out of ten
    assert outcome.mnist_before > 0.97  # the shipped reader, before any change
    model = nn.from_bytes(outcome.model_bytes)
    assert model.param_count() == 421_642
    assert reports and reports[-1]["fraction"] == 1.0
