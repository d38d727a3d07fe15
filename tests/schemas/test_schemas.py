"""Every JSON output validates against the schema shipped in the package (jsonschema), and
the graph JSON and report.json share one node and edge vocabulary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from shared_fixtures import DIAGRAM_STUDY

from transport.cli import main
from transport.schemas import NAMES, schema, validate

ROOT = Path(__file__).parents[2]
FRAMING = ROOT / "examples" / "framing" / "study.tdag"


def run_json(capsys, *args: str):
    code = main([*args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.mark.parametrize("name", NAMES)
def test_every_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(name))


def test_schemas_are_package_data() -> None:
    folder = ROOT / "transport" / "schemas"
    assert sorted(p.name for p in folder.glob("*.schema.json")) == sorted(
        f"{n}.schema.json" for n in NAMES)


def test_graph_json_validates_and_uses_the_shared_vocabulary(capsys, tmp_path: Path) -> None:
    path = tmp_path / "s.tdag"
    path.write_text(DIAGRAM_STUDY, encoding="utf-8")
    code, data = run_json(capsys, "graph", str(path))
    assert code == 0
    validate(data, "graph")
    assert {n["kind"] for n in data["nodes"]} == {"variable", "latent", "cause", "selection"}
    assert {e["kind"] for e in data["edges"]} == {"directed", "bidirected", "cause",
                                                  "selection"}


def test_identify_and_check_json_validate(capsys) -> None:
    code, data = run_json(capsys, "identify", str(FRAMING))
    assert code == 0 and data["transportable"]
    validate(data, "identify")
    code, data = run_json(capsys, "check", str(FRAMING))
    validate(data, "check")
    code, many = run_json(capsys, "check", str(FRAMING), str(FRAMING))
    validate(many, "check")


def test_a_check_with_errors_validates(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.tdag"
    path.write_text("var x binary\nvar x binary\n", encoding="utf-8")
    code, data = run_json(capsys, "check", str(path))
    assert code == 1 and data["errors"] >= 1
    validate(data, "check")


def test_schemas_reject_what_they_should() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate({"schema_version": 1, "target": "h", "sources": [], "mechanisms": [],
                  "nodes": [{"id": "x", "kind": "observed", "type": "binary", "role": None,
                             "label": None, "sharing": "shared"}], "edges": []}, "graph")
    with pytest.raises(jsonschema.ValidationError):
        validate({"transportable": True, "effect": {"mean": 0.1}}, "estimate")
    with pytest.raises(jsonschema.ValidationError):
        validate({"file": "f", "errors": 0, "warnings": 0,
                  "diagnostics": [{"code": "X1", "severity": "error"}]}, "check")


def test_estimate_refusal_and_result_follow_the_minimal_schema(capsys, tmp_path: Path) -> None:
    validate({"transportable": False, "effect": None, "refusal": "why"}, "estimate")
    validate({"schema_version": 1, "transportable": True, "status": "transportable",
              "query": {"treatment": "x", "outcome": "y", "population": "human"},
              "effect": {"mean": 0.2, "hdi_95": [0.1, 0.3], "sd": 0.05}}, "estimate")


def test_report_json_validates_and_shares_the_graph_vocabulary(tmp_path: Path) -> None:
    study = tmp_path / "framing"
    shutil.copytree(FRAMING.parent, study)
    assert main(["report", str(study / "study.tdag"), "-o", str(tmp_path / "out"),
                 "--quiet"]) == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    validate(report, "report")
    assert report["estimation"]["status"] == "estimated"
    validate(report["estimation"]["result"], "estimate")
    kinds = {n["kind"] for n in report["diagram"]["nodes"]}
    assert kinds <= {"variable", "latent", "cause", "selection"}
    assert {"tail", "head", "kind"} <= set(report["diagram"]["edges"][0])


@pytest.mark.slow  # a PyMC fit: ~25 s on 2 cores
def test_calibrate_json_validates(capsys) -> None:
    pairs = ROOT / "examples" / "paired_effects" / "survey_experiments_llm_predictions.csv"
    code, data = run_json(capsys, "calibrate", str(pairs), "--llm", "pred:gpt-4",
                          "--human", "human_effect", "--se", "human_se", "--id", "study",
                          "--draws", "100")
    assert code == 0
    validate(data, "calibrate")


@pytest.mark.parametrize("example", ["framing", "minimum_wage", "contradicted", "conjoint"])
def test_estimate_json_follows_the_estimate_schema(capsys, example: str) -> None:
    path = FRAMING.parent.parent / example / "study.tdag"
    code, data = run_json(capsys, "estimate", str(path), "--draws", "400", "--no-robustness")
    assert code == 0
    validate(data, "estimate")
    assert data["assumption_checks"] and all(len(c["between"]) == 2
                                             for c in data["assumption_checks"])
    broken = json.loads(json.dumps(data))
    broken["assumption_checks"][0]["verdict"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        validate(broken, "estimate")
