"""Worked examples: one training step of a small Dense network, every number written out.

`explain(model, loss, x, target)` returns a `Trace` of one input row going through the network:

    forward   every neuron's inputs, weights, bias, weighted sum z and activation a = f(z);
    loss      the loss and ∂L/∂ŷ;
    backward  for every weight and bias the chain-rule factors, their product and the exact
              gradient; then the SGD update  w ← w − η·∂L/∂w.

Names follow the classic article: inputs x1, x2, …; hidden neurons h1, h2, … counted across
layers; outputs o1, o2, … (shown as ŷ when there is only one); weights w1, w2, … numbered
neuron by neuron, layer by layer (w1, w2 feed h1; w3, w4 feed h2; …); biases b1, b2, … likewise.

Factors: with one output and one hidden layer, a hidden weight gets the textbook three
(∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂w1) and an output weight two (∂L/∂ŷ · ∂ŷ/∂w5). Otherwise every weight
gets two: ∂L/∂h (the back-propagated gradient, summed over all paths) · ∂h/∂w. After a softmax
output, whose neurons depend on each other, the split is at the weighted sum: ∂L/∂z_o1 · ∂z_o1/∂w.

`digits=k` rounds for display the way textbooks do: each intermediate (ŷ, f′(z)) is rounded to
k significant digits before it is used, and so is each factor; `product` multiplies the shown
factors, while `grad` and `new_value` stay exact. The trace only computes; the bot renders it.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from nncore import activations as act
from nncore.layers import Dense, Dropout
from nncore.losses import Loss, SoftmaxCrossEntropy, _labels
from nncore.model import Sequential

ELEMENTWISE = (act.Sigmoid, act.Tanh, act.ReLU, act.LeakyReLU, act.Linear)


@dataclass
class NeuronStep:
    layer: int  # 1-based index among the Dense layers
    index: int  # 0-based neuron index in its layer
    name: str  # "h1", "o1"
    symbol: str  # "ŷ" for the only output, else the name
    inputs: list[float]
    weights: list[float]
    weight_names: list[str]
    bias: float | None
    bias_name: str | None
    z: float
    activation: str
    a: float


@dataclass
class Factor:
    symbol: str  # "∂L/∂ŷ", "∂ŷ/∂h1", "∂h1/∂w1"
    value: float


@dataclass
class ParamStep:
    name: str  # "w1", "b1"
    layer: int
    key: str  # "W" or "b"
    index: tuple[int, ...]
    value: float
    factors: list[Factor]
    product: float
    grad: float
    new_value: float


@dataclass
class Trace:
    neurons: list[NeuronStep]
    prediction: list[float]
    target: list[float]
    loss_name: str
    loss: float
    d_loss_d_pred: list[float]
    params: list[ParamStep] = field(default_factory=list)
    lr: float = 0.1
    digits: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _round(value: float, digits: int | None) -> float:
    """`value` to `digits` significant digits (unchanged when digits is None)."""
    if digits is None or value == 0 or not np.isfinite(value):
        return float(value)
    return float(f"{value:.{digits - 1}e}")


def _slope(layer: Any, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f′(z) of an elementwise activation, from its input z and output a."""
    if isinstance(layer, act.Sigmoid):
        return a * (1 - a)
    if isinstance(layer, act.Tanh):
        return 1 - a * a
    if isinstance(layer, act.ReLU):
        return (z > 0).astype(float)
    if isinstance(layer, act.LeakyReLU):
        return np.where(z > 0, 1.0, layer.alpha)
    return np.ones_like(z)


def _loss_slope(loss: Loss, last: Any, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """∂L/∂(network output) at `pred`, for one row."""
    if isinstance(loss, SoftmaxCrossEntropy) and isinstance(last, act.Softmax):
        onehot = np.zeros_like(pred)
        onehot[0, _labels(target, pred.shape[1])] = 1.0
        return -onehot / np.maximum(pred, 1e-300)
    probe = copy.copy(loss)
    probe.forward(pred, target)
    return probe.backward()


def explain(
    model: Sequential,
    loss: Loss,
    x: np.ndarray,
    target: np.ndarray,
    lr: float = 0.1,
    digits: int | None = None,
) -> Trace:
    """The full forward/backward/update trace of one row `x` through a Dense-only network."""
    layers = [copy.deepcopy(layer) for layer in model.layers if not isinstance(layer, Dropout)]
    groups: list[tuple[Dense, Any]] = []
    has_activation = False
    for layer in layers:
        if isinstance(layer, Dense):
            groups.append((layer, act.Linear()))
            has_activation = False
        elif isinstance(layer, (*ELEMENTWISE, act.Softmax)) and groups and not has_activation:
            groups[-1] = (groups[-1][0], layer)
            has_activation = True
        else:
            raise ValueError(
                f"explain() works with Dense layers, each followed by at most one activation; "
                f"{layer.kind} does not fit"
            )
    if not groups:
        raise ValueError("explain() needs at least one Dense layer")
    net = Sequential([part for group in groups for part in group], dtype="float64").eval()
    x = np.asarray(x, dtype=np.float64).reshape(1, -1)
    target = np.asarray(target)
    target = target.astype(np.float64) if target.dtype.kind == "f" else target
    target = target.reshape(1, -1) if target.size > 1 or target.ndim > 0 else target.reshape(1)

    # Forward: keep every weighted sum and activation.
    zs, outs = [], [x]
    for dense, activation in groups:
        zs.append(dense.forward(outs[-1]))
        outs.append(activation.forward(zs[-1]))
    pred = outs[-1]
    upto, head_loss = net._head(loss)
    fused = upto < len(net.layers)
    loss_value = head_loss.forward(zs[-1] if fused else pred, target)
    d_loss_d_pred = _loss_slope(loss, groups[-1][1], pred, target)

    # Backward: gradients after (d_as) and before (d_zs) each activation.
    d_as, d_zs = [None] * len(groups), [None] * len(groups)
    d_as[-1] = d_loss_d_pred
    grad = head_loss.backward() if fused else groups[-1][1].backward(d_loss_d_pred)
    for g in range(len(groups) - 1, -1, -1):
        dense, activation = groups[g]
        if g < len(groups) - 1:
            d_as[g] = grad
            grad = activation.backward(grad)
        d_zs[g] = grad
        grad = dense.backward(grad)

    n_out = groups[-1][0].n_out
    textbook = n_out == 1 and len(groups) <= 2 and isinstance(groups[-1][1], ELEMENTWISE)
    neurons, params = [], []
    w_count = b_count = h_count = 0
    rounded_slope_out = None
    if textbook:
        rounded_pred = np.array([[_round(float(pred[0, 0]), digits)]])
        rounded_loss_slope = _loss_slope(loss, groups[-1][1], rounded_pred, target)
        d_loss_shown = _round(float(rounded_loss_slope[0, 0]), digits)
        z_out, a_out = zs[-1], outs[-1]
        rounded_slope_out = _round(float(_slope(groups[-1][1], z_out, a_out)[0, 0]), digits)

    for g, (dense, activation) in enumerate(groups):
        is_output = g == len(groups) - 1
        slopes = (
            None if isinstance(activation, act.Softmax) else _slope(activation, zs[g], outs[g + 1])
        )
        W, b = dense.params["W"], dense.params.get("b")
        for j in range(dense.n_out):
            if is_output:
                name = f"o{j + 1}"
                symbol = "ŷ" if n_out == 1 else name
            else:
                h_count += 1
                name = symbol = f"h{h_count}"
            weight_names = [f"w{w_count + i + 1}" for i in range(dense.n_in)]
            w_count += dense.n_in
            bias_name = None
            if b is not None:
                b_count += 1
                bias_name = f"b{b_count}"
            neurons.append(
                NeuronStep(
                    layer=g + 1,
                    index=j,
                    name=name,
                    symbol=symbol,
                    inputs=[float(v) for v in outs[g][0]],
                    weights=[float(v) for v in W[:, j]],
                    weight_names=weight_names,
                    bias=None if b is None else float(b[j]),
                    bias_name=bias_name,
                    z=float(zs[g][0, j]),
                    activation=activation.name,
                    a=float(outs[g + 1][0, j]),
                )
            )
            slope = None if slopes is None else _round(float(slopes[0, j]), digits)
            targets = [
                (("W", (i, j)), weight_names[i], float(outs[g][0, i])) for i in range(dense.n_in)
            ]
            if b is not None:
                targets.append((("b", (j,)), bias_name, 1.0))
            for (key, index), pname, feed in targets:
                if slope is None:  # softmax output: split at the weighted sum
                    factors = [
                        Factor(f"∂L/∂z_{symbol}", _round(float(d_zs[g][0, j]), digits)),
                        Factor(f"∂z_{symbol}/∂{pname}", _round(feed, digits)),
                    ]
                elif textbook and not is_output:
                    down = float(groups[-1][0].params["W"][j, 0]) * rounded_slope_out
                    factors = [
                        Factor("∂L/∂ŷ", d_loss_shown),
                        Factor(f"∂ŷ/∂{symbol}", _round(down, digits)),
                        Factor(f"∂{symbol}/∂{pname}", _round(feed * slope, digits)),
                    ]
                else:
                    upstream = d_loss_shown if textbook else _round(float(d_as[g][0, j]), digits)
                    factors = [
                        Factor(f"∂L/∂{symbol}", upstream),
                        Factor(f"∂{symbol}/∂{pname}", _round(feed * slope, digits)),
                    ]
                value = float(dense.params[key][index])
                exact = float(dense.grads[key][index])
                params.append(
                    ParamStep(
                        name=pname,
                        layer=g + 1,
                        key=key,
                        index=index,
                        value=value,
                        factors=factors,
                        product=float(np.prod([f.value for f in factors])),
                        grad=exact,
                        new_value=value - lr * exact,
                    )
                )
    params.sort(key=lambda p: (p.key == "b", int(p.name[1:])))
    return Trace(
        neurons=neurons,
        prediction=[float(v) for v in pred[0]],
        target=[float(v) for v in np.asarray(target, dtype=float).reshape(-1)],
        loss_name=loss.name,
        loss=float(loss_value),
        d_loss_d_pred=[float(v) for v in d_loss_d_pred.reshape(-1)],
        params=params,
        lr=float(lr),
        digits=digits,
    )
