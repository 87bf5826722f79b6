"""Sequential.fit: the article's single neuron, XOR, callbacks, seeds, modes and dtypes."""

import numpy as np
import pytest

import nncore as nn

SINGLE_X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
SINGLE_Y = np.array([[0, 1, 1, 0]], dtype=float).T
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0], dtype=float)


def article_weights() -> np.ndarray:
    np.random.seed(1)
    return 2 * np.random.random((3, 1)) - 1


def single_neuron(dtype: str) -> nn.Sequential:
    return nn.Sequential([nn.Dense(3, 1, bias=False, init=article_weights()), nn.Sigmoid()], dtype)


@pytest.mark.parametrize(("dtype", "expected"), [("float64", 0.99993704), ("float32", 0.99993706)])
def test_single_neuron_fit_with_mse_and_sgd_lr_2_reproduces_the_article(dtype, expected):
    model = single_neuron(dtype)
    model.fit(
        SINGLE_X, SINGLE_Y, nn.MSE(), nn.SGD(lr=2), epochs=10_000, batch_size=4, shuffle=False
    )
    assert round(float(model.predict(np.array([[1, 0, 0]]))[0, 0]), 8) == expected


def test_mse_sgd_lr_2_step_equals_the_article_update_exactly():
    weights = article_weights()
    out = nn.sigmoid(SINGLE_X @ weights)
    by_hand = weights + SINGLE_X.T @ ((SINGLE_Y - out) * out * (1 - out))
    model = single_neuron("float64")
    model.fit(SINGLE_X, SINGLE_Y, nn.MSE(), nn.SGD(lr=2), epochs=1, batch_size=4, shuffle=False)
    np.testing.assert_allclose(model.layers[0].params["W"], by_hand, rtol=0, atol=1e-15)


def xor_model(seed: int = 0) -> nn.Sequential:
    return nn.Sequential(
        [nn.Dense(2, 4, rng=seed), nn.Tanh(), nn.Dense(4, 1, rng=seed + 1), nn.Sigmoid()]
    )


def test_xor_converges():
    model = xor_model()
    history = model.fit(XOR_X, XOR_Y, nn.BinaryCrossEntropy(), nn.Adam(0.05), 300, batch_size=4)
    assert history.accuracy[-1] == 1.0
    assert history.loss[-1] < 0.05 < history.loss[0]
    np.testing.assert_array_equal(model.predict(XOR_X).ravel() > 0.5, XOR_Y > 0.5)


def test_same_seed_gives_identical_runs_and_another_seed_does_not():
    def run(seed):
        model = nn.Sequential(
            [nn.Dense(2, 8, rng=3), nn.ReLU(), nn.Dropout(0.3), nn.Dense(8, 1, rng=4)]
        )
        X = np.random.default_rng(0).normal(size=(40, 2))
        history = model.fit(
            X,
            X[:, :1] * X[:, 1:],
            nn.MSE(),
            nn.SGD(0.05, momentum=0.9),
            5,
            batch_size=8,
            validation_split=0.25,
            seed=seed,
        )
        return history.loss + history.val_loss, model.layers[0].params["W"].copy()

    (loss_a, w_a), (loss_b, w_b), (loss_c, _) = run(7), run(7), run(8)
    assert loss_a == loss_b
    np.testing.assert_array_equal(w_a, w_b)
    assert loss_a != loss_c


def test_callbacks_see_progress_and_can_stop_keeping_the_weights():
    seen = []

    def stop_in_epoch_3(progress: nn.Progress):
        seen.append(progress)
        return progress.epoch == 3 and progress.batch == 1 and progress.event == "batch"

    model = xor_model()
    history = model.fit(
        XOR_X,
        XOR_Y,
        nn.BinaryCrossEntropy(),
        nn.SGD(0.5),
        epochs=10,
        batch_size=2,
        callbacks=[stop_in_epoch_3],
        seed=1,
    )
    assert history.stopped and history.epochs_run == 2
    events = [(p.event, p.epoch, p.batch) for p in seen]
    assert events == [
        ("batch", 1, 1),
        ("batch", 1, 2),
        ("epoch", 1, 2),
        ("batch", 2, 1),
        ("batch", 2, 2),
        ("epoch", 2, 2),
        ("batch", 3, 1),
    ]
    assert seen[0].fraction == pytest.approx(1 / 20) and seen[0].batches == 2
    assert seen[0].accuracy is not None and seen[0].epochs == 10
    # The weights after the stop are the ones learned by the last batch, not reset.
    assert not np.allclose(model.layers[0].params["W"], xor_model().layers[0].params["W"])


def test_history_records_validation_and_round_trips_through_a_dict():
    model = xor_model()
    history = model.fit(
        XOR_X, XOR_Y, nn.BinaryCrossEntropy(), nn.Adam(0.05), 3, validation_data=(XOR_X, XOR_Y)
    )
    assert len(history.loss) == len(history.val_loss) == len(history.val_accuracy) == 3
    assert nn.History.from_dict(history.to_dict()) == history


def test_regression_history_has_no_accuracy():
    model = nn.Sequential([nn.Dense(1, 1, rng=0), nn.Linear()])
    X = np.linspace(-1, 1, 20)[:, None]
    history = model.fit(X, 3 * X + 1, nn.MSE(), nn.SGD(0.3), 200, batch_size=20)
    assert history.accuracy == [] and history.loss[-1] < 1e-4
    assert "accuracy" not in model.evaluate(X, 3 * X + 1, nn.MSE())


def test_softmax_output_trains_with_fused_cross_entropy_and_predicts_probabilities():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 2))
    labels = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    model = nn.Sequential([nn.Dense(2, 16, rng=1), nn.ReLU(), nn.Dense(16, 3, rng=2), nn.Softmax()])
    history = model.fit(X, labels, nn.SoftmaxCrossEntropy(), nn.Adam(0.02), 60, batch_size=16)
    assert history.accuracy[-1] > 0.9
    probs = model.predict(X)
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    assert model.evaluate(X, np.eye(3)[labels], nn.SoftmaxCrossEntropy())["accuracy"] > 0.9


def test_float32_by_default_and_float64_on_request():
    assert xor_model().predict(XOR_X).dtype == np.float32
    model = nn.Sequential([nn.Dense(2, 1, rng=0)], dtype="float64")
    assert model.predict(XOR_X).dtype == np.float64
    with pytest.raises(ValueError):
        nn.Sequential([nn.Dense(2, 1)], dtype="int32")


def test_dropout_is_active_only_in_training_mode():
    layer = nn.Dropout(0.5, rng=0)
    x = np.ones((1000, 10))
    out = layer.forward(x)
    assert set(np.unique(out)) == {0.0, 2.0} and abs(out.mean() - 1) < 0.05
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), out)
    model = nn.Sequential([layer]).eval()
    np.testing.assert_array_equal(model.forward(x), x)
    np.testing.assert_array_equal(nn.Sequential([nn.Dropout(0.5)]).predict(x), x)


def test_summary_lists_layers_shapes_and_parameter_counts():
    text = xor_model().summary()
    assert "Dense(n_in=2, n_out=4, bias=True)" in text and "Total" in text and "17" in text


@pytest.mark.parametrize("init", ["he", "glorot", "xavier", "lecun", "uniform", "zeros", "ones"])
def test_initialisers_have_the_right_shape_and_scale(init):
    W = nn.Dense(200, 100, init=init, rng=0).params["W"]
    assert W.shape == (200, 100)
    expected_std = {
        "he": np.sqrt(2 / 200),
        "lecun": np.sqrt(1 / 200),
        "uniform": 1 / np.sqrt(3),
        "glorot": np.sqrt(2 / 300),
        "xavier": np.sqrt(2 / 300),
        "zeros": 0,
        "ones": 0,
    }
    assert W.std() == pytest.approx(expected_std[init], rel=0.05, abs=1e-12)


def test_bad_init_is_refused():
    with pytest.raises(ValueError):
        nn.Dense(2, 2, init="gaussian")
    with pytest.raises(ValueError):
        nn.Dense(2, 2, init=np.zeros((3, 2)))


def test_fit_leaves_the_model_in_the_mode_it_found():
    model = nn.Sequential([nn.Dense(2, 2, rng=0), nn.Dropout(0.5), nn.Dense(2, 1, rng=1)]).eval()
    model.fit(XOR_X, XOR_Y, nn.MSE(), nn.SGD(0.1), 2, validation_split=0.25, seed=0)
    assert not any(layer.training for layer in model.layers)
    model.train().fit(XOR_X, XOR_Y, nn.MSE(), nn.SGD(0.1), 1)
    assert all(layer.training for layer in model.layers)
