"""What the version 2 clauses compile to, and the post-treatment covariate rule's meaning:
mediators and pure side effects of the treatment are allowed, descendants tied to the
outcome are not, and the d-separation it rests on agrees with networkx."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import networkx as nx
import pytest
from shared_fixtures import EXAMPLES

from transport.api import check_source
from transport.check.separation import d_separated
from transport.graph.mechanisms import adjustable_covariates
from transport.source import Source
from transport.study import Prediction, Recode

ROOT = Path(__file__).resolve().parents[2]


def codes(text: str) -> list[str]:
    return [d.code for d in check_source(Source(text, "t.tdag")).diagnostics]


def test_the_mixed_subjects_example_compiles_to_these_values() -> None:
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"^```tdag\n(.*?)^```", text, re.M | re.S)
                 if "gpt4o_saved" in b)
    result = check_source(Source(block))
    assert not result.errors
    gpt, labelled, unlabelled = result.study.data
    assert gpt.predictions == () and gpt.cluster is None and gpt.weight is None
    assert labelled.predictions == (Prediction("saved", "gpt4o", "gpt4o_saved"),)
    assert (labelled.cluster, labelled.weight) == ("respondent_id", "design_w")
    assert labelled.labelled("saved") and not unlabelled.labelled("saved")
    assert unlabelled.measures == ("more", "age")
    assert unlabelled.predictions_of("saved") == labelled.predictions
    assert (unlabelled.cluster, unlabelled.weight) == ("respondent_id", None)
    assert labelled.design_columns() == ("gpt4o_saved", "respondent_id", "design_w")
    assert result.study.query.scale == "difference"
    assert adjustable_covariates(result.study, labelled) == ("age",)


STUDY = """\
population gpt source
population human target
var x categorical(red, blue) treatment
var y ordinal(1..5) outcome
var z binary
{x z} -> y
shared y, z
data human "h.csv" experiment(x)
  recode y { "Strongly disagree" = 1, "Agree" = 5 }
  recode x { "Red" = red, "Blue" = blue }
estimate effect of x on y contrast red vs blue SCALE
"""


def test_recodes_and_scale_reach_the_study() -> None:
    study = check_source(Source(STUDY.replace(" SCALE", ""))).study
    (spec,) = study.data
    assert spec.recodes == (
        Recode("y", (("Strongly disagree", 1), ("Agree", 5))),
        Recode("x", (("Red", "red"), ("Blue", "blue"))),
    )
    assert spec.recode_for("x").as_dict() == {"Red": "red", "Blue": "blue"}
    assert spec.recode_for("z") is None
    assert study.query.scale == "difference"


def test_ratio_scales_need_a_binary_outcome() -> None:
    assert "E111" in codes(STUDY.replace("SCALE", "scale ratio"))
    binary = STUDY.replace("var y ordinal(1..5) outcome", "var y binary outcome").replace(
        '  recode y { "Strongly disagree" = 1, "Agree" = 5 }\n', "")
    for scale in ("ratio", "odds_ratio"):
        result = check_source(Source(binary.replace("SCALE", f"scale {scale}")))
        assert not result.errors and result.study.query.scale == scale


HEAD = """\
population gpt source
population human target
var x binary treatment
var y binary outcome
var age continuous
{x age} -> y
shared y, age
"""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # a mediator, measured beside x and y: integrated over, never held fixed
        ("var m binary\nx -> m -> y\nshared m\ndata human \"h.csv\" experiment(x)", []),
        # a pure side effect of x, d-separated from y given x
        ("var seen binary\nx -> seen\nshared seen\ndata human \"h.csv\" experiment(x)", []),
        # tied to y only through a pre-treatment covariate measured beside it: blocked
        ("var seen binary\nx -> seen\nage -> seen\nshared seen\n"
         "data human \"h.csv\" experiment(x)", []),
        # ... and open when that covariate is not measured there
        ("var seen binary\nx -> seen\nage -> seen\nshared seen\n"
         "data human \"h.csv\" experiment(x) measures(x, y, seen)", ["E112"]),
        # shares an unmeasured cause with y
        ("var seen binary\nx -> seen <-> y\nshared seen, seen <-> y\n"
         "data human \"h.csv\" experiment(x)", ["E112"]),
        # caused by the outcome (collider)
        ("var regret binary\n{x y} -> regret\nshared regret\n"
         "data human \"h.csv\" observational", ["E112"]),
        # a descendant of a mediator
        ("var m binary\nvar echo binary\nx -> m -> {y echo}\nshared m, echo\n"
         "data human \"h.csv\" experiment(x)", ["E112"]),
        # tied through a latent variable
        ("var u latent\nvar seen binary\nu -> {seen y}\nx -> seen\nshared u, seen\n"
         "data human \"h.csv\" experiment(x)", ["E112"]),
        # not a covariate where y is not measured (unlabelled units), nor in a source's data
        ("var seen binary\nx -> seen <-> y\nshared seen, seen <-> y\n"
         "data human \"u.csv\" observational measures(x, seen)\n"
         "data gpt \"g.csv\" experiment(x)", []),
        # a prediction-looking mediator is only a warning
        ("var gpt_y binary\nx -> gpt_y -> y\nshared gpt_y\ndata human \"h.csv\" experiment(x)",
         ["W106"]),
    ],
)
def test_what_counts_as_a_post_treatment_covariate(extra: str, expected: list[str]) -> None:
    found = [c for c in codes(HEAD + extra + "\n") if c in ("E112", "W106")]
    assert found == expected


def test_the_hint_points_to_predictions_when_the_column_looks_like_one() -> None:
    text = HEAD + (
        "var answer_b binary\nx -> answer_b <-> y\nshared answer_b, answer_b <-> y\n"
        'data human "h.csv" experiment(x) columns { answer_b = "llm_answer" }\n'
    )
    (diagnostic,) = [d for d in check_source(Source(text)).diagnostics if d.code == "E112"]
    assert 'predictions { y by gpt = "llm_answer" }' in diagnostic.hint


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_bundled_examples_have_no_new_findings(path: Path) -> None:
    new = {"E100", "E101", "E102", "E103", "E104", "E105", "E106", "E107", "E108", "E109",
           "E110", "E111", "E112", "W106"}
    found = codes(path.read_text(encoding="utf-8"))
    assert not new & set(found)
    assert not [c for c in found if c.startswith("E")]


def _random_graph(rng: random.Random, size: int):
    nodes = [f"v{i}" for i in range(size)]
    directed = [(a, b) for a, b in itertools.combinations(nodes, 2) if rng.random() < 0.3]
    bidirected = [(a, b) for a, b in itertools.combinations(nodes, 2) if rng.random() < 0.1]
    return nodes, directed, bidirected


def test_d_separation_agrees_with_networkx_on_random_graphs() -> None:
    rng = random.Random(10)
    checked = 0
    for _ in range(300):
        nodes, directed, bidirected = _random_graph(rng, rng.randint(3, 8))
        graph = nx.DiGraph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from(directed)
        for a, b in bidirected:
            graph.add_edges_from([(f"L{a}{b}", a), (f"L{a}{b}", b)])
        a, b = rng.sample(nodes, 2)
        given = {n for n in nodes if n not in (a, b) and rng.random() < 0.35}
        expected = nx.is_d_separator(graph, {a}, {b}, given)
        assert d_separated(directed, bidirected, a, b, given) == expected, (directed, a, b)
        checked += 1
    assert checked == 300
