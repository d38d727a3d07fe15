"""Selection diagrams: latent projection, districts, ancestors, m-separation."""

import pytest

from transport.errors import ProblemError
from transport.identification.graph import (
    ProjectedDiagram,
    SourceIndicator,
    latent_projection,
    m_separated,
)


def test_selection_nodes_are_typed():
    s = SourceIndicator("gpt")
    d = ProjectedDiagram.build(["S_x", "y"], [("S_x", "y")], [], {s: ["y"]})
    assert "S_x" in d.nodes  # a variable named like a selection node is just a variable
    assert d.selection == {s: frozenset({"y"})}
    assert str(s) == "S[gpt]"


def test_latent_common_cause_becomes_bidirected_and_selection_moves_to_children():
    d = latent_projection(["x", "y", "U[x,y]"], [("U[x,y]", "x"), ("U[x,y]", "y"), ("x", "y")],
                          [], ["U[x,y]"], {SourceIndicator("g"): {"U[x,y]"}})
    assert d.nodes == {"x", "y"}
    assert d.siblings["x"] == {"y"}
    assert d.parents["y"] == {"x"}
    assert d.selection[SourceIndicator("g")] == {"x", "y"}


def test_latent_chain_gives_directed_edge_and_deep_confounding():
    d = latent_projection(["a", "L1", "L2", "L3", "b", "c"],
                          [("a", "L1"), ("L1", "b"), ("L2", "L3"), ("L3", "b"), ("L2", "c")],
                          [("L1", "c")], ["L1", "L2", "L3"], {})
    assert d.parents["b"] == {"a"}
    assert d.siblings["b"] == {"c"}  # via L2 and via the L1 <-> c edge


def test_cycle_is_rejected():
    with pytest.raises(ProblemError, match="the causal graph has a directed cycle"):
        ProjectedDiagram.build("ab", [("a", "b"), ("b", "a")])
    with pytest.raises(ProblemError, match="unknown variable 'c'"):
        ProjectedDiagram.build("ab", [("a", "c")])


def test_districts_and_ancestors():
    d = ProjectedDiagram.build("abcd", [("a", "b"), ("b", "c"), ("c", "d")],
                               [("a", "c"), ("b", "d")])
    assert set(d.districts()) == {frozenset("ac"), frozenset("bd")}
    assert d.districts(frozenset("abd")) == (frozenset("a"), frozenset("bd"))
    assert d.ancestors(frozenset("c")) == frozenset("abc")
    assert d.ancestors(frozenset("c"), frozenset("ac")) == frozenset("c")
    assert d.ancestors_without_incoming(frozenset("c"), frozenset("b"), d.nodes) == frozenset("bc")


def test_m_separation():
    d = ProjectedDiagram.build("xzy", [("x", "z"), ("z", "y")], [("x", "y")],
                      {SourceIndicator("g"): ["z"]})
    assert not m_separated(d, "x", "y", [])
    assert not m_separated(d, "x", "y", ["z"])  # x <-> y
    chain = ProjectedDiagram.build("xzy", [("x", "z"), ("z", "y")])
    assert m_separated(chain, "x", "y", ["z"])
    collider = ProjectedDiagram.build("xzy", [("x", "z"), ("y", "z")])
    assert m_separated(collider, "x", "y", [])
    assert not m_separated(collider, "x", "y", ["z"])
    s = SourceIndicator("g")
    assert not m_separated(d, [s], "y", [])
    assert m_separated(d, [s], "y", ["z"], cut_incoming=["z"])
    # removing edges out of x (rule 2 graph) blocks x -> z -> y but not x <-> y
    assert not m_separated(d, "x", "y", ["z"], cut_outgoing=["x"])


def test_projection_onto_subset_keeps_selection():
    d = ProjectedDiagram.build("xmy", [("x", "m"), ("m", "y")], [], {SourceIndicator("g"): ["m"]})
    p = d.project(frozenset("xy"))
    assert p.parents["y"] == {"x"}
    assert p.selection[SourceIndicator("g")] == {"y"}
