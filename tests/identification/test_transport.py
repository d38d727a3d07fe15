"""Transportability: sID, z- and mz-transportability and general transportability (gTR)."""

import pytest
from binary_scm import check_estimand

from transport.identification import Dataset, TransportProblem, identify
from transport.identification.expr import terms, to_text
from transport.identification.graph import ProjectedDiagram, SourceIndicator
from transport.identification.transport_alg import (
    Obstacle,
    district_factor,
    is_available,
    mz_datasets,
    query_districts,
    selection_obstacle,
    sid_datasets,
    transport_effect,
    z_datasets,
)

F = frozenset
ALL = F("xyzm")


def problem(nodes, directed, bidirected, selection, datasets, x="x", y="y", latent=(),
            sources=None):
    srcs = tuple(sources or selection.keys())
    return TransportProblem(nodes=tuple(nodes), directed=tuple(directed),
                            bidirected=tuple(bidirected), latent=F(latent), target="human",
                            sources=srcs, selection={k: F(v) for k, v in selection.items()},
                            datasets=tuple(datasets), treatment=tuple(x), outcome=tuple(y))


# ----- the steps --------------------------------------------------------------------------------
def test_query_districts():
    d = ProjectedDiagram.build("xzy", [("z", "x"), ("z", "y"), ("x", "y")], [("x", "y")])
    anc, comps = query_districts(d, F("y"), F("x"))
    assert anc == F("zy")
    assert set(comps) == {F("z"), F("y")}


def test_selection_obstacle_is_a_d_separation():
    s = SourceIndicator("gpt")
    d = ProjectedDiagram.build("xzy", [("z", "x"), ("z", "y"), ("x", "y")], [], {s: ["z"]})
    src = Dataset("gpt", F("x"), F("xyz"))
    assert selection_obstacle(d, F("y"), src, "human") is None
    blocked = selection_obstacle(d, F("z"), src, "human")
    assert isinstance(blocked, Obstacle) and blocked.nodes == F("z")
    assert selection_obstacle(d, F("z"), Dataset("human", F(), F("xyz")), "human") is None


def test_district_factor_obstacles():
    s = SourceIndicator("gpt")
    d = ProjectedDiagram.build("xy", [("x", "y")], [("x", "y")], {s: ["y"]})
    assert district_factor(d, F("y"), Dataset("gpt", F("y"), F("xy")), "human").kind == "randomized"
    assert district_factor(d, F("y"), Dataset("gpt", F("x"), F("xy")), "human").kind == "selection"
    hedge = district_factor(d, F("y"), Dataset("human", F(), F("xy")), "human")
    assert hedge.kind == "hedge" and hedge.hedge.forest == F("xy")


def test_availability():
    d = ProjectedDiagram.build("xzy", [("z", "x"), ("z", "y"), ("x", "y")])
    e = district_factor(d, F("y"), Dataset("human", F(), F("xyz")), "human")
    assert is_available(e, [Dataset("human", F(), F("xyz"))])
    assert not is_available(e, [Dataset("human", F(), F("xy"))])
    assert not is_available(e, [Dataset("gpt", F(), F("xyz"))])


# ----- golden examples --------------------------------------------------------------------------
COVARIATE = dict(nodes="xzy", directed=[("z", "x"), ("z", "y"), ("x", "y")],
                 bidirected=[("x", "y")], selection={"gpt": "z"})


def test_covariate_shift_transport_formula():
    """Pearl & Bareinboim 2011 (AAAI), the age example of Fig. 1(a), also the opening example
    of Bareinboim & Pearl 2012: S -> Z with Z a covariate; P*(y|do(x)) = Σ_z P(y|do(x), z) P*(z).
    (X <-> Y is added so that the target data alone do not answer.)"""
    p = problem(**COVARIATE, datasets=[Dataset("human", F(), F("xyz")),
                                       Dataset("gpt", F("x"), F("xyz"))])
    r = identify(p)
    assert r.status == "transportable"
    assert to_text(r.estimand) == "Σ_{z} P_gpt(y | do(x), z) P_human(z)"
    check_estimand(p, r.estimand, seed=1)
    assert any("S[gpt] points only at {z}" in t for t in r.trace)


def test_sid_wrapper_gives_the_same_formula():
    """sID (Bareinboim & Pearl 2012): all source experiments plus target observations."""
    s = SourceIndicator("gpt")
    d = ProjectedDiagram.build("xzy", COVARIATE["directed"], COVARIATE["bidirected"], {s: ["z"]})
    res = transport_effect(d, "y", "x", sid_datasets(d, "y", "x", "human", "gpt"), "human")
    assert to_text(res.estimand) == "Σ_{z} P_gpt(y | do(x), z) P_human(z)"


def test_selection_on_outcome_with_confounding_is_not_transportable():
    """Bareinboim & Pearl 2012, s-hedge criterion: S -> Y with X <-> Y, X -> Y."""
    p = problem("xy", [("x", "y")], [("x", "y")], {"gpt": "y"},
                [Dataset("human", F(), F("xy")), Dataset("gpt", F("x"), F("xy"))])
    r = identify(p)
    assert r.status == "not_transportable" and not r.transportable
    assert "S[gpt]" in r.witness and "s-hedge" in r.witness
    kinds = {(s.kind, s.population, s.variables) for s in r.suggestions}
    assert ("share", "gpt", ("y",)) in kinds
    assert ("experiment", "human", ("x",)) in kinds


def test_selection_on_treatment_only_is_irrelevant():
    """Bareinboim & Pearl 2012: S -> X only, (S ⊥ Y | X) in G_{X-bar}: P* = P(y|do(x))."""
    p = problem("xy", [("x", "y")], [("x", "y")], {"gpt": "x"},
                [Dataset("gpt", F("x"), F("xy"))])
    r = identify(p)
    assert to_text(r.estimand) == "P_gpt(y | do(x))"
    check_estimand(p, r.estimand)


def test_target_experiment_answers_trivially():
    p = problem("xy", [("x", "y")], [("x", "y")], {"gpt": "y"},
                [Dataset("human", F("x"), F("xy"))])
    r = identify(p)
    assert to_text(r.estimand) == "P_human(y | do(x))"
    assert r.uses[0].population == "human"


def test_identifiable_in_target_uses_id():
    """Front-door in the target: ID answers without any source."""
    p = problem("xzy", [("x", "z"), ("z", "y")], [("x", "y")], {"gpt": "zy"},
                [Dataset("human", F(), F("xzy")), Dataset("gpt", F("x"), F("xzy"))])
    r = identify(p)
    assert {u.population for u in r.uses} == {"human"}
    assert any("(ID)" in t for t in r.trace)
    check_estimand(p, r.estimand, seed=3)


def test_z_transportability_surrogate_experiment():
    """Bareinboim & Pearl 2013 (AAAI) z-transportability: source can only randomize {x, z}."""
    s = SourceIndicator("gpt")
    d = ProjectedDiagram.build("xzy", [("x", "z"), ("z", "y")], [("x", "y"), ("z", "y")],
                               {s: ["x"]})
    res = transport_effect(d, "y", "x", z_datasets(d, "human", "gpt", "z"), "human")
    assert res.estimand is None and res.failures  # do(z) alone randomizes part of {z, y}
    res = transport_effect(d, "y", "x", z_datasets(d, "human", "gpt", "xz"), "human")
    assert to_text(res.estimand) == "P_gpt(y | do(x))"


def test_mz_transportability_two_sources():
    """Bareinboim & Pearl 2014 (NeurIPS) mz-transportability: neither source alone suffices;
    src1 differs at z, src2 differs at y; X -> Z -> Y with X <-> Y."""
    nodes, directed, bi = "xzy", [("x", "z"), ("z", "y")], [("x", "y")]
    datasets = [Dataset("src1", F("xz"), F("xyz")), Dataset("src2", F("x"), F("xyz"))]
    p = problem(nodes, directed, bi, {"src1": "z", "src2": "y"}, datasets)
    r = identify(p)
    assert to_text(r.estimand) == "Σ_{z} P_src1(y | do(x, z)) P_src2(z | do(x))"
    check_estimand(p, r.estimand, seed=4)
    # Through the mz wrapper (experiments on subsets of Z_i, plus target observations).
    s1, s2 = SourceIndicator("src1"), SourceIndicator("src2")
    d = ProjectedDiagram.build(nodes, directed, bi, {s1: ["z"], s2: ["y"]})
    res = transport_effect(d, "y", "x", mz_datasets(d, "human", {"src1": "xz", "src2": "x"}),
                           "human")
    assert res.estimand is not None
    # With one source only, it is not transportable.
    p1 = problem(nodes, directed, bi, {"src1": "z", "src2": "y"}, datasets[:1])
    assert identify(p1, suggestions=False).status == "not_transportable"


def test_general_transportability_mediator_experiment():
    """Lee, Correa & Bareinboim 2020 (general transportability): the source randomizes the
    mediator, not the treatment; the target only measured x and m."""
    p = problem("xmy", [("x", "m"), ("m", "y")], [("x", "y")], {"gpt": "x"},
                [Dataset("human", F(), F("xm")), Dataset("gpt", F("m"), F("my"))])
    r = identify(p)
    assert r.status == "transportable"
    assert to_text(r.estimand) == "Σ_{m} P_gpt(y | do(m)) P_human(m | x)"
    check_estimand(p, r.estimand, seed=5)


def test_explicit_latent_confounder_with_selection():
    """A latent U[x,y] whose distribution differs in gpt: the selection moves onto x and y."""
    p = problem(["x", "y", "z", "U[x,y]"],
                [("U[x,y]", "x"), ("U[x,y]", "y"), ("x", "z"), ("z", "y")], [],
                {"gpt": ["U[x,y]"]},
                [Dataset("gpt", F("x"), F("xyz"))], latent=["U[x,y]"])
    r = identify(p)
    assert r.status == "not_transportable"
    assert "{x, y}" in r.witness or "{y}" in r.witness
    p2 = problem(["x", "y", "z", "U[x,y]"],
                 [("U[x,y]", "x"), ("U[x,y]", "y"), ("x", "z"), ("z", "y")], [],
                 {"gpt": ["U[x,y]"]},
                 [Dataset("human", F(), F("xyz")), Dataset("gpt", F("x"), F("xyz"))],
                 latent=["U[x,y]"])
    r2 = identify(p2)
    assert r2.status == "transportable"  # front-door in the target
    check_estimand(p2, r2.estimand, seed=6)


@pytest.mark.parametrize("seed", range(3))
def test_covariate_formula_numerically(seed):
    p = problem(**COVARIATE, datasets=[Dataset("human", F(), F("z")),
                                       Dataset("gpt", F("x"), F("xyz"))])
    r = identify(p)
    assert to_text(r.estimand) == "Σ_{z} P_gpt(y | do(x), z) P_human(z)"
    check_estimand(p, r.estimand, seed=seed)


def test_causaleffect_transport_documented_example():
    """causaleffect `transport()` documented example (Tikka; Bareinboim & Pearl 2013a):
    X -> Z -> W -> V -> Y, S -> V, X <-> Z, V <-> Y, X <-> Y; all source experiments."""
    nodes = ["x", "z", "w", "v", "y"]
    directed = [("x", "z"), ("z", "w"), ("w", "v"), ("v", "y")]
    bi = [("x", "z"), ("v", "y"), ("x", "y")]
    s = SourceIndicator("src")
    d = ProjectedDiagram.build(nodes, directed, bi, {s: ["v"]})
    res = transport_effect(d, "y", "x", sid_datasets(d, "y", "x", "human", "src"), "human")
    assert res.estimand is not None
    used = {(t.population, t.do) for t in terms(res.estimand)}
    assert ("src", ("x",)) in used  # Q[{z}] comes from the source experiment on x
    datasets = [Dataset(t.population, t.experiment, F(nodes)) for t in sid_datasets(
        d, "y", "x", "human", "src")]
    p = problem(nodes, directed, bi, {"src": ["v"]}, datasets)
    r = identify(p)
    assert r.status == "transportable"
    check_estimand(p, r.estimand, seed=7)


def test_causaleffect_meta_transport_documented_example():
    """causaleffect `meta.transport()` documented example (Bareinboim & Pearl 2013b,
    meta-transportability): two sources with different selection sets; neither source nor the
    target alone suffices, together they do."""
    nodes = ["x", "z", "w1", "w2", "w3", "y"]
    directed = [("x", "z"), ("w1", "w2"), ("w2", "z"), ("w3", "z"), ("x", "w3"), ("w2", "x"),
                ("z", "y")]
    bi = [("x", "w3"), ("x", "w2"), ("x", "w1"), ("w1", "z")]
    selection = {"src1": ["x", "w2", "w3", "y"], "src2": ["x", "w2", "w1", "y", "z"]}
    every = F(nodes)
    datasets = [Dataset("human", F(), every), Dataset("src1", every - {"w1", "z"}, every),
                Dataset("src2", every - {"w3"}, every)]
    p = problem(nodes, directed, bi, selection, datasets)
    r = identify(p)
    assert r.status == "transportable"
    assert {u.population for u in r.uses} == {"human", "src1", "src2"}
    check_estimand(p, r.estimand, seed=8)
    for drop in range(3):
        fewer = problem(nodes, directed, bi, selection, datasets[:drop] + datasets[drop + 1:])
        assert identify(fewer, suggestions=False).status == "not_transportable"
    # The mz wrapper with every experiment available finds it too.
    sel = {SourceIndicator(k): v for k, v in selection.items()}
    d = ProjectedDiagram.build(nodes, directed, bi, sel)
    res = transport_effect(d, "y", "x", mz_datasets(d, "human", {"src1": nodes, "src2": nodes}),
                           "human")
    assert res.estimand is not None
