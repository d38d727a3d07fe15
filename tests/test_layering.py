"""One-way architecture: no module imports from a layer above its own.

`LAYERS` is the allowed layering, written once (docs and README point here). Every import
of every module under `transport/` counts, including imports inside functions and
`if TYPE_CHECKING:` blocks, and relative imports are resolved. A module belongs to the
layer of the longest prefix that names it; modules of one layer may import each other.

Value types sit below the stages that build them: `study` (the checked study's types) is
below `check`, which builds it, and `graph` (reachability on plain edge lists, the
selection diagram) is below `check`, which asks graph questions (cycles, the mechanisms
an effect depends on). Notebook display goes through `display` (bottom layer), which the
report stage fills, so value types never import the report stage.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "transport"

#: Bottom up. An entry is one layer: the module prefixes in it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("transport.version", "transport.display", "transport.schemas", "transport.text_safety",
     "transport.json_text"),
    ("transport.source",),
    ("transport.errors", "transport.limits"),
    ("transport.files",),
    ("transport.syntax",),
    ("transport.study",),
    ("transport.graph",),
    ("transport.check",),
    ("transport.identification",),
    ("transport.data",),
    ("transport.diagnose",),
    ("transport.calibrate",),
    ("transport.estimate",),
    ("transport.render",),
    ("transport.bridges",),
    ("transport.report",),
    ("transport.api",),
    ("transport.cli",),
    ("transport", "transport.__main__"),
)

#: Upward edges still allowed, each with why and who removes it: (importer, imported).
#: Empty is the goal; the estimate stage's rebuild may need a temporary entry here.
ALLOWED_UPWARD: frozenset[tuple[str, str]] = frozenset()


def layer_of(module: str) -> int:
    """The index in LAYERS of the longest prefix naming `module` (the package itself only
    by its exact name, since every module's name starts with it)."""
    best, index = -1, None
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            exact = prefix == "transport"
            hit = module == prefix if exact else (module == prefix
                                                  or module.startswith(prefix + "."))
            if hit and len(prefix) > best:
                best, index = len(prefix), i
    if index is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return index


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[str, int]]:
    """(module, line) of every `transport` import in the file, at any depth."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from transport import x` imports the package, or its submodule x
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.append((candidate if _is_module(candidate) else target, node.lineno))
    return [(m, line) for m, line in found if m == "transport" or m.startswith("transport.")]


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    root = PACKAGE.parent
    return (root / relative).with_suffix(".py").exists() or (
        root / relative / "__init__.py").exists()


def all_edges() -> list[tuple[str, str, int]]:
    return [(module_name(path), target, line)
            for path in sorted(PACKAGE.rglob("*.py"))
            for target, line in imported(path)]


def test_every_module_has_a_layer():
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path))


def test_no_module_imports_from_a_layer_above():
    upward = [f"{a}:{line} imports {b} (layer {layer_of(b)} above {layer_of(a)})"
              for a, b, line in all_edges()
              if layer_of(b) > layer_of(a) and (a, b) not in ALLOWED_UPWARD]
    assert upward == []


def test_the_allowed_exceptions_are_still_needed():
    edges = {(a, b) for a, b, _ in all_edges()}
    assert sorted(ALLOWED_UPWARD - edges) == []


def test_the_walk_sees_function_level_and_relative_imports(tmp_path):
    # the checker is not blind: a fake upward import inside a function is found
    tree = imported(PACKAGE / "estimate" / "run.py")
    assert any(m == "transport.identification.from_study" for m, _ in tree)
    relative = imported(PACKAGE / "identification" / "api.py")
    assert ("transport.identification.expr" in {m for m, _ in relative})
    assert layer_of("transport.report.notebook") > layer_of("transport.study")
    assert layer_of("transport") == len(LAYERS) - 1
    assert layer_of("transport.graph.algorithms") < layer_of("transport.check.rules_graph")


def test_the_version_is_written_once():
    import re
    import tomllib

    from transport import __version__
    from transport.version import __version__ as written

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["dynamic"] == ["version"]
    assert "version" not in pyproject["project"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "transport/version.py"
    assert __version__ == written and re.fullmatch(r"\d+\.\d+\.\d+", written)
    sources = [p for p in PACKAGE.rglob("*.py")
               if re.search(r'^__version__ = "', p.read_text(encoding="utf-8"), re.M)]
    assert [p.name for p in sources] == ["version.py"]
