"""Imports run one way, read from each module's source: schemas < core < stages < cli and build, and no circles.

schemas imports nothing of the project; core imports only schemas; a stage (extract, eval, publish) imports only
schemas, core and itself; only allegations/cli.py and allegations/build.py import more than one stage. The
package's own `__init__` holds the version alone and may be imported from anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "allegations"
STAGES = ("extract", "eval", "publish")
FLOOR = {"schemas": 0, "core": 1, **dict.fromkeys(STAGES, 2), "cli": 3, "build": 3}
TOP = ("allegations.cli", "allegations.build")

KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()
KNOWN_CIRCLES: list[list[str]] = []


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _target(name: str) -> str | None:
    """The project module an import of `name` loads (its nearest known module), None outside the project."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Every project module `module` imports, at the top or inside functions."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {t for t in map(_target, names) if t is not None and t != module}
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def floor_of(module: str) -> str | None:
    """schemas, core, a stage, cli or build; None for the package's own `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def arrows_running_back_up(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Edges from a floor to a higher one, or from one stage to another."""
    wrong = []
    for module, targets in graph.items():
        here = floor_of(module)
        for target in targets:
            there = floor_of(target)
            if here is None or there is None:
                if here is None:
                    wrong.append((module, target))  # the version module imports nothing of the project
                continue
            if FLOOR[there] > FLOOR[here] or (FLOOR[there] == FLOOR[here] == 2 and there != here):
                wrong.append((module, target))
    return sorted(wrong)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_reader_sees_every_kind_of_import() -> None:
    assert "allegations.schemas.kinds" in GRAPH["allegations.schemas"]
    assert "allegations.core.files" in GRAPH["allegations.extract.run"]  # `from allegations.core.files import x`
    assert {floor_of(t) for t in GRAPH["allegations.cli"]} >= set(STAGES)


def test_no_import_runs_back_up() -> None:
    assert [edge for edge in arrows_running_back_up(GRAPH) if edge not in KNOWN_EXCEPTIONS] == []


def test_the_known_exceptions_still_exist() -> None:
    """An exception that no longer happens is dropped from the list, so it cannot hide a new one."""
    assert set(arrows_running_back_up(GRAPH)) >= KNOWN_EXCEPTIONS


def test_only_cli_and_build_import_more_than_one_stage() -> None:
    for module, targets in GRAPH.items():
        stages = {floor_of(t) for t in targets if (module, t) not in KNOWN_EXCEPTIONS} | {floor_of(module)}
        if module not in TOP:
            assert len(stages & set(STAGES)) <= 1, (module, sorted(map(str, stages)))


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"allegations.schemas.a": {"allegations.core.b"}, "allegations.core.b": set()}, 1),
        ({"allegations.eval.a": {"allegations.publish.b"}, "allegations.publish.b": set()}, 1),
        ({"allegations.cli": {"allegations.eval.a"}, "allegations.eval.a": {"allegations.schemas.c"}}, 0),
    ],
)
def test_the_checker_finds_arrows_running_back_up(graph: dict[str, set[str]], expected: int) -> None:
    graph = {**{t: set() for targets in graph.values() for t in targets}, **graph}
    assert len(arrows_running_back_up(graph)) == expected


def test_no_circles() -> None:
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert circles(GRAPH) == KNOWN_CIRCLES
