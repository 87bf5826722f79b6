"""Losses: one number that says how wrong the predictions are, and its gradient.

    loss.forward(pred, target) -> float      remembers what backward needs
    loss.backward() -> ∂L/∂pred              same shape as pred

Every loss is a *mean*, so the gradient carries a 1/N and the learning rate does not depend on
the batch size. `accuracy(pred, target)` gives the fraction of right answers for the
classification losses and None for regression.
"""

from __future__ import annotations

import numpy as np

from nncore.activations import sigmoid


def _mean(values: np.ndarray) -> float:
    """float(np.mean(values)), the same number (sum, then one division in the array's dtype)
    without np.mean's argument handling, which dominates a batch of one row."""
    return float(np.add.reduce(values, axis=None) / values.size)


class Loss:
    name = ""

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def accuracy(self, pred: np.ndarray, target: np.ndarray) -> float | None:
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _as_like(target: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Targets as an array of pred's dtype and shape (a flat vector fits a one-column pred)."""
    target = np.asarray(target, dtype=pred.dtype)
    if target.shape != pred.shape and target.size == pred.size:
        target = target.reshape(pred.shape)
    if target.shape != pred.shape:
        raise ValueError(f"targets have shape {target.shape}, predictions {pred.shape}")
    return target


class MSE(Loss):
    """Mean squared error over all n = batch · outputs elements:

        L = (1/n)·Σ (pred − target)²         ∂L/∂pred = 2·(pred − target) / n

    (The classic single-neuron update w += Xᵀ(error·σ′) is SGD on this
    loss with lr = n/2, e.g. lr = 2 for four one-output samples.)
    """

    name = "mse"

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        self.diff = pred - _as_like(target, pred)
        return _mean(self.diff * self.diff)

    def backward(self) -> np.ndarray:
        return (2.0 / self.diff.size) * self.diff


class BinaryCrossEntropy(Loss):
    """L = −mean(y·log p + (1 − y)·log(1 − p)) for targets y ∈ [0, 1].

    from_logits=False: pred is a probability p; it is clipped away from 0 and 1 so log never
    sees 0.  ∂L/∂p = (p − y) / (p·(1 − p)) / n.
    from_logits=True: pred is the score z with p = σ(z); the loss is rewritten as
    log(1 + e^z) − z·y (np.logaddexp, exact and overflow-free), and ∂L/∂z = (σ(z) − y) / n.
    """

    name = "binary_cross_entropy"

    def __init__(self, from_logits: bool = False) -> None:
        self.from_logits = bool(from_logits)

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        y = _as_like(target, pred)
        self.y, self.seen = y, (pred, target)
        if self.from_logits:
            self.z = pred
            # log(1 + e^z) − z·y; np.logaddexp(0, z) is log(1 + e^z) without overflow
            return _mean(np.logaddexp(0, pred) - pred * y)
        tiny = 1e-7 if pred.dtype == np.float32 else 1e-12
        self.p = np.clip(pred, tiny, 1.0 - tiny)
        losses = -(y * np.log(self.p) + (1.0 - y) * np.log1p(-self.p))
        return _mean(losses)

    def backward(self) -> np.ndarray:
        if self.from_logits:
            return (sigmoid(self.z) - self.y) / self.z.size
        return (self.p - self.y) / (self.p * (1.0 - self.p)) / self.p.size

    def accuracy(self, pred: np.ndarray, target: np.ndarray) -> float | None:
        threshold = 0.0 if self.from_logits else 0.5
        seen = getattr(self, "seen", (None, None))
        # right after forward on the same arrays (every training step): its checked targets
        y = self.y if seen[0] is pred and seen[1] is target else _as_like(target, pred)
        return np.count_nonzero((pred > threshold) == (y > 0.5)) / pred.size

    def __repr__(self) -> str:
        return f"BinaryCrossEntropy(from_logits={self.from_logits})"


def class_labels(target: np.ndarray, n_classes: int) -> np.ndarray:
    """Integer class labels from labels (batch,) or one-hot rows (batch, classes)."""
    target = np.asarray(target)
    if target.ndim == 2 and target.shape[1] == n_classes and n_classes > 1:
        return target.argmax(axis=1)
    labels = target.reshape(-1)
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind != "f" or not np.array_equal(labels, np.round(labels)):
            raise ValueError("class labels must be whole numbers or one-hot rows")
        labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"class labels must be in 0..{n_classes - 1}")
    return labels


class SoftmaxCrossEntropy(Loss):
    """Softmax and cross-entropy in one step, from raw scores (logits) z of shape (batch, classes).

        L = mean over rows of ( log Σ_j e^(z_j) − z_label )      (log-sum-exp, shifted by max z)
        ∂L/∂z = (softmax(z) − onehot(label)) / batch              (the fused gradient)

    Targets are integer labels (batch,) or one-hot rows (batch, classes).
    """

    name = "softmax_cross_entropy"

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        if pred.ndim != 2:
            raise ValueError("SoftmaxCrossEntropy expects logits of shape (batch, classes)")
        self.labels, self.seen = class_labels(target, pred.shape[1]), (pred, target)
        if self.labels.shape[0] != pred.shape[0]:
            raise ValueError(f"{self.labels.shape[0]} labels for {pred.shape[0]} predictions")
        self.rows = np.arange(pred.shape[0])
        # Row maxima: pred.max(axis=1) reads the same numbers, but with ten-odd columns picking at
        # argmax is about twice as fast (a reduction along a short axis is slow in NumPy).
        row_max = pred[self.rows, pred.argmax(axis=1)]
        shifted = pred - row_max[:, None]
        self.p = np.exp(shifted)
        total = np.add.reduce(self.p, axis=1, keepdims=True)
        self.p /= total  # softmax(z), in place
        log_sum_exp = np.log(total[:, 0])
        picked = shifted[self.rows, self.labels]
        return float(np.add.reduce(log_sum_exp - picked)) / pred.shape[0]

    def backward(self) -> np.ndarray:
        grad = self.p.copy()
        grad[self.rows, self.labels] -= 1.0
        grad /= grad.shape[0]
        return grad

    def accuracy(self, pred: np.ndarray, target: np.ndarray) -> float | None:
        seen = getattr(self, "seen", (None, None))
        if seen[0] is pred and seen[1] is target:  # right after forward: its checked labels
            labels = self.labels
        else:
            labels = class_labels(target, pred.shape[1])
        hits = np.count_nonzero(pred.argmax(axis=1) == labels)
        return hits / pred.shape[0]
