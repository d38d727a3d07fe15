"""The independencies a graph implies: checked against dagitty's own lists (golden files made
with dagitty's JavaScript, see implications_golden/README.md), against networkx's
d-separation on the graph with explicit latent causes, and by brute force on random graphs."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import networkx as nx
import pytest

from transport.graph.diagram import CausalGraph
from transport.graph.implications import (
    Independence,
    edge_to_add,
    implied_independencies,
    m_separated,
    minimal_separator,
)

GOLDEN = sorted((Path(__file__).parent / "implications_golden").glob("*.json"))


def _graph(doc: dict) -> CausalGraph:
    return CausalGraph(tuple(doc["observed"]), tuple(doc["latent"]),
                      tuple(map(tuple, doc["directed"])), tuple(map(tuple, doc["bidirected"])))


def _networkx_separated(graph: CausalGraph, x: str, y: str, given: set[str]) -> bool:
    """Reference m-separation: networkx's d-separation with a node per `<->` arc."""
    dag = nx.DiGraph()
    dag.add_nodes_from(graph.observed + graph.latent)
    dag.add_edges_from(graph.directed)
    for a, b in graph.bidirected:
        dag.add_edges_from([(("U", a, b), a), (("U", a, b), b)])
    return nx.is_d_separator(dag, {x}, {y}, set(given))


def test_there_are_at_least_fifteen_golden_graphs() -> None:
    assert len(GOLDEN) >= 15


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_our_basis_matches_dagitty(path: Path) -> None:
    doc = json.loads(path.read_text())
    graph = _graph(doc)
    ours = implied_independencies(graph)
    theirs = {(i["first"], i["second"]): [tuple(s) for s in i["separators"]]
              for i in doc["implications"]}
    # the same pairs are separable, and our separator is one of dagitty's minimal ones
    assert [(i.first, i.second) for i in ours] == sorted(theirs)
    for independence in ours:
        assert independence.given in theirs[(independence.first, independence.second)]
    # every statement dagitty lists is an m-separation here too (so the two lists imply
    # each other pair by pair: same pairs, each separator valid in both)
    for (x, y), separators in theirs.items():
        for given in separators:
            assert m_separated(graph, x, y, given)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_every_listed_independence_is_a_true_m_separation(path: Path) -> None:
    graph = _graph(json.loads(path.read_text()))
    for independence in implied_independencies(graph):
        assert _networkx_separated(graph, independence.first, independence.second,
                                   set(independence.given))


def _random_graph(rng: random.Random) -> CausalGraph:
    n = rng.randint(3, 7)
    order = [f"v{i}" for i in range(n)]
    rng.shuffle(order)
    latent = tuple(sorted(rng.sample(order, rng.randint(0, 2))))
    directed, bidirected = [], []
    for i, j in itertools.combinations(range(n), 2):
        if rng.random() < 0.35:
            directed.append((order[i], order[j]))
        elif rng.random() < 0.15 and not {order[i], order[j]} & set(latent):
            bidirected.append((order[i], order[j]))
    observed = tuple(v for v in sorted(order) if v not in latent)
    return CausalGraph(observed, latent, tuple(directed), tuple(bidirected))


@pytest.mark.parametrize("seed", range(60))
def test_basis_is_complete_and_minimal_by_brute_force(seed: int) -> None:
    graph = _random_graph(random.Random(seed))
    listed = {(i.first, i.second): i.given for i in implied_independencies(graph)}
    for x, y in itertools.combinations(sorted(graph.observed), 2):
        rest = [v for v in graph.observed if v not in (x, y)]
        separating = [set(s) for k in range(len(rest) + 1)
                      for s in itertools.combinations(rest, k)
                      if _networkx_separated(graph, x, y, set(s))]
        assert ((x, y) in listed) == bool(separating)
        if (x, y) in listed:
            given = set(listed[(x, y)])
            assert given in separating
            assert not any(s < given for s in separating)  # inclusion-minimal


def test_separator_prefers_the_parents() -> None:
    # a and y are separated by {m} and by {p}; p is y's parent, so it is the one chosen
    graph = CausalGraph(("a", "m", "p", "y"), (), (("a", "m"), ("m", "p"), ("p", "y")), ())
    assert minimal_separator(graph, "a", "y") == ("p",)
    assert m_separated(graph, "a", "y", ("m",))


def test_a_randomized_variable_loses_its_incoming_edges_and_arcs() -> None:
    graph = CausalGraph(("age", "frame", "risky"), (),
                       (("age", "frame"), ("age", "risky"), ("frame", "risky")),
                       (("frame", "risky"),))
    assert implied_independencies(graph) == ()
    experiment = graph.restricted(("age", "frame", "risky"), randomized=("frame",))
    assert implied_independencies(experiment) == (Independence("age", "frame"),)


def test_an_unmeasured_variable_becomes_latent() -> None:
    graph = CausalGraph(("x", "m", "y"), (), (("x", "m"), ("m", "y")), ())
    assert implied_independencies(graph) == (Independence("x", "y", ("m",)),)
    assert implied_independencies(graph.restricted(("x", "y"))) == ()


def test_statement_text_and_the_edge_to_add() -> None:
    assert Independence("age", "income", ("region",)).statement == "age _||_ income | region"
    assert Independence("L", "W").statement == "L _||_ W"
    graph = CausalGraph(("a", "b", "c"), (), (("b", "c"), ("c", "a")), ())
    assert edge_to_add(graph, "a", "b") == "add `b -> a` or `a <-> b`"
    assert edge_to_add(graph, "b", "x") == "add `b -> x` or `b <-> x`"
