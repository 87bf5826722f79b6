"""EarlyStopping: stops after `patience` epochs without a better validation loss and puts back
the weights of the best epoch — the same weights a run stopped right there would have."""

import numpy as np
import pytest

import nncore as nn


def _model() -> nn.Sequential:
    layers = [nn.Dense(2, 16, rng=0), nn.Tanh(), nn.Dense(16, 1, rng=1), nn.Sigmoid()]
    return nn.Sequential(layers, dtype="float64")


def _noisy_rows():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 2))
    y = (X.sum(axis=1) > 0).astype(float)[:, None]
    y[:6] = 1 - y[:6]  # noise a big network learns by heart
    return X, y


def _fit(model, epochs, callbacks=()):
    X, y = _noisy_rows()
    return model.fit(
        X, y, nn.BinaryCrossEntropy(), nn.Adam(0.05), epochs, batch_size=8,
        validation_split=0.3, seed=5, callbacks=callbacks,
    )  # fmt: skip


def test_early_stopping_keeps_the_weights_of_the_best_validation_epoch():
    model = _model()
    early = nn.EarlyStopping(model, patience=20)
    history = _fit(model, 500, (early,))
    assert early.stopped_at is not None and history.stopped
    assert early.stopped_at == early.best_epoch + 20
    assert history.epochs_run == early.stopped_at
    best = int(np.argmin(history.val_loss)) + 1
    assert early.best_epoch == best
    early.restore()
    reference = _model()
    _fit(reference, best)  # the same seed stopped at the best epoch: the same weights
    for (_, kept, _), (_, expected, _) in zip(
        model.parameters(), reference.parameters(), strict=True
    ):
        np.testing.assert_allclose(kept, expected, rtol=0, atol=1e-12)


def test_early_stopping_never_stops_without_validation_rows():
    model = _model()
    early = nn.EarlyStopping(model, patience=1)
    X, y = _noisy_rows()
    history = model.fit(X, y, nn.BinaryCrossEntropy(), nn.Adam(0.05), 30, callbacks=(early,))
    assert history.epochs_run == 30 and early.stopped_at is None and early.best_epoch == 0
    before = [value.copy() for _, value, _ in model.parameters()]
    early.restore()  # nothing better was seen: the weights stay
    for old, (_, new, _) in zip(before, model.parameters(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_patience_must_be_positive():
    with pytest.raises(ValueError):
        nn.EarlyStopping(_model(), patience=0)
