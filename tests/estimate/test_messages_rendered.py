"""Every message of the estimate stage that a user sees, as `transport estimate` prints it.

Each study in messages_studies.py is built to make the command say particular things; it is
run once per module through the command line (`transport.cli.main`), in text and in JSON,
and the tests compare whole printed lines: exact strings, or a regex that pins every word
and leaves only the sampled numbers open. Errors: the exact message on stderr, exit code 1,
no traceback, and the same message in the JSON diagnostics (or `refusal`).

Inventory: message | where it is built | covered by. "here: S" is a test of this module on
study S; "had: M" means test module M already asserted the exact text (test_cli_c. is
test_cli_commands, synthesis_m. test_synthesis_messages; in brackets when M checked it in
the JSON or a function's value, or only a part: those are now checked as printed, here);
* marks the slow test (the parametric path samples with PyMC).

Terminal lines (render/estimate.py `estimate_text` unless said otherwise)      63
  T1  Effect of X (a vs b) on Y in P (scale):           render               had: test_cli_c.
  T2  +m  sd s  95% HDI [l, h]  P(effect > 0) = p       render               here: checked
  T3  method: joint model ...                           synthesis/path.py    here: checked
  T4  ... ; continuous parents by penalised-spline ...  synthesis/path.py    here: extrapolated
  T5  method: exact conjugate ...                       run.py               here: exact
  T6  method: parametric joint model (...)              run.py               here*
  T7  identified by: FORMULA                            render               had: test_cli_c.
  T8  identified by: no nonparametric formula ...       render               had: synthesis_
                                                                             messages
  T9  carried by: human data only                       estimate/result.py   had: synthesis_m.
  T10 carried by: source data, through the claims       estimate/result.py   here: sources_only
  T11 carried by: human and source data together        estimate/result.py   here: checked
  T12 ...; prior-driven where only `partial` claims ... estimate/result.py   had: synthesis_m.
  T13 rests on: C (checked by P rows, weight w)         render               had: synthesis_m.
  T14 rests on: C (no P rows can check it)              render               had: synthesis_m.
  T15 decision rule 'R': met (posterior probability p)  render               here: checked
  T16 decision rule 'R': not met (...)                  render               here: tiny
  T17 the data narrow the prior's spread ... by N%      render               here (rounding)
  T18 Each source's own effect (...): + one per source  render               here: sources_only
  T19 naive estimate (from S): +m                       render               here: sources_only
  T20 calibrated from S (F): ... (human = a + b x LLM)  render               here: checked
  T21 calibration F: not applied (F: ... not found)     render, calibrated   here: tiny
  T22 PPI++ block, cell means (header, estimate, n,     render, ppi.py       here: checked
      assumes)
  T23 PPI++ block, per-unit (...; clusters: C;          render, mixed_       here: predictions
      weighted; assumes ... dependent)                  subjects/from_study
  T24 note: P's predictions are nearly uninformative    mixed_subjects/      here: predictions
                                                        results.py           [had: test_mixed_
                                                                             ppi, the function]
  T25 Bayesian counterpart (P): ...                     render               here: predictions
  T26 Frequentist cross-check (... S's experiment       render               here: sources_only
      reweighted ...) + IPSW, G-TRANSPORT, AIPSW
  T27 The graph against the data: N implied             render               here: checked,
      independenc(y|ies) tested, M violated                                  no_conclusion
  T28 violated: S in P; FIX                             render, diagnose     here: graph
  T29 Sharing claims against the data:                  render               had: synthesis_m.
  T30 V: A vs B (D): not testable (no P data observe    synthesis/pair_      had: synthesis_m.
      'V' unrandomised with its parents)                checks.py
  T31 V: A vs B (D): consistent|contradicted (gap ...,  render, pair_checks  here: checked,
      p = ..., log BF(separate) ...)                                         sources_only,
                                                                             disagree
                                                                             (contradicted: had)
  T32 not testable (no P data observe 'V' unrandomised  estimate/checks.py   here: exact
      with its parents X, Z)
  T33 not testable (the common cause is unmeasured...)  estimate/checks.py   here: exact
  T34 not testable ('V' is latent)                      estimate/checks.py   here*
  T35 not testable ('V' depends on the latent U, ...)   estimate/checks.py   here*
  T36 not testable ('V' shares an unmeasured cause ...) estimate/checks.py   here: exact_shared_z
  T37 ... contradicted (elpd difference d ± s,          estimate/checks.py   here: exact_checked
      posterior predictive p = p)
  T38     without it: +m [l, h]                         render               here: contradicted,
                                                                             exact_checked
  T39     without it the effect is not transportable    render               here, from a real
                                                                             result (no small
                                                                             study reaches it)
  T40 What each source contributed:                     render               had: test_cli_c.
  T41 without S: ...; with S's rows the estimate is     synthesis/           here: checked
      worth N human participants (+d on the n observed) contributions.py
  T42 ... N independent human observations ...          contributions.py     here: predictions
                                                                             [had: joint_
                                                                             effective, a part]
  T43 ...; no human rows inform the outcome's mechanism contributions.py     here: sources_only
  T44 not estimable; the effect cannot be estimated ... contributions.py     had: synthesis_m.
  T45 Rows at their effective size (...) + sentences    render               had: test_wording,
                                                                             mixed_subjects_study
  T46 How wrong may the sharing claims be?              render               had: test_cli_c.
  T47 criterion: whether the 95% interval ... (no       synthesis/           here: sources_only
      effect)                                           sensitivity.py
  T48 criterion: the decision rule 'R'                  sensitivity.py       here: checked
  T49 C: the conclusion holds at every shift scale      render               here: sources_only
      tried (up to 5)
  T50 C: the conclusion flips at shift scale s: it      render               here: checked,
      holds unless ... enough to move the effect ...                         sources_only
  T51 C: the estimate draws no conclusion (...)         render               here: no_conclusion
  T52 no source's rows enter the estimate ... can fail  run.py               here: tiny [had:
                                                                             synthesis_m., JSON]
  T53 the 95% interval first includes 0 at shift        render,              here: exact
      scale s (UNITS)                                   robustness.py
  T54     V alone: at s                                 render               here: exact
  T55     V alone: never within the range tried         render               here, from a real
                                                                             result
  T56 the 95% interval already includes 0 with no ...   render               here: exact_zero
  T57 the 95% interval excludes 0 at every shift scale  render               here, from a real
      tried (up to 3)                                                        result (3 sds of
                                                                             log-probability
                                                                             scramble any small
                                                                             study)
  T58 the formula borrows nothing from a source ...     robustness.py        here: exact_checked
  T59 no `shared` claim enters the model, so none is    parametric_run.py    here*
      loosened here; the `partial` claims ...
  T60 no shared mechanism enters the model, so no       parametric_run.py    NOT COVERED: another
      sharing assumption can fail (no partial claim)                         PyMC fit (~1 min)
  T61 first includes 0 at shift scale s (sd of shifts   parametric_run.py    NOT COVERED: another
      of the target's coefficients ...)                                      PyMC fit (~1 min)
  T62 Draws: N (seed S); independent draws from exact   render, run.py       here: checked
      posteriors: no MCMC to diagnose
  T63 Draws: N (seed S); R-hat max r, ESS bulk min ...  render               here*

Warnings (`warnings`; printed as "warning: ...")                                20
  W1  generalized: the target is everyone sampled, ...  run.py               here [had:
                                                                             test_generalize]
  W2  the model statements (...) apply to the joint     run.py               here: exact [had:
      model only ...                                                         test_flexible]
  W3  no nonparametric transport formula exists; ...    run.py               here*
  W4  the sampler's diagnostics fail the usual ...      run.py               here*
  W5  the data narrow the prior of the effect by only   run.py               here: tiny
  W6  the data contradict 'C' between P and S; without  run.py               here: contradicted
      it the estimate is m (joint path)                                      [had: synthesis_m.]
  W7  the same on the exact path                        run.py               here: exact_checked
  W8  ... between A and B (both declared with P, ...)   run.py               here: disagree
                                                                             [had: synthesis_m.]
  W9  prior-driven: the target's mechanism of V ...     run.py               here: prior_driven
                                                                             [had: synthesis_m.]
  W10 borrowing discounted: the P rows conflict ...     run.py               here: contradicted
                                                                             [had: synthesis_m.]
  W11 S's rows do not enter this estimate: ...          run.py               here: tiny [had:
                                                                             synthesis_m.]
  W12 'shared A -> B for S' is not used: ...            run.py               here: tiny [had:
                                                                             synthesis_examples]
  W13 N% of the P rows have W outside the range ...     synthesis/           here: extrapolated
                                                        continuous.py
  W14 FILE: n of N rows (p%) are in strata of ... that  data/positivity.py   here: other_differs
      FILE (S) never has: ... Positivity fails there                         [had: hostile_data]
  W15 FILE: only n usable rows for P; ...               data/positivity.py   here: tiny [had:
                                                                             hostile_data]
  W16 the data contradict the graph: S fails in P       run.py, diagnose     here: graph
      (Holm p = p); FIX
  W17 this model treats rows that share a cluster as    run.py               here: exact
      independent, so its interval may be too narrow
  W18 calibration F not applied: REASON                 run.py               here: tiny
  W19 latent 'U' is absorbed into the mechanism of 'V'  mechanisms.py        here*
  W20 no effect for source S: REASON                    parametric.py        here*
  W21 the `robust` weights (on ...) apply to the joint  run.py               test_robust_clause
      model's robust mixture only, ...                                       (the JSON's text)

Errors (exit code 1; "transport: no estimate: ..." or "error: ..." on stderr)   12
  E1  no estimate: the effect is not transportable ...  run._refusal         here
      WITNESS A number here would come from ...
  E2  no estimate: no transport formula was found ...   run._refusal         here
  E3  --generalize needs the joint model, ... (WHY)     run.py               here [had: API]
  E4  scale R needs the joint or the exact model, ...   run.py               here [had: API]
  E5  the outcome 'Y' is categorical with levels ...    estimate/levels.py   here
  E6  'Y' is categorical: an effect on it is not one    parametric.py        here
      number; recode it ...
  E7  the effect depends on N variables, more than the  synthesis/joint.py   here
      50 the joint model's g-formula can multiply; ...
  E7b V's mechanism has N cells of its parents ...:     synthesis/evidence   here
      too many for the joint model; ...
  E8  the table over ... has N cells: too many to count estimate/cells.py    here
  E9  the effect depends on A and B, which share an     mechanisms.py        here (in a fresh
      unmeasured common cause (A <-> B); ...                                 process: no library
                                                                             warning either)
  E10 the effect of X on Y depends on the latent ...    mechanisms.py        here
  E11 the effect needs the P mechanism of 'V' (its      mechanisms.py        here
      distribution), but no P data measure it ...
  E12 ... (how it depends on X, Z) ...; an edge-level   mechanisms.py        here
      `shared A -> B` ties single coefficients only ...

Counts: 95 printed messages; 26 had an exact test (14 lines, 10 warnings, 2 errors), 67 are
newly covered, 2 are not covered (T60, T61). Not printed, or not reachable from a checked
study, so not tested here:
  JSON only: the PPI++ "applies: false" reasons (ppi.py 5, mixed_subjects/from_study.py 1)
      and the 21 MixedSubjectsError texts that become such a reason; the `reason` of a tested
      check (pair_checks, checks.py's two "sharing P(V | ...) predicts ..." texts, PSIS-LOO:
      test_checks_refit); the curves' `criterion` and `units` where no tipping point is
      printed (3).
  Refused earlier by the checker: a contrast value outside the levels (levels.py,
      parametric.py: E075), a non-binary treatment without a contrast (E076), an unknown
      sampler (parametric.py, pymc_backend.py).
  Guarded by the dispatch in run.py: conjugate.py's three (no data statement for a table, a
      non-discrete variable on the exact path, a continuous outcome not linear in one term),
      exact.py's two (a formula without the outcome, undefined draws), evidence.py's cycle,
      mechanism_draws.py's categorical outcome (E6 comes first), tensor.py's KeyErrors.
  API only: mechanisms.py's unknown `shift_scale` names, parametric.py's prior-only fit,
      frequentist.py's unknown scale.
  Folded into another message: checks_refit.py / parametric.py "no P data inform the
      mechanism of 'V'" and checks.py "the parametric model could not be fitted" (a check's
      reason, after MCMC fits), calibrated.py "not a calibration JSON file" (the T21 line).
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import messages_studies as studies
import numpy as np
import pandas as pd
import pytest

import transport
from transport.estimate.effects import EffectWithout, PriorSummary
from transport.estimate.synthesis.path import CONTINUOUS_METHOD, METHOD

N = r"[+-]\d+\.\d{3}"            # a signed number as printed (+0.213)
U = r"\d+\.\d{3}"                # an unsigned one (sd 0.036)
HDI = rf"\[{N}, {N}\]"
DRAWS = "--draws", "400"
EXACT_METHOD = ("exact conjugate (Dirichlet / Student-t) posteriors, transport formula "
                "evaluated per draw")


@dataclasses.dataclass(frozen=True)
class Run:
    """One `transport estimate` run as the user saw it."""

    path: Path
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def data(self) -> dict:
        return json.loads(self.out)

    def after(self, header: str, count: int = 1) -> list[str]:
        """The `count` lines printed after `header`."""
        start = self.lines.index(header) + 1
        return self.lines[start:start + count]

    def warnings(self) -> list[str]:
        return [line.removeprefix("warning: ") for line in self.lines
                if line.startswith("warning: ")]


@pytest.fixture(scope="module")
def estimate(tmp_path_factory):
    """estimate(name, *options) -> Run; each study is written once and each run made once
    per module (a study's text and JSON runs read the same files)."""
    paths: dict[str, Path] = {}
    runs: dict[tuple, Run] = {}
    builders = {
        "checked": studies.checked,
        "tiny": studies.tiny,
        "sources_only": studies.sources_only,
        "other_differs": lambda f: studies.sources_only(f, other="differs y for other"),
        "no_conclusion": lambda f: studies.one_source(f, -1.0),
        "prior_driven": lambda f: studies.one_source(f, 0.0, "partial y sd 0.5 for llm"),
        "disagree": studies.sources_disagree,
        "graph": studies.against_the_graph,
        "contradicted": studies.contradicted,
        "exact": studies.exact,
        "exact_zero": lambda f: studies.exact(f, -1.0),
        "exact_shared_z": lambda f: studies.exact(f, z="shared z for llm"),
        "exact_checked": lambda f: studies.exact_checked(f, -2.0, 1500),
        "predictions": studies.predictions,
        "extrapolated": studies.extrapolated,
    }

    def get(name: str, *options: str) -> Run:
        if name not in paths:
            paths[name] = builders[name](tmp_path_factory.mktemp(name))
        key = (name, options)
        if key not in runs:
            code, out, err = studies.run("estimate", paths[name], *DRAWS, *options)
            assert "Traceback" not in err, err
            runs[key] = Run(paths[name], code, out, err)
        return runs[key]

    return get


def full(pattern: str, line: str) -> None:
    assert re.fullmatch(pattern, line), f"\n{line!r}\ndoes not match\n{pattern!r}"


def in_both(run: Run, json_run: Run, warning: str) -> None:
    """A warning printed as `warning: ...` and carried, word for word, by the JSON."""
    assert f"warning: {warning}" in run.lines
    assert warning in json_run.data["warnings"]


# --- the head of the text ---------------------------------------------------------------

def test_the_head_names_the_effect_the_method_the_formula_and_what_carries_it(estimate):
    run = estimate("checked")
    assert run.code == 0 and run.err == ""
    head = run.lines[:8]
    assert head[0] == "Effect of x (1 vs 0) on y in human (difference in probability):"
    full(rf"  {N}  sd {U}  95% HDI {HDI}  P\(effect > 0\) = {U}", head[1])
    assert head[2] == f"  method: {METHOD}"
    assert head[3] == "  identified by: P_human(y | do(x))"
    assert head[4] == "  carried by: human and source data together"
    full(r"  rests on: shared y for llm \(checked by human rows, borrowing weight \d\.\d\d\)",
         head[5])
    full(rf"  decision rule 'transported if P\(effect > 0\.05\) > 0\.95': met \(posterior "
         rf"probability {U}\)", head[6])
    full(rf"  the data narrow the prior's spread of the effect by \d+% \(prior sd {U}\)", head[7])


def test_a_decision_rule_that_fails_says_not_met(estimate):
    run = estimate("tiny")
    (line,) = [x for x in run.lines if x.startswith("  decision rule")]
    full(rf"  decision rule 'transported if P\(effect > 0\.05\) > 0\.95': not met \(posterior "
         rf"probability {U}\)", line)
    assert "  carried by: human data only" in run.lines


def test_source_data_alone_carry_the_estimate_and_no_human_row_checks_the_claims(estimate):
    run = estimate("sources_only")
    assert "  identified by: Σ_{z} P_human(z) P_llm(y | do(x), z)" in run.lines
    assert "  carried by: source data, through the sharing claims" in run.lines
    assert ("  rests on: shared y for llm (no human rows can check it); partial y sd 0.3 for "
            "other (no human rows can check it)") in run.lines


def test_each_source_own_effect_and_the_naive_estimate(estimate):
    run = estimate("sources_only")
    header = "Each source's own effect (its experiment, taken as is):"
    llm, other, naive = run.after(header, 3)
    full(rf"  llm          {N}  95% HDI {HDI}", llm)
    full(rf"  other        {N}  95% HDI {HDI}", other)
    full(rf"  naive estimate \(from llm\): {N}", naive)


def test_the_prior_contraction_that_rounds_to_a_whole_is_not_called_total(estimate):
    from transport.render.estimate import estimate_text

    result = transport.estimate_study(transport.load(estimate("checked").path), draws=400)
    for contraction, shown in ((0.9992, ">99%"), (1.0, "100%"), (0.994, "99%"),
                               (0.5, "50%")):
        text = estimate_text(dataclasses.replace(
            result, prior=PriorSummary(0.25, contraction)))
        assert (f"  the data narrow the prior's spread of the effect by {shown} (prior sd "
                "0.250)") in text.splitlines()


# --- calibration, PPI++, the frequentist cross-check ------------------------------------

def _after_naive(run: Run) -> str:
    naive = next(i for i, line in enumerate(run.lines) if line.startswith("  naive estimate"))
    return run.lines[naive + 1]


def test_a_calibrated_estimate_beside_the_naive_one(estimate):
    full(rf"  calibrated from llm \(calibration\.json\): {N}  95% HDI {HDI}  \(human = a \+ b "
         r"x LLM; b = 0\.53\)", _after_naive(estimate("checked")))


def test_a_calibration_that_cannot_be_used_is_said_not_applied_in_the_text_and_warnings(
        estimate):
    run, as_json = estimate("tiny"), estimate("tiny", "--format", "json")
    reason = f"{run.path.parent / 'missing.json'}: calibration file not found"
    assert _after_naive(run) == f"  calibration missing.json: not applied ({reason})"
    in_both(run, as_json, f"calibration missing.json not applied: {reason}")
    (item,) = as_json.data["calibrated"]
    assert item == {"source": "llm", "calibration": "missing.json", "applies": False,
                    "reason": reason}


def test_ppi_from_the_llm_cell_means(estimate):
    run = estimate("checked")
    header = "Prediction-powered estimate (PPI++, cell means of an LLM experiment; predictor llm):"
    estimate_line, sizes, assumes = run.after(header, 3)
    full(rf"  {N}  95% CI {HDI}  \(human data alone: {N} {HDI}\)", estimate_line)
    full(r"  effective human n \d+ from 300 labelled units \([+-]\d+ from the predictions\)",
         sizes)
    assert assumes == ("  assumes: the human experiment's units are a random sample of the same "
                       "population as the units in human_z.csv; nothing is assumed about the "
                       "LLM predictions, which only make the interval narrower when they "
                       "predict well")


def test_ppi_from_per_unit_predictions_with_clusters_and_a_useless_predictor(estimate):
    run = estimate("predictions")
    header = "Prediction-powered estimate (PPI++, per-unit predictions; predictor llm):"
    estimate_line, sizes, assumes, note, bayes = run.after(header, 5)
    full(rf"  {N}  95% CI {HDI}  \(human data alone: {N} {HDI}\)", estimate_line)
    full(r"  effective human n \d+ from 300 labelled units \([+-]\d+ from the predictions\); "
         r"clusters: person; weighted", sizes)
    assert assumes == ("  assumes: the labelled human units are a random sample of the units "
                       "the estimate speaks about (here: the labelled and unlabelled units "
                       "together); rows that share a cluster are dependent")
    full(r"  note: llm's predictions are nearly uninformative: their within-arm correlation "
         r"with the human answers is -?0\.0\d \(below 0\.1\), so they add little beyond the "
         r"human sample", note)
    full(rf"  Bayesian counterpart \(llm\): {N}  95% HDI {HDI}", bayes)
    # Kish's size of the 300 weighted rows (weights 1 and 2: 450² / 750 = 270) and 900 more
    assert run.after("Rows at their effective size (clusters, per-unit predictions):", 1) == [
        "  z in human: 1200 rows worth 1170 observations; 400 clusters of person, design "
        "effect 1.00."]
    (contribution,) = run.after("What each source contributed:")
    full(rf"  without llm: {N} {HDI}; with llm's rows the estimate is worth \d+ independent "
         r"human observations \([+-]\d+ on the \d+ observed\)", contribution)


def test_the_frequentist_cross_check_names_the_reweighted_experiment(estimate):
    run = estimate("sources_only")
    header = ("Frequentist cross-check (bootstrap of 200, llm's experiment reweighted to the "
              "target sample):")
    ipsw, g, aipsw = run.after(header, 3)
    full(rf"  IPSW         {N}  95% CI {HDI}", ipsw)
    full(rf"  G-TRANSPORT  {N}  95% CI {HDI}", g)
    full(rf"  AIPSW        {N}  95% CI {HDI}", aipsw)


# --- the graph, the claims, the contributions -------------------------------------------

def test_implied_independencies_are_counted_in_words_that_agree_with_the_number(estimate):
    assert ("The graph against the data: 2 implied independencies tested, 0 violated "
            "(Holm-adjusted)") in estimate("checked").lines
    assert ("The graph against the data: 1 implied independency tested, 0 violated "
            "(Holm-adjusted)") in estimate("no_conclusion").lines


def test_a_violated_independence_is_listed_and_warned_about(estimate):
    run, as_json = estimate("graph"), estimate("graph", "--format", "json")
    assert run.after("The graph against the data: 2 implied independencies tested, 1 "
                     "violated (Holm-adjusted)") == [
        "  violated: x _||_ z in human; add `x -> z` or `x <-> z`"]
    (warning,) = run.warnings()
    full(r"the data contradict the graph: x _\|\|_ z fails in human \(Holm p = "
         r"\d\.\d+(e-\d+)?\); add `x -> z` or `x <-> z`", warning)
    assert as_json.data["warnings"] == [warning]


def test_the_joint_models_checks_of_the_claims(estimate):
    sources = estimate("sources_only").after("Sharing claims against the data:", 3)
    assert sources[:2] == [
        "  y: human vs llm (shared): not testable (no human data observe 'y' unrandomised "
        "with its parents)",
        "  y: human vs other (partial sd 0.3): not testable (no human data observe 'y' "
        "unrandomised with its parents)"]
    full(rf"  y: llm vs other \(partial sd 0\.3\): consistent \(gap {N} {HDI}, p = {U}\)",
         sources[2])
    (checked,) = estimate("checked").after("Sharing claims against the data:")
    full(rf"  y: human vs llm \(shared\): consistent \(gap {N} {HDI}, p = {U}, log "
         r"BF\(separate\) [+-]\d+\.\d\)", checked)


def test_a_contradicted_claim_shows_the_estimate_without_it_and_is_warned_about(estimate):
    run, as_json = estimate("contradicted"), estimate("contradicted", "--format", "json")
    verdict, without = run.after("Sharing claims against the data:", 2)
    full(rf"  y: human vs llm \(shared\): contradicted \(gap {N} {HDI}, p = {U}, log "
         r"BF\(separate\) [+-]\d+\.\d\)", verdict)
    full(rf"    without it: {N} {HDI}", without)
    discounted, contradiction = run.warnings()
    assert discounted == ("borrowing discounted: the human rows conflict with 'shared y for "
                          "llm', so llm's rows enter y with posterior weight 0.00")
    full(r"the data contradict 'shared y' between human and llm; without it the estimate is "
         r"-?\d\.\d{3}", contradiction)
    assert as_json.data["warnings"] == [discounted, contradiction]


def test_what_each_source_contributed(estimate):
    (one,) = estimate("checked").after("What each source contributed:")
    full(rf"  without llm: {N} {HDI}; with llm's rows the estimate is worth \d+ human "
         r"participants \([+-]\d+ on the 300 observed\)", one)
    llm, other, every = estimate("sources_only").after("What each source contributed:", 3)
    nothing = "no human rows inform the outcome's mechanism, so no worth in participants"
    full(rf"  without llm: {N} {HDI}; {nothing}", llm)
    full(rf"  without other: {N} {HDI}; {nothing}", other)
    assert every == ("  without all sources: not estimable; the effect cannot be estimated "
                     "without these rows: they carry it")


# --- how wrong may the claims be ----------------------------------------------------------

def test_tipping_points_hold_or_flip_in_a_sentence_that_says_what_flips(estimate):
    criterion, holds, flips = estimate("sources_only").after(
        "How wrong may the sharing claims be?", 3)
    assert criterion == ("  criterion: whether the 95% interval of the effect lies above or "
                         "below 0 (no effect)")
    assert holds == "  shared y for llm: the conclusion holds at every shift scale tried (up to 5)"
    full(r"  partial y sd 0\.3 for other: the conclusion flips at shift scale \d+\.\d\d: it "
         r"holds unless other's y differs from the target's enough to move the effect by more "
         rf"than {U}", flips)


def test_a_decision_rule_is_the_criterion_and_its_flip_is_named(estimate):
    run = estimate("checked")
    criterion, flips = run.after("How wrong may the sharing claims be?", 2)
    assert criterion == ("  criterion: the decision rule 'transported if P(effect > 0.05) > "
                         "0.95'")
    full(r"  shared y for llm: the conclusion flips at shift scale \d+\.\d\d: it holds unless "
         rf"llm's y differs from the target's enough to move the effect by more than {U}", flips)
    (point,) = estimate("checked", "--format", "json").data["robustness"]["tipping_points"]
    assert point["conclusion"] == "met"  # the rule's word, not a Python True


def test_no_conclusion_means_nothing_to_flip(estimate):
    assert estimate("no_conclusion").after("How wrong may the sharing claims be?", 2)[1] == (
        "  shared y for llm: the estimate draws no conclusion (its interval includes 0), so "
        "there is none to flip")


def test_no_borrowing_means_no_claim_can_fail(estimate):
    assert estimate("tiny").after("How wrong may the sharing claims be?") == [
        "  no source's rows enter the estimate through a shared or partial claim, so the "
        "estimate rests on the target's own rows and no sharing claim can fail"]


def test_the_draws_line_of_exact_posteriors(estimate):
    assert ("Draws: 400 (seed 0); independent draws from exact posteriors: no MCMC to "
            "diagnose") in estimate("checked").lines


# --- warnings of the joint model ---------------------------------------------------------

def test_few_rows_a_weak_prior_contraction_and_an_unused_source_and_claim(estimate):
    run, as_json = estimate("tiny"), estimate("tiny", "--format", "json")
    unused, edge, contraction, few, calibration = run.warnings()
    assert unused == ("llm's rows do not enter this estimate: no mechanism the effect depends "
                      "on is declared shared or partial for llm with rows that measure it and "
                      "its parents")
    assert edge == ("'shared z -> y for llm' is not used: the joint model ties whole "
                    "mechanisms, not single coefficients, and llm's rows enter y's only "
                    "through a `shared` or `partial y` claim")
    full(r"the data narrow the prior of the effect by only \d\d%: much of the interval's width "
         r"comes from the prior, not from data", contraction)
    assert few == (f"{run.path.parent / 'human.csv'}: only 5 usable rows for human; with so few "
                   "the interval restates the model more than the data (at least 30 rows are "
                   "advisable)")
    assert calibration.startswith("calibration missing.json not applied: ")
    assert as_json.data["warnings"] == [unused, edge, contraction, few, calibration]


def test_a_partial_claim_no_human_row_can_check_is_called_prior_driven(estimate):
    run = estimate("prior_driven")
    as_json = estimate("prior_driven", "--format", "json")
    assert run.lines[3:6] == [
        "  identified by: no nonparametric formula (not transportable from the data statements "
        "alone); the estimate rests on the `partial` claims",
        "  carried by: source data, through the sharing claims; prior-driven where only "
        "`partial` claims inform a mechanism",
        "  rests on: partial y sd 0.5 for llm (no human rows can check it)"]
    warning = ("prior-driven: the target's mechanism of y is informed only through `partial` "
               "claims that no human rows can check, so the interval's width there comes from "
               "the stated shift scale, not from data")
    assert run.warnings() == [warning]
    assert as_json.data["warnings"] == [warning]


def test_two_sources_that_must_agree_and_do_not(estimate):
    run, as_json = estimate("disagree"), estimate("disagree", "--format", "json")
    full(rf"  y: llm vs other \(shared\): contradicted \(gap {N} {HDI}, p = {U}, log "
         r"BF\(separate\) [+-]\d+\.\d\)", run.after("Sharing claims against the data:", 3)[2])
    warning = ("the data contradict 'shared y' between llm and other (both declared with "
               "human, so they must agree)")
    assert run.warnings() == [warning]
    assert as_json.data["warnings"] == [warning]


def test_target_rows_in_strata_a_source_never_has(estimate):
    # other.csv has outcome rows in z=c, and `partial y` lets them inform the human outcome:
    # no positivity warning; declared `differs y`, they inform nothing, and the strata llm
    # never has get their effect from the model alone
    assert estimate("sources_only").warnings() == []
    run = estimate("other_differs")
    as_json = estimate("other_differs", "--format", "json")
    folder = run.path.parent
    survey = pd.read_csv(folder / "human_z.csv")
    rows = np.flatnonzero(survey["z"] == "c") + 1
    warning = (f"{folder / 'human_z.csv'}: {len(rows)} of 200 rows ({len(rows) / 200:.0%}) are "
               f"in strata of 'z' that {folder / 'llm.csv'} (llm) never has: z=c (rows "
               f"{rows[0]}, {rows[1]}, {rows[2]} and {len(rows) - 3} more). Positivity fails "
               "there: the human effect in those strata comes from the model, not from data")
    unused = ("other's rows do not enter this estimate: no mechanism the effect depends on is "
              "declared shared or partial for other with rows that measure it and its parents")
    assert run.warnings() == [unused, warning]
    assert as_json.data["warnings"] == [unused, warning]


def test_target_covariates_beyond_the_range_of_a_curve_are_extrapolated(estimate):
    run = estimate("extrapolated", "--no-robustness")
    as_json = estimate("extrapolated", "--no-robustness", "--format", "json")
    assert f"  method: {METHOD}{CONTINUOUS_METHOD}" in run.lines
    human = pd.read_csv(run.path.parent / "hw.csv")["w"]
    warning = (f"{(human > 10).mean():.0%} of the human rows have w outside the range of the "
               "rows that fit y's mechanism (0 to 10): there the curve of y in w is "
               "extrapolated along its boundary tangent, so the estimate rests on that form, "
               "not on data")
    assert run.warnings() == [warning]
    assert as_json.data["warnings"] == [warning]


def test_the_generalize_warning_comes_first(estimate):
    run = estimate("sources_only", "--generalize")
    as_json = estimate("sources_only", "--generalize", "--format", "json")
    warning = ("generalized: the target is everyone sampled, not human alone: the rows of "
               "every population that measure a covariate describe it together (the outcome's "
               "mechanism is tied as the file declares)")
    assert run.warnings()[0] == warning
    assert as_json.data["warnings"][0] == warning


# --- the exact path (no joint model) -----------------------------------------------------

def test_the_exact_path_says_what_it_did_not_use_and_how_far_its_claims_may_fail(estimate):
    run, as_json = estimate("exact"), estimate("exact", "--format", "json")
    assert f"  method: {EXACT_METHOD}" in run.lines
    assert "  identified by: Σ_{z} P_human(z) P_llm(y | do(x), z)" in run.lines
    assert run.after("Sharing claims against the data:", 2) == [
        "  y: human vs llm (shared): not testable (no human data observe 'y' unrandomised "
        "with its parents x, z)",
        "  x <-> z: human vs llm (shared): not testable (the common cause is unmeasured, so no "
        "data show its distribution)"]
    first, alone = run.after("How wrong may the sharing claims be?", 2)
    full(r"  the 95% interval first includes 0 at shift scale (\d+(\.\d+)?) \(sd of "
         r"log-probability shifts of each shared mechanism; outcome sds for a continuous "
         r"outcome's mean\)", first)
    scale = re.search(r"shift scale (\S+) ", first).group(1)
    assert alone == f"    y alone: at {scale}"
    unused = ("the model statements (model y ~ x * z) apply to the joint model only, which "
              "this study cannot use ('x <-> z' confounds variables the effect depends on): "
              "this estimate does not use them")
    # no PPI++ here, so the warning does not point to one
    clusters = ("this model treats rows that share a cluster as independent, so its interval "
                "may be too narrow")
    assert run.warnings() == [unused, clusters]
    assert as_json.data["warnings"] == [unused, clusters]


def test_a_claim_on_a_confounded_mechanism_cannot_be_checked(estimate):
    assert estimate("exact_shared_z", "--no-robustness").after(
        "Sharing claims against the data:") == [
        "  z: human vs llm (shared): not testable ('z' shares an unmeasured cause with other "
        "variables, so its observed conditional distribution can differ even when the "
        "mechanism is shared)"]


def test_the_exact_path_with_no_effect_already_includes_it(estimate):
    assert estimate("exact_zero").after("How wrong may the sharing claims be?") == [
        "  the 95% interval already includes 0 with no shift of the shared mechanisms"]


def test_the_exact_paths_check_of_a_contradicted_claim(estimate):
    run, as_json = estimate("exact_checked"), estimate("exact_checked", "--format", "json")
    assert run.code == 0
    assert "  identified by: Σ_{z} P_human(y | x, z) P_human(z)" in run.lines
    verdict, without = run.after("Sharing claims against the data:", 2)
    full(r"  y: human vs llm \(shared\): contradicted \(elpd difference -\d+\.\d ± \d+\.\d, "
         r"posterior predictive p = \d\.\d\d\)", verdict)
    full(rf"    without it: {N} {HDI}", without)
    assert run.after("How wrong may the sharing claims be?") == [
        "  the formula borrows nothing from a source through a shared mechanism, so no "
        "sharing assumption can fail"]
    (warning,) = run.warnings()
    full(r"the data contradict 'shared y' between human and llm; without it the estimate is "
         r"-?\d\.\d{3}", warning)
    assert as_json.data["warnings"] == [warning]


def test_curve_and_check_lines_no_small_study_reaches(estimate):
    """A shift scale of 3 log-probability sds scrambles any binary mechanism, so no small
    study keeps its interval off 0 there, and a claim whose removal leaves no formula is
    never contradicted by target rows that would give one: these lines are rendered from a
    real result with those parts replaced."""
    from transport.render.estimate import estimate_text

    result = transport.estimate_study(transport.load(estimate("exact").path), draws=400)
    robustness = result.robustness
    curve = dataclasses.replace(
        robustness, together=dataclasses.replace(robustness.together, scale_at_flip=None),
        by_mechanism={"y": None, "z": 1.5})
    check = dataclasses.replace(result.assumption_checks[0], verdict="contradicted",
                                elpd_diff=-9.0, elpd_se=2.0, ppc_p=0.01,
                                without=EffectWithout(transportable=False))
    lines = estimate_text(dataclasses.replace(result, robustness=curve,
                                              assumption_checks=(check,))).splitlines()
    assert lines[lines.index("How wrong may the sharing claims be?") + 1] == (
        "  the 95% interval excludes 0 at every shift scale tried (up to 3)")
    assert lines[lines.index("Sharing claims against the data:") + 1:][:2] == [
        "  y: human vs llm (shared): contradicted (elpd difference -9.0 ± 2.0, posterior "
        "predictive p = 0.01)",
        "    without it the effect is not transportable"]
    flipping = estimate_text(dataclasses.replace(result, robustness=dataclasses.replace(
        curve, together=dataclasses.replace(curve.together, scale_at_flip=0.5)))).splitlines()
    start = flipping.index("How wrong may the sharing claims be?") + 1
    assert flipping[start + 1:start + 3] == ["    y alone: never within the range tried",
                                             "    z alone: at 1.5"]


# --- errors ---------------------------------------------------------------------------------

def _error(path: Path, *options: str) -> tuple[str, dict]:
    """stderr of a failing text run (exit 1, no traceback, nothing on stdout) and the JSON
    of the same run."""
    code, out, err = studies.run("estimate", path, *DRAWS, *options)
    assert (code, out) == (1, ""), (code, out, err)
    assert "Traceback" not in err
    code, out, json_err = studies.run("estimate", path, *DRAWS, *options, "--format", "json")
    assert code == 1 and "Traceback" not in json_err
    return err, json.loads(out)


def _data_error(path: Path, message: str, *options: str) -> None:
    err, data = _error(path, *options)
    assert err == f"error: {message}\n"
    assert (data["errors"], data["warnings"]) == (1, 0)
    (diagnostic,) = data["diagnostics"]
    assert (diagnostic["code"], diagnostic["severity"], diagnostic["message"]) == (
        "DATA", "error", message)


NOT_TRANSPORTABLE = """\
population llm source
population human target
var x binary treatment
var y binary outcome
x -> y
differs y
data llm "llm.csv" experiment(x)
estimate effect of x on y in human
"""

ADVICE = ("A number here would come from assumptions the file does not make. State `partial V "
          "sd X` for the mechanisms that may drift, or collect the data `transport identify` "
          "suggests.")


def test_a_study_the_claims_do_not_transport_is_refused_with_the_witness(tmp_path):
    path = studies.write(tmp_path, NOT_TRANSPORTABLE, {
        "llm.csv": pd.DataFrame({"x": [0, 1, 0, 1] * 10, "y": [0, 1, 1, 1] * 10})})
    witness = transport.identify(transport.load(path)).witness
    assert witness.startswith("P_human(y | do(x)) is not transportable") and witness[-1] == "."
    refusal = ("no estimate: the effect is not transportable under the stated assumptions. "
               f"{witness} {ADVICE}")
    err, data = _error(path)
    assert err == f"transport: {refusal}\n"
    assert data == {"transportable": False, "effect": None, "refusal": refusal}


def test_a_study_without_a_formula_is_refused(tmp_path):
    text = NOT_TRANSPORTABLE.replace("var x binary treatment", "var z binary\nvar x binary "
                                     "treatment").replace("x -> y", "z -> x\n{z x} -> y")
    text = text.replace("differs y", "shared y for llm").replace(
        'data llm "llm.csv" experiment(x)', 'data human "h.csv" observational measures(x, y)')
    path = studies.write(tmp_path, text, {"h.csv": pd.DataFrame({"x": [0, 1] * 20,
                                                                 "y": [0, 1, 1, 0] * 10})})
    refusal = ("no estimate: no transport formula was found for the effect with what the data "
               f"statements measure. {ADVICE}")
    err, data = _error(path)
    assert err == f"transport: {refusal}\n"
    assert data == {"transportable": False, "effect": None, "refusal": refusal}


def test_generalize_where_only_another_path_serves(estimate):
    _data_error(estimate("exact").path, "--generalize needs the joint model, and this study "
                "needs another path ('x <-> z' confounds variables the effect depends on)",
                "--generalize")


def _parametric_only(folder: Path, outcome: str = "binary", scale: str = "") -> Path:
    """A continuous covariate with two continuous parents: the joint model's grid of atoms
    would be too large and the formula is not over discrete variables, so only the
    parametric model could serve."""
    frame = pd.DataFrame({"u": np.arange(60) % 5 + 0.75, "v": np.arange(60) % 3 + 0.25,
                          "z": np.arange(60) % 7 + 0.5, "x": np.arange(60) % 2,
                          "y": (np.arange(60) // 3) % 2})
    if outcome != "binary":
        frame["y"] = np.array(["a", "b", "c"])[np.arange(60) % 3]
    return studies.write(folder, f"""\
population llm   source
population human target
var z continuous
var v continuous
var u continuous
var x binary treatment
var y {outcome} outcome
{{v u}} -> z
{{z x}} -> y
differs z, v, u
shared y for llm
data llm "llm.csv" experiment(x)
data human "human_z.csv" observational measures(z, v, u)
estimate effect of x on y in human{scale}
""", {"llm.csv": frame, "human_z.csv": frame[["u", "v", "z"]].iloc[:40]})


def test_a_ratio_where_only_the_parametric_model_serves(tmp_path):
    _data_error(_parametric_only(tmp_path, scale=" scale ratio"),
                "scale ratio needs the joint or the exact model, and this study needs "
                "the parametric one (the joint model cannot serve it: 'z' is continuous with 2 "
                "continuous parents (u, v): the joint model's atoms keep a continuous "
                "covariate jointly with at most one continuous parent); estimate the "
                "difference instead")


def test_a_categorical_outcome_has_no_one_number(tmp_path):
    rng = np.random.default_rng(0)
    path = studies.write(tmp_path, NOT_TRANSPORTABLE.replace(
        "var y binary outcome", "var y categorical(a, b, c) outcome").replace(
        "differs y", "shared y for llm"), {"llm.csv": pd.DataFrame(
            {"x": rng.integers(0, 2, 60), "y": rng.choice(["a", "b", "c"], 60)})})
    _data_error(path, "the outcome 'y' is categorical with levels a, b, c: an effect on it is "
                "not one number; declare it binary (one level against the rest) or ordinal")


def _chain(folder: Path, length: int, extra: str = "") -> Path:
    """An effect that depends on a chain of `length` binary covariates."""
    names = [f"v{i}" for i in range(length)]
    text = ("population llm source\npopulation human target\nvar x binary treatment\n"
            "var y binary outcome\n" + "".join(f"var {v} binary\n" for v in names)
            + "".join(f"{a} -> {b}\n" for a, b in zip(names, names[1:], strict=False))
            + f"{names[-1]} -> y\nx -> y\n" + extra
            + "shared y for llm\ndiffers " + ", ".join(names) + "\n"
            + 'data llm "llm.csv" experiment(x)\n'
            + f'data human "h.csv" observational measures({", ".join(names)})\n'
            + "estimate effect of x on y in human\n")
    frame = pd.DataFrame(np.random.default_rng(0).integers(0, 2, (40, length + 2)),
                         columns=[*names, "x", "y"])
    return studies.write(folder, text, {"llm.csv": frame, "h.csv": frame[names]})


def test_an_effect_on_too_many_variables_for_the_joint_model(tmp_path):
    _data_error(_chain(tmp_path, 52), "the effect depends on 53 variables, more than the 50 "
                "the joint model's g-formula can multiply; merge variables, or leave out those "
                "the effect does not need (`transport identify` shows the formula)")


def _wide(folder: Path, names: list[str], extra: str = "") -> Path:
    """y with the binary parents `names` besides x, the human covariates surveyed."""
    text = ("population llm source\npopulation human target\nvar x binary treatment\n"
            "var y binary outcome\n" + "".join(f"var {v} binary\n" for v in names)
            + "".join(f"{v} -> y\n" for v in names) + "x -> y\n" + extra
            + "shared y for llm\ndiffers " + ", ".join(names) + "\n"
            + 'data llm "llm.csv" experiment(x)\n'
            + f'data human "h.csv" observational measures({", ".join(names)})\n'
            + "estimate effect of x on y in human\n")
    frame = pd.DataFrame(np.random.default_rng(0).integers(0, 2, (40, len(names) + 2)),
                         columns=[*names, "x", "y"])
    return studies.write(folder, text, {"llm.csv": frame, "h.csv": frame[names]})


def test_a_mechanism_over_too_many_cells_for_the_joint_model(tmp_path):
    # 24 binary parents of y (x among them): 16,777,216 cells (it was a MemoryError)
    names = [f"z{i}" for i in range(23)]
    _data_error(_wide(tmp_path, names), f"y's mechanism has 16,777,216 cells of its parents "
                f"{', '.join(sorted(['x', *names]))}: too many for the joint model; merge "
                "levels or variables so that fewer cells remain")


def test_a_formula_over_too_many_cells(tmp_path):
    # `x <-> z0` keeps the joint model out: the exact path counts the formula's table
    names = [f"z{i}" for i in range(23)]
    path = _wide(tmp_path, names, "x <-> z0\n")
    _data_error(path, f"the table over {', '.join(sorted(names))} has 8,388,608 cells: too "
                "many to count exactly; merge levels or variables so that fewer cells remain")


PARTIAL_ONLY = studies.HEAD + """\
partial y sd 0.5 for llm
data llm "llm.csv" experiment(x)
estimate effect of x on y in human
"""


def test_what_the_parametric_model_refuses_before_sampling(tmp_path):
    rng = np.random.default_rng(0)
    llm = studies.rows(100, 0.0, rng)
    survey = 'data human "human_z.csv" observational measures(z)\n'
    confounded = studies.write(tmp_path / "confounded", PARTIAL_ONLY.replace(
        "differs z\n", "differs z\nz <-> y\n").replace("estimate", survey + "estimate"),
        {"llm.csv": llm, "human_z.csv": llm[["z"]]})
    latent = studies.write(tmp_path / "latent", PARTIAL_ONLY.replace(
        "differs z\n", "differs z\nvar u latent\nu -> z\nu -> y\n").replace(
        "estimate", survey + "estimate"), {"llm.csv": llm, "human_z.csv": llm[["z"]]})
    no_data = studies.write(tmp_path / "no_data", PARTIAL_ONLY, {"llm.csv": llm})
    # a fresh process, as a user runs it: no library's import-time warning on the terminal
    done = subprocess.run([sys.executable, "-m", "transport", "estimate", str(confounded),
                           "--draws", "400"], capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: the effect depends on y and z, which share an unmeasured common cause (y <-> "
        "z); the parametric backend models each mechanism given its observed parents only and "
        "would ignore it. `transport identify` says what data would identify the effect "
        "despite it\n")
    _data_error(latent, "the effect of x on y depends on the latent variable 'u', and it is a "
                "common cause of y, z: no data measure it, so the parametric model cannot tell "
                "its mechanism apart from the others. Measure it, or remove it from the paths "
                "to the outcome (`transport identify` says what else would identify the "
                "effect)")
    _data_error(no_data, "the effect needs the human mechanism of 'z' (its distribution), but "
                "no human data measure it and no source with data shares it (llm: differs). "
                "Add human data on 'z' or state what is shared")
    edge = studies.write(tmp_path / "edge", studies.HEAD + "shared z -> y for llm\n"
                         + 'data llm "llm.csv" experiment(x)\n' + survey
                         + "estimate effect of x on y in human\n",
                         {"llm.csv": llm, "human_z.csv": llm[["z"]]})
    _data_error(edge, "the effect needs the human mechanism of 'y' (how it depends on x, z), "
                "but no human data measure it and no source with data shares it (llm: "
                "undeclared); an edge-level `shared A -> B` ties single coefficients only, not "
                "the whole mechanism. Add human data on 'y' or state what is shared")
    _data_error(_parametric_only(tmp_path / "categorical", "categorical(a, b, c)"),
                "'y' is categorical: an effect on it is not one number; recode it as binary "
                "(one level against the rest) or make it ordinal")


# --- the parametric path ------------------------------------------------------------------

PARAMETRIC = """\
population llm   source
population other source
population human target
var u latent
var z continuous
var v continuous
var w continuous
var x binary treatment
var y binary outcome
{v w} -> z
{z x} -> y
u -> y
differs v, w, z
partial y sd 0.5 for llm, other
partial u sd 0.5 for llm, other
data llm "llm.csv" experiment(x)
data other "other.csv" experiment(x) measures(x, y)
data human "hz.csv" observational measures(z, v, w)
estimate effect of x on y in human
fit chains 2 draws 100 tune 100 seed 3
"""


@pytest.mark.slow
def test_the_parametric_paths_messages(tmp_path):
    rng = np.random.default_rng(11)
    v, w = rng.normal(size=120).round(3), rng.normal(size=120).round(3)
    z = (v + w + rng.normal(size=120)).round(3)
    x = rng.integers(0, 2, 120)
    y = rng.binomial(1, 1 / (1 + np.exp(-(0.3 * z + x))))
    llm = pd.DataFrame({"v": v, "w": w, "z": z, "x": x, "y": y})
    path = studies.write(tmp_path, PARAMETRIC, {"llm.csv": llm, "other.csv": llm[["x", "y"]],
                                                "hz.csv": llm[["v", "w", "z"]].iloc[:60]})
    code, out, err = studies.run("estimate", str(path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[2] == ("  method: parametric joint model (pymc NUTS, 2 chains x 100 draws), "
                        "mechanisms tied as declared, target effect simulated per draw")
    assert lines[3] == ("  identified by: no nonparametric formula (not transportable from the "
                        "data statements alone); the estimate rests on the `partial` claims")
    checks = lines[lines.index("Sharing claims against the data:") + 1:][:2]
    assert checks == [
        "  u: human vs llm (partial): not testable ('u' is latent)",
        "  y: human vs llm (partial): not testable ('y' depends on the latent u, so its "
        "observed conditional distribution can differ even when the mechanism is shared)"]
    assert lines[lines.index("How wrong may the sharing claims be?") + 1] == (
        "  no `shared` claim enters the model, so none is loosened here; the `partial` claims "
        "enter at their stated shift scales, which this check does not vary")
    (draws,) = [line for line in lines if line.startswith("Draws: ")]
    full(r"Draws: 200 \(seed 3\); R-hat max \d\.\d{3}, ESS bulk min \d+, ESS tail min \d+, "
         r"divergences \d+", draws)
    warnings = [line.removeprefix("warning: ") for line in lines if line.startswith("warning: ")]
    assert warnings[:3] == [
        "latent 'u' is absorbed into the mechanism of 'y' (modelled given its observed "
        "parents); that mechanism counts as shared only where both are",
        "no effect for source other: no fitted other mechanism for 'v'",
        "no nonparametric transport formula exists; this estimate rests on the parametric "
        "model and the prior scales of the `partial` statements"]
    full(r"the sampler's diagnostics fail the usual thresholds \(R-hat \d\.\d{3}, bulk ESS "
         r"\d+, \d+ divergences\): do not trust this estimate yet", warnings[3])
