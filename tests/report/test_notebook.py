"""Notebook HTML: compact, escaped, and complete enough to read at a glance."""

from __future__ import annotations

from report_fixtures import FRAMING

from transport.api import load
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
