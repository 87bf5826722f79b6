"""Convolution and max-pooling for images in NCHW batches: (batch, channels, height, width).

Both are written for speed, so each keeps the naive formula in a comment above the vectorised
code that computes the same thing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nncore import parallel
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
        work = 2.0 * n * self.c_out * k * k * c * self.h_out * self.w_out
        if self.batch_last:
            return self._forward_batch_last(x, work)
        image = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
        self._cols = np.empty((n, k, k, c, self.h_out, self.w_out), dtype=x.dtype)
        out = np.empty((n, self.c_out, self.h_out, self.w_out), dtype=x.dtype)
        w_matrix = self._weight_matrix()

        def samples(part: slice) -> None:  # the whole layer for the samples in `part`
            cols = self._cols[part]
            for di in range(k):
                for dj in range(k):
                    cols[:, di, dj] = self._window(image[part], di, dj)
            o = out[part].reshape(len(cols), self.c_out, -1)
            np.matmul(w_matrix, cols.reshape(len(cols), k * k * c, -1), out=o)
            o += self.params["b"][:, None]

        parallel.run(samples, parallel.parts(n, work))
        return out

    def _forward_batch_last(self, x: np.ndarray, work: float) -> np.ndarray:
        """image (c, h, w, n), cols (k, k, c, h_out, w_out, n): one big product."""
        n, c, h, w = x.shape
        k, p = self.kernel, self.padding
        image = np.zeros((c, h + 2 * p, w + 2 * p, n), dtype=x.dtype)
        self._cols = np.empty((k, k, c, self.h_out, self.w_out, n), dtype=x.dtype)

        def channels(part: slice) -> None:  # the copies for the input channels in `part`
            image[part, p : p + h, p : p + w, :] = x[:, part].transpose(1, 2, 3, 0)
            for di in range(k):
                for dj in range(k):
                    self._cols[di, dj, part] = self._window(image[part], di, dj)

        parallel.run(channels, parallel.parts(c, work))
        cols = self._cols.reshape(k * k * c, -1)
        w_matrix = self._weight_matrix()
        out = np.empty((n, self.c_out, self.h_out, self.w_out), dtype=x.dtype)

        def output_rows(part: slice) -> None:  # the product's columns for these output rows
            o = w_matrix @ cols[:, part]
            o += self.params["b"][:, None]
            o = o.reshape(self.c_out, -1, self.w_out, n)
            out[:, :, part.start // per_row : part.stop // per_row] = o.transpose(3, 0, 1, 2)

        per_row = self.w_out * n  # columns of cols per output row
        rows = parallel.parts(self.h_out, work)
        parallel.run(output_rows, [slice(r.start * per_row, r.stop * per_row) for r in rows])
        return out

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        n, c = self.x_shape[:2]
        k, rows = self.kernel, self.kernel**2 * self.c_in
        work = 2.0 * n * self.c_out * rows * self.h_out * self.w_out
        if self.batch_last:
            g = np.empty((self.c_out, self.h_out * self.w_out * n), dtype=grad.dtype)
            cols = self._cols.reshape(rows, -1)
            d_w = np.empty((self.c_out, rows), dtype=grad.dtype)

            def filters(part: slice) -> None:  # g, ∂L/∂W and ∂L/∂b rows for these filters
                g[part] = grad[:, part].transpose(1, 2, 3, 0).reshape(-1, g.shape[1])
                np.matmul(g[part], cols.T, out=d_w[part])
                np.add.reduce(g[part], axis=1, out=self.grads["b"][part])

            parallel.run(filters, parallel.parts(self.c_out, work))
        else:
            g = grad.reshape(n, self.c_out, -1)
            cols = self._cols.reshape(n, rows, -1)

            def samples(part: slice) -> tuple[np.ndarray, np.ndarray]:  # partial sums
                d_w = np.add.reduce(np.matmul(g[part], cols[part].transpose(0, 2, 1)), axis=0)
                return d_w, np.add.reduce(g[part], axis=(0, 2))

            sums = parallel.run(samples, parallel.parts(n, work))
            d_w = sums[0][0] + sum(s[0] for s in sums[1:]) if len(sums) > 1 else sums[0][0]
            self.grads["b"][...] = sum(s[1] for s in sums)
        self.grads["W"][...] = d_w.reshape(self.c_out, k, k, c).transpose(0, 3, 1, 2)
        if not need_input_grad:
            return None
        return self._input_grad(g, work)

    def _input_grad(self, g: np.ndarray, work: float) -> np.ndarray:
        """∂L/∂x from g (the output gradient in the layout of cols): d_cols = W_matrixᵀ @ g,
        then col2im, split by input channel (batch last) or by sample (per sample)."""
        n, c, h, w = self.x_shape
        k, p = self.kernel, self.padding
        w4 = self.params["W"].transpose(0, 2, 3, 1)  # (c_out, k, k, c_in)
        d_x = np.empty(self.x_shape, dtype=g.dtype)

        def channels(part: slice) -> None:  # batch last: the image rows of these channels
            w_part = w4[:, :, :, part].reshape(self.c_out, -1)
            d_cols = (w_part.T @ g).reshape(k, k, -1, self.h_out, self.w_out, n)
            d_image = np.zeros((d_cols.shape[2], h + 2 * p, w + 2 * p, n), dtype=g.dtype)
            for di in range(k):
                for dj in range(k):
                    self._window(d_image, di, dj)[...] += d_cols[di, dj]
            d_x[:, part] = d_image[:, p : p + h, p : p + w].transpose(3, 0, 1, 2)

        def samples(part: slice) -> None:  # per sample: the images of these samples
            d_cols = np.matmul(self._weight_matrix().T, g[part])
            d_cols = d_cols.reshape(-1, k, k, c, self.h_out, self.w_out)
            d_image = np.zeros((len(d_cols), c, h + 2 * p, w + 2 * p), dtype=g.dtype)
            for di in range(k):
                for dj in range(k):
                    self._window(d_image, di, dj)[...] += d_cols[:, di, dj]
            d_x[part] = d_image[:, :, p : p + h, p : p + w]

        if self.batch_last:
            parallel.run(channels, parallel.parts(c, work))
        else:
            parallel.run(samples, parallel.parts(n, work))
        return d_x

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
    Both split the batch into parts for threads (`nncore.parallel`) when it is large. The usual
    2×2 pool keeps who won each comparison in forward, so backward needs no search.
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
        self.x = x
        if self.size == self.stride == 2:
            return self._forward_pairs(x)
        out = np.empty((*x.shape[:2], self.h_out, self.w_out), dtype=x.dtype)

        def samples(part: slice) -> None:
            views, o = self._views(x[part]), out[part]
            o[...] = views[0]
            for view in views[1:]:
                np.maximum(o, view, out=o)

        parallel.run(samples, parallel.parts(len(x), x.size * 8))  # ~ as costly as 8 flops each
        self.out = out
        return out

    def _forward_pairs(self, x: np.ndarray) -> np.ndarray:
        """The 2×2 pool as a tournament, remembering who won for backward:

            a b     top = max(a, b), bottom = max(c, d), out = max(top, bottom)
            c d     left = a ≥ b,  right = c ≥ d,  upper = top ≥ bottom

        Ties go to the earlier cell (a before b before c before d), as in the naive search.
        NumPy's loops are slow on every-other-element views, so the four cells of all windows
        are first copied apart into contiguous planes (one pass); the rest runs on those.
        """
        n, c, h, w = x.shape
        ho, wo = h // 2, w // 2
        cells = x[:, :, : 2 * ho, : 2 * wo].reshape(n, c, ho, 2, wo, 2)
        planes = self.buffer("planes", (2, 2, n, c, ho, wo), x.dtype)
        np.copyto(planes, cells.transpose(3, 5, 0, 1, 2, 4))
        (a, b), (c_, d) = planes
        top, bottom = np.maximum(a, b), np.maximum(c_, d)
        self.left, self.right = np.greater_equal(a, b), np.greater_equal(c_, d)
        self.upper = np.greater_equal(top, bottom)
        return np.maximum(top, bottom, out=top)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        if self.size == self.stride == 2:
            return self._backward_pairs(grad)
        d_x = np.zeros(self.x.shape, dtype=grad.dtype)

        def samples(part: slice) -> None:
            claimed = None  # windows whose maximum has already received its gradient
            out, g = self.out[part], grad[part]
            for view, d_view in zip(self._views(self.x[part]), self._views(d_x[part]), strict=True):
                hit = view == out
                if claimed is None:
                    claimed = hit.copy()
                else:
                    np.greater(hit, claimed, out=hit)  # a hit, and the first one in its window
                    claimed |= hit
                if self.stride >= self.size:  # windows do not overlap: each cell written once
                    np.multiply(g, hit, out=d_view)
                else:
                    d_view += g * hit

        parallel.run(samples, parallel.parts(len(grad), self.x.size * 16))
        return d_x

    def _backward_pairs(self, grad: np.ndarray) -> np.ndarray:
        """Down the tournament: the upper pair gets g·upper, the lower pair the rest, and in
        each pair the winner its share (x − x·m is exactly 0 or x: no gradient is split).
        The four planes of ∂L/∂x are built contiguous, then put back in place."""
        n, c, h, w = self.x.shape
        ho, wo = h // 2, w // 2
        planes = self.buffer("planes", (2, 2, n, c, ho, wo), grad.dtype)
        (d_a, d_b), (d_c, d_d) = planes
        upper = np.multiply(grad, self.upper, dtype=grad.dtype)
        lower = np.subtract(grad, upper, out=d_d)  # d_d is free until the last line
        np.multiply(upper, self.left, out=d_a)
        np.subtract(upper, d_a, out=d_b)
        np.multiply(lower, self.right, out=d_c)
        np.subtract(lower, d_c, out=d_d)
        d_x = np.empty(self.x.shape, dtype=grad.dtype)
        if h % 2:  # a last row or column that no window reads gets no gradient
            d_x[:, :, -1] = 0
        if w % 2:
            d_x[:, :, :, -1] = 0
        for (di, dj), view in zip(((0, 0), (0, 1), (1, 0), (1, 1)), self._views(d_x), strict=True):
            np.copyto(view, planes[di, dj])  # (measured: faster than one 6-D copy this way)
        return d_x

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        c, h, w = input_shape
        return (c, _out_size(h, self.size, self.stride), _out_size(w, self.size, self.stride))

    def config(self) -> dict[str, Any]:
        return {"size": self.size, "stride": self.stride}
