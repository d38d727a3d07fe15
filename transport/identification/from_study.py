"""From a checked study to the identification problem: the selection diagram plus what
each data statement measures (known from the `.tdag` file alone, before any data exist)."""

from __future__ import annotations

from transport.graph.diagram import LatentCause, SelectionDiagram, selection_diagram
from transport.identification.problem import Dataset, TransportProblem
from transport.study import Study


def latent_cause_name(cause: LatentCause) -> str:
    """The node name of an explicit `<->` common cause; `[` cannot occur in a variable name."""
    return cause.label


def problem_from_study(study: Study, diagram: SelectionDiagram | None = None) -> TransportProblem:
    """The TransportProblem of the study's query over its selection diagram and data."""
    diagram = diagram or selection_diagram(study)
    graph = diagram.graph
    causes = diagram.latent_causes()
    directed = list(graph.directed)
    bidirected = []
    for a, b, cause in diagram.confounding():
        if cause is not None:
            directed += [(latent_cause_name(cause), a), (latent_cause_name(cause), b)]
        else:
            bidirected.append((a, b))
    selection: dict[str, frozenset[str]] = {}
    for source in diagram.sources:
        selection[source] = frozenset(
            latent_cause_name(t) if isinstance(t, LatentCause) else t
            for t in diagram.selected(source)
        )
    datasets = tuple(
        Dataset(spec.population, frozenset(spec.randomized), frozenset(spec.measures))
        for spec in study.data
    )
    _within_limit(len(graph.nodes) + len(causes))
    return TransportProblem(
        nodes=graph.nodes + tuple(latent_cause_name(c) for c in causes),
        directed=tuple(directed),
        bidirected=tuple(bidirected),
        latent=frozenset(graph.latent) | {latent_cause_name(c) for c in causes},
        target=diagram.target,
        sources=diagram.sources,
        selection=selection,
        datasets=datasets,
        treatment=(study.query.treatment,),
        outcome=(study.query.outcome,),
    )


def _within_limit(nodes: int) -> None:
    """LimitError for a diagram too large to search in reasonable time and memory."""
    from transport.limits import IDENTIFY_NODES, LimitError

    limit = IDENTIFY_NODES.value()
    if nodes > limit:
        raise LimitError(
            f"the study has {nodes:,} variables (latent causes included), more than the "
            f"{limit:,} that identification searches (its cost grows faster than the square "
            f"of the size); set {IDENTIFY_NODES.variable} to raise the limit")
