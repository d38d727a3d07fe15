"""prereg_text: OSF sections, one plain sentence per assumption, deterministic, no data."""

from __future__ import annotations

import pytest
from report_fixtures import FRAMING, planning_copy
from shared_fixtures import DIAGRAM_STUDY, EXAMPLES

from transport.api import load, loads
from transport.report.escape import md
from transport.report.prereg import OSF_SECTIONS, prereg_text
from transport.report.sentences import assumption_sentences

RULED = DIAGRAM_STUDY + """
shared z -> y for gpt because "the slope carries over"
hypothesis "Framing raises y by at least 5 points"
hypothesis "The effect is smaller in people than in agents"
decide transported if prob(effect > 0.05) > 0.95
"""


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_sections_and_one_sentence_per_assumption(path):
    study = load(path)
    text = prereg_text(study)
    assert text.startswith("# Preregistration: ")
    positions = [text.index(f"\n## {name}\n") for name in OSF_SECTIONS]
    assert positions == sorted(positions)
    rows = assumption_sentences(study)
    assert len(rows) == len(study.assumptions) + len(study.coefficients)
    for row, sentence in rows:
        assert text.count(f"- {md(sentence)}") == 1, sentence
        if row.sharing.because:
            assert md(row.sharing.because) in text


def test_deterministic_and_independent_of_data(tmp_path):
    with_data = prereg_text(load(FRAMING))
    assert with_data == prereg_text(load(FRAMING))
    assert prereg_text(load(planning_copy(tmp_path))) == with_data
    assert "20" + "26-" not in with_data  # no dates
    assert ("Under these assumptions the effect is **transportable**: it equals the "
            "transport formula\n\n$$\n") in with_data  # "not transportable" must not pass
    assert "**not transportable**" not in with_data
    # the estimate the plan describes is the joint model's, as `transport estimate` runs it
    assert ("One joint model of every population's mechanisms under the declared ties"
            in with_data and "seed: 2026" in with_data)
    assert "Dirichlet(1 + counts) posterior" not in with_data
    assert "No decision rule declared" in with_data


def test_the_plan_states_each_claims_prior_weight_of_failing():
    path = next(p for p in EXAMPLES if p.parent.name == "contradicted")
    plan = prereg_text(load(path))
    assert ("- overclaims: the same parameters in `gpt` and the target; prior probability "
            "that the claim fails 0.1") in plan
    assert ("- overclaims: the target's parameters are `llama`'s plus a shift of standard "
            "deviation 0.3; prior probability that the claim fails 0.1") in plan
    text = path.read_text(encoding="utf-8").replace(
        "partial overclaims sd 0.3 for llama", "partial overclaims sd 0.3 robust 0.25 for llama")
    assert ("- overclaims: the target's parameters are `llama`'s plus a shift of standard "
            "deviation 0.3; prior probability that the claim fails 0.25 (stated: `robust`)"
            ) in prereg_text(loads(text))


def test_a_study_the_joint_model_cannot_represent_keeps_the_formula_plan():
    # `x <-> z`: the joint model cannot serve, the exact formula path will
    text = prereg_text(loads("""\
population llm source
population human target
var z categorical(a, b)
var x binary treatment
var y binary outcome
{z x} -> y
x <-> z
shared y, x <-> z for llm
differs z
data llm "llm.csv" experiment(x)
data human "h.csv" observational measures(z)
estimate effect of x on y in human
"""))
    assert "Dirichlet(1 + counts) posterior" in text
    assert "One joint model" not in text
    assert "or, for a `shared` claim, when the posterior predictive p-value is below 0.05" in text


def test_every_status_kind_hypotheses_and_decision():
    study = loads(RULED)
    text = prereg_text(study)
    assert "1. Framing raises y by at least 5 points" in text
    assert "2. The effect is smaller in people than in agents" in text
    assert "`transported if P(effect > 0.05) > 0.95`" in text
    assert "will conclude “transported”" in text
    statuses = {row.sharing.status for row, _ in assumption_sentences(study)}
    assert statuses == {"shared", "differs", "partial", "undeclared"}
    assert "unmeasured common cause of" in text
    assert "the coefficient of z in the mechanism of y" in text
    assert "similar but not identical" in text and "prior scale 0.3" in text
    assert "The study states nothing about whether" in text
    assert "the estimate without that assumption" in text


def test_not_transportable_study_says_why():
    study = loads("""
population gpt source "G"
population human target "H"
var x binary treatment
var y binary outcome
x -> y
differs y
data gpt "g.csv" experiment(x)
estimate effect of x on y in human
""")
    text = prereg_text(study)
    # every dataset is fully measured here, so the failure is a proof, not a limit of search
    assert ("Under these assumptions the effect is **not transportable**: no formula exists."
            in text)
    assert "no transport formula was found" not in text
    assert "gpt's mechanism for {y} may differ from the target's" in text
    assert "No estimate will be computed" in text
    assert "declare shared for gpt: y" in text


def test_sentence_forms():
    study = load(FRAMING)
    sentences = dict(((r.mechanism.describe(), r.source), s)
                     for r, s in assumption_sentences(study))
    assert sentences[("choose_risky", "gpt")] == (
        "We assume that, given age_group, ideology and loss_frame, the probability of "
        "“Chooses the risky programme B” (choose_risky) is the same for gpt and for human.")
    assert sentences[("age_group", "claude")].startswith(
        "We do not assume that the distribution of “Age group")
