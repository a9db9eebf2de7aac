"""The package's import graph, read from the source: no circle (TYPE_CHECKING imports count), the
core never imports MkDocs, and each stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parent.parent / "site_plugins"
# A stage may import the stages listed for it (and itself, and the shared top-level modules).
ALLOWED = {
    "content": set(),
    "media": {"content"},
    "check": {"content", "media"},
    "outputs": {"content", "media"},
    "deploy": {"content", "media", "check", "outputs"},
    "cms": {"content"},
    "editors": {"content", "media", "check", "outputs", "deploy", "cms"},
    "adapters": {"content", "media", "check", "outputs", "deploy", "cms", "editors"},
}
SHARED = {"", "urls", "settings", "settings_yaml"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, source: str | None = None) -> set[str]:
    """Every site_plugins module `path` imports, wherever the import statement stands."""
    found: set[str] = set()
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("site_plugins")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.startswith("site_plugins"):
                found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names}
    return {m for m in found if m in MODULES and m != own}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports(path) for name, path in MODULES.items()}


def stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles a depth-first walk of `graph` meets."""
    state: dict[str, int] = {}
    found: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def test_the_import_graph_has_no_circle() -> None:
    assert circles(GRAPH) == []


def test_each_stage_imports_only_the_stages_before_it() -> None:
    wrong = sorted(f"{m} imports {i}" for m, deps in GRAPH.items() for i in deps
                   if stage(m) in ALLOWED and stage(i) not in SHARED | {stage(m)} | ALLOWED[stage(m)])
    assert wrong == []


def test_the_core_never_imports_mkdocs() -> None:
    core = [p for name, p in MODULES.items() if stage(name) != "adapters"]
    users = sorted(str(p.relative_to(PACKAGE)) for p in core
                   if any(isinstance(n, (ast.Import, ast.ImportFrom)) and any(
                       (getattr(n, "module", None) or a.name).split(".")[0] in {"mkdocs", "properdocs", "material"}
                       for a in n.names) for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert users == []


def test_the_reader_sees_hidden_imports_and_the_walk_finds_circles() -> None:
    """Imports under TYPE_CHECKING and inside functions count: that is where circles hid."""
    hidden = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from site_plugins.outputs.pages import home\n"
              "def f():\n    from site_plugins.content.schema import Story\n")
    found = imports(MODULES["site_plugins.outputs.pages.listings"], hidden)
    assert found == {"site_plugins.outputs.pages.home", "site_plugins.content.schema"}
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert circles({"a": {"b"}, "b": set()}) == []
