"""The public `identify` function: statuses, JSON shape, partial observation, suggestions."""

import json

import pytest
from binary_scm import check_estimand

from transport.errors import ProblemError, TransportError
from transport.identification import Dataset, TransportProblem, identify
from transport.identification.expr import to_text

F = frozenset


def problem(nodes, directed, bidirected, selection, datasets, x="x", y="y"):
    return TransportProblem(nodes=tuple(nodes), directed=tuple(directed),
                            bidirected=tuple(bidirected), latent=F(), target="human",
                            sources=tuple(selection), selection={k: F(v) for k, v in
                                                                  selection.items()},
                            datasets=tuple(datasets), treatment=tuple(x), outcome=tuple(y))


COVARIATE = dict(nodes="xzy", directed=[("z", "x"), ("z", "y"), ("x", "y")],
                 bidirected=[("x", "y")], selection={"gpt": "z"})


def test_json_shape():
    p = problem(**COVARIATE, datasets=[Dataset("human", F(), F("z")),
                                       Dataset("gpt", F("x"), F("xyz"))])
    doc = identify(p).to_json()
    json.dumps(doc)
    assert list(doc) == ["query", "transportable", "status", "estimand", "uses", "witness",
                         "suggestions", "trace"]
    assert doc["query"] == {"treatment": ["x"], "outcome": ["y"], "population": "human"}
    assert doc["transportable"] is True and doc["status"] == "transportable"
    assert set(doc["estimand"]) == {"text", "latex", "tree"}
    assert doc["uses"] == [
        {"population": "gpt", "experiment": ["x"], "variables": ["x", "y", "z"]},
        {"population": "human", "experiment": [], "variables": ["z"]},
    ]
    assert doc["witness"] is None and doc["suggestions"] == []
    assert all(isinstance(t, str) for t in doc["trace"])


def test_not_transportable_json():
    p = problem("xy", [("x", "y")], [("x", "y")], {"gpt": "y"},
                [Dataset("gpt", F("x"), F("xy"))])
    doc = identify(p).to_json()
    assert doc["status"] == "not_transportable" and doc["estimand"] is None
    assert doc["uses"] == [] and isinstance(doc["witness"], str)
    assert {"kind": "share", "population": "gpt", "variables": ["y"]} in doc["suggestions"]


def test_unmeasured_variable_found_through_projection():
    """gpt did not measure the mediator m: the formula over m is unavailable, but projecting m
    out (S points at x only) gives P*(y | do(x)) = P_gpt(y | do(x))."""
    p = problem("xmy", [("x", "m"), ("m", "y")], [("m", "y")], {"gpt": "x"},
                [Dataset("gpt", F("x"), F("xy"))])
    r = identify(p)
    assert r.status == "transportable"
    assert to_text(r.estimand) == "P_gpt(y | do(x))"
    assert any("unobserved" in t for t in r.trace)
    check_estimand(p, r.estimand)


def test_measurement_gap_is_not_found_not_a_proof():
    """The covariate formula needs P_human(z), but the target did not measure z."""
    p = problem(**COVARIATE, datasets=[Dataset("human", F(), F("xy")),
                                       Dataset("gpt", F("x"), F("xyz"))])
    r = identify(p)
    assert r.status == "not_found"
    assert r.witness is None and r.estimand is None
    assert ("measure", "human", ("z",)) in {(s.kind, s.population, s.variables)
                                             for s in r.suggestions}


def test_witness_names_mechanisms():
    p = problem("xy", [("x", "y")], [("x", "y")], {"gpt": "y"},
                [Dataset("human", F(), F("xy")), Dataset("gpt", F("x"), F("xy"))])
    w = identify(p).witness
    assert "mechanism for {y} may differ" in w
    assert "hedge" in w


def test_invalid_queries():
    base = dict(**COVARIATE, datasets=[])
    # every one is the toolkit's own error, so a caller catches one type
    with pytest.raises(TransportError, match="query variable 'q' is not an observed variable"):
        identify(problem(**base, x="q"))
    with pytest.raises(ProblemError, match="treatment and outcome overlap"):
        identify(problem(**base, x="y"))
    with pytest.raises(ProblemError, match="dataset from unknown population 'nobody'"):
        identify(problem(**{**base, "datasets": [Dataset("nobody", F(), F("x"))]}))


def test_no_data_at_all():
    r = identify(problem(**COVARIATE, datasets=[]))
    assert r.status == "not_transportable"
    assert "no dataset was given" in r.witness


def test_smallest_experiment_suggestions():
    """With no data, the smallest experiments that would answer are listed per population."""
    r = identify(problem("xy", [("x", "y")], [], {"gpt": "y"}, []))
    got = {(s.kind, s.population, s.variables) for s in r.suggestions}
    assert ("experiment", "human", ("x",)) in got
    assert ("experiment", "gpt", ("x",)) not in got  # S[gpt] points at y
