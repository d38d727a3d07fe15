"""The causal graph and the selection diagram, as immutable values.

A selection node is a typed value (never a name prefix): it records the source population
it belongs to and the mechanism it points at. For a `<->` pair whose common cause may
differ, the diagram makes that latent cause explicit so the selection node can point at it.

These are the toolkit's only selection node and selection diagram. Identification searches
an index derived from them (`identification.graph.ProjectedDiagram`: the latent projection,
with one `SourceIndicator` per source standing for all of that source's selection nodes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transport.study import ConfounderMechanism, SharingStatus, Study, VariableMechanism

if TYPE_CHECKING:  # networkx only when a caller asks for a networkx graph
    import networkx as nx


@dataclass(frozen=True, order=True)
class LatentCause:
    """The unmeasured common cause written `first <-> second`."""

    first: str
    second: str

    @property
    def label(self) -> str:
        return f"U[{self.first},{self.second}]"


@dataclass(frozen=True, order=True)
class SelectionNode:
    """S: the mechanism it points at may differ between `source` and the target (one node
    per source and non-shared mechanism; `status` says whether it differs, is partial or
    was left undeclared)."""

    source: str
    mechanism: VariableMechanism | ConfounderMechanism
    status: SharingStatus

    @property
    def label(self) -> str:
        return f"S[{self.source}:{self.mechanism.describe()}]"

    @property
    def points_at(self) -> str | LatentCause:
        if isinstance(self.mechanism, VariableMechanism):
            return self.mechanism.variable
        return LatentCause(self.mechanism.first, self.mechanism.second)


@dataclass(frozen=True)
class CausalGraph:
    """Variables (observed and latent), directed edges, and `<->` arcs; the same in every
    population. The toolkit's one causal-graph value: the selection diagram holds one, and
    the graph's implied independencies (`graph.implications`) are computed on one."""

    observed: tuple[str, ...]
    latent: tuple[str, ...]
    directed: tuple[tuple[str, str], ...]
    bidirected: tuple[tuple[str, str], ...]

    @property
    def nodes(self) -> tuple[str, ...]:
        return self.observed + self.latent

    def restricted(self, measured: Iterable[str], randomized: Iterable[str] = ()) -> CausalGraph:
        """The graph a dataset sees: variables it does not measure become latent, and a
        randomized variable loses every edge into it (its value was set by the design, so
        neither its parents nor an unmeasured common cause reach it)."""
        keep = set(measured)
        cut = set(randomized)
        observed = tuple(v for v in self.observed if v in keep)
        latent = self.latent + tuple(v for v in self.observed if v not in keep)
        directed = tuple((a, b) for a, b in self.directed if b not in cut)
        bidirected = tuple((a, b) for a, b in self.bidirected if a not in cut and b not in cut)
        return CausalGraph(observed, latent, directed, bidirected)

    def adjacent(self, a: str, b: str) -> bool:
        """Joined by a directed edge or a `<->` arc."""
        pair = {(a, b), (b, a)}
        return any(e in pair for e in self.directed) or any(e in pair for e in self.bidirected)

    def to_networkx(self) -> nx.DiGraph:
        """A new DiGraph: directed edges only (flagged `directed`), `latent` flag on nodes."""
        import networkx as nx

        graph = nx.DiGraph()
        for name in self.observed:
            graph.add_node(name, latent=False)
        for name in self.latent:
            graph.add_node(name, latent=True)
        graph.add_edges_from(self.directed, directed=True, bidirected=False, selection=False)
        return graph


@dataclass(frozen=True)
class SelectionDiagram:
    """The causal graph plus, per source, a selection node at each mechanism that is not
    shared with the target (differs, partial or undeclared)."""

    graph: CausalGraph
    target: str
    sources: tuple[str, ...]
    selection: tuple[SelectionNode, ...]

    def for_source(self, source: str) -> SelectionDiagram:
        """The diagram of one source against the target."""
        if source not in self.sources:
            raise KeyError(source)
        kept = tuple(s for s in self.selection if s.source == source)
        return SelectionDiagram(self.graph, self.target, (source,), kept)

    def selected(self, source: str) -> frozenset[str | LatentCause]:
        """What the source's selection nodes point at."""
        return frozenset(s.points_at for s in self.selection if s.source == source)

    def variable_sharing(self) -> dict[str, str]:
        """Per variable: "shared" when no source's selection node points at it, "differs"
        when every source's does, "mixed" otherwise (the colours of every drawing's legend:
        the report's and each export's)."""
        pointing: dict[str, set[str]] = {}
        for node in self.selection:
            if isinstance(node.points_at, str):
                pointing.setdefault(node.points_at, set()).add(node.source)
        summary = {}
        for name in self.graph.nodes:
            count = len(pointing.get(name, set()) & set(self.sources))
            summary[name] = ("shared" if count == 0 else "differs" if count == len(self.sources)
                             else "mixed")
        return summary

    def latent_causes(self) -> tuple[LatentCause, ...]:
        """The `<->` common causes that some selection node points at."""
        return tuple(sorted({s.points_at for s in self.selection
                             if isinstance(s.points_at, LatentCause)}))

    def confounding(self) -> tuple[tuple[str, str, LatentCause | None], ...]:
        """Each `<->` pair with its explicit latent cause when a selection node points at it
        (the cause is then drawn as a node), else None (drawn as a bidirected arc)."""
        made = set(self.latent_causes())
        return tuple(
            (a, b, LatentCause(a, b) if LatentCause(a, b) in made else None)
            for a, b in self.graph.bidirected
        )

    def to_networkx(self) -> nx.DiGraph:
        """A new DiGraph with variables, explicit latent causes where selected, `<->` arcs
        kept as edge pairs, and typed selection nodes.

        Every edge carries three flags: `directed` (an arrow of the causal graph, from a
        variable or an explicit latent cause), `bidirected` (half of a `<->` arc) and
        `selection` (from a selection node). A pair written both `z -> x` and `x <-> z` is
        one edge z → x with `directed` and `bidirected` both true, and x → z with only
        `bidirected`, so neither statement is lost."""
        graph = self.graph.to_networkx()
        for a, b, cause in self.confounding():
            if cause is not None:
                graph.add_node(cause, latent=True, kind="latent_cause")
                graph.add_edge(cause, a, directed=True, bidirected=False, selection=False)
                graph.add_edge(cause, b, directed=True, bidirected=False, selection=False)
                continue
            for tail, head in ((a, b), (b, a)):
                if graph.has_edge(tail, head):
                    graph.edges[tail, head]["bidirected"] = True
                else:
                    graph.add_edge(tail, head, directed=False, bidirected=True,
                                   selection=False)
        for node in self.selection:
            graph.add_node(node, kind="selection", source=node.source)
            graph.add_edge(node, node.points_at, directed=False, bidirected=False,
                           selection=True)
        return graph


def causal_graph(study: Study) -> CausalGraph:
    """The study's causal graph over its declared variables."""
    observed = tuple(v.name for v in study.variables if v.observed)
    latent = tuple(v.name for v in study.variables if not v.observed)
    return CausalGraph(observed, latent, study.directed, study.bidirected)


def selection_diagram(study: Study) -> SelectionDiagram:
    """Compile a checked study into its selection diagram (one node per non-shared
    mechanism per source)."""
    nodes = tuple(
        SelectionNode(row.source, row.mechanism, row.sharing.status)
        for row in study.assumptions
        if not row.sharing.transports
        and isinstance(row.mechanism, VariableMechanism | ConfounderMechanism)
    )
    return SelectionDiagram(
        causal_graph(study), study.target.name, tuple(p.name for p in study.sources), nodes
    )
