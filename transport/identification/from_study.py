"""From a checked study to the identification problem: the selection diagram plus what
each data statement measures (known from the `.tdag` file alone, before any data exist)."""

from __future__ import annotations

from dataclasses import replace

from transport.graph.diagram import LatentCause, SelectionDiagram, selection_diagram
from transport.identification.api import Identification, identify
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


def identify_study(study: Study) -> Identification:
    """Is the study's target effect transportable from what its data statements provide?
    The identification stage's own entry point for a checked study (the estimate and report
    stages call this, never the API above them).

    The problem names a `<->` pair's explicit common cause `U[a,b]`, which is not `.tdag`
    syntax: a suggestion to share it says `a <-> b` (as `shared a <-> b` is written), and
    the witness and derivation call it the common cause behind `a <-> b`."""
    diagram = selection_diagram(study)
    answer = identify(problem_from_study(study, diagram))
    causes = diagram.latent_causes()
    if not causes:
        return answer
    arcs = {latent_cause_name(c): f"{c.first} <-> {c.second}" for c in causes}

    def prose(text: str) -> str:
        for label, arc in arcs.items():
            text = text.replace(label, f"common cause behind {arc}")
        return text

    suggestions = tuple(
        replace(s, variables=tuple(arcs.get(v, v) for v in s.variables))
        for s in answer.suggestions
    )
    return replace(answer, suggestions=suggestions,
                   witness=prose(answer.witness) if answer.witness else answer.witness,
                   trace=tuple(prose(step) for step in answer.trace))


def _within_limit(nodes: int) -> None:
    """LimitError for a diagram too large to search in reasonable time and memory."""
    from transport.limits import IDENTIFY_NODES, LimitError

    limit = IDENTIFY_NODES.value()
    if nodes > limit:
        raise LimitError(
            f"the study has {nodes:,} variables (latent causes included), more than the "
            f"{limit:,} that identification searches (its cost grows faster than the square "
            f"of the size); set {IDENTIFY_NODES.variable} to raise the limit")
