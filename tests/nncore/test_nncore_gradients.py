"""Back-propagation agrees with finite differences (float64) for every layer, activation, loss."""

import numpy as np
import pytest

import nncore as nn

TOLERANCE = 1e-6


def rows(n, d, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


ACTIVATIONS = [nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.LeakyReLU(0.1), nn.Softmax(), nn.Linear()]


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: a.kind)
def test_dense_and_each_activation(activation):
    model = nn.Sequential([nn.Dense(3, 4, rng=0), activation, nn.Dense(4, 2, rng=1)], "float64")
    result = nn.gradcheck(model, nn.MSE(), rows(5, 3), rows(5, 2, seed=1))
    assert result.max_rel_error < TOLERANCE, result


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: a.kind)
def test_each_activation_as_the_output(activation):
    model = nn.Sequential([nn.Dense(3, 3, rng=2), activation])
    result = nn.gradcheck(model, nn.MSE(), rows(4, 3), rows(4, 3, seed=3))
    assert result.max_rel_error < TOLERANCE, result


@pytest.mark.parametrize(
    ("loss", "last", "targets"),
    [
        (nn.MSE(), nn.Linear(), rows(6, 3, seed=4)),
        (nn.BinaryCrossEntropy(), nn.Sigmoid(), np.array([[0, 1, 1], [1, 0, 0]] * 3, float)),
        (nn.BinaryCrossEntropy(from_logits=True), nn.Linear(), np.eye(3)[[0, 1, 2, 0, 1, 2]]),
        (nn.SoftmaxCrossEntropy(), nn.Linear(), np.array([0, 1, 2, 2, 1, 0])),
        (nn.SoftmaxCrossEntropy(), nn.Softmax(), np.eye(3)[[2, 1, 0, 0, 1, 2]]),
    ],
    ids=["mse", "bce-probabilities", "bce-logits", "softmax-ce-labels", "softmax-ce-onehot"],
)
def test_each_loss(loss, last, targets):
    model = nn.Sequential([nn.Dense(2, 5, rng=5), nn.Tanh(), nn.Dense(5, 3, rng=6), last])
    result = nn.gradcheck(model, loss, rows(6, 2, seed=7), targets)
    assert result.max_rel_error < TOLERANCE, result


def test_binary_cross_entropy_from_probabilities_unfused():
    """Sigmoid, then an identity Dense: not fused, so the probability formula is checked."""
    model = nn.Sequential(
        [nn.Dense(2, 1, rng=8), nn.Sigmoid(), nn.Dense(1, 1, init=np.ones((1, 1)))]
    )
    model.layers[2].params["b"][:] = 0.0
    X = rows(6, 2, seed=9)
    result = nn.gradcheck(model, nn.BinaryCrossEntropy(), X, np.array([0, 1, 1, 0, 1, 0.0]))
    assert result.max_rel_error < TOLERANCE, result


@pytest.mark.parametrize(
    ("size", "stride", "padding", "image"),
    [(3, 1, 0, 7), (3, 2, 1, 7), (2, 2, 0, 6), (3, 3, 2, 8), (1, 1, 0, 5)],
    ids=["3x3", "3x3-stride2-pad1", "2x2-stride2", "3x3-stride3-pad2", "1x1"],
)
@pytest.mark.parametrize("batch_last", [False, True], ids=["per-sample", "batch-last"])
def test_conv2d_with_stride_and_padding(size, stride, padding, image, batch_last):
    conv = nn.Conv2D(2, 3, size, stride=stride, padding=padding, rng=10)
    conv.batch_last = batch_last
    model = nn.Sequential([conv, nn.Tanh(), nn.Flatten()], "float64")
    out = model.forward(np.zeros((1, 2, image, image)))
    X = np.random.default_rng(11).normal(size=(2, 2, image, image))
    result = nn.gradcheck(model, nn.MSE(), X, rows(2, out.shape[1], seed=12))
    assert result.max_rel_error < TOLERANCE, result


@pytest.mark.parametrize(
    ("size", "stride", "image"), [(2, None, 7), (3, None, 11), (3, 2, 9), (2, 1, 5)]
)
def test_max_pool_on_odd_sizes_and_overlapping_windows(size, stride, image):
    pool = nn.MaxPool2D(size, stride)
    out_features = 2 * pool.output_shape((2, image, image))[1] ** 2
    model = nn.Sequential(
        [
            nn.Conv2D(2, 2, 1, rng=14),
            nn.MaxPool2D(size, stride),
            nn.Flatten(),
            nn.Dense(out_features, 3, rng=15),
        ]
    )
    X = np.random.default_rng(16).normal(size=(3, 2, image, image))
    result = nn.gradcheck(model, nn.SoftmaxCrossEntropy(), X, np.array([0, 1, 2]))
    assert result.max_rel_error < TOLERANCE, result


def test_a_small_cnn_end_to_end():
    model = nn.Sequential(
        [
            nn.Conv2D(1, 2, 3, padding=1, rng=17),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Conv2D(2, 2, 3, stride=2, rng=18),
            nn.LeakyReLU(),
            nn.Flatten(),
            nn.Dense(2, 3, rng=19),
            nn.Softmax(),
        ]
    )
    X = np.random.default_rng(20).normal(size=(3, 1, 7, 7))
    result = nn.gradcheck(model, nn.SoftmaxCrossEntropy(), X, np.array([2, 0, 1]))
    assert result.max_rel_error < TOLERANCE, result


def test_both_conv2d_layouts_compute_the_same_thing():
    x = np.random.default_rng(21).normal(size=(3, 5, 9, 8))
    grad = np.random.default_rng(22).normal(size=(3, 4, 5, 4))
    results = []
    for batch_last in (False, True):
        conv = nn.Conv2D(5, 4, 3, stride=2, padding=1, rng=23)
        conv.batch_last = batch_last
        out = conv.forward(x)
        results.append((out, conv.backward(grad), conv.grads["W"].copy(), conv.grads["b"].copy()))
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert results[0][0].shape == (3, 4, 5, 4) and results[0][0].flags.c_contiguous


def test_max_pool_sends_the_gradient_to_the_first_maximum_only():
    pool = nn.MaxPool2D(2)
    x = np.array([[[[1.0, 3.0], [3.0, 0.0]]]])
    pool.forward(x)
    np.testing.assert_array_equal(pool.backward(np.ones((1, 1, 1, 1))), [[[[0, 1], [0, 0]]]])


def test_gradcheck_notices_a_wrong_gradient():
    class Doubled(nn.Tanh):
        def backward(self, grad):
            return 2 * super().backward(grad)

    model = nn.Sequential([nn.Dense(2, 3, rng=0), Doubled(), nn.Dense(3, 1, rng=1)])
    result = nn.gradcheck(model, nn.MSE(), rows(4, 2), rows(4, 1))
    assert result.max_rel_error > 0.3


def test_dropout_backward_uses_the_forward_mask():
    layer = nn.Dropout(0.4, rng=0)
    x = rows(20, 6)
    out = layer.forward(x)
    grad = rows(20, 6, seed=1)
    np.testing.assert_allclose(layer.backward(grad), grad * (out / x))


def test_optimizers_follow_their_formulas():
    value, grad = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    sgd = nn.SGD(0.1, momentum=0.9, nesterov=True)
    sgd.step([("0.W", value, grad)])
    sgd.step([("0.W", value, grad)])
    # v1 = -0.1 g; w1 = w0 + 0.9 v1 - 0.1 g; v2 = 0.9 v1 - 0.1 g; w2 = w1 + 0.9 v2 - 0.1 g
    v1 = -0.1 * grad
    w1 = np.array([1.0, -2.0]) + 0.9 * v1 - 0.1 * grad
    v2 = 0.9 * v1 - 0.1 * grad
    np.testing.assert_allclose(value, w1 + 0.9 * v2 - 0.1 * grad)

    value = np.array([1.0, -2.0])
    adam = nn.Adam(lr=0.01)
    for _ in range(3):
        adam.step([("0.b", value, grad)])
    # Constant gradient: m̂ = g and v̂ = g², so each step is lr·g/(|g| + eps).
    np.testing.assert_allclose(value, np.array([1.0, -2.0]) - 3 * 0.01 * np.sign(grad), rtol=1e-6)

    value = np.array([1.0])
    nn.SGD(0.1, weight_decay=0.5).step([("0.W", value, np.array([0.0]))])
    np.testing.assert_allclose(value, [1.0 - 0.1 * 0.5])


def naive_conv(x, W, b, stride, padding):
    """The textbook formula, loop by loop."""
    n, _, h, w = x.shape
    f, _, k, _ = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out, w_out = (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1
    out = np.zeros((n, f, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            patch = xp[:, :, stride * i : stride * i + k, stride * j : stride * j + k]
            out[:, :, i, j] = np.einsum("nckl,fckl->nf", patch, W) + b
    return out


@pytest.mark.parametrize(
    ("c_in", "stride", "padding", "size"), [(1, 1, 0, (7, 6)), (2, 2, 1, (7, 8)), (5, 1, 1, (9, 8))]
)
@pytest.mark.parametrize("batch_last", [False, True], ids=["per-sample", "batch-last"])
def test_conv2d_forward_matches_the_naive_formula(c_in, stride, padding, size, batch_last):
    conv = nn.Conv2D(c_in, 4, 3, stride=stride, padding=padding, rng=24)
    conv.params["b"][:] = [0.5, -1.0, 2.0, 0.0]
    conv.batch_last = batch_last
    x = np.random.default_rng(25).normal(size=(3, c_in, *size))
    expected = naive_conv(x, conv.params["W"], conv.params["b"], stride, padding)
    np.testing.assert_allclose(conv.forward(x), expected, rtol=1e-12, atol=1e-12)


def test_max_pool_forward_matches_the_naive_formula():
    x = np.random.default_rng(26).normal(size=(2, 3, 7, 9))
    out = nn.MaxPool2D(3, stride=2).forward(x)
    expected = np.array(
        [
            [
                [
                    [x[n, c, 2 * i : 2 * i + 3, 2 * j : 2 * j + 3].max() for j in range(4)]
                    for i in range(3)
                ]
                for c in range(3)
            ]
            for n in range(2)
        ]
    )
    np.testing.assert_array_equal(out, expected)


def test_the_2x2_pool_matches_a_naive_search_with_ties_and_odd_sizes():
    """Half the cells are 0 (as after ReLU), so many windows hold several maxima."""
    rng = np.random.default_rng(30)
    x = np.maximum(rng.integers(-3, 3, size=(3, 2, 7, 9)), 0).astype(np.float64)
    grad = rng.normal(size=(3, 2, 3, 4))
    pool = nn.MaxPool2D(2)
    out = pool.forward(x)
    d_x = pool.backward(grad)
    expected_out = np.zeros((3, 2, 3, 4))
    expected_dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(3, 2, 3, 4):
        window = x[n, c, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        expected_out[n, c, i, j] = window.max()
        first = np.argmax(window)  # the first maximum in reading order
        expected_dx[n, c, 2 * i + first // 2, 2 * j + first % 2] = grad[n, c, i, j]
    np.testing.assert_array_equal(out, expected_out)
    np.testing.assert_array_equal(d_x, expected_dx)
