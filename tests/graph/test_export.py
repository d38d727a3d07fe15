"""Exports: every format carries the same diagram, and differing mechanisms look different."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pytest
from shared_fixtures import DIAGRAM_STUDY as STUDY

from transport.api import export_graph, import_dagitty, loads
from transport.errors import UsageError
from transport.graph.dagitty import parse_dagitty


@pytest.fixture
def study():
    return loads(STUDY)


def test_json_lists_nodes_edges_and_mechanisms(study) -> None:
    data = json.loads(export_graph(study, "json"))
    kinds = {n["id"]: n["kind"] for n in data["nodes"]}
    assert kinds["u"] == "latent" and kinds["x"] == "observed"
    assert sum(k == "selection" for k in kinds.values()) == 6
    assert kinds["U_y_z"] == "latent_cause"
    edges = {(e["from"], e["to"], e["kind"]) for e in data["edges"]}
    assert ("x", "z", "bidirected") in edges
    assert ("U_y_z", "y", "directed") in edges and ("S_claude_z", "z", "selection") in edges
    rows = {(m["source"], m["mechanism"]): m["status"] for m in data["mechanisms"]}
    assert rows[("claude", "z")] == "partial" and rows[("gpt", "z")] == "shared"


def test_dot_marks_differing_variables_and_selection_nodes(study) -> None:
    dot = export_graph(study, "dot", source="claude")
    assert re.search(r'"z" \[label="z", style="filled", fillcolor="#fde2e4"', dot)
    assert re.search(r'"y" \[label="y", peripheries=2\];', dot)  # shared: plain
    assert '"S_claude_z" -> "z" [color="#c0392b", style=dashed];' in dot
    assert '"x" -> "z" [dir=both, style=dashed, constraint=false];' in dot
    assert "S_gpt" not in dot
    assert dot.count("{") == dot.count("}")


def test_dot_escapes_titles() -> None:
    study = loads('study "A \\"quoted\\" title"\n' + STUDY)
    assert export_graph(study, "dot").startswith('digraph "A \\"quoted\\" title" {')


def test_graphml_reads_back_with_networkx(study) -> None:
    graph = nx.read_graphml(io.BytesIO(export_graph(study, "graphml").encode()))
    assert graph.nodes["S_claude_z"]["kind"] == "selection"
    assert graph.nodes["S_claude_z"]["status"] == "partial"
    assert graph.has_edge("z", "x")


def test_mermaid_classes_distinguish_shared_and_differing(study) -> None:
    text = export_graph(study, "mermaid", source="gpt")
    ids = dict(re.findall(r'^  (v\d+)\("(\w+)"\)$', text, re.M))
    classes = dict(re.findall(r"^  class (\w+) (\w+)$", text, re.M))
    by_name = {name: classes[node] for node, name in ids.items()}
    assert by_name == {"x": "differs", "z": "shared", "y": "shared", "u": "differs"}
    assert "linkStyle" in text


def test_dagitty_export_reads_back_as_the_same_graph(study) -> None:
    text = export_graph(study, "dagitty")
    model = parse_dagitty(text)
    assert {"x"} == {n for n, r in model.roles.items() if "exposure" in r}
    assert {"u", "U_y_z"} == {n for n, r in model.roles.items() if "latent" in r}
    assert ("x", "y") in model.directed and ("x", "z") in model.bidirected
    assert ("S_claude_z", "z") in model.directed


def test_unknown_source_is_a_usage_error(study) -> None:
    with pytest.raises(UsageError, match="'gtp' is not a source population of this study; "
                       "did you mean 'gpt'"):
        export_graph(study, "dot", source="gtp")


def test_import_dagitty_skeleton_checks_and_declares_nothing() -> None:
    model = """dag {
bb="0,0,1,1"
"age group" [pos="0.1,0.2"]
X [exposure,pos="0.2,0.3"]
Y [outcome]
U [latent]
"age group" -> {X Y}
X -> Y <- U
X <-> Y
}"""
    skeleton = import_dagitty(model)
    study = loads(skeleton)
    assert study.query.treatment == "X" and study.query.outcome == "Y"
    assert study.variable("U").kind == "latent"
    assert ("age_group", "X") in study.directed and ("U", "Y") in study.directed
    assert study.bidirected == (("X", "Y"),)
    assert {row.sharing.status for row in study.assumptions} == {"undeclared"}
    assert "# renamed: 'age group' is age_group" in skeleton


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("pdag { a -- b }", "only dagitty 'dag' models can be imported, not 'pdag'"),
        ("dag { a -- b }", "dagitty line 1: undirected edges (--) have no causal reading"),
        ("dag { a -> b", "the dagitty model must be written as dag { ... }"),
        ("dag { a -> {b c }", "dagitty line 1: unclosed '{'"),
        ("", "the dagitty model has no nodes"),
    ],
)
def test_import_dagitty_errors(model: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        import_dagitty(model)
