"""sID (Bareinboim & Pearl 2012) as its own recursion, cross-checked against the general
algorithm on the sID dataset collection and against the truth on random models."""

import random

import pytest
from binary_scm import check_estimand
from random_problems import random_admg, random_query

from transport.identification.expr import terms, to_text
from transport.identification.graph import ProjectedDiagram, SourceIndicator
from transport.identification.id_alg import Hedge
from transport.identification.problem import Dataset, TransportProblem
from transport.identification.sid import NotTransportable, sid, sid_line5
from transport.identification.transport_alg import sid_datasets, transport_effect

F = frozenset
S = SourceIndicator("src")


def test_line5_reads_source_when_selection_is_irrelevant():
    d = ProjectedDiagram.build("xy", [("x", "y")], [("x", "y")], {S: ["x"]})
    log = []
    e = sid_line5(d, "src", F("y"), F("x"), d.nodes, Hedge(F("xy"), F("y")), log)
    assert to_text(e) == "P_src(y | do(x))"
    assert log and "⊥" in log[0]


def test_line5_fails_with_s_hedge():
    d = ProjectedDiagram.build("xy", [("x", "y")], [("x", "y")], {S: ["y"]})
    with pytest.raises(NotTransportable) as err:
        sid_line5(d, "src", F("y"), F("x"), d.nodes, Hedge(F("xy"), F("y")), [])
    assert err.value.selection == (S,)


def test_covariate_example():
    """Pearl & Bareinboim 2011, Fig. 1(a) with X <-> Y: sID's formula."""
    d = ProjectedDiagram.build("xzy", [("z", "x"), ("z", "y"), ("x", "y")], [("x", "y")],
                               {S: ["z"]})
    assert to_text(sid(d, "y", "x", "human", "src")) == "Σ_{z} P_human(z) P_src(y | do(x, z))"


def _selection_diagram(rng, n):
    nodes, directed, bi = random_admg(rng, n, 0.45, 0.35)
    bi = bi[:3]
    x, y = random_query(rng, nodes)
    chosen = [v for v in nodes if rng.random() < 0.3]
    return nodes, directed, bi, x, y, chosen


@pytest.mark.parametrize("seed", range(4))
def test_sid_agrees_with_general_algorithm_and_truth(seed):
    rng = random.Random(seed)
    outcomes = set()
    for _ in range(25):
        nodes, directed, bi, x, y, chosen = _selection_diagram(rng, rng.choice([3, 4, 5]))
        d = ProjectedDiagram.build(nodes, directed, bi, {S: chosen} if chosen else {})
        general = transport_effect(d, y, x, sid_datasets(d, y, x, "human", "src"), "human")
        try:
            estimand = sid(d, y, x, "human", "src")
        except NotTransportable:
            estimand = None
        assert (estimand is None) == (general.estimand is None), (nodes, directed, bi, x, y)
        outcomes.add(estimand is None)
        if estimand is None:
            continue
        used = {(t.population, F(t.do)) for t in terms(estimand)} | {("human", F())}
        problem = TransportProblem(
            nodes=tuple(nodes), directed=tuple(directed), bidirected=tuple(bi), latent=F(),
            target="human", sources=("src",), selection={"src": F(chosen)},
            datasets=tuple(Dataset(p, z, F(nodes)) for p, z in sorted(used, key=str)),
            treatment=tuple(x), outcome=tuple(y))
        check_estimand(problem, estimand, seed=seed)
    assert outcomes == {True, False}


@pytest.mark.slow
def test_sid_verdicts_agree_on_many_diagrams():
    rng = random.Random(99)
    for _ in range(1000):
        nodes, directed, bi, x, y, chosen = _selection_diagram(rng, rng.choice([4, 5, 6, 7]))
        d = ProjectedDiagram.build(nodes, directed, bi, {S: chosen} if chosen else {})
        general = transport_effect(d, y, x, sid_datasets(d, y, x, "human", "src"), "human")
        try:
            sid(d, y, x, "human", "src")
            ours = True
        except NotTransportable:
            ours = False
        assert ours == (general.estimand is not None)
