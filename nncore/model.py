"""`Sequential`: layers in a row, and the training loop that fits them to data.

    forward:   x → layer 1 → layer 2 → … → prediction
    backward:  ∂L/∂prediction → … → layer 2 → layer 1   (each layer fills its grads)

`fit` repeats, batch after batch: forward, loss, backward, optimizer step (the named steps
`fit` → `_run_epoch` → `_step`, then `_validate`). It reports `Progress` to callbacks and
returns a `History` of the loss per epoch (both in `nncore.progress`).

Files: `save` / `to_bytes` and `load` / `from_bytes` join `nncore.architecture` (layers ↔ their
description) and `nncore.io` (that description and the weights ↔ .npz bytes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import numpy as np

from nncore import architecture, io, parallel
from nncore.activations import Sigmoid, Softmax
from nncore.layers import Dropout, Layer, backward_to_weights
from nncore.losses import BinaryCrossEntropy, Loss, SoftmaxCrossEntropy
from nncore.optim import Optimizer
from nncore.progress import Callback, EpochTally, History, Progress, notify
from nncore.replicas import Replicas, flops_per_sample


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
        self._plans: dict = {}  # how batches of each shape ran fastest on threads (replicas)

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

    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        """Outputs in evaluation mode (dropout off), computed in batches."""
        with _mode(self, training=False):
            x = np.asarray(x)
            parts = [self.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        return np.concatenate(parts) if parts else self.forward(x)

    def evaluate(self, X: np.ndarray, y: np.ndarray, loss: Loss) -> dict[str, float]:
        """{"loss": …} plus {"accuracy": …} for classification losses, in evaluation mode."""
        upto, train_loss = self.training_head(loss)
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

    def training_head(self, loss: Loss) -> tuple[int, Loss]:
        """How many layers to run in training, and the loss to apply after them: (upto, loss).

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

        X: (rows, …) inputs, y: (rows, outputs) targets or (rows,) class labels.
        `seed` fixes the shuffling, the validation split and the dropout masks, so one seed gives
        one run. `validation_split` holds out that fraction of the (shuffled) rows. A callback
        returning True stops training after that call, keeping the weights learned so far.

        The loop, as named steps:  fit → _run_epoch (per epoch) → _step (per mini-batch:
        forward, loss, backward, optimizer update); after each epoch _validate; progress goes
        to the callbacks through _FitRun.report.
        """
        rng = np.random.default_rng(seed)
        self._seed_dropout(seed)
        X, y = self._training_rows(X, y)
        if validation_split and validation_data is None:
            X, y, validation_data = _hold_out(X, y, validation_split, rng)
        upto, train_loss = self.training_head(loss)
        run = _FitRun(
            X=X,
            y=y,
            loss=loss,
            train_loss=train_loss,
            upto=upto,
            optimizer=optimizer,
            # Layers fill their gradient arrays in place, so this list stays valid for the fit.
            parameters=self.parameters(),
            epochs=epochs,
            batch_size=max(1, min(int(batch_size), len(X))),
            shuffle=shuffle,
            rng=rng,
            callbacks=list(callbacks),
            validation_data=validation_data,
        )
        with _mode(self, training=True):
            # with threads, and a batch big enough to split somewhere (not a table's network);
            # made in training mode, so the copies keep the flags
            work = flops_per_sample(self.layers[:upto], X.shape[1:]) * run.batch_size
            if parallel.threads() > 1 and work >= 2 * parallel.MIN_WORK_PER_THREAD:
                run.replicas = Replicas(self.layers[:upto], train_loss, X.shape[1:], self._plans)
                self.input_shape = tuple(X.shape[1:])  # the row split never calls forward
            for epoch in range(1, epochs + 1):
                if self._run_epoch(run, epoch):
                    run.history.stopped = True
                    break
        return run.history

    def _seed_dropout(self, seed: int | None) -> None:
        """Give every Dropout layer its own generator derived from `seed` (None: leave them)."""
        if seed is None:
            return
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Dropout):
                layer.rng = np.random.default_rng([seed, i])

    def _training_rows(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """X in the model's dtype and the targets, checked to be non-empty and of one length."""
        X = np.ascontiguousarray(X, dtype=self.dtype)
        y = _targets(y, self.dtype)
        if len(X) != len(y):
            raise ValueError(f"{len(X)} input rows but {len(y)} targets")
        if len(X) == 0:
            raise ValueError("no training rows")
        return X, y

    def _run_epoch(self, run: _FitRun, epoch: int) -> bool:
        """One pass over the training rows, batch by batch; True when a callback asks to stop."""
        order = run.rng.permutation(len(run.X)) if run.shuffle else None
        tally = EpochTally()
        for batch in range(1, run.batches + 1):
            xb, yb = run.rows(order, batch)
            batch_loss, accuracy = self._step(xb, yb, run)
            tally.add(batch_loss, accuracy, len(xb))
            if run.report("batch", epoch, batch, tally):
                return True
        run.history.loss.append(tally.loss)
        if tally.has_accuracy:
            run.history.accuracy.append(tally.accuracy)
        self._validate(run)
        return run.report("epoch", epoch, run.batches, tally)

    def _step(self, xb: np.ndarray, yb: np.ndarray, run: _FitRun) -> tuple[float, float | None]:
        """One mini-batch: forward, loss, backward, optimizer update → (loss, accuracy or None).

        xb: (batch, …) → out: (batch, outputs) from the first `run.upto` layers. With several
        threads a full batch runs the way measured fastest for its shape — split by rows, one
        replica of the network per thread, or split inside the layers (`nncore.replicas`).
        """
        if run.replicas is None or len(xb) != run.batch_size:
            batch_loss, accuracy = self._forward_backward(xb, yb, run)
        else:
            batch_loss, accuracy = run.replicas.run(
                xb, yb, lambda: self._forward_backward(xb, yb, run)
            )
        run.optimizer.step(run.parameters)
        return batch_loss, accuracy

    def _forward_backward(
        self, xb: np.ndarray, yb: np.ndarray, run: _FitRun
    ) -> tuple[float, float | None]:
        """Forward, loss and backward of one batch, filling the layers' grads."""
        out = self.forward(xb, run.upto)
        batch_loss = run.train_loss.forward(out, yb)
        accuracy = run.train_loss.accuracy(out, yb)
        backward_to_weights(self.layers[: run.upto], run.train_loss.backward())
        return batch_loss, accuracy

    def _validate(self, run: _FitRun) -> None:
        """Score the validation rows (if any) and record them in the History."""
        if run.validation_data is None:
            return
        scores = self.evaluate(run.validation_data[0], run.validation_data[1], run.loss)
        run.val_loss = scores["loss"]
        run.history.val_loss.append(run.val_loss)
        if "accuracy" in scores:
            run.history.val_accuracy.append(scores["accuracy"])

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

    def _description(self) -> dict[str, Any]:
        return architecture.describe(self.layers, self.dtype, self.input_shape)

    def to_dict(self) -> dict[str, Any]:
        """A readable JSON-ready form: architecture and weights as nested lists."""
        return architecture.with_weight_lists(self._description(), self.layers)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sequential:
        """Rebuild a model from `to_dict()` output; raises ModelFileError when it does not fit."""
        weights = architecture.weights_from_lists(d)
        io.check_header(d)
        return cls._from_parts(d, weights)

    @classmethod
    def _from_parts(cls, record: dict[str, Any], weights: dict[str, np.ndarray]) -> Sequential:
        """A model from a checked architecture record and its weight arrays by file name."""
        model = cls(architecture.build_layers(record, weights), dtype=record["dtype"])
        model.input_shape = architecture.input_shape_of(record)
        return model

    def save(self, file: Any) -> None:
        """Write one .npz (weights + JSON architecture) to a path or a binary file object."""
        io.write(file, self._description(), architecture.weight_arrays(self.layers))

    def to_bytes(self) -> bytes:
        """The .npz file `save` writes, as bytes."""
        return io.to_bytes(self._description(), architecture.weight_arrays(self.layers))

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], dtype={self.dtype.name!r})"


def load(file: str | os.PathLike | BinaryIO | bytes) -> Sequential:
    """Read a model saved by `save`/`to_bytes` from a path, a binary file or bytes."""
    record, weights = io.read(file)
    return Sequential._from_parts(record, weights)


def from_bytes(data: bytes) -> Sequential:
    """The model in `to_bytes()` output."""
    return load(data)


@dataclass
class _FitRun:
    """What one `fit` call settles before the first batch, and what it has recorded so far."""

    X: np.ndarray
    y: np.ndarray
    loss: Loss  # as given: the validation scores use it
    train_loss: Loss  # the loss applied after the first `upto` layers (see training_head)
    upto: int
    optimizer: Optimizer
    parameters: list[tuple[str, np.ndarray, np.ndarray]]
    epochs: int
    batch_size: int
    shuffle: bool
    rng: np.random.Generator
    callbacks: list[Callback]
    validation_data: tuple[np.ndarray, np.ndarray] | None
    history: History = field(default_factory=History)
    val_loss: float | None = None  # of the last completed epoch
    replicas: Replicas | None = None  # with several threads: the batch split by rows

    @property
    def batches(self) -> int:
        return -(-len(self.X) // self.batch_size)

    def rows(self, order: np.ndarray | None, batch: int) -> tuple[np.ndarray, np.ndarray]:
        """Inputs and targets of mini-batch `batch` (1-based), in `order` when shuffled."""
        start, stop = (batch - 1) * self.batch_size, min(batch * self.batch_size, len(self.X))
        if order is None:
            return self.X[start:stop], self.y[start:stop]
        if stop - start == 1:  # one row (a table lesson): views, no copies
            row = int(order[start])
            return self.X[row : row + 1], self.y[row : row + 1]
        rows = order[start:stop]
        return self.X[rows], self.y[rows]

    def report(self, event: str, epoch: int, batch: int, tally: EpochTally) -> bool:
        """Tell the callbacks where the run is; True when one asks to stop."""
        if not self.callbacks:  # nobody listens: skip building the Progress
            return False
        progress = Progress(
            event=event,
            epoch=epoch,
            epochs=self.epochs,
            batch=batch,
            batches=self.batches,
            loss=tally.loss,
            val_loss=self.val_loss,
            fraction=((epoch - 1) * self.batches + batch) / (self.epochs * self.batches),
            accuracy=tally.accuracy,
        )
        return notify(self.callbacks, progress)


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
