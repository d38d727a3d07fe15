"""write_report: every section in HTML, Markdown and JSON, at every stage of a study."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_fixtures import (
    FRAMING,
    JSON_KEYS,
    MD_HEADINGS,
    SECTION_IDS,
    planning_copy,
    without_shared,
)

from transport import write_report
from transport.errors import UsageError


@pytest.fixture(scope="module")
def framing(tmp_path_factory):
    out = tmp_path_factory.mktemp("framing")
    return write_report(FRAMING, out, quiet=True, renderer="python", command_line="test")


@pytest.fixture(scope="module")
def planning(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plan")
    return write_report(planning_copy(tmp), tmp / "out", quiet=True, renderer="python")


def _read(paths) -> tuple[str, str, dict]:
    return (paths.html.read_text(encoding="utf-8"), paths.markdown.read_text(encoding="utf-8"),
            json.loads(paths.json.read_text(encoding="utf-8")))


def test_framing_report_has_every_section(framing):
    html, md, data = _read(framing)
    for key in SECTION_IDS:
        assert f'<section id="{key}">' in html
    for heading in MD_HEADINGS:
        assert heading in md
    for key in JSON_KEYS:
        assert key in data
    assert data["schema_version"] == 1
    assert data["estimation"]["status"] == "estimated"
    effect = data["estimation"]["result"]["effect"]
    assert 0.2 < effect["mean"] < 0.3
    assert {f.name for f in framing.figures} == {"diagram.svg", "forest.svg", "density.svg",
                                                 "robustness.svg"}
    for name in ("forest.svg", "density.svg", "robustness.svg", "diagram.svg"):
        assert f"({name})" in md
    assert html.count("<svg") >= 4
    assert "<math" in html and "$$" in md
    assert "kernel density of the draws" in html


def test_framing_report_content(framing):
    html, md, data = _read(framing)
    rows = {(r["mechanism"], r["source"]): r for r in data["assumptions"]}
    assert rows[("choose_risky", "gpt")]["status"] == "shared"
    assert rows[("choose_risky", "claude")]["sd"] == 0.3
    assert [d["rows"] for d in data["study"]["data"]] == [2000, 2000, 1200]
    repro = data["reproducibility"]
    assert repro["seed"] == 2026 and repro["command_line"] == "test"
    assert len(repro["tdag"]["sha256"]) == 64
    assert all(len(f["sha256"]) == 64 for f in repro["data_files"])
    assert "Horton 2023" in html and "Horton 2023" in md
    assert data["identification"]["transportable"] is True
    assert "No decision rule declared" in html


def test_html_is_self_contained(framing):
    html = framing.html.read_text(encoding="utf-8")
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered and "@import" not in lowered
    import re

    urls = set(re.findall(r"https?://[^\s\"'<>)]+", lowered))
    assert all(u.startswith("http://www.w3.org/") for u in urls), urls


def test_planning_stage_renders_without_data(planning):
    html, md, data = _read(planning)
    for key in SECTION_IDS:
        assert f'<section id="{key}">' in html
    for heading in MD_HEADINGS:
        assert heading in md
    estimation = data["estimation"]
    assert estimation["status"] == "missing_data"
    assert estimation["missing_files"] == ["data/gpt_runs.csv", "data/claude_runs.csv",
                                           "data/human_survey.csv"]
    for path in estimation["missing_files"]:
        assert path in html and path.replace("_", "\\_") in md
    assert "Planning stage" in html and "Planning stage" in md
    assert [f.name for f in planning.figures] == ["diagram.svg"]
    assert all(d["exists"] is False and d["rows"] is None for d in data["study"]["data"])
    assert data["identification"]["transportable"] is True


def test_refusal_is_reported(tmp_path):
    paths = write_report(without_shared(tmp_path), tmp_path / "out", quiet=True,
                         renderer="python")
    html, md, data = _read(paths)
    assert data["estimation"]["status"] == "refused"
    assert "not transportable" in data["estimation"]["message"]
    assert "Estimation refused" in html
    assert data["identification"]["suggestions_text"]


def test_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "report.md"
    existing.write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="report.md"):
        write_report(planning_copy(tmp_path), out, quiet=True, renderer="python")
    assert existing.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]
    paths = write_report(tmp_path / "planning" / "study.tdag", out, quiet=True, force=True,
                         renderer="python")
    assert "mine" not in paths.markdown.read_text(encoding="utf-8")


def test_writes_leave_no_temporary_files(tmp_path):
    paths = write_report(planning_copy(tmp_path), tmp_path / "out", quiet=True,
                         renderer="python")
    names = sorted(p.name for p in paths.folder.iterdir())
    assert names == ["diagram.svg", "report.html", "report.json", "report.md"]
    assert not [n for n in names if n.startswith(".")]
    assert all(p.stat().st_mode & 0o044 for p in paths.all)


def test_same_inputs_give_identical_files(tmp_path):
    first = write_report(FRAMING, tmp_path / "a", quiet=True, renderer="python",
                         command_line="same")
    second = write_report(FRAMING, tmp_path / "b", quiet=True, renderer="python",
                          command_line="same")
    for a, b in zip(first.all, second.all, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_output_folder_that_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        write_report(FRAMING, target, quiet=True)


def test_no_progress_lines_when_not_a_tty(tmp_path, capsys):
    write_report(planning_copy(tmp_path), tmp_path / "out", renderer="python")
    assert capsys.readouterr().err == ""


def test_graphviz_renderer_when_available(tmp_path):
    from transport.report.graphviz import dot_binary

    if dot_binary() is None:
        pytest.skip("Graphviz dot is not installed")
    paths = write_report(planning_copy(tmp_path), tmp_path / "out", quiet=True)
    data = json.loads(Path(paths.json).read_text(encoding="utf-8"))
    assert data["reproducibility"]["diagram_renderer"] == "graphviz"
    assert "<svg" in paths.html.read_text(encoding="utf-8")


def test_data_that_do_not_fit_are_reported(tmp_path):
    study = planning_copy(tmp_path)
    folder = study.parent / "data"
    folder.mkdir()
    for name in ("gpt_runs.csv", "claude_runs.csv", "human_survey.csv"):
        (folder / name).write_text("a,b\n1,2\n", encoding="utf-8")
    paths = write_report(study, tmp_path / "out", quiet=True, renderer="python")
    html, _, data = _read(paths)
    assert data["estimation"]["status"] == "data_error"
    assert "The data could not be used" in html
    assert [d["rows"] for d in data["study"]["data"]] == [1, 1, 1]


def test_importing_the_report_stage_does_not_import_matplotlib():
    import subprocess
    import sys

    code = ("import sys, transport, transport.report; "
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_decision_rule_verdict(tmp_path):
    from report_fixtures import with_decision

    paths = write_report(with_decision(tmp_path), tmp_path / "out", quiet=True,
                         renderer="python")
    html, md, data = _read(paths)
    rule = data["estimation"]["result"]["decision"]
    assert rule["holds"] is True and rule["label"] == "transported"
    assert "Decision rule </strong><code>transported if P(effect &gt; 0.05) &gt; 0.95</code>" \
        in html
    assert "conclude “transported”" in html
    assert "**met**" in md
    assert "Loss framing raises the share" in html
    assert "decision threshold 0.05" in (paths.folder / "density.svg").read_text()


def test_study_without_data_statements(tmp_path):
    study = tmp_path / "study.tdag"
    study.write_text('population gpt source "G"\npopulation human target "H"\n'
                     "var x binary treatment\nvar y binary outcome\nx -> y\nshared y\n"
                     "estimate effect of x on y in human\n", encoding="utf-8")
    paths = write_report(study, tmp_path / "out", quiet=True, renderer="python")
    html, md, data = _read(paths)
    assert data["estimation"]["status"] == "missing_data"
    assert data["estimation"]["missing_files"] == []
    assert "no data statements" in html and "no data statements" in md
    assert "Why not" in html and data["identification"]["suggestions_text"]
