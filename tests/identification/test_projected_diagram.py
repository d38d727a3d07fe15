"""One selection diagram: the algorithms' ProjectedDiagram is derived from the study's
SelectionDiagram (never a second, independent description of the same graph).

The ProjectedDiagram that identification builds (through the TransportProblem) must be the
latent projection of the SelectionDiagram's own networkx graph, computed here independently
with networkx, and each source's indicator must point exactly where that source's selection
nodes land.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest
from shared_fixtures import DIAGRAM_STUDY

from transport.api import loads
from transport.graph.diagram import LatentCause, SelectionNode, selection_diagram
from transport.identification.api import build_diagram
from transport.identification.from_study import problem_from_study
from transport.identification.graph import SourceIndicator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*/study.tdag"))

# Latent variables, a selected `<->` cause, an unselected `<->` arc, a latent mediator.
LATENT_STUDY = """
population gpt source "G"
population human target "H"
var x binary treatment
var m latent
var w latent
var z binary
var y binary outcome
x -> m -> y
w -> z
w -> y
z -> x
x <-> y
z <-> m
shared x
shared y
differs m for gpt
differs z <-> m for gpt
shared x <-> y
estimate effect of x on y in human
"""


def _expected_projection(study):
    """(observed, directed, bidirected, {source: targets}) from the SelectionDiagram's
    networkx graph, by networkx reachability alone."""
    diagram = selection_diagram(study)
    graph = diagram.to_networkx()
    observed = set(diagram.graph.observed)
    selection = [n for n in graph if isinstance(n, SelectionNode)]
    hidden = {n for n in graph if n not in observed and not isinstance(n, SelectionNode)}
    directed = [(a, b) for a, b, flags in graph.edges(data=True) if flags["directed"]]
    arcs = {frozenset((a, b)) for a, b, flags in graph.edges(data=True) if flags["bidirected"]}

    def reach(v) -> set:
        """Observed nodes reached from v along directed paths whose inner nodes are hidden."""
        through = nx.DiGraph()
        through.add_nodes_from(graph)
        through.add_edges_from((a, b) for a, b in directed if a == v or a in hidden)
        return nx.descendants(through, v) & observed

    def land(v) -> set:
        return {v} if v in observed else reach(v)

    edges = {(a, b) for a in observed for b in reach(a)}
    pairs = set()
    for u in hidden:
        pairs |= {frozenset((a, b)) for a in reach(u) for b in reach(u) if a != b}
    for arc in arcs:
        a, b = tuple(arc)
        group = land(a) | land(b)
        pairs |= {frozenset((p, q)) for p in group for q in group if p != q}
    targets: dict[str, set] = {}
    for node in selection:
        targets.setdefault(node.source, set()).update(land(node.points_at))
    return observed, edges, pairs, {s: t for s, t in targets.items() if t}


def _actual_projection(study):
    projected = build_diagram(problem_from_study(study))
    edges = {(p, v) for v in projected.nodes for p in projected.parents[v]}
    pairs = {frozenset((a, b)) for a in projected.nodes for b in projected.siblings[a]}
    targets = {s.source: set(t) for s, t in projected.selection.items()}
    assert all(isinstance(s, SourceIndicator) for s in projected.selection)
    return set(projected.nodes), edges, pairs, targets


@pytest.mark.parametrize("text", [DIAGRAM_STUDY, LATENT_STUDY], ids=["diagram", "latent"])
def test_projected_diagram_is_the_projection_of_the_selection_diagram(text: str) -> None:
    study = loads(text)
    assert _actual_projection(study) == _expected_projection(study)


def test_latent_study_exercises_every_kind_of_node() -> None:
    """The fixture above really has latent variables, a selected `<->` cause and a selection
    node landing through a latent: otherwise the comparison proves little."""
    study = loads(LATENT_STUDY)
    diagram = selection_diagram(study)
    assert diagram.latent_causes() == (LatentCause("m", "z"),)
    assert ("x", "y", None) in diagram.confounding()  # shared: stays an arc
    observed, edges, pairs, targets = _expected_projection(study)
    assert ("x", "y") in edges and ("z", "y") not in edges  # x -> m -> y, m latent
    assert frozenset(("z", "y")) in pairs  # z <- w -> y, w latent
    assert targets == {"gpt": {"y", "z"}}  # m lands on y; the z <-> m cause on z and y


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_examples_project_as_their_selection_diagram(path: Path) -> None:
    study = loads(path.read_text(encoding="utf-8"))
    assert _actual_projection(study) == _expected_projection(study)


def test_one_class_per_graph_concept() -> None:
    """The selection node, the selection diagram, the causal graph and the `<->` cause are
    defined once (graph/diagram.py); identification's index types carry names of their own."""
    defined: dict[str, list[str]] = {}
    for module in sorted((ROOT / "transport").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                defined.setdefault(node.name, []).append(module.relative_to(ROOT).as_posix())
    for name in ("SelectionNode", "SelectionDiagram", "CausalGraph", "LatentCause"):
        assert defined[name] == ["transport/graph/diagram.py"], name
    assert not {"Diagram", "MixedGraph"} & set(defined)  # the former second copies
    assert defined["ProjectedDiagram"] == ["transport/identification/graph.py"]
    # what a data statement provides is identification's Dataset, also inside the algorithms
    assert defined["Dataset"] == ["transport/identification/problem.py"]
    assert defined["Source"] == ["transport/source.py"]  # the .tdag text, nothing else
