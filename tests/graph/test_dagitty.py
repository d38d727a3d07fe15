"""dagitty both ways, against what dagitty itself reads (golden files made by dagitty's own
parser, see tests/graph/dagitty_golden/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from transport.api import export_graph, import_dagitty, loads
from transport.cli import main
from transport.graph.dagitty import DagittyError, parse_dagitty

GOLDEN = Path(__file__).parent / "dagitty_golden"
MODELS = sorted((GOLDEN / "models").glob("*.txt"))
ACCEPTED = [m for m in MODELS if not m.stem.startswith(("err_", "refuse_"))]
STUDIES = sorted((GOLDEN / "studies").glob("*.tdag"))


def golden(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def expected(model: Path) -> dict:
    return json.loads((GOLDEN / "expected" / f"{model.stem}.json").read_text(encoding="utf-8"))


def edge_set(edges) -> set[tuple[str, str, str]]:
    """Edges with symmetric ones in a canonical orientation."""
    out = set()
    for tail, head, kind in edges:
        if kind in ("bidirected", "undirected", "unspecified"):
            tail, head = sorted((tail, head))
        out.add((tail, head, kind))
    return out


def test_the_corpus_is_large_and_varied() -> None:
    assert len(ACCEPTED) >= 20 and len(MODELS) >= 40
    assert all((GOLDEN / "expected" / f"{m.stem}.json").is_file() for m in MODELS)


@pytest.mark.parametrize("path", ACCEPTED, ids=lambda p: p.stem)
def test_reads_every_model_as_dagitty_does(path: Path) -> None:
    want = expected(path)
    assert want["accepted"]
    model = parse_dagitty(path.read_text(encoding="utf-8"))
    assert model.type == want["type"] and model.name == want["name"]
    assert model.nodes == [n["id"] for n in want["nodes"]]
    assert model.roles == {n["id"]: set(n["roles"]) for n in want["nodes"]}
    assert model.labels == {n["id"]: n["label"] for n in want["nodes"] if "label" in n}
    assert model.positions == {n["id"]: tuple(n["pos"]) for n in want["nodes"] if "pos" in n}
    assert {n: {k: (1 if v is None else v) for k, v in a.items()}
            for n, a in model.attributes.items()} == {
        n["id"]: n["attributes"] for n in want["nodes"] if "attributes" in n}
    assert [(e.tail, e.head, e.kind) for e in model.edges] == [
        (e["tail"], e["head"], e["kind"]) for e in want["edges"]]
    assert [e.attributes for e in model.edges] == [e.get("attributes", {}) for e in want["edges"]]


@pytest.mark.parametrize("path", [m for m in ACCEPTED if "serialised" in expected(m)],
                         ids=lambda p: p.stem)
def test_reads_dagittys_own_rewriting_as_the_same_graph(path: Path) -> None:
    want = expected(path)
    model = parse_dagitty(want["serialised"])
    assert set(model.nodes) == {n["id"] for n in want["nodes"]}
    assert edge_set((e.tail, e.head, e.kind) for e in model.edges) == edge_set(
        (e["tail"], e["head"], e["kind"]) for e in want["edges"])
    assert model.roles == {n["id"]: set(n["roles"]) for n in want["nodes"]}


def _study_graph(study) -> nx.DiGraph:
    """The study's DAG with each `<->` as an explicit latent common cause."""
    graph = nx.DiGraph(study.directed)
    graph.add_nodes_from(v.name for v in study.variables)
    for a, b in study.bidirected:
        graph.add_edges_from([(("U", a, b), a), (("U", a, b), b)])
    return graph


@pytest.mark.parametrize("path", [m for m in ACCEPTED if "implications" in expected(m)],
                         ids=lambda p: p.stem)
def test_imported_graph_implies_what_dagitty_implies(path: Path) -> None:
    """The skeleton loads, keeps every edge (names mapped as its `# renamed` lines say) and,
    by d-separation, every conditional independence dagitty lists for the model."""
    want = expected(path)
    skeleton = import_dagitty(path.read_text(encoding="utf-8"))
    renamed = dict(re.findall(r"^# renamed: '(.*)' is (\w+)$", skeleton, re.M))
    if "\nestimate effect" not in skeleton:  # no exposure/outcome pair: name the first edge's
        tail, head = re.search(r"^(\w+) -> (\w+)$", skeleton, re.M).groups()
        skeleton += f"estimate effect of {tail} on {head} in human\n"
    study = loads(skeleton)
    name = {n["id"]: renamed.get(n["id"], n["id"]) for n in want["nodes"]}
    directed = {(name[e["tail"]], name[e["head"]]) for e in want["edges"]
                if e["kind"] == "directed"}
    assert set(study.directed) == directed
    assert {frozenset(p) for p in study.bidirected} == {
        frozenset((name[e["tail"]], name[e["head"]])) for e in want["edges"]
        if e["kind"] == "bidirected"}
    graph = _study_graph(study)
    for item in want["implications"]:
        for given in item["given"]:
            assert nx.is_d_separator(graph, {name[item["x"]]}, {name[item["y"]]},
                                     {name[g] for g in given})


ERRORS = {
    "err_01_node_name": "dagitty line 1, column 7: dagitty does not allow a variable named "
                        "'node' (use the label attribute)",
    "err_02_graph_name": "dagitty line 1, column 12: dagitty does not allow a variable named "
                         "'graph' (use the label attribute)",
    "err_03_unclosed": "dagitty line 1, column 13: the model's '{' is never closed",
    "err_04_bad_token": "dagitty line 1, column 14: expected a variable, '{' or '}', "
                        "found '! }'",
    "err_05_group_attr": "dagitty line 1, column 7: attributes after a group of variables",
    "err_06_bad_pos": 'dagitty line 1, column 7: syntax error in the "pos" option '
                      '(expected "x,y")',
}


@pytest.mark.parametrize("stem", sorted(ERRORS))
def test_refuses_what_dagitty_refuses(stem: str) -> None:
    assert not expected(GOLDEN / "models" / f"{stem}.txt")["accepted"]
    with pytest.raises(DagittyError) as caught:
        parse_dagitty((GOLDEN / "models" / f"{stem}.txt").read_text(encoding="utf-8"))
    assert str(caught.value) == ERRORS[stem]


REFUSALS = {
    "refuse_01_pdag": "only dagitty 'dag' models can be imported, not 'pdag': a .tdag graph "
                      "is a DAG with <-> for unmeasured common causes",
    "refuse_02_undirected": "dagitty line 1: the undirected edge a -- b has no causal "
                            "reading; orient it",
    "refuse_03_partial": "dagitty line 1: the edge x @-> y is only partly oriented; a .tdag "
                         "graph needs -> or <->",
    "refuse_04_cycle": "the dagitty model has a directed cycle (a -> b -> c -> a); a .tdag "
                       "graph must be acyclic",
    "refuse_05_self_loop": "the dagitty model has a directed cycle (a -> a); a .tdag graph "
                           "must be acyclic",
    "refuse_07_mag": "only dagitty 'dag' models can be imported, not 'mag': a .tdag graph "
                     "is a DAG with <-> for unmeasured common causes",
    "refuse_08_graph": "only dagitty 'dag' models can be imported, not 'graph': a .tdag "
                       "graph is a DAG with <-> for unmeasured common causes",
}


@pytest.mark.parametrize("stem", sorted(REFUSALS))
def test_reads_but_refuses_to_import_what_a_tdag_graph_cannot_hold(stem: str) -> None:
    path = GOLDEN / "models" / f"{stem}.txt"
    want = expected(path)
    model = parse_dagitty(path.read_text(encoding="utf-8"))
    assert edge_set((e.tail, e.head, e.kind) for e in model.edges) == edge_set(
        (e["tail"], e["head"], e["kind"]) for e in want["edges"])
    assert (want["type"], want["acyclic"]) == (model.type, nx.is_directed_acyclic_graph(
        nx.DiGraph(model.directed)))
    with pytest.raises(DagittyError) as caught:
        import_dagitty(path.read_text(encoding="utf-8"))
    assert str(caught.value) == REFUSALS[stem]


def test_legacy_format_is_refused_with_what_to_do() -> None:
    text = (GOLDEN / "models" / "refuse_06_legacy.txt").read_text(encoding="utf-8")
    assert expected(GOLDEN / "models" / "refuse_06_legacy.txt")["accepted"]  # dagitty reads it
    with pytest.raises(DagittyError, match=r"dagitty's old format .* copy the model code"):
        import_dagitty(text)


def test_dropped_information_is_listed_in_the_skeleton() -> None:
    skeleton = import_dagitty((GOLDEN / "models" / "06_dagitty_net.txt").read_text())
    assert ("# Not imported (a .tdag study has no place for it):\n"
            "#   - layout positions (pos) of 4 variables and the bounding box (bb)\n"
            "#   - the role 'adjusted' of Z (identify chooses what to adjust for)\n"
            "#   - the edge attributes pos of E -> O\n") in skeleton
    selected = import_dagitty((GOLDEN / "models" / "13_selected.txt").read_text())
    assert ("#   - the role 'selected' of s (a .tdag study states selection as sharing "
            "assumptions)") in selected
    named = import_dagitty((GOLDEN / "models" / "27_edge_attributes.txt").read_text())
    assert "#   - the model's name" not in named
    assert '#   - the edge attributes beta="0.4", pos of a -> b' in named
    assert "#   - the model's name 'G'" in import_dagitty(
        (GOLDEN / "models" / "05_named.txt").read_text())
    several = import_dagitty((GOLDEN / "models" / "21_multiple_exposures.txt").read_text())
    assert "names several exposures or outcomes; the first of each is used" in several


def test_labels_are_kept_on_import() -> None:
    study = loads(import_dagitty((GOLDEN / "models" / "11_labels.txt").read_text()))
    assert study.variable("x").label == "Loss framing"
    assert study.variable("y").label == 'Chooses "risky"'


# --- export ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", STUDIES, ids=lambda p: p.stem)
def test_export_is_what_dagitty_read(path: Path) -> None:
    study = loads(path.read_text(encoding="utf-8"), path.name)
    text = export_graph(study, "dagitty")
    exported = GOLDEN / "exports" / f"{path.stem}.txt"
    assert text == exported.read_text(encoding="utf-8")
    read = golden(exported)
    assert read["accepted"], read.get("error")
    nodes = {n["id"]: n for n in read["nodes"]}
    by_name = {n.get("attributes", {}).get("tdag_name", n["id"]): n["id"] for n in nodes.values()}
    for variable in study.variables:
        node = nodes[by_name[variable.name]]
        assert node.get("label") == (variable.label or (
            variable.name if by_name[variable.name] != variable.name else None))
        assert ("latent" in node["roles"]) == (not variable.observed)
    assert "exposure" in nodes[by_name[study.query.treatment]]["roles"]
    assert "outcome" in nodes[by_name[study.query.outcome]]["roles"]
    selection = {i for i, n in nodes.items() if "tdag_selection" in n.get("attributes", {})}
    assert all("latent" in nodes[i]["roles"] for i in selection)
    for item in read.get("implications", []):
        assert not {item["x"], item["y"], *sum(item["given"], [])} & selection


def test_export_keeps_selection_nodes_out_of_dagittys_implications() -> None:
    read = golden(GOLDEN / "exports" / "chain.txt")
    assert {(i["x"], i["y"]) for i in read["implications"]} == {("a", "m"), ("a", "y"),
                                                                ("x", "y")}


@pytest.mark.parametrize("path", STUDIES, ids=lambda p: p.stem)
def test_export_then_import_is_the_same_graph(path: Path) -> None:
    study = loads(path.read_text(encoding="utf-8"), path.name)
    back = loads(import_dagitty(export_graph(study, "dagitty")))
    assert [v.name for v in back.variables] == [v.name for v in study.variables]
    assert [v.label for v in back.variables] == [v.label for v in study.variables]
    assert [v.observed for v in back.variables] == [v.observed for v in study.variables]
    assert set(back.directed) == set(study.directed)
    assert {frozenset(p) for p in back.bidirected} == {frozenset(p) for p in study.bidirected}
    assert (back.query.treatment, back.query.outcome) == (study.query.treatment,
                                                          study.query.outcome)
    assert [p.name for p in back.sources] == [p.name for p in study.sources]


def test_export_quotes_non_ascii_and_renames_reserved_names() -> None:
    unicode = (GOLDEN / "exports" / "unicode.txt").read_text(encoding="utf-8")
    assert '"größe" -> "结果"' in unicode and "S_llm_gr__e -> \"größe\"" in unicode
    reserved = (GOLDEN / "exports" / "reserved.txt").read_text(encoding="utf-8")
    assert 'node_ [exposure,tdag_name="node",label="node"]' in reserved
    assert not re.search(r"^(node|graph)\b", reserved, re.M)


# --- the command -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("dag { a -> b -> a }", "error: the dagitty model has a directed cycle (a -> b -> a)"),
        ("dag { x @-> y }", "error: dagitty line 1: the edge x @-> y is only partly oriented"),
        ("dag { a -> }", "error: dagitty line 1, column 12: expected a variable after the edge"),
    ],
)
def test_import_command_exits_1_on_models_it_cannot_use(capsys, tmp_path: Path, model: str,
                                                        message: str) -> None:
    path = tmp_path / "model.txt"
    path.write_text(model, encoding="utf-8")
    assert main(["import-dagitty", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(message)
