"""The code's shape, as docs/architecture.md states it: imports go one way, with no cycles."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Every Python package of the project's own, but the tests.
PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"tests", "var"} and not path.parent.name.startswith(".")
)


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """{module name: path} of every module outside migrations."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def imports_of(name, path, modules):
    """[(imported project module, line, at the top of the module)] for one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = set(map(id, tree.body))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from package import module" names a module; "from module import name", its module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((target, node.lineno, id(node) in top_level))
    return found


def import_graph():
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _, _ in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_project():
    graph = import_graph()
    assert {"pages", "programmes", "accounts", "config"} <= set(PACKAGES)
    assert "programmes.models.programme" in graph
    assert any(target.startswith("pages.") for target, _, _ in graph["programmes.models.programme"])


def test_no_module_imports_itself_back():
    assert cycles(import_graph()) == []


def test_pages_never_imports_programmes():
    offending = [
        f"{name}:{line} imports {target}"
        for name, imports in import_graph().items()
        if name.split(".")[0] == "pages"
        for target, line, _ in imports
        if target.split(".")[0] == "programmes"
    ]
    assert offending == []


def test_imports_are_at_the_top_of_modules_but_in_app_loading():
    """Django loads apps before their models: only an AppConfig.ready may import late."""
    late = [
        f"{name}:{line} imports {target}"
        for name, imports in import_graph().items()
        if not name.endswith(".apps")
        for target, line, top in imports
        if not top
    ]
    assert late == []
