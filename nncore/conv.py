"""Convolution and max-pooling for images in NCHW batches: (batch, channels, height, width).

Both are written for speed, so each keeps the naive formula in a comment above the vectorised
code that computes the same thing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nncore.init import initial_weights
from nncore.layers import Layer


def _out_size(size: int, kernel: int, stride: int, padding: int = 0) -> int:
    return (size + 2 * padding - kernel) // stride + 1


class Conv2D(Layer):
    """A bank of c_out filters, each (c_in, k, k), slid over the image with a stride.

    Naive formula, for every sample n, filter f and output position (i, j):

        out[n, f, i, j] = b[f] + Σ_c Σ_di Σ_dj W[f, c, di, dj] · x_pad[n, c, s·i + di, s·j + dj]

    Fast version ("im2col"): copy the k·k shifted views of the image (one per kernel offset
    (di, dj), all channels at once) into the rows of a matrix `cols` with k·k·c_in rows and one
    column per output position; then the whole layer is one matrix product

        out = W_matrix @ cols + b          W_matrix = W as (c_out, k·k·c_in)

    and backward is two more:  ∂L/∂W = g @ colsᵀ  and  ∂L/∂cols = W_matrixᵀ @ g, whose columns
    are added back onto the image positions they came from ("col2im").

    Memory layout decides the speed, so `cols` comes in two arrangements (same maths):
      per sample  (batch, k, k, c_in, h_out, w_out): one product per sample, output already NCHW;
                  best for one or few input channels (the first layer).
      batch last  (k, k, c_in, h_out, w_out, batch): one big product; with the batch innermost
                  every copy moves long contiguous runs. Best for many channels on small images.

    x: (batch, c_in, h, w) → (batch, c_out, h_out, w_out), h_out = (h + 2·padding − k)//stride + 1.
    """

    def __init__(
        self,
        c_in: int,
        c_out: int,
        kernel: int,
        stride: int = 1,
        padding: int = 0,
        init: str | np.ndarray = "he",
        rng: int | np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.c_in, self.c_out, self.kernel = int(c_in), int(c_out), int(kernel)
        self.stride, self.padding = int(stride), int(padding)
        if min(self.c_in, self.c_out, self.kernel, self.stride) < 1 or self.padding < 0:
            raise ValueError("Conv2D needs positive sizes and stride, and padding ≥ 0")
        shape = (self.c_out, self.c_in, self.kernel, self.kernel)
        fan_in, fan_out = self.c_in * self.kernel**2, self.c_out * self.kernel**2
        self.params["W"] = initial_weights(init, shape, fan_in, fan_out, rng)
        self.params["b"] = np.zeros(self.c_out)
        self.cast(np.dtype(np.float64))
        self.batch_last = self.c_in >= 4  # measured: see the class docstring
        self._cols: np.ndarray | None = None

    def _window(self, image: np.ndarray, di: int, dj: int) -> np.ndarray:
        """The part of the (padded) image that kernel offset (di, dj) reads, all channels."""
        s = self.stride
        rows = slice(di, di + s * (self.h_out - 1) + 1, s)
        columns = slice(dj, dj + s * (self.w_out - 1) + 1, s)
        return image[:, rows, columns, :] if self.batch_last else image[:, :, rows, columns]

    def _weight_matrix(self) -> np.ndarray:
        """W as (c_out, k·k·c_in), columns ordered like the rows of cols: (di, dj, c)."""
        return self.params["W"].transpose(0, 2, 3, 1).reshape(self.c_out, -1)

    def forward(self, x: np.ndarray) -> np.ndarray:
        n, c, h, w = x.shape
        if c != self.c_in:
            raise ValueError(f"Conv2D expects {self.c_in} input channels, got {c}")
        k, p = self.kernel, self.padding
        self.x_shape = x.shape
        self.h_out, self.w_out = _out_size(h, k, self.stride, p), _out_size(w, k, self.stride, p)
        if self.h_out < 1 or self.w_out < 1:
            raise ValueError(f"a {k}×{k} kernel does not fit a {h}×{w} image")
        if self.batch_last:  # image (c, h, w, n), cols (k, k, c, h_out, w_out, n)
            image = np.zeros((c, h + 2 * p, w + 2 * p, n), dtype=x.dtype)
            image[:, p : p + h, p : p + w, :] = x.transpose(1, 2, 3, 0)
            cols_shape = (k, k, c, self.h_out, self.w_out, n)
        else:  # image (n, c, h, w), cols (n, k, k, c, h_out, w_out)
            image = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
            cols_shape = (n, k, k, c, self.h_out, self.w_out)
        self._cols = np.empty(cols_shape, dtype=x.dtype)  # kept for backward
        for di in range(k):
            for dj in range(k):
                if self.batch_last:
                    self._cols[di, dj] = self._window(image, di, dj)
                else:
                    self._cols[:, di, dj] = self._window(image, di, dj)
        rows = k * k * c
        if self.batch_last:
            out = self._weight_matrix() @ self._cols.reshape(rows, -1)
            out += self.params["b"][:, None]
            out = out.reshape(self.c_out, self.h_out, self.w_out, n).transpose(3, 0, 1, 2)
            return np.ascontiguousarray(out)
        out = np.matmul(self._weight_matrix(), self._cols.reshape(n, rows, -1))
        out += self.params["b"][:, None]
        return out.reshape(n, self.c_out, self.h_out, self.w_out)

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        n, c, h, w = self.x_shape
        k, p, rows = self.kernel, self.padding, self.kernel**2 * self.c_in
        if self.batch_last:
            g = np.ascontiguousarray(grad.transpose(1, 2, 3, 0)).reshape(self.c_out, -1)
            d_w = g @ self._cols.reshape(rows, -1).T
            np.add.reduce(g, axis=1, out=self.grads["b"])
        else:
            g = grad.reshape(n, self.c_out, -1)
            cols = self._cols.reshape(n, rows, -1)
            d_w = np.add.reduce(np.matmul(g, cols.transpose(0, 2, 1)), axis=0)
            self.grads["b"][...] = g.sum(axis=(0, 2))
        self.grads["W"][...] = d_w.reshape(self.c_out, k, k, c).transpose(0, 3, 1, 2)
        if not need_input_grad:
            return None
        d_cols = np.matmul(self._weight_matrix().T, g).reshape(self._cols.shape)
        if self.batch_last:
            d_image = np.zeros((c, h + 2 * p, w + 2 * p, n), dtype=grad.dtype)
        else:
            d_image = np.zeros((n, c, h + 2 * p, w + 2 * p), dtype=grad.dtype)
        for di in range(k):
            for dj in range(k):
                patch = d_cols[di, dj] if self.batch_last else d_cols[:, di, dj]
                self._window(d_image, di, dj)[...] += patch
        if self.batch_last:
            d_image = d_image.transpose(3, 0, 1, 2)
        return np.ascontiguousarray(d_image[:, :, p : p + h, p : p + w])

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        _, h, w = input_shape
        k, s, p = self.kernel, self.stride, self.padding
        return (self.c_out, _out_size(h, k, s, p), _out_size(w, k, s, p))

    def config(self) -> dict[str, Any]:
        return {
            "c_in": self.c_in,
            "c_out": self.c_out,
            "kernel": self.kernel,
            "stride": self.stride,
            "padding": self.padding,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        return cls(**config, init="zeros")


class MaxPool2D(Layer):
    """Keep the largest value of each size×size window (windows step by `stride`, default size).

    Naive formula:  out[n, c, i, j] = max over di, dj < size of x[n, c, s·i + di, s·j + dj].
    Rows and columns that do not fill a whole window are dropped (13 → 6 for size 2).

    Fast version: for each offset (di, dj) take the strided view x[:, :, di::s, dj::s] — the
    (di, dj)-th element of every window at once — and combine the size² views with
    np.maximum. Backward sends each gradient to the first position of its window holding the max.
    """

    def __init__(self, size: int, stride: int | None = None) -> None:
        super().__init__()
        self.size = int(size)
        self.stride = self.size if stride is None else int(stride)
        if self.size < 1 or self.stride < 1:
            raise ValueError("MaxPool2D needs a positive size and stride")

    def _views(self, image: np.ndarray) -> list[np.ndarray]:
        s, span_h, span_w = (
            self.stride,
            self.stride * (self.h_out - 1) + 1,
            self.stride * (self.w_out - 1) + 1,
        )
        return [
            image[:, :, di : di + span_h : s, dj : dj + span_w : s]
            for di in range(self.size)
            for dj in range(self.size)
        ]

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.h_out = _out_size(x.shape[2], self.size, self.stride)
        self.w_out = _out_size(x.shape[3], self.size, self.stride)
        if self.h_out < 1 or self.w_out < 1:
            raise ValueError(f"a {self.size}×{self.size} pool does not fit a {x.shape[2:]} image")
        views = self._views(x)
        out = views[0].copy()
        for view in views[1:]:
            np.maximum(out, view, out=out)
        self.x, self.out = x, out
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        d_x = np.zeros(self.x.shape, dtype=grad.dtype)
        claimed = None  # windows whose maximum has already received its gradient
        for view, d_view in zip(self._views(self.x), self._views(d_x), strict=True):
            hit = view == self.out
            if claimed is None:
                claimed = hit.copy()
            else:
                np.greater(hit, claimed, out=hit)  # a hit, and the first one in its window
                claimed |= hit
            if self.stride >= self.size:  # windows do not overlap: each cell written once
                np.multiply(grad, hit, out=d_view)
            else:
                d_view += grad * hit
        return d_x

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        c, h, w = input_shape
        return (c, _out_size(h, self.size, self.stride), _out_size(w, self.size, self.stride))

    def config(self) -> dict[str, Any]:
        return {"size": self.size, "stride": self.stride}
