"""identify, estimate, report, prereg, fmt --diff and the internal-error exit code, run
through the command line as a user runs them. Texts are exact where they are stable;
estimates are checked by their fields (the estimator may change its numbers, not its
contract: a finite 95% interval around the mean)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shared_fixtures import ROOT

from transport.cli import main

FRAMING = ROOT / "examples" / "framing" / "study.tdag"

NOT_TRANSPORTABLE = """\
population gpt source
population human target
var x binary treatment
var y binary outcome
x -> y
differs y
data gpt "g.csv" experiment(x)
estimate effect of x on y in human
"""


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


@pytest.fixture
def not_transportable(tmp_path: Path) -> Path:
    path = tmp_path / "nt.tdag"
    path.write_text(NOT_TRANSPORTABLE, encoding="utf-8")
    return path


def test_identify_text(capsys):
    code, out, _ = call(capsys, "identify", FRAMING)
    assert code == 0
    assert out.splitlines()[:5] == [
        "Effect of interest: P_human(choose_risky | do(loss_frame))  [US adults in an online "
        "opinion panel]",
        "Transportable: yes",
        "",
        "Formula:",
        "  Σ_{age_group,ideology} P_gpt(choose_risky | do(loss_frame), age_group, ideology) "
        "P_human(age_group, ideology)",
    ]
    assert "It reads:" in out and "Derivation:" in out


def test_identify_json(capsys):
    code, out, _ = call(capsys, "identify", FRAMING, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["status"] == "transportable" and data["transportable"] is True
    assert data["query"] == {"treatment": ["loss_frame"], "outcome": ["choose_risky"],
                             "population": "human"}
    assert set(data["estimand"]) == {"text", "latex", "tree"}
    assert {u["population"] for u in data["uses"]} == {"gpt", "human"}


def test_identify_latex_of_a_non_transportable_study(capsys, not_transportable):
    code, out, _ = call(capsys, "identify", not_transportable, "--format", "latex")
    assert code == 0
    assert out.startswith("% not transportable: P_human(y | do(x)) is not transportable")
    assert "not not" not in out and out.count("\n") == 1


def test_identify_latex_of_a_formula(capsys):
    code, out, _ = call(capsys, "identify", FRAMING, "--format", "latex")
    assert code == 0 and out.startswith("\\sum_{")


def test_estimate_json_fields(capsys):
    code, out, _ = call(capsys, "estimate", FRAMING, "--format", "json", "--draws", "400",
                        "--no-robustness")
    data = json.loads(out)
    assert code == 0
    assert data["status"] == "transportable" and data["draws"] == 400
    effect = data["effect"]
    low, high = effect["hdi_95"]
    assert all(math.isfinite(v) for v in (low, high, effect["mean"], effect["sd"]))
    assert low < effect["mean"] < high and effect["sd"] > 0
    assert set(data["source_effects"]) == {"gpt", "claude"}
    for own in data["source_effects"].values():
        assert own["hdi_95"][0] < own["mean"] < own["hdi_95"][1]
    # every pair that speaks to choose_risky: the target with each source, the two sources
    assert [(c["mechanism"], c["between"]) for c in data["assumption_checks"]] == [
        ("choose_risky", ["human", "claude"]), ("choose_risky", ["human", "gpt"]),
        ("choose_risky", ["claude", "gpt"])]
    assert data["seed"] == 2026  # the file's fit seed


def test_estimate_is_reproducible_with_a_seed(capsys):
    args = ("estimate", FRAMING, "--format", "json", "--draws", "300", "--no-checks",
            "--no-robustness", "--seed", "7")
    first = json.loads(call(capsys, *args)[1])
    second = json.loads(call(capsys, *args)[1])
    assert first["effect"] == second["effect"] and first["seed"] == 7


def test_estimate_refusal_exits_1_with_the_reason(capsys, not_transportable, tmp_path):
    pd = pytest.importorskip("pandas")
    pd.DataFrame({"x": [0, 1, 0, 1], "y": [0, 1, 1, 1]}).to_csv(tmp_path / "g.csv",
                                                                index=False)
    code, out, _ = call(capsys, "estimate", not_transportable, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["effect"] is None and data["transportable"] is False
    assert data["refusal"].startswith("no estimate: the effect is not transportable")


def test_estimate_data_error_as_json(capsys, tmp_path):
    folder = tmp_path / "semi"
    shutil.copytree(FRAMING.parent, folder)
    survey = folder / "data" / "human_survey.csv"
    survey.write_text(survey.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    code, out, _ = call(capsys, "estimate", folder / "study.tdag", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert (data["errors"], data["warnings"]) == (1, 0)
    [diagnostic] = data["diagnostics"]
    assert diagnostic["code"] == "DATA" and diagnostic["severity"] == "error"
    assert diagnostic["line"] == next(
        i for i, line in enumerate((folder / "study.tdag").read_text().splitlines(), 1)
        if line.startswith("data human"))
    assert "separate its columns with ';'" in diagnostic["message"]


def test_report_writes_three_files_and_refuses_to_overwrite(capsys, tmp_path):
    out_dir = tmp_path / "report"
    code, out, _ = call(capsys, "report", FRAMING, "-o", out_dir, "--quiet", "--format", "json")
    listed = json.loads(out)
    assert code == 0
    assert listed["folder"] == str(out_dir)
    names = {Path(p).name for p in listed["files"]}
    assert {"report.html", "report.md", "report.json"} <= names
    assert all(Path(p).is_file() for p in listed["files"])
    data = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    assert data["estimation"]["status"] == "estimated"
    assert data["reproducibility"]["command_line"].startswith("transport report ")
    before = (out_dir / "report.html").read_bytes()
    code, _, err = call(capsys, "report", FRAMING, "-o", out_dir, "--quiet")
    assert code == 2 and "already exists; use --force" in err
    assert (out_dir / "report.html").read_bytes() == before


def test_prereg_to_stdout_and_to_a_new_file(capsys, tmp_path):
    code, out, _ = call(capsys, "prereg", FRAMING)
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == ["## Study Information", "## Hypotheses", "## Design Plan",
                        "## Sampling Plan", "## Variables", "## Analysis Plan",
                        "## Inference Criteria"]
    target = tmp_path / "prereg.md"
    code, _, err = call(capsys, "prereg", FRAMING, "-o", target)
    assert code == 0 and target.read_text(encoding="utf-8") == out
    assert err.strip() == f"wrote {target}"
    code, _, err = call(capsys, "prereg", FRAMING, "-o", target)
    assert code == 2 and "already exists" in err


def test_fmt_diff(capsys, tmp_path):
    path = tmp_path / "s.tdag"
    path.write_text("population gpt source\npopulation human target\nvar x binary treatment\n"
                    "var y binary outcome\nx -> y\nshared y\n", encoding="utf-8")
    code, out, _ = call(capsys, "fmt", "--diff", path)
    assert code == 1
    assert out.splitlines() == [
        f"{path}: would be reformatted",
        f"--- {path} (as written)",
        f"+++ {path} (formatted)",
        "@@ -1,4 +1,4 @@",
        "-population gpt source",
        "+population gpt   source",
        " population human target",
        " var x binary treatment",
        " var y binary outcome",
    ]
    assert path.read_text(encoding="utf-8").startswith("population gpt source\n")  # unwritten
    code, out, _ = call(capsys, "fmt", "--diff", FRAMING)
    assert (code, out) == (0, f"{FRAMING}: already formatted\n")


def test_an_internal_fault_exits_3_without_a_traceback(capsys, monkeypatch):
    import transport.api

    def broken(study):
        raise RuntimeError("boom")

    monkeypatch.setattr(transport.api, "identify", broken)
    code, out, err = call(capsys, "identify", FRAMING)
    assert (code, out) == (3, "")
    assert err.startswith("transport: internal error: RuntimeError: boom\n")
    assert "This is a bug in transport, not in your file" in err


def test_the_readme_headline_command(tmp_path):
    """`transport estimate examples/framing/study.tdag`, as the README tells a newcomer."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "transport estimate examples/framing/study.tdag" in readme
    done = subprocess.run([sys.executable, "-m", "transport", "estimate",
                           "examples/framing/study.tdag"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == ("Effect of loss_frame (1 vs 0) on choose_risky in human "
                        "(difference in probability):")
    assert "  identified by: Σ_{age_group,ideology} P_gpt(choose_risky | do(loss_frame), " \
           "age_group, ideology) P_human(age_group, ideology)" in lines
    assert "  rests on: partial choose_risky sd 0.3 for claude (no human rows can check it); " \
           "shared choose_risky for gpt (no human rows can check it)" in lines
    for heading in ("Each source's own effect (its experiment, taken as is):",
                    "Sharing claims against the data:",
                    "What each source contributed:",
                    "How wrong may the sharing claims be?"):
        assert heading in lines
    assert any(line.startswith("  naive estimate (from gpt): +") for line in lines)
