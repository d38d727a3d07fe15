"""Notebook HTML: compact, escaped, and complete enough to read at a glance."""

from __future__ import annotations

import dataclasses

from report_fixtures import FRAMING

from transport.api import load
from transport.estimate.result import EstimateResult
from transport.report.notebook import estimate_html, study_html


def test_study_html():
    html = study_html(load(FRAMING))
    assert 'class="transport-nb"' in html and "<script" not in html
    assert "Loss framing of a flood-protection choice" in html
    assert html.count("<tr>") >= 8 + 3  # assumption rows and data rows
    assert "partial sd 0.3" in html


def test_estimate_html():
    from transport.estimate.run import estimate_study

    study = load(FRAMING)
    result = estimate_study(study, checks=False, robustness=False, draws=500)
    html = estimate_html(result)
    assert "human (transported)" in html and "naive: gpt" in html
    assert "<script" not in html
    refused = EstimateResult(query={"treatment": "x", "outcome": "y", "population": "h",
                                    "contrast": []},
                             transportable=False, status="not_transportable", method="",
                             effect=None, effect_scale="", source_effects={}, naive=None,
                             assumption_checks=(), robustness=None, diagnostics={}, prior=None,
                             estimand=None, data=(), seed=0, draws=0,
                             refusal="<b>no formula</b>")
    html = estimate_html(dataclasses.replace(refused))
    assert "&lt;b&gt;no formula&lt;/b&gt;" in html
