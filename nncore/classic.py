"""The classic first examples, reproduced number for number.

Each preset is a `Classic`: the data, a fresh model, and the recipe (loss, optimizer, epochs,
batch size) the original article used. `preset.fit()` trains it; `preset.predict_questions()`
answers the article's questions.

    single_neuron()   three inputs, no bias, sigmoid; 10 000 full-batch updates from the
                      legacy NumPy generator seeded with 1 → 0.99993704 for [1, 0, 0] (float64)
    weight_height()   a 2-2-1 sigmoid network with MSE on weight/height (shifted) → gender;
                      init="ones" gives the article's worked example (all weights 1, biases 0)
    xor()             XOR, which one neuron cannot learn but two hidden units can
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nncore.activations import Sigmoid, sigmoid
from nncore.layers import Dense
from nncore.losses import MSE, BinaryCrossEntropy, Loss
from nncore.model import History, Sequential
from nncore.optim import SGD, Optimizer


@dataclass
class Classic:
    name: str
    X: np.ndarray
    y: np.ndarray
    input_names: list[str]
    target_names: list[str]
    model: Sequential
    loss: Loss
    optimizer: Optimizer
    epochs: int
    batch_size: int
    shuffle: bool = False
    seed: int | None = 0
    row_names: list[str] = field(default_factory=list)
    questions: np.ndarray | None = None
    question_names: list[str] = field(default_factory=list)

    def fit(self, **overrides: object) -> History:
        """Train `model` with the recipe (keyword arguments override it, e.g. callbacks=…)."""
        options = dict(
            epochs=self.epochs, batch_size=self.batch_size, shuffle=self.shuffle, seed=self.seed
        )
        options.update(overrides)
        return self.model.fit(self.X, self.y, self.loss, self.optimizer, **options)

    def predict_questions(self) -> np.ndarray:
        return self.model.predict(self.questions)


def article_single_neuron_weights() -> np.ndarray:
    """The article's starting weights: legacy Mersenne Twister seeded with 1, uniform in (−1, 1).

    Uses its own RandomState, so the global NumPy generator is left alone.
    """
    return 2 * np.random.RandomState(1).random_sample((3, 1)) - 1


def single_neuron(dtype: str = "float64") -> Classic:
    """The single neuron. Its update w += Xᵀ(error·σ′(output)) is SGD(lr=2) on the mean squared
    error of four samples, since ∂MSE/∂output = 2·(output − y)/4."""
    model = Sequential(
        [Dense(3, 1, bias=False, init=article_single_neuron_weights()), Sigmoid()], dtype=dtype
    )
    return Classic(
        name="single_neuron",
        X=np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float),
        y=np.array([[0], [1], [1], [0]], dtype=float),
        input_names=["x1", "x2", "x3"],
        target_names=["y"],
        model=model,
        loss=MSE(),
        optimizer=SGD(lr=2.0),
        epochs=10_000,
        batch_size=4,
        questions=np.array([[1, 0, 0]], dtype=float),
        question_names=["new situation"],
    )


def train_single_neuron_like_the_article(iterations: int = 10_000) -> np.ndarray:
    """The article's own loop, line for line, for comparison. Returns the final weights (3, 1)."""
    X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
    y = np.array([[0, 1, 1, 0]], dtype=float).T
    weights = article_single_neuron_weights()
    for _ in range(iterations):
        output = sigmoid(X @ weights)
        weights += X.T @ ((y - output) * output * (1 - output))
    return weights


def weight_height(init: str = "normal", dtype: str = "float64", seed: int = 7) -> Classic:
    """Weight (lb − 135) and height (in − 66) → 1 for female, 0 for male; 2-2-1 sigmoid, MSE,
    SGD lr 0.1, 1000 epochs, one sample at a time. init="normal" draws every weight and bias
    from N(0, 1) like the article; init="ones" sets weights to 1 and biases to 0."""
    if init == "ones":
        hidden, output = Dense(2, 2, init="ones"), Dense(2, 1, init="ones")
    elif init == "normal":
        rng = np.random.default_rng(seed)
        hidden = Dense(2, 2, init=rng.normal(size=(2, 2)))
        output = Dense(2, 1, init=rng.normal(size=(2, 1)))
        hidden.params["b"][:] = rng.normal(size=2)
        output.params["b"][:] = rng.normal(size=1)
    else:
        raise ValueError('init must be "normal" or "ones"')
    return Classic(
        name="weight_height",
        X=np.array([[-2, -1], [25, 6], [17, 4], [-15, -6]], dtype=float),
        y=np.array([[1], [0], [0], [1]], dtype=float),
        input_names=["weight", "height"],
        target_names=["female"],
        row_names=["Alice", "Bob", "Charlie", "Diana"],
        model=Sequential([hidden, Sigmoid(), output, Sigmoid()], dtype=dtype),
        loss=MSE(),
        optimizer=SGD(lr=0.1),
        epochs=1000,
        batch_size=1,
        questions=np.array([[-7, -3], [20, 2]], dtype=float),
        question_names=["Emily", "Frank"],
    )


def xor(dtype: str = "float64", seed: int = 0) -> Classic:
    """XOR with two hidden sigmoid units, binary cross-entropy, full-batch SGD."""
    model = Sequential(
        [
            Dense(2, 2, init="uniform", rng=seed),
            Sigmoid(),
            Dense(2, 1, init="uniform", rng=seed + 1),
            Sigmoid(),
        ],
        dtype=dtype,
    )
    return Classic(
        name="xor",
        X=np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float),
        y=np.array([[0], [1], [1], [0]], dtype=float),
        input_names=["x1", "x2"],
        target_names=["x1 xor x2"],
        model=model,
        loss=BinaryCrossEntropy(),
        optimizer=SGD(lr=2.0),
        epochs=2000,
        batch_size=4,
        questions=np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float),
        question_names=["0 xor 0", "0 xor 1", "1 xor 0", "1 xor 1"],
    )
