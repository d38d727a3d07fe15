"""Partial observation search and suggestion search, one function at a time."""

import random

import pytest
from binary_scm import check_estimand
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_problems import random_problem

from transport.identification import Dataset, TransportProblem, identify
from transport.identification.api import decide
from transport.identification.graph import ProjectedDiagram, SourceIndicator
from transport.identification.partial import projection_candidates, search_projections
from transport.identification.suggest import (
    _Budget,
    experiment_suggestions,
    measure_suggestions,
    share_suggestions,
)
from transport.identification.transport_alg import transport_effect

F = frozenset


def _mediator():
    s = SourceIndicator("gpt")
    d = ProjectedDiagram.build("xmy", [("x", "m"), ("m", "y")], [("m", "y")], {s: ["x"]})
    return d, [Dataset("gpt", F("x"), F("xy"))]


def test_projection_candidates_keep_query_and_respect_budget():
    d, sources = _mediator()
    cands = list(projection_candidates(d, F("y"), F("x"), sources, budget=3))
    assert 0 < len(cands) <= 3
    assert all(F("xy") <= w and w != d.nodes for w in cands)


def test_search_projections_finds_marginal_formula():
    d, sources = _mediator()
    assert transport_effect(d, "y", "x", sources, "human").estimand is None
    hit = search_projections(d, F("y"), F("x"), sources, "human")
    assert hit is not None and hit.kept == F("xy")


def _problem(selection, datasets, bidirected=(("x", "y"),)):
    return TransportProblem(nodes=("x", "y"), directed=(("x", "y"),), bidirected=bidirected,
                            latent=F(), target="human", sources=("gpt",),
                            selection={"gpt": F(selection)}, datasets=tuple(datasets),
                            treatment=("x",), outcome=("y",))


def works(p):
    return decide(p).status == "transportable"


def test_share_suggestions():
    p = _problem("xy", [Dataset("gpt", F("x"), F("xy"))])
    got = list(share_suggestions(p, works, _Budget(10), 2, 5))
    assert [(s.kind, s.variables) for s in got] == [("share", ("y",))]


def test_measure_suggestions():
    p = _problem("x", [Dataset("gpt", F("x"), F("x"))], bidirected=())
    got = list(measure_suggestions(p, works, _Budget(10), 2, 5))
    assert [(s.kind, s.population, s.variables) for s in got] == [("measure", "gpt", ("y",))]


def test_experiment_suggestions_and_budget():
    p = _problem("y", [])
    got = list(experiment_suggestions(p, works, _Budget(10), 2, 5, ["x"]))
    assert [(s.population, s.variables) for s in got] == [("human", ("x",))]
    assert list(experiment_suggestions(p, works, _Budget(0), 2, 5, ["x"])) == []


def test_transportable_problem_has_no_suggestions():
    p = _problem("x", [Dataset("gpt", F("x"), F("xy"))])
    assert identify(p).suggestions == ()


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), n=st.integers(3, 6), partial=st.booleans(),
       latents=st.booleans())
def test_many_random_problems(seed, n, partial, latents):
    p = random_problem(random.Random(seed), n, partial=partial, latents=latents, richer=True)
    r = identify(p, suggestions=False)
    if r.transportable:
        check_estimand(p, r.estimand, seed=seed % 1000)
