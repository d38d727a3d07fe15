"""No control character reaches a terminal or a file, and no user string breaks out of its
Markdown cell (issue 14, items 6 and 7).

The study's strings carry ESC and OSC sequences, a form feed, a BEL, NUL, a right-to-left
override, pipes, backticks and a script tag; so do a data file's path and a column name.
Every command's output is searched for the raw characters, the exports are parsed (GraphML
as XML, JSON strictly), and report.md is rendered by a CommonMark renderer with tables.
"""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from transport.cli import main
from transport.text_safety import is_visible, visible

NASTY = "\x1b]0;owned\x07\x1b[31mred\x0c|`tick`|<script>alert(1)</script>\u202eevil\x00"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")

STUDY = f"""
study "T {NASTY}" {{
  question "Q {NASTY}"
}}
population gpt source "G {NASTY}"
population human target "H {NASTY}"
var x binary "X {NASTY}" treatment
var z categorical(a, "b {NASTY}") "Z {NASTY}"
var y binary "Y {NASTY}" outcome
z -> x -> y
z -> y
shared y because "B {NASTY}" cite "C {NASTY}"
differs z because "D {NASTY}"
hypothesis "H1 {NASTY}"
data gpt "../g|`x`<script>alert(1)</script>\x1b[2J.csv" experiment(x)
data human "human.csv" observational measures(z)
estimate effect of x on y in human
"""


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "s|`x`"
    folder.mkdir()
    path = folder / "study.tdag"
    path.write_text(STUDY, encoding="utf-8")
    return path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _clean(text: str) -> None:
    found = RAW.findall(text)
    assert not found, sorted(set(found))


def test_visible_writes_each_control_as_its_code() -> None:
    assert visible("a\x1b[31mb\x00c\td\ne\u202e") == "a\\u001b[31mb\\u0000c\td\ne\\u202e"
    assert is_visible("plain\ttext\n") and not is_visible("\x9b")


@pytest.mark.parametrize("command", [
    ["check"], ["identify"], ["identify", "--format", "json"], ["prereg"],
    ["graph", "--format", "dot"], ["graph", "--format", "mermaid"],
    ["graph", "--format", "json"], ["graph", "--format", "dagitty"], ["check", "--format", "json"],
])
def test_no_raw_control_character_reaches_the_terminal(capsys, study: Path,
                                                        command: list[str]) -> None:
    code, out, err = _run(capsys, *command[:1], str(study), *command[1:])
    assert code == 0, err
    _clean(out)
    _clean(err)
    if "json" in command:
        json.loads(out)  # still valid, strict JSON


def test_check_messages_show_the_escape_as_text(capsys, study: Path) -> None:
    _, out, _ = _run(capsys, "check", str(study))
    assert "'../g|`x`<script>alert(1)</script>\\u001b[2J.csv' is outside the study's folder" in out


def test_graphml_stays_valid_xml(capsys, study: Path) -> None:
    code, out, _ = _run(capsys, "graph", str(study), "--format", "graphml")
    assert code == 0
    root = ElementTree.fromstring(out.encode("utf-8"))
    labels = [e.text for e in root.iter() if e.text and e.text.startswith("X ")]
    assert labels == [visible(f"X {NASTY}")]


def test_dot_keeps_nul_and_escapes_as_text(capsys, study: Path) -> None:
    _, out, _ = _run(capsys, "graph", str(study), "--format", "dot")
    first, title = out.splitlines()[:2]
    assert first == "digraph {"  # the title is a graph label (pydot and DoWhy read this)
    assert title.startswith('  label="T \\\\u001b]0;owned\\\\u0007')
    assert title.endswith('evil\\\\u0000";')
    for line in out.splitlines():  # every quoted string is closed on its line
        assert len(re.findall(r'(?<!\\)"', line.replace("\\\\", ""))) % 2 == 0, line


def test_a_data_column_name_with_escapes_is_shown_as_text(capsys, tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_text("x,\x1b]0;t\x07y\n0,1\n", encoding="utf-8")
    (tmp_path / "s.tdag").write_text(
        'population gpt source\npopulation human target\nvar x binary treatment\n'
        'var y binary outcome\nx -> y\nshared y\ndata gpt "g.csv" experiment(x)\n',
        encoding="utf-8")
    code, _, err = _run(capsys, "estimate", str(tmp_path / "s.tdag"))
    assert code == 1
    _clean(err)
    assert "\\u001b]0;t\\u0007y" in err


def _report(capsys, study: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    code, stdout, err = _run(capsys, "report", str(study), "-o", str(out), "--quiet")
    assert code == 0, err
    _clean(stdout + err)
    return out


def test_no_report_file_holds_a_raw_control_character(capsys, study: Path,
                                                      tmp_path: Path) -> None:
    out = _report(capsys, study, tmp_path)
    for path in sorted(out.iterdir()):
        _clean(path.read_text(encoding="utf-8"))
    json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_report_md_renders_without_script_or_broken_tables(capsys, study: Path,
                                                          tmp_path: Path) -> None:
    out = _report(capsys, study, tmp_path)
    rendered = MarkdownIt("commonmark").enable("table").render(
        (out / "report.md").read_text(encoding="utf-8"))
    assert "<script" not in rendered
    command = shlex.join(["transport", "report", str(study), "-o", str(tmp_path / "out"),
                          "--quiet"]).replace("`", "'")
    assert f"<td><code>{command}</code></td>" in rendered  # the whole cell, not split at |
    tables = re.findall(r"<table>(.*?)</table>", rendered, re.S)
    assert tables
    for table in tables:
        header = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
        columns = header.count("<th")
        for row in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", table,
                                                          re.S).group(1), re.S):
            assert row.count("<td") == columns, row


def test_a_pipe_in_a_code_span_cell_is_escaped() -> None:
    from transport.report.markdown_page import md_table

    lines = md_table(["a", "b"], [["`x|y`", "ok \\| fine"]])
    rendered = MarkdownIt("commonmark").enable("table").render("\n".join(lines))
    assert "<td><code>x|y</code></td>" in rendered
    assert "<td>ok | fine</td>" in rendered
