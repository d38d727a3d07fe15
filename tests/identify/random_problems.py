"""Random ADMGs and selection diagrams for property and cross-check tests."""

from __future__ import annotations

import random

from transport.identify.graph import Diagram
from transport.identify.problem import Dataset, TransportProblem


def random_admg(rng: random.Random, n: int, p_dir: float = 0.4, p_bi: float = 0.3
                ) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Nodes v0..v{n-1} in topological order, random directed and bidirected edges."""
    nodes = [f"v{i}" for i in range(n)]
    directed = [(nodes[i], nodes[j]) for i in range(n) for j in range(i + 1, n)
                if rng.random() < p_dir]
    bidirected = [(nodes[i], nodes[j]) for i in range(n) for j in range(i + 1, n)
                  if rng.random() < p_bi]
    return nodes, directed, bidirected


def random_diagram(rng: random.Random, n: int, p_dir: float = 0.4, p_bi: float = 0.3) -> Diagram:
    """A random observed ADMG as a Diagram."""
    nodes, directed, bidirected = random_admg(rng, n, p_dir, p_bi)
    return Diagram.build(nodes, directed, bidirected)


def random_query(rng: random.Random, nodes: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A treatment and a later outcome (single variables, sometimes two treatments)."""
    j = rng.randrange(1, len(nodes))
    y = nodes[j]
    xs = rng.sample(nodes[:j], k=min(j, rng.choice([1, 1, 2])))
    return tuple(sorted(xs)), (y,)


def random_problem(rng: random.Random, n: int, max_bi: int = 3, partial: bool = False
                   ) -> TransportProblem:
    """A random transport problem: a target, one or two sources, random selection sets and
    random datasets (target observational, source experiments), with at most `max_bi`
    bidirected edges so exact enumeration stays small."""
    nodes, directed, bidirected = random_admg(rng, n, 0.45, 0.35)
    rng.shuffle(bidirected)
    bidirected = bidirected[:max_bi]
    x, y = random_query(rng, nodes)
    sources = tuple(f"src{i}" for i in range(rng.choice([1, 1, 2])))
    selection = {s: frozenset(v for v in nodes if rng.random() < 0.3) for s in sources}
    every = frozenset(nodes)

    def measured() -> frozenset[str]:
        if not partial or rng.random() < 0.4:
            return every
        return frozenset(v for v in nodes if v in x or v in y or rng.random() < 0.6)

    datasets = [Dataset("target", frozenset(), measured())] if rng.random() < 0.85 else []
    for s in sources:
        for _ in range(rng.choice([1, 2])):
            z = frozenset(v for v in nodes if v != y[0] and rng.random() < 0.3)
            if rng.random() < 0.5:
                z |= frozenset(x)
            datasets.append(Dataset(s, z, measured()))
    return TransportProblem(
        nodes=tuple(nodes), directed=tuple(directed), bidirected=tuple(bidirected),
        latent=frozenset(), target="target", sources=sources, selection=selection,
        datasets=tuple(datasets), treatment=x, outcome=y)
