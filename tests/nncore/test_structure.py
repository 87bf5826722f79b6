"""The shape of nncore itself: one-way imports, small parts, each derivative written once.

Read from the source with `ast` (imports inside functions count) and checked by behaviour where
that proves more: the slopes `explain` shows are the slopes the layers compute.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import nncore as nn
from nncore import activations

PACKAGE = Path(nn.__file__).resolve().parent
FORBIDDEN = {"bot", "telegram", "PIL", "matplotlib"}
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 500, 80


def modules() -> dict[str, ast.Module]:
    """Every module of the package by dotted name ("nncore", "nncore.model", …), parsed."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return found


MODULES = modules()


def imported(module: str, tree: ast.Module) -> set[str]:
    """Dotted names `module` imports anywhere in its file, relative imports resolved; a
    `from package import name` counts as importing package.name when that is a module."""
    package = module if module == "nncore" else module.rsplit(".", 1)[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if submodule in MODULES else base)
    return names


def import_graph() -> dict[str, set[str]]:
    return {
        name: {other for other in imported(name, tree) if other in MODULES and other != name}
        for name, tree in MODULES.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function():
    lazy = ast.parse("def f():\n    from nncore.model import Sequential\n")
    assert "nncore.model" in imported("nncore.io", lazy)
    assert find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_nncore_imports_nothing_from_the_bot_or_image_libraries(module):
    roots = {name.split(".")[0] for name in imported(module, MODULES[module])}
    assert not roots & FORBIDDEN, f"{module} imports {sorted(roots & FORBIDDEN)}"


def test_no_import_cycles_among_nncore_modules_counting_imports_inside_functions():
    assert find_cycle(import_graph()) is None


def test_the_file_format_knows_no_layers_and_the_model_builds_on_it():
    graph = import_graph()
    assert graph["nncore.io"] == set()
    assert "nncore.io" in graph["nncore.architecture"]
    assert {"nncore.io", "nncore.architecture"} <= graph["nncore.model"]


def functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_stay_small(module):
    tree = MODULES[module]
    lines = max((node.end_lineno or 0) for node in tree.body) if tree.body else 0
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines"
    for node in functions(tree):
        length = node.end_lineno - node.lineno + 1
        assert length <= MAX_FUNCTION_LINES, f"{module}.{node.name} has {length} lines"


def defined_names(tree: ast.Module) -> set[str]:
    """Functions, classes, and names or attributes assigned anywhere in the module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_private_names_are_used_only_in_the_module_that_defines_them(module):
    tree = MODULES[module]
    own = defined_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            borrowed = [alias.name for alias in node.names if private(alias.name)]
            assert not borrowed, f"{module} imports private {borrowed} from {node.module}"
        if isinstance(node, ast.Attribute) and private(node.attr):
            assert node.attr in own, f"{module} uses {node.attr}, defined elsewhere"


# ---- each activation owns its derivative ----------------------------------------------------

ELEMENTWISE = [nn.Sigmoid, nn.Tanh, nn.ReLU, lambda: nn.LeakyReLU(0.1), nn.Linear]


def activation_classes() -> list[str]:
    """Classes in activations.py, from the source (so a new one cannot be forgotten here)."""
    tree = MODULES["nncore.activations"]
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]


@pytest.mark.parametrize("name", activation_classes())
def test_every_activation_class_defines_its_own_slope(name):
    cls = getattr(activations, name)
    assert issubclass(cls, nn.Layer)
    assert "slope" in vars(cls), f"{name} does not define slope(z, a)"


def random_z(seed=0, shape=(4, 5)) -> np.ndarray:
    z = np.random.default_rng(seed).normal(scale=2.0, size=shape)
    return np.where(np.abs(z) < 1e-3, 0.5, z)  # keep clear of ReLU's kink


@pytest.mark.parametrize("make", ELEMENTWISE, ids=lambda make: make().kind)
def test_slope_is_the_derivative_and_backward_uses_it(make):
    layer, z, eps = make(), random_z(), 1e-6
    a = layer.forward(z)
    numeric = (layer.function(z + eps) - layer.function(z - eps)) / (2 * eps)
    np.testing.assert_allclose(layer.slope(z, a), numeric, rtol=1e-6, atol=1e-8)
    grad = np.random.default_rng(1).normal(size=z.shape)
    np.testing.assert_array_equal(layer.backward(grad), grad * layer.slope(z, a))


def test_softmax_slope_is_the_diagonal_of_its_jacobian():
    layer, z, eps = nn.Softmax(), random_z(shape=(3, 4)), 1e-6
    a = layer.forward(z)
    for i in range(z.shape[1]):
        step = np.zeros_like(z)
        step[:, i] = eps
        numeric = (layer.function(z + step) - layer.function(z - step))[:, i] / (2 * eps)
        np.testing.assert_allclose(layer.slope(z, a)[:, i], numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("make", [*ELEMENTWISE, nn.Softmax], ids=lambda make: make().kind)
def test_slopes_keep_the_dtype(make, dtype):
    layer, z = make(), random_z().astype(dtype)
    assert layer.slope(z, layer.forward(z)).dtype == dtype


@pytest.mark.parametrize("make", ELEMENTWISE, ids=lambda make: make().kind)
def test_explain_shows_the_slopes_the_layers_compute(make):
    """The hidden neurons' ∂h/∂w factor is input · f′(z), with f′ from the layer itself."""
    hidden = nn.Dense(3, 4, rng=0)
    hidden.params["b"][:] = [0.3, -0.2, 0.1, -0.4]
    model = nn.Sequential([hidden, make(), nn.Dense(4, 2, rng=1), make()], dtype="float64")
    x = np.array([0.5, -1.0, 2.0])
    trace = nn.explain(model, nn.MSE(), x, [0.2, -0.1])
    z = x[None] @ hidden.params["W"] + hidden.params["b"]
    layer = make()
    f_prime = layer.slope(z, layer.forward(z))[0]
    for step in trace.params:
        if step.layer != 1:
            continue
        feed = 1.0 if step.key == "b" else x[step.index[0]]
        assert step.factors[-1].value == feed * f_prime[step.index[-1]], step.name


@pytest.mark.parametrize("make", ELEMENTWISE, ids=lambda make: make().kind)
def test_the_textbook_trace_uses_the_output_layers_slope(make):
    hidden, output = nn.Dense(2, 2, init="ones"), nn.Dense(2, 1, rng=2)
    model = nn.Sequential([hidden, nn.Sigmoid(), output, make()], dtype="float64")
    x = np.array([-2.0, -1.0])
    trace = nn.explain(model, nn.MSE(), x, [1.0])
    h = nn.Sigmoid().forward(x[None] @ hidden.params["W"] + hidden.params["b"])
    z_out = h @ output.params["W"] + output.params["b"]
    layer = make()
    slope_out = float(layer.slope(z_out, layer.forward(z_out))[0, 0])
    w1 = next(step for step in trace.params if step.name == "w1")
    assert [f.symbol for f in w1.factors] == ["∂L/∂ŷ", "∂ŷ/∂h1", "∂h1/∂w1"]
    assert w1.factors[1].value == float(output.params["W"][0, 0]) * slope_out


def test_explain_defines_no_derivative_of_its_own():
    tree = MODULES["nncore.explain"]
    names = {node.name for node in functions(tree)}
    assert not {name for name in names if "slope" in name}, names
    alphas = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "alpha"]
    assert not alphas, "explain reads LeakyReLU.alpha: the derivative belongs to the layer"


# ---- optimizers ---------------------------------------------------------------------------


class PlainDescent(nn.Optimizer):
    """A custom optimizer that writes only `update`: w ← w − g."""

    def update(self, value, grad, state):
        value -= grad


def parameters():
    W, b = np.array([[1.0, -2.0]]), np.array([0.5])
    return [("0.W", W, np.array([[0.1, 0.1]])), ("0.b", b, np.array([0.2]))]


def test_an_optimizer_with_only_update_works_with_step():
    params = parameters()
    optimizer = PlainDescent()
    assert optimizer.weight_decay == 0.0
    optimizer.step(params)
    np.testing.assert_allclose(params[0][1], [[0.9, -2.1]])
    np.testing.assert_allclose(params[1][1], [0.3])
    assert optimizer.steps == 1


def test_the_base_optimizer_applies_weight_decay_to_weight_matrices_only():
    params = parameters()
    PlainDescent(weight_decay=0.5).step(params)
    np.testing.assert_allclose(params[0][1], [[1.0 - 0.1 - 0.5, -2.0 - 0.1 + 1.0]])
    np.testing.assert_allclose(params[1][1], [0.3])


@pytest.mark.parametrize(
    "optimizer", [nn.SGD(1.0, weight_decay=0.25), nn.Adam(weight_decay=0.25)], ids=repr
)
def test_subclasses_hand_weight_decay_to_the_base(optimizer):
    assert optimizer.weight_decay == 0.25


def test_adam_with_weight_decay_steps_like_adam_on_the_decayed_gradient():
    decayed, by_hand = parameters(), parameters()
    nn.Adam(0.1, weight_decay=0.5).step(decayed)
    name, W, grad = by_hand[0]
    by_hand[0] = (name, W, grad + 0.5 * W)
    nn.Adam(0.1).step(by_hand)
    for (_, a, _), (_, b, _) in zip(decayed, by_hand, strict=True):
        np.testing.assert_array_equal(a, b)


def test_sgd_with_weight_decay_steps_like_the_base_loop():
    ours, plain = parameters(), parameters()
    nn.SGD(1.0, weight_decay=0.5).step(ours)
    PlainDescent(weight_decay=0.5).step(plain)
    for (_, a, _), (_, b, _) in zip(ours, plain, strict=True):
        np.testing.assert_array_equal(a, b)
