"""Random ADMGs and selection diagrams for property and cross-check tests."""

from __future__ import annotations

import random

from transport.identification.graph import ProjectedDiagram
from transport.identification.problem import Dataset, TransportProblem


def random_admg(rng: random.Random, n: int, p_dir: float = 0.4, p_bi: float = 0.3
                ) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Nodes v0..v{n-1} in topological order, random directed and bidirected edges."""
    nodes = [f"v{i}" for i in range(n)]
    directed = [(nodes[i], nodes[j]) for i in range(n) for j in range(i + 1, n)
                if rng.random() < p_dir]
    bidirected = [(nodes[i], nodes[j]) for i in range(n) for j in range(i + 1, n)
                  if rng.random() < p_bi]
    return nodes, directed, bidirected


def random_diagram(rng: random.Random, n: int, p_dir: float = 0.4,
                   p_bi: float = 0.3) -> ProjectedDiagram:
    """A random observed ADMG as a ProjectedDiagram."""
    nodes, directed, bidirected = random_admg(rng, n, p_dir, p_bi)
    return ProjectedDiagram.build(nodes, directed, bidirected)


def random_query(rng: random.Random, nodes: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A treatment and a later outcome (single variables, sometimes two treatments)."""
    j = rng.randrange(1, len(nodes))
    y = nodes[j]
    xs = rng.sample(nodes[:j], k=min(j, rng.choice([1, 1, 2])))
    return tuple(sorted(xs)), (y,)


def random_problem(rng: random.Random, n: int, max_bi: int = 3, partial: bool = False,
                   latents: bool = False, richer: bool = False) -> TransportProblem:
    """A random transport problem: a target, one or two sources, random selection sets and
    random datasets (target observational data and sometimes a target experiment, source
    experiments), with at most `max_bi` bidirected edges so exact enumeration stays small.

    With `richer`, some queries have two outcomes and the target sometimes also has an
    experiment (off by default, so that a seed always gives the same single-outcome problem).
    With `latents`, some confounded pairs become explicit latent nodes "U[a,b]" (as the front
    end writes them), which selection sets may name; with `partial`, datasets measure random
    subsets that always include the query variables.
    """
    nodes, directed, bidirected = random_admg(rng, n, 0.45, 0.35)
    rng.shuffle(bidirected)
    bidirected = bidirected[:max_bi]
    j = rng.randrange(1, n)
    if richer and j >= 2 and rng.random() < 0.2:
        y = tuple(sorted(rng.sample(nodes[j - 1:j + 1], 2)))
        j -= 1
    else:
        y = (nodes[j],)
    x = tuple(sorted(rng.sample(nodes[:j], k=min(j, rng.choice([1, 1, 2])))))
    latent_nodes: list[str] = []
    if latents:
        kept = []
        for a, b in bidirected:
            if rng.random() < 0.5:
                u = f"U[{a},{b}]"
                latent_nodes.append(u)
                directed += [(u, a), (u, b)]
            else:
                kept.append((a, b))
        bidirected = kept
    all_nodes = nodes + latent_nodes
    sources = tuple(f"src{i}" for i in range(rng.choice([1, 1, 2])))
    selection = {s: frozenset(v for v in all_nodes if rng.random() < 0.3) for s in sources}
    every = frozenset(nodes)

    def measured() -> frozenset[str]:
        if not partial or rng.random() < 0.4:
            return every
        return frozenset(v for v in nodes if v in x or v in y or rng.random() < 0.6)

    def experiment() -> frozenset[str]:
        z = frozenset(v for v in nodes if v not in y and rng.random() < 0.3)
        return z | frozenset(x) if rng.random() < 0.5 else z

    datasets = [Dataset("target", frozenset(), measured())] if rng.random() < 0.85 else []
    if richer and rng.random() < 0.15:
        datasets.append(Dataset("target", experiment(), measured()))
    for s in sources:
        for _ in range(rng.choice([1, 2])):
            datasets.append(Dataset(s, experiment(), measured()))
    return TransportProblem(
        nodes=tuple(all_nodes), directed=tuple(directed), bidirected=tuple(bidirected),
        latent=frozenset(latent_nodes), target="target", sources=sources, selection=selection,
        datasets=tuple(datasets), treatment=x, outcome=y)
