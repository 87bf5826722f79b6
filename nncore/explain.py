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
Every f′(z) is the activation's own `slope(z, a)`, the very numbers its backward multiplies by.
A local factor keeps its own two factors in `parts`, as the article spells them:
∂h1/∂w1 = x1 · σ′(z_h1) (input times slope; a bias has 1) and ∂ŷ/∂h1 = w5 · σ′(z_ŷ).

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
from nncore.losses import Loss, SoftmaxCrossEntropy, class_labels
from nncore.model import Sequential

ELEMENTWISE = (act.Sigmoid, act.Tanh, act.ReLU, act.LeakyReLU, act.Linear)
SLOPE_SYMBOLS = {"sigmoid": "σ′", "tanh": "tanh′", "relu": "ReLU′", "leaky_relu": "LReLU′"}


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
    parts: list[Factor] = field(default_factory=list)  # its own factors: x1 · σ′(z_h1)


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


def _d_loss_d_pred(loss: Loss, last: Any, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """∂L/∂(network output) at `pred`, for one row: (1, outputs)."""
    if isinstance(loss, SoftmaxCrossEntropy) and isinstance(last, act.Softmax):
        onehot = np.zeros_like(pred)
        onehot[0, class_labels(target, pred.shape[1])] = 1.0
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
    """The full forward/backward/update trace of one row `x` through a Dense-only network.

    x: (inputs,) one row; target: (outputs,) values or one class label. The model is left
    alone: the trace runs on a float64 copy. In order: _dense_groups (the copy, as Dense +
    activation pairs), _forward_trace, _loss_trace, _backward_trace; then every neuron and every
    weight is written out (_neuron_step, and _param_steps with their chain-rule _factors).
    """
    net, groups = _dense_groups(model)
    x = np.asarray(x, dtype=np.float64).reshape(1, -1)
    target = _target_row(target)
    zs, outs = _forward_trace(groups, x)
    loss_value, d_loss_d_pred, d_z_out = _loss_trace(net, loss, groups, zs, outs[-1], target)
    d_as, d_zs = _backward_trace(groups, d_loss_d_pred, d_z_out)
    names = _neuron_names(groups)
    numbers = _Numbers(
        groups,
        zs,
        outs,
        d_as,
        d_zs,
        digits,
        _textbook(loss, groups, zs, outs, target, digits),
        names,
    )
    neurons, params = [], []
    for g, layer_names in enumerate(names):
        for j, names in enumerate(layer_names):
            neurons.append(_neuron_step(numbers, g, j, names))
            params.extend(_param_steps(numbers, g, j, names, lr))
    params.sort(key=lambda p: (p.key == "b", int(p.name[1:])))
    return Trace(
        neurons=neurons,
        prediction=[float(v) for v in outs[-1][0]],
        target=[float(v) for v in np.asarray(target, dtype=float).reshape(-1)],
        loss_name=loss.name,
        loss=float(loss_value),
        d_loss_d_pred=[float(v) for v in d_loss_d_pred.reshape(-1)],
        params=params,
        lr=float(lr),
        digits=digits,
    )


# ---- the passes -------------------------------------------------------------------------


def _dense_groups(model: Sequential) -> tuple[Sequential, list[tuple[Dense, act.Activation]]]:
    """A float64 copy of the model as (Dense, activation) pairs, and that copy as a Sequential.

    Dropout is left out (the trace is in evaluation mode); a Dense without an activation gets
    Linear. Anything else (Conv2D, two activations in a row, …) raises ValueError.
    """
    layers = [copy.deepcopy(layer) for layer in model.layers if not isinstance(layer, Dropout)]
    groups: list[tuple[Dense, act.Activation]] = []
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
    return net, groups


def _target_row(target: np.ndarray) -> np.ndarray:
    """Targets as one row (1, outputs), or one class label as (1,); floats become float64."""
    target = np.asarray(target)
    target = target.astype(np.float64) if target.dtype.kind == "f" else target
    return target.reshape(1, -1) if target.size > 1 or target.ndim > 0 else target.reshape(1)


def _forward_trace(
    groups: list[tuple[Dense, act.Activation]], x: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Every weighted sum z (1, n_out) and activation a = f(z); outs[0] is x, outs[g + 1] the
    output of pair g."""
    zs, outs = [], [x]
    for dense, activation in groups:
        zs.append(dense.forward(outs[-1]))
        outs.append(activation.forward(zs[-1]))
    return zs, outs


def _loss_trace(
    net: Sequential,
    loss: Loss,
    groups: list[tuple[Dense, act.Activation]],
    zs: list[np.ndarray],
    pred: np.ndarray,
    target: np.ndarray,
) -> tuple[float, np.ndarray, np.ndarray]:
    """(loss, ∂L/∂ŷ, ∂L/∂z of the output layer), the last as training computes it (fused when
    the output activation and the loss fuse, see `Sequential.training_head`)."""
    upto, head_loss = net.training_head(loss)
    fused = upto < len(net.layers)
    loss_value = head_loss.forward(zs[-1] if fused else pred, target)
    d_loss_d_pred = _d_loss_d_pred(loss, groups[-1][1], pred, target)
    d_z_out = head_loss.backward() if fused else groups[-1][1].backward(d_loss_d_pred)
    return loss_value, d_loss_d_pred, d_z_out


def _backward_trace(
    groups: list[tuple[Dense, act.Activation]], d_loss_d_pred: np.ndarray, d_z_out: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Gradients after (d_as, ∂L/∂a) and before (d_zs, ∂L/∂z) each activation, (1, n_out) each;
    every Dense fills its grads on the way."""
    # The output's ∂L/∂a is d_loss_d_pred and its ∂L/∂z is d_z_out; the loop fills the rest.
    d_as: list[np.ndarray] = [d_loss_d_pred] * len(groups)
    d_zs: list[np.ndarray] = [d_z_out] * len(groups)
    grad = d_z_out
    for g in range(len(groups) - 1, -1, -1):
        dense, activation = groups[g]
        if g < len(groups) - 1:
            d_as[g] = grad
            grad = activation.backward(grad)
        d_zs[g] = grad
        grad = dense.backward(grad)
    return d_as, d_zs


def _textbook(
    loss: Loss,
    groups: list[tuple[Dense, act.Activation]],
    zs: list[np.ndarray],
    outs: list[np.ndarray],
    target: np.ndarray,
    digits: int | None,
) -> tuple[float, float] | None:
    """For one output after at most one hidden layer, the textbook's shown (∂L/∂ŷ, f′(z_out)),
    each computed from rounded numbers; None for any other network."""
    last = groups[-1][1]
    if groups[-1][0].n_out != 1 or len(groups) > 2 or not isinstance(last, ELEMENTWISE):
        return None
    rounded_pred = np.array([[_round(float(outs[-1][0, 0]), digits)]])
    rounded_loss_slope = _d_loss_d_pred(loss, last, rounded_pred, target)
    d_loss_shown = _round(float(rounded_loss_slope[0, 0]), digits)
    slope_out = _round(float(last.slope(zs[-1], outs[-1])[0, 0]), digits)
    return d_loss_shown, slope_out


# ---- writing the numbers out ---------------------------------------------------------------


@dataclass
class _Numbers:
    """Everything one trace computed, per Dense + activation pair g (rows of shape (1, n))."""

    groups: list[tuple[Dense, act.Activation]]
    zs: list[np.ndarray]
    outs: list[np.ndarray]
    d_as: list[np.ndarray]
    d_zs: list[np.ndarray]
    digits: int | None
    textbook: tuple[float, float] | None  # see _textbook
    names: list[list[_Names]]  # per pair, per neuron (see _neuron_names)

    def feed_symbol(self, g: int, i: int) -> str:
        """What weight i of pair g multiplies: x1, x2, … or a neuron of the previous layer."""
        return f"x{i + 1}" if g == 0 else self.names[g - 1][i].symbol


@dataclass
class _Names:
    name: str  # "h1", "o1"
    symbol: str  # "ŷ" for the only output, else the name
    weights: list[str]  # "w1", "w2", … one per input
    bias: str | None  # "b1", or None without a bias


def _neuron_names(groups: list[tuple[Dense, act.Activation]]) -> list[list[_Names]]:
    """The article's names, neuron by neuron, layer by layer (see the module docstring)."""
    n_out = groups[-1][0].n_out
    w_count = b_count = h_count = 0
    names: list[list[_Names]] = []
    for g, (dense, _) in enumerate(groups):
        layer_names = []
        for j in range(dense.n_out):
            if g == len(groups) - 1:
                name = f"o{j + 1}"
                symbol = "ŷ" if n_out == 1 else name
            else:
                h_count += 1
                name = symbol = f"h{h_count}"
            weight_names = [f"w{w_count + i + 1}" for i in range(dense.n_in)]
            w_count += dense.n_in
            bias_name = None
            if "b" in dense.params:
                b_count += 1
                bias_name = f"b{b_count}"
            layer_names.append(_Names(name, symbol, weight_names, bias_name))
        names.append(layer_names)
    return names


def _neuron_step(numbers: _Numbers, g: int, j: int, names: _Names) -> NeuronStep:
    """Neuron j of pair g: its inputs, weights, bias, z and a."""
    dense, activation = numbers.groups[g]
    W, b = dense.params["W"], dense.params.get("b")
    return NeuronStep(
        layer=g + 1,
        index=j,
        name=names.name,
        symbol=names.symbol,
        inputs=[float(v) for v in numbers.outs[g][0]],
        weights=[float(v) for v in W[:, j]],
        weight_names=names.weights,
        bias=None if b is None else float(b[j]),
        bias_name=names.bias,
        z=float(numbers.zs[g][0, j]),
        activation=activation.name,
        a=float(numbers.outs[g + 1][0, j]),
    )


def _param_steps(numbers: _Numbers, g: int, j: int, names: _Names, lr: float) -> list[ParamStep]:
    """The weights and the bias of neuron j of pair g: factors, gradient, SGD update."""
    dense, activation = numbers.groups[g]
    slope = None
    if not isinstance(activation, act.Softmax):
        f_prime = activation.slope(numbers.zs[g], numbers.outs[g + 1])
        slope = _round(float(f_prime[0, j]), numbers.digits)
    targets = [
        (("W", (i, j)), names.weights[i], (numbers.feed_symbol(g, i), float(numbers.outs[g][0, i])))
        for i in range(dense.n_in)
    ]
    if names.bias is not None:
        targets.append((("b", (j,)), names.bias, ("1", 1.0)))
    steps = []
    for (key, index), pname, feed in targets:
        factors = _factors(numbers, g, j, names.symbol, pname, feed, slope)
        value = float(dense.params[key][index])
        exact = float(dense.grads[key][index])
        steps.append(
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
    return steps


def _factors(
    numbers: _Numbers,
    g: int,
    j: int,
    symbol: str,
    pname: str,
    feed: tuple[str, float],
    slope: float | None,
) -> list[Factor]:
    """The chain-rule factors of ∂L/∂pname for neuron j of pair g, as shown (rounded).

    `feed` is (name, value) of what the parameter multiplies (an input, or 1 for a bias);
    `slope` is f′(z) of the neuron as shown, or None after a softmax.
    """
    digits = numbers.digits
    feed_name, feed_value = feed
    if slope is None:  # softmax: split at the weighted sum
        return [
            Factor(f"∂L/∂z_{symbol}", _round(float(numbers.d_zs[g][0, j]), digits)),
            Factor(f"∂z_{symbol}/∂{pname}", _round(feed_value, digits)),
        ]
    activation = numbers.groups[g][1]
    local = Factor(
        f"∂{symbol}/∂{pname}",
        _round(feed_value * slope, digits),
        _local_parts(feed_name, _round(feed_value, digits), activation, symbol, slope),
    )
    is_output = g == len(numbers.groups) - 1
    if numbers.textbook is not None and not is_output:
        d_loss_shown, slope_out = numbers.textbook
        weight = float(numbers.groups[-1][0].params["W"][j, 0])
        output = numbers.names[-1][0]
        parts = _local_parts(
            output.weights[j], _round(weight, digits), numbers.groups[-1][1], "ŷ", slope_out
        )
        return [
            Factor("∂L/∂ŷ", d_loss_shown),
            Factor(f"∂ŷ/∂{symbol}", _round(weight * slope_out, digits), parts),
            local,
        ]
    if numbers.textbook is not None:
        upstream = numbers.textbook[0]
    else:
        upstream = _round(float(numbers.d_as[g][0, j]), digits)
    return [Factor(f"∂L/∂{symbol}", upstream), local]


def _local_parts(
    name: str, value: float, activation: act.Activation, symbol: str, slope: float
) -> list[Factor]:
    """[what is multiplied, f′(z)] for a local factor; [] when f′ is 1 everywhere (linear)."""
    slope_symbol = SLOPE_SYMBOLS.get(activation.name)
    if slope_symbol is None:
        return []
    return [Factor(name, value), Factor(f"{slope_symbol}(z_{symbol})", slope)]
