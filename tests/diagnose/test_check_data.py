"""`transport check --data`: the graph tested against simulated data with known answers, the
exact text and JSON it prints, and data files that cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from simulated import write_study

from transport.api import load
from transport.cli import main
from transport.diagnose import check_data


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


def test_a_true_graph_passes_in_at_least_95_percent_of_datasets(tmp_path: Path) -> None:
    passed = 0
    for seed in range(40):
        check = check_data(load(write_study(tmp_path / str(seed), seed, n_target=300,
                                            n_source=300)))
        assert len(check.implications.tested) == 13
        passed += check.ok
    assert passed >= 38


def test_a_missing_edge_between_correlated_covariates_is_found_with_its_fix(
    capsys, tmp_path: Path
) -> None:
    path = write_study(tmp_path, seed=1, age_income=0.3)
    code, out, _ = call(capsys, "check", "--data", str(path))
    assert code == 1
    lines = out.splitlines()
    start = lines.index("Data files:")
    assert lines[start:start + 4] == [
        "Data files:",
        '  llm "llm.csv" experiment(treat): 600 rows',
        '  human "human.csv" observational: 600 rows',
        "",
    ]
    assert lines[start + 4] == ("Independencies the graph implies (Holm's correction over "
                                "13 tests, alpha 0.05):")
    assert lines[start + 5:start + 7] == [
        "  VIOLATED      age _||_ income in human (Fisher z, n = 600, p < 0.001, "
        "Holm p < 0.001)",
        "                add `age -> income` or `age <-> income`",
    ]
    assert lines[-1] == (f"{path}: data failed: 2 files read, 0 failed; implications: "
                         "11 consistent, 2 violated, 0 not testable")
    # with the edge added, the same data are consistent with the graph
    fixed = write_study(tmp_path / "fixed", seed=1, age_income=0.3, extra="age -> income")
    code, out, _ = call(capsys, "check", "--data", str(fixed))
    assert code == 0
    assert out.splitlines()[-1] == (f"{fixed}: data ok: 2 files read, 0 failed; "
                                    "implications: 11 consistent, 0 violated, 0 not testable")


def test_json_lists_each_implication_with_its_verdict(capsys, tmp_path: Path) -> None:
    path = write_study(tmp_path, seed=1, age_income=0.3)
    code, out, _ = call(capsys, "check", "--data", "--format", "json", str(path))
    assert code == 1
    data = json.loads(out)
    assert [d["rows"] for d in data["data"]] == [600, 600]
    first = data["implications"][0]
    assert set(first) >= {"statement", "population", "p_value", "verdict"}
    assert (first["statement"], first["population"], first["verdict"]) == (
        "age _||_ income", "human", "violated")
    assert first["fix"] == "add `age -> income` or `age <-> income`"
    assert first["p_value"] < 1e-6 and first["test"] == "Fisher z" and first["n"] == 600
    verdicts = {(d["statement"], d["population"]): d["verdict"] for d in data["implications"]}
    assert verdicts[("outcome _||_ region | income", "llm")] == "consistent"
    assert verdicts[("age _||_ treat", "llm")] == "consistent"


def test_a_failed_randomization_is_named(capsys, tmp_path: Path) -> None:
    path = write_study(tmp_path, seed=2)
    source = pd.read_csv(tmp_path / "llm.csv")
    rng = np.random.default_rng(0)
    source["treat"] = (rng.random(len(source)) < 1 / (1 + np.exp(-2 * source.age))).astype(int)
    source.to_csv(tmp_path / "llm.csv", index=False)
    code, out, _ = call(capsys, "check", "--data", str(path))
    assert code == 1
    assert ("                treat is declared randomized in llm.csv but depends on age: check "
            "the randomization, or declare the data observational") in out.splitlines()


def test_implications_no_dataset_can_test_are_listed(capsys, tmp_path: Path) -> None:
    path = write_study(tmp_path, seed=3)
    text = path.read_text().replace(
        "experiment(treat)", "experiment(treat) measures(age, smoker, treat, outcome)"
    ).replace("measures(age, income, region, smoker)", "measures(age, smoker)")
    path.write_text(text)
    code, out, _ = call(capsys, "check", "--data", "--format", "json", str(path))
    untested = [d for d in json.loads(out)["implications"] if d["population"] is None]
    assert {d["verdict"] for d in untested} == {"not_testable"}
    assert [(d["statement"], d["reason"]) for d in untested] == [
        ("age _||_ income", "no dataset measures age, income together"),
        ("age _||_ region", "no dataset measures age, region together"),
        ("income _||_ smoker", "no dataset measures income, smoker together"),
        ("income _||_ treat", "no dataset measures income, treat together"),
        ("outcome _||_ region | income", "no dataset measures outcome, region, income together"),
        ("region _||_ smoker", "no dataset measures region, smoker together"),
        ("region _||_ treat", "no dataset measures region, treat together"),
    ]
    assert code == 0


def test_every_bad_data_file_is_reported_and_the_good_ones_still_tested(
    capsys, tmp_path: Path
) -> None:
    path = write_study(tmp_path, seed=4)
    (tmp_path / "human.csv").unlink()
    source = pd.read_csv(tmp_path / "llm.csv")
    source.loc[3, "smoker"] = 7
    source.to_csv(tmp_path / "llm.csv", index=False)
    code, out, _ = call(capsys, "check", "--data", str(path))
    assert code == 1
    lines = out.splitlines()
    start = lines.index("Data files:")
    assert lines[start + 1:start + 5] == [
        '  llm "llm.csv" experiment(treat): error',
        f"    {tmp_path / 'llm.csv'}: column 'smoker' (smoker, binary): 1 values are not 0/1: "
        "rows 4 (values 7)",
        '  human "human.csv" observational: error',
        f"    {tmp_path / 'human.csv'}: file not found",
    ]
    assert "  none: every pair of measured variables is joined or confounded" not in lines
    assert lines[-1] == (f"{path}: data failed: 0 files read, 2 failed; implications: "
                         "0 consistent, 0 violated, 9 not testable")


def test_check_without_data_does_not_read_the_files(capsys, tmp_path: Path) -> None:
    path = write_study(tmp_path, seed=5)
    (tmp_path / "human.csv").unlink()
    code, out, _ = call(capsys, "check", str(path))
    assert code == 0 and "Data files:" not in out


def test_drop_missing_needs_data(capsys, tmp_path: Path) -> None:
    path = write_study(tmp_path, seed=6)
    code, _, err = call(capsys, "check", "--drop-missing", str(path))
    assert code == 2
    assert err == "transport: error: --drop-missing only applies with --data\n"


def test_missing_values_are_dropped_on_request(capsys, tmp_path: Path) -> None:
    path = write_study(tmp_path, seed=7)
    target = pd.read_csv(tmp_path / "human.csv")
    target.loc[[2, 5], "age"] = np.nan
    target.to_csv(tmp_path / "human.csv", index=False)
    code, out, _ = call(capsys, "check", "--data", str(path))
    assert code == 1 and "Drop those rows explicitly with --drop-missing" in out
    code, out, _ = call(capsys, "check", "--data", "--drop-missing", str(path))
    assert code == 0
    assert ('  human "human.csv" observational: 598 rows, 2 dropped for missing values'
            in out.splitlines())
