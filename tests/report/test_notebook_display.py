"""Notebook display: the value types draw themselves through the display registry that the
report stage fills (they never import the report stage), the identification view shows
the formula as MathML, and the graph export draws the report's SVG."""

from __future__ import annotations

import subprocess
import sys

from report_fixtures import FRAMING
from shared_fixtures import ROOT

import transport
from transport import display


def test_a_fresh_import_registers_every_renderer():
    code = ("import transport.study, transport.display as d; "
            "print(sorted(d._RENDERERS))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "['estimate', 'identification', 'study']"


def test_identification_html_shows_verdict_formula_and_uses():
    html = transport.identify(FRAMING)._repr_html_()
    assert "Effect of loss_frame on choose_risky in human" in html
    assert '<span class="badge b-yes">transportable</span>' in html
    assert html.count("<math ") == 1 and "<munder><mo>∑</mo>" in html
    assert "<mtext>human</mtext>" in html and "<mtext>gpt</mtext>" in html
    assert "<code>gpt</code>" in html and "experiment(loss_frame)" in html
    assert "<script" not in html


def test_identification_html_of_a_refusal_shows_why_and_what_would_help():
    study = transport.loads(
        "population gpt source\npopulation human target\nvar x binary treatment\n"
        "var y binary outcome\nx -> y\ndiffers y\ndata gpt \"g.csv\" experiment(x)\n"
        "estimate effect of x on y in human\n")
    html = transport.identify(study)._repr_html_()
    assert "not transportable (proved)" in html and "<math" not in html
    assert "<strong>Why not: </strong>P_human(y | do(x)) is not transportable" in html
    assert "<li>declare shared for gpt: y</li>" in html


def test_study_html_escapes_what_the_user_wrote():
    study = transport.loads('population gpt source "<b>G</b>"\npopulation human target\n'
                            "var x binary treatment\nvar y binary outcome\nx -> y\nshared y\n")
    html = study._repr_html_()
    assert "&lt;b&gt;G&lt;/b&gt;" in html and "<b>G</b>" not in html


def test_without_a_renderer_a_value_has_no_html():
    saved = dict(display._RENDERERS)
    try:
        display._RENDERERS.clear()
        assert transport.load(FRAMING)._repr_html_() is None
        display.register_html("study", lambda study: f"<p>{study.target.name}</p>")
        assert transport.load(FRAMING)._repr_html_() == "<p>human</p>"
    finally:
        display._RENDERERS.clear()
        display._RENDERERS.update(saved)


def test_export_graph_draws_svg_and_takes_a_path():
    svg = transport.export_graph(FRAMING, "svg")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "choose_risky" in svg
    dot = transport.export_graph(str(FRAMING), "dot")
    assert dot.startswith("digraph ") and '"loss_frame" -> "choose_risky";' in dot
