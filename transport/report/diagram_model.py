"""The selection diagram as things to draw: nodes with a kind and a style, edges with a
kind, independent of how they are laid out (pure Python or Graphviz).

A variable's fill says how its mechanism relates to the target across sources: shared with
every source, with none, or with some ("mixed"). Each source's selection nodes carry that
source's colour; the line style of a selection edge says why the mechanism is not shared
(differs, partial, undeclared); the fills and line styles are `graph.legend`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from transport.graph.diagram import LatentCause, selection_diagram
from transport.study import Study, VariableMechanism

#: Okabe–Ito colours (readable with colour-vision deficiencies), one per source.
SOURCE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                  "#7A5195", "#4D4D4D")



@dataclass(frozen=True)
class Node:
    """One thing to draw. `kind`: variable, latent, cause (the common cause of a `<->` pair
    that a selection node points at) or selection."""

    id: str
    kind: str
    text: str
    tooltip: str
    sharing: str = "target"  # shared | differs | mixed (variables), target otherwise
    role: str = ""  # treatment | outcome | ""
    source: str = ""
    status: str = ""

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in pixels (text measured at ~7.4 px per character)."""
        if self.kind == "selection":
            return 14 + 6.6 * len(self.text), 22.0
        if self.kind == "cause":
            return 26.0, 26.0
        return 26 + 7.6 * len(self.text), 32.0


@dataclass(frozen=True)
class Edge:
    """`kind`: directed, selection, cause (from a latent common cause) or bidirected."""

    tail: str
    head: str
    kind: str
    source: str = ""
    status: str = ""


@dataclass(frozen=True)
class DiagramModel:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    sources: tuple[str, ...]

    def colour(self, source: str) -> str:
        return SOURCE_COLOURS[self.sources.index(source) % len(SOURCE_COLOURS)]

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


def cause_id(cause: LatentCause) -> str:
    return f"U:{cause.first}:{cause.second}"


def _sharing_detail(study: Study, variable: str) -> str:
    """Each source's status for the variable's mechanism, e.g. "gpt: shared; claude: partial"."""
    return "; ".join(f"{s.name}: {study.sharing(s.name, VariableMechanism(variable)).status}"
                     for s in study.sources)


def diagram_model(study: Study) -> DiagramModel:
    """Nodes and edges of the study's selection diagram, ready to lay out."""
    diagram = selection_diagram(study)
    nodes: list[Node] = []
    sharing = diagram.variable_sharing()
    for variable in study.variables:
        summary, detail = sharing[variable.name], _sharing_detail(study, variable.name)
        role = "treatment" if variable.is_treatment else "outcome" if variable.is_outcome else ""
        tooltip = " — ".join(x for x in (variable.name, variable.label,
                                         f"{variable.kind}", f"mechanism {detail}") if x)
        nodes.append(Node(variable.name, "latent" if not variable.observed else "variable",
                          variable.name, tooltip, summary, role))
    edges = [Edge(a, b, "directed") for a, b in study.directed]
    for a, b, cause in diagram.confounding():
        if cause is not None:
            nodes.append(Node(cause_id(cause), "cause", "U",
                              f"the unmeasured common cause of {a} and {b}"))
            edges += [Edge(cause_id(cause), a, "cause"), Edge(cause_id(cause), b, "cause")]
        else:
            edges.append(Edge(a, b, "bidirected"))
    for index, selection in enumerate(diagram.selection):
        node_id = f"S:{index}"
        target = selection.points_at
        head = cause_id(target) if isinstance(target, LatentCause) else target
        nodes.append(Node(node_id, "selection", f"S {selection.source}",
                          f"selection node of {selection.source}: the mechanism of "
                          f"{selection.mechanism.describe()} is {selection.status} "
                          f"relative to the target", source=selection.source,
                          status=selection.status))
        edges.append(Edge(node_id, head, "selection", selection.source, selection.status))
    return DiagramModel(tuple(nodes), tuple(edges), diagram.sources)
