"""`nnbot train-digits` (bot.digits.train): a quick run, the augmentation, the pen redraw."""

from __future__ import annotations

import numpy as np

from bot.digits import mnist_frame, train
from tests.support.synthetic_photos import centre_of_mass


def test_train_digits_quick_run_writes_weights_and_card(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (64, 28, 28), dtype=np.uint8)
    y = np.arange(64, dtype=np.uint8) % 10
    data = tmp_path / "tiny.npz"
    np.savez(data, x_train=x, y_train=y, x_test=x[:20], y_test=y[:20])
    out = tmp_path / "model"
    status = train.main(
        ["--data", str(data), "--out", str(out), "--epochs", "1", "--width", "2", "--quiet"]
    )
    assert status == 0
    import json

    card = json.loads((out / "digits.json").read_text())
    assert card["epochs"] == 1 and "mnist_test" in card["accuracy"]
    assert card["augmentation"]["rotation_degrees"] > 0
    import nncore as nn

    model = nn.load(out / "digits.npz")
    assert model.predict(np.zeros((1, 1, 28, 28), np.float32)).shape == (1, 10)


def test_augmentation_keeps_shape_and_range():
    rng = np.random.default_rng(0)
    x = np.zeros((50, 28, 28), np.float32)
    x[:, 8:20, 12:16] = 1
    out = train.augment(x, rng)
    assert out.shape == x.shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    assert not np.allclose(out, x)


def ring(sigma: float = 1.6) -> np.ndarray:
    """An MNIST-like '0': a ring whose stroke fades out softly (Gaussian profile)."""
    yy, xx = np.mgrid[0:28, 0:28].astype(np.float32)
    distance = np.abs(np.hypot(yy - 14, (xx - 14) * 1.4) - 7)
    return np.exp(-(distance**2) / (2 * sigma**2)).astype(np.float32)


def test_redraw_thickens_a_thin_pen_like_the_photo_pipeline(monkeypatch):
    image = ring()
    thin, broad = train.redraw(image, 0.8), train.redraw(image, 0.3)
    # the same without the pipeline's thickening
    monkeypatch.setattr(mnist_frame, "TARGET_STROKE", 0.0)
    thin_as_cut, broad_as_cut = train.redraw(image, 0.8), train.redraw(image, 0.3)
    assert (image > 0.8).sum() < 0.5 * (image > 0.3).sum()  # a ballpoint's core vs a felt tip
    assert thin.sum() > 1.25 * thin_as_cut.sum()  # the thin stroke was thickened ...
    assert np.allclose(broad, broad_as_cut)  # ... the broad one already had the width
    for out in (thin, broad):
        assert out.shape == (28, 28) and out.min() >= 0 and out.max() <= 1
        cy, cx = centre_of_mass(out)
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
        assert out[14, 14] < 0.1  # the hole of the 0 stays open
        assert out[:, :4].max() == 0 and out[:4].max() == 0  # fitted into the 20 px box


def test_redraw_of_a_blank_image_is_blank():
    assert train.redraw(np.zeros((28, 28), np.float32), 0.5).max() == 0


def test_elastic_field_is_smooth_and_only_on_half_the_images():
    field = train._elastic_field(400, 28, np.random.default_rng(0))
    assert field.shape == (2, 400, 28 * 28)
    moved = np.abs(field).max(axis=(0, 2)) > 0
    assert 0.35 < moved.mean() < 0.65
    grid = field[:, moved].reshape(2, -1, 28, 28)
    size = np.abs(grid).mean()
    assert 0.4 < size < 2.0  # about a pixel: a wobble, not a scramble
    step = np.abs(np.diff(grid, axis=-1)).mean()
    assert step < 0.4 * size  # neighbours move together (white noise would give ≈ 1.1 × size)


def test_train_digits_reports_each_epochs_time_and_uses_the_threads_it_is_given(tmp_path, capsys):
    import json

    import nncore as nn

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (64, 28, 28), dtype=np.uint8)
    y = np.arange(64, dtype=np.uint8) % 10
    data = tmp_path / "tiny.npz"
    np.savez(data, x_train=x, y_train=y, x_test=x[:20], y_test=y[:20])
    before = nn.threads()
    try:
        arguments = ["--data", str(data), "--out", str(tmp_path), "--epochs", "2"]
        status = train.main([*arguments, "--width", "2", "--quiet", "--threads", "2"])
        assert status == 0
        assert nn.threads() == 2
    finally:
        nn.set_threads(before)
    printed = capsys.readouterr().out
    assert "with 2 thread(s)" in printed
    assert printed.count("s this epoch") == 2
    card = json.loads((tmp_path / "digits.json").read_text())
    assert [set(e) >= {"epoch", "seconds"} for e in card["per_epoch"]] == [True, True]


def test_train_digits_refuses_zero_threads(tmp_path, capsys):
    assert train.main(["--data", str(tmp_path / "none.npz"), "--threads", "0"]) == 2
    assert "--threads" in capsys.readouterr().err
