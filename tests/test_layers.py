"""The house plan's import rules (ARCHITECTURE.md), read from the source with ``ast``.

- Pure modules import only the standard library and other pure modules.
- The ground floor (root modules) imports no feature package (pure modules excepted: they
  import nothing that could import back).
- Feature packages import only packages below them, never one beside or above.
- Nothing but the factory and the command line imports ``home``, ``api`` or ``demo``.
- No function-local import: a cycle it would dodge means a rule sits in the wrong package.
- No cycle between feature packages.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pmolearn"

#: Lowest first. A package may import the ones before it in this order, with one exception:
#: "accounts" and "catalog" stand side by side on "people" (neither imports the other).
ORDER = ("ops", "audit", "people", "accounts", "catalog", "credentials", "pdus", "study", "skills",
         "reminders", "reports")  # fmt: skip
SIDE_BY_SIDE = {frozenset({"accounts", "catalog"}), frozenset({"reminders", "reports"})}
COMPOSERS = ("home", "api", "demo")
#: Who may import a composer: the factory and the command line (and the console script).
MAY_COMPOSE = {"pmolearn", "pmolearn.cli", "pmolearn.console"}
GROUND = {"config", "database", "extensions", "clock", "text", "web", "authz", "errors", "mail",
          "exports", "revisions", "templating",
          "fields", "models"}  # fmt: skip
PURE = {
    "pmolearn.clock",
    "pmolearn.text",
    "pmolearn.fields",
    "pmolearn.people.roles",
    "pmolearn.credentials.compliance",
    "pmolearn.credentials.cycles",
    "pmolearn.skills.gap",
    "pmolearn.study.eligibility",
    "pmolearn.study.plan",
    "pmolearn.reminders.schedule",
}


def pure(name: str) -> bool:
    """A pure module, or a module of a pure package (``credentials.compliance`` is one)."""
    return name in PURE or any(name.startswith(f"{p}.") for p in PURE)


#: Root modules that compose the app, so may import anything: the factory, the registry of
#: models, the command line.
COMPOSING_ROOT = {"pmolearn", "pmolearn.models", "pmolearn.cli", "pmolearn.console"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def imports(path: Path, name: str) -> tuple[set[str], list[tuple[int, str]]]:
    """(modules imported at run time, [(line, module)] of function-local imports).

    ``if TYPE_CHECKING:`` imports are for type hints only and not counted.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    local: list[tuple[int, str]] = []
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]

    def visit(node: ast.AST, in_function: bool) -> None:
        if _type_checking_block(node):
            return
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in _targets(child, package):
                    found.add(target)
                    if inner:
                        local.append((child.lineno, target))
            visit(child, inner)

    visit(tree, False)
    return found, local


def _targets(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = package.split(".")
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    # "from pmolearn import text" imports the module pmolearn.text
    known = modules()
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]


def feature(name: str) -> str | None:
    """The feature package a pmolearn module belongs to (None: a root module)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and _is_package(parts[1])) else None


def _is_package(part: str) -> bool:
    return (PACKAGE / part).is_dir()


def layer_problems(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, targets in graph.items():
        own = feature(name)
        for target in sorted(t for t in targets if t.startswith("pmolearn")):
            problems += _arrow_problems(name, own, target)
    return problems


def _arrow_problems(name: str, own: str | None, target: str) -> list[str]:
    other = feature(target)
    if pure(name):
        return [] if pure(target) else [f"{name} is pure but imports {target}"]
    if other is None or other == own:
        return []
    if other in COMPOSERS:
        allowed = name in MAY_COMPOSE or own in COMPOSERS
        return [] if allowed else [f"{name} imports {target}: only the factory and the CLI may"]
    if pure(target):
        return []
    if own is None:
        if name in COMPOSING_ROOT:
            return []
        return [f"{name} is on the ground floor but imports the feature module {target}"]
    if own in COMPOSERS:
        return []
    if own not in ORDER or other not in ORDER:
        return [f"{name} → {target}: a package outside ARCHITECTURE.md's order"]
    if frozenset({own, other}) in SIDE_BY_SIDE:
        return [f"{name} imports {target}: {own} and {other} stand side by side"]
    if ORDER.index(other) > ORDER.index(own):
        return [f"{name} imports {target}, a package above {own}"]
    return []


def import_graph() -> dict[str, set[str]]:
    return {name: imports(path, name)[0] for name, path in modules().items()}


def test_no_import_runs_against_the_house_plan():
    assert layer_problems(import_graph()) == []


def test_pure_modules_import_only_the_standard_library():
    stdlib = sys.stdlib_module_names
    problems = []
    for name, path in modules().items():
        if not pure(name):
            continue
        for target in imports(path, name)[0]:
            top = target.split(".")[0]
            if top not in stdlib and not pure(target) and top != "__future__":
                problems.append(f"{name} imports {target}")
    assert problems == []


def test_no_function_local_imports():
    found = [
        f"{name}:{line} imports {target} inside a function"
        for name, path in modules().items()
        for line, target in imports(path, name)[1]
    ]
    assert found == []


def test_no_cycle_between_feature_packages():
    edges: dict[str, set[str]] = {}
    for name, targets in import_graph().items():
        own = feature(name)
        for target in targets:
            other = feature(target) if target.startswith("pmolearn") else None
            if own and other and own != other and not pure(target):
                edges.setdefault(own, set()).add(other)
    cycles = [
        f"{a} ⇄ {b}" for a, targets in edges.items() for b in targets if a in edges.get(b, set())
    ]
    assert cycles == []


# --- the test fails on the arrows it forbids ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("pmolearn.credentials.services", "pmolearn.pdus.models"),  # upward
        ("pmolearn.people.scope", "pmolearn.credentials.services"),  # upward
        ("pmolearn.accounts.services", "pmolearn.catalog.models"),  # side by side
        ("pmolearn.pdus.views", "pmolearn.home.views"),  # a composer
        ("pmolearn.web", "pmolearn.people.scope"),  # ground floor → feature
        ("pmolearn.credentials.cycles", "pmolearn.extensions"),  # pure → not pure
    ],
)
def test_a_forbidden_arrow_is_reported(name, target):
    assert layer_problems({name: {target}}) != []


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("pmolearn.pdus.services", "pmolearn.credentials.services"),
        ("pmolearn.credentials.models", "pmolearn.people.models"),
        ("pmolearn.authz", "pmolearn.people.roles"),  # a pure module, from the ground floor
        ("pmolearn.home.views", "pmolearn.pdus.services"),
        ("pmolearn", "pmolearn.api"),
    ],
)
def test_an_allowed_arrow_passes(name, target):
    assert layer_problems({name: {target}}) == []


def test_a_function_local_import_is_found(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("def f():\n    from pmolearn.pdus import services\n")
    assert imports(source, "pmolearn.mod")[1] == [(2, "pmolearn.pdus.services")]
