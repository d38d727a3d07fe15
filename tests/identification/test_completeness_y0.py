"""Completeness of "not_transportable", checked against an independent implementation:
y0's TRSO (Tikka & Karvanen's transportability algorithm, complete for this setting) on
small random selection diagrams where every dataset is fully measured — the target's
observational distribution and each source's experiment. The verdicts must agree both
ways: when we prove "not transportable", TRSO finds no formula, and when TRSO finds one,
so do we (our formulas are checked numerically in test_properties.py)."""

from __future__ import annotations

import random

import pytest

from transport.identification import identify
from transport.identification.problem import Dataset, TransportProblem

y0 = pytest.importorskip("y0")


def _problem(seed: int) -> TransportProblem:
    rng = random.Random(seed)
    n = rng.choice([3, 4, 4, 5])
    nodes = [f"v{i}" for i in range(n)]
    directed = tuple((nodes[i], nodes[j]) for i in range(n) for j in range(i + 1, n)
                     if rng.random() < 0.5)
    bidirected = tuple((nodes[i], nodes[j]) for i in range(n) for j in range(i + 1, n)
                       if rng.random() < 0.3)[:3]
    j = rng.randrange(1, n)
    outcome = (nodes[j],)
    treatment = (rng.choice(nodes[:j]),)
    sources = ("s1",) if rng.random() < 0.6 else ("s1", "s2")
    selection = {s: frozenset(v for v in nodes if rng.random() < 0.35) for s in sources}
    datasets = [Dataset("target", frozenset(), frozenset(nodes))]
    for s in sources:
        experiment = frozenset(v for v in nodes if v not in outcome and rng.random() < 0.4)
        datasets.append(Dataset(s, experiment, frozenset(nodes)))
    return TransportProblem(nodes=tuple(nodes), directed=directed, bidirected=bidirected,
                            latent=frozenset(), target="target", sources=sources,
                            selection=selection, datasets=tuple(datasets),
                            treatment=treatment, outcome=outcome)


def _trso_finds_a_formula(problem: TransportProblem) -> bool:
    from y0.algorithm.transport import TRSOQuery, transport_variable, trso
    from y0.dsl import TARGET_DOMAIN, Distribution, Population, PopulationProbability, Variable
    from y0.graph import NxMixedGraph

    def graph(selected: frozenset[str]) -> NxMixedGraph:
        g = NxMixedGraph()
        for v in problem.nodes:
            g.add_node(Variable(v))
        for a, b in problem.directed:
            g.add_directed_edge(Variable(a), Variable(b))
        for a, b in problem.bidirected:
            g.add_undirected_edge(Variable(a), Variable(b))
        for v in sorted(selected):
            g.add_directed_edge(transport_variable(Variable(v)), Variable(v))
        return g

    domains = {s: Population(s) for s in problem.sources}
    graphs = {domains[s]: graph(problem.selection[s]) for s in problem.sources}
    graphs[TARGET_DOMAIN] = graph(frozenset())
    experiments = {domains[d.population]: {Variable(v) for v in d.experiment}
                   for d in problem.datasets if d.population != "target"}
    query = TRSOQuery(
        target_interventions={Variable(v) for v in problem.treatment},
        target_outcomes={Variable(v) for v in problem.outcome},
        expression=PopulationProbability(
            population=TARGET_DOMAIN,
            distribution=Distribution.safe([Variable(v) for v in problem.nodes])),
        active_interventions=set(),
        domain=TARGET_DOMAIN,
        domains=set(domains.values()),
        graphs=graphs,
        surrogate_interventions=experiments,
    )
    return trso(query) is not None


SEEDS = range(120)


@pytest.mark.parametrize("seed", SEEDS)
def test_not_transportable_exactly_when_trso_finds_no_formula(seed):
    problem = _problem(seed)
    ours = identify(problem, suggestions=False)
    assert ours.status in ("transportable", "not_transportable")  # fully measured: decided
    assert (ours.status == "transportable") == _trso_finds_a_formula(problem), ours.trace


def test_the_random_cases_exercise_both_verdicts():
    verdicts = [identify(_problem(s), suggestions=False).status for s in SEEDS]
    assert verdicts.count("not_transportable") >= 20
    assert verdicts.count("transportable") >= 20
