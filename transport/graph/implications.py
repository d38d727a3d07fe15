"""The conditional independencies a causal graph implies among the variables a dataset measures.

The graph may have latent variables and `<->` arcs (an unmeasured common cause of the two
ends). Both are handled by turning each `<->` arc into an explicit latent parent of its two
ends, so that m-separation in the mixed graph is d-separation in a DAG with latent nodes.

The basis listed is one statement per pair of measured variables that some set of measured
variables separates (dagitty's "missing edge" implications, which list every minimal
separator of such a pair; this module lists one): the separator is a minimal subset of the
pair's measured parents when those separate it, else a minimal subset of the pair's measured
ancestors. A pair that no measured set separates (adjacent, or joined through unmeasured
variables) implies no conditional independence. Equality constraints that are not
independencies (Verma constraints) are not listed.

Separation uses Lauritzen's criterion (x and y are d-separated by Z iff Z separates them in
the moral graph of the ancestors of {x, y} ∪ Z); minimal separators come from the two-pass
reachability of Tian, Paz & Pearl (1998), "Finding minimal d-separators", the procedure
dagitty also uses. Pure Python; O(pairs × (V + E)) for a graph of V nodes and E edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from transport.graph.algorithms import descendants
from transport.graph.diagram import CausalGraph, LatentCause


@dataclass(frozen=True, order=True)
class Independence:
    """`first` and `second` are independent given `given` (names sorted; first < second)."""

    first: str
    second: str
    given: tuple[str, ...] = ()

    @property
    def statement(self) -> str:
        """dagitty's notation: `a _||_ b | c, d`."""
        text = f"{self.first} _||_ {self.second}"
        return text + (f" | {', '.join(self.given)}" if self.given else "")

    @property
    def variables(self) -> tuple[str, ...]:
        return (self.first, self.second, *self.given)


class _Dag:
    """The graph with each `<->` arc replaced by an explicit latent parent of its ends."""

    def __init__(self, graph: CausalGraph) -> None:
        self.observed = frozenset(graph.observed)
        self.parents: dict[object, set[object]] = {v: set() for v in graph.observed}
        for v in graph.latent:
            self.parents.setdefault(v, set())
        for tail, head in graph.directed:
            self.parents.setdefault(tail, set())
            self.parents.setdefault(head, set()).add(tail)
        for a, b in graph.bidirected:
            cause = LatentCause(*sorted((a, b)))
            self.parents.setdefault(cause, set())
            self.parents.setdefault(a, set()).add(cause)
            self.parents.setdefault(b, set()).add(cause)

    def ancestors(self, start: Iterable[object]) -> set[object]:
        seen = set(start)
        stack = list(seen)
        while stack:
            for parent in self.parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    def moral_graph(self, nodes: set[object]) -> dict[object, set[object]]:
        """The moral graph of an ancestral set: parent-child links and married parents."""
        links: dict[object, set[object]] = {v: set() for v in nodes}
        for child in nodes:
            parents = [p for p in self.parents[child] if p in nodes]
            for p in parents:
                links[p].add(child)
                links[child].add(p)
            for i, p in enumerate(parents):
                for q in parents[i + 1:]:
                    links[p].add(q)
                    links[q].add(p)
        return links


def _reached(links: dict[object, set[object]], start: object, blocked: set[object]) -> set[object]:
    """The nodes of `blocked` met by walking from `start` without passing through `blocked`."""
    seen = {start}
    stack = [start]
    met: set[object] = set()
    while stack:
        for neighbour in links[stack.pop()]:
            if neighbour in seen:
                continue
            seen.add(neighbour)
            if neighbour in blocked:
                met.add(neighbour)
            else:
                stack.append(neighbour)
    return met


def m_separated(graph: CausalGraph, first: str, second: str, given: Iterable[str] = ()) -> bool:
    """Whether `given` m-separates `first` from `second` in the mixed graph."""
    dag = _Dag(graph)
    z = set(given) - {first, second}
    links = dag.moral_graph(dag.ancestors({first, second} | z))
    return second not in _reachable(links, first, z)


def _reachable(
    links: dict[object, set[object]], start: object, blocked: set[object]
) -> set[object]:
    """The nodes reached from `start` without passing through `blocked`."""
    seen = {start}
    stack = [start]
    while stack:
        for neighbour in links[stack.pop()]:
            if neighbour not in seen and neighbour not in blocked:
                seen.add(neighbour)
                stack.append(neighbour)
    return seen


def minimal_separator(graph: CausalGraph, first: str, second: str) -> tuple[str, ...] | None:
    """A minimal set of observed variables that m-separates the pair, preferring a subset of
    their observed parents; None when no set of observed variables separates them."""
    if first == second or graph.adjacent(first, second):
        return None
    dag = _Dag(graph)
    ancestral = dag.ancestors({first, second})
    links = dag.moral_graph(ancestral)
    parents = {p for v in (first, second) for p in dag.parents[v] if p in dag.observed}
    observed_ancestors = {v for v in ancestral if v in dag.observed}
    for candidate in (parents, observed_ancestors):
        z = set(candidate) - {first, second}
        if second in _reachable(links, first, z):
            continue
        near_first = _reached(links, first, z)
        near_both = _reached(links, second, near_first)
        return tuple(sorted(str(v) for v in near_both))
    return None


def implied_independencies(graph: CausalGraph) -> tuple[Independence, ...]:
    """One independence per separable pair of observed variables (sorted by pair)."""
    names = sorted(graph.observed)
    found = []
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            given = minimal_separator(graph, first, second)
            if given is not None:
                found.append(Independence(first, second, given))
    return tuple(found)


def edge_to_add(graph: CausalGraph, first: str, second: str) -> str:
    """The line that would join two variables: `a -> b` in the direction that keeps the graph
    acyclic (the earlier name first when either direction would), or `a <-> b`."""
    tail, head = first, second
    if first in descendants(graph.directed, second):
        tail, head = second, first
    return f"add `{tail} -> {head}` or `{first} <-> {second}`"
