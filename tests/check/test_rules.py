"""What the checker builds, beyond its messages: the Study value and the JSON diagnostics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from transport.api import check_file, check_source, loads
from transport.source import Source
from transport.study import (
    CoefficientMechanism,
    Query,
    VariableMechanism,
    confounder,
)

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE = ROOT / "docs" / "language.md"


def _brief_text() -> str:
    """The complete example docs/language.md opens with (the design brief's example)."""
    match = re.search(r"^```tdag\n(.*?)^```", LANGUAGE.read_text(encoding="utf-8"),
                      re.S | re.M)
    assert match is not None, "docs/language.md has no ```tdag example"
    return match.group(1)


@pytest.fixture(scope="module")
def brief_result():
    return check_source(Source(_brief_text(), "brief.tdag"))


@pytest.fixture(scope="module")
def brief(brief_result):
    assert brief_result.study is not None, [d.message for d in brief_result.errors]
    return brief_result.study


def status(study, source: str, mechanism) -> str:
    return study.sharing(source, mechanism).status


# --- the brief's complete example ------------------------------------------------------------


def test_brief_example_has_no_errors_and_one_warning(brief_result) -> None:
    assert brief_result.errors == ()
    # gpt says nothing about age, which the effect on keep depends on (age -> keep).
    assert [(d.code, d.span.line) for d in brief_result.warnings] == [("W101", 16)]
    assert "P(age | parents) for gpt" in brief_result.warnings[0].message


def test_brief_populations_and_variables(brief) -> None:
    assert [(p.name, p.role) for p in brief.populations] == [
        ("gpt", "source"),
        ("claude", "source"),
        ("human", "target"),
    ]
    assert brief.target.name == "human"
    assert [p.name for p in brief.sources] == ["gpt", "claude"]
    kinds = {v.name: v.kind for v in brief.variables}
    assert kinds == {
        "frame": "binary",
        "keep": "binary",
        "ideology": "ordinal",
        "age": "continuous",
        "risk": "latent",
    }
    assert brief.variable("ideology").levels == (1, 2, 3, 4, 5, 6, 7)
    assert brief.variable("frame").is_treatment and brief.variable("keep").is_outcome
    assert not brief.variable("risk").observed


def test_brief_graph(brief) -> None:
    assert set(brief.directed) == {
        ("frame", "keep"),
        ("age", "keep"),
        ("ideology", "keep"),
        ("age", "ideology"),
        ("risk", "ideology"),
        ("risk", "keep"),
    }
    assert brief.bidirected == (("age", "keep"),)
    assert set(brief.parents("keep")) == {"frame", "age", "ideology", "risk"}


def test_brief_assumption_table(brief) -> None:
    # One row for every source and every mechanism (five variables, one confounder).
    assert len(brief.assumptions) == 2 * 6
    keep, ideology, age = (VariableMechanism(v) for v in ("keep", "ideology", "age"))
    for source in ("gpt", "claude"):
        assert status(brief, source, keep) == "shared"
        assert status(brief, source, ideology) == "differs"
        assert status(brief, source, VariableMechanism("risk")) == "shared"
        assert status(brief, source, confounder("keep", "age")) == "shared"
        assert status(brief, source, VariableMechanism("frame")) == "undeclared"
    shared_keep = brief.sharing("gpt", keep)
    assert shared_keep.because == "Loss and gain framing is learned from human-written text"
    assert shared_keep.cite == "Horton 2023"
    assert not brief.sharing("gpt", ideology).transports
    assert brief.sharing("gpt", ideology).because.startswith("Personas are sampled")
    # partial age sd 0.5 for claude only
    claude_age = brief.sharing("claude", age)
    assert (claude_age.status, claude_age.sd) == ("partial", 0.5)
    assert claude_age.because == "Persona ages follow the census only roughly"
    assert not claude_age.transports
    assert status(brief, "gpt", age) == "undeclared"
    assert brief.sharing("gpt", age).sd is None
    assert brief.coefficients == ()


def test_brief_data_specs(brief) -> None:
    gpt, claude, human = brief.data
    assert [d.population for d in brief.data] == ["gpt", "claude", "human"]
    assert (gpt.path, gpt.randomized, gpt.columns) == ("data/gpt_runs.csv", ("frame",), ())
    # without measures(...), a data statement measures every observed variable
    assert set(gpt.measures) == {"frame", "keep", "ideology", "age"}
    assert claude.path == "data/claude_runs.csv"
    assert claude.randomized == ("frame",) and claude.design() == "experiment(frame)"
    assert dict(claude.columns) == {"keep": "answer.keep", "frame": "scenario.frame"}
    assert claude.column_for("keep") == "answer.keep"
    assert claude.column_for("age") is None
    assert human.path == "data/human_survey.csv"
    assert human.observational and human.design() == "observational"
    assert human.measures == ("age", "ideology", "frame", "keep")
    assert brief.data_for("claude") == (claude,)


def test_brief_query_fit_and_info(brief) -> None:
    assert brief.query == Query("frame", "keep", "human", (1, 0))
    assert (brief.fit.chains, brief.fit.draws, brief.fit.seed) == (4, 1000, 2026)
    assert brief.info.title == "Status quo bias in budget allocation"
    assert brief.info.question.startswith("Does status-quo framing")
    assert brief.info.authors == ("A. Researcher",)


# --- semantics ---------------------------------------------------------------------------------

TWO_SOURCES = """\
population gpt source
population claude source
population human target
var x binary treatment
var y binary outcome
var z categorical(low, mid, high)
z -> x -> y
z -> y
"""


def test_for_defaults_to_every_source() -> None:
    study = loads(TWO_SOURCES + "differs y\nshared z\n")
    for source in ("gpt", "claude"):
        assert status(study, source, VariableMechanism("y")) == "differs"
        assert status(study, source, VariableMechanism("z")) == "shared"


def test_for_names_only_some_sources() -> None:
    study = loads(TWO_SOURCES + "shared y, z for claude\ndiffers y, z for gpt\n")
    assert status(study, "claude", VariableMechanism("y")) == "shared"
    assert status(study, "gpt", VariableMechanism("y")) == "differs"


def test_shared_for_one_source_and_differs_for_another_is_no_conflict() -> None:
    result = check_source(Source(TWO_SOURCES + "shared y for gpt\ndiffers y for claude\n"))
    assert result.errors == ()


def test_a_default_for_then_a_narrower_contradiction_is_an_error() -> None:
    result = check_source(Source(TWO_SOURCES + "shared y\ndiffers y for claude\n"))
    assert [d.code for d in result.errors] == ["E052"]
    assert "for claude" in result.errors[0].message


def test_undeclared_mechanisms_that_matter_are_warned_once_per_mechanism() -> None:
    result = check_source(Source(TWO_SOURCES))
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("W101", 5), ("W101", 6)]
    assert all("for gpt, claude" in d.message for d in result.diagnostics)
    assert result.study is not None
    assert status(result.study, "gpt", VariableMechanism("y")) == "undeclared"
    assert not result.study.sharing("gpt", VariableMechanism("y")).transports


def test_query_is_inferred_from_the_roles_without_an_estimate_statement() -> None:
    study = loads(TWO_SOURCES + "shared y, z\n")
    assert study.query == Query("x", "y", "human", (1, 0))


def test_estimate_statement_sets_the_query_and_contrast() -> None:
    text = TWO_SOURCES.replace("var x binary treatment", "var x ordinal(1..5) treatment")
    study = loads(text + "shared y, z\nestimate effect of x on y in human contrast 5 vs 1\n")
    assert study.query == Query("x", "y", "human", (5, 1))
    text = TWO_SOURCES.replace("treatment", "").replace("outcome", "")
    study = loads(text + "shared x, y\nestimate effect of z on y contrast high vs low\n")
    assert study.query == Query("z", "y", "human", ("high", "low"))
    assert study.variable("z").levels == ("low", "mid", "high")


def test_edge_level_sharing_becomes_a_coefficient_row() -> None:
    study = loads(TWO_SOURCES + "shared z\ndiffers y\nshared z -> y for gpt\n")
    assert [(a.source, a.mechanism) for a in study.coefficients] == [
        ("gpt", CoefficientMechanism("z", "y"))
    ]
    assert status(study, "gpt", CoefficientMechanism("z", "y")) == "shared"
    assert status(study, "claude", CoefficientMechanism("z", "y")) == "undeclared"


def test_edge_chains_groups_and_reverse_arrows_expand() -> None:
    text = """\
population gpt source
population human target
var a binary treatment
var b binary
var c binary outcome
var d binary
{a b} -> c <- d
d <-> a
shared a, b, c, d, a <-> d
"""
    study = loads(text)
    assert set(study.directed) == {("a", "c"), ("b", "c"), ("d", "c")}
    assert study.bidirected == (("a", "d"),)
    assert status(study, "gpt", confounder("d", "a")) == "shared"


def test_latent_variables_are_not_measured_by_default() -> None:
    text = TWO_SOURCES + 'var u latent\nu -> y\nshared y, z, u\ndata human "h.csv" observational\n'
    (spec,) = loads(text).data
    assert "u" not in spec.measures
    assert set(spec.measures) == {"x", "y", "z"}


def test_check_file_keeps_the_path_and_missing_data_files_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "study.tdag"
    path.write_text(
        TWO_SOURCES + 'shared y, z\ndata gpt "data/none.csv" experiment(x)\n', encoding="utf-8"
    )
    source, result = check_file(path)
    assert result.diagnostics == ()
    assert result.study.path == path.resolve()
    assert result.study.base_dir == tmp_path.resolve()
    assert source.name == str(path)


# --- JSON diagnostics ---------------------------------------------------------------------------

JSON_FIELDS = ["code", "severity", "message", "line", "column", "end_line", "end_column", "hint"]


def test_diagnostic_json_fields() -> None:
    result = check_source(Source(TWO_SOURCES + "shared y, zz\n"))
    error, *_ = result.errors
    record = error.to_json()
    assert list(record) == JSON_FIELDS
    assert record == {
        "code": "E040",
        "severity": "error",
        "message": "unknown variable 'zz'",
        "line": 9,
        "column": 11,
        "end_line": 9,
        "end_column": 13,
        "hint": "did you mean 'z'?",
    }
    warning = result.warnings[0].to_json()
    assert warning["severity"] == "warning" and warning["code"] == "W101"
    json.dumps([d.to_json() for d in result.diagnostics])  # serializable as it is


def test_diagnostic_json_without_a_hint_has_null_hint() -> None:
    result = check_source(Source(TWO_SOURCES + "shared y, z\nvar x continuous\n"))
    (record,) = [d.to_json() for d in result.errors]
    assert record["code"] == "E030" and record["hint"] is None
    assert (record["line"], record["column"]) == (10, 5)
