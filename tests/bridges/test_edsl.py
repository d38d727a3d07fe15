"""import-edsl on results made by the real edsl package (tests/fixtures/edsl/README.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from transport.api import import_edsl, loads
from transport.bridges.edsl import infer_variable, propose, read_results
from transport.cli import main
from transport.errors import DataError, TdagError, UsageError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "edsl"
CSV, JSON, JSONL = (FIXTURES / f"results.{ext}" for ext in ("csv", "json", "jsonl"))


def grammar_has_recode() -> bool:
    """Feature probe: the `recode` and `cluster` data clauses (the language's version 2
    additions) parse on this branch."""
    try:
        loads('population a source\npopulation h target\nvar x binary treatment\n'
              'var y binary outcome\nx -> y\ndata a "a.csv" experiment(x)\n'
              '  recode y { "Yes" = 1, "No" = 0 }\n  cluster "id"\n'
              'estimate effect of x on y in h\n')
    except TdagError:
        return False
    return True


needs_recode = pytest.mark.skipif(not grammar_has_recode(),
                                  reason="the recode/cluster clauses are not in this grammar")

EXPECTED_JSONL = """\
# Proposed by `transport import-edsl` from results.jsonl.
# Every type, recode and edge below is a proposal read off the results: check
# each one. No mechanism is declared: `transport check` lists those the effect
# depends on; state each as shared, differs or partial, with a reason.
tdag 1

population test  source "LLM agents (12 rows of results.csv)"
population human target "People"

var frame    binary        treatment
var age      binary
var ideology ordinal(1..3)
var risky    binary        outcome
var agree    ordinal(1..5)

# Proposed: every agent trait and scenario field may affect every answer.
{frame age ideology} -> {risky agree}

data test "results.csv" experiment(frame) measures(frame, age, ideology, risky, agree)
  columns { frame = "scenario.frame", age = "agent.age", ideology = "agent.ideology", \
risky = "answer.risky", agree = "answer.agree" }
  recode frame { "homes lost" = 1, "homes saved" = 0 }
  recode age { "young" = 1, "older" = 0 }
  recode risky { "Yes" = 1, "No" = 0 }
  recode agree { "Strongly disagree" = 1, "Disagree" = 2, "Neutral" = 3, "Agree" = 4, \
"Strongly agree" = 5 }
  cluster "agent.agent_index"

# The human target has no data yet; for example:
# data human "people.csv" observational measures(age, ideology)

estimate effect of frame on risky in human
"""


def test_jsonl_proposal_is_exactly_this(tmp_path: Path) -> None:
    text = import_edsl(JSONL, output=tmp_path / "study.tdag")
    assert text == EXPECTED_JSONL
    written = pd.read_csv(tmp_path / "results.csv", dtype=str)
    assert list(written.columns) == ["scenario.frame", "agent.age", "agent.ideology",
                                     "answer.risky", "answer.agree", "agent.agent_index"]
    assert len(written) == 12 and written["agent.agent_index"].nunique() == 6


def test_every_export_format_reads_as_the_same_rows() -> None:
    frames = {path.suffix: read_results(path)[0] for path in (JSON, JSONL)}
    columns = ["answer.risky", "answer.agree", "agent.age", "agent.ideology", "scenario.frame"]
    assert frames[".json"][columns].equals(frames[".jsonl"][columns])
    full, questions = read_results(CSV)
    assert len(full) == 48 and questions["risky"] == {"options": ["Yes", "No"],
                                                      "type": "multiple_choice"}
    assert questions["agree"]["type"] == "likert_five"
    one = full[(full["model.temperature"] == "0.0") & (full["iteration.iteration"] == "0")]
    assert sorted(map(tuple, one[columns].to_numpy())) == sorted(
        map(tuple, frames[".jsonl"][columns].to_numpy()))


def test_csv_is_used_in_place_and_clustered_on_the_agent() -> None:
    proposal = propose(CSV, out_dir=FIXTURES)
    assert [d.path for d in proposal.data] == ["results.csv"] and proposal.data[0].frame is None
    assert proposal.cluster == "agent.agent_index"
    kinds = {v.name: v.type_text() for v in proposal.variables}
    assert kinds == {"frame": "binary", "age": "binary", "ideology": "ordinal(1..3)",
                     "agree": "ordinal(1..5)", "risky": "binary"}
    assert any("agent_instruction" not in v.column for v in proposal.variables)


def test_split_by_writes_one_population_and_file_per_value(tmp_path: Path) -> None:
    text = import_edsl(CSV, split_by="model.temperature", output=tmp_path / "s.tdag")
    assert "population temperature_0_0 source" in text
    assert "population temperature_1_0 source" in text
    assert text.count("\n  cluster \"agent.agent_index\"") == 2
    for name in ("temperature_0_0", "temperature_1_0"):
        rows = pd.read_csv(tmp_path / f"results_{name}.csv", dtype=str)
        assert len(rows) == 24 and rows["model.temperature"].nunique() == 1
    # model.model names both test models "test": splitting by model gives one population
    (tmp_path / "m").mkdir()
    one = import_edsl(CSV, split_by="model", output=tmp_path / "m" / "s.tdag")
    assert "population test  source" in one and "data test \"results_test.csv\"" in one


@needs_recode
def test_proposal_checks_and_estimates_with_human_data(tmp_path: Path) -> None:
    from transport.api import estimate_study, load

    text = import_edsl(JSONL, output=tmp_path / "study.tdag")
    pd.DataFrame({"age": ["young", "older", "older", "young", "older"] * 20,
                  "ideology": [1, 2, 3, 3, 2] * 20}).to_csv(tmp_path / "people.csv",
                                                             index=False)
    text += ('shared risky, agree because "a test"\n'
             'data human "people.csv" observational measures(age, ideology)\n'
             '  recode age { "young" = 1, "older" = 0 }\n')
    (tmp_path / "study.tdag").write_text(text, encoding="utf-8")
    result = estimate_study(load(tmp_path / "study.tdag"), seed=0, checks=False,
                            robustness=False)
    effect = result.to_json()["effect"]
    assert -1 <= effect["hdi_95"][0] < effect["mean"] < effect["hdi_95"][1] <= 1


@needs_recode
def test_every_proposal_checks_without_errors(tmp_path: Path) -> None:
    for path in (CSV, JSON, JSONL):
        folder = tmp_path / path.suffix[1:]
        folder.mkdir()
        study = loads(import_edsl(path, output=folder / "s.tdag"), str(folder / "s.tdag"))
        assert study.query.treatment == "frame"


@pytest.mark.parametrize(
    ("values", "question", "kind", "recode"),
    [
        (["Yes", "No"], {"options": ["Yes", "No"], "type": "multiple_choice"}, "binary",
         (("Yes", "1"), ("No", "0"))),
        (["No"], {"options": ["No", "Yes"], "type": "yes_no"}, "binary",
         (("No", "0"), ("Yes", "1"))),
        (["left"], {"options": ["left", "right"]}, "binary", (("left", "1"), ("right", "0"))),
        (["3", "5"], {"options": [1, 2, 3, 4, 5], "type": "linear_scale"}, "ordinal(1..5)", ()),
        (["2.5", "7"], {"type": "numerical"}, "continuous", ()),
        (["2", "7"], {"type": "numerical"}, "count", ()),
        (["Red", "Dark blue"], {"options": ["Red", "Dark blue", "Green"],
                                "type": "multiple_choice"},
         'categorical(Red, "Dark blue", Green)', ()),
    ],
)
def test_answer_types_come_from_the_question(values, question, kind, recode) -> None:
    variable, reason = infer_variable("q", "answer.q", values, "answer", question)
    assert reason is None
    assert variable.type_text() == kind and variable.recode == recode


def test_a_trait_with_one_value_is_not_a_variable() -> None:
    variable, reason = infer_variable("country", "agent.country", ["US", "US"], "agent")
    assert variable is None and reason == "agent.country has one value (US)"


def test_command_errors(tmp_path: Path, capsys) -> None:
    assert main(["import-edsl", str(JSON)]) == 2
    assert "give -o OUT.tdag" in capsys.readouterr().err
    assert main(["import-edsl", str(CSV), "--split-by", "model.nmae", "-o",
                 str(tmp_path / "s.tdag")]) == 2
    assert "the results have no column 'model.nmae'" in capsys.readouterr().err
    (tmp_path / "s.tdag").write_text("mine\n")
    assert main(["import-edsl", str(JSONL), "-o", str(tmp_path / "s.tdag")]) == 2
    assert (tmp_path / "s.tdag").read_text() == "mine\n"
    assert not (tmp_path / "results.csv").exists()
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    assert main(["import-edsl", str(other)]) == 1
    assert "no answer.<question> columns" in capsys.readouterr().err
    with pytest.raises(UsageError, match="is .csv, .json or .jsonl"):
        read_results(tmp_path / "s.tdag")
    with pytest.raises(DataError, match="no results found"):
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"__header__": true}\n')
        read_results(bad)
