"""The identification algorithms' own form of a selection diagram: `ProjectedDiagram`.

There is one selection diagram in the toolkit, `transport.graph.diagram.SelectionDiagram`
(the causal graph with latent variables and `<->` causes, and one typed `SelectionNode` per
source and mechanism that may differ). `ProjectedDiagram` is not a second copy of it but
the index the recursive algorithms search: its latent projection onto the observed
variables (an ADMG: directed and bidirected edges only), with all selection nodes of one
source merged into that source's `SourceIndicator`, and memo tables for the queries the
algorithms repeat (ancestors, districts, topological order, m-separation).

It is built by one function, `api.build_diagram`, from a `TransportProblem` (which
`from_study.problem_from_study` builds from a study's SelectionDiagram, or a caller writes by
hand); tests of the algorithms also build small ones with `ProjectedDiagram.build`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from transport.errors import ProblemError

Node = str


@dataclass(frozen=True, order=True)
class SourceIndicator:
    """S[source]: the selection indicator of one source population in a ProjectedDiagram.

    It stands for all of that source's `SelectionNode`s of the SelectionDiagram at once (one
    parentless node pointing at every variable any of them points at): a set of parentless
    nodes is m-separated from Y given Z exactly when their merge is, so the algorithms' tests
    of (S ⊥ Y | Z) need only one node per source. A typed value, never a name prefix.
    """

    source: str

    def __str__(self) -> str:
        return f"S[{self.source}]"


@dataclass(eq=False)
class ProjectedDiagram:
    """The algorithms' index of a selection diagram: an acyclic directed mixed graph over the
    observed `nodes` with one SourceIndicator per source (see the module docstring).

    `parents[v]` are the observed parents of v, `siblings[v]` the nodes sharing a bidirected
    edge with v, and `selection[S]` the observed nodes the indicator S points at (where its
    latent targets landed after projection; `origins` records which). Mutable only in its
    private memo tables.
    """

    nodes: frozenset[Node]
    parents: dict[Node, frozenset[Node]]
    siblings: dict[Node, frozenset[Node]]
    selection: dict[SourceIndicator, frozenset[Node]] = field(default_factory=dict)
    _children: dict[Node, frozenset[Node]] = field(default_factory=dict, repr=False)
    _order: tuple[Node, ...] = field(default=(), repr=False)
    _rank: dict[Node, int] = field(default_factory=dict, repr=False)
    _cache: dict[tuple, object] = field(default_factory=dict, repr=False)
    # For an indicator whose targets were latent: observed node -> the latent targets
    # that landed on it (see land_selection), so a witness blames the right mechanism.
    origins: dict[SourceIndicator, dict[Node, frozenset[Node]]] = field(default_factory=dict,
                                                                      repr=False)

    def __post_init__(self) -> None:
        if self._order:
            return  # derived from a diagram with the same ADMG (see with_selection)
        children: dict[Node, set[Node]] = {v: set() for v in self.nodes}
        for v, ps in self.parents.items():
            for p in ps:
                children[p].add(v)
        self._children = {v: frozenset(c) for v, c in children.items()}
        self._order = _topological_order(self.nodes, self.parents)
        self._rank = {v: i for i, v in enumerate(self._order)}

    # ----- construction -------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        nodes: Iterable[Node],
        directed: Iterable[tuple[Node, Node]] = (),
        bidirected: Iterable[tuple[Node, Node]] = (),
        selection: dict[SourceIndicator, Iterable[Node]] | None = None,
    ) -> ProjectedDiagram:
        """Build a diagram from edge lists (all nodes observed); raises ValueError if cyclic."""
        vs = frozenset(nodes)
        parents: dict[Node, set[Node]] = {v: set() for v in vs}
        siblings: dict[Node, set[Node]] = {v: set() for v in vs}
        for a, b in directed:
            _require(vs, a, b)
            parents[b].add(a)
        for a, b in bidirected:
            _require(vs, a, b)
            if a != b:
                siblings[a].add(b)
                siblings[b].add(a)
        sel = {s: frozenset(t) for s, t in (selection or {}).items()}
        for targets in sel.values():
            _require(vs, *targets)
        return cls(
            vs,
            {v: frozenset(p) for v, p in parents.items()},
            {v: frozenset(s) for v, s in siblings.items()},
            sel,
        )

    # ----- basic queries ------------------------------------------------------------------
    @property
    def order(self) -> tuple[Node, ...]:
        """A fixed topological order of all nodes (parents before children)."""
        return self._order

    def sort(self, nodes: Iterable[Node]) -> tuple[Node, ...]:
        """The given nodes in topological order."""
        return tuple(sorted(nodes, key=self._rank.__getitem__))

    def children(self, v: Node) -> frozenset[Node]:
        """Observed children of v."""
        return self._children[v]

    def ancestors(self, nodes: frozenset[Node],
                  within: frozenset[Node] | None = None) -> frozenset[Node]:
        """Ancestors of `nodes` (inclusive) in the induced subgraph on `within`."""
        return self._reach("an", nodes, within, self.parents)

    def descendants(self, nodes: frozenset[Node],
                    within: frozenset[Node] | None = None) -> frozenset[Node]:
        """Descendants of `nodes` (inclusive) in the induced subgraph on `within`."""
        return self._reach("de", nodes, within, self._children)

    def _reach(self, kind: str, nodes: frozenset[Node], within: frozenset[Node] | None,
               neighbours) -> frozenset[Node]:
        """Nodes reachable from `nodes` (inclusive) along `neighbours`, inside `within`;
        cached per (kind, nodes, within)."""
        within = self.nodes if within is None else within
        key = (kind, nodes, within)
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        seen = set(nodes & within)
        stack = list(seen)
        while stack:
            for n in neighbours[stack.pop()]:
                if n in within and n not in seen:
                    seen.add(n)
                    stack.append(n)
        result = frozenset(seen)
        self._cache[key] = result
        return result

    def districts(self, within: frozenset[Node] | None = None) -> tuple[frozenset[Node], ...]:
        """The c-components (districts) of the induced subgraph on `within`, in a fixed order."""
        within = self.nodes if within is None else within
        key = ("cc", within)
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        remaining = set(within)
        comps: list[frozenset[Node]] = []
        for start in self._order:
            if start not in remaining:
                continue
            comp = {start}
            remaining.discard(start)
            stack = [start]
            while stack:
                v = stack.pop()
                for s in self.siblings[v]:
                    if s in remaining:
                        remaining.discard(s)
                        comp.add(s)
                        stack.append(s)
            comps.append(frozenset(comp))
        result = tuple(comps)
        self._cache[key] = result
        return result

    def district_of(self, v: Node, within: frozenset[Node]) -> frozenset[Node]:
        """The district of the induced subgraph on `within` that contains v."""
        for comp in self.districts(within):
            if v in comp:
                return comp
        raise KeyError(v)

    def ancestors_without_incoming(self, y: frozenset[Node], x: frozenset[Node],
                                   within: frozenset[Node]) -> frozenset[Node]:
        """Ancestors of y in G[within] with the edges into x removed (An(Y)_{G_{X-bar}})."""
        key = ("anx", y, x, within)
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        seen = set(y & within)
        stack = [v for v in seen if v not in x]
        while stack:
            v = stack.pop()
            for p in self.parents[v]:
                if p in within and p not in seen:
                    seen.add(p)
                    if p not in x:
                        stack.append(p)
        result = frozenset(seen)
        self._cache[key] = result
        return result

    # ----- derived diagrams ---------------------------------------------------------------
    def with_selection(self, selection: dict[SourceIndicator, frozenset[Node]],
                       origins: dict[SourceIndicator, dict[Node, frozenset[Node]]] | None = None
                       ) -> ProjectedDiagram:
        """The same ADMG with a different set of indicators (sharing the memo tables);
        `origins` as in `latent_origins`, else those of this diagram."""
        if len(self._cache) > 200_000:
            self._cache.clear()
        return ProjectedDiagram(self.nodes, self.parents, self.siblings, dict(selection),
                       self._children, self._order, self._rank, self._cache,
                       self.origins if origins is None else origins)

    def induced(self, keep: frozenset[Node]) -> ProjectedDiagram:
        """The induced subdiagram G[keep] (indicators keep their targets inside keep)."""
        parents = {v: self.parents[v] & keep for v in keep}
        siblings = {v: self.siblings[v] & keep for v in keep}
        selection = {s: t & keep for s, t in self.selection.items() if t & keep}
        return ProjectedDiagram(frozenset(keep), parents, siblings, selection, origins=self.origins)

    def project(self, keep: frozenset[Node]) -> ProjectedDiagram:
        """Latent projection onto `keep`: the other observed nodes become unobserved."""
        return project(self, keep)


def _require(nodes: frozenset[Node], *names: Node) -> None:
    for n in names:
        if n not in nodes:
            raise ProblemError(f"unknown variable {n!r}")


def _topological_order(nodes: frozenset[Node], parents: dict[Node, frozenset[Node]]) -> tuple:
    indeg = {v: len(parents[v]) for v in nodes}
    children: dict[Node, list[Node]] = {v: [] for v in nodes}
    for v in nodes:
        for p in parents[v]:
            children[p].append(v)
    ready = sorted(v for v, d in indeg.items() if d == 0)
    order: list[Node] = []
    while ready:
        v = ready.pop(0)
        order.append(v)
        for c in sorted(children[v]):
            indeg[c] -= 1
            if indeg[c] == 0:
                ready.append(c)
        ready.sort()
    if len(order) != len(nodes):
        raise ProblemError("the causal graph has a directed cycle")
    return tuple(order)


def project(diagram: ProjectedDiagram, keep: frozenset[Node]) -> ProjectedDiagram:
    """Verma–Pearl latent projection of an observed diagram onto `keep`."""
    hidden = diagram.nodes - keep
    directed = [(p, v) for v in diagram.nodes for p in diagram.parents[v]]
    bidirected = [(a, b) for a in diagram.nodes for b in diagram.siblings[a] if a < b]
    selection = {s: set(t) for s, t in diagram.selection.items()}
    return latent_projection(diagram.nodes, directed, bidirected, hidden, selection)


def latent_projection(
    nodes: Iterable[Node],
    directed: Iterable[tuple[Node, Node]],
    bidirected: Iterable[tuple[Node, Node]],
    latent: Iterable[Node],
    selection: dict[SourceIndicator, set[Node] | frozenset[Node]],
) -> ProjectedDiagram:
    """Project a graph with latent nodes onto its observed nodes (Verma & Pearl 1990).

    a -> b is kept when some directed path a -> ... -> b has only latent intermediate nodes;
    a <-> b when a latent node (or an input bidirected edge, read as a latent with two
    children) reaches both a and b through latent-only directed paths. An indicator
    pointing at a latent node ends up pointing at every observed node that latent reaches.
    """
    base, landing = project_admg(tuple(nodes), tuple(directed), tuple(bidirected),
                                 frozenset(latent))
    return base.with_selection(land_selection(selection, landing))


def land_selection(selection: dict[SourceIndicator, set[Node] | frozenset[Node]],
                   landing: dict[Node, frozenset[Node]]) -> dict[SourceIndicator, frozenset[Node]]:
    """Selection targets moved onto observed nodes (a latent target lands on what it reaches)."""
    out = {}
    for s, targets in selection.items():
        hit: set[Node] = set()
        for t in targets:
            if t not in landing:
                raise ProblemError(f"selection of {s} mentions unknown variable {t!r}")
            hit |= landing[t]
        if hit:
            out[s] = frozenset(hit)
    return out


def latent_origins(selection: dict[SourceIndicator, set[Node] | frozenset[Node]],
                   landing: dict[Node, frozenset[Node]]
                   ) -> dict[SourceIndicator, dict[Node, frozenset[Node]]]:
    """For each indicator, each observed node a latent target landed on, with those
    latent targets, and the node itself when it is a target too."""
    out: dict[SourceIndicator, dict[Node, frozenset[Node]]] = {}
    for s, targets in selection.items():
        found: dict[Node, set[Node]] = {}
        for t in targets:
            if landing.get(t, frozenset({t})) != frozenset({t}):
                for n in landing[t]:
                    found.setdefault(n, set()).add(t)
        for n in found:
            if n in targets:
                found[n].add(n)
        if found:
            out[s] = {n: frozenset(ts) for n, ts in found.items()}
    return out


@lru_cache(maxsize=32)
def project_admg(nodes: tuple[Node, ...], directed: tuple[tuple[Node, Node], ...],
                 bidirected: tuple[tuple[Node, Node], ...], latent: frozenset[Node]
                 ) -> tuple[ProjectedDiagram, dict[Node, frozenset[Node]]]:
    """The projected ADMG (no indicators) and, for every node, the observed nodes that
    stand in for it (itself if observed, the observed nodes a latent reaches otherwise)."""
    all_nodes = list(dict.fromkeys(nodes))
    hidden = latent
    observed = [v for v in all_nodes if v not in hidden]
    children: dict[Node, set[Node]] = {v: set() for v in all_nodes}
    for a, b in directed:
        if a not in children or b not in children:
            raise ProblemError(f"edge {a} -> {b} mentions an unknown variable")
        children[a].add(b)
    # Acyclicity of the full graph (including latents).
    _topological_order(frozenset(all_nodes), _parents_from_children(children))

    reach_cache: dict[Node, frozenset[Node]] = {}

    def reach(v: Node) -> frozenset[Node]:
        """Observed nodes reachable from v through latent-only intermediate nodes (exclusive)."""
        if v in reach_cache:
            return reach_cache[v]
        out: set[Node] = set()
        for c in children[v]:
            if c in hidden:
                out |= reach(c)
            else:
                out.add(c)
        reach_cache[v] = frozenset(out)
        return reach_cache[v]

    landing = {v: (reach(v) if v in hidden else frozenset({v})) for v in all_nodes}
    out_directed = [(a, b) for a in observed for b in reach(a)]
    out_bidirected: list[tuple[Node, Node]] = []
    for u in hidden:
        group = sorted(reach(u))
        out_bidirected.extend(combinations(group, 2))
    for a, b in bidirected:
        if a not in children or b not in children:
            raise ProblemError(f"edge {a} <-> {b} mentions an unknown variable")
        group = sorted(landing[a] | landing[b])
        out_bidirected.extend(combinations(group, 2))
    return ProjectedDiagram.build(observed, out_directed, out_bidirected), landing


def _parents_from_children(children: dict[Node, set[Node]]) -> dict[Node, frozenset[Node]]:
    parents: dict[Node, set[Node]] = {v: set() for v in children}
    for a, cs in children.items():
        for c in cs:
            parents[c].add(a)
    return {v: frozenset(p) for v, p in parents.items()}


def m_separated(
    diagram: ProjectedDiagram,
    xs: Iterable[Node | SourceIndicator],
    ys: Iterable[Node],
    given: Iterable[Node],
    cut_incoming: Iterable[Node] = (),
    cut_outgoing: Iterable[Node] = (),
) -> bool:
    """Are xs and ys m-separated given `given` in the diagram with its source indicators?

    `cut_incoming` removes the edges into those nodes (do-intervention, G_{X-bar});
    `cut_outgoing` removes the edges out of them (G_{Z-underbar}). Indicators may
    appear in xs (the others are fixed indicators and play no part). Uses the reachability
    ("Bayes ball") procedure on mixed graphs.
    """
    xs, ys, z = frozenset(xs), frozenset(ys), frozenset(given)
    cin, cout = frozenset(cut_incoming), frozenset(cut_outgoing)
    selected = frozenset((s, diagram.selection.get(s)) for s in xs
                         if isinstance(s, SourceIndicator))
    key = ("msep", xs, ys, z, cin, cout, selected)
    hit = diagram._cache.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    sel_parents: dict[Node, set[SourceIndicator]] = {}
    for s, targets in diagram.selection.items():
        if s not in xs:
            continue  # the other indicators are fixed, never on a path
        for t in targets:
            sel_parents.setdefault(t, set()).add(s)

    def parents(v: Node | SourceIndicator) -> Iterable[Node | SourceIndicator]:
        if isinstance(v, SourceIndicator) or v in cin:
            return ()
        return [p for p in diagram.parents[v] if p not in cout] + list(sel_parents.get(v, ()))

    def children(v: Node | SourceIndicator) -> Iterable[Node]:
        if v in cout:
            return ()
        cs = diagram.selection.get(v, frozenset()) if isinstance(v, SourceIndicator) \
            else diagram.children(v)
        return [c for c in cs if c not in cin]

    def siblings(v: Node | SourceIndicator) -> Iterable[Node]:
        if isinstance(v, SourceIndicator) or v in cin:
            return ()
        return [s for s in diagram.siblings[v] if s not in cin]

    # Nodes with a descendant in z (colliders there are open), in the mutilated graph.
    anc: set[Node | SourceIndicator] = set(z)
    stack: list[Node | SourceIndicator] = list(z)
    while stack:
        v = stack.pop()
        for p in parents(v):
            if p not in anc:
                anc.add(p)
                stack.append(p)
    # States: (node, arrived_with_arrowhead)
    visited: set[tuple[Node | SourceIndicator, bool]] = set()
    frontier = [(x, False) for x in xs]
    separated = True
    while frontier:
        v, head = frontier.pop()
        if (v, head) in visited:
            continue
        visited.add((v, head))
        if v not in z and v in ys:
            separated = False
            break
        if not head:
            if v in z:
                continue
            frontier.extend((p, False) for p in parents(v))
            frontier.extend((c, True) for c in children(v))
            frontier.extend((s, True) for s in siblings(v))
        else:
            if v not in z:
                frontier.extend((c, True) for c in children(v))
            if v in anc:
                frontier.extend((p, False) for p in parents(v))
                frontier.extend((s, True) for s in siblings(v))
    diagram._cache[key] = separated
    return separated


def names(nodes: Iterable[Node | SourceIndicator]) -> str:
    """Human-readable set of node names, e.g. "{x, z}"."""
    return "{" + ", ".join(sorted(str(n) for n in nodes)) + "}"
