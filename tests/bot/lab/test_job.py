"""A lab training as the worker runs it, on the shipped subset, with tiny settings."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from bot.lab import data as lab_data
from bot.lab import job
from bot.lab.data import lab_digits
from bot.lab.settings import PRESETS, LabSettings


def test_the_shipped_subset_is_balanced_uint8_mnist():
    data = lab_digits()
    assert data.x_train.shape == (10_000, 28, 28) and data.x_train.dtype == np.uint8
    assert data.x_test.shape == (2_000, 28, 28)
    assert np.bincount(data.y_train).tolist() == [1_000] * 10
    assert np.bincount(data.y_test).tolist() == [200] * 10
    assert (lab_data.training_count(), lab_data.test_count()) == (10_000, 2_000)
    assert lab_digits() is data  # read once per process


def test_a_short_training_learns_reports_progress_and_draws_its_pictures():
    reports = []
    settings = dataclasses.replace(PRESETS["cnn"], images=600, epochs=2)
    outcome = job.run_lab_job({"settings": settings.to_dict(), "lang": "en"},
                              reports.append, lambda: False)  # fmt: skip
    assert outcome.reason == "done" and len(outcome.history["loss"]) == 2
    assert len(outcome.history["val_loss"]) == 2 and outcome.train_count == 540
    assert outcome.test_accuracy > 0.5  # far above the 10% of guessing, even this short
    matrix = np.asarray(outcome.confusion)
    assert matrix.sum() == outcome.test_count == 2_000
    assert np.trace(matrix) == round(outcome.test_accuracy * 2_000)
    assert set(outcome.pictures) == {"curves", "confusion", "gallery", "filters"}
    assert all(p.startswith(b"\x89PNG") for p in outcome.pictures.values())
    assert reports and reports[-1]["fraction"] == 1.0


def test_stop_keeps_the_network_learned_so_far():
    settings = dataclasses.replace(PRESETS["mlp"], images=600, epochs=50)
    outcome = job.run_lab_job({"settings": settings.to_dict()}, lambda _: None, lambda: True)
    assert outcome.reason == "stopped" and len(outcome.history["loss"]) < 50
    assert "filters" not in outcome.pictures


def test_turning_epoch_is_the_lowest_validation_loss_before_a_clear_rise():
    assert job.turning_epoch([1.0, 0.6, 0.5, 0.52, 0.6]) == 3
    assert job.turning_epoch([1.0, 0.6, 0.5, 0.45, 0.44]) is None  # still falling
    assert job.turning_epoch([1.0, 0.5, 0.51, 0.52]) is None  # within noise
    assert job.turning_epoch([0.5, 0.9]) is None  # too short to tell


def test_the_learning_rate_falls_from_lr_towards_a_twentieth():
    rates = [job.cosine_lr(0.002, e, 10) for e in range(1, 11)]
    assert rates[0] == 0.002 and all(a > b for a, b in itertools.pairwise(rates))
    assert 0.0001 < rates[-1] < 0.0002


def test_confusion_matrix_counts_true_rows_and_said_columns():
    matrix = job.confusion_matrix(np.array([4, 4, 9, 1]), np.array([9, 4, 9, 7]))
    assert matrix[4, 9] == 1 and matrix[4, 4] == 1 and matrix[9, 9] == 1 and matrix[1, 7] == 1
    assert matrix.sum() == 4


def test_settings_default_to_the_cnn_preset():
    assert LabSettings() == PRESETS["cnn"]


def test_the_shipped_subset_is_rebuilt_exactly_from_the_full_set(tmp_path):
    from bot.lab.data import DEFAULT_FULL, SUBSET, build_subset

    if not DEFAULT_FULL.exists():
        pytest.skip(f"needs the full MNIST at {DEFAULT_FULL} (../shared/datasets)")
    build_subset(DEFAULT_FULL, tmp_path / "subset.npz")
    with np.load(tmp_path / "subset.npz") as rebuilt, np.load(SUBSET) as shipped:
        for name in ("x_train", "y_train", "x_test", "y_test"):
            assert np.array_equal(rebuilt[name], shipped[name]), name


def test_a_job_stops_training_early_enough_to_test_and_draw_before_its_cap():
    import time

    cap = time.monotonic() + 100.0
    stop_at = job.training_deadline(cap)
    assert cap - 16.0 < stop_at < cap - 14.0  # 15 % of the 100 s left
    assert job.training_deadline(None) is None
    late = time.monotonic() - 5.0  # already past the cap: no time is reserved
    assert job.training_deadline(late) == late


def test_augment_distorts_about_half_the_digits_each_epoch_and_keeps_them_digits():
    data = lab_digits()
    clean = job.as_input(data.x_train[:400])
    out = job.distort(clean, np.random.default_rng(3))
    assert out.shape == clean.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    changed = np.abs(out - clean).reshape(400, -1).max(axis=1) > 1e-6
    assert 150 < changed.sum() < 250  # about half; the others are the clean digits
    ink_ratio = out[changed].sum(axis=(1, 2, 3)) / clean[changed].sum(axis=(1, 2, 3))
    assert ink_ratio.min() > 0.6 and ink_ratio.max() < 1.5  # moved and bent, not erased
    again = job.distort(clean, np.random.default_rng(4))
    assert not np.array_equal(again, out)  # fresh distortions every epoch
