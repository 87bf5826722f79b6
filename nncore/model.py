"""`Sequential`: layers in a row, and the training loop that fits them to data.

    forward:   x → layer 1 → layer 2 → … → prediction
    backward:  ∂L/∂prediction → … → layer 2 → layer 1   (each layer fills its grads)

`fit` repeats, batch after batch: forward, loss, backward, optimizer step. It reports progress
to callbacks and returns a `History` of the loss per epoch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from nncore.activations import Sigmoid, Softmax
from nncore.layers import Dropout, Layer
from nncore.losses import BinaryCrossEntropy, Loss, SoftmaxCrossEntropy
from nncore.optim import Optimizer


@dataclass
class Progress:
    """What a callback sees. `loss` is the mean loss of the current epoch so far."""

    event: str  # "batch" or "epoch"
    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based
    batches: int
    loss: float
    val_loss: float | None
    fraction: float  # 0..1 of the whole run
    accuracy: float | None


Callback = Callable[[Progress], bool | None]


@dataclass
class History:
    """Per completed epoch: training loss, validation loss, accuracies (empty for regression)."""

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    stopped: bool = False

    @property
    def epochs_run(self) -> int:
        return len(self.loss)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> History:
        return cls(
            loss=[float(v) for v in d.get("loss", [])],
            val_loss=[float(v) for v in d.get("val_loss", [])],
            accuracy=[float(v) for v in d.get("accuracy", [])],
            val_accuracy=[float(v) for v in d.get("val_accuracy", [])],
            stopped=bool(d.get("stopped", False)),
        )


class Sequential:
    """A model made of layers applied one after another. float32 by default, float64 on request.

    Layers remember their last input for backward, so one model must not run in two threads
    at the same time (share it behind a lock, or give each thread its own copy).
    """

    def __init__(self, layers: Iterable[Layer], dtype: str | np.dtype = "float32") -> None:
        self.layers: list[Layer] = list(layers)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        for layer in self.layers:
            layer.cast(self.dtype)
        self.input_shape: tuple[int, ...] | None = None

    # ---- running the network ----------------------------------------------------------------

    def forward(self, x: np.ndarray, upto: int | None = None) -> np.ndarray:
        """x: (batch, …) → output of the last layer (or of the first `upto` layers)."""
        out = np.ascontiguousarray(x, dtype=self.dtype)
        self.input_shape = tuple(out.shape[1:])
        for layer in self.layers[:upto]:
            out = layer.forward(out)
        return out

    def backward(self, grad: np.ndarray, upto: int | None = None) -> np.ndarray:
        """∂L/∂output → ∂L/∂input, filling every layer's grads (through the first `upto`)."""
        for layer in reversed(self.layers[:upto]):
            grad = layer.backward(grad)
        return grad

    def _backward_params_only(self, grad: np.ndarray, upto: int) -> None:
        """Backward without ∂L/∂input, which training never uses (saves the first layer's work)."""
        layers = self.layers[:upto]
        first = next((i for i, layer in enumerate(layers) if layer.params), len(layers))
        for i in range(len(layers) - 1, first, -1):
            grad = layers[i].backward(grad)
        if first < len(layers):
            layers[first].backward(grad, need_input_grad=False)

    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        """Outputs in evaluation mode (dropout off), computed in batches."""
        with _mode(self, training=False):
            x = np.asarray(x)
            parts = [self.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        return np.concatenate(parts) if parts else self.forward(x)

    def evaluate(self, X: np.ndarray, y: np.ndarray, loss: Loss) -> dict[str, float]:
        """{"loss": …} plus {"accuracy": …} for classification losses, in evaluation mode."""
        upto, train_loss = self._head(loss)
        with _mode(self, training=False):
            out = self.forward(X, upto)
        result = {"loss": train_loss.forward(out, y)}
        accuracy = train_loss.accuracy(out, y)
        if accuracy is not None:
            result["accuracy"] = accuracy
        return result

    def train(self) -> Sequential:
        for layer in self.layers:
            layer.training = True
        return self

    def eval(self) -> Sequential:
        for layer in self.layers:
            layer.training = False
        return self

    def parameters(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """(name, value, gradient) for every weight array, e.g. ("0.W", W, ∂L/∂W)."""
        return [
            (f"{i}.{key}", layer.params[key], layer.grads[key])
            for i, layer in enumerate(self.layers)
            for key in layer.params
        ]

    def param_count(self) -> int:
        return sum(layer.param_count() for layer in self.layers)

    def _head(self, loss: Loss) -> tuple[int, Loss]:
        """How many layers to run in training, and the loss to apply after them.

        A final Softmax followed by SoftmaxCrossEntropy, or a final Sigmoid followed by
        BinaryCrossEntropy, is trained on the scores before the last layer: the fused gradient
        p − y is exact and cannot overflow. predict() still returns probabilities.
        """
        last = self.layers[-1] if self.layers else None
        if isinstance(loss, SoftmaxCrossEntropy) and isinstance(last, Softmax):
            return len(self.layers) - 1, loss
        fusable_bce = isinstance(loss, BinaryCrossEntropy) and not loss.from_logits
        if fusable_bce and isinstance(last, Sigmoid):
            return len(self.layers) - 1, BinaryCrossEntropy(from_logits=True)
        return len(self.layers), loss

    # ---- training -------------------------------------------------------------------------

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        loss: Loss,
        optimizer: Optimizer,
        epochs: int,
        batch_size: int = 32,
        shuffle: bool = True,
        validation_split: float | None = None,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        seed: int | None = None,
        callbacks: Iterable[Callback] = (),
    ) -> History:
        """Train for `epochs` passes over (X, y) in mini-batches; return the History.

        `seed` fixes the shuffling, the validation split and the dropout masks, so one seed gives
        one run. `validation_split` holds out that fraction of the (shuffled) rows. A callback
        returning True stops training after that call, keeping the weights learned so far.
        """
        rng = np.random.default_rng(seed)
        if seed is not None:
            for i, layer in enumerate(self.layers):
                if isinstance(layer, Dropout):
                    layer.rng = np.random.default_rng([seed, i])
        X = np.ascontiguousarray(X, dtype=self.dtype)
        y = _targets(y, self.dtype)
        if len(X) != len(y):
            raise ValueError(f"{len(X)} input rows but {len(y)} targets")
        if len(X) == 0:
            raise ValueError("no training rows")
        if validation_split and validation_data is None:
            X, y, validation_data = _hold_out(X, y, validation_split, rng)
        callbacks = list(callbacks)
        upto, train_loss = self._head(loss)
        n, batch_size = len(X), max(1, min(int(batch_size), len(X)))
        batches = -(-n // batch_size)
        history = History()
        val_loss: float | None = None
        # Layers fill their gradient arrays in place, so this list stays valid for the whole fit.
        parameters = self.parameters()
        with _mode(self, training=True):
            for epoch in range(1, epochs + 1):
                order = rng.permutation(n) if shuffle else None
                seen, loss_sum, correct, has_accuracy = 0, 0.0, 0.0, False
                for batch in range(1, batches + 1):
                    start, stop = (batch - 1) * batch_size, min(batch * batch_size, n)
                    if order is None:
                        xb, yb = X[start:stop], y[start:stop]
                    else:
                        rows = order[start:stop]
                        xb, yb = X[rows], y[rows]
                    out = self.forward(xb, upto)
                    batch_loss = train_loss.forward(out, yb)
                    accuracy = train_loss.accuracy(out, yb)
                    self._backward_params_only(train_loss.backward(), upto)
                    optimizer.step(parameters)
                    seen += stop - start
                    loss_sum += batch_loss * (stop - start)
                    if accuracy is not None:
                        has_accuracy = True
                        correct += accuracy * (stop - start)
                    if not callbacks:  # nobody listens: skip building the Progress
                        continue
                    progress = Progress(
                        event="batch",
                        epoch=epoch,
                        epochs=epochs,
                        batch=batch,
                        batches=batches,
                        loss=loss_sum / seen,
                        val_loss=val_loss,
                        fraction=((epoch - 1) * batches + batch) / (epochs * batches),
                        accuracy=correct / seen if has_accuracy else None,
                    )
                    if _notify(callbacks, progress):
                        history.stopped = True
                        return history
                history.loss.append(loss_sum / seen)
                if has_accuracy:
                    history.accuracy.append(correct / seen)
                if validation_data is not None:
                    scores = self.evaluate(validation_data[0], validation_data[1], loss)
                    val_loss = scores["loss"]
                    history.val_loss.append(val_loss)
                    if "accuracy" in scores:
                        history.val_accuracy.append(scores["accuracy"])
                if callbacks and _notify(
                    callbacks, replace(progress, event="epoch", val_loss=val_loss)
                ):
                    history.stopped = True
                    return history
        return history

    # ---- description and files ------------------------------------------------------------

    def summary(self, input_shape: tuple[int, ...] | None = None) -> str:
        """A table: layer, output shape (per sample) and parameter count."""
        shape = input_shape or self.input_shape or _guess_input_shape(self.layers)
        rows = [("Layer", "Output shape", "Params")]
        for layer in self.layers:
            if shape is not None:
                shape = layer.output_shape(shape)
            shown = "(?)" if shape is None else "(" + ", ".join(str(d) for d in shape) + ")"
            rows.append((repr(layer), shown, f"{layer.param_count():,}"))
        rows.append(("Total", "", f"{self.param_count():,}"))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}" for a, b, c in rows]
        lines.insert(1, "-" * len(lines[0]))
        lines.insert(len(lines) - 1, "-" * len(lines[0]))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A readable JSON-ready form: architecture and weights as nested lists."""
        from nncore.io import model_to_dict

        return model_to_dict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sequential:
        from nncore.io import model_from_dict

        return model_from_dict(d)

    def save(self, file: Any) -> None:
        """Write one .npz (weights + JSON architecture) to a path or a binary file object."""
        from nncore.io import save

        save(self, file)

    def to_bytes(self) -> bytes:
        from nncore.io import to_bytes

        return to_bytes(self)

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], dtype={self.dtype.name!r})"


class _mode:
    """Temporarily switch a model to training or evaluation mode."""

    def __init__(self, model: Sequential, training: bool) -> None:
        self.model, self.training = model, training

    def __enter__(self) -> None:
        self.before = [layer.training for layer in self.model.layers]
        self.model.train() if self.training else self.model.eval()

    def __exit__(self, *exc: object) -> None:
        for layer, training in zip(self.model.layers, self.before, strict=True):
            layer.training = training


def _notify(callbacks: list[Callback], progress: Progress) -> bool:
    stop = False
    for callback in callbacks:
        stop = bool(callback(progress)) or stop
    return stop


def _hold_out(
    X: np.ndarray, y: np.ndarray, fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Split off a random `fraction` of the rows for validation: (X, y, (X_val, y_val))."""
    order = rng.permutation(len(X))
    n_val = round(len(X) * fraction)
    if not 0 < n_val < len(X):
        raise ValueError("validation_split leaves no rows for training or validation")
    val_rows, train_rows = order[:n_val], order[n_val:]
    return X[train_rows], y[train_rows], (X[val_rows], y[val_rows])


def _targets(y: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Float targets in the model's dtype; integer class labels stay integers."""
    y = np.asarray(y)
    return y if y.dtype.kind in "iub" else np.ascontiguousarray(y, dtype=dtype)


def _guess_input_shape(layers: list[Layer]) -> tuple[int, ...] | None:
    for layer in layers:
        if hasattr(layer, "n_in"):
            return (layer.n_in,)
        if layer.params:
            return None
    return None
