"""The selection diagram compiled from a study: one typed selection node per source and
per mechanism that is not shared, including the latent cause behind a `<->` pair."""

from __future__ import annotations

from shared_fixtures import DIAGRAM_STUDY as STUDY

from transport.api import loads, selection_diagram
from transport.graph.diagram import LatentCause, SelectionNode
from transport.study import VariableMechanism, confounder


def test_selection_nodes_point_at_every_non_shared_mechanism() -> None:
    diagram = selection_diagram(loads(STUDY))
    pointed = {(s.source, s.points_at, s.status) for s in diagram.selection}
    assert pointed == {
        ("gpt", "x", "undeclared"),
        ("gpt", "u", "undeclared"),
        ("gpt", LatentCause("y", "z"), "undeclared"),
        ("claude", "x", "undeclared"),
        ("claude", "z", "partial"),
        ("claude", LatentCause("y", "z"), "differs"),
    }


def test_selection_nodes_are_typed_values_not_name_prefixes() -> None:
    diagram = selection_diagram(loads(STUDY))
    graph = diagram.to_networkx()
    selection = [n for n in graph if isinstance(n, SelectionNode)]
    assert len(selection) == 6
    assert all(graph.nodes[n]["kind"] == "selection" for n in selection)
    node = SelectionNode("claude", confounder("z", "y"), "differs")
    assert set(graph.successors(node)) == {LatentCause("y", "z")}
    assert set(graph.successors(LatentCause("y", "z"))) == {"y", "z"}


def test_unselected_confounders_stay_bidirected() -> None:
    graph = selection_diagram(loads(STUDY)).to_networkx()
    assert graph.edges["x", "z"]["bidirected"] and graph.edges["z", "x"]["bidirected"]
    assert LatentCause("x", "z") not in graph


def test_an_arc_beside_an_arrow_keeps_both() -> None:
    """`z -> x` and `x <-> z`: the DiGraph's one z → x edge is both directed and half of
    the arc (flagging the arc used to overwrite the arrow)."""
    graph = selection_diagram(loads(STUDY)).to_networkx()
    assert graph.edges["z", "x"] == {"directed": True, "bidirected": True, "selection": False}
    assert graph.edges["x", "z"] == {"directed": False, "bidirected": True, "selection": False}
    arrows = {(a, b) for a, b, flags in graph.edges(data=True) if flags["directed"]
              and isinstance(a, str)}
    assert arrows == {("z", "x"), ("x", "y"), ("z", "y"), ("u", "y")}


def test_for_source_keeps_one_source_and_diagrams_are_values() -> None:
    diagram = selection_diagram(loads(STUDY))
    gpt = diagram.for_source("gpt")
    assert gpt.sources == ("gpt",)
    assert {s.source for s in gpt.selection} == {"gpt"}
    assert len(diagram.selection) == 6  # the original is untouched
    gpt.to_networkx().add_node("mutated")
    assert "mutated" not in diagram.to_networkx()


def test_shared_edge_coefficients_do_not_create_selection_nodes() -> None:
    study = loads(STUDY + "shared z -> y for claude\n")
    diagram = selection_diagram(study)
    assert len(diagram.selection) == 6
    assert study.sharing("claude", VariableMechanism("z")).sd == 0.3
