"""`estimate_study`: the posterior of the target effect under exactly the stated
assumptions, with the source effects, the naive estimate, checks of the assumptions where
data can speak, and how far they may fail before the conclusion flips."""

from __future__ import annotations

import dataclasses

import numpy as np

from transport.data.load import LoadedData, load_study_data
from transport.data.positivity import positivity_warnings, sample_size_warnings
from transport.diagnose import implication_tests
from transport.errors import DataError, NotEstimable
from transport.estimate.calibrated import calibrated_estimates
from transport.estimate.cells import is_discrete
from transport.estimate.checks import AssumptionCheck, check_assumption
from transport.estimate.checks_refit import without
from transport.estimate.conjugate import outcome_formula, reads
from transport.estimate.diagnostics import Diagnostics
from transport.estimate.effects import (
    DecisionOutcome,
    EffectSummary,
    EffectWithout,
    NaiveEstimate,
    SourceEffect,
)
from transport.estimate.exact import (
    effect_from,
    experiment_formula,
    formula_effect,
    has_experiment,
)
from transport.estimate.frequentist_study import frequentist_cross_check
from transport.estimate.mixed_subjects.from_study import mixed_subjects
from transport.estimate.path_result import PathEstimate, prior_summary
from transport.estimate.ppi import ppi_estimate
from transport.estimate.result import DataSummary, EstimateResult
from transport.estimate.robustness import robustness as robustness_curve
from transport.estimate.scales import describe_scale, null_value, scale_of
from transport.estimate.scope import borrows_through_partial, unsupported_reason
from transport.estimate.summary import describe
from transport.estimate.synthesis.path import joint_estimate, joint_supported
from transport.identification.expr import to_text
from transport.study import Study, VariableMechanism

# Bootstrap replicates of the frequentist cross-check shown beside the Bayesian estimate
FREQUENTIST_BOOTSTRAP = 200


def _seed(study: Study, seed: int | None) -> int:
    if seed is not None:
        return seed
    return study.fit.seed if study.fit.seed is not None else 0


def _exact_possible(identification, study: Study) -> bool:
    if not identification.transportable or identification.estimand is None:
        return False
    outcome = study.query.outcome
    for item in reads(identification.estimand):
        for name in item.variables:
            if name != outcome and not is_discrete(study.variable(name)):
                return False
    return True


def _data_summary(loaded: tuple[LoadedData, ...]) -> tuple[DataSummary, ...]:
    return tuple(
        DataSummary(d.population, d.spec.path, d.spec.design(), d.rows_read, len(d.frame),
                    d.rows_dropped)
        for d in loaded
    )


def _source_effects(study, loaded, draws, rng
                    ) -> tuple[dict[str, SourceEffect], dict[str, np.ndarray]]:
    effects, samples = {}, {}
    for source in study.sources:
        if has_experiment(study, source.name):
            effect, _ = formula_effect(experiment_formula(study, source.name), study, loaded,
                                       draws, rng)
            effects[source.name] = SourceEffect.of(describe(effect))
            samples[source.name] = effect
    return effects, samples


def _checks(study, loaded, draws, rng) -> tuple[AssumptionCheck, ...]:
    from transport.identification.from_study import identify_study as identify

    found = []
    for row in study.assumptions:
        if row.sharing.status not in ("shared", "partial"):
            continue
        check = dataclasses.replace(check_assumption(row, study, loaded, rng),
                                    target=study.target.name)
        if check.verdict == "contradicted" and isinstance(row.mechanism, VariableMechanism):
            alternative = without(study, row)
            result = identify(alternative)
            if result.transportable and _exact_possible(result, alternative):
                effect, _ = formula_effect(result.estimand, alternative, loaded, draws, rng)
                summary = describe(effect)
                instead = EffectWithout(True, summary.mean, summary.hdi_95)
            else:
                instead = EffectWithout(result.transportable)
            check = dataclasses.replace(check, without=instead)
        found.append(check)
    return tuple(found)


def _claim(declared: str, mechanism: str) -> str:
    """`shared y`, or `partial y sd 0.3` from a declared `partial sd 0.3`."""
    word, _, rest = declared.partition(" ")
    return f"{word} {mechanism}" + (f" {rest}" if rest else "")


def _naive_source(study: Study, used: list[str], effects: dict, loaded) -> str | None:
    """The source whose own effect is the naive answer: among the sources whose rows enter
    the estimate (else any with an effect), the one the file trusts most for the outcome
    (shared before partial), then the one with the most rows, then by name."""
    rows: dict[str, int] = {}
    for data in loaded:
        rows[data.population] = rows.get(data.population, 0) + len(data.frame)
    candidates = [s for s in used if s in effects] or list(effects)
    if not candidates:
        return None
    rank = {"shared": 0, "partial": 1}
    outcome = VariableMechanism(study.query.outcome)
    return min(candidates, key=lambda s: (rank.get(study.sharing(s, outcome).status, 2),
                                          -rows.get(s, 0), s))


def _refusal(identification) -> NotEstimable:
    if identification.status == "not_transportable":
        witness = (identification.witness or "").strip()
        reason = "the effect is not transportable under the stated assumptions." + (
            f" {witness}" + ("" if witness.endswith(".") else ".") if witness else ""
        )
    else:
        reason = (
            "no transport formula was found for the effect with what the data statements "
            "measure."
        )
    return NotEstimable(
        f"no estimate: {reason} A number here would come from assumptions the file does "
        "not make. State `partial V sd X` for the mechanisms that may drift, or collect the "
        "data `transport identify` suggests."
    )


def _relevant_variables(study: Study) -> list[str]:
    from transport.graph.mechanisms import relevant_mechanisms

    query = study.query
    return [
        m.variable
        for m in relevant_mechanisms(
            set(study.directed), set(study.bidirected), query.treatment, query.outcome
        )
        if isinstance(m, VariableMechanism)
    ]


def _exact_path(study, identification, loaded, draws, seed, rng, robustness) -> PathEstimate:
    """The exact conjugate path: effect, prior, source effects, robustness."""
    query = study.query
    formula = identification.estimand
    effect, inputs = formula_effect(formula, study, loaded, draws, rng)
    prior_effect, _ = formula_effect(formula, study, loaded, draws, rng, prior_only=True)
    summary = describe(effect)
    source_effects, source_draws = _source_effects(study, loaded, draws, rng)
    curve = None
    if robustness:
        ready = outcome_formula(formula, query.outcome, study)
        outcome_sd = max(
            (float(np.std(np.asarray(d.frame[query.outcome], dtype=float)))
             for d in loaded if query.outcome in d.frame), default=1.0,
        )
        curve = robustness_curve(ready, inputs, study, lambda r: effect_from(r, study), draws,
                                 np.random.default_rng(seed + 1), outcome_sd)
    return PathEstimate(
        method="exact conjugate (Dirichlet / Student-t) posteriors, transport formula "
        "evaluated per draw",
        effect_draws=effect,
        effect=summary,
        prior=prior_summary(summary, prior_effect),
        source_effects=source_effects,
        source_draws=source_draws,
        robustness=curve,
        diagnostics=Diagnostics.exact(draws),
        used_sources=tuple(p for p, _ in (item.key for item in reads(formula))),
        draws=draws,
    )


def _parametric_path(study, loaded, seed, robustness) -> PathEstimate:
    """The joint PyMC model with the file's ties (see parametric_run.py)."""
    from transport.estimate.parametric_run import parametric_estimate

    return parametric_estimate(study, loaded, seed, robustness)


def estimate_study(
    study: Study,
    *,
    seed: int | None = None,
    draws: int | None = None,
    drop_missing: bool = False,
    checks: bool = True,
    robustness: bool = True,
    identification=None,
    generalize: bool = False,
) -> EstimateResult:
    """The posterior of the study's target effect; NotEstimable when there is none.

    The exact path serves whenever a transport formula exists over discrete variables (a
    continuous outcome allowed); otherwise the parametric model, when the effect is
    transportable or a `partial` (or edge-level `shared`) statement gives it something to
    borrow; otherwise a refusal with the reason. `identification` is the study's own
    identification result when the caller already has it (it is computed otherwise).
    `generalize=True` widens the target to everyone sampled (every population's covariate
    rows together, the outcome's mechanism tied as declared), as zEpid's `generalize=True`;
    only the joint model serves it."""
    from transport.identification.from_study import identify_study as identify

    seed = _seed(study, seed)
    draws = draws or study.fit.chains * study.fit.draws
    rng = np.random.default_rng(seed)
    identification = identification or identify(study)
    loaded = load_study_data(study, drop_missing)
    if generalize:
        study = dataclasses.replace(study, query=dataclasses.replace(study.query,
                                                                     generalize=True))
    query = study.query
    unsupported = unsupported_reason(study)
    why_not_joint = (None if unsupported is None and joint_supported(study, loaded)
                     else unsupported or "a mechanism no dataset informs")
    if why_not_joint is None:
        path = joint_estimate(study, loaded, draws, seed, checks=checks, robustness=robustness)
    elif generalize:
        raise DataError("--generalize needs the joint model, and this study needs another "
                        f"path ({why_not_joint})")
    elif _exact_possible(identification, study):
        path = _exact_path(study, identification, loaded, draws, seed, rng, robustness)
    elif identification.transportable or borrows_through_partial(
        study, _relevant_variables(study)
    ):
        if scale_of(study) != "difference":
            raise DataError(
                f"scale {scale_of(study)} needs the joint or the exact model, and this study "
                f"needs the parametric one (the joint model cannot serve it: {why_not_joint}); "
                "estimate the difference instead"
            )
        path = _parametric_path(study, loaded, seed, robustness)
    else:
        raise _refusal(identification)
    effect, prior = path.effect_draws, path.prior
    null = null_value(scale_of(study))
    summary = EffectSummary(path.effect.mean, path.effect.sd, path.effect.hdi_95,
                            float((np.asarray(effect) > null).mean()), scale_of(study), null)
    source_effects, source_draws = path.source_effects, path.source_draws
    used_sources = [p for p in path.used_sources if p != study.target.name]
    naive_source = _naive_source(study, used_sources, source_effects, loaded)
    naive = None
    if naive_source is not None:
        naive = NaiveEstimate(naive_source, source_effects[naive_source].mean,
                              source_effects[naive_source].hdi_95)
    if path.checks is not None:
        found_checks = path.checks
    else:
        found_checks = _checks(study, loaded, draws, rng) if checks else ()
    warnings = list(path.notes)
    if generalize:
        warnings.insert(0, (
            f"generalized: the target is everyone sampled, not {query.population} alone: the "
            "rows of every population that measure a covariate describe it together (the "
            f"outcome's mechanism is tied as the file declares)"))
    if study.models and why_not_joint is not None:
        stated = "; ".join(f"model {m.variable} ~ {m.text}" for m in study.models)
        warnings.append(f"the model statements ({stated}) apply to the joint model only, "
                        f"which this study cannot use ({why_not_joint}): this estimate does "
                        "not use them")
    robust = sorted({f"{r.mechanism.describe()} for {r.source}" for r in study.assumptions
                     if r.sharing.robust is not None})
    if robust and why_not_joint is not None:
        warnings.append(f"the `robust` weights (on {', '.join(robust)}) apply to the joint "
                        f"model's robust mixture only, which this study cannot use "
                        f"({why_not_joint}): this estimate uses those claims as stated")
    if not identification.transportable and not path.prior_driven:
        warnings.append(
            "no nonparametric transport formula exists; this estimate rests on the parametric "
            "model and the prior scales of the `partial` statements"
        )
    if path.diagnostics.ok is False:
        d = path.diagnostics
        warnings.append(
            f"the sampler's diagnostics fail the usual thresholds (R-hat {d.rhat_max:.3f}, "
            f"bulk ESS {d.ess_bulk_min:.0f}, {d.divergences} divergences): do not trust "
            "this estimate yet"
        )
    if prior.contraction is not None and prior.contraction < 0.5:
        warnings.append(
            f"the data narrow the prior of the effect by only {prior.contraction:.0%}: much "
            "of the interval's width comes from the prior, not from data"
        )
    for check in found_checks:
        if check.verdict == "contradicted":
            first, second = check.between
            warnings.append(
                f"the data contradict '{_claim(check.declared, check.mechanism)}' between "
                f"{first} and {second}"
                + ("" if study.target.name in check.between else
                   f" (both declared with {study.target.name}, so they must agree)")
                + (f"; without it the estimate is {check.without.mean:.3f}"
                   if check.without is not None and check.without.mean is not None
                   else "")
            )
    warnings += positivity_warnings(study, loaded)
    warnings += sample_size_warnings(loaded)
    mixed = mixed_subjects(study, loaded, seed, draws)
    implications = implication_tests(study, loaded, seed=seed) if checks else None
    if implications is not None:
        for test in implications.violated:
            warnings.append(f"the data contradict the graph: {test.statement} fails in "
                            f"{test.population} (Holm p = {test.p_holm:.3g})"
                            + (f"; {test.fix}" if test.fix else ""))
    frequentist = None
    if checks and robustness:
        frequentist = frequentist_cross_check(study, loaded, identification.estimand,
                                              generalize=generalize, scale=scale_of(study),
                                              bootstrap=FREQUENTIST_BOOTSTRAP, seed=seed)
    if any(d.spec.cluster for d in loaded) and path.effective_samples is None:
        warnings.append(
            "this model treats rows that share a cluster as independent, so its interval "
            "may be too narrow"
            + ("; the mixed-subjects estimates (PPI++ and its Bayesian counterpart) use the "
               "`cluster` clauses" if mixed is not None and mixed.ppi.applies else "")
        )
    calibrated = calibrated_estimates(
        study, source_draws, naive_source, np.random.default_rng(seed + 2)
    )
    for item in calibrated:
        if not item.applies:
            warnings.append(f"calibration {item.calibration} not applied: {item.reason}")
    decision = None
    if study.decision is not None:
        decision = DecisionOutcome(study.decision, study.decision.probability(effect),
                                   study.decision.holds(effect))
    return EstimateResult(
        calibrated=tuple(calibrated),
        ppi=mixed.ppi if mixed is not None else ppi_estimate(study, loaded),
        bayes_ppi=mixed.bayes if mixed is not None else None,
        frequentist=frequentist,
        implications=implications.tests if implications is not None else (),
        effect_draws=effect,
        source_draws=source_draws,
        decision=decision,
        query=query,
        transportable=identification.transportable,
        status=identification.status,
        method=path.method,
        effect=summary,
        effect_scale=describe_scale(study),
        source_effects=source_effects,
        naive=naive,
        assumption_checks=found_checks,
        robustness=path.robustness,
        diagnostics=path.diagnostics,
        prior=prior,
        estimand=(to_text(identification.estimand) if identification.estimand is not None
                  else None),
        data=_data_summary(loaded),
        seed=seed,
        draws=path.draws,
        warnings=tuple(warnings),
        contributions=path.contributions,
        prior_driven=path.prior_driven,
        borrowing=path.borrowing,
        effective_samples=path.effective_samples or (),
        sources_used=tuple(used_sources),
        prior_draws=path.prior_draws,
        chains=study.fit.chains,
    )
