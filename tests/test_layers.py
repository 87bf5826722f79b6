"""The house rules, read from the source with `ast` (DESIGN.md, "The three layers").

- nncore imports nothing from bot, telegram, Pillow or matplotlib;
- bot/localapi imports nothing else from bot;
- telegram is imported only by app, cli, logs, context, chat and each package's handlers;
- no import cycles, counting imports inside functions;
- no module uses a private name (a leading underscore) of another project module;
- no module over 500 lines (the message catalogue aside), no function over 80 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PACKAGES = ("bot", "nncore")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
TELEGRAM_ALLOWED = {"bot.app", "bot.cli", "bot.logs", "bot.context"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = modules()


def imported_names(path: Path) -> Iterator[str]:
    """Every module named by an import anywhere in the file (functions included), absolute."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # `from bot.training import run` imports the module bot.training.run; only a name
            # that is not a module (`from bot.text import number`) comes from `module` itself.
            submodules = [f"{module}.{alias.name}" for alias in node.names]
            yield from submodules
            if not all(name in MODULES for name in submodules):
                yield module


def project_imports(path: Path) -> set[str]:
    """The project's own modules this file imports (a name that is not a module is dropped)."""
    return {name for name in imported_names(path) if name in MODULES}


def is_handler_module(name: str) -> bool:
    """`bot.<feature>.handlers` or a module inside a `bot.<feature>.handlers` package."""
    parts = name.split(".")
    return len(parts) >= 3 and parts[0] == "bot" and parts[2] == "handlers"


def test_nncore_imports_no_application_or_drawing_library():
    forbidden = ("bot", "telegram", "PIL", "matplotlib")
    offenders = {
        name: sorted(i for i in imported_names(path) if i.split(".")[0] in forbidden)
        for name, path in MODULES.items()
        if name.startswith("nncore")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_localapi_imports_nothing_else_from_bot():
    offenders = {
        name: sorted(i for i in project_imports(path) if not i.startswith("bot.localapi"))
        for name, path in MODULES.items()
        if name.startswith("bot.localapi")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_telegram_is_imported_only_by_the_adapters():
    def allowed(name: str) -> bool:
        return name in TELEGRAM_ALLOWED or name.startswith("bot.chat") or is_handler_module(name)

    offenders = sorted(
        name
        for name, path in MODULES.items()
        if not allowed(name) and any(i.split(".")[0] == "telegram" for i in imported_names(path))
    )
    assert offenders == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (depth-first search)."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def import_graph() -> dict[str, set[str]]:
    """Module → the modules it imports. A package's `__init__` is not a dependency of its
    modules: importing `bot.digits.vision` runs `bot/digits/__init__.py`, which must stay
    light, so edges into a package count only when the package itself is named."""
    return {name: project_imports(path) - {name} for name, path in MODULES.items()}


def test_importing_a_submodule_from_a_package_is_not_importing_the_package():
    imported = project_imports(ROOT / "nncore" / "model.py")  # from nncore import architecture, io
    assert {"nncore.architecture", "nncore.io"} <= imported
    assert "nncore" not in imported


def private_uses(source: str, package: str) -> Iterator[str]:
    """ "module.name" for each private name (`_x`, not `__x__`) of a project module that the
    source imports (`from bot.training.run import _fit`) or reads off an imported module
    (`from bot.training import run` … `run._fit`); `package` resolves relative imports."""

    def private(name: str) -> bool:
        return name.startswith("_") and not name.endswith("__")

    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join([*base, node.module] if node.module else base)
            module = module if node.level else node.module or ""
            if module.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                if private(alias.name):
                    yield f"{module}.{alias.name}"
                else:
                    aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        name = (
            node.value.id
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            else ""
        )
        if name in aliases and private(node.attr):
            yield f"{aliases[name]}.{node.attr}"


def test_private_uses_are_found_in_imports_and_attributes():
    source = (
        "from bot.training.run import _fit, evaluate\n"
        "from . import pictures as p\n"
        "from os import _exit\n"
        "import nncore.model\n"
        "p._thin(1)\nnncore.model.__name__\nevaluate.__doc__\n"
    )
    assert sorted(private_uses(source, "bot.inside")) == [
        "bot.inside.pictures._thin",
        "bot.training.run._fit",
    ]


def test_no_module_uses_a_private_name_of_another_module():
    offenders = {}
    for name, path in MODULES.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = sorted(private_uses(path.read_text(encoding="utf-8"), package))
        if found:
            offenders[name] = found
    assert offenders == {}


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles_counting_imports_inside_functions():
    assert find_cycle(import_graph()) is None


def test_no_module_over_500_lines():
    too_long = {
        name: length
        for name, path in MODULES.items()
        if not name.startswith("bot.i18n")
        and (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def long_functions(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                yield f"{module_name(path)}.{node.name}", length


def test_no_function_over_80_lines():
    found = {name: n for path in MODULES.values() for name, n in long_functions(path)}
    assert found == {}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bot.training.handlers", True),
        ("bot.training.handlers.settings", True),
        ("bot.training.views", False),
        ("bot.handlers", False),
    ],
)
def test_handler_modules_are_recognised(name, expected):
    assert is_handler_module(name) is expected
