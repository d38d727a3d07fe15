"""The `transport` command: exit codes, output formats, and files it must not clobber.

Exit codes: 0 clean or warnings only, 1 errors in the user's file, 2 usage errors. No
traceback ever reaches the user for any of these.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shared_fixtures import EXAMPLES, MINIMAL_STUDY

from transport.api import format_source, parse
from transport.cli import main
from transport.source import Source

CLEAN = MINIMAL_STUDY
WARNINGS_ONLY = CLEAN + "var z binary\n"
ERRORS = CLEAN + "x -> yy\n"
SYNTAX_ERRORS = CLEAN + "x -> y;\n"
WITH_DATA = CLEAN + 'data gpt "data/missing.csv" experiment(x)\n'
DAGITTY = """\
dag {
  x [exposure]
  y [outcome]
  u [latent]
  x -> y
  u -> x
  u -> y
}
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m transport ARGS`; asserts that no traceback reaches stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "transport", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def call(capsys, *args: str) -> tuple[int, str, str]:
    """`transport.cli.main(ARGS)`: (exit code, stdout, stderr), with no traceback."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {}
    for name, text in {
        "clean": CLEAN,
        "warnings": WARNINGS_ONLY,
        "errors": ERRORS,
        "syntax": SYNTAX_ERRORS,
        "data": WITH_DATA,
    }.items():
        path = tmp_path / f"{name}.tdag"
        path.write_text(text, encoding="utf-8")
        made[name] = path
    made["dagitty"] = tmp_path / "model.dag"
    made["dagitty"].write_text(DAGITTY, encoding="utf-8")
    return made


# --- exit codes through a real process -----------------------------------------------------


def test_subprocess_exit_codes(files: dict[str, Path], tmp_path: Path) -> None:
    clean = run("check", str(files["clean"]))
    assert clean.returncode == 0
    assert clean.stdout.strip().endswith("ok: 0 errors, 0 warnings")

    warned = run("check", str(files["warnings"]))
    assert warned.returncode == 0
    assert "warning[W102]" in warned.stdout

    failed = run("check", str(files["errors"]))
    assert failed.returncode == 1
    assert "error[E040]: unknown variable 'yy'" in failed.stdout
    assert "failed: 1 error, 0 warnings" in failed.stdout

    missing = run("check", str(tmp_path / "nowhere.tdag"))
    assert missing.returncode == 2
    assert "file not found" in missing.stderr


def test_subprocess_usage_errors(files: dict[str, Path]) -> None:
    assert run("check", "--no-such-flag", str(files["clean"])).returncode == 2
    assert run().returncode == 2
    unknown = run("graph", str(files["clean"]), "--source", "gtp")
    assert unknown.returncode == 2
    assert "'gtp' is not a source population" in unknown.stderr
    assert "did you mean 'gpt'?" in unknown.stderr


# --- exit codes through main() -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("clean", 0), ("warnings", 0), ("data", 0), ("errors", 1), ("syntax", 1)],
)
def test_check_exit_code(capsys, files: dict[str, Path], name: str, expected: int) -> None:
    code, out, err = call(capsys, "check", str(files[name]))
    assert code == expected
    assert err == ""


def test_check_reports_syntax_errors_with_a_caret(capsys, files: dict[str, Path]) -> None:
    code, out, _ = call(capsys, "check", str(files["syntax"]))
    assert code == 1
    assert f"{files['syntax']}:7:7: error[E002]: unexpected character ';'" in out
    assert " 7 | x -> y;\n   |       ^\n" in out


def test_check_several_files_fails_if_any_fails(capsys, files: dict[str, Path]) -> None:
    code, out, _ = call(capsys, "check", str(files["clean"]), str(files["errors"]))
    assert code == 1
    assert out.count(": ok: ") == 1 and out.count(": failed: ") == 1


def test_check_non_utf8_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "latin1.tdag"
    path.write_bytes("population caf\xe9 source\n".encode("latin-1"))
    code, out, _ = call(capsys, "check", str(path))
    assert code == 1
    assert "error[E001]: the file is not valid UTF-8 (byte 0xe9)" in out


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--no-such-flag", "x.tdag"],
        ["check", "--format", "xml", "x.tdag"],
        ["frobnicate"],
        [],
        ["fmt", "missing.tdag"],
        ["graph", "missing.tdag"],
        ["import-dagitty", "missing.dag"],
    ],
    ids=lambda args: " ".join(args) or "no-command",
)
def test_usage_errors_exit_2(capsys, tmp_path: Path, monkeypatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = call(capsys, *args)
    assert code == 2


def test_missing_file_is_a_usage_error(capsys, tmp_path: Path) -> None:
    code, out, err = call(capsys, "check", str(tmp_path / "nowhere.tdag"))
    assert code == 2
    assert err.startswith("transport: error: file not found:")


def test_unknown_source_in_graph(capsys, files: dict[str, Path]) -> None:
    code, out, err = call(capsys, "graph", str(files["clean"]), "--source", "gtp")
    assert code == 2
    assert out == ""
    assert "did you mean 'gpt'?" in err


def test_graph_of_a_file_with_errors_exits_1(capsys, files: dict[str, Path]) -> None:
    code, out, err = call(capsys, "graph", str(files["errors"]))
    assert code == 1
    assert "error[E040]" in err


def test_folder_instead_of_file(capsys, tmp_path: Path) -> None:
    code, _, err = call(capsys, "check", str(tmp_path))
    assert code == 2
    assert "is a folder" in err


# --- check --format json -------------------------------------------------------------------

DIAGNOSTIC_FIELDS = ["code", "severity", "message", "line", "column", "end_line", "end_column",
                     "hint"]


def test_check_json_schema_for_one_file(capsys, files: dict[str, Path]) -> None:
    code, out, _ = call(capsys, "check", "--format", "json", str(files["errors"]))
    assert code == 1
    report = json.loads(out)
    assert list(report) == ["file", "errors", "warnings", "diagnostics"]
    assert report["file"] == str(files["errors"])
    assert (report["errors"], report["warnings"]) == (1, 0)
    (diagnostic,) = report["diagnostics"]
    assert list(diagnostic) == DIAGNOSTIC_FIELDS
    assert diagnostic == {
        "code": "E040",
        "severity": "error",
        "message": "unknown variable 'yy'",
        "line": 7,
        "column": 6,
        "end_line": 7,
        "end_column": 8,
        "hint": "did you mean 'y'?",
    }


def test_check_json_for_several_files_is_a_list(capsys, files: dict[str, Path]) -> None:
    paths = [str(files[n]) for n in ("clean", "warnings", "syntax")]
    code, out, _ = call(capsys, "check", "--format", "json", *paths)
    assert code == 1
    reports = json.loads(out)
    assert [r["file"] for r in reports] == paths
    assert [(r["errors"], r["warnings"]) for r in reports] == [(0, 0), (0, 1), (1, 0)]
    assert reports[1]["diagnostics"][0]["severity"] == "warning"
    assert reports[2]["diagnostics"][0]["code"] == "E002"
    for report in reports:
        for diagnostic in report["diagnostics"]:
            assert list(diagnostic) == DIAGNOSTIC_FIELDS
            assert isinstance(diagnostic["line"], int) and isinstance(diagnostic["column"], int)


def test_check_json_through_a_process(files: dict[str, Path]) -> None:
    done = run("check", "--format", "json", str(files["warnings"]))
    assert done.returncode == 0
    report = json.loads(done.stdout)
    assert report["errors"] == 0 and report["warnings"] == 1
    assert report["diagnostics"][0]["code"] == "W102"


# --- fmt ---------------------------------------------------------------------------------------

MESSY = """\
# a study
population   gpt source     # the model
population human target
var x binary treatment
var y   binary outcome
x->y   # the effect
shared y because "it is"   # why
"""


def test_fmt_check_reports_and_writes_nothing(capsys, tmp_path: Path) -> None:
    path = tmp_path / "messy.tdag"
    path.write_text(MESSY, encoding="utf-8")
    before = path.stat().st_mtime_ns
    code, out, _ = call(capsys, "fmt", "--check", str(path))
    assert code == 1
    assert "would be reformatted" in out
    assert path.read_text(encoding="utf-8") == MESSY
    assert path.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messy.tdag"]


def test_fmt_rewrites_then_check_passes(capsys, tmp_path: Path) -> None:
    path = tmp_path / "messy.tdag"
    path.write_text(MESSY, encoding="utf-8")
    code, _, _ = call(capsys, "fmt", str(path))
    assert code == 0
    formatted = path.read_text(encoding="utf-8")
    assert formatted != MESSY
    assert formatted == format_source(MESSY)
    assert _comments(formatted) == _comments(MESSY)
    code, out, _ = call(capsys, "fmt", "--check", str(path))
    assert code == 0
    assert "already formatted" in out


def test_fmt_stdout_leaves_the_file_alone(capsys, tmp_path: Path) -> None:
    path = tmp_path / "messy.tdag"
    path.write_text(MESSY, encoding="utf-8")
    code, out, _ = call(capsys, "fmt", "--stdout", str(path))
    assert code == 0
    assert out == format_source(MESSY)
    assert path.read_text(encoding="utf-8") == MESSY


def test_fmt_of_a_file_with_syntax_errors_exits_1(capsys, files: dict[str, Path]) -> None:
    before = files["syntax"].read_text(encoding="utf-8")
    code, _, err = call(capsys, "fmt", str(files["syntax"]))
    assert code == 1
    assert "error[E002]" in err
    assert files["syntax"].read_text(encoding="utf-8") == before


def _comments(text: str) -> list[str]:
    return [c.text for c in parse(Source(text)).comments]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
def test_fmt_keeps_comments_and_is_idempotent_on_examples(example: Path) -> None:
    original = example.read_text(encoding="utf-8")
    once = format_source(original)
    assert format_source(once) == once
    assert _comments(once) == _comments(original)
    assert parse(once).statements == parse(original).statements


def test_there_are_examples() -> None:
    assert EXAMPLES, "no examples/*/study.tdag found"


def test_fmt_command_on_a_copy_of_every_example(capsys, tmp_path: Path) -> None:
    copies = []
    for example in EXAMPLES:
        copy = tmp_path / f"{example.parent.name}.tdag"
        shutil.copyfile(example, copy)
        copies.append(copy)
    code, _, _ = call(capsys, "fmt", *map(str, copies))
    assert code == 0
    code, _, _ = call(capsys, "fmt", "--check", *map(str, copies))
    assert code == 0
    for example, copy in zip(EXAMPLES, copies, strict=True):
        assert _comments(copy.read_text(encoding="utf-8")) == _comments(
            example.read_text(encoding="utf-8")
        )


# --- graph -o and import-dagitty -o ------------------------------------------------------------


def test_graph_output_refuses_to_overwrite(capsys, files: dict[str, Path], tmp_path: Path) -> None:
    out_path = tmp_path / "diagram.dot"
    out_path.write_text("precious\n", encoding="utf-8")
    code, _, err = call(capsys, "graph", str(files["clean"]), "-o", str(out_path))
    assert code == 2
    assert "already exists" in err and "--force" in err
    assert out_path.read_text(encoding="utf-8") == "precious\n"

    code, _, _ = call(capsys, "graph", str(files["clean"]), "-o", str(out_path), "--force")
    assert code == 0
    assert out_path.read_text(encoding="utf-8") != "precious\n"


def test_graph_output_to_a_new_file(capsys, files: dict[str, Path], tmp_path: Path) -> None:
    out_path = tmp_path / "diagram.json"
    code, out, err = call(
        capsys, "graph", str(files["clean"]), "--format", "json", "-o", str(out_path)
    )
    assert code == 0
    assert out == ""
    assert f"wrote {out_path}" in err
    json.loads(out_path.read_text(encoding="utf-8"))


def _graph_edges(fmt: str, out: str) -> set[tuple[str, str]]:
    """The edges a graph export draws, read back from its own format; a selection node
    is written as "S" whatever the format names it."""
    import re
    import xml.etree.ElementTree as ElementTree

    if fmt == "dot":
        pairs = re.findall(r'^\s*"([^"]+)" -> "([^"]+)"', out, re.M)
    elif fmt == "dagitty":
        pairs = re.findall(r"^(\S+) -> (\S+)$", out, re.M)
    elif fmt == "json":
        pairs = [(e["tail"], e["head"]) for e in json.loads(out)["edges"]]
    elif fmt == "graphml":
        root = ElementTree.fromstring(out.encode("utf-8"))
        pairs = [(e.get("source"), e.get("target")) for e in root.iter()
                 if e.tag.endswith("}edge")]
    else:
        labels = dict(re.findall(r'^\s*(\w+)[({\[]+"([^"]+)"', out, re.M))
        pairs = [(labels[a], labels[b])
                 for a, b in re.findall(r"^\s*(\w+) -?\.?-+> (\w+)$", out, re.M)]
    return {tuple("S" if n.startswith("S") and n != "x" else n for n in p) for p in pairs}


@pytest.mark.parametrize("fmt", ["dot", "dagitty", "json", "graphml", "mermaid"])
def test_graph_formats(capsys, files: dict[str, Path], fmt: str) -> None:
    # x -> y, y shared, x undeclared: one selection node, at x
    code, out, _ = call(capsys, "graph", str(files["clean"]), "--format", fmt)
    assert code == 0
    assert _graph_edges(fmt, out) == {("x", "y"), ("S", "x")}


def test_import_dagitty_writes_a_skeleton_that_checks(
    capsys, files: dict[str, Path], tmp_path: Path
) -> None:
    skeleton = tmp_path / "skeleton.tdag"
    code, _, _ = call(capsys, "import-dagitty", str(files["dagitty"]), "-o", str(skeleton))
    assert code == 0
    text = skeleton.read_text(encoding="utf-8")
    assert "x -> y" in text and "var u latent" in text

    code, out, _ = call(capsys, "check", "--format", "json", str(skeleton))
    assert code == 0
    report = json.loads(out)
    assert report["errors"] == 0 and report["warnings"] > 0
    assert {d["code"] for d in report["diagnostics"]} == {"W101"}

    code, _, err = call(capsys, "import-dagitty", str(files["dagitty"]), "-o", str(skeleton))
    assert code == 2
    assert "already exists" in err
    assert skeleton.read_text(encoding="utf-8") == text


def test_import_dagitty_to_stdout_through_a_process(files: dict[str, Path]) -> None:
    done = run("import-dagitty", str(files["dagitty"]))
    assert done.returncode == 0
    assert "estimate effect of x on y" in done.stdout


def test_import_dagitty_of_a_bad_model_is_an_input_error(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.dag"
    path.write_text("graph { a -- b }\n", encoding="utf-8")
    code, _, err = call(capsys, "import-dagitty", str(path))
    assert code == 1
    assert err.startswith("error: only dagitty 'dag' models can be imported, not 'graph'")


# --- data files are not needed to check --------------------------------------------------------


def test_check_with_data_files_that_do_not_exist(files: dict[str, Path]) -> None:
    assert not (files["data"].parent / "data" / "missing.csv").exists()
    done = run("check", str(files["data"]))
    assert done.returncode == 0
    assert "ok: 0 errors, 0 warnings" in done.stdout


def test_every_positional_argument_has_help() -> None:
    from transport.cli import build_parser

    parser = build_parser()
    missing = [f"{name} {action.dest}" for name, sub in parser.commands.items()
               for action in sub._actions
               if not action.option_strings and not action.help]
    assert missing == []
