"""Hostile text in every user field never reaches the HTML, SVG or Markdown unescaped."""

from __future__ import annotations

import json
import re

import pytest
from report_fixtures import HOSTILE_STUDY

from transport import write_report
from transport.report.escape import h, md, md_block, md_code
from transport.report.notebook import study_html
from transport.report.prereg import prereg_text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "study.tdag"
    path.write_text(HOSTILE_STUDY, encoding="utf-8")
    return path


def test_every_user_field_is_escaped_in_html_and_markdown(hostile, tmp_path):
    paths = write_report(hostile, tmp_path / "out", quiet=True, renderer="python")
    html = paths.html.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for prefix in ("T ", "Q ", "A ", "G ", "H ", "X ", "Z ", "Y ", "B ", "C ", "D ", "E ",
                   "H1 "):
        assert f"{prefix}&lt;script&gt;" in html, prefix
    assert "&quot;q&quot;" in html and "&amp; &#x27;a&#x27;" in html
    assert "gpt&lt;script&gt;alert(1)&lt;/script&gt;&amp;.csv" in html  # the data path
    for svg in paths.figures:
        assert "<script" not in svg.read_text(encoding="utf-8").lower()
    markdown = paths.markdown.read_text(encoding="utf-8")
    outside_code = re.sub(r"`[^`\n]*`", "", markdown)
    assert "<script" not in outside_code.lower()
    assert "&lt;script&gt;" in markdown
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert data["study"]["title"].startswith("T <script>")  # JSON keeps the text as data


def test_prereg_and_notebook_escape(hostile):
    from transport.api import load

    study = load(hostile)
    text = prereg_text(study)
    outside_code = re.sub(r"`[^`\n]*`", "", text)
    assert "<script" not in outside_code.lower()
    assert "<script" not in study_html(study).lower()


def test_escape_helpers():
    assert h('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert md("a|b_c*d [x](y) $z$") == "a\\|b\\_c\\*d \\[x\\](y) \\$z\\$"
    assert md("# heading") == "\\# heading"
    assert md("1. item") == "1\\. item"
    assert md("two\nlines") == "two lines"
    assert md_code("a`b") == "`a'b`"
    assert md_block("```x```").startswith("````text")


def test_graphviz_drawing_escapes_tooltips(hostile, tmp_path):
    from transport.report.graphviz import dot_binary

    if dot_binary() is None:
        pytest.skip("Graphviz dot is not installed")
    paths = write_report(hostile, tmp_path / "out", quiet=True, renderer="graphviz")
    diagram = (paths.folder / "diagram.svg").read_text(encoding="utf-8")
    assert "Graphviz" in paths.html.read_text(encoding="utf-8")
    assert "<script" not in diagram.lower()
    assert "&lt;script&gt;" in diagram
