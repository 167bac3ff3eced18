"""The architecture the folders promise: helpers/ for notebooks, noteboard/ the capstone, tools/ for maintainers.

Imports are read from the source (every ``import``, in functions too), so a cycle dodged by a
late import still counts.
"""

import ast

import pytest

from tools.chapters import ROOT

PACKAGES = ("helpers", "noteboard", "tools")
MAINTAINERS_ONLY = {"nbconvert", "nbformat", "playwright", "tools"}  # heavy or not installed for learners


def module_files():
    """{dotted name: path} of every first-party module."""
    found = {"course": ROOT / "course.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name, path, known):
    """Every module ``name`` imports: first-party ones by full name, others by their top-level name."""
    base = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            anchor = base
            for _ in range(node.level - 1):
                anchor = anchor.rpartition(".")[0]
            module = node.module if not node.level else ".".join(filter(None, (anchor, node.module)))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in known)
    return {module if module in known else module.partition(".")[0] for module in found} - {name}


MODULES = module_files()
GRAPH = {name: imported(name, path, MODULES) for name, path in MODULES.items()}


def cycle_from(start):
    """A list of modules that leads from ``start`` back to it, or None."""
    stack, path = [(start, iter(GRAPH[start]))], [start]
    seen = {start}
    while stack:
        _, children = stack[-1]
        for child in children:
            if child == start:
                return path + [start]
            if child in GRAPH and child not in seen:
                seen.add(child)
                stack.append((child, iter(GRAPH[child])))
                path.append(child)
                break
        else:
            stack.pop()
            path.pop()
    return None


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("helpers")))
def test_helpers_import_nothing_only_maintainers_need(name):
    heavy = sorted(MAINTAINERS_ONLY & {module.partition(".")[0] for module in GRAPH[name]})
    assert not heavy, f"{name} imports {', '.join(heavy)}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("noteboard")))
def test_the_capstone_stands_alone(name):
    assert not {module for module in GRAPH[name] if module.startswith(("helpers", "tools"))}, name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_cycle(name):
    assert cycle_from(name) is None, " -> ".join(cycle_from(name))


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "tools.kit", GRAPH["tools.kit"] | {"tools.sync"})  # sync imports kit
    assert cycle_from("tools.kit") == ["tools.kit", "tools.sync", "tools.kit"]


def test_a_late_import_counts(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def build():\n    import nbconvert\n    from . import sibling\n")
    assert imported("tools.late", module, {"tools.sibling", "tools.late"}) == {"nbconvert", "tools", "tools.sibling"}
