"""What the report says in words: diagnostics by name, numbers plainly, the robustness
verdict at scale 0, quoted `.tdag` in warnings, long formulas on several lines, decision
rules in words, and assumption sentences that read as sentences. Also: a report written
from values already computed (no second estimation)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from report_fixtures import FRAMING

import transport
from transport.estimate.diagnostics import Diagnostics
from transport.estimate.robustness_value import Robustness, TogetherCurve
from transport.estimate.synthesis.effective import (
    ClusterSummary,
    Effective,
    EffectiveSample,
    PredictionPowered,
)
from transport.identification.expr import Prob, Product, Sum
from transport.report.html_estimate import diagnostics_table
from transport.report.markup import code_spans
from transport.report.mathml import LINE_CHARS, estimand_mathml
from transport.report.prereg import prereg_text
from transport.report.sentences import assumption_sentences
from transport.report.wording import md_code_spans, plain_number, robustness_sentence


@pytest.fixture(scope="module")
def framing_report(tmp_path_factory):
    """The framing report written from an estimate made once, beforehand."""
    study = transport.load(FRAMING)
    result = transport.estimate_study(study)
    import transport.report.content as content

    def refuse(*args, **kwargs):
        raise AssertionError("the report estimated again")

    saved, content.estimation_section = content.estimation_section, refuse
    try:
        paths = transport.write_report(study, tmp_path_factory.mktemp("r") / "out",
                                       result=result, quiet=True, renderer="python")
    finally:
        content.estimation_section = saved
    return result, paths


def test_a_report_from_an_estimate_in_memory_reports_that_estimate(framing_report):
    result, paths = framing_report
    import json

    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert data["estimation"]["status"] == "estimated"
    assert data["estimation"]["result"]["effect"]["mean"] == pytest.approx(result.effect.mean)
    assert data["reproducibility"]["seed"] == result.seed


def test_diagnostics_are_named_for_readers_and_numbers_are_plain(framing_report):
    _, paths = framing_report
    markdown = paths.markdown.read_text(encoding="utf-8")
    html = paths.html.read_text(encoding="utf-8")
    section = markdown.split("### Diagnostics", 1)[1].split("## 6.", 1)[0]
    assert "| smallest bulk effective sample size | 4000 |" in section
    assert "| largest R-hat (below 1.01 is converged) | – |" in section
    for raw in ("rhat_max", "ess_bulk_min", "rhat\\_max", "4000\\.0"):
        assert raw not in section
        assert raw not in html
    assert "*independent draws from exact posteriors: no MCMC to diagnose*" in section


def test_diagnostics_table_in_html(framing_report):
    result, _ = framing_report
    sampled = replace(result, draws=4000, seed=1, method="pymc", prior=None,
                      diagnostics=Diagnostics(1.004, 812.0, 640.0, 0, sampler="pymc", ok=True))
    cells = re.findall(r"<td>(.*?)</td>", diagnostics_table(sampled))
    assert cells == ["largest R-hat (below 1.01 is converged)", "1.004",
                     "smallest bulk effective sample size", "812",
                     "smallest tail effective sample size", "640",
                     "divergent transitions", "0", "sampler", "pymc",
                     "convergence checks passed", "yes", "draws", "4000", "seed", "1",
                     "method", "pymc"]


def _curve(flip: float | None, scales: tuple[float, ...]) -> Robustness:
    intervals = tuple((0.1 - s, 0.3) for s in scales)
    return Robustness("criterion", True, units="sd",
                      together=TogetherCurve(scales, intervals, (1.0,) * len(scales), flip))


@pytest.mark.parametrize(("curve", "sentence"), [
    (_curve(0.0, (0.0, 0.5)),
     "The 95% interval already includes 0 with no shift, so no shift of the shared "
     "mechanisms is needed for 0 to be a plausible effect."),
    (_curve(1.5, (0.0, 1.5)),
     "The 95% interval first includes 0 at shift scale 1.5."),
    (_curve(None, (0.0, 3.0)),
     "The 95% interval excludes 0 at every scale tried (up to 3)."),
])
def test_robustness_sentence(curve, sentence):
    assert robustness_sentence(curve) == sentence


def test_plain_numbers():
    assert [plain_number(v) for v in (4000.0, 0.25, None, 3, True)] == [
        "4000", "0.25", "–", "3", "yes"]


def test_backticks_in_warnings_become_code():
    text = "no estimate: state `partial V sd X` for <b>"
    assert code_spans(text) == ("no estimate: state <code>partial V sd X</code> for "
                                "&lt;b&gt;")
    assert md_code_spans(text) == "no estimate: state `partial V sd X` for &lt;b&gt;"
    assert code_spans("one ` only") == "one ` only"


def _long_formula(n: int):
    factors = tuple(Prob("human", (f"variable_{i}",), (f"variable_{i + 1}",)) for i in range(n))
    return Sum(tuple(f"variable_{i}" for i in range(1, n)), Product(factors))


def test_a_long_formula_is_set_on_several_lines():
    mathml = estimand_mathml(_long_formula(8), "<mi>Q</mi>")
    rows = re.findall(r"<mtr>", mathml)
    assert len(rows) >= 3
    assert mathml.count("<mo>×</mo>") == len(rows) - 1
    assert mathml.count("<msub><mi>P</mi>") == 8  # every factor is kept
    short = estimand_mathml(Prob("human", ("y",), (), ("x",)))
    assert "<mtable" not in short and len("P_human(y | do(x))") < LINE_CHARS


def test_the_decision_rule_is_prose_without_entities(tmp_path):
    from report_fixtures import with_decision

    text = prereg_text(transport.load(with_decision(tmp_path)))
    assert ("if the posterior probability that the effect is greater than 0.05 is greater "
            "than 0.95") in text
    assert "&gt;" not in text.split("## Inference Criteria", 1)[1]


def test_assumption_sentences_do_not_list_statements_as_conditions():
    sentences = {(r.mechanism.describe(), r.source): s
                 for r, s in assumption_sentences(transport.load(FRAMING))}
    # a binary variable's label states when it is 1: listed by name, not as a phrase
    assert sentences[("choose_risky", "gpt")] == (
        "We assume that, given age_group, ideology and loss_frame, the probability of "
        "“Chooses the risky programme B” (choose_risky) is the same for gpt and for human.")
    # short noun-phrase labels still read as words
    assert sentences[("loss_frame", "gpt")].startswith(
        "We do not assume that, given age group and self-placed ideology, ")


def test_robustness_sentence_on_a_ratio_scale_names_one() -> None:
    assert robustness_sentence(_curve(0.5, (0.0, 0.5)), 1.0) == (
        "The 95% interval first includes 1 at shift scale 0.5.")


def test_effective_sentences_name_clusters_and_predictions() -> None:
    from transport.render.estimate import effective_sentences

    samples = [
        EffectiveSample("z", "human", 10, Effective(10.0, 10.0, None, None)),
        EffectiveSample("y", "human", 600, Effective(
            600.0, 412.4, ClusterSummary(("rid",), 200, 1.8, 1.2, 2.5),
            PredictionPowered("gpt", (("gpt", 412.4),), 600, 900, 10, 333.3, 412.4))),
    ]
    assert effective_sentences(samples) == [
        "y in human: 600 rows worth 412 observations; 200 clusters of rid, design effect "
        "1.80; gpt's predictions on 900 unlabelled rows raise it from 333, assuming the "
        "labelled units are a random sample of the units with predictions, within each "
        "parent cell."]
