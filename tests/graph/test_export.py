"""Exports: every format carries the same diagram, and differing mechanisms look different."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pytest
from shared_fixtures import DIAGRAM_STUDY as STUDY
from shared_fixtures import MINIMAL_STUDY

from transport.api import export_graph, import_dagitty, loads
from transport.errors import UsageError
from transport.graph.dagitty import DagittyError, parse_dagitty


@pytest.fixture
def study():
    return loads(STUDY)


def test_json_lists_nodes_edges_and_mechanisms(study) -> None:
    data = json.loads(export_graph(study, "json"))
    kinds = {n["id"]: n["kind"] for n in data["nodes"]}
    assert kinds["u"] == "latent" and kinds["x"] == "variable"
    assert sum(k == "selection" for k in kinds.values()) == 6
    assert kinds["U_y_z"] == "cause"
    edges = {(e["tail"], e["head"], e["kind"]) for e in data["edges"]}
    assert ("x", "z", "bidirected") in edges
    assert ("U_y_z", "y", "cause") in edges and ("S_claude_z", "z", "selection") in edges
    sharing = {n["id"]: n["sharing"] for n in data["nodes"] if n["kind"] == "variable"}
    assert sharing == {"x": "differs", "z": "mixed", "y": "shared"}
    rows = {(m["source"], m["mechanism"]): m["status"] for m in data["mechanisms"]}
    assert rows[("claude", "z")] == "partial" and rows[("gpt", "z")] == "shared"


def test_dot_marks_differing_variables_and_selection_nodes(study) -> None:
    dot = export_graph(study, "dot", source="claude")
    assert re.search(r'"z" \[label="z", fillcolor="#fbdcc4", color="#b4561c", style="filled"', dot)
    assert re.search(r'"y" \[label="y", peripheries=2\];', dot)  # shared: plain
    assert re.search(r'"S_claude_z" -> "z" \[color="#c0392b", style=dashed, tooltip="partial"\];',
                     dot)
    assert re.search(r'"S_claude_x" -> "x" \[color="#c0392b", style=dotted, '
                     r'tooltip="undeclared"\];', dot)
    assert '"x" -> "z" [dir=both, style=dashed, constraint=false];' in dot
    assert "S_gpt" not in dot
    assert dot.count("{") == dot.count("}")


def test_dot_fills_follow_the_report_legend_across_sources(study) -> None:
    """z is shared for gpt and partial for claude: mixed, not differs; x is undeclared for
    both: differs; the selection edge of a `differs` mechanism is solid."""
    dot = export_graph(study, "dot")
    assert '"z" [label="z", fillcolor="#fbdcc4", color="#6b6b6b", style="filled"];' in dot
    assert re.search(r'"x" \[label="x", fillcolor="#fbdcc4", color="#b4561c"', dot)
    assert '"y" [label="y", peripheries=2];' in dot
    cause = re.search(r'"(S_claude_U_z_y|S_claude_U_y_z)" -> "(U_\w+)" \[([^]]*)\]', dot)
    assert cause is not None and "style=solid" in cause.group(3)


def test_dot_title_is_a_label_so_the_graph_is_anonymous() -> None:
    study = loads('study "A \\"quoted\\" title"\n' + STUDY)
    dot = export_graph(study, "dot")
    assert dot.startswith('digraph {\n  label="A \\"quoted\\" title";\n')


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
    assert {"x"} == set(model.with_role("exposure"))
    selection = {n for n in model.nodes if "tdag_selection" in model.attributes.get(n, {})}
    assert len(selection) == 6 and all("latent" in model.roles[n] for n in selection)
    assert {"u", "U_y_z"} <= set(model.with_role("latent"))
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
        ("dag { a -- b }", "dagitty line 1: the undirected edge a -- b has no causal reading"),
        ("dag { a -> b", "dagitty line 1, column 13: the model's '{' is never closed"),
        ("dag { a -> {b c }", "dagitty line 1, column 18: the model's '{' is never closed"),
        ("", "the dagitty model is empty"),
        ("dag { }", "the dagitty model has no nodes"),
    ],
)
def test_import_dagitty_errors(model: str, message: str) -> None:
    with pytest.raises(DagittyError, match=re.escape(message)):
        import_dagitty(model)


@pytest.mark.parametrize("source", [None, "gpt", "claude"])
def test_report_and_exports_fill_variables_alike(study, source) -> None:
    """The report's drawing and every export read one rule (SelectionDiagram.
    variable_sharing), so a variable's legend colour cannot differ between them."""
    from transport.report.diagram_model import diagram_model

    data = json.loads(export_graph(study, "json", **({"source": source} if source else {})))
    exported = {n["id"]: n["sharing"] for n in data["nodes"] if n["kind"] in ("variable", "latent")}
    if source is None:
        drawn = {n.id: n.sharing for n in diagram_model(study).nodes
                 if n.kind in ("variable", "latent")}
        assert drawn == exported == {"x": "differs", "z": "mixed", "y": "shared", "u": "mixed"}
    else:
        assert exported["z"] == ("shared" if source == "gpt" else "differs")


def test_report_drawing_and_json_export_have_the_same_edges(study) -> None:
    """The `<->` pair behind a selection node is drawn as an explicit cause in both, the
    other pair as an arc in both (both read SelectionDiagram.confounding)."""
    from collections import Counter

    from transport.report.diagram_model import diagram_model

    data = json.loads(export_graph(study, "json"))
    exported = Counter(e["kind"] for e in data["edges"])
    drawn = Counter(e.kind for e in diagram_model(study).edges)
    assert drawn == exported == Counter(directed=4, bidirected=1, cause=2, selection=6)
    model = diagram_model(study)
    assert {(e.tail, e.head) for e in model.edges if e.kind == "bidirected"} == {("x", "z")}
    assert {e.head for e in model.edges if e.kind == "cause"} == {"y", "z"}


def test_graph_json_carries_each_claims_robust_weight() -> None:
    study = loads(MINIMAL_STUDY.replace("shared y", "partial y sd 0.3 robust 0.25"))
    data = json.loads(export_graph(study, "json"))
    (y,) = [m for m in data["mechanisms"] if m["mechanism"] == "y"]
    assert (y["status"], y["sd"], y["robust"]) == ("partial", 0.3, 0.25)
    plain = json.loads(export_graph(loads(MINIMAL_STUDY), "json"))
    assert [m["robust"] for m in plain["mechanisms"]] == [None] * len(plain["mechanisms"])
