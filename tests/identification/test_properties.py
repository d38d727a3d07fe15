"""Property tests: on random selection diagrams and random binary models, every estimand the
algorithm returns equals the true target effect computed by intervening on the target model,
using only the distributions the datasets provide (restricted to what they measured)."""

import random

import numpy as np
from binary_scm import BinaryModel, check_estimand
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_problems import random_problem

from transport.identification import Dataset, TransportProblem, identify

F = frozenset


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), n=st.integers(3, 5), latents=st.booleans())
def test_transportable_estimands_are_correct(seed, n, latents):
    rng = random.Random(seed)
    p = random_problem(rng, n, latents=latents, richer=True)
    r = identify(p, suggestions=False)
    assert r.status in ("transportable", "not_transportable")  # everything measured
    if r.transportable:
        check_estimand(p, r.estimand, seed=seed % 1000)
    else:
        assert r.witness


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), n=st.integers(3, 5), latents=st.booleans())
def test_partial_observation_estimands_are_correct(seed, n, latents):
    rng = random.Random(seed)
    p = random_problem(rng, n, partial=True, latents=latents, richer=True)
    r = identify(p, suggestions=False)
    if r.transportable:
        check_estimand(p, r.estimand, seed=seed % 1000)  # tables hold measured columns only
    full = TransportProblem(**{**p.__dict__, "datasets": tuple(
        Dataset(d.population, d.experiment, F(p.nodes) - p.latent) for d in p.datasets)})
    full_verdict = identify(full, suggestions=False).status
    if r.status == "not_transportable":
        assert full_verdict == "not_transportable"  # proofs only from full observation
    if full_verdict == "not_transportable":
        assert r.status == "not_transportable"  # more observation can only help


def _agree(model_a, model_b, datasets):
    ta, tb = model_a.dataset_tables(datasets), model_b.dataset_tables(datasets)
    assert ta.keys() == tb.keys()
    for key in ta:
        assert np.allclose(ta[key]["p"].to_numpy(), tb[key]["p"].to_numpy(), atol=1e-12)


def test_bow_arc_two_models():
    """Witness of non-identifiability (Shpitser & Pearl 2006): two models on X <-> Y, X -> Y
    with the same P(x, y) but different P(y | do(x))."""
    p = TransportProblem(nodes=("x", "y"), directed=(("x", "y"),), bidirected=(("x", "y"),),
                         latent=F(), target="human", sources=(), selection={},
                         datasets=(Dataset("human", F(), F("xy")),), treatment=("x",),
                         outcome=("y",))
    assert identify(p).status == "not_transportable"
    rng = np.random.default_rng(0)
    a, b = BinaryModel(p, rng), BinaryModel(p, rng)
    # parents: x <- [_U0]; y <- [x, _U0] (codes x*2+u)
    a.tables["human"] = {"_U0": np.array([0.5]), "x": np.array([0.0, 1.0]),
                         "y": np.array([0.0, 1.0, 0.0, 1.0])}  # x = u, y = u
    b.tables["human"] = {"_U0": np.array([0.5]), "x": np.array([0.5, 0.5]),
                         "y": np.array([0.0, 0.0, 1.0, 1.0])}  # x random, y = x
    _agree(a, b, p.datasets)
    assert a.effect({"y": 1}, {"x": 1}) == 0.5 and b.effect({"y": 1}, {"x": 1}) == 1.0


def test_selection_on_outcome_two_models():
    """Witness of non-transportability (Bareinboim & Pearl 2012): S -> Y and only gpt's
    experiment; two target models agree with gpt's data but differ on the effect."""
    p = TransportProblem(nodes=("x", "y"), directed=(("x", "y"),), bidirected=(),
                         latent=F(), target="human", sources=("gpt",),
                         selection={"gpt": F("y")},
                         datasets=(Dataset("gpt", F("x"), F("xy")),), treatment=("x",),
                         outcome=("y",))
    r = identify(p)
    assert r.status == "not_transportable" and "S[gpt]" in r.witness
    a = BinaryModel(p, np.random.default_rng(1))
    b = BinaryModel(p, np.random.default_rng(1))
    b.tables["human"] = dict(b.tables["human"], y=1.0 - a.tables["human"]["y"])
    _agree(a, b, p.datasets)
    assert abs(a.effect({"y": 1}, {"x": 1}) - b.effect({"y": 1}, {"x": 1})) > 1e-3
